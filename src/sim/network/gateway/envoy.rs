//! What Envoy itself answers, and how it relays, as Envoy Gateway configures it.
//!
//! Envoy writes header names in lower case. Envoy Gateway sets the connection manager's
//! `server_header_transformation: PASS_THROUGH`, so Envoy adds no `server: envoy` of its
//! own: a backend's `Server` header passes through, and Envoy's local replies have none.
//! A local reply with a body carries `content-length` and `content-type: text/plain`
//! before `date` (Envoy Gateway's own task pages show exactly these headers).

use super::super::request::{Request, Response};

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Unknown",
    }
}

/// A local reply (`sendLocalReply`): `body` as text/plain, or nothing.
pub fn local(status: u16, body: &str, extra: &[(&str, String)], date: &str) -> Response {
    let mut headers: Vec<(String, String)> = vec![];
    if body.is_empty() {
        headers.extend(extra.iter().map(|(k, v)| (k.to_string(), v.clone())));
        headers.push(("date".into(), date.into()));
        headers.push(("content-length".into(), "0".into()));
    } else {
        headers.push(("content-length".into(), body.len().to_string()));
        headers.push(("content-type".into(), "text/plain".into()));
        headers.extend(extra.iter().map(|(k, v)| (k.to_string(), v.clone())));
        headers.push(("date".into(), date.into()));
    }
    Response {
        version: "HTTP/1.1".into(),
        status,
        reason: reason(status).into(),
        headers,
        body: body.into(),
    }
}

/// No route matched: 404 with an empty body (response flag `NR`).
pub fn no_route(date: &str) -> Response {
    local(404, "", &[], date)
}

/// A rule whose backends do not resolve, or an invalid policy: Envoy Gateway's direct
/// response, 500 with an empty body.
pub fn internal_error(date: &str) -> Response {
    local(500, "", &[], date)
}

/// The cluster has no healthy endpoint (`UH`).
pub fn no_healthy_upstream(date: &str) -> Response {
    local(503, "no healthy upstream", &[], date)
}

/// The endpoint refused the connection (`UF`); after retries Envoy names the latest reset.
pub fn connect_failure(retried: bool, date: &str) -> Response {
    let reset = if retried {
        "retried and the latest reset reason"
    } else {
        "reset reason"
    };
    local(
        503,
        &format!("upstream connect error or disconnect/reset before headers. {reset}: remote connection failure, transport failure reason: delayed connect error: Connection refused"),
        &[],
        date,
    )
}

/// The route timeout ran out before the backend answered (`UT`).
pub fn upstream_timeout(date: &str) -> Response {
    local(504, "upstream request timeout", &[], date)
}

/// The local rate limit filter's answer.
pub fn rate_limited(date: &str) -> Response {
    local(
        429,
        "local_rate_limited",
        &[("x-envoy-ratelimited", "true".into())],
        date,
    )
}

/// A redirect from a RequestRedirect filter.
pub fn redirect(status: u16, location: &str, date: &str) -> Response {
    local(status, "", &[("location", location.to_string())], date)
}

/// The request as Envoy sends it upstream: the client's headers (lower-cased) and those
/// Envoy adds at the edge.
pub fn forwarded_request(request: &Request, client_ip: &str, request_id: &str) -> Request {
    let mut forwarded = request.clone();
    let mut headers: Vec<(String, String)> = request
        .headers
        .iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
        .collect();
    if !headers.iter().any(|(k, _)| k == "host") {
        headers.insert(0, ("host".into(), super::super::apps::host_header(request)));
    }
    for (k, v) in [
        ("x-forwarded-for", client_ip.to_string()),
        ("x-forwarded-proto", request.url.scheme.clone()),
        ("x-envoy-external-address", client_ip.to_string()),
        ("x-request-id", request_id.to_string()),
    ] {
        headers.push((k.into(), v));
    }
    forwarded.headers = headers;
    forwarded
}

/// The upstream's response as the client gets it: names lower-cased, the hop-by-hop
/// headers dropped (Envoy's connection is its own), the rest kept (the upstream's `date`
/// and `server` included), `x-envoy-upstream-service-time` added.
pub fn relayed(mut response: Response, upstream_ms: u64) -> Response {
    response.headers = response
        .headers
        .into_iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v))
        .filter(|(k, _)| {
            !matches!(
                k.as_str(),
                "connection" | "keep-alive" | "proxy-connection" | "upgrade"
            )
        })
        .collect();
    response.headers.push((
        "x-envoy-upstream-service-time".into(),
        upstream_ms.to_string(),
    ));
    response.version = "HTTP/1.1".into();
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_replies_have_envoys_headers_and_no_server() {
        let r = rate_limited("D");
        let names: Vec<&str> = r.headers.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            names,
            [
                "content-length",
                "content-type",
                "x-envoy-ratelimited",
                "date"
            ]
        );
        assert_eq!(r.headers[0].1, "18");
        let r = no_route("D");
        assert_eq!(r.status, 404);
        assert_eq!(r.body, "");
        assert!(r.headers.iter().all(|(k, _)| k != "server"));
    }
}
