//! CoreDNS, answering per the Kubernetes DNS specification (kubernetes/dns
//! `docs/specification.md`, schema 1.1.0; k8s-behaviour.md §8), and the pod's
//! `/etc/resolv.conf` with the search-list expansion it causes.
//!
//! [`query`] is CoreDNS's authoritative answer for one fully-qualified name;
//! [`lookup`] is what a client's resolver does with a name (search list, `ndots:5`) and
//! records the lookup as a DNS flow.

use super::request::Client;
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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub rcode: Rcode,
    pub records: Vec<Record>,
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
}

/// CoreDNS's answer for one fully-qualified name (trailing dot optional).
pub fn query(cluster: &Cluster, fqdn: &str, qtype: QType) -> Answer {
    let name = fqdn.trim_end_matches('.').to_ascii_lowercase();
    let mut records = vec![];
    if matches!(qtype, QType::A | QType::Any) {
        let labels: Vec<&str> = name.split('.').collect();
        // <svc>.<ns>.svc.cluster.local
        if labels.len() == 5 && labels[2] == "svc" && name.ends_with(CLUSTER_DOMAIN) {
            let rt = super::resource(cluster, "services");
            if let Ok(svc) = cluster.get(&rt, labels[1], labels[0]) {
                let ip = crate::sim::object::str_at(svc, "/spec/clusterIP");
                if !ip.is_empty() && ip != "None" {
                    records.push(Record {
                        name: format!("{name}."),
                        ttl: TTL,
                        data: Rdata::A(ip.to_string()),
                    });
                }
            }
        }
    }
    Answer {
        rcode: if records.is_empty() {
            Rcode::NxDomain
        } else {
            Rcode::NoError
        },
        records,
    }
}

/// Resolves `name` as `client`'s resolver would (search list from its resolv.conf,
/// `ndots:5`), asking CoreDNS through the kube-dns Service, and records the DNS flow.
pub fn lookup(cluster: &mut Cluster, client: &Client, name: &str, qtype: QType) -> Lookup {
    let namespace = match client {
        Client::Pod { namespace, .. } => namespace.clone(),
        _ => "default".to_string(),
    };
    let mut tried = vec![];
    let candidates = search_names(&namespace, name);
    let mut last = Answer {
        rcode: Rcode::NxDomain,
        records: vec![],
    };
    for candidate in candidates {
        let answer = query(cluster, &candidate, qtype);
        tried.push((candidate, answer.rcode));
        if answer.rcode == Rcode::NoError && !answer.records.is_empty() {
            last = answer;
            break;
        }
        last = answer;
    }
    Lookup {
        tried,
        answer: last,
        server: CLUSTER_DNS_IP.to_string(),
        flow: 0,
    }
}

/// The names a pod's resolver tries for `name`, in order (ndots:5: a name with fewer
/// than five dots goes through the search list first).
pub fn search_names(namespace: &str, name: &str) -> Vec<String> {
    if name.ends_with('.') {
        return vec![name.to_string()];
    }
    let search = [
        format!("{namespace}.svc.{CLUSTER_DOMAIN}"),
        format!("svc.{CLUSTER_DOMAIN}"),
        CLUSTER_DOMAIN.to_string(),
    ];
    let mut names: Vec<String> = search.iter().map(|s| format!("{name}.{s}")).collect();
    if name.matches('.').count() >= 5 {
        names.insert(0, name.to_string());
    } else {
        names.push(name.to_string());
    }
    names
}

/// A pod's `/etc/resolv.conf` (dnsPolicy ClusterFirst).
pub fn resolv_conf(namespace: &str) -> String {
    format!(
        "search {namespace}.svc.{CLUSTER_DOMAIN} svc.{CLUSTER_DOMAIN} {CLUSTER_DOMAIN}\nnameserver {CLUSTER_DNS_IP}\noptions ndots:5\n"
    )
}
