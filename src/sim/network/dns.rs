//! CoreDNS, answering per the Kubernetes DNS specification (kubernetes/dns
//! `docs/specification.md`, schema 1.1.0; k8s-behaviour.md §8), and the pod's
//! `/etc/resolv.conf` with the search-list expansion it causes.
//!
//! - [`query`] is CoreDNS's authoritative answer for one fully-qualified name (the rules
//!   live in `zone`, the watch-fed cache they read in `index`).
//! - [`Session`] is one client's conversation with CoreDNS through the kube-dns Service:
//!   the packet goes pod → node → kube-proxy (DNAT 10.96.0.10:53 → a CoreDNS pod) →
//!   CoreDNS and back, and the whole conversation is recorded as one DNS flow. The tools
//!   (`nslookup`, `host`, `dig`, `wget`) each drive a session their own way, because each
//!   walks the search list differently.
//! - [`lookup`] is what a client's stub resolver does with a name (search list,
//!   `ndots:5`, first answer with records wins).

pub mod index;
mod zone;

#[cfg(test)]
mod tests;

use super::flow::{Flow, Hop, Layer, Outcome, Place};
use super::request::Client;
use crate::sim::object;
use crate::sim::Cluster;

pub const CLUSTER_DOMAIN: &str = "cluster.local";
pub const CLUSTER_DNS_IP: &str = "10.96.0.10";
/// CoreDNS's `kubernetes` plugin answers with this TTL (the kind/kubeadm Corefile: `ttl 30`).
pub const TTL: u32 = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QType {
    A,
    Aaaa,
    Srv,
    Txt,
    Ptr,
    Cname,
    Any,
    Soa,
    Ns,
    Mx,
}

impl QType {
    pub fn as_str(&self) -> &'static str {
        match self {
            QType::A => "A",
            QType::Aaaa => "AAAA",
            QType::Srv => "SRV",
            QType::Txt => "TXT",
            QType::Ptr => "PTR",
            QType::Cname => "CNAME",
            QType::Any => "ANY",
            QType::Soa => "SOA",
            QType::Ns => "NS",
            QType::Mx => "MX",
        }
    }

    /// A type by name, case-insensitively (`srv`, `AAAA`).
    pub fn parse(s: &str) -> Option<QType> {
        [
            QType::A,
            QType::Aaaa,
            QType::Srv,
            QType::Txt,
            QType::Ptr,
            QType::Cname,
            QType::Any,
            QType::Soa,
            QType::Ns,
            QType::Mx,
        ]
        .into_iter()
        .find(|t| t.as_str().eq_ignore_ascii_case(s))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rdata {
    A(String),
    Srv {
        priority: u16,
        weight: u16,
        port: u16,
        target: String,
    },
    Cname(String),
    Txt(String),
    Ptr(String),
    Soa {
        mname: String,
        rname: String,
        serial: u32,
        refresh: u32,
        retry: u32,
        expire: u32,
        minimum: u32,
    },
}

impl Rdata {
    pub fn qtype(&self) -> QType {
        match self {
            Rdata::A(_) => QType::A,
            Rdata::Srv { .. } => QType::Srv,
            Rdata::Cname(_) => QType::Cname,
            Rdata::Txt(_) => QType::Txt,
            Rdata::Ptr(_) => QType::Ptr,
            Rdata::Soa { .. } => QType::Soa,
        }
    }

    /// The record data in master-file text, as dig prints it (`0 33 80 web-0.nginx….`).
    pub fn to_text(&self) -> String {
        match self {
            Rdata::A(ip) => ip.clone(),
            Rdata::Srv {
                priority,
                weight,
                port,
                target,
            } => format!("{priority} {weight} {port} {target}"),
            Rdata::Cname(t) | Rdata::Ptr(t) => t.clone(),
            Rdata::Txt(t) => format!("\"{t}\""),
            Rdata::Soa {
                mname,
                rname,
                serial,
                refresh,
                retry,
                expire,
                minimum,
            } => format!("{mname} {rname} {serial} {refresh} {retry} {expire} {minimum}"),
        }
    }
}

/// One resource record; `name` is fully qualified with its trailing dot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub name: String,
    pub ttl: u32,
    pub data: Rdata,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rcode {
    NoError,
    NxDomain,
}

impl Rcode {
    pub fn as_str(&self) -> &'static str {
        match self {
            Rcode::NoError => "NOERROR",
            Rcode::NxDomain => "NXDOMAIN",
        }
    }

    /// The numeric code (`Host x not found: 3(NXDOMAIN)`).
    pub fn code(&self) -> u8 {
        match self {
            Rcode::NoError => 0,
            Rcode::NxDomain => 3,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub rcode: Rcode,
    pub records: Vec<Record>,
    /// Addresses of SRV targets (dig's ADDITIONAL SECTION).
    pub additional: Vec<Record>,
    /// The zone's SOA for NXDOMAIN and empty answers (dig's AUTHORITY SECTION).
    pub authority: Vec<Record>,
    /// Whether CoreDNS answered from its own zone (the `aa` flag) rather than upstream.
    pub authoritative: bool,
    /// Which rule produced the answer, for a learner.
    pub explanation: String,
}

/// What a client's resolver did with a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lookup {
    /// Every name asked, in order, with CoreDNS's answer code (the search-list expansion).
    pub tried: Vec<(String, Rcode)>,
    /// The answer that ended the lookup (the first NOERROR with records, else the last).
    pub answer: Answer,
    /// The DNS server asked (10.96.0.10 from a pod).
    pub server: String,
    /// The flow recorded for it (0 when no packet was sent, e.g. an IP literal).
    pub flow: u64,
    /// kube-dns had no ready endpoint: kube-proxy rejected the packet (the tools say
    /// `connection refused`).
    pub refused: bool,
}

impl Lookup {
    /// The IPv4 addresses the lookup found (A records, after any CNAME).
    pub fn addresses(&self) -> Vec<String> {
        self.answer
            .records
            .iter()
            .filter_map(|r| match &r.data {
                Rdata::A(ip) => Some(ip.clone()),
                _ => None,
            })
            .collect()
    }
}

/// CoreDNS's answer for one fully-qualified name (trailing dot optional).
pub fn query(cluster: &Cluster, fqdn: &str, qtype: QType) -> Answer {
    zone::answer(cluster, fqdn, qtype)
}

/// Whether `s` is a dotted IPv4 address.
pub fn is_ipv4(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() == 4
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 3 && p.parse::<u8>().is_ok())
}

/// Resolves `name` as `client`'s resolver would (search list from its resolv.conf,
/// `ndots:5`), asking CoreDNS through the kube-dns Service, and records the DNS flow.
/// An IP literal resolves to itself without a packet.
pub fn lookup(cluster: &mut Cluster, client: &Client, name: &str, qtype: QType) -> Lookup {
    let not_found = |tried: Vec<(String, Rcode)>| Lookup {
        tried,
        answer: Answer {
            rcode: Rcode::NxDomain,
            records: vec![],
            additional: vec![],
            authority: vec![],
            authoritative: false,
            explanation: String::new(),
        },
        server: CLUSTER_DNS_IP.to_string(),
        flow: 0,
        refused: false,
    };
    if is_ipv4(name) {
        let mut l = not_found(vec![]);
        l.answer.rcode = Rcode::NoError;
        l.answer.records = vec![Record {
            name: format!("{name}."),
            ttl: 0,
            data: Rdata::A(name.to_string()),
        }];
        return l;
    }
    let Client::Pod {
        namespace,
        name: pod,
    } = client
    else {
        // Outside the cluster nobody asks CoreDNS: cluster names do not resolve.
        return not_found(vec![(name.to_string(), Rcode::NxDomain)]);
    };
    let rt = super::resource(cluster, "pods");
    let conf = match cluster.get(&rt, namespace, pod) {
        Ok(p) => ResolvConf::for_pod(p),
        Err(_) => ResolvConf::cluster_first(namespace),
    };
    if conf.nameserver() != CLUSTER_DNS_IP {
        // dnsConfig sent this pod's queries elsewhere: outside the simulation.
        return not_found(vec![(name.to_string(), Rcode::NxDomain)]);
    }
    let candidates = conf.search_names(name);
    let intro = search_explanation(name, &candidates, conf.ndots());
    let mut session = match Session::open(cluster, client, &intro) {
        Ok(s) => s,
        Err(flow) => {
            let mut l = not_found(vec![]);
            l.flow = flow;
            l.refused = true;
            return l;
        }
    };
    let mut tried = vec![];
    let mut last = None;
    for candidate in candidates {
        let answer = session.ask(cluster, &candidate, qtype);
        tried.push((candidate, answer.rcode));
        let done = answer.rcode == Rcode::NoError && !answer.records.is_empty();
        last = Some(answer);
        if done {
            break;
        }
    }
    let answer = last.expect("the search list is never empty");
    let flow = session.finish(cluster, &format!("DNS {} {name}", qtype.as_str()));
    Lookup {
        tried,
        answer,
        server: CLUSTER_DNS_IP.to_string(),
        flow,
        refused: false,
    }
}

/// The names a pod's resolver tries for `name`, in order (ndots:5: a name with fewer
/// than five dots goes through the search list first).
pub fn search_names(namespace: &str, name: &str) -> Vec<String> {
    ResolvConf::cluster_first(namespace).search_names(name)
}

/// The `search` line of a pod's resolv.conf (dnsPolicy ClusterFirst).
pub fn search_domains(namespace: &str) -> Vec<String> {
    vec![
        format!("{namespace}.svc.{CLUSTER_DOMAIN}"),
        format!("svc.{CLUSTER_DOMAIN}"),
        CLUSTER_DOMAIN.to_string(),
    ]
}

/// A sentence on how the search list turned `name` into the names asked.
pub fn search_explanation(name: &str, asked: &[String], ndots: usize) -> String {
    let dots = name.trim_end_matches('.').matches('.').count();
    let first = asked.first().map(String::as_str).unwrap_or(name);
    if name.ends_with('.') {
        format!("{name} ends with a dot: fully qualified, asked as is")
    } else if dots >= ndots {
        format!(
            "search list: {name} has {dots} dot{} (ndots:{ndots}): asked as is first, then with the search domains",
            if dots == 1 { "" } else { "s" }
        )
    } else {
        format!("search list: {name} → {first} (ndots:{ndots}: fewer than {ndots} dots, search domains first)")
    }
}

/// A pod's `/etc/resolv.conf` (dnsPolicy ClusterFirst).
pub fn resolv_conf(namespace: &str) -> String {
    ResolvConf::cluster_first(namespace).render()
}

/// A pod's resolver configuration as the kubelet writes it (`pkg/kubelet/network/dns`):
/// ClusterFirst's nameserver, search list and `ndots:5`, merged with the pod's
/// `dnsConfig` (nameservers and searches appended without duplicates, options
/// replacing those of the same name); `dnsPolicy: None` starts from nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvConf {
    pub nameservers: Vec<String>,
    pub searches: Vec<String>,
    /// `ndots:5`, `edns0`, … in order.
    pub options: Vec<String>,
}

impl ResolvConf {
    pub fn cluster_first(namespace: &str) -> ResolvConf {
        ResolvConf {
            nameservers: vec![CLUSTER_DNS_IP.to_string()],
            searches: search_domains(namespace),
            options: vec!["ndots:5".to_string()],
        }
    }

    /// The configuration of one pod (its namespace, `dnsPolicy`, `dnsConfig`).
    pub fn for_pod(pod: &serde_json::Value) -> ResolvConf {
        use serde_json::Value;
        let mut conf = match object::str_at(pod, "/spec/dnsPolicy") {
            "None" => ResolvConf {
                nameservers: vec![],
                searches: vec![],
                options: vec![],
            },
            _ => ResolvConf::cluster_first(object::namespace(pod)),
        };
        let strings = |pointer: &str| -> Vec<String> {
            pod.pointer(pointer)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        };
        for n in strings("/spec/dnsConfig/nameservers") {
            if !conf.nameservers.contains(&n) {
                conf.nameservers.push(n);
            }
        }
        conf.nameservers.truncate(3);
        for d in strings("/spec/dnsConfig/searches") {
            if !conf.searches.contains(&d) {
                conf.searches.push(d);
            }
        }
        let options = pod
            .pointer("/spec/dnsConfig/options")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for o in &options {
            let name = object::str_at(o, "/name");
            if name.is_empty() {
                continue;
            }
            let option = match o.get("value").and_then(Value::as_str) {
                Some(v) => format!("{name}:{v}"),
                None => name.to_string(),
            };
            match conf
                .options
                .iter_mut()
                .find(|x| x.split(':').next() == Some(name))
            {
                Some(slot) => *slot = option,
                None => conf.options.push(option),
            }
        }
        conf
    }

    /// `options ndots:N` (the resolver's default is 1, the most 15).
    pub fn ndots(&self) -> usize {
        self.options
            .iter()
            .find_map(|o| o.strip_prefix("ndots:"))
            .and_then(|n| n.parse::<usize>().ok())
            .map(|n| n.min(15))
            .unwrap_or(1)
    }

    /// The names a resolver with this configuration tries for `name`, in order: with
    /// fewer than `ndots` dots the search domains first, then the name as is.
    pub fn search_names(&self, name: &str) -> Vec<String> {
        if name.ends_with('.') {
            return vec![name.to_string()];
        }
        let mut names: Vec<String> = self
            .searches
            .iter()
            .map(|s| format!("{name}.{s}"))
            .collect();
        if name.matches('.').count() >= self.ndots() {
            names.insert(0, name.to_string());
        } else {
            names.push(name.to_string());
        }
        names
    }

    /// The nameserver the resolver asks first.
    pub fn nameserver(&self) -> &str {
        self.nameservers
            .first()
            .map(String::as_str)
            .unwrap_or("127.0.0.1")
    }

    /// The file, in the kubelet's layout.
    pub fn render(&self) -> String {
        let mut s = String::new();
        if !self.searches.is_empty() {
            s.push_str(&format!("search {}\n", self.searches.join(" ")));
        }
        for n in &self.nameservers {
            s.push_str(&format!("nameserver {n}\n"));
        }
        if !self.options.is_empty() {
            s.push_str(&format!("options {}\n", self.options.join(" ")));
        }
        s
    }
}

/// One client's conversation with CoreDNS through the kube-dns Service, recorded as
/// one DNS flow when it [finishes](Session::finish).
pub struct Session {
    client: Place,
    coredns: Place,
    /// Where queries leave for the CoreDNS pod (kube-proxy's node, or the CoreDNS
    /// pod's node when that is another one).
    entry: Place,
    hops: Vec<Hop>,
    answers: Vec<Rcode>,
    records: usize,
}

impl Session {
    /// Sends the first packet: pod → its node → kube-proxy, which DNATs 10.96.0.10:53 to
    /// one of the kube-dns endpoints. With no ready CoreDNS, kube-proxy rejects it: the
    /// refused flow is recorded and its id returned as the error.
    pub fn open(cluster: &mut Cluster, client: &Client, intro: &str) -> Result<Session, u64> {
        let now = cluster.now();
        let (client_place, node) = match client {
            Client::Pod { namespace, name } => {
                let rt = super::resource(cluster, "pods");
                let node = cluster
                    .get(&rt, namespace, name)
                    .map(|p| object::str_at(p, "/spec/nodeName").to_string())
                    .unwrap_or_default();
                (
                    Place::Pod {
                        namespace: namespace.clone(),
                        name: name.clone(),
                    },
                    node,
                )
            }
            Client::Laptop => (Place::Laptop, String::new()),
            Client::Internet { .. } => (Place::Internet, String::new()),
        };
        let hop = |from: Place, to: Place, rule: String, explanation: String, reply: bool| Hop {
            at: now,
            from,
            to,
            layer: Layer::Dns,
            rule,
            explanation,
            reply,
        };
        let mut hops = vec![hop(
            client_place.clone(),
            Place::Node(node.clone()),
            format!("UDP to {CLUSTER_DNS_IP}:53 (resolv.conf nameserver)"),
            intro.to_string(),
            false,
        )];
        let endpoints = kube_dns_backends(cluster);
        if endpoints.is_empty() {
            hops.push(hop(
                Place::Node(node.clone()),
                Place::KubeProxy(node.clone()),
                format!("REJECT {CLUSTER_DNS_IP}:53"),
                "kube-dns Service has no ready endpoints: kube-proxy rejects the packet (ICMP port unreachable → connection refused)".into(),
                true,
            ));
            let id = cluster.network.flows.record(Flow {
                id: 0,
                at: now,
                summary: format!("DNS to {CLUSTER_DNS_IP}: refused"),
                layer: Layer::Dns,
                hops,
                outcome: Outcome::Refused,
                service: Some("kube-system/kube-dns".into()),
                endpoint: None,
                generator: None,
            });
            return Err(id);
        }
        let n = endpoints.len();
        let i = cluster.rng.below(n as u64) as usize;
        let (ip, pod, dns_node) = endpoints[i].clone();
        hops.push(hop(
            Place::Node(node.clone()),
            Place::KubeProxy(node.clone()),
            format!("DNAT {CLUSTER_DNS_IP}:53 → {ip}:53"),
            format!(
                "kube-dns Service: endpoint {} of {n} (each CoreDNS pod gets 1/{n} of new connections)",
                i + 1
            ),
            false,
        ));
        let mut entry = Place::KubeProxy(node.clone());
        if !dns_node.is_empty() && dns_node != node {
            entry = Place::Node(dns_node.clone());
            hops.push(hop(
                Place::KubeProxy(node.clone()),
                Place::Node(dns_node.clone()),
                format!("to {ip}:53"),
                format!("{pod} runs on {dns_node}: routed there through the pod network"),
                false,
            ));
        }
        Ok(Session {
            client: client_place,
            coredns: Place::Pod {
                namespace: "kube-system".into(),
                name: pod,
            },
            entry,
            hops,
            answers: vec![],
            records: 0,
        })
    }

    /// One question to CoreDNS and its answer (A and AAAA records shuffled by the
    /// `loadbalance` plugin, with the cluster's RNG).
    pub fn ask(&mut self, cluster: &mut Cluster, name: &str, qtype: QType) -> Answer {
        let now = cluster.now();
        let fqdn = format!("{}.", name.trim_end_matches('.'));
        let mut answer = query(cluster, &fqdn, qtype);
        shuffle_addresses(cluster, &mut answer.records);
        self.hops.push(Hop {
            at: now,
            from: self.entry.clone(),
            to: self.coredns.clone(),
            layer: Layer::Dns,
            rule: format!("{} {fqdn}", qtype.as_str()),
            explanation: answer.explanation.clone(),
            reply: false,
        });
        let rule = match answer.rcode {
            Rcode::NxDomain => "NXDOMAIN".to_string(),
            Rcode::NoError => format!("NOERROR, {} answer record(s)", answer.records.len()),
        };
        self.hops.push(Hop {
            at: now,
            from: self.coredns.clone(),
            to: self.client.clone(),
            layer: Layer::Dns,
            rule,
            explanation: format!(
                "reply from {CLUSTER_DNS_IP}:53 (conntrack reverses the DNAT) for {fqdn}"
            ),
            reply: true,
        });
        self.answers.push(answer.rcode);
        self.records += answer.records.len();
        answer
    }

    /// Records the conversation as one flow and returns its id.
    pub fn finish(self, cluster: &mut Cluster, summary: &str) -> u64 {
        let outcome = if self.records > 0 {
            Outcome::Resolved {
                records: self.records,
            }
        } else if self.answers.contains(&Rcode::NoError) {
            Outcome::Resolved { records: 0 }
        } else {
            Outcome::NxDomain
        };
        let endpoint = match &self.coredns {
            Place::Pod { namespace, name } => Some(format!("{namespace}/{name}")),
            _ => None,
        };
        cluster.network.flows.record(Flow {
            id: 0,
            at: cluster.now(),
            summary: summary.to_string(),
            layer: Layer::Dns,
            hops: self.hops,
            outcome,
            service: Some("kube-system/kube-dns".into()),
            endpoint,
            generator: None,
        })
    }
}

/// The ready endpoints of kube-dns serving port 53: (IP, pod name).
pub fn kube_dns_endpoints(cluster: &Cluster) -> Vec<(String, String)> {
    kube_dns_backends(cluster)
        .into_iter()
        .map(|(ip, pod, _)| (ip, pod))
        .collect()
}

/// The ready kube-dns endpoints serving port 53: (IP, pod name, node).
fn kube_dns_backends(cluster: &Cluster) -> Vec<(String, String, String)> {
    let mut out: Vec<(String, String, String)> = vec![];
    for slice in cluster.network.dns.slices("kube-system", "kube-dns") {
        if !slice.ports.iter().any(|p| p.port == 53) {
            continue;
        }
        for e in slice.endpoints.iter().filter(|e| e.ready) {
            if !out.iter().any(|(ip, _, _)| *ip == e.ip) {
                out.push((
                    e.ip.clone(),
                    e.pod.clone().unwrap_or_else(|| e.ip.clone()),
                    e.node.clone().unwrap_or_default(),
                ));
            }
        }
    }
    out
}

/// The `loadbalance` plugin: A records come back in a random order.
fn shuffle_addresses(cluster: &mut Cluster, records: &mut [Record]) {
    let positions: Vec<usize> = records
        .iter()
        .enumerate()
        .filter(|(_, r)| matches!(r.data, Rdata::A(_)))
        .map(|(i, _)| i)
        .collect();
    if positions.len() < 2 {
        return;
    }
    let mut data: Vec<Rdata> = positions.iter().map(|&i| records[i].data.clone()).collect();
    for j in (1..data.len()).rev() {
        let k = cluster.rng.below(j as u64 + 1) as usize;
        data.swap(j, k);
    }
    for (&i, d) in positions.iter().zip(data) {
        records[i].data = d;
    }
}
