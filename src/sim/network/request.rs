//! One request from a client to an address, hop by hop: the laptop's `curl` to a node's
//! NodePort, a pod's `wget` to a Service name, a generator's request through the cloud
//! load balancer. [`send`] walks the packet through the data plane (DNS, the cloud LB,
//! the node, kube-proxy's rules, the pod), asks the application what it answers, and
//! records the whole thing as a [`Flow`](super::flow::Flow).

use super::flow::{Flow, Hop, Layer, Outcome, Place};
use crate::sim::time::{Millis, SECOND};
use crate::sim::Cluster;
use serde_json::Value;

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

impl UrlError {
    /// curl's words for it, without the exit code: `URL rejected: Bad hostname`.
    pub fn message(&self) -> String {
        match self {
            UrlError::UnsupportedScheme(s) => format!("Protocol \"{s}\" not supported"),
            UrlError::BadPort => {
                "URL rejected: Port number was not a decimal number between 0 and 65535".into()
            }
            UrlError::NoHost => "URL rejected: No host part in the URL".into(),
            UrlError::BadHost => "URL rejected: Bad hostname".into(),
        }
    }
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
    // An IPv6 literal is bracketed as a whole (`[::1]`); a lone bracket is no host.
    let bracketed = host.starts_with('[') && host.ends_with(']') && host.len() > 2;
    let brackets_ok = bracketed || !host.contains(['[', ']']);
    if !brackets_ok
        || !host
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
    /// HTTPS: accept whatever certificate the server presents (curl `-k`; busybox wget,
    /// which cannot verify).
    pub insecure: bool,
    /// HTTPS: the server name sent in the ClientHello (SNI), when it is not the URL's
    /// host (curl `--resolve` connects to an address but names the host).
    pub server_name: Option<String>,
}

impl Request {
    pub fn get(url: Url) -> Request {
        Request {
            method: "GET".into(),
            url,
            headers: vec![],
            timeout: None,
            connection: None,
            insecure: false,
            server_name: None,
        }
    }

    /// The SNI a TLS client sends: the name asked for, never an address.
    pub fn sni(&self) -> Option<String> {
        self.server_name.clone().or_else(|| {
            let host = self.url.host.trim_start_matches('[').trim_end_matches(']');
            let address = super::super::ipam::parse_ip(host).is_some() || host.contains(':');
            (!address).then(|| self.url.host.clone())
        })
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
    /// Connected and sent the request, but no answer came before the client's own
    /// timeout (curl `-m`, wget `-T`): a slow backend behind a proxy.
    ReadTimeout {
        ip: String,
        port: u16,
        after: Millis,
    },
    /// HTTPS: the TLS handshake failed — the server does not speak TLS there, or the
    /// client does not trust its certificate.
    Tls {
        ip: String,
        port: u16,
        failure: super::tls::Handshake,
    },
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

/// The learner's laptop on the nodes' network (kind's docker bridge gateway).
pub const LAPTOP_IP: &str = "172.18.0.1";
/// How long the kernel keeps retrying a SYN nobody answers before connect() fails
/// (`tcp_syn_retries = 6`: 1+2+4+8+16+32+64 s).
pub const KERNEL_CONNECT_TIMEOUT: Millis = 127 * SECOND;

/// Where the packet came from: the client as the data plane sees it.
struct Origin {
    place: Place,
    ip: String,
    /// The node a pod client runs on.
    node: Option<String>,
}

/// Builds a flow hop by hop.
struct Trace {
    at: Millis,
    layer: Layer,
    hops: Vec<Hop>,
    /// A keep-alive connection the request wants to reuse, and the one it ends up on.
    reuse: Option<u64>,
    connection: Option<u64>,
}

impl Trace {
    fn hop(&mut self, from: Place, to: Place, rule: impl Into<String>, why: impl Into<String>) {
        self.hops.push(Hop {
            at: self.at,
            from,
            to,
            layer: self.layer,
            rule: rule.into(),
            explanation: why.into(),
            reply: false,
        });
    }

    fn reply(&mut self, from: Place, to: Place, rule: impl Into<String>, why: impl Into<String>) {
        self.hop(from, to, rule, why);
        if let Some(h) = self.hops.last_mut() {
            h.reply = true;
        }
    }
}

/// Where a connection ended up, before the application answers.
enum Reached {
    Pod {
        /// Shared with the store: a request reads the pod, it never copies it.
        pod: std::sync::Arc<Value>,
        port: u16,
        /// The source address the pod sees.
        source: String,
        service: Option<String>,
        /// The place the reply leaves through on its way back (kube-proxy un-DNATs).
        via: Vec<Place>,
    },
    Refused,
    Dropped,
}

/// Sends `request` from `client` and records the flow.
pub fn send(cluster: &mut Cluster, client: &Client, request: &Request) -> Exchange {
    let now = cluster.now();
    let origin = match origin_of(cluster, client) {
        Ok(o) => o,
        Err(host) => {
            return finish_failure(
                cluster,
                request,
                Failure::Resolve { host },
                Trace {
                    at: now,
                    layer: Layer::Http,
                    hops: vec![],
                    reuse: None,
                    connection: None,
                },
                None,
            );
        }
    };
    let mut trace = Trace {
        at: now,
        layer: Layer::Http,
        hops: vec![],
        reuse: request.connection,
        connection: None,
    };
    let url = &request.url;
    // 1. The address: an IP as given, a port-forward on the laptop, or a DNS name.
    let ip = if super::super::ipam::parse_ip(&url.host).is_some() {
        url.host.clone()
    } else if url.host == "localhost" && client == &Client::Laptop {
        "127.0.0.1".to_string()
    } else if let Client::Pod { .. } = client {
        let lookup = super::dns::lookup(cluster, client, &url.host, super::dns::QType::A);
        let first = lookup.answer.records.iter().find_map(|r| match &r.data {
            super::dns::Rdata::A(ip) => Some(ip.clone()),
            _ => None,
        });
        match first {
            Some(ip) => {
                trace.hop(
                    origin.place.clone(),
                    origin.place.clone(),
                    format!("resolve {} → {ip}", url.host),
                    format!(
                        "CoreDNS answered {} ({} address{}){}; the client connects to the first",
                        lookup
                            .tried
                            .last()
                            .map(|(n, _)| n.as_str())
                            .unwrap_or(&url.host),
                        lookup.answer.records.len(),
                        if lookup.answer.records.len() == 1 {
                            ""
                        } else {
                            "es"
                        },
                        if lookup.flow > 0 {
                            format!(", DNS flow #{}", lookup.flow)
                        } else {
                            String::new()
                        }
                    ),
                );
                ip
            }
            None => {
                let host = url.host.clone();
                return finish_failure(cluster, request, Failure::Resolve { host }, trace, None);
            }
        }
    } else {
        // The laptop's resolver knows nothing of cluster.local.
        let host = url.host.clone();
        return finish_failure(cluster, request, Failure::Resolve { host }, trace, None);
    };
    let port = url.port;
    let shown = format!("{ip}:{port}");
    // 2. Where the packet goes.
    let reached = if ip == "127.0.0.1" && client == &Client::Laptop {
        port_forward(cluster, port, &mut trace)
    } else {
        route(cluster, &origin, &ip, port, &shown, &mut trace)
    };
    let timeout = request.timeout.unwrap_or(KERNEL_CONNECT_TIMEOUT);
    match reached {
        Reached::Refused => finish_failure(
            cluster,
            request,
            Failure::Refused {
                ip: ip.clone(),
                port,
                after: 0,
            },
            trace,
            Some(ip),
        ),
        Reached::Dropped => finish_failure(
            cluster,
            request,
            Failure::Timeout {
                ip: ip.clone(),
                port,
                // curl notices a moment after its deadline.
                after: timeout + 2,
            },
            trace,
            Some(ip),
        ),
        Reached::Pod {
            pod,
            port: pod_port,
            source,
            service,
            via,
        } => {
            let peer = super::apps::Peer {
                ip: source.clone(),
                port: 32768 + cluster.network.proxy.rng.below(28_231) as u16,
                user_agent: user_agent(request),
            };
            let pod_place = Place::Pod {
                namespace: crate::sim::object::namespace(&pod).to_string(),
                name: crate::sim::object::name(&pod).to_string(),
            };
            let date = crate::sim::time::http_date(now);
            let mut service = service;
            let mut endpoint = format!(
                "{}/{}",
                crate::sim::object::namespace(&pod),
                crate::sim::object::name(&pod)
            );
            // HTTPS: the handshake with whatever listens there, before any request.
            if url.scheme == "https" {
                let refused = |cluster: &mut Cluster, mut trace: Trace, why: String| {
                    trace.reply(
                        pod_place.clone(),
                        origin.place.clone(),
                        format!("RST from {}:{pod_port}", object_ip(&pod)),
                        why,
                    );
                    let failure = Failure::Refused {
                        ip: ip.clone(),
                        port,
                        after: 0,
                    };
                    finish_failure(cluster, request, failure, trace, Some(ip.clone()))
                };
                let handshake = match tls_server(cluster, &pod, pod_port, request) {
                    Err(why) => return refused(cluster, trace, why),
                    Ok(Some((certificate, why))) => {
                        let h = super::tls::handshake(Some(certificate.clone()), !request.insecure);
                        let (rule, what) = match &h {
                            super::tls::Handshake::Untrusted(_) => (
                                "TLS handshake: certificate not trusted".to_string(),
                                "the client does not trust it (self-signed, in no CA bundle) and aborts before sending the request",
                            ),
                            _ => (
                                "TLS terminated, ALPN h2".to_string(),
                                "the client accepts it without verifying (-k); HTTP/2 is negotiated and the request goes on decrypted from here",
                            ),
                        };
                        trace.hop(
                            origin.place.clone(),
                            pod_place.clone(),
                            rule,
                            format!(
                                "{endpoint} presents {} ({why}); {what}",
                                certificate.describe()
                            ),
                        );
                        h
                    }
                    Ok(None) => {
                        trace.reply(
                            pod_place.clone(),
                            origin.place.clone(),
                            "TLS handshake: plain HTTP answers".to_string(),
                            format!("{endpoint} does not speak TLS on port {pod_port}: it answers the ClientHello with plain HTTP"),
                        );
                        super::tls::Handshake::NotTls
                    }
                };
                if !matches!(handshake, super::tls::Handshake::Established(_)) {
                    let failure = Failure::Tls {
                        ip: ip.clone(),
                        port,
                        failure: handshake,
                    };
                    return finish_failure(cluster, request, failure, trace, Some(ip));
                }
            }
            // How long the answer took behind a proxy (slow backends, timeouts, back-off).
            let mut proxy_time: Millis = 0;
            // An ingress controller routes the request on to a backend pod.
            let reply = match super::ingress::serving(&pod, pod_port) {
                Some(config) => {
                    let proxied =
                        super::ingress::proxy(cluster, &pod, &config, request, &peer, &date);
                    trace.hops.extend(proxied.hops);
                    proxy_time = proxied.elapsed;
                    if let (Some(svc), Some(pod)) = (proxied.service, proxied.endpoint) {
                        service = Some(svc);
                        endpoint = pod;
                    }
                    proxied.reply
                }
                None => match super::gateway::proxy::serving(&pod, pod_port) {
                    // A Gateway's Envoy routes it per its HTTPRoutes and policies.
                    Some((gateway, listener)) => {
                        let proxied = super::gateway::proxy::proxy(
                            cluster, &pod, &gateway, listener, request, &peer, &date,
                        );
                        trace.hops.extend(proxied.hops);
                        proxy_time = proxied.elapsed;
                        if let (Some(svc), Some(pod)) = (proxied.service, proxied.endpoint) {
                            service = Some(svc);
                            endpoint = pod;
                        }
                        proxied.reply
                    }
                    None => super::apps::answer(&pod, pod_port, request, &peer, &date),
                },
            };
            match reply {
                super::apps::Reply::Refused => {
                    trace.reply(
                        pod_place.clone(),
                        origin.place.clone(),
                        format!("RST from {}:{pod_port}", object_ip(&pod)),
                        format!(
                            "nothing in {endpoint} listens on port {pod_port}: its kernel resets the connection (check the Service's targetPort and the container's port)"
                        ),
                    );
                    finish_failure(
                        cluster,
                        request,
                        Failure::Refused {
                            ip: ip.clone(),
                            port,
                            after: 0,
                        },
                        trace,
                        Some(ip),
                    )
                }
                super::apps::Reply::EmptyReply => {
                    trace.reply(
                        pod_place,
                        origin.place.clone(),
                        "FIN".to_string(),
                        format!("{endpoint} accepted the connection but its server does not speak HTTP: it closed it without an answer"),
                    );
                    let mut ex = finish_failure(
                        cluster,
                        request,
                        Failure::EmptyReply {
                            ip: ip.clone(),
                            port,
                        },
                        trace,
                        Some(ip),
                    );
                    ex.elapsed = 1;
                    ex
                }
                super::apps::Reply::Http(_) if request.timeout.is_some_and(|t| proxy_time >= t) => {
                    let limit = request.timeout.unwrap_or_default();
                    trace.reply(
                        pod_place,
                        origin.place.clone(),
                        "client timeout".to_string(),
                        format!(
                            "the answer takes {} but the client gives up after {}: it closes the connection with 0 bytes received",
                            crate::sim::time::go_duration(proxy_time),
                            crate::sim::time::go_duration(limit)
                        ),
                    );
                    let failure = Failure::ReadTimeout {
                        ip: ip.clone(),
                        port,
                        // curl notices a moment after its deadline.
                        after: limit + 1,
                    };
                    finish_failure(cluster, request, failure, trace, Some(ip))
                }
                super::apps::Reply::Http(response) => {
                    let response = if url.scheme == "https" {
                        super::tls::over_http2(response)
                    } else {
                        response
                    };
                    let trace_connection = trace.connection;
                    let mut from = pod_place;
                    let summary = format!("{} {}", response.status, response.reason);
                    for place in via.iter().rev() {
                        let (rule, why) = match place {
                            Place::KubeProxy(n) => (
                                "conntrack: reverse NAT".to_string(),
                                format!("kube-proxy's conntrack entry on {n} rewrites the reply's source back to {shown}"),
                            ),
                            Place::CloudLb(lb) => ("LB → client".to_string(), format!("the cloud load balancer {lb} returns the reply")),
                            Place::Kubelet(n) => ("port-forward stream".to_string(), format!("the reply goes back up the kubelet@{n} stream")),
                            Place::ApiServer => ("port-forward stream".to_string(), "kube-apiserver relays it to kubectl on the laptop".to_string()),
                            other => ("reply".to_string(), format!("via {other}")),
                        };
                        trace.reply(from.clone(), place.clone(), rule, why);
                        from = place.clone();
                    }
                    trace.reply(
                        from,
                        origin.place.clone(),
                        format!("{} {summary}", response.version),
                        format!("{} bytes from {endpoint}", response.body.len()),
                    );
                    let flow = Flow {
                        id: 0,
                        at: now,
                        summary: format!(
                            "{} {}://{}{}",
                            request.method,
                            url.scheme,
                            host_port(url),
                            url.path
                        ),
                        layer: Layer::Http,
                        hops: trace.hops,
                        outcome: Outcome::Answered {
                            status: response.status,
                        },
                        service,
                        endpoint: Some(endpoint),
                        generator: None,
                    };
                    let id = cluster.network.flows.record(flow);
                    Exchange {
                        result: Ok(response),
                        ip: Some(ip),
                        elapsed: 1 + proxy_time,
                        flow: id,
                        connection: trace_connection,
                    }
                }
            }
        }
    }
}

/// What answers a TLS ClientHello on `pod:port`: the certificate presented and why
/// (`None`: that port speaks plain HTTP), or `Err`: nothing listens there (an HTTPS
/// listener Envoy Gateway could not program).
fn tls_server(
    cluster: &mut Cluster,
    pod: &Value,
    port: u16,
    request: &Request,
) -> Result<Option<(super::tls::Certificate, String)>, String> {
    if port == 443 {
        if let Some(config) = super::ingress::serving(pod, port) {
            let sni = request.sni();
            return Ok(Some(super::ingress::certificate(
                cluster,
                &config,
                sni.as_deref(),
            )));
        }
    }
    match super::gateway::proxy::serving(pod, port) {
        Some((gateway, listener)) => {
            super::gateway::proxy::certificate(cluster, &gateway, listener)
        }
        None => Ok(None),
    }
}

fn host_port(url: &Url) -> String {
    let default = if url.scheme == "https" { 443 } else { 80 };
    if url.port == default {
        url.host.clone()
    } else {
        format!("{}:{}", url.host, url.port)
    }
}

fn object_ip(pod: &Value) -> String {
    crate::sim::object::str_at(pod, "/status/podIP").to_string()
}

/// The `User-Agent` the client's tool sent (curl and wget set their own; a request
/// without one is the laptop's curl, e.g. `sim traffic`).
fn user_agent(request: &Request) -> String {
    request
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("user-agent"))
        .map(|(_, v)| v.clone())
        .unwrap_or_else(|| format!("curl/{LAPTOP_CURL}"))
}

/// The curl on the learner's laptop (Debian 13's).
pub const LAPTOP_CURL: &str = "8.14.1";

fn origin_of(cluster: &Cluster, client: &Client) -> Result<Origin, String> {
    Ok(match client {
        Client::Laptop => Origin {
            place: Place::Laptop,
            ip: LAPTOP_IP.to_string(),
            node: None,
        },
        Client::Internet { ip } => Origin {
            place: Place::Internet,
            ip: ip.clone(),
            node: None,
        },
        Client::Pod { namespace, name } => {
            let rt = super::resource(cluster, "pods");
            let pod = cluster
                .get(&rt, namespace, name)
                .map_err(|_| name.clone())?;
            Origin {
                place: Place::Pod {
                    namespace: namespace.clone(),
                    name: name.clone(),
                },
                ip: object_ip(pod),
                node: Some(crate::sim::object::str_at(pod, "/spec/nodeName").to_string()),
            }
        }
    })
}

fn pod_object(cluster: &Cluster, key: &str) -> Option<std::sync::Arc<Value>> {
    let (ns, name) = key.split_once('/')?;
    let rt = super::resource(cluster, "pods");
    cluster.get_shared(&rt, ns, name)
}

/// A packet from `origin` to `ip:port`, through the nodes and kube-proxy's rules.
fn route(
    cluster: &mut Cluster,
    origin: &Origin,
    ip: &str,
    port: u16,
    shown: &str,
    trace: &mut Trace,
) -> Reached {
    let proxy = &cluster.network.proxy;
    let outside = origin.node.is_none();
    // A Service's virtual IP: ClusterIP, external IP or load-balancer IP.
    if let Some(svc) = proxy.service_by_ip(ip).cloned() {
        let is_cluster_ip = svc.cluster_ip.as_deref() == Some(ip);
        let Some(sport) = svc.ports.iter().find(|p| p.port == port).cloned() else {
            trace.hop(
                origin.place.clone(),
                origin.place.clone(),
                format!("no rule for {shown}"),
                format!(
                    "Service {} does not expose port {port} (its ports: {}); nothing answers",
                    svc.key,
                    svc.ports
                        .iter()
                        .map(|p| p.port.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
            return Reached::Dropped;
        };
        if outside {
            if is_cluster_ip {
                trace.hop(origin.place.clone(), origin.place.clone(), format!("no route to {ip}"), format!("{ip} is the ClusterIP of {}: a virtual address that exists only in kube-proxy's rules inside the cluster; from outside nothing answers (use a NodePort, a LoadBalancer or port-forward)", svc.key));
                return Reached::Dropped;
            }
            if svc.load_balancer_ips.iter().any(|x| x == ip) {
                return via_load_balancer(cluster, origin, &svc, &sport, ip, trace);
            }
            // An external IP routed to a node: treat like arriving at the first ready node.
            let node = cluster
                .network
                .proxy
                .nodes()
                .find(|n| n.ready)
                .map(|n| n.name.clone())
                .unwrap_or_default();
            trace.hop(
                origin.place.clone(),
                Place::Node(node.clone()),
                format!("to {shown}"),
                format!("externalIP {ip} is routed to node {node}"),
            );
            return through_proxy(
                cluster,
                origin,
                &svc,
                &sport,
                &node,
                super::proxy::Entry::External,
                shown,
                trace,
                vec![],
            );
        }
        let node = origin.node.clone().unwrap_or_default();
        trace.hop(origin.place.clone(), Place::KubeProxy(node.clone()), format!("to {shown}"), format!("the packet leaves the pod for {shown}; kube-proxy's rules on {node} see it first (KUBE-SERVICES)"));
        let entry = if is_cluster_ip {
            super::proxy::Entry::Internal
        } else {
            super::proxy::Entry::ShortCircuit
        };
        return through_proxy(
            cluster,
            origin,
            &svc,
            &sport,
            &node,
            entry,
            shown,
            trace,
            vec![],
        );
    }
    // A node's address: NodePorts, or nothing listening.
    if let Some(node) = proxy.node_by_ip(ip).cloned() {
        let via = origin.place.clone();
        trace.hop(
            via,
            Place::Node(node.name.clone()),
            format!("to {shown}"),
            format!("{ip} is node {}'s address", node.name),
        );
        let Some(svc) = proxy.service_by_node_port(port).cloned() else {
            trace.reply(Place::Node(node.name.clone()), origin.place.clone(), format!("RST from {shown}"), format!("nothing on node {} listens on port {port} and no Service has nodePort {port}: connection refused", node.name));
            return Reached::Refused;
        };
        let sport = svc
            .ports
            .iter()
            .find(|p| p.node_port == Some(port))
            .cloned()
            .expect("indexed by this nodePort");
        if !node.ready && outside {
            trace.hop(
                Place::Node(node.name.clone()),
                Place::Node(node.name.clone()),
                "no answer",
                format!(
                    "node {} is not ready: its network does not answer",
                    node.name
                ),
            );
            return Reached::Dropped;
        }
        return through_proxy(
            cluster,
            origin,
            &svc,
            &sport,
            &node.name,
            super::proxy::Entry::External,
            shown,
            trace,
            vec![],
        );
    }
    // A pod's own address (headless Services, pod-to-pod).
    if let Some(pod) = proxy.pod_by_ip(ip).cloned() {
        if outside {
            trace.hop(
                origin.place.clone(),
                origin.place.clone(),
                format!("no route to {ip}"),
                format!(
                    "{ip} is pod {}/{}'s address: pod IPs are only routed inside the cluster",
                    pod.namespace, pod.name
                ),
            );
            return Reached::Dropped;
        }
        let from_node = origin.node.clone().unwrap_or_default();
        let to_place = Place::Pod {
            namespace: pod.namespace.clone(),
            name: pod.name.clone(),
        };
        if from_node == pod.node {
            trace.hop(
                origin.place.clone(),
                to_place,
                format!("to {shown}"),
                format!(
                    "pod-to-pod on {}: straight across the node's bridge, no kube-proxy",
                    pod.node
                ),
            );
        } else {
            trace.hop(
                origin.place.clone(),
                Place::Node(pod.node.clone()),
                format!("route {} via {}", pod_cidr_of(&pod.ip), pod.node),
                format!(
                    "pod-to-pod: {ip} is on {}; the CNI routes the pod CIDR there, no kube-proxy",
                    pod.node
                ),
            );
            trace.hop(
                Place::Node(pod.node.clone()),
                to_place,
                format!("to {shown}"),
                format!(
                    "delivered to {}/{} through its veth",
                    pod.namespace, pod.name
                ),
            );
        }
        let key = format!("{}/{}", pod.namespace, pod.name);
        return match pod_object(cluster, &key) {
            Some(obj) => Reached::Pod {
                pod: obj,
                port,
                source: origin.ip.clone(),
                service: None,
                via: vec![],
            },
            None => Reached::Dropped,
        };
    }
    trace.hop(
        origin.place.clone(),
        origin.place.clone(),
        format!("to {shown}"),
        format!("nothing in the simulation has address {ip}: no answer"),
    );
    Reached::Dropped
}

fn pod_cidr_of(ip: &str) -> String {
    let mut parts: Vec<&str> = ip.split('.').collect();
    if parts.len() == 4 {
        parts[3] = "0";
    }
    format!("{}/24", parts.join("."))
}

/// The cloud load balancer spreads connections over the nodes that pass its health
/// check: every ready node without the exclude label; with `externalTrafficPolicy:
/// Local`, only nodes that have a ready endpoint (the healthCheckNodePort answers 200).
fn via_load_balancer(
    cluster: &mut Cluster,
    origin: &Origin,
    svc: &super::proxy::ServiceInfo,
    sport: &super::proxy::ServicePort,
    lb_ip: &str,
    trace: &mut Trace,
) -> Reached {
    let proxy = &cluster.network.proxy;
    let endpoints = proxy.endpoints(&svc.key);
    let local_nodes: Vec<String> = endpoints
        .iter()
        .filter(|e| e.ready)
        .map(|e| e.node.clone())
        .collect();
    let backends: Vec<String> = proxy
        .nodes()
        .filter(|n| n.ready && !n.lb_excluded)
        .filter(|n| !svc.external_local || local_nodes.contains(&n.name))
        .map(|n| n.name.clone())
        .collect();
    let lb = Place::CloudLb(lb_ip.to_string());
    trace.hop(
        origin.place.clone(),
        lb.clone(),
        format!("to {lb_ip}:{}", sport.port),
        format!("{lb_ip} is the cloud load balancer of {}", svc.key),
    );
    if backends.is_empty() {
        trace.hop(lb.clone(), lb, "no healthy backend", if svc.external_local { "externalTrafficPolicy: Local and no node has a ready endpoint: every health check fails, the load balancer has nowhere to send it".to_string() } else { "no ready node to send it to".to_string() });
        return Reached::Dropped;
    }
    let i = cluster.network.proxy.rng.below(backends.len() as u64) as usize;
    let node = backends[i].clone();
    let node_ip = cluster
        .network
        .proxy
        .node(&node)
        .map(|n| n.ip.clone())
        .unwrap_or_default();
    let Some(node_port) = sport.node_port else {
        trace.hop(lb.clone(), lb, "no nodePort", "allocateLoadBalancerNodePorts is false: this simulated cloud forwards to NodePorts only");
        return Reached::Dropped;
    };
    let why = if svc.external_local {
        format!("{} healthy node(s) (externalTrafficPolicy: Local: only nodes with a ready endpoint pass the health check); picked {node}", backends.len())
    } else {
        format!("{} healthy node(s); picked {node}", backends.len())
    };
    trace.hop(
        lb.clone(),
        Place::Node(node.clone()),
        format!("forward to {node_ip}:{node_port}"),
        why,
    );
    let shown = format!("{node_ip}:{node_port}");
    through_proxy(
        cluster,
        origin,
        svc,
        sport,
        &node,
        super::proxy::Entry::External,
        &shown,
        trace,
        vec![lb],
    )
}

/// kube-proxy on `node` decides; the packet then travels to the chosen pod.
#[allow(clippy::too_many_arguments)]
fn through_proxy(
    cluster: &mut Cluster,
    origin: &Origin,
    svc: &super::proxy::ServiceInfo,
    sport: &super::proxy::ServicePort,
    node: &str,
    entry: super::proxy::Entry,
    shown: &str,
    trace: &mut Trace,
    mut via: Vec<Place>,
) -> Reached {
    use super::proxy::Verdict;
    let here = Place::KubeProxy(node.to_string());
    if trace.hops.last().map(|h| &h.to) != Some(&here) {
        let from = trace
            .hops
            .last()
            .map(|h| h.to.clone())
            .unwrap_or(origin.place.clone());
        let rule = match (entry, sport.node_port) {
            (super::proxy::Entry::External, Some(np)) if shown.ends_with(&format!(":{np}")) => {
                format!("KUBE-NODEPORTS tcp dpt:{np}")
            }
            _ => "KUBE-SERVICES".to_string(),
        };
        trace.hop(
            from,
            here.clone(),
            rule,
            format!(
                "{shown} belongs to Service {} port {} (targetPort {})",
                svc.key,
                sport.port,
                if sport.target_port.is_empty() {
                    sport.port.to_string()
                } else {
                    sport.target_port.clone()
                }
            ),
        );
    }
    // conntrack: an established connection keeps its endpoint; no new decision.
    if let Some(id) = trace.reuse {
        let kept = cluster
            .network
            .proxy
            .connection(id)
            .cloned()
            .filter(|c| c.service == svc.key);
        if let Some(conn) = kept {
            let still = cluster
                .network
                .proxy
                .endpoints(&svc.key)
                .into_iter()
                .find(|e| e.ip == conn.endpoint_ip)
                .cloned();
            if let Some(endpoint) = still {
                let pod_key = endpoint.pod.clone().unwrap_or_default();
                trace.hop(here.clone(), endpoint.place(), format!("conntrack ESTABLISHED → {}:{}", conn.endpoint_ip, conn.endpoint_port), format!("keep-alive connection #{id} was balanced when it opened; its packets follow the conntrack entry, so new pods get none of it"));
                trace.connection = Some(id);
                via.push(here);
                return match pod_object(cluster, &pod_key) {
                    Some(pod) => Reached::Pod {
                        pod,
                        port: conn.endpoint_port,
                        source: origin.ip.clone(),
                        service: Some(svc.key.clone()),
                        via,
                    },
                    None => Reached::Dropped,
                };
            }
            cluster.network.proxy.close(id);
        }
    }
    match super::proxy::choose(cluster, svc, sport, node, entry, &origin.ip, shown) {
        Verdict::Reject { hop } => {
            trace.hops.push(hop);
            trace.reply(
                here,
                origin.place.clone(),
                "ICMP port unreachable",
                "the REJECT rule answers at once: connection refused",
            );
            Reached::Refused
        }
        Verdict::Drop { hop } => {
            trace.hops.push(hop);
            Reached::Dropped
        }
        Verdict::Dnat {
            endpoint,
            port,
            snat,
            mut hop,
        } => {
            let pod_key = endpoint.pod.clone().unwrap_or_default();
            let pod_place = endpoint.place();
            if endpoint.node == node || endpoint.node.is_empty() {
                hop.to = pod_place.clone();
                trace.hops.push(hop);
            } else {
                hop.to = Place::Node(endpoint.node.clone());
                hop.explanation.push_str(&format!(
                    "; {} runs on {}, routed there through the pod network",
                    endpoint.ip, endpoint.node
                ));
                trace.hops.push(hop);
                trace.hop(
                    Place::Node(endpoint.node.clone()),
                    pod_place.clone(),
                    format!("to {}:{port}", endpoint.ip),
                    format!("delivered to {pod_key} through its veth"),
                );
            }
            via.push(here);
            trace.connection = Some(cluster.network.proxy.open(super::proxy::Connection {
                service: svc.key.clone(),
                endpoint_ip: endpoint.ip.clone(),
                endpoint_port: port,
                opened: trace.at,
            }));
            let source = snat.unwrap_or_else(|| origin.ip.clone());
            match pod_object(cluster, &pod_key) {
                Some(pod) => Reached::Pod {
                    pod,
                    port,
                    source,
                    service: Some(svc.key.clone()),
                    via,
                },
                None => Reached::Dropped,
            }
        }
    }
}

/// `curl localhost:PORT` on the laptop: a `kubectl port-forward` tunnel, if one listens.
fn port_forward(cluster: &mut Cluster, port: u16, trace: &mut Trace) -> Reached {
    let Some(fwd) = cluster.network.forwards.get(&port).cloned() else {
        trace.hop(
            Place::Laptop,
            Place::Laptop,
            format!("RST from 127.0.0.1:{port}"),
            format!("nothing on the laptop listens on port {port} (no kubectl port-forward on it)"),
        );
        return Reached::Refused;
    };
    let pod = pod_object(cluster, &format!("{}/{}", fwd.namespace, fwd.pod))
        .filter(|p| crate::sim::object::uid(p) == fwd.pod_uid);
    let Some(pod) = pod else {
        cluster.network.forwards.remove(&port);
        trace.hop(
            Place::Laptop,
            Place::Laptop,
            format!("RST from 127.0.0.1:{port}"),
            format!(
                "the port-forward to {} ended when pod {} went away",
                fwd.target, fwd.pod
            ),
        );
        return Reached::Refused;
    };
    let node = crate::sim::object::str_at(&pod, "/spec/nodeName").to_string();
    trace.hop(
        Place::Laptop,
        Place::ApiServer,
        format!("127.0.0.1:{port} → pods/{}/portforward", fwd.pod),
        format!(
            "kubectl port-forward {} carries the connection in its stream to kube-apiserver",
            fwd.target
        ),
    );
    trace.hop(
        Place::ApiServer,
        Place::Kubelet(node.clone()),
        "proxy to kubelet",
        format!("kube-apiserver forwards the stream to the kubelet on {node}"),
    );
    let pod_place = Place::Pod {
        namespace: fwd.namespace.clone(),
        name: fwd.pod.clone(),
    };
    trace.hop(Place::Kubelet(node.clone()), pod_place, format!("connect localhost:{}", fwd.remote_port), format!("the container runtime connects to port {} inside the pod's network namespace — no Service, no kube-proxy, always this one pod", fwd.remote_port));
    Reached::Pod {
        pod,
        port: fwd.remote_port,
        source: "127.0.0.1".into(),
        service: None,
        via: vec![Place::ApiServer, Place::Kubelet(node)],
    }
}

fn finish_failure(
    cluster: &mut Cluster,
    request: &Request,
    failure: Failure,
    trace: Trace,
    ip: Option<String>,
) -> Exchange {
    let (outcome, elapsed) = match &failure {
        Failure::Resolve { .. } => (Outcome::NxDomain, 0),
        Failure::Refused { .. } => (Outcome::Refused, 0),
        Failure::Timeout { after, .. } | Failure::ReadTimeout { after, .. } => {
            (Outcome::Dropped, *after)
        }
        Failure::EmptyReply { .. } => (Outcome::Answered { status: 0 }, 1),
        Failure::Tls { .. } => (Outcome::TlsFailed, 1),
    };
    let url = &request.url;
    let flow = Flow {
        id: 0,
        at: trace.at,
        summary: format!(
            "{} {}://{}{}",
            request.method,
            url.scheme,
            host_port(url),
            url.path
        ),
        layer: trace.layer,
        hops: trace.hops,
        outcome,
        service: None,
        endpoint: None,
        generator: None,
    };
    let id = if flow.hops.is_empty() {
        0
    } else {
        cluster.network.flows.record(flow)
    };
    Exchange {
        result: Err(failure),
        ip,
        elapsed,
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
