//! The data plane's `sim` controls: `sim trace` (the hops of a flow, each with its rule
//! and the reason), `sim traffic` (steady load generators and per-endpoint counters) and
//! `sim forwards` (the open `kubectl port-forward` tunnels).

use super::output::Output;
use super::printers::tabwriter;
use super::Console;
use crate::sim::network::request::{self, Client};
use crate::sim::network::{Flow, Outcome};

pub const USAGE: &str =
    "  trace [ID]         the hops of the last flow (or flow ID), each with its rule and why
  traffic start [--from laptop|internet|pod/NAME] [--rate N] [--keepalive] URL
                     send N requests a second (default 10) until stopped
  traffic list       the running generators
  traffic stop ID|all
  traffic counts     requests answered per Service and endpoint
  forwards [stop PORT|all]  the open kubectl port-forward tunnels";

fn outcome_text(f: &Flow) -> String {
    match &f.outcome {
        Outcome::Answered { status: 0 } => "empty reply".into(),
        Outcome::Answered { status } => format!("HTTP {status}"),
        Outcome::Resolved { records } => format!("NOERROR, {records} record(s)"),
        Outcome::NxDomain => "NXDOMAIN".into(),
        Outcome::Refused => "connection refused".into(),
        Outcome::Dropped => "dropped (timed out)".into(),
        Outcome::TlsFailed => "TLS handshake failed".into(),
    }
}

/// One flow as `sim trace` prints it.
pub fn format_flow(f: &Flow) -> String {
    let mut s = format!(
        "flow #{} at {} {}: {} → {}",
        f.id,
        super::simctl::format_clock(f.at)
            .split(' ')
            .next()
            .unwrap_or(""),
        f.layer.as_str(),
        f.summary,
        outcome_text(f)
    );
    if let (Some(svc), Some(ep)) = (&f.service, &f.endpoint) {
        s.push_str(&format!(" (service {svc}, endpoint {ep})"));
    } else if let Some(ep) = &f.endpoint {
        s.push_str(&format!(" (answered by {ep})"));
    }
    s.push('\n');
    for (i, h) in f.hops.iter().enumerate() {
        let reply = if h.reply { "↩ " } else { "" };
        s.push_str(&format!(
            "  {:>2}. {reply}{} → {}: {}\n      {}\n",
            i + 1,
            h.from,
            h.to,
            h.rule,
            h.explanation
        ));
    }
    s
}

pub fn trace(console: &Console, args: &[String]) -> Output {
    let flows = console.cluster.network().flows();
    let flow = match args.first() {
        None => flows.last(),
        Some(id) => match id.trim_start_matches('#').parse::<u64>() {
            Ok(n) => match flows.get(n) {
                Some(f) => Some(f),
                None if n <= flows.last_id() => {
                    return Output::fail(format!(
                        "sim trace: flow #{n} is older than the {} kept; its requests are still in `sim traffic counts`",
                        crate::sim::network::flow::RECENT_FLOWS
                    ))
                }
                None => return Output::fail(format!("sim trace: no flow #{n} yet")),
            },
            Err(_) => return Output::fail(format!("sim trace: invalid flow id \"{id}\"")),
        },
    };
    match flow {
        Some(f) => Output::ok(format_flow(f)),
        None => Output::ok(
            "No flows yet: send a request (curl, kubectl exec … -- wget/nslookup, sim traffic).\n",
        ),
    }
}

pub fn traffic(console: &mut Console, args: &[String]) -> Output {
    match args.first().map(String::as_str) {
        Some("start") => start(console, &args[1..]),
        Some("list") | None => list(console),
        Some("stop") => {
            let which = match args.get(1).map(String::as_str) {
                Some("all") => None,
                Some(id) => match id.parse::<u32>() {
                    Ok(n) => Some(n),
                    Err(_) => {
                        return Output::fail(format!(
                            "sim traffic stop: invalid generator id \"{id}\""
                        ))
                    }
                },
                None => return Output::fail("sim traffic stop: expected a generator ID or all"),
            };
            let n = crate::sim::network::traffic::stop(&mut console.cluster, which);
            match (n, which) {
                (0, Some(id)) => Output::fail(format!("sim traffic stop: no generator {id}")),
                (n, _) => Output::ok(format!(
                    "stopped {n} generator{}\n",
                    if n == 1 { "" } else { "s" }
                )),
            }
        }
        Some("counts") => counts(console),
        Some(other) => Output::fail(format!("sim traffic: unknown command \"{other}\"\n{USAGE}")),
    }
}

fn start(console: &mut Console, args: &[String]) -> Output {
    let mut from = "laptop".to_string();
    let mut rate: u32 = 10;
    let mut keepalive = false;
    let mut url = None;
    let mut i = 0;
    while i < args.len() {
        let flag = args[i].as_str();
        if matches!(flag, "--from" | "--rate" | "--to") && i + 1 == args.len() {
            return Output::fail(format!("sim traffic start: flag needs an argument: {flag}"));
        }
        match flag {
            "--from" => {
                i += 1;
                from = args[i].clone();
            }
            "--rate" => {
                i += 1;
                let v = args[i].clone();
                match v.trim_end_matches("/s").parse::<u32>() {
                    Ok(r) if (1..=1000).contains(&r) => rate = r,
                    _ => return Output::fail(format!("sim traffic start: --rate must be 1 to 1000 requests a second, not \"{v}\"")),
                }
            }
            "--keepalive" => keepalive = true,
            "--to" => {
                i += 1;
                url = args.get(i).cloned();
            }
            s if s.starts_with("--") => {
                return Output::fail(format!("sim traffic start: unknown flag {s}"))
            }
            s => url = Some(s.to_string()),
        }
        i += 1;
    }
    let Some(raw) = url else {
        return Output::fail("sim traffic start: expected a URL, e.g. sim traffic start --from internet --rate 20 http://172.18.0.3:30007/");
    };
    let parsed = match request::parse_url(&raw) {
        Ok(u) => u,
        Err(e) => {
            return Output::fail(format!(
                "sim traffic start: bad URL \"{raw}\": {}",
                e.message()
            ))
        }
    };
    let client = match from.as_str() {
        "laptop" => Client::Laptop,
        "internet" => Client::Internet {
            ip: "203.0.113.10".into(),
        },
        other => {
            let name = other.strip_prefix("pod/").unwrap_or(other);
            let ns = console.namespace.clone();
            let rt = console
                .cluster
                .registry()
                .resolve("pods")
                .cloned()
                .expect("built in");
            if console.cluster.get(&rt, &ns, name).is_err() {
                return Output::fail(format!(
                    "sim traffic start: Error from server (NotFound): pods \"{name}\" not found"
                ));
            }
            Client::Pod {
                namespace: ns,
                name: name.to_string(),
            }
        }
    };
    let shown_from = match &client {
        Client::Pod { name, .. } => format!("pod/{name}"),
        _ => from.clone(),
    };
    let id = crate::sim::network::traffic::start(
        &mut console.cluster,
        client,
        shown_from,
        parsed,
        rate,
        keepalive,
    );
    Output::ok(format!(
        "generator {id}: {rate} requests/s from {from} to {raw}{} (sim traffic stop {id})\n",
        if keepalive {
            " on one keep-alive connection"
        } else {
            ""
        }
    ))
}

fn list(console: &Console) -> Output {
    let gens = console.cluster.network().generators();
    if gens.is_empty() {
        return Output::ok("No traffic generators running.\n");
    }
    let mut rows = vec![vec![
        "ID".to_string(),
        "FROM".into(),
        "TO".into(),
        "RATE".into(),
        "SENT".into(),
        "ANSWERED".into(),
        "FAILED".into(),
    ]];
    for g in gens {
        rows.push(vec![
            g.id.to_string(),
            g.from.clone(),
            format!(
                "{}://{}:{}{}",
                g.url.scheme, g.url.host, g.url.port, g.url.path
            ),
            format!(
                "{}/s{}",
                g.rate,
                if g.keepalive { " keep-alive" } else { "" }
            ),
            g.sent.to_string(),
            g.answered.to_string(),
            g.failed.to_string(),
        ]);
    }
    Output::ok(render(&rows))
}

fn counts(console: &Console) -> Output {
    let flows = console.cluster.network().flows();
    let all = flows.all_endpoint_counts();
    if all.is_empty() {
        return Output::ok("No requests answered through a Service yet.\n");
    }
    let mut rows = vec![vec![
        "SERVICE".to_string(),
        "ENDPOINT".into(),
        "REQUESTS".into(),
        "SHARE".into(),
    ]];
    for (svc, pods) in all {
        let total: u64 = pods.values().sum();
        for (pod, n) in pods {
            rows.push(vec![
                svc.clone(),
                pod.clone(),
                n.to_string(),
                format!("{:.1}%", *n as f64 * 100.0 / total.max(1) as f64),
            ]);
        }
    }
    Output::ok(render(&rows))
}

pub fn forwards(console: &mut Console, args: &[String]) -> Output {
    match (args.first().map(String::as_str), args.get(1)) {
        (None, _) => {
            let fwds = console.cluster.network().forwards();
            if fwds.is_empty() {
                return Output::ok("No port-forwards open.\n");
            }
            let mut rows = vec![vec![
                "LOCAL".to_string(),
                "TARGET".into(),
                "POD".into(),
                "REMOTE".into(),
            ]];
            for (local, f) in fwds {
                rows.push(vec![
                    format!("127.0.0.1:{local}"),
                    f.target.clone(),
                    format!("{}/{}", f.namespace, f.pod),
                    f.remote_port.to_string(),
                ]);
            }
            Output::ok(render(&rows))
        }
        (Some("stop"), Some(which)) => {
            let forwards = &mut console.cluster.network.forwards;
            if which == "all" {
                let n = forwards.len();
                forwards.clear();
                return Output::ok(format!(
                    "closed {n} port-forward{}\n",
                    if n == 1 { "" } else { "s" }
                ));
            }
            let Ok(port) = which.parse::<u16>() else {
                return Output::fail(format!("sim forwards stop: invalid port \"{which}\""));
            };
            match forwards.remove(&port) {
                Some(_) => Output::ok(format!("closed the port-forward on 127.0.0.1:{port}\n")),
                None => Output::fail(format!("sim forwards stop: no port-forward on port {port}")),
            }
        }
        _ => Output::fail(format!(
            "sim forwards: expected nothing, `stop PORT` or `stop all`\n{USAGE}"
        )),
    }
}

/// Rows as a kubectl-style table (three spaces between columns).
fn render(rows: &[Vec<String>]) -> String {
    let text: String = rows.iter().map(|r| format!("{}\n", r.join("\t"))).collect();
    tabwriter::TABLE.format(&text)
}
