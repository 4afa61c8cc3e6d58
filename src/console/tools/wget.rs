//! busybox `wget` in a pod (`networking/wget.c`, `libbb/xconnect.c`, `libbb/progress.c`):
//! `Connecting to example (10.96.114.63:80)`, then the body to stdout (`-O-`) or a file
//! (`index.html`), the progress line as busybox prints it when stderr is not a terminal,
//! and its errors — `wget: bad address 'nope'`, `wget: can't connect to remote host
//! (10.96.0.5): Connection refused`, `wget: download timed out`, `wget: server returned
//! error: HTTP/1.1 404 Not Found`. The request itself is the data plane's
//! (`request::send`), which resolves the name through CoreDNS and records the flow.

use super::pod_tools::{exited, PodContext};
use crate::console::output::Output;
use crate::sim::network::request::{self, Failure, Request};
use crate::sim::time::SECOND;
use crate::sim::Cluster;

const USAGE: &str = "BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.

Usage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]
	[--post-data STR | --post-file FILE] [-Y on/off]
	[-P DIR] [-U AGENT] [-T SEC] URL...

Retrieve files via HTTP or FTP

	--spider	Only check URL existence: $? is 0 if exists
	--header STR	Add STR (of form 'header: value') to headers
	--post-data STR	Send STR using POST method
	--post-file FILE	Send FILE using POST method
	-c		Continue retrieval of aborted transfer
	-q		Quiet
	-P DIR		Save to DIR (default .)
	-S    		Show server response
	-T SEC		Network read timeout is SEC seconds
	-O FILE		Save to FILE ('-' for stdout)
	-o LOGFILE	Log messages to FILE
	-U STR		Use STR for User-Agent header
	-Y on/off	Use proxy";

struct Options {
    quiet: bool,
    output: Option<String>,
    timeout: Option<u64>,
    spider: bool,
    headers: Vec<(String, String)>,
    urls: Vec<String>,
}

fn parse(args: &[String]) -> Result<Options, ()> {
    let mut o = Options {
        quiet: false,
        output: None,
        timeout: None,
        spider: false,
        headers: vec![],
        urls: vec![],
    };
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        let value = |i: &mut usize| -> Result<String, ()> {
            let v = args.get(*i).cloned().ok_or(())?;
            *i += 1;
            Ok(v)
        };
        if let Some(long) = a.strip_prefix("--") {
            let (name, inline) = long.split_once('=').unwrap_or((long, ""));
            let mut v = || -> Result<String, ()> {
                if inline.is_empty() {
                    value(&mut i)
                } else {
                    Ok(inline.to_string())
                }
            };
            match name {
                "quiet" => o.quiet = true,
                "spider" => o.spider = true,
                "output-document" => o.output = Some(v()?),
                "timeout" => o.timeout = Some(v()?.parse().map_err(|_| ())?),
                "header" => {
                    let h = v()?;
                    let (k, val) = h.split_once(':').unwrap_or((&h, ""));
                    o.headers
                        .push((k.trim().to_string(), val.trim().to_string()));
                }
                "user-agent" | "post-data" | "post-file" | "tries" => {
                    v()?;
                }
                "no-check-certificate" | "continue" | "server-response" => {}
                _ => return Err(()),
            }
            continue;
        }
        if a.len() > 1 && a.starts_with('-') {
            let flags: Vec<char> = a[1..].chars().collect();
            let mut j = 0;
            while j < flags.len() {
                let c = flags[j];
                j += 1;
                let takes = matches!(c, 'O' | 'T' | 'o' | 'P' | 'U' | 'Y' | 't');
                let v = if takes {
                    let rest: String = flags[j..].iter().collect();
                    j = flags.len();
                    if rest.is_empty() {
                        value(&mut i)?
                    } else {
                        rest
                    }
                } else {
                    String::new()
                };
                match c {
                    'q' => o.quiet = true,
                    'O' => o.output = Some(v),
                    'T' => o.timeout = Some(v.parse().map_err(|_| ())?),
                    'c' | 'S' | 'o' | 'P' | 'U' | 'Y' | 't' => {}
                    _ => return Err(()),
                }
            }
            continue;
        }
        o.urls.push(a.clone());
    }
    if o.urls.is_empty() {
        return Err(());
    }
    Ok(o)
}

pub fn run(cluster: &mut Cluster, ctx: &PodContext, args: &[String]) -> Output {
    let Ok(options) = parse(args) else {
        return exited(Output::fail(USAGE), 1);
    };
    let mut out = Output::default();
    for url in &options.urls {
        let code = fetch(cluster, ctx, &options, url, &mut out);
        if code != 0 {
            return exited(out, code);
        }
    }
    out
}

/// One URL; returns the exit code.
/// What busybox wget says on every HTTPS connection (`wget.c`, `spawn_ssl_client`).
const TLS_NOTE: &str = "wget: note: TLS certificate validation not implemented";

fn fetch(
    cluster: &mut Cluster,
    ctx: &PodContext,
    options: &Options,
    url: &str,
    out: &mut Output,
) -> i32 {
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("ftp://") {
        out.err("kubesim: busybox wget speaks FTP, but FTP is not simulated");
        return 1;
    }
    if !lower.starts_with("http://") && !lower.starts_with("https://") && url.contains("://") {
        out.err(format!("wget: not an http or ftp url: {url}"));
        return 1;
    }
    let parsed = match request::parse_url(url) {
        Ok(u) => u,
        Err(request::UrlError::BadPort) => {
            // libbb str2sockaddr: a port above 65535.
            out.err(format!("wget: bad port spec '{}'", host_part(url)));
            return 1;
        }
        Err(_) => {
            out.err(format!("wget: bad address '{}'", host_part(url)));
            return 1;
        }
    };
    let mut req = Request::get(parsed.clone());
    // busybox's own TLS does not verify certificates (it says so below).
    req.insecure = true;
    req.headers = options.headers.clone();
    req.timeout = options.timeout.map(|t| t * SECOND);
    let exchange = request::send(cluster, &ctx.client(), &req);
    cluster.advance(exchange.elapsed);
    let default_port = if parsed.scheme == "https" { 443 } else { 80 };
    let host = if parsed.port == default_port {
        parsed.host.clone()
    } else {
        format!("{}:{}", parsed.host, parsed.port)
    };
    let connecting = |out: &mut Output, ip: &str| {
        if !options.quiet {
            out.err(format!("Connecting to {host} ({ip}:{})", parsed.port));
        }
    };
    let response = match exchange.result {
        Err(Failure::Resolve { .. }) => {
            out.err(format!("wget: bad address '{}'", parsed.host));
            return 1;
        }
        Err(Failure::Refused { ip, .. }) => {
            connecting(out, &ip);
            out.err(format!(
                "wget: can't connect to remote host ({ip}): Connection refused"
            ));
            return 1;
        }
        Err(Failure::Timeout { ip, .. }) => {
            connecting(out, &ip);
            if options.timeout.is_some() {
                out.err("wget: download timed out");
            } else {
                out.err(format!(
                    "wget: can't connect to remote host ({ip}): Connection timed out"
                ));
            }
            return 1;
        }
        Err(Failure::ReadTimeout { ip, .. }) => {
            connecting(out, &ip);
            out.err("wget: download timed out");
            return 1;
        }
        Err(Failure::EmptyReply { ip, .. }) => {
            connecting(out, &ip);
            out.err("wget: error getting response: Connection reset by peer");
            return 1;
        }
        Err(Failure::Tls { ip, .. }) => {
            // Only a plain-HTTP server fails busybox's handshake (it verifies nothing).
            connecting(out, &ip);
            out.err(TLS_NOTE);
            out.err(format!(
                "kubesim: {ip}:{} answers in plain HTTP, not TLS: busybox wget's handshake fails here",
                parsed.port
            ));
            return 1;
        }
        Ok(r) => r,
    };
    connecting(out, exchange.ip.as_deref().unwrap_or(&parsed.host));
    if parsed.scheme == "https" {
        out.err(TLS_NOTE);
    }
    if !(200..400).contains(&response.status) {
        out.err(format!(
            "wget: server returned error: {} {} {}",
            response.version, response.status, response.reason
        ));
        return 1;
    }
    if options.spider {
        if !options.quiet {
            out.err("remote file exists");
        }
        return 0;
    }
    let file = options.output.clone().unwrap_or_else(|| {
        let last = parsed.path.split('?').next().unwrap_or("/");
        match last.rsplit('/').next() {
            Some(f) if !f.is_empty() => f.to_string(),
            _ => "index.html".to_string(),
        }
    });
    let to_stdout = file == "-";
    if !options.quiet {
        out.err(if to_stdout {
            "writing to stdout".to_string()
        } else {
            format!("saving to '{file}'")
        });
    }
    if to_stdout {
        out.out(response.body.clone());
    }
    if !options.quiet {
        out.err(progress_line(&file, response.body.len()));
        out.err(if to_stdout {
            "written to stdout".to_string()
        } else {
            format!("'{file}' saved")
        });
    }
    0
}

/// The host of a URL too broken to parse, as busybox names it in `bad address`.
fn host_part(url: &str) -> &str {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    rest.split(['/', '?', '#']).next().unwrap_or(rest)
}

/// `bb_progress_update` at the end of a download with stderr not a terminal: the file
/// name in 20 columns, 100%, a 32-star bar (80 columns − 48), the size in 5 columns, ETA.
fn progress_line(file: &str, bytes: usize) -> String {
    let name: String = file.chars().take(20).collect();
    format!(
        "{name:<20} 100% |{}| {bytes:>5}  0:00:00 ETA",
        "*".repeat(32)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_progress_line_busybox_prints_without_a_terminal() {
        assert_eq!(
            progress_line("-", 615),
            "-                    100% |********************************|   615  0:00:00 ETA"
        );
    }

    #[test]
    fn options() {
        let args = |s: &str| s.split_whitespace().map(String::from).collect::<Vec<_>>();
        let o = parse(&args("-qO- -T 5 http://web")).unwrap();
        assert!(o.quiet);
        assert_eq!(o.output.as_deref(), Some("-"));
        assert_eq!(o.timeout, Some(5));
        assert!(parse(&args("-q")).is_err());
        assert!(parse(&args("--bogus http://x")).is_err());
    }
}
