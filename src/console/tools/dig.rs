//! bind's `dig` in a pod (dnsutils, netshoot), in the layout of BIND 9.18: the header
//! with CoreDNS's flags (`qr aa rd`, and the warning that recursion is not available for
//! its own zone), the `.local` mDNS warning, OPT pseudosection with the echoed cookie,
//! the sections in master-file columns (name, then TTL at column 24, class 32, type 40,
//! data 48, tab-aligned), and the statistics. `+short`, `+search`, `+noall +answer`,
//! `-t TYPE` / a type word, `-x ADDR`, `@server`.
//!
//! dig does not use the search list unless told (`+search`): `dig example` asks for
//! `example.`, which leaves the cluster.

use super::pod_tools::{exited, PodContext};
use super::resolver::{converse, name_error, reachable_server, search};
use crate::console::output::Output;
use crate::sim::network::dns::{self, Answer, QType, Record};
use crate::sim::time::{rfc3339, Millis};
use crate::sim::Cluster;

const VERSION: &str = "9.18.24";

/// Which parts to print (`+[no]cmd`, `+[no]question`, …; `+noall` clears them).
#[derive(Debug, Clone, Copy)]
struct Show {
    cmd: bool,
    comments: bool,
    question: bool,
    answer: bool,
    authority: bool,
    additional: bool,
    stats: bool,
    short: bool,
    search: bool,
}

impl Default for Show {
    fn default() -> Self {
        Show {
            cmd: true,
            comments: true,
            question: true,
            answer: true,
            authority: true,
            additional: true,
            stats: true,
            short: false,
            search: false,
        }
    }
}

struct Query {
    name: Option<String>,
    qtype: Option<QType>,
    server: Option<String>,
    show: Show,
}

fn parse(args: &[String]) -> Result<Query, String> {
    let mut q = Query {
        name: None,
        qtype: None,
        server: None,
        show: Show::default(),
    };
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        i += 1;
        if let Some(server) = a.strip_prefix('@') {
            q.server = Some(server.to_string());
        } else if let Some(option) = a.strip_prefix('+') {
            set_option(&mut q.show, option)?;
        } else if a == "-t" || a == "-x" || a == "-q" || a == "-p" || a == "-c" {
            let v = args
                .get(i)
                .ok_or_else(|| format!("dig: option requires an argument -- '{}'", &a[1..]))?;
            i += 1;
            match a {
                "-t" => {
                    q.qtype = Some(
                        QType::parse(v).ok_or_else(|| format!("dig: '{v}' is not a valid type"))?,
                    )
                }
                "-x" => {
                    if !dns::is_ipv4(v) {
                        return Err(format!("dig: '{v}' is not a legal IPv4 address"));
                    }
                    let mut parts: Vec<&str> = v.split('.').collect();
                    parts.reverse();
                    q.name = Some(format!("{}.in-addr.arpa.", parts.join(".")));
                    q.qtype = Some(QType::Ptr);
                }
                "-q" => q.name = Some(v.clone()),
                _ => {}
            }
        } else if a.starts_with('-') && a.len() > 1 {
            // -4, -6, -u, … change nothing a learner sees here.
        } else if q.qtype.is_none() && QType::parse(a).is_some() {
            // A type word is a type wherever it stands (`dig SRV name`, `dig name SRV`).
            q.qtype = QType::parse(a);
        } else if a.eq_ignore_ascii_case("IN") {
        } else if q.name.is_none() {
            q.name = Some(a.to_string());
        }
    }
    Ok(q)
}

fn set_option(show: &mut Show, option: &str) -> Result<(), String> {
    let (on, name) = match option.strip_prefix("no") {
        Some(rest) => (false, rest),
        None => (true, option),
    };
    let name = name.split('=').next().unwrap_or(name);
    match name {
        "all" => {
            show.cmd = on;
            show.comments = on;
            show.question = on;
            show.answer = on;
            show.authority = on;
            show.additional = on;
            show.stats = on;
        }
        "cmd" => show.cmd = on,
        "comments" => show.comments = on,
        "question" => show.question = on,
        "answer" => show.answer = on,
        "authority" => show.authority = on,
        "additional" => show.additional = on,
        "stats" => show.stats = on,
        "short" => show.short = on,
        "search" => show.search = on,
        "recurse" | "tcp" | "vc" | "time" | "tries" | "retry" | "cookie" | "edns" | "ttlid"
        | "identify" | "multiline" | "trace" | "dnssec" => {}
        _ => return Err(format!("Invalid option: +{option}")),
    }
    Ok(())
}

pub fn run(cluster: &mut Cluster, ctx: &PodContext, args: &[String]) -> Output {
    let q = match parse(args) {
        Ok(q) => q,
        Err(e) => {
            let mut o = Output::fail(e);
            o.err("Usage:  dig [@global-server] [domain] [q-type] [q-class] {q-opt}\n            {global-d-opt} host [@local-server] {local-d-opt}\n            [ host [@local-server] {local-d-opt} [...]]\n\nUse \"dig -h\" (or \"dig -h | more\") for complete list of options");
            return exited(o, 1);
        }
    };
    let name = q.name.clone().unwrap_or_else(|| ".".to_string());
    let qtype = q.qtype.unwrap_or(if q.name.is_none() {
        QType::Ns
    } else {
        QType::A
    });
    let mut out = Output::default();
    let cmdline = args.join(" ");
    if q.show.cmd && !q.show.short {
        out.out(format!(
            "\n; <<>> DiG {VERSION} <<>> {cmdline}\n;; global options: +cmd\n"
        ));
    }
    let server = q
        .server
        .clone()
        .unwrap_or(ctx.resolv.nameserver().to_string());
    if let Some(why) = name_error(&name).filter(|_| name != ".") {
        out.err(format!("dig: '{name}' is not a legal name ({why})"));
        return exited(out, 10);
    }
    if !reachable_server(cluster, &server) {
        out.out(";; connection timed out; no servers could be reached\n");
        return exited(out, 9);
    }
    let names: Vec<String> = if q.show.search && !name.ends_with('.') {
        ctx.resolv.search_names(&name)
    } else {
        vec![format!("{}.", name.trim_end_matches('.'))]
    };
    let intro = if q.show.search {
        dns::search_explanation(&name, &names, ctx.resolv.ndots())
    } else {
        format!(
            "dig does not use the search list (+nosearch is its default): asks {} as typed",
            names[0]
        )
    };
    let ids = (cluster.rng.below(65536), cluster.rng.next_u64());
    let result = converse(
        cluster,
        ctx,
        &intro,
        &format!("dig {name}"),
        |cluster, s| search(cluster, s, &names, qtype),
    );
    let Some(asked) = result else {
        out.out(format!(
            ";; communications error to {server}#53: connection refused\n;; communications error to {server}#53: connection refused\n;; communications error to {server}#53: connection refused\n\n; <<>> DiG {VERSION} <<>> {cmdline}\n;; global options: +cmd\n;; no servers could be reached\n"
        ));
        return exited(out, 9);
    };
    let (asked_name, answer) = asked.last().expect("never empty");
    if q.show.short {
        for r in &answer.records {
            out.out(format!("{}\n", r.data.to_text()));
        }
        return out;
    }
    out.out(message(
        &q.show,
        &format!("{asked_name}."),
        qtype,
        answer,
        ids,
        &server,
        cluster.now(),
    ));
    out
}

/// The reply as dig prints it.
fn message(
    show: &Show,
    qname: &str,
    qtype: QType,
    a: &Answer,
    (id, cookie): (u64, u64),
    server: &str,
    now: Millis,
) -> String {
    let mut s = String::new();
    if show.comments {
        s.push_str(";; Got answer:\n");
        if qname.trim_end_matches('.').ends_with(".local") {
            s.push_str(";; WARNING: .local is reserved for Multicast DNS\n;; You are currently testing what happens when an mDNS query is leaked to DNS\n");
        }
        s.push_str(&format!(
            ";; ->>HEADER<<- opcode: QUERY, status: {}, id: {id}\n",
            a.rcode.as_str()
        ));
        let flags = if a.authoritative {
            "qr aa rd"
        } else {
            "qr rd ra"
        };
        s.push_str(&format!(
            ";; flags: {flags}; QUERY: 1, ANSWER: {}, AUTHORITY: {}, ADDITIONAL: {}\n",
            a.records.len(),
            a.authority.len(),
            a.additional.len() + 1
        ));
        if a.authoritative {
            s.push_str(";; WARNING: recursion requested but not available\n");
        }
        s.push_str(&format!(
            "\n;; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags:; udp: 1232\n; COOKIE: {cookie:016x} (echoed)\n"
        ));
    }
    if show.question {
        if show.comments {
            s.push_str(";; QUESTION SECTION:\n");
        }
        s.push_str(&question_line(qname, qtype));
    }
    for (on, title, records) in [
        (show.answer, "ANSWER", &a.records),
        (show.authority, "AUTHORITY", &a.authority),
        (show.additional, "ADDITIONAL", &a.additional),
    ] {
        if !on || records.is_empty() {
            continue;
        }
        if show.comments {
            s.push_str(&format!("\n;; {title} SECTION:\n"));
        }
        for r in records {
            s.push_str(&record_line(r));
        }
    }
    if show.stats {
        s.push_str(&format!(
            "\n;; Query time: 0 msec\n;; SERVER: {server}#53({server}) (UDP)\n;; WHEN: {}\n;; MSG SIZE  rcvd: {}\n\n",
            when(now),
            size(qname, a)
        ));
    } else if show.comments {
        s.push('\n');
    }
    s
}

/// Moves the output column to `to` as bind's masterdump does: tabs when short of it, a
/// single space when already past it.
fn indent(line: &mut String, column: &mut usize, to: usize) {
    if *column >= to {
        line.push(' ');
        *column += 1;
        return;
    }
    for _ in 0..(to / 8 - *column / 8) {
        line.push('\t');
    }
    *column = to;
}

fn push(line: &mut String, column: &mut usize, text: &str) {
    line.push_str(text);
    *column += text.chars().count();
}

/// `;name.\t\t\tIN\tA` (no TTL column).
fn question_line(qname: &str, qtype: QType) -> String {
    let (mut line, mut col) = (String::new(), 0);
    push(&mut line, &mut col, &format!(";{qname}"));
    indent(&mut line, &mut col, 32);
    push(&mut line, &mut col, "IN");
    indent(&mut line, &mut col, 40);
    push(&mut line, &mut col, qtype.as_str());
    line.push('\n');
    line
}

fn record_line(r: &Record) -> String {
    let (mut line, mut col) = (String::new(), 0);
    push(&mut line, &mut col, &r.name);
    indent(&mut line, &mut col, 24);
    push(&mut line, &mut col, &r.ttl.to_string());
    indent(&mut line, &mut col, 32);
    push(&mut line, &mut col, "IN");
    indent(&mut line, &mut col, 40);
    push(&mut line, &mut col, r.data.qtype().as_str());
    indent(&mut line, &mut col, 48);
    push(&mut line, &mut col, &r.data.to_text());
    line.push('\n');
    line
}

/// The length of a name on the wire, uncompressed (CoreDNS does not compress replies
/// this small): one length byte per label, the labels, the root byte.
fn wire_name(name: &str) -> usize {
    let n = name.trim_end_matches('.');
    if n.is_empty() {
        return 1;
    }
    n.split('.').map(|l| l.len() + 1).sum::<usize>() + 1
}

fn wire_rdata(r: &Record) -> usize {
    use dns::Rdata::*;
    match &r.data {
        A(_) => 4,
        Cname(t) | Ptr(t) => wire_name(t),
        Txt(t) => t.len() + 1,
        Srv { target, .. } => 6 + wire_name(target),
        Soa { mname, rname, .. } => wire_name(mname) + wire_name(rname) + 20,
    }
}

/// `MSG SIZE rcvd`: header, question, every record, and the OPT record with the
/// echoed 8-byte client cookie.
fn size(qname: &str, a: &Answer) -> usize {
    let records: usize = a
        .records
        .iter()
        .chain(&a.authority)
        .chain(&a.additional)
        .map(|r| wire_name(&r.name) + 10 + wire_rdata(r))
        .sum();
    12 + wire_name(qname) + 4 + records + 11 + 12
}

/// `Wed Oct 07 19:04:04 UTC 2026` from virtual time.
fn when(now: Millis) -> String {
    let stamp = rfc3339(now); // 2026-01-01T00:00:05Z
    let (date, time) = stamp
        .trim_end_matches('Z')
        .split_once('T')
        .unwrap_or(("", ""));
    let parts: Vec<i64> = date.split('-').filter_map(|p| p.parse().ok()).collect();
    let [y, m, d] = parts[..] else {
        return stamp;
    };
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    // Sakamoto's day of the week.
    let t = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
    let yy = if m < 3 { y - 1 } else { y };
    let dow = (yy + yy / 4 - yy / 100 + yy / 400 + t[(m - 1) as usize] + d) % 7;
    format!(
        "{} {} {d:02} {time} UTC {y}",
        DAYS[dow as usize],
        MONTHS[(m - 1) as usize]
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::network::dns::{Rcode, Rdata};

    fn rec(name: &str, data: Rdata) -> Record {
        Record {
            name: name.into(),
            ttl: 30,
            data,
        }
    }

    #[test]
    fn columns_as_bind_prints_them() {
        assert_eq!(
            record_line(&rec(
                "web-clusterip.default.svc.cluster.local.",
                Rdata::A("10.102.13.85".into())
            )),
            "web-clusterip.default.svc.cluster.local. 30 IN A 10.102.13.85\n"
        );
        assert_eq!(
            record_line(&rec("www.gqian.com.", Rdata::A("192.168.122.18".into()))),
            "www.gqian.com.\t\t30\tIN\tA\t192.168.122.18\n"
        );
        assert_eq!(
            question_line("www.gqian.com.", QType::A),
            ";www.gqian.com.\t\t\tIN\tA\n"
        );
        assert_eq!(
            question_line("web-clusterip.default.svc.cluster.local.", QType::A),
            ";web-clusterip.default.svc.cluster.local. IN A\n"
        );
    }

    #[test]
    fn message_size_matches_a_real_coredns_reply() {
        // dig web-clusterip.default.svc.cluster.local against CoreDNS: "MSG SIZE rcvd: 135".
        let a = Answer {
            rcode: Rcode::NoError,
            records: vec![rec(
                "web-clusterip.default.svc.cluster.local.",
                Rdata::A("10.102.13.85".into()),
            )],
            additional: vec![],
            authority: vec![],
            authoritative: true,
            explanation: String::new(),
        };
        assert_eq!(size("web-clusterip.default.svc.cluster.local.", &a), 135);
    }

    #[test]
    fn dates_as_date_prints_them() {
        assert_eq!(when(0), "Thu Jan 01 00:00:00 UTC 2026");
        assert_eq!(
            when(279 * 86_400_000 + 68_644_000),
            "Wed Oct 07 19:04:04 UTC 2026"
        );
    }
}
