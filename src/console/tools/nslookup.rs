//! `nslookup` in a pod, in the two versions images carry:
//!
//! - busybox's applet (busybox, alpine, curlimages; `networking/nslookup.c`, the
//!   FEATURE_NSLOOKUP_BIG resolver of busybox ≥ 1.28.4): a name without a dot is sent
//!   once per search domain — never as is — and a name with a dot is sent only as is;
//!   A and AAAA go out together and every reply is printed, failures included
//!   (`** server can't find example.svc.cluster.local: NXDOMAIN`), and one failure makes
//!   the exit code 1. `Address:\t10.96.0.10:53`.
//! - bind's (dnsutils, netshoot): the search list walked in order until an answer,
//!   `Address:\t10.96.0.10#53`, failures named by what the user typed.

use super::pod_tools::{exited, Flavor, PodContext};
use super::resolver::{converse, name_error, reachable_server, search, valid_name};
use crate::console::output::Output;
use crate::sim::network::dns::{self, Answer, QType, Rcode, Rdata, Session};
use crate::sim::Cluster;

pub fn run(cluster: &mut Cluster, ctx: &PodContext, args: &[String]) -> Output {
    match ctx.toolkit.flavor {
        Flavor::Busybox if legacy_busybox(ctx) => busybox_legacy(cluster, ctx, args),
        Flavor::Busybox => busybox(cluster, ctx, args),
        Flavor::Bind => bind(cluster, ctx, args),
    }
}

/// busybox before 1.28.4 (the `busybox:1.28` of the Kubernetes docs, registry.k8s.io's
/// busybox) has the small nslookup that asks the C library: search list included, and
/// each address named by a reverse lookup.
fn legacy_busybox(ctx: &PodContext) -> bool {
    let tag = ctx.image.tag_or_latest();
    ctx.image.short_name() == "busybox"
        && (ctx.image.domain == "registry.k8s.io"
            || ["1.24", "1.27", "1.27.2", "1.28"].contains(&tag))
}

/// The name a PTR lookup gives an address (`getnameinfo`), if any.
fn reverse(cluster: &mut Cluster, session: &mut Session, ip: &str) -> Option<String> {
    session
        .ask(cluster, &ptr_name(ip), QType::Ptr)
        .records
        .iter()
        .find_map(|r| match &r.data {
            Rdata::Ptr(t) => Some(t.trim_end_matches('.').to_string()),
            _ => None,
        })
}

/// The pre-1.28.4 applet: `print_host` for the server, then for the name, each address
/// with the name its PTR record gives; `nslookup: can't resolve 'x'` when none.
fn busybox_legacy(cluster: &mut Cluster, ctx: &PodContext, args: &[String]) -> Output {
    let (host, server) = match args {
        [h] if !h.starts_with('-') => (h.clone(), None),
        [h, s] if !h.starts_with('-') => (h.clone(), Some(s.clone())),
        _ => {
            return exited(
                Output::fail("BusyBox v1.28.4 (2018-05-22 17:00:17 UTC) multi-call binary.\n\nUsage: nslookup [HOST] [SERVER]\n\nQuery the nameserver for the IP address of the given HOST\noptionally using a specified DNS server"),
                1,
            )
        }
    };
    let server = server.unwrap_or_else(|| ctx.resolv.nameserver().to_string());
    let mut out = Output::default();
    if !reachable_server(cluster, &server) {
        out.err(format!("nslookup: can't resolve '{host}'"));
        return exited(out, 1);
    }
    let names: Vec<String> = if dns::is_ipv4(&host) {
        vec![]
    } else {
        ctx.resolv.search_names(&host)
    };
    let intro = dns::search_explanation(&host, &names, ctx.resolv.ndots());
    let talk = converse(
        cluster,
        ctx,
        &intro,
        &format!("nslookup {host}"),
        |cluster, session| {
            let server_name = reverse(cluster, session, &server);
            let addresses: Vec<String> = if names.is_empty() {
                vec![host.clone()]
            } else {
                let asked = search(cluster, session, &names, QType::A);
                asked
                    .last()
                    .map(|(_, a)| {
                        a.records
                            .iter()
                            .filter_map(|r| match &r.data {
                                Rdata::A(ip) => Some(ip.clone()),
                                _ => None,
                            })
                            .collect()
                    })
                    .unwrap_or_default()
            };
            let named: Vec<(String, Option<String>)> = addresses
                .into_iter()
                .map(|ip| {
                    let name = reverse(cluster, session, &ip);
                    (ip, name)
                })
                .collect();
            (server_name, named)
        },
    );
    let Some((server_name, addresses)) = talk else {
        out.err(format!("nslookup: can't resolve '{host}'"));
        return exited(out, 1);
    };
    let print_host =
        |out: &mut Output, header: &str, name: &str, list: &[(String, Option<String>)]| {
            out.out(format!("{header:<10} {name}\n"));
            for (i, (ip, rev)) in list.iter().enumerate() {
                match rev {
                    Some(r) => out.out(format!("Address {}: {ip} {r}\n", i + 1)),
                    None => out.out(format!("Address {}: {ip}\n", i + 1)),
                }
            }
        };
    print_host(
        &mut out,
        "Server:",
        &server,
        &[(server.clone(), server_name)],
    );
    out.out("\n");
    if addresses.is_empty() {
        out.error(format!("nslookup: can't resolve '{host}'"));
        return exited(out, 1);
    }
    print_host(&mut out, "Name:", &host, &addresses);
    out
}

const BUSYBOX_USAGE: &str = "BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.

Usage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]

Query DNS about HOST

QUERY_TYPE: soa,ns,a,aaaa,cname,mx,txt,ptr,srv,any";

/// The PTR name for an IPv4 address (`make_ptr`).
fn ptr_name(ip: &str) -> String {
    let mut parts: Vec<&str> = ip.split('.').collect();
    parts.reverse();
    format!("{}.in-addr.arpa", parts.join("."))
}

fn busybox(cluster: &mut Cluster, ctx: &PodContext, args: &[String]) -> Output {
    let usage = || exited(Output::fail(BUSYBOX_USAGE), 1);
    let mut types: Vec<QType> = vec![];
    let mut rest = args;
    while let Some(arg) = rest.first().filter(|a| a.starts_with('-')) {
        let body = &arg[1..];
        let (option, value) = body.split_once('=').unwrap_or((body, ""));
        match option {
            "type" | "querytype" => match QType::parse(value) {
                Some(t) => types.push(t),
                None => {
                    return exited(
                        Output::fail(format!("nslookup: invalid query type \"{value}\"")),
                        1,
                    )
                }
            },
            "port" | "retry" | "debug" | "t" | "timeout" => {}
            _ => return usage(),
        }
        rest = &rest[1..];
    }
    let (host, server) = match rest {
        [host] => (host, None),
        [host, server] => (host, Some(server)),
        _ => return usage(),
    };
    let mut out = Output::default();
    if let Some(server) = server.map(String::as_str).or(Some(ctx.resolv.nameserver())) {
        if !reachable_server(cluster, server) {
            out.out(";; connection timed out; no servers could be reached\n\n");
            return exited(out, 1);
        }
    }
    let search = ctx.resolv.searches.clone();
    let expand = |name: &str| -> Vec<String> {
        if name.contains('.') {
            vec![name.to_string()]
        } else {
            search.iter().map(|d| format!("{name}.{d}")).collect()
        }
    };
    let mut questions: Vec<(String, QType)> = vec![];
    if types.is_empty() {
        if dns::is_ipv4(host) {
            questions.push((ptr_name(host), QType::Ptr));
        } else {
            for t in [QType::A, QType::Aaaa] {
                questions.extend(expand(host).into_iter().map(|n| (n, t)));
            }
        }
    } else {
        for t in types {
            let names = if t == QType::Ptr {
                vec![host.to_string()]
            } else {
                expand(host)
            };
            questions.extend(names.into_iter().map(|n| (n, t)));
        }
    }
    if !valid_name(host) {
        // res_mkquery refuses the name: no packet, and nothing to say but the exit code.
        return exited(out, 1);
    }
    let intro = if host.contains('.') {
        format!("busybox nslookup: {host} has a dot, so it is asked as is (busybox skips the search list)")
    } else {
        format!(
            "busybox nslookup: {host} has no dot: asked once per search domain ({}), A and AAAA together",
            search.join(", ")
        )
    };
    let answers = converse(
        cluster,
        ctx,
        &intro,
        &format!("nslookup {host}"),
        |cluster, session| {
            questions
                .iter()
                .map(|(name, t)| (name.clone(), session.ask(cluster, name, *t)))
                .collect::<Vec<_>>()
        },
    );
    let Some(answers) = answers else {
        out.err("nslookup: read: Connection refused");
        out.out(";; connection timed out; no servers could be reached\n\n");
        return exited(out, 1);
    };
    out.out(format!(
        "Server:\t\t{}\nAddress:\t{}:53\n\n",
        dns::CLUSTER_DNS_IP,
        dns::CLUSTER_DNS_IP
    ));
    let mut failed = false;
    for (name, answer) in &answers {
        if answer.rcode != Rcode::NoError {
            out.out(format!(
                "** server can't find {name}: {}\n",
                answer.rcode.as_str()
            ));
            failed = true;
        } else {
            if !answer.authoritative {
                out.out("Non-authoritative answer:\n");
            }
            out.out(busybox_records(answer));
        }
        out.out("\n");
    }
    exited(out, i32::from(failed))
}

/// `parse_reply`'s lines for the answer section.
fn busybox_records(answer: &Answer) -> String {
    let mut s = String::new();
    for r in &answer.records {
        let name = r.name.trim_end_matches('.');
        let bare = |t: &str| t.trim_end_matches('.').to_string();
        s.push_str(&match &r.data {
            Rdata::A(ip) => format!("Name:\t{name}\nAddress: {ip}\n"),
            Rdata::Cname(t) => format!("{name}\tcanonical name = {}\n", bare(t)),
            Rdata::Ptr(t) => format!("{name}\tname = {}\n", bare(t)),
            Rdata::Txt(t) => format!("{name}\ttext = \"{t}\"\n"),
            Rdata::Srv {
                priority,
                weight,
                port,
                target,
            } => format!(
                "{name}\tservice = {priority} {weight} {port} {}\n",
                bare(target)
            ),
            Rdata::Soa { .. } => String::new(),
        });
    }
    s
}

fn bind(cluster: &mut Cluster, ctx: &PodContext, args: &[String]) -> Output {
    let mut qtype: Option<QType> = None;
    let mut positional: Vec<&String> = vec![];
    let mut out = Output::default();
    for arg in args {
        if let Some(body) = arg.strip_prefix('-') {
            let (option, value) = body.split_once('=').unwrap_or((body, ""));
            match option {
                "type" | "ty" | "querytype" | "query" | "qu" | "q" => match QType::parse(value) {
                    Some(t) => qtype = Some(t),
                    None => out.out(format!("unknown query type: {value}\n")),
                },
                _ => {}
            }
        } else {
            positional.push(arg);
        }
    }
    let Some(host) = positional.first() else {
        let mut o = Output::default();
        o.err("kubesim: bind's nslookup without a name starts its interactive mode, which cannot run in this console; give a name: nslookup kubernetes");
        return o;
    };
    if let Some(server) = positional
        .get(1)
        .map(|s| s.as_str())
        .or(Some(ctx.resolv.nameserver()))
    {
        if !reachable_server(cluster, server) {
            out.out(";; connection timed out; no servers could be reached\n\n\n");
            return exited(out, 1);
        }
    }
    if let Some(why) = name_error(host) {
        out.err(format!("'{host}' is not a legal name ({why})"));
        return exited(out, 1);
    }
    let reverse = dns::is_ipv4(host) && qtype.is_none();
    let names: Vec<String> = if reverse {
        vec![ptr_name(host)]
    } else {
        ctx.resolv.search_names(host)
    };
    let types: Vec<QType> = match qtype {
        Some(t) => vec![t],
        None if reverse => vec![QType::Ptr],
        None => vec![QType::A, QType::Aaaa],
    };
    let intro = dns::search_explanation(host, &names, ctx.resolv.ndots());
    let results = converse(
        cluster,
        ctx,
        &intro,
        &format!("nslookup {host}"),
        |cluster, session| {
            let first = search(cluster, session, &names, types[0]);
            let found = first.last().map(|(n, _)| n.clone()).unwrap_or_default();
            let mut rest = vec![];
            if first.last().is_some_and(|(_, a)| a.rcode == Rcode::NoError) {
                for t in &types[1..] {
                    rest.push(session.ask(cluster, &found, *t));
                }
            }
            (first, rest)
        },
    );
    let Some((first, rest)) = results else {
        out.out(format!(
            ";; communications error to {}#53: connection refused\n;; no servers could be reached\n\n\n",
            dns::CLUSTER_DNS_IP
        ));
        return exited(out, 1);
    };
    out.out(format!(
        "Server:\t\t{}\nAddress:\t{}#53\n\n",
        dns::CLUSTER_DNS_IP,
        dns::CLUSTER_DNS_IP
    ));
    let (name, answer) = first.last().expect("the search list is never empty");
    if answer.rcode != Rcode::NoError {
        out.out(format!(
            "** server can't find {host}: {}\n\n",
            answer.rcode.as_str()
        ));
        return exited(out, 1);
    }
    let mut printed = false;
    for a in std::iter::once(answer).chain(rest.iter()) {
        if !a.records.is_empty() && !a.authoritative {
            out.out("Non-authoritative answer:\n");
        }
        let text = bind_records(a);
        printed |= !text.is_empty();
        out.out(text);
    }
    if !printed {
        out.out(format!("*** Can't find {name}: No answer\n"));
    }
    out.out("\n");
    exited(out, 0)
}

/// bind nslookup's answer lines (targets keep their trailing dot).
fn bind_records(answer: &Answer) -> String {
    let mut s = String::new();
    for r in &answer.records {
        let name = r.name.trim_end_matches('.');
        s.push_str(&match &r.data {
            Rdata::A(ip) => format!("Name:\t{name}\nAddress: {ip}\n"),
            Rdata::Cname(t) => format!("{name}\tcanonical name = {t}\n"),
            Rdata::Ptr(t) => format!("{}\tname = {t}\n", name),
            Rdata::Txt(t) => format!("{name}\ttext = \"{t}\"\n"),
            Rdata::Srv {
                priority,
                weight,
                port,
                target,
            } => format!("{name}\tservice = {priority} {weight} {port} {target}\n"),
            Rdata::Soa { .. } => String::new(),
        });
    }
    s
}
