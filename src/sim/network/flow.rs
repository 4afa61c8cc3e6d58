//! Flows: what one request did, hop by hop (design.md §2 "Network").
//!
//! Every request the data plane carries — a DNS lookup, an HTTP request, a TCP connection
//! through a port-forward — is recorded as a [`Flow`]: who sent it, the hops it took
//! (each with the rule that moved it and why), and how it ended. The page animates the
//! hops; `sim trace` prints them. Only the most recent flows are kept whole
//! ([`RECENT_FLOWS`]); beyond that window they live on as counters, so an hour of steady
//! traffic costs a fixed amount of memory.

use crate::sim::time::Millis;
use std::collections::{BTreeMap, VecDeque};
use std::fmt;

/// How many whole flows are kept; older ones are only counted.
pub const RECENT_FLOWS: usize = 256;

/// Where a packet is: the boxes the page draws and `sim trace` names.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Place {
    /// The learner's machine, outside the cluster (where console `curl` runs).
    Laptop,
    /// Clients on the internet (`sim traffic --from internet`).
    Internet,
    /// The cloud provider's load balancer in front of a LoadBalancer Service, by its
    /// address (172.18.255.x).
    CloudLb(String),
    /// A node's network stack (a NodePort arriving on its IP, a pod's packets leaving it).
    Node(String),
    /// The rules kube-proxy programmed on this node (iptables: DNAT, SNAT, reject, drop).
    KubeProxy(String),
    /// A pod, by namespace and name.
    Pod { namespace: String, name: String },
    /// kube-apiserver (port-forward's tunnel passes through it).
    ApiServer,
    /// A node's kubelet (port-forward's tunnel ends in it).
    Kubelet(String),
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Laptop => f.write_str("laptop"),
            Place::Internet => f.write_str("internet"),
            Place::CloudLb(ip) => write!(f, "cloud-lb {ip}"),
            Place::Node(n) => write!(f, "node {n}"),
            Place::KubeProxy(n) => write!(f, "kube-proxy@{n}"),
            Place::Pod { namespace, name } => write!(f, "pod {namespace}/{name}"),
            Place::ApiServer => f.write_str("kube-apiserver"),
            Place::Kubelet(n) => write!(f, "kubelet@{n}"),
        }
    }
}

/// What a hop carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Layer {
    Dns,
    Tcp,
    Http,
}

impl Layer {
    pub fn as_str(&self) -> &'static str {
        match self {
            Layer::Dns => "DNS",
            Layer::Tcp => "TCP",
            Layer::Http => "HTTP",
        }
    }
}

/// One step of a flow: from one place to the next, carrying `layer`, moved by `rule`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hop {
    pub at: Millis,
    pub from: Place,
    pub to: Place,
    pub layer: Layer,
    /// The rule that moved the packet, short: `DNAT 10.96.114.63:80 → 10.244.3.7:80`.
    pub rule: String,
    /// Why, in a sentence a learner reads: `endpoint 2 of 3, probability 1/2`.
    pub explanation: String,
    /// Whether this hop goes back towards the client (a response).
    pub reply: bool,
}

/// How a flow ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// An HTTP response with this status (or a TCP exchange that got an answer: 0).
    Answered {
        status: u16,
    },
    /// A DNS answer: NOERROR with this many records, or NXDOMAIN.
    Resolved {
        records: usize,
    },
    NxDomain,
    /// The connection was refused (kube-proxy's REJECT, or nothing listening: RST).
    Refused,
    /// Packets were dropped; the client gave up after its timeout.
    Dropped,
    /// HTTPS: the TLS handshake failed (an untrusted certificate, or no TLS there).
    TlsFailed,
}

impl Outcome {
    /// The page colours flows by this: `dns`, `http` or `dropped`.
    pub fn class(&self, layer: Layer) -> &'static str {
        match self {
            Outcome::Refused | Outcome::Dropped | Outcome::NxDomain | Outcome::TlsFailed => {
                "dropped"
            }
            _ if layer == Layer::Dns => "dns",
            _ => "http",
        }
    }
}

/// One request, hop by hop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flow {
    /// Increases by one per flow, from 1.
    pub id: u64,
    pub at: Millis,
    /// What the page and `sim trace` title it with: `GET http://172.18.0.4:30007/`.
    pub summary: String,
    /// The request's main layer (DNS for a lookup, HTTP for a request, TCP otherwise).
    pub layer: Layer,
    pub hops: Vec<Hop>,
    pub outcome: Outcome,
    /// The Service it went through (`namespace/name`), if any: counters are kept per
    /// Service and endpoint.
    pub service: Option<String>,
    /// The pod that answered, if any (`namespace/name`).
    pub endpoint: Option<String>,
    /// Started by a `sim traffic` generator (by its id) rather than a command.
    pub generator: Option<u32>,
}

/// The recent flows and the counters that outlive them.
#[derive(Debug, Clone, Default)]
pub struct FlowLog {
    next_id: u64,
    recent: VecDeque<Flow>,
    /// Requests answered per Service, per endpoint pod (`namespace/name` → pod → count).
    per_endpoint: BTreeMap<String, BTreeMap<String, u64>>,
    /// Flows per outcome class (`dns`, `http`, `dropped`), all time.
    per_class: BTreeMap<&'static str, u64>,
    total: u64,
    /// Requests each pod answered (`namespace/name`), per second of virtual time, over the
    /// last [`SERVED_HISTORY`]: the work metrics-server's CPU model charges the pod for.
    /// Not cleared by `sim traffic reset` (the pod did the work).
    served: BTreeMap<String, BTreeMap<Millis, u32>>,
}

/// How far back the per-pod request counts reach (a few metric windows).
pub const SERVED_HISTORY: Millis = 10 * crate::sim::time::MINUTE;

impl FlowLog {
    /// Records a finished flow (its `id` is assigned here) and returns the id.
    pub fn record(&mut self, mut flow: Flow) -> u64 {
        self.next_id += 1;
        flow.id = self.next_id;
        self.total += 1;
        *self
            .per_class
            .entry(flow.outcome.class(flow.layer))
            .or_default() += 1;
        if let (Some(svc), Some(pod)) = (&flow.service, &flow.endpoint) {
            *self
                .per_endpoint
                .entry(svc.clone())
                .or_default()
                .entry(pod.clone())
                .or_default() += 1;
        }
        if let Some(pod) = &flow.endpoint {
            let second = flow.at / 1000 * 1000;
            let per_second = self.served.entry(pod.clone()).or_default();
            *per_second.entry(second).or_default() += 1;
            while per_second
                .first_key_value()
                .is_some_and(|(t, _)| *t + SERVED_HISTORY < second)
            {
                per_second.pop_first();
            }
        }
        if self.recent.len() == RECENT_FLOWS {
            self.recent.pop_front();
        }
        self.recent.push_back(flow);
        self.next_id
    }

    /// The whole flows still kept, oldest first.
    pub fn recent(&self) -> impl DoubleEndedIterator<Item = &Flow> {
        self.recent.iter()
    }

    /// Flows with an id greater than `id` (what the page has not drawn yet).
    pub fn since(&self, id: u64) -> impl Iterator<Item = &Flow> {
        self.recent.iter().filter(move |f| f.id > id)
    }

    pub fn get(&self, id: u64) -> Option<&Flow> {
        self.recent.iter().find(|f| f.id == id)
    }

    /// The newest flow, if it has this id (to tag it after recording).
    pub(crate) fn last_mut_by_id(&mut self, id: u64) -> Option<&mut Flow> {
        self.recent.back_mut().filter(|f| f.id == id)
    }

    pub fn last(&self) -> Option<&Flow> {
        self.recent.back()
    }

    /// The id of the newest flow (0 before the first).
    pub fn last_id(&self) -> u64 {
        self.next_id
    }

    /// Requests the pod `namespace/name` answered in the virtual seconds `[from, to)`.
    pub fn served_between(&self, pod: &str, from: Millis, to: Millis) -> u64 {
        self.served.get(pod).map_or(0, |per_second| {
            per_second.range(from..to).map(|(_, n)| u64::from(*n)).sum()
        })
    }

    /// Answered requests per endpoint pod of one Service (`namespace/name`).
    pub fn endpoint_counts(&self, service: &str) -> Option<&BTreeMap<String, u64>> {
        self.per_endpoint.get(service)
    }

    /// Every Service's per-endpoint counters.
    pub fn all_endpoint_counts(&self) -> &BTreeMap<String, BTreeMap<String, u64>> {
        &self.per_endpoint
    }

    pub fn class_count(&self, class: &str) -> u64 {
        self.per_class.get(class).copied().unwrap_or(0)
    }

    pub fn total(&self) -> u64 {
        self.total
    }

    /// Forgets the counters (`sim traffic reset`).
    pub fn reset_counters(&mut self) {
        self.per_endpoint.clear();
        self.per_class.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flow(svc: &str, pod: &str) -> Flow {
        Flow {
            id: 0,
            at: 0,
            summary: "GET /".into(),
            layer: Layer::Http,
            hops: vec![],
            outcome: Outcome::Answered { status: 200 },
            service: Some(svc.into()),
            endpoint: Some(pod.into()),
            generator: None,
        }
    }

    #[test]
    fn the_window_is_bounded_and_counters_outlive_it() {
        let mut log = FlowLog::default();
        for i in 0..(RECENT_FLOWS + 10) {
            log.record(flow("default/web", if i % 2 == 0 { "a" } else { "b" }));
        }
        assert_eq!(log.recent().count(), RECENT_FLOWS);
        assert_eq!(log.recent().next().unwrap().id, 11);
        assert_eq!(log.last_id(), (RECENT_FLOWS + 10) as u64);
        let counts = log.endpoint_counts("default/web").unwrap();
        assert_eq!(counts["a"] + counts["b"], (RECENT_FLOWS + 10) as u64);
        assert_eq!(log.since(log.last_id() - 2).count(), 2);
    }
}
