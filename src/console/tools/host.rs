//! bind's `host` in a pod (dnsutils, netshoot; `bin/dig/host.c`): the search list
//! walked with `ndots:5`, then one line per record — `example.default.svc.cluster.local
//! has address 10.96.114.63`, `… is an alias for …`, `… has SRV record 0 50 80 …` — and
//! `Host example not found: 3(NXDOMAIN)` (exit code 1) when the search runs out. Without
//! `-t`, an A lookup that succeeds is followed by AAAA and MX lookups of the same name,
//! which a Kubernetes name answers with nothing.

use super::pod_tools::{exited, PodContext};
use super::resolver::{converse, name_error, reachable_server, search};
use crate::console::output::Output;
use crate::sim::network::dns::{self, Answer, QType, Rcode, Rdata};
use crate::sim::Cluster;

const USAGE: &str = "Usage: host [-aCdilrTvVw] [-c class] [-N ndots] [-t type] [-W time]
            [-R number] [-m flag] [-p port] hostname [server]
       -a is equivalent to -v -t ANY
       -A is like -a but omits RRSIG, NSEC, NSEC3
       -c specifies query class for non-IN data
       -C compares SOA records on authoritative nameservers
       -d is equivalent to -v
       -l lists all hosts in a domain, using AXFR
       -m set memory debugging flag (trace|record|usage)
       -N changes the number of dots allowed before root lookup is done
       -p specifies the port on the server to query
       -r disables recursive processing
       -R specifies number of retries for UDP packets
       -s a SERVFAIL response should stop query
       -t specifies the query type
       -T enables TCP/IP mode
       -U enables UDP mode
       -v enables verbose output
       -V print version number and exit
       -w specifies to wait forever for a reply
       -W specifies how long to wait for a reply
       -4 use IPv4 query transport only
       -6 use IPv6 query transport only";

pub fn run(cluster: &mut Cluster, ctx: &PodContext, args: &[String]) -> Output {
    let mut qtype: Option<QType> = None;
    let mut positional: Vec<&String> = vec![];
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        match a.as_str() {
            "-t" | "-c" | "-W" | "-R" | "-N" | "-m" | "-p" => {
                let Some(v) = args.get(i) else {
                    return exited(Output::fail(USAGE), 1);
                };
                i += 1;
                if a == "-t" {
                    match QType::parse(v) {
                        Some(t) => qtype = Some(t),
                        None => return exited(Output::fail(format!("host: invalid type: {v}")), 1),
                    }
                }
            }
            "-a" | "-A" => qtype = Some(QType::Any),
            s if s.starts_with('-') && s.len() > 1 => {}
            _ => positional.push(a),
        }
    }
    let Some(host) = positional.first() else {
        return exited(Output::fail(USAGE), 1);
    };
    let mut out = Output::default();
    if let Some(server) = positional
        .get(1)
        .map(|s| s.as_str())
        .or(Some(ctx.resolv.nameserver()))
    {
        if !reachable_server(cluster, server) {
            out.out(";; connection timed out; no servers could be reached\n");
            return exited(out, 1);
        }
    }
    if let Some(why) = name_error(host) {
        out.err(format!("host: '{host}' is not a legal name ({why})"));
        return exited(out, 1);
    }
    let reverse = dns::is_ipv4(host) && qtype.is_none();
    let names: Vec<String> = if reverse {
        let mut parts: Vec<&str> = host.split('.').collect();
        parts.reverse();
        vec![format!("{}.in-addr.arpa.", parts.join("."))]
    } else {
        ctx.resolv.search_names(host)
    };
    let first_type = match (qtype, reverse) {
        (Some(t), _) => t,
        (None, true) => QType::Ptr,
        (None, false) => QType::A,
    };
    let default_lookups = qtype.is_none() && !reverse;
    let intro = dns::search_explanation(host, &names, ctx.resolv.ndots());
    let result = converse(
        cluster,
        ctx,
        &intro,
        &format!("host {host}"),
        |cluster, session| {
            let asked = search(cluster, session, &names, first_type);
            let (name, answer) = asked.last().cloned().expect("never empty");
            let mut more = vec![];
            if default_lookups && answer.rcode == Rcode::NoError {
                // Add AAAA and MX lookups, on the name the CNAME chain ends at.
                let chased = answer
                    .records
                    .iter()
                    .rev()
                    .find_map(|r| match &r.data {
                        Rdata::Cname(t) => Some(t.trim_end_matches('.').to_string()),
                        _ => None,
                    })
                    .unwrap_or(name.clone());
                for t in [QType::Aaaa, QType::Mx] {
                    more.push((chased.clone(), t, session.ask(cluster, &chased, t)));
                }
            }
            (name, answer, more)
        },
    );
    let Some((name, answer, more)) = result else {
        out.out(format!(
            ";; communications error to {}#53: connection refused\n;; no servers could be reached\n",
            dns::CLUSTER_DNS_IP
        ));
        return exited(out, 1);
    };
    let text_name = if reverse {
        names[0].clone()
    } else {
        host.to_string()
    };
    let mut failed = print(
        &mut out,
        &text_name,
        &name,
        &answer,
        first_type,
        default_lookups,
    );
    for (n, t, a) in &more {
        failed |= print(&mut out, n, n, a, *t, true);
    }
    exited(out, i32::from(failed))
}

/// `printmessage` in short form: returns whether it reported an error.
fn print(
    out: &mut Output,
    text_name: &str,
    name: &str,
    answer: &Answer,
    qtype: QType,
    default_lookups: bool,
) -> bool {
    if answer.rcode != Rcode::NoError {
        out.out(format!(
            "Host {text_name} not found: {}({})\n",
            answer.rcode.code(),
            answer.rcode.as_str()
        ));
        return true;
    }
    for r in &answer.records {
        let owner = r.name.trim_end_matches('.');
        let line = match &r.data {
            Rdata::A(ip) => format!("{owner} has address {ip}"),
            Rdata::Cname(t) => format!("{owner} is an alias for {t}"),
            Rdata::Ptr(t) => format!("{owner} domain name pointer {t}"),
            Rdata::Txt(_) => format!("{owner} descriptive text {}", r.data.to_text()),
            other => format!(
                "{owner} has {} record {}",
                other.qtype().as_str(),
                other.to_text()
            ),
        };
        out.out(format!("{line}\n"));
    }
    if answer.records.is_empty() && !default_lookups {
        out.out(format!("{name} has no {} record\n", qtype.as_str()));
    }
    false
}
