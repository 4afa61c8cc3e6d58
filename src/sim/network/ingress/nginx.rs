//! What ingress-nginx's nginx itself answers and how it relays: the default backend's
//! 404, the 503 for a backend without endpoints, the 502 for one that does not answer
//! HTTP, and the headers it adds on the way to the backend and back.
//!
//! ingress-nginx runs with `server-tokens: false` by default: its error pages end in
//! `<hr><center>nginx</center>` without a version, and it clears the `Server` header
//! (`more_clear_headers Server`). Like any nginx proxy it drops the upstream's `Date`
//! and `Server` (`proxy_hide_header`'s defaults) and writes its own `Date`.

use super::super::apps::Reply;
use super::super::request::{Request, Response};

/// nginx's error page for `status reason`, as ingress-nginx serves it (no version).
pub fn error_page(status: u16, reason: &str) -> String {
    format!(
        "<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n<center><h1>{status} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
    )
}

fn error(status: u16, reason: &str, date: &str) -> Reply {
    let body = error_page(status, reason);
    Reply::Http(Response {
        version: "HTTP/1.1".into(),
        status,
        reason: reason.into(),
        headers: vec![
            ("Date".into(), date.to_string()),
            ("Content-Type".into(), "text/html".into()),
            ("Content-Length".into(), body.len().to_string()),
            ("Connection".into(), "keep-alive".into()),
        ],
        body,
    })
}

/// ingress-nginx's HSTS header (`hsts`, `hsts-max-age` 31536000, `hsts-include-subdomains`
/// defaults). `lua_ingress.lua` tests the function `certificate_configured_for_current_request`
/// itself rather than its result, so every HTTPS answer carries it.
pub const HSTS: &str = "max-age=31536000; includeSubDomains";

/// A redirect (`ngx.redirect`): nginx's page, and `Location` after the other headers,
/// as nginx writes an absolute location.
pub fn redirect(status: u16, location: &str, date: &str) -> Reply {
    let reason = match status {
        301 => "Moved Permanently",
        302 => "Moved Temporarily",
        307 => "Temporary Redirect",
        _ => "Permanent Redirect",
    };
    let mut reply = error(status, reason, date);
    if let Reply::Http(r) = &mut reply {
        r.headers.push(("Location".into(), location.to_string()));
    }
    reply
}

/// The default backend: nothing matched.
pub fn not_found(date: &str) -> Reply {
    error(404, "Not Found", date)
}

/// The backend Service is missing or has no ready endpoint.
pub fn unavailable(date: &str) -> Reply {
    error(503, "Service Temporarily Unavailable", date)
}

/// Every try timed out reading the backend's answer.
pub fn gateway_timeout(date: &str) -> Reply {
    error(504, "Gateway Time-out", date)
}

/// The endpoint refused the connection or closed it without an answer.
pub fn bad_gateway(date: &str) -> Reply {
    error(502, "Bad Gateway", date)
}

/// The request as nginx sends it upstream: the client's Host kept, and the
/// `X-Forwarded-*`, `X-Real-IP`, `X-Request-ID` and `X-Scheme` headers of ingress-nginx's
/// template (`remote_addr` is the address the controller saw).
pub fn forwarded_request(request: &Request, remote_addr: &str, id_hi: u64, id_lo: u64) -> Request {
    let host = super::super::apps::host_header(request);
    let mut forwarded = request.clone();
    let scheme = request.url.scheme.clone();
    let mut headers: Vec<(String, String)> = vec![("Host".into(), host.clone())];
    headers.extend(
        request
            .headers
            .iter()
            .filter(|(k, _)| !k.eq_ignore_ascii_case("host"))
            .cloned(),
    );
    for (k, v) in [
        ("X-Request-ID", format!("{id_hi:016x}{id_lo:016x}")),
        ("X-Real-IP", remote_addr.to_string()),
        ("X-Forwarded-For", remote_addr.to_string()),
        ("X-Forwarded-Host", super::matching::normalize_host(&host)),
        ("X-Forwarded-Port", request.url.port.to_string()),
        ("X-Forwarded-Proto", scheme.clone()),
        ("X-Forwarded-Scheme", scheme.clone()),
        ("X-Scheme", scheme.clone()),
    ] {
        headers.push((k.to_string(), v));
    }
    forwarded.headers = headers;
    forwarded
}

/// The upstream's response as the client gets it through nginx.
pub fn relayed(mut response: Response, date: &str) -> Response {
    let upstream = std::mem::take(&mut response.headers);
    let find = |name: &str| {
        upstream
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    let mut headers = vec![("Date".to_string(), date.to_string())];
    if let Some(v) = find("Content-Type") {
        headers.push(("Content-Type".into(), v));
    }
    if let Some(v) = find("Content-Length") {
        headers.push(("Content-Length".into(), v));
    } else {
        headers.push(("Transfer-Encoding".into(), "chunked".into()));
    }
    headers.push(("Connection".into(), "keep-alive".into()));
    for (k, v) in upstream {
        let skip = [
            "date",
            "server",
            "content-type",
            "content-length",
            "connection",
            "transfer-encoding",
            "keep-alive",
        ];
        if !skip.contains(&k.to_ascii_lowercase().as_str()) {
            headers.push((k, v));
        }
    }
    response.version = "HTTP/1.1".into();
    response.headers = headers;
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_backends_404_is_nginxs_page_without_a_version() {
        let page = error_page(404, "Not Found");
        assert_eq!(page, "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n");
        assert_eq!(page.len(), 146);
        let Reply::Http(r) = not_found("Mon, 01 Jan 2026 00:00:00 GMT") else {
            panic!("an HTTP answer")
        };
        assert!(r.headers.iter().all(|(k, _)| k != "Server"));
        assert_eq!(
            error_page(503, "Service Temporarily Unavailable").len(),
            190
        );
    }

    #[test]
    fn the_ssl_redirect_is_nginxs_308_page_with_the_location_last() {
        let Reply::Http(r) = redirect(308, "https://foo.example.com/app", "now") else {
            panic!("an HTTP answer")
        };
        assert_eq!((r.status, r.reason.as_str()), (308, "Permanent Redirect"));
        // The length real ingress-nginx reports for its 308 page.
        assert_eq!(r.body.len(), 164);
        let names: Vec<&str> = r.headers.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            names,
            [
                "Date",
                "Content-Type",
                "Content-Length",
                "Connection",
                "Location"
            ]
        );
    }

    #[test]
    fn relaying_drops_the_upstream_server_and_date() {
        let upstream = Response {
            version: "HTTP/1.1".into(),
            status: 200,
            reason: "OK".into(),
            headers: vec![
                ("Server".into(), "nginx/1.27.5".into()),
                ("Date".into(), "old".into()),
                ("Content-Type".into(), "text/html".into()),
                ("Content-Length".into(), "615".into()),
                ("ETag".into(), "\"x\"".into()),
            ],
            body: String::new(),
        };
        let r = relayed(upstream, "now");
        let names: Vec<&str> = r.headers.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            names,
            [
                "Date",
                "Content-Type",
                "Content-Length",
                "Connection",
                "ETag"
            ]
        );
        assert_eq!(r.headers[0].1, "now");
    }
}
