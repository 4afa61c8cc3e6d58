//! One request from a client to an address, hop by hop: the laptop's `curl` to a node's
//! NodePort, a pod's `wget` to a Service name, a generator's request through the cloud
//! load balancer. [`send`] walks the packet through the data plane (DNS, the cloud LB,
//! the node, kube-proxy's rules, the pod), asks the application what it answers, and
//! records the whole thing as a [`Flow`](super::flow::Flow).

use super::flow::{Flow, Hop, Layer, Outcome, Place};
use crate::sim::time::Millis;
use crate::sim::Cluster;

/// Who sends a request.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Client {
    /// The learner's machine: outside the cluster, on the nodes' network (as with kind,
    /// node IPs 172.18.0.x and load-balancer IPs 172.18.255.x are reachable).
    Laptop,
    /// A client somewhere on the internet, with its own address.
    Internet { ip: String },
    /// A pod in the cluster (`kubectl exec`).
    Pod { namespace: String, name: String },
}

/// A URL as curl and wget take it apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    pub scheme: String,
    pub host: String,
    pub port: u16,
    /// Path and query, starting with `/`.
    pub path: String,
}

/// What is wrong with a URL, in curl's terms (the tools word it themselves).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlError {
    /// `curl: (1) Protocol "ftp" not supported`
    UnsupportedScheme(String),
    /// `curl: (3) URL rejected: Port number was not a decimal number between 0 and 65535`
    BadPort,
    /// `curl: (3) URL rejected: No host part in the URL`
    NoHost,
    /// `curl: (3) URL rejected: Bad hostname`
    BadHost,
}

/// Parses `http://host[:port][/path]`; a URL without a scheme is http (as curl guesses).
pub fn parse_url(url: &str) -> Result<Url, UrlError> {
    let (scheme, rest) = match url.split_once("://") {
        Some((s, r)) => (s.to_ascii_lowercase(), r),
        None => ("http".to_string(), url),
    };
    let default_port = match scheme.as_str() {
        "http" => 80,
        "https" => 443,
        _ => return Err(UrlError::UnsupportedScheme(scheme)),
    };
    let (authority, path) = match rest.find(['/', '?', '#']) {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !h.contains(']') || p.chars().all(|c| c.is_ascii_digit()) => {
            let port = if p.is_empty() {
                default_port
            } else {
                p.parse::<u16>().map_err(|_| UrlError::BadPort)?
            };
            (h, port)
        }
        _ => (authority, default_port),
    };
    if host.is_empty() {
        return Err(UrlError::NoHost);
    }
    if !host
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '[' | ']' | ':'))
    {
        return Err(UrlError::BadHost);
    }
    let path = path.split('#').next().unwrap_or("");
    let path = if path.is_empty() {
        "/".to_string()
    } else if path.starts_with('?') {
        format!("/{path}")
    } else {
        path.to_string()
    };
    Ok(Url {
        scheme,
        host: host.to_ascii_lowercase(),
        port,
        path,
    })
}

/// One HTTP request (a plain TCP connection is a request to a server that does not
/// speak HTTP; the application decides what comes back).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    pub url: Url,
    /// Extra request headers (curl `-H`), in order.
    pub headers: Vec<(String, String)>,
    /// Give up after this long (curl `-m`, wget `-T`); `None`: the tool's default.
    pub timeout: Option<Millis>,
    /// Reuse this keep-alive connection (conntrack entry) if it is still open.
    pub connection: Option<u64>,
}

impl Request {
    pub fn get(url: Url) -> Request {
        Request {
            method: "GET".into(),
            url,
            headers: vec![],
            timeout: None,
            connection: None,
        }
    }
}

/// An HTTP response as the application (or a proxy) gave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// `HTTP/1.1`.
    pub version: String,
    pub status: u16,
    pub reason: String,
    /// In order, with the server's capitalisation.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

/// Why a request got no response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The name did not resolve (`curl: (6) Could not resolve host: NAME`).
    Resolve { host: String },
    /// The connection was refused (REJECT, or nothing listening).
    Refused {
        ip: String,
        port: u16,
        after: Millis,
    },
    /// Nothing answered before the timeout (packets dropped).
    Timeout {
        ip: String,
        port: u16,
        after: Millis,
    },
    /// Connected, but the server closed the connection without an HTTP answer.
    EmptyReply { ip: String, port: u16 },
}

/// What one request did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exchange {
    pub result: Result<Response, Failure>,
    /// The address connected to (after DNS), if any.
    pub ip: Option<String>,
    /// How long it took, in virtual time (the caller lets that time pass).
    pub elapsed: Millis,
    /// The flow recorded for it (`sim trace`).
    pub flow: u64,
    /// The keep-alive connection, reusable with [`Request::connection`].
    pub connection: Option<u64>,
}

/// An active `kubectl port-forward`: laptop port → a pod's port, through the apiserver
/// and the pod's kubelet (never through kube-proxy, even for `svc/NAME`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forward {
    pub namespace: String,
    pub pod: String,
    pub pod_uid: String,
    pub remote_port: u16,
    /// What the user named (`svc/mongodb`, `pod/web-0`).
    pub target: String,
}

/// Sends `request` from `client` and records the flow.
pub fn send(cluster: &mut Cluster, client: &Client, request: &Request) -> Exchange {
    let _ = (client, request);
    let flow = Flow {
        id: 0,
        at: cluster.now(),
        summary: format!("{} {}", request.method, request.url.path),
        layer: Layer::Http,
        hops: vec![Hop {
            at: cluster.now(),
            from: Place::Laptop,
            to: Place::Laptop,
            layer: Layer::Tcp,
            rule: String::new(),
            explanation: "not yet implemented".into(),
            reply: false,
        }],
        outcome: Outcome::Refused,
        service: None,
        endpoint: None,
        generator: None,
    };
    let id = cluster.network.flows.record(flow);
    Exchange {
        result: Err(Failure::Refused {
            ip: request.url.host.clone(),
            port: request.url.port,
            after: 0,
        }),
        ip: None,
        elapsed: 0,
        flow: id,
        connection: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_as_curl_takes_them_apart() {
        let u = parse_url("http://172.18.0.4:30007/index.html?x=1").unwrap();
        assert_eq!(
            (u.host.as_str(), u.port, u.path.as_str()),
            ("172.18.0.4", 30007, "/index.html?x=1")
        );
        let u = parse_url("localhost:8080").unwrap();
        assert_eq!(
            (u.scheme.as_str(), u.port, u.path.as_str()),
            ("http", 8080, "/")
        );
        assert_eq!(parse_url("http://web").unwrap().port, 80);
        assert_eq!(parse_url("https://web").unwrap().port, 443);
        assert_eq!(parse_url("http://web:99999/"), Err(UrlError::BadPort));
        assert_eq!(parse_url("http:///x"), Err(UrlError::NoHost));
        assert_eq!(
            parse_url("ftp://x"),
            Err(UrlError::UnsupportedScheme("ftp".into()))
        );
    }
}
