//! What the application in a container answers: nginx's welcome page, Apache's "It
//! works!", traefik/whoami's `Hostname:`/`IP:` lines, hashicorp/http-echo's text,
//! agnhost's netexec, echoserver — and what a database says to a stray HTTP request.
//!
//! A pod answers on a port only if one of its running containers listens there: the
//! image's own server port (nginx 80, mongo 27017, …) or, for an image we know nothing
//! about, the ports it declares. Anything else gets a TCP reset: connection refused.

use super::request::{Request, Response};
use crate::sim::kubelet::containers::{listening_ports, nginx_version};
use crate::sim::kubelet::images::{self, ImageRef};
use crate::sim::object;
use crate::sim::sort::SharedSort;
use crate::sim::time::Millis;
use serde_json::Value;

/// What the client sees from the pod.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    Http(Response),
    /// Nothing listens on the port: the pod's kernel answers with a reset.
    Refused,
    /// A server that does not speak HTTP closed the connection.
    EmptyReply,
}

/// Who the application sees as its peer, and how the request reached it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Peer {
    pub ip: String,
    pub port: u16,
    /// The client's `User-Agent`.
    pub user_agent: String,
}

/// The container of `pod` listening on `port`, with its image, if any is running.
pub fn listener(pod: &Value, port: u16) -> Option<(String, ImageRef)> {
    let containers = pod.pointer("/spec/containers").and_then(Value::as_array)?;
    for c in containers {
        let name = object::str_at(c, "/name");
        let Ok(image) = images::parse(object::str_at(c, "/image")) else {
            continue;
        };
        let running = pod
            .pointer("/status/containerStatuses")
            .and_then(Value::as_array)
            .and_then(|a| a.iter().find(|s| object::str_at(s, "/name") == name))
            .is_some_and(|s| s.pointer("/state/running").is_some());
        if !running {
            continue;
        }
        let declared: Vec<i64> = c
            .get("ports")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|p| p.get("containerPort").and_then(Value::as_i64))
                    .collect()
            })
            .unwrap_or_default();
        let listens = match listening_ports(&image) {
            Some(ports) => ports.contains(&(port as i64)) || own_port(c, &image) == Some(port),
            None => declared.contains(&(port as i64)) || own_port(c, &image) == Some(port),
        };
        if listens {
            return Some((name.to_string(), image));
        }
    }
    None
}

/// A port the image's server was told to listen on by its arguments or environment
/// (`-listen=:8080` for http-echo, `--port` / `WHOAMI_PORT_NUMBER` for whoami).
fn own_port(container: &Value, image: &ImageRef) -> Option<u16> {
    let args = args_of(container);
    match image.short_name() {
        "http-echo" => args
            .iter()
            .find_map(|a| a.strip_prefix("-listen=").or(a.strip_prefix("--listen=")))
            .and_then(|l| l.rsplit(':').next()?.parse().ok()),
        "whoami" => args
            .windows(2)
            .find(|w| w[0] == "--port" || w[0] == "-port")
            .and_then(|w| w[1].parse().ok())
            .or_else(|| env_of(container, "WHOAMI_PORT_NUMBER")?.parse().ok()),
        "agnhost" => args
            .iter()
            .find_map(|a| a.strip_prefix("--http-port="))
            .and_then(|p| p.parse().ok())
            .or(Some(8080)),
        _ => None,
    }
}

fn args_of(container: &Value) -> Vec<String> {
    ["/command", "/args"]
        .iter()
        .filter_map(|p| container.pointer(p).and_then(Value::as_array))
        .flatten()
        .filter_map(|a| a.as_str().map(str::to_string))
        .collect()
}

fn env_of(container: &Value, name: &str) -> Option<String> {
    container
        .get("env")
        .and_then(Value::as_array)?
        .iter()
        .find(|e| object::str_at(e, "/name") == name)
        .map(|e| object::str_at(e, "/value").to_string())
}

/// How long `pod`'s application takes before it answers `request` on `port`.
/// `traefik/whoami` sleeps for its `wait` query parameter, a Go duration
/// (`/?wait=5s`; its `whoamiHandler`); every other application answers at once.
pub fn delay(pod: &Value, port: u16, request: &Request) -> Millis {
    let Some((_, image)) = listener(pod, port) else {
        return 0;
    };
    if image.short_name() != "whoami" {
        return 0;
    }
    let query = request.url.path.split_once('?').map_or("", |(_, q)| q);
    query
        .split('&')
        .find_map(|kv| kv.strip_prefix("wait="))
        .and_then(go_duration)
        .unwrap_or(0)
}

/// Go's `time.ParseDuration` for what a learner types: a number with a unit (`ns`…`h`),
/// possibly several (`1m30s`). A bare number or an unknown unit is an error (`None`),
/// as whoami then does not sleep.
fn go_duration(s: &str) -> Option<Millis> {
    let unit_ok = s.ends_with(|c: char| c.is_ascii_alphabetic()) && !s.ends_with('d');
    if s == "0" {
        return Some(0);
    }
    unit_ok
        .then(|| crate::sim::time::parse_duration(s))
        .flatten()
}

/// What `pod`'s application answers to `request` on `port`.
pub fn answer(pod: &Value, port: u16, request: &Request, peer: &Peer, now_rfc1123: &str) -> Reply {
    let Some((container, image)) = listener(pod, port) else {
        return Reply::Refused;
    };
    let spec = pod
        .pointer("/spec/containers")
        .and_then(Value::as_array)
        .and_then(|a| a.iter().find(|c| object::str_at(c, "/name") == container))
        .cloned()
        .unwrap_or(Value::Null);
    let hostname = object::name(pod);
    let pod_ip = object::str_at(pod, "/status/podIP");
    let path = request.url.path.as_str();
    match image.short_name() {
        "nginx" => nginx(&image, path, now_rfc1123),
        "httpd" => httpd(path, now_rfc1123),
        "whoami" => whoami(hostname, pod_ip, request, peer, now_rfc1123),
        "http-echo" => http_echo(&spec, now_rfc1123),
        "agnhost" => agnhost(hostname, path, peer, now_rfc1123),
        "echoserver" => echoserver(hostname, request, peer),
        "hpa-example" => php_apache(now_rfc1123),
        "mongo" => mongo(),
        "coredns" if port == 8080 => plain(200, "OK", "OK"),
        "coredns" if port == 8181 => plain(200, "OK", "OK"),
        "redis" | "postgres" | "mysql" | "memcached" | "rabbitmq" | "coredns" => {
            Reply::EmptyReply
        }
        _ => plain(
            200,
            "OK",
            &format!(
                "Hello from {hostname} ({}). kubesim does not know what this image serves; a real {} would answer here.\n",
                image.full(),
                image.short_name()
            ),
        ),
    }
}

fn response(status: u16, reason: &str, headers: Vec<(&str, String)>, body: String) -> Reply {
    Reply::Http(Response {
        version: "HTTP/1.1".into(),
        status,
        reason: reason.into(),
        headers: headers
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
        body,
    })
}

fn plain(status: u16, reason: &str, body: &str) -> Reply {
    response(
        status,
        reason,
        vec![
            ("Content-Type", "text/plain; charset=utf-8".into()),
            ("Content-Length", body.len().to_string()),
        ],
        body.to_string(),
    )
}

const NGINX_WELCOME: &str = "<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href=\"http://nginx.org/\">nginx.org</a>.<br/>
Commercial support is available at
<a href=\"http://nginx.com/\">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
";

fn nginx(image: &ImageRef, path: &str, date: &str) -> Reply {
    let version = nginx_version(image);
    let server = format!("nginx/{version}");
    let path = path.split('?').next().unwrap_or("/");
    if path == "/" || path == "/index.html" {
        // The image's index.html: 615 bytes, its mtime and size in the ETag.
        return response(
            200,
            "OK",
            vec![
                ("Server", server),
                ("Date", date.to_string()),
                ("Content-Type", "text/html".into()),
                ("Content-Length", NGINX_WELCOME.len().to_string()),
                ("Last-Modified", "Tue, 28 Oct 2025 12:05:10 GMT".into()),
                ("Connection", "keep-alive".into()),
                ("ETag", format!("\"6900b176-{:x}\"", NGINX_WELCOME.len())),
                ("Accept-Ranges", "bytes".into()),
            ],
            NGINX_WELCOME.to_string(),
        );
    }
    let body = format!(
        "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>{server}</center>\r\n</body>\r\n</html>\r\n"
    );
    response(
        404,
        "Not Found",
        vec![
            ("Server", server),
            ("Date", date.to_string()),
            ("Content-Type", "text/html".into()),
            ("Content-Length", body.len().to_string()),
            ("Connection", "keep-alive".into()),
        ],
        body,
    )
}

/// registry.k8s.io/hpa-example: php:5-apache whose index.php burns CPU, then says OK!.
fn php_apache(date: &str) -> Reply {
    response(
        200,
        "OK",
        vec![
            ("Date", date.to_string()),
            ("Server", "Apache/2.4.10 (Debian)".into()),
            ("X-Powered-By", "PHP/5.6.40".into()),
            ("Content-Length", "3".into()),
            ("Content-Type", "text/html".into()),
        ],
        "OK!".into(),
    )
}

fn httpd(path: &str, date: &str) -> Reply {
    if path.split('?').next() == Some("/") || path.starts_with("/index.html") {
        let body = "<html><body><h1>It works!</h1></body></html>\n";
        return response(
            200,
            "OK",
            vec![
                ("Date", date.to_string()),
                ("Server", "Apache/2.4.62 (Unix)".into()),
                ("Last-Modified", "Mon, 11 Jun 2007 18:53:14 GMT".into()),
                ("ETag", "\"2d-432a5e4a73a80\"".into()),
                ("Accept-Ranges", "bytes".into()),
                ("Content-Length", body.len().to_string()),
                ("Content-Type", "text/html".into()),
            ],
            body.into(),
        );
    }
    let body = "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n<p>The requested URL was not found on this server.</p>\n</body></html>\n".to_string();
    response(
        404,
        "Not Found",
        vec![
            ("Date", date.to_string()),
            ("Server", "Apache/2.4.62 (Unix)".into()),
            ("Content-Length", body.len().to_string()),
            ("Content-Type", "text/html; charset=iso-8859-1".into()),
        ],
        body,
    )
}

/// The request as Go's `Request.Write` prints it: request line, Host, User-Agent, then
/// the other headers in canonical form, sorted.
fn go_request_dump(request: &Request, peer: &Peer) -> String {
    let host = host_header(request);
    let mut out = format!(
        "{} {} HTTP/1.1\nHost: {host}\nUser-Agent: {}\n",
        request.method, request.url.path, peer.user_agent
    );
    let mut others: Vec<(String, String)> = vec![("Accept".into(), "*/*".into())];
    for (k, v) in &request.headers {
        let canon = canonical_header(k);
        if canon == "Host" || canon == "User-Agent" {
            continue;
        }
        others.retain(|(o, _)| *o != canon);
        others.push((canon, v.clone()));
    }
    others.sort_shared();
    for (k, v) in others {
        out.push_str(&format!("{k}: {v}\n"));
    }
    out.push('\n');
    out
}

/// The `Host` header a client sends: the URL's host, with the port unless it is 80.
pub fn host_header(request: &Request) -> String {
    if let Some((_, v)) = request
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("host"))
    {
        return v.clone();
    }
    if request.url.port == 80 {
        request.url.host.clone()
    } else {
        format!("{}:{}", request.url.host, request.url.port)
    }
}

/// Go's `CanonicalMIMEHeaderKey`: `x-request-id` → `X-Request-Id`.
fn canonical_header(k: &str) -> String {
    k.split('-')
        .map(|part| {
            let mut c = part.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + &c.as_str().to_ascii_lowercase(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// An IPv6 link-local address derived from the pod IP, standing for eth0's.
fn link_local(ip: &str) -> String {
    let b: Vec<u8> = ip.split('.').filter_map(|p| p.parse().ok()).collect();
    if b.len() != 4 {
        return "fe80::1".into();
    }
    // A MAC-derived (EUI-64) suffix, printed as Go prints IPv6: no leading zeros.
    format!(
        "fe80::{:x}:{:x}:{:x}:{:x}",
        0x2c0 | (b[0] as u32 >> 4),
        (b[1] as u32) << 8 | 0xff,
        0xfe00 | b[2] as u32,
        (b[3] as u32) << 8 | (b[1] ^ b[3]) as u32
    )
}

fn whoami(hostname: &str, pod_ip: &str, request: &Request, peer: &Peer, date: &str) -> Reply {
    let mut body = format!(
        "Hostname: {hostname}\nIP: 127.0.0.1\nIP: ::1\nIP: {pod_ip}\nIP: {}\nRemoteAddr: {}:{}\n",
        link_local(pod_ip),
        peer.ip,
        peer.port
    );
    body.push_str(&go_request_dump(request, peer));
    // Go's net/http writes response headers sorted by name.
    response(
        200,
        "OK",
        vec![
            ("Content-Length", body.len().to_string()),
            ("Content-Type", "text/plain; charset=utf-8".into()),
            ("Date", date.to_string()),
        ],
        body,
    )
}

fn http_echo(container: &Value, date: &str) -> Reply {
    let text = args_of(container)
        .iter()
        .find_map(|a| {
            a.strip_prefix("-text=")
                .or(a.strip_prefix("--text="))
                .map(|t| t.trim_matches('"').to_string())
        })
        .unwrap_or_default();
    let body = format!("{text}\n");
    response(
        200,
        "OK",
        vec![
            ("Content-Length", body.len().to_string()),
            ("Content-Type", "text/plain; charset=utf-8".into()),
            ("Date", date.to_string()),
            ("X-App-Name", "http-echo".into()),
            ("X-App-Version", "1.0.0".into()),
        ],
        body,
    )
}

/// agnhost `netexec`: `/hostname`, `/clientip`, `/echo?msg=…`, `/` (the time).
fn agnhost(hostname: &str, path: &str, peer: &Peer, date: &str) -> Reply {
    let (route, query) = path.split_once('?').unwrap_or((path, ""));
    let body = match route {
        "/hostname" => hostname.to_string(),
        "/clientip" => format!("{}:{}", peer.ip, peer.port),
        "/echo" => query
            .split('&')
            .find_map(|kv| kv.strip_prefix("msg="))
            .unwrap_or("")
            .replace("%20", " ")
            .replace('+', " "),
        "/healthz" => String::new(),
        _ => format!("NOW: {date}"),
    };
    plain(200, "OK", &body)
}

fn echoserver(hostname: &str, request: &Request, peer: &Peer) -> Reply {
    let host = host_header(request);
    let body = format!(
        "\n\nHostname: {hostname}\n\nPod Information:\n\t-no pod information available-\n\nServer values:\n\tserver_version=nginx: 1.13.3 - lua: 10008\n\nRequest Information:\n\tclient_address={}\n\tmethod={}\n\treal path={}\n\tquery={}\n\trequest_version=1.1\n\trequest_scheme=http\n\trequest_uri=http://{host}:8080{}\n\nRequest Headers:\n\taccept=*/*\n\thost={host}\n\tuser-agent={}\n\nRequest Body:\n\t-no body in request-\n\n",
        peer.ip,
        request.method,
        request.url.path.split('?').next().unwrap_or("/"),
        request.url.path.split_once('?').map(|(_, q)| q).unwrap_or(""),
        request.url.path,
        peer.user_agent
    );
    response(
        200,
        "OK",
        vec![
            ("Server", "nginx/1.10.0".into()),
            ("Content-Type", "text/plain".into()),
            ("Transfer-Encoding", "chunked".into()),
            ("Connection", "keep-alive".into()),
        ],
        body,
    )
}

/// mongod answers an HTTP request on its driver port with this (net/message HTTP probe).
fn mongo() -> Reply {
    let body =
        "It looks like you are trying to access MongoDB over HTTP on the native driver port.\n";
    Reply::Http(Response {
        version: "HTTP/1.0".into(),
        status: 200,
        reason: "OK".into(),
        headers: vec![
            ("Connection".into(), "close".into()),
            ("Content-Type".into(), "text/plain".into()),
            ("Content-Length".into(), body.len().to_string()),
        ],
        body: body.into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nginx_welcome_page_is_the_real_615_bytes() {
        assert_eq!(NGINX_WELCOME.len(), 615);
    }

    #[test]
    fn header_names_are_canonical_as_go_writes_them() {
        assert_eq!(canonical_header("x-request-id"), "X-Request-Id");
        assert_eq!(canonical_header("ACCEPT"), "Accept");
    }
}
