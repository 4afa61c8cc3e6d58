//! `curl`: the options tutorials use (`-s -S -i -I -v -m -H -X -o -w -f -L -k
//! --connect-timeout --resolve`), curl 8's output (`-i` headers, `-v` trace lines) and its
//! errors with their exit codes (`(6)` resolve, `(7)` connect, `(28)` timeout, `(52)`
//! empty reply, `(22)` with `-f`, `(35)` TLS to a plain-HTTP port, `(60)` an untrusted
//! certificate). HTTPS speaks HTTP/2 (ALPN), so `-i` shows `HTTP/2 200` and lower-case
//! header names. The same code runs on the laptop and inside pods.

use crate::console::output::Output;
use crate::sim::network::request::{self, Client, Failure, Request, UrlError};
use crate::sim::network::tls::Handshake;
use crate::sim::time::{Millis, SECOND};
use crate::sim::Cluster;

const TRY_HELP: &str = "curl: try 'curl --help' or 'curl --manual' for more information";

/// What curl adds to a certificate verification failure (`(60)`), `tool_operate.c`.
const CA_CERT_HELP: &str = "More details here: https://curl.se/docs/sslcerts.html\n\ncurl failed to verify the legitimacy of the server and therefore could not\nestablish a secure connection to it. To learn more about this situation and\nhow to fix it, please visit the webpage mentioned above.";

#[derive(Debug, Default)]
struct Options {
    silent: bool,
    show_error: bool,
    include: bool,
    head: bool,
    verbose: bool,
    fail: bool,
    max_time: Option<Millis>,
    connect_timeout: Option<Millis>,
    headers: Vec<(String, String)>,
    method: Option<String>,
    output: Option<String>,
    write_out: Option<String>,
    /// `-k`: accept any certificate.
    insecure: bool,
    /// `--resolve HOST:PORT:ADDRESS`.
    resolve: Vec<(String, u16, String)>,
    urls: Vec<String>,
}

fn seconds(v: &str) -> Option<Millis> {
    v.parse::<f64>()
        .ok()
        .filter(|s| *s >= 0.0)
        .map(|s| (s * 1000.0) as Millis)
}

fn parse(args: &[String]) -> Result<Options, Output> {
    let mut o = Options::default();
    let mut i = 0;
    let usage = |msg: String| {
        let mut out = Output::default();
        out.err(msg);
        out.err(TRY_HELP);
        out.status = 2;
        out
    };
    while i < args.len() {
        let a = &args[i];
        let mut value = |name: &str| -> Result<String, Output> {
            i += 1;
            args.get(i)
                .cloned()
                .ok_or_else(|| usage(format!("curl: option {name}: requires parameter")))
        };
        match a.as_str() {
            "-s" | "--silent" => o.silent = true,
            "-S" | "--show-error" => o.show_error = true,
            "-i" | "--include" | "--show-headers" => o.include = true,
            "-I" | "--head" => o.head = true,
            "-v" | "--verbose" => o.verbose = true,
            "-f" | "--fail" => o.fail = true,
            "-k" | "--insecure" => o.insecure = true,
            "--resolve" => {
                let v = value(a)?;
                // HOST:PORT:ADDRESS (curl also takes a leading `+` or `-`).
                let entry = v.trim_start_matches(['+', '-']);
                let mut parts = entry.splitn(3, ':');
                let parsed = match (parts.next(), parts.next(), parts.next()) {
                    (Some(h), Some(p), Some(addr)) if !h.is_empty() && !addr.is_empty() => p
                        .parse::<u16>()
                        .ok()
                        .map(|p| (h.to_ascii_lowercase(), p, addr.to_string())),
                    _ => None,
                };
                // A malformed entry is skipped (curl says so only with -v).
                o.resolve.extend(parsed);
            }
            "-L"
            | "--location"
            | "-4"
            | "--ipv4"
            | "--no-progress-meter"
            | "-N"
            | "--no-buffer"
            | "--compressed" => {}
            "-m" | "--max-time" => {
                let v = value(a)?;
                o.max_time = Some(seconds(&v).ok_or_else(|| {
                    usage(format!(
                        "curl: option {a}: expected a proper numerical parameter"
                    ))
                })?);
            }
            "--connect-timeout" => {
                let v = value(a)?;
                o.connect_timeout = Some(seconds(&v).ok_or_else(|| {
                    usage(format!(
                        "curl: option {a}: expected a proper numerical parameter"
                    ))
                })?);
            }
            "-H" | "--header" => {
                let v = value(a)?;
                if let Some((k, val)) = v.split_once(':') {
                    o.headers
                        .push((k.trim().to_string(), val.trim().to_string()));
                }
            }
            "-X" | "--request" => o.method = Some(value(a)?),
            "-o" | "--output" => o.output = Some(value(a)?),
            "-w" | "--write-out" => o.write_out = Some(value(a)?),
            "-A" | "--user-agent" => {
                let v = value(a)?;
                o.headers.push(("User-Agent".into(), v));
            }
            s if s.starts_with("--") => {
                return Err(usage(format!("curl: option {s}: is unknown")));
            }
            s if s.starts_with('-') && s.chars().count() > 2 => {
                // Combined short flags: -sS, -sSi, -sSL, -svo …
                let letters: Vec<char> = s[1..].chars().collect();
                if !letters[0].is_ascii_alphanumeric() {
                    // Only a letter makes a short option (and re-expanding `-\u{202e}` would
                    // give the same word again, forever).
                    return Err(usage(format!("curl: option {s}: is unknown")));
                }
                let mut rest: Vec<String> = letters.iter().map(|c| format!("-{c}")).collect();
                let takes_value = ["-m", "-H", "-X", "-o", "-w", "-A"];
                if let Some(pos) = rest.iter().position(|f| takes_value.contains(&f.as_str())) {
                    if pos + 1 < rest.len() {
                        // `-m5`: the rest of the word is the value.
                        let tail: String = letters[pos + 1..].iter().collect();
                        rest.truncate(pos + 1);
                        rest.push(tail);
                    }
                }
                let mut expanded: Vec<String> = args[..i].to_vec();
                expanded.extend(rest);
                expanded.extend(args[i + 1..].iter().cloned());
                return parse(&expanded);
            }
            s if s.starts_with('-') && s.chars().count() == 2 => {
                return Err(usage(format!("curl: option {s}: is unknown")));
            }
            _ => o.urls.push(a.clone()),
        }
        i += 1;
    }
    if o.urls.is_empty() {
        return Err(usage("curl: no URL specified".to_string()));
    }
    Ok(o)
}

/// Runs `curl ARGS` as `client` (the laptop, or a pod for `kubectl exec`), letting the
/// virtual time it takes pass. `user_agent` is `curl/VERSION` of the curl in use.
pub fn run(cluster: &mut Cluster, client: &Client, args: &[String], user_agent: &str) -> Output {
    let opts = match parse(args) {
        Ok(o) => o,
        Err(out) => return out,
    };
    let mut out = Output::default();
    for url in &opts.urls {
        let one = fetch(cluster, client, &opts, url, user_agent);
        out.append(one);
    }
    out
}

fn fetch(
    cluster: &mut Cluster,
    client: &Client,
    opts: &Options,
    raw: &str,
    user_agent: &str,
) -> Output {
    let mut out = Output::default();
    let show_errors = !opts.silent || opts.show_error;
    let fail = |out: &mut Output, code: i32, msg: String| {
        if show_errors {
            out.err(format!("curl: ({code}) {msg}"));
        }
        out.status = code;
    };
    let url = match request::parse_url(raw) {
        Ok(u) => u,
        Err(e) => {
            let code = match e {
                UrlError::UnsupportedScheme(_) => 1,
                _ => 3,
            };
            fail(&mut out, code, e.message());
            return out;
        }
    };
    let method = opts
        .method
        .clone()
        .unwrap_or_else(|| if opts.head { "HEAD" } else { "GET" }.to_string());
    // `--resolve`: connect to the given address, but the Host header and the SNI still
    // name the host.
    let resolved = opts
        .resolve
        .iter()
        .find(|(h, p, _)| *h == url.host && *p == url.port)
        .map(|(_, _, addr)| addr.clone());
    let mut headers = opts.headers.clone();
    let mut target = url.clone();
    if let Some(addr) = &resolved {
        if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
            let default = if url.scheme == "https" { 443 } else { 80 };
            let host = if url.port == default {
                url.host.clone()
            } else {
                format!("{}:{}", url.host, url.port)
            };
            headers.insert(0, ("Host".into(), host));
        }
        target.host = addr.clone();
    }
    let mut req = Request {
        method: method.clone(),
        url: target,
        headers,
        timeout: match (opts.max_time, opts.connect_timeout) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        },
        connection: None,
        insecure: opts.insecure,
        server_name: resolved.is_some().then(|| url.host.clone()),
    };
    if !req
        .headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("user-agent"))
    {
        req.headers
            .push(("User-Agent".into(), user_agent.to_string()));
    }
    let exchange = request::send(cluster, client, &req);
    if exchange.elapsed > 0 {
        cluster.advance(exchange.elapsed);
    }
    let ip = exchange.ip.clone().unwrap_or_else(|| url.host.clone());
    if let Some(c) = exchange.connection {
        cluster.network.proxy.close(c);
    }
    let forwarded = client == &Client::Laptop
        && (url.host == "localhost" || url.host == "127.0.0.1")
        && cluster.network().forwards().contains_key(&url.port);
    if forwarded && exchange.result.as_ref().is_ok_or_empty() {
        out.out(format!("Handling connection for {}\n", url.port));
    }
    if opts.verbose && !matches!(exchange.result, Err(Failure::Resolve { .. })) {
        out.err(format!("*   Trying {ip}:{}...", url.port));
    }
    match exchange.result {
        Err(Failure::Resolve { host }) => {
            if opts.verbose {
                out.err(format!("* Could not resolve host: {host}"));
            }
            fail(&mut out, 6, format!("Could not resolve host: {host}"));
        }
        Err(Failure::Refused { after, .. }) => {
            if opts.verbose {
                out.err(format!(
                    "* connect to {ip} port {} from 0.0.0.0 port 0 failed: Connection refused",
                    url.port
                ));
                out.err(format!("* Failed to connect to {} port {} after {after} ms: Could not connect to server", url.host, url.port));
                out.err("* closing connection #0");
            }
            fail(
                &mut out,
                7,
                format!(
                    "Failed to connect to {} port {} after {after} ms: Could not connect to server",
                    url.host, url.port
                ),
            );
        }
        Err(Failure::Timeout { after, .. }) => {
            let msg = if req.timeout.is_some() {
                format!(
                    "Failed to connect to {} port {} after {after} ms: Timeout was reached",
                    url.host, url.port
                )
            } else {
                format!(
                    "Failed to connect to {} port {} after {after} ms: Could not connect to server",
                    url.host, url.port
                )
            };
            if opts.verbose {
                out.err(format!("* {msg}"));
                out.err("* closing connection #0");
            }
            fail(&mut out, 28, msg);
        }
        Err(Failure::EmptyReply { .. }) => {
            if opts.verbose {
                out.err(format!(
                    "* Connected to {} ({ip}) port {}",
                    url.host, url.port
                ));
                out.err("* Empty reply from server");
                out.err("* shutting down connection #0");
            }
            fail(&mut out, 52, "Empty reply from server".into());
        }
        Err(Failure::ReadTimeout { after, .. }) => {
            let msg =
                format!("Operation timed out after {after} milliseconds with 0 bytes received");
            if opts.verbose {
                out.err(format!(
                    "* Connected to {} ({ip}) port {}",
                    url.host, url.port
                ));
                out.err(format!("* {msg}"));
                out.err("* closing connection #0");
            }
            fail(&mut out, 28, msg);
        }
        Err(Failure::Tls { failure, .. }) => {
            if opts.verbose {
                out.err(format!(
                    "* Connected to {} ({ip}) port {}",
                    url.host, url.port
                ));
            }
            match failure {
                Handshake::Untrusted(_) => {
                    fail(
                        &mut out,
                        60,
                        "SSL certificate problem: self-signed certificate".into(),
                    );
                    if show_errors {
                        out.err(CA_CERT_HELP);
                    }
                }
                _ => fail(
                    &mut out,
                    35,
                    "OpenSSL/3.5.1: error:0A00010B:SSL routines::wrong version number".into(),
                ),
            }
        }
        Ok(response) => {
            if opts.verbose {
                let http2 = response.version == "HTTP/2";
                out.err(format!(
                    "* Connected to {} ({ip}) port {}",
                    url.host, url.port
                ));
                out.err(if http2 {
                    "* using HTTP/2"
                } else {
                    "* using HTTP/1.x"
                });
                out.err(format!(
                    "> {method} {} {}",
                    url.path,
                    if http2 { "HTTP/2" } else { "HTTP/1.1" }
                ));
                out.err(format!(
                    "> Host: {}",
                    crate::sim::network::apps::host_header(&req)
                ));
                for (k, v) in &req.headers {
                    if !k.eq_ignore_ascii_case("host") {
                        out.err(format!("> {k}: {v}"));
                    }
                }
                if !req
                    .headers
                    .iter()
                    .any(|(k, _)| k.eq_ignore_ascii_case("accept"))
                {
                    out.err("> Accept: */*");
                }
                out.err("> ");
                out.err("* Request completely sent off");
                out.err(format!(
                    "< {} {} {}",
                    response.version, response.status, response.reason
                ));
                for (k, v) in &response.headers {
                    out.err(format!("< {k}: {v}"));
                }
                out.err("< ");
            }
            if opts.fail && response.status >= 400 {
                fail(
                    &mut out,
                    22,
                    format!("The requested URL returned error: {}", response.status),
                );
                return out;
            }
            let mut text = String::new();
            if (opts.include || opts.head) && !opts.verbose {
                text.push_str(&format!(
                    "{} {} {}\n",
                    response.version, response.status, response.reason
                ));
                for (k, v) in &response.headers {
                    text.push_str(&format!("{k}: {v}\n"));
                }
                text.push('\n');
            }
            if !opts.head {
                text.push_str(&response.body);
            }
            if opts.output.is_none() {
                out.out(text);
            }
            if opts.verbose {
                out.err(format!("* Connection #0 to host {} left intact", url.host));
            }
            if let Some(w) = &opts.write_out {
                out.out(write_out(
                    w,
                    response.status,
                    &ip,
                    url.port,
                    &response.body,
                    raw,
                    exchange.elapsed,
                ));
            }
            return out;
        }
    }
    if let Some(w) = &opts.write_out {
        out.out(write_out(w, 0, "", 0, "", raw, exchange.elapsed));
    }
    out
}

trait OkOrEmpty {
    fn is_ok_or_empty(&self) -> bool;
}

impl OkOrEmpty for Result<&request::Response, &Failure> {
    fn is_ok_or_empty(&self) -> bool {
        matches!(self, Ok(_) | Err(Failure::EmptyReply { .. }))
    }
}

/// `-w`: `%{http_code}`, `%{remote_ip}`, `%{remote_port}`, `%{size_download}`,
/// `%{time_total}`, `%{url_effective}`, and `\n` / `\t`.
fn write_out(
    format: &str,
    code: u16,
    ip: &str,
    port: u16,
    body: &str,
    url: &str,
    elapsed: Millis,
) -> String {
    format
        .replace("%{http_code}", &format!("{code:03}"))
        .replace("%{response_code}", &format!("{code:03}"))
        .replace("%{remote_ip}", ip)
        .replace("%{remote_port}", &port.to_string())
        .replace("%{size_download}", &body.len().to_string())
        .replace(
            "%{time_total}",
            &format!("{:.6}", elapsed as f64 / SECOND as f64),
        )
        .replace("%{url_effective}", url)
        .replace("\\n", "\n")
        .replace("\\t", "\t")
}
