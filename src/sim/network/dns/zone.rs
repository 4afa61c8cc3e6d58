//! The `kubernetes` plugin's answers for the `cluster.local` zone, rule by rule from the
//! Kubernetes DNS specification (kubernetes/dns `docs/specification.md` 1.1.0;
//! k8s-behaviour.md §8), plus the reverse zone and what happens to names outside it.
//!
//! Each answer carries a sentence saying which rule produced it, for the flow a learner
//! reads (`headless Service, 3 ready endpoints → 3 A records`).

use super::index::{Endpoint, Slice};
use super::{Answer, QType, Rcode, Rdata, Record, CLUSTER_DOMAIN, TTL};
use crate::sim::object;
use crate::sim::time::EPOCH_UNIX_SECONDS;
use crate::sim::Cluster;
use serde_json::Value;

/// What exists at one name: its records (every type), records for the additional
/// section, and why.
struct Node {
    exists: bool,
    records: Vec<Record>,
    additional: Vec<Record>,
    why: String,
}

impl Node {
    fn missing(why: impl Into<String>) -> Node {
        Node {
            exists: false,
            records: vec![],
            additional: vec![],
            why: why.into(),
        }
    }

    fn empty(why: impl Into<String>) -> Node {
        Node {
            exists: true,
            ..Node::missing(why)
        }
    }

    fn with(records: Vec<Record>, why: impl Into<String>) -> Node {
        Node {
            exists: true,
            records,
            additional: vec![],
            why: why.into(),
        }
    }
}

fn record(name: &str, data: Rdata) -> Record {
    Record {
        name: format!("{}.", name.trim_end_matches('.')),
        ttl: TTL,
        data,
    }
}

/// CoreDNS's answer for one name (lower-cased, trailing dot optional).
pub fn answer(cluster: &Cluster, name: &str, qtype: QType) -> Answer {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    if let Some(reversed) = name.strip_suffix(".in-addr.arpa") {
        return reverse(cluster, &name, reversed, qtype);
    }
    let in_zone = name == CLUSTER_DOMAIN || name.ends_with(&format!(".{CLUSTER_DOMAIN}"));
    if !in_zone {
        return upstream(&name);
    }
    let node = zone_node(cluster, &name);
    finish(cluster, &name, qtype, node)
}

/// Picks the records of the asked type from what exists at the name: NXDOMAIN for a
/// name that does not exist, NODATA (NOERROR, no records, the SOA in authority) for one
/// that exists without that type; a CNAME answers every type.
fn finish(cluster: &Cluster, name: &str, qtype: QType, node: Node) -> Answer {
    let soa = vec![soa(cluster)];
    if !node.exists {
        return Answer {
            rcode: Rcode::NxDomain,
            records: vec![],
            additional: vec![],
            authority: soa,
            authoritative: true,
            explanation: format!("{} → NXDOMAIN", node.why),
        };
    }
    let cname = node
        .records
        .iter()
        .find(|r| matches!(r.data, Rdata::Cname(_)))
        .cloned();
    let mut records: Vec<Record> = node
        .records
        .iter()
        .filter(|r| qtype == QType::Any || r.data.qtype() == qtype)
        .cloned()
        .collect();
    let mut explanation = node.why.clone();
    if records.is_empty() {
        if let Some(c) = cname {
            records.push(c.clone());
            if let Rdata::Cname(target) = &c.data {
                let target = target.trim_end_matches('.');
                if target.ends_with(CLUSTER_DOMAIN) && qtype != QType::Cname {
                    let chased = zone_node(cluster, target);
                    records.extend(
                        chased
                            .records
                            .into_iter()
                            .filter(|r| r.data.qtype() == qtype),
                    );
                } else {
                    explanation.push_str(&format!(
                        "; {target} is outside the cluster: CoreDNS would ask upstream (forward . /etc/resolv.conf), which the simulation does not reach"
                    ));
                }
            }
        }
    }
    let additional = if records.iter().any(|r| matches!(r.data, Rdata::Srv { .. })) {
        node.additional
    } else {
        vec![]
    };
    let summary = summarize(&records, qtype);
    let _ = name;
    Answer {
        rcode: Rcode::NoError,
        authority: if records.is_empty() { soa } else { vec![] },
        records,
        additional,
        authoritative: true,
        explanation: format!("{explanation} → {summary}"),
    }
}

/// `3 A records`, `1 SRV record`, `no AAAA record (NODATA)`.
fn summarize(records: &[Record], qtype: QType) -> String {
    if records.is_empty() {
        return format!("no {} record (NOERROR, empty answer)", qtype.as_str());
    }
    let mut counts: Vec<(&str, usize)> = vec![];
    for r in records {
        let t = r.data.qtype().as_str();
        match counts.iter_mut().find(|(n, _)| *n == t) {
            Some((_, c)) => *c += 1,
            None => counts.push((t, 1)),
        }
    }
    counts
        .iter()
        .map(|(t, c)| format!("{c} {t} record{}", if *c == 1 { "" } else { "s" }))
        .collect::<Vec<_>>()
        .join(" + ")
}

/// The zone's SOA, as CoreDNS builds it: serial = when the cluster's Services or
/// endpoints last changed (Unix seconds).
fn soa(cluster: &Cluster) -> Record {
    let serial = EPOCH_UNIX_SECONDS as u64 + cluster.network.dns.modified() / 1000;
    record(
        CLUSTER_DOMAIN,
        Rdata::Soa {
            mname: format!("ns.dns.{CLUSTER_DOMAIN}."),
            rname: format!("hostmaster.{CLUSTER_DOMAIN}."),
            serial: serial as u32,
            refresh: 7200,
            retry: 1800,
            expire: 86400,
            minimum: TTL,
        },
    )
}

/// What exists at a name inside `cluster.local`.
fn zone_node(cluster: &Cluster, name: &str) -> Node {
    let rest = name
        .strip_suffix(CLUSTER_DOMAIN)
        .unwrap_or(name)
        .trim_end_matches('.');
    let labels: Vec<&str> = if rest.is_empty() {
        vec![]
    } else {
        rest.split('.').collect()
    };
    match labels.as_slice() {
        [] => Node::empty("the zone apex cluster.local"),
        ["dns-version"] => Node::with(
            vec![record(name, Rdata::Txt("1.1.0".into()))],
            "DNS schema version (the specification's dns-version record)",
        ),
        ["svc"] => Node::empty("svc.cluster.local holds the Services"),
        [ns, "svc"] => namespace_node(cluster, ns),
        [svc, ns, "svc"] => service_node(cluster, name, ns, svc),
        [port, proto, svc, ns, "svc"] if port.starts_with('_') && proto.starts_with('_') => {
            srv_node(cluster, ns, svc, &port[1..], &proto[1..])
        }
        [endpoint, svc, ns, "svc"] => endpoint_node(cluster, name, ns, svc, endpoint),
        [dashed, ns, "pod"] => match undash(dashed) {
            Some(ip) => Node::with(
                vec![record(name, Rdata::A(ip))],
                format!("pods insecure: {dashed}.{ns}.pod → the address written in the name"),
            ),
            None => Node::missing(format!("{dashed} is not an IP address written with dashes")),
        },
        _ => Node::missing(format!(
            "no rule of the Kubernetes DNS schema matches {name}"
        )),
    }
}

fn namespace_node(cluster: &Cluster, ns: &str) -> Node {
    let rt = super::super::resource(cluster, "namespaces");
    if cluster.get(&rt, "", ns).is_ok() {
        Node::empty(format!("namespace {ns} exists (no records of its own)"))
    } else {
        Node::missing(format!("no namespace {ns:?}"))
    }
}

fn get_service<'a>(cluster: &'a Cluster, ns: &str, name: &str) -> Option<&'a Value> {
    let rt = super::super::resource(cluster, "services");
    cluster.get(&rt, ns, name).ok()
}

/// Ready endpoints of a Service across its slices, each address once.
fn ready_endpoints<'a>(slices: impl Iterator<Item = &'a Slice>) -> Vec<(&'a Endpoint, &'a Slice)> {
    let mut seen: Vec<(&Endpoint, &Slice)> = vec![];
    for s in slices {
        for e in s.endpoints.iter().filter(|e| e.ready) {
            if !seen.iter().any(|(x, _)| x.ip == e.ip) {
                seen.push((e, s));
            }
        }
    }
    seen
}

/// `<hostname>` or, without one, the address with dashes (CoreDNS's endpoint name).
fn endpoint_label(e: &Endpoint) -> String {
    e.hostname.clone().unwrap_or_else(|| e.ip.replace('.', "-"))
}

fn undash(label: &str) -> Option<String> {
    let parts: Vec<&str> = label.split('-').collect();
    (parts.len() == 4 && parts.iter().all(|p| p.parse::<u8>().is_ok())).then(|| parts.join("."))
}

fn is_headless(svc: &Value) -> bool {
    object::str_at(svc, "/spec/clusterIP") == "None"
}

/// `<svc>.<ns>.svc.cluster.local`: the cluster IP, the ready endpoints of a headless
/// Service, or a CNAME for ExternalName; SRV records for every port.
fn service_node(cluster: &Cluster, name: &str, ns: &str, svc_name: &str) -> Node {
    let Some(svc) = get_service(cluster, ns, svc_name) else {
        return Node::missing(format!("no Service {svc_name:?} in namespace {ns:?}"));
    };
    if object::str_at(svc, "/spec/type") == "ExternalName" {
        let target = object::str_at(svc, "/spec/externalName");
        return Node::with(
            vec![record(
                name,
                Rdata::Cname(format!("{}.", target.trim_end_matches('.'))),
            )],
            format!("ExternalName Service {svc_name} → CNAME {target}"),
        );
    }
    let ports = service_ports(svc);
    if !is_headless(svc) {
        let ip = object::str_at(svc, "/spec/clusterIP");
        if ip.is_empty() {
            return Node::missing(format!("Service {svc_name} has no cluster IP yet"));
        }
        let mut records = vec![record(name, Rdata::A(ip.to_string()))];
        let weight = srv_weight(ports.len());
        records.extend(ports.iter().map(|(_, port, _)| {
            record(
                name,
                Rdata::Srv {
                    priority: 0,
                    weight,
                    port: *port,
                    target: format!("{name}."),
                },
            )
        }));
        let mut node = Node::with(
            records,
            format!("CoreDNS kubernetes plugin: ClusterIP Service {svc_name}, its virtual IP {ip}"),
        );
        node.additional = vec![record(name, Rdata::A(ip.to_string()))];
        return node;
    }
    let index = &cluster.network.dns;
    let ready = ready_endpoints(index.slices(ns, svc_name));
    let total: usize = index.slices(ns, svc_name).map(|s| s.endpoints.len()).sum();
    let publish = svc
        .pointer("/spec/publishNotReadyAddresses")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    if ready.is_empty() {
        return Node::missing(format!(
            "CoreDNS kubernetes plugin: headless Service {svc_name}, 0 ready endpoints (of {total})"
        ));
    }
    let mut records: Vec<Record> = ready
        .iter()
        .map(|(e, _)| record(name, Rdata::A(e.ip.clone())))
        .collect();
    let srv_count: usize = ready.iter().map(|(_, s)| s.ports.len()).sum();
    let weight = srv_weight(srv_count);
    let mut additional = vec![];
    for (e, slice) in &ready {
        let target = format!("{}.{name}.", endpoint_label(e));
        for p in &slice.ports {
            records.push(record(
                name,
                Rdata::Srv {
                    priority: 0,
                    weight,
                    port: p.port,
                    target: target.clone(),
                },
            ));
        }
        additional.push(record(&target, Rdata::A(e.ip.clone())));
    }
    let n = ready.len();
    let mut node = Node::with(
        records,
        format!(
            "CoreDNS kubernetes plugin: headless Service {svc_name}, {n} ready endpoint{} (the pod IPs, one A record each){}",
            if n == 1 { "" } else { "s" },
            if publish { "; publishNotReadyAddresses: every endpoint counts as ready" } else { "" }
        ),
    );
    node.additional = additional;
    node
}

/// (name, port, protocol) of a Service's ports.
fn service_ports(svc: &Value) -> Vec<(String, u16, String)> {
    svc.pointer("/spec/ports")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|p| {
            (
                object::str_at(p, "/name").to_string(),
                p.get("port").and_then(Value::as_u64).unwrap_or(0) as u16,
                match object::str_at(p, "/protocol") {
                    "" => "TCP".to_string(),
                    other => other.to_string(),
                },
            )
        })
        .collect()
}

/// CoreDNS splits a weight of 100 among the SRV records of one priority.
fn srv_weight(count: usize) -> u16 {
    (100 / count.max(1)) as u16
}

/// `_<port>._<proto>.<svc>.<ns>.svc.cluster.local`: one SRV per named port (per ready
/// endpoint for a headless Service); an unnamed port has none.
fn srv_node(cluster: &Cluster, ns: &str, svc_name: &str, port: &str, proto: &str) -> Node {
    let Some(svc) = get_service(cluster, ns, svc_name) else {
        return Node::missing(format!("no Service {svc_name:?} in namespace {ns:?}"));
    };
    let svc_fqdn = format!("{svc_name}.{ns}.svc.{CLUSTER_DOMAIN}");
    let name = format!("_{port}._{proto}.{svc_fqdn}");
    let matches = |n: &str, p: &str| !n.is_empty() && n == port && p.eq_ignore_ascii_case(proto);
    if !is_headless(svc) {
        let ip = object::str_at(svc, "/spec/clusterIP").to_string();
        let Some((_, number, _)) = service_ports(svc)
            .into_iter()
            .find(|(n, _, p)| matches(n, p))
        else {
            return Node::missing(format!(
                "Service {svc_name} has no port named {port:?} with protocol {}: only named ports get SRV records",
                proto.to_ascii_uppercase()
            ));
        };
        let mut node = Node::with(
            vec![record(
                &name,
                Rdata::Srv {
                    priority: 0,
                    weight: 100,
                    port: number,
                    target: format!("{svc_fqdn}."),
                },
            )],
            format!("CoreDNS kubernetes plugin: named port {port} of ClusterIP Service {svc_name} → SRV to the Service name, port {number}"),
        );
        node.additional = vec![record(&svc_fqdn, Rdata::A(ip))];
        return node;
    }
    let index = &cluster.network.dns;
    let ready = ready_endpoints(index.slices(ns, svc_name));
    let mut targets = vec![];
    for (e, slice) in &ready {
        if let Some(p) = slice.ports.iter().find(|p| matches(&p.name, &p.protocol)) {
            targets.push((
                format!("{}.{svc_fqdn}.", endpoint_label(e)),
                p.port,
                e.ip.clone(),
            ));
        }
    }
    if targets.is_empty() {
        return Node::missing(format!(
            "headless Service {svc_name}: no ready endpoint with a port named {port:?}"
        ));
    }
    let weight = srv_weight(targets.len());
    let records = targets
        .iter()
        .map(|(t, p, _)| {
            record(
                &name,
                Rdata::Srv {
                    priority: 0,
                    weight,
                    port: *p,
                    target: t.clone(),
                },
            )
        })
        .collect();
    let mut node = Node::with(
        records,
        format!(
            "CoreDNS kubernetes plugin: named port {port} of headless Service {svc_name} → one SRV per ready endpoint ({})",
            targets.len()
        ),
    );
    node.additional = targets
        .into_iter()
        .map(|(t, _, ip)| record(&t, Rdata::A(ip)))
        .collect();
    node
}

/// `<hostname>.<svc>.<ns>.svc.cluster.local` (a StatefulSet pod through its governing
/// headless Service), or the dashed address of an endpoint without a hostname.
fn endpoint_node(cluster: &Cluster, name: &str, ns: &str, svc_name: &str, label: &str) -> Node {
    let Some(svc) = get_service(cluster, ns, svc_name) else {
        return Node::missing(format!("no Service {svc_name:?} in namespace {ns:?}"));
    };
    if !is_headless(svc) {
        return Node::missing(format!(
            "{svc_name} is not headless: only a headless Service's endpoints get names"
        ));
    }
    let index = &cluster.network.dns;
    let ready = ready_endpoints(index.slices(ns, svc_name));
    match ready.iter().find(|(e, _)| endpoint_label(e) == label) {
        Some((e, _)) => {
            let how = match &e.hostname {
                Some(h) => format!("endpoint hostname {h} (the pod's spec.hostname, its spec.subdomain naming the Service)"),
                None => "the endpoint's address written with dashes".to_string(),
            };
            Node::with(
                vec![record(name, Rdata::A(e.ip.clone()))],
                format!("CoreDNS kubernetes plugin: headless Service {svc_name}, {how}"),
            )
        }
        None => {
            let unready = index
                .slices(ns, svc_name)
                .flat_map(|s| &s.endpoints)
                .any(|e| endpoint_label(e) == label);
            Node::missing(if unready {
                format!("headless Service {svc_name}: endpoint {label} is not ready")
            } else {
                format!("headless Service {svc_name} has no endpoint named {label}")
            })
        }
    }
}

/// `d.c.b.a.in-addr.arpa`: a cluster IP names its Service, an endpoint IP its name
/// under each Service that has it; anything else falls through upstream.
fn reverse(cluster: &Cluster, name: &str, reversed: &str, qtype: QType) -> Answer {
    let mut parts: Vec<&str> = reversed.split('.').collect();
    parts.reverse();
    let ip = parts.join(".");
    let valid = parts.len() == 4 && parts.iter().all(|p| p.parse::<u8>().is_ok());
    let index = &cluster.network.dns;
    let mut targets = vec![];
    if valid {
        if let Some((ns, svc)) = index.service_with_cluster_ip(&ip) {
            targets.push(format!("{svc}.{ns}.svc.{CLUSTER_DOMAIN}."));
        }
        for (ns, svc) in index.services_with_endpoint(&ip) {
            if let Some(e) = index
                .slices(ns, svc)
                .flat_map(|s| &s.endpoints)
                .find(|e| e.ip == ip)
            {
                targets.push(format!(
                    "{}.{svc}.{ns}.svc.{CLUSTER_DOMAIN}.",
                    endpoint_label(e)
                ));
            }
        }
    }
    if targets.is_empty() {
        let mut a = upstream(name);
        a.explanation = format!(
            "{ip} is neither a cluster IP nor an endpoint: fallthrough in-addr.arpa → forwarded upstream → NXDOMAIN"
        );
        return a;
    }
    let records: Vec<Record> = if qtype == QType::Any || qtype == QType::Ptr {
        targets
            .into_iter()
            .map(|t| record(name, Rdata::Ptr(t)))
            .collect()
    } else {
        vec![]
    };
    let summary = summarize(&records, qtype);
    Answer {
        rcode: Rcode::NoError,
        records,
        additional: vec![],
        authority: vec![],
        authoritative: true,
        explanation: format!("CoreDNS kubernetes plugin: reverse lookup of {ip} → {summary}"),
    }
}

/// A name outside `cluster.local`: CoreDNS forwards it to the node's resolver. The
/// simulation has no internet, so upstream knows no names.
fn upstream(name: &str) -> Answer {
    Answer {
        rcode: Rcode::NxDomain,
        records: vec![],
        additional: vec![],
        authority: vec![],
        authoritative: false,
        explanation: format!(
            "{name} is not in cluster.local: forward . /etc/resolv.conf sends it upstream, and the simulated cluster's upstream knows no names → NXDOMAIN"
        ),
    }
}
