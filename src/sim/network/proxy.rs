//! kube-proxy on every node, iptables-mode semantics (k8s-behaviour.md §7 "Traffic";
//! kubernetes `pkg/proxy/iptables/proxier.go`).
//!
//! Like the real one, it keeps its own tables from the watch — Services, EndpointSlices,
//! and (for the page's hop names) pods and nodes — and answers a packet from those tables
//! without listing anything: a request costs the same in a cluster of ten objects or ten
//! thousand.
//!
//! What the rules do, as `proxier.go` writes them:
//! - `KUBE-SERVICES` matches a ClusterIP (or an external/LB IP) and port; `KUBE-NODEPORTS`
//!   a NodePort on any node address.
//! - A Service with no usable endpoint gets a `REJECT` rule: the client sees "connection
//!   refused" at once (`KUBE-EXTERNAL-SERVICES` / `KUBE-SERVICES` reject).
//! - `KUBE-SVC-…` holds one rule per endpoint, sorted by "ip:port"; rule i (0-based) of n
//!   jumps with `--probability 1/(n−i)` (`%0.10f`), the last one unconditionally. Every
//!   endpoint ends up with 1/n overall.
//! - `externalTrafficPolicy: Local` sends external traffic only to endpoints on the node
//!   it arrived at (`KUBE-EXT-…` → `KUBE-SVL-…`), keeping the client's address; a node
//!   with none drops it. `Cluster` masquerades (SNAT to the node's IP) and uses all.
//! - `internalTrafficPolicy: Local` does the same for traffic from pods.
//! - `sessionAffinity: ClientIP` uses the `recent` module: a client that chose an
//!   endpoint keeps it until `timeoutSeconds` pass without a packet.
//! - conntrack: once a connection is established its packets follow its entry; only new
//!   connections go through the probability rules.

use super::flow::{Hop, Layer, Place};
use crate::sim::object;
use crate::sim::rng::Rng;
use crate::sim::sort::SharedSort;
use crate::sim::store::WatchEventType;
use crate::sim::time::{Millis, SECOND};
use crate::sim::Cluster;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// `namespace/name` of a Service.
pub type ServiceKey = String;

/// One port of a Service, as kube-proxy programs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServicePort {
    pub name: String,
    pub port: u16,
    pub protocol: String,
    pub node_port: Option<u16>,
    /// As written (`8080` or `http`): shown in explanations; the endpoint's own port
    /// comes from the EndpointSlice, matched by port name.
    pub target_port: String,
}

/// What kube-proxy knows about one Service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceInfo {
    pub key: ServiceKey,
    pub kind: String,
    /// `None` for headless Services (no virtual IP, no rules).
    pub cluster_ip: Option<String>,
    pub ports: Vec<ServicePort>,
    pub load_balancer_ips: Vec<String>,
    pub external_ips: Vec<String>,
    pub external_local: bool,
    pub internal_local: bool,
    /// `sessionAffinity: ClientIP` timeout.
    pub affinity: Option<Millis>,
    /// Whether it has a selector (a Service without one has hand-made endpoints).
    pub has_selector: bool,
    pub selector: String,
}

/// One endpoint of a Service, from its EndpointSlices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub ip: String,
    pub node: String,
    /// `namespace/name` of the pod behind it, if any.
    pub pod: Option<String>,
    pub ready: bool,
    pub serving: bool,
    pub terminating: bool,
    /// Port name → port.
    pub ports: BTreeMap<String, u16>,
}

impl Endpoint {
    /// The pod behind it as a flow's place.
    pub fn place(&self) -> Place {
        let (namespace, name) = self
            .pod
            .as_deref()
            .and_then(|key| key.split_once('/'))
            .unwrap_or(("", ""));
        Place::Pod {
            namespace: namespace.to_string(),
            name: name.to_string(),
        }
    }

    /// The port it serves `port` on (EndpointSlices match ports by name).
    pub fn target_port(&self, port: &ServicePort) -> u16 {
        self.ports.get(&port.name).copied().unwrap_or(port.port)
    }
}

/// A pod as the data plane sees it (for direct pod-IP traffic and hop names).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodInfo {
    pub namespace: String,
    pub name: String,
    pub node: String,
    pub ip: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeInfo {
    pub name: String,
    pub ip: String,
    pub ready: bool,
    /// Labelled `node.kubernetes.io/exclude-from-external-load-balancers`.
    pub lb_excluded: bool,
}

/// A conntrack entry: an established connection and where it was DNATed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connection {
    pub service: ServiceKey,
    pub endpoint_ip: String,
    pub endpoint_port: u16,
    pub opened: Millis,
}

#[derive(Debug, Clone)]
pub struct ProxyState {
    pub(crate) cursor: u64,
    services: BTreeMap<ServiceKey, ServiceInfo>,
    /// EndpointSlice (`namespace/name`) → its Service and endpoints.
    slices: BTreeMap<String, (ServiceKey, Vec<Endpoint>)>,
    slices_by_service: BTreeMap<ServiceKey, BTreeSet<String>>,
    /// Virtual IP → Service (ClusterIPs, external IPs, load-balancer IPs).
    by_ip: BTreeMap<String, ServiceKey>,
    by_node_port: BTreeMap<u16, ServiceKey>,
    pods_by_ip: BTreeMap<String, PodInfo>,
    /// `namespace/name` → pod IP (to forget a pod's IP when it changes or goes).
    pod_ips: BTreeMap<String, String>,
    nodes: BTreeMap<String, NodeInfo>,
    node_by_ip: BTreeMap<String, String>,
    conntrack: BTreeMap<u64, Connection>,
    next_connection: u64,
    /// (Service, client IP) → (endpoint IP, last used).
    affinity: BTreeMap<(ServiceKey, String), (String, Millis)>,
    /// The data plane's own random stream (so sending requests never changes the names
    /// the control plane picks), seeded from the cluster's seed.
    pub(crate) rng: Rng,
}

impl Default for ProxyState {
    fn default() -> Self {
        ProxyState {
            cursor: 0,
            services: BTreeMap::new(),
            slices: BTreeMap::new(),
            slices_by_service: BTreeMap::new(),
            by_ip: BTreeMap::new(),
            by_node_port: BTreeMap::new(),
            pods_by_ip: BTreeMap::new(),
            pod_ips: BTreeMap::new(),
            nodes: BTreeMap::new(),
            node_by_ip: BTreeMap::new(),
            conntrack: BTreeMap::new(),
            next_connection: 0,
            affinity: BTreeMap::new(),
            rng: Rng::new(0x6b75_6265_2d70_7278),
        }
    }
}

/// Reads the Service, EndpointSlice, pod and node changes since the last turn into the
/// tables (the informers' event handlers).
pub fn reconcile(cluster: &mut Cluster) {
    let cursor = cluster.network.proxy.cursor;
    if cursor == 0 {
        cluster.network.proxy.rng = Rng::new(cluster.options.seed ^ 0x6b75_6265_2d70_7278);
    }
    let end = cluster.store.revision();
    if cursor >= end {
        return;
    }
    let proxy = &mut cluster.network.proxy;
    for e in cluster.store.events_since(cursor) {
        let (group, resource) = (
            e.key.resource.group.as_str(),
            e.key.resource.resource.as_str(),
        );
        let key = format!("{}/{}", e.key.namespace, e.key.name);
        let deleted = e.event_type == WatchEventType::Deleted;
        match (group, resource) {
            ("", "services") => proxy.on_service(&key, (!deleted).then_some(&e.object)),
            ("discovery.k8s.io", "endpointslices") => {
                proxy.on_slice(&key, (!deleted).then_some(&e.object))
            }
            ("", "pods") => proxy.on_pod(&key, (!deleted).then_some(&e.object)),
            ("", "nodes") => proxy.on_node(&e.key.name, (!deleted).then_some(&e.object)),
            _ => {}
        }
    }
    proxy.cursor = end;
}

fn port_of(v: &Value) -> Option<u16> {
    v.as_u64().and_then(|p| u16::try_from(p).ok())
}

impl ProxyState {
    fn on_service(&mut self, key: &str, svc: Option<&Value>) {
        if let Some(old) = self.services.remove(key) {
            self.by_ip.retain(|_, k| k != key);
            for p in &old.ports {
                if let Some(np) = p.node_port {
                    if self.by_node_port.get(&np).is_some_and(|k| k == key) {
                        self.by_node_port.remove(&np);
                    }
                }
            }
        }
        let Some(svc) = svc else {
            self.affinity.retain(|(k, _), _| k != key);
            return;
        };
        let info = service_info(key, svc);
        if let Some(ip) = &info.cluster_ip {
            self.by_ip.insert(ip.clone(), key.to_string());
        }
        for ip in info.external_ips.iter().chain(&info.load_balancer_ips) {
            self.by_ip.insert(ip.clone(), key.to_string());
        }
        for p in &info.ports {
            if let Some(np) = p.node_port {
                self.by_node_port.insert(np, key.to_string());
            }
        }
        self.services.insert(key.to_string(), info);
    }

    fn on_slice(&mut self, key: &str, slice: Option<&Value>) {
        if let Some((svc, _)) = self.slices.remove(key) {
            if let Some(set) = self.slices_by_service.get_mut(&svc) {
                set.remove(key);
            }
        }
        let Some(slice) = slice else { return };
        let ns = object::namespace(slice);
        let svc_name = object::str_at(slice, "/metadata/labels/kubernetes.io~1service-name");
        if svc_name.is_empty() {
            return;
        }
        let svc = format!("{ns}/{svc_name}");
        let ports: BTreeMap<String, u16> = slice
            .get("ports")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|p| {
                        Some((
                            object::str_at(p, "/name").to_string(),
                            port_of(p.get("port")?)?,
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let endpoints = slice
            .get("endpoints")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|e| {
                        let ip = e.pointer("/addresses/0")?.as_str()?.to_string();
                        let cond = |c: &str, default: bool| {
                            e.pointer(&format!("/conditions/{c}"))
                                .and_then(Value::as_bool)
                                .unwrap_or(default)
                        };
                        let pod = match object::str_at(e, "/targetRef/name") {
                            "" => None,
                            name => Some(format!(
                                "{}/{name}",
                                match object::str_at(e, "/targetRef/namespace") {
                                    "" => ns,
                                    other => other,
                                }
                            )),
                        };
                        Some(Endpoint {
                            ip,
                            node: object::str_at(e, "/nodeName").to_string(),
                            pod,
                            ready: cond("ready", true),
                            serving: cond("serving", cond("ready", true)),
                            terminating: cond("terminating", false),
                            ports: ports.clone(),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        self.slices_by_service
            .entry(svc.clone())
            .or_default()
            .insert(key.to_string());
        self.slices.insert(key.to_string(), (svc, endpoints));
    }

    fn on_pod(&mut self, key: &str, pod: Option<&Value>) {
        if let Some(old_ip) = self.pod_ips.remove(key) {
            if self
                .pods_by_ip
                .get(&old_ip)
                .is_some_and(|p| format!("{}/{}", p.namespace, p.name) == key)
            {
                self.pods_by_ip.remove(&old_ip);
            }
        }
        let Some(pod) = pod else { return };
        let ip = object::str_at(pod, "/status/podIP");
        let phase = object::str_at(pod, "/status/phase");
        if ip.is_empty() || phase == "Succeeded" || phase == "Failed" {
            return;
        }
        // Host-network pods share their node's address; they are reached as the node.
        if pod
            .pointer("/spec/hostNetwork")
            .and_then(Value::as_bool)
            .unwrap_or(false)
        {
            return;
        }
        self.pod_ips.insert(key.to_string(), ip.to_string());
        self.pods_by_ip.insert(
            ip.to_string(),
            PodInfo {
                namespace: object::namespace(pod).to_string(),
                name: object::name(pod).to_string(),
                node: object::str_at(pod, "/spec/nodeName").to_string(),
                ip: ip.to_string(),
            },
        );
    }

    fn on_node(&mut self, name: &str, node: Option<&Value>) {
        if let Some(old) = self.nodes.remove(name) {
            self.node_by_ip.remove(&old.ip);
        }
        let Some(node) = node else { return };
        let ip = node
            .pointer("/status/addresses")
            .and_then(Value::as_array)
            .and_then(|a| {
                a.iter()
                    .find(|x| object::str_at(x, "/type") == "InternalIP")
                    .map(|x| object::str_at(x, "/address").to_string())
            })
            .unwrap_or_default();
        let ready = node
            .pointer("/status/conditions")
            .and_then(Value::as_array)
            .is_some_and(|c| {
                c.iter().any(|c| {
                    object::str_at(c, "/type") == "Ready" && object::str_at(c, "/status") == "True"
                })
            });
        let lb_excluded = node
            .pointer("/metadata/labels/node.kubernetes.io~1exclude-from-external-load-balancers")
            .is_some();
        self.node_by_ip.insert(ip.clone(), name.to_string());
        self.nodes.insert(
            name.to_string(),
            NodeInfo {
                name: name.to_string(),
                ip,
                ready,
                lb_excluded,
            },
        );
    }

    pub fn service(&self, key: &str) -> Option<&ServiceInfo> {
        self.services.get(key)
    }

    /// The Service behind a virtual IP (ClusterIP, external IP, load-balancer IP).
    pub fn service_by_ip(&self, ip: &str) -> Option<&ServiceInfo> {
        self.by_ip.get(ip).and_then(|k| self.services.get(k))
    }

    pub fn service_by_node_port(&self, port: u16) -> Option<&ServiceInfo> {
        self.by_node_port
            .get(&port)
            .and_then(|k| self.services.get(k))
    }

    pub fn pod_by_ip(&self, ip: &str) -> Option<&PodInfo> {
        self.pods_by_ip.get(ip)
    }

    pub fn node(&self, name: &str) -> Option<&NodeInfo> {
        self.nodes.get(name)
    }

    pub fn node_by_ip(&self, ip: &str) -> Option<&NodeInfo> {
        self.node_by_ip.get(ip).and_then(|n| self.nodes.get(n))
    }

    pub fn nodes(&self) -> impl Iterator<Item = &NodeInfo> {
        self.nodes.values()
    }

    /// Every endpoint of a Service, from all its slices, sorted as kube-proxy sorts them
    /// ("ip:port" as a string).
    pub fn endpoints(&self, service: &str) -> Vec<&Endpoint> {
        let mut all: Vec<&Endpoint> = self
            .slices_by_service
            .get(service)
            .into_iter()
            .flatten()
            .filter_map(|s| self.slices.get(s))
            .flat_map(|(_, eps)| eps.iter())
            .collect();
        all.sort_shared_by(|a, b| a.ip.cmp(&b.ip));
        all.dedup_by(|a, b| a.ip == b.ip);
        all
    }

    pub fn connection(&self, id: u64) -> Option<&Connection> {
        self.conntrack.get(&id)
    }

    /// Closes a keep-alive connection (its conntrack entry goes).
    pub fn close(&mut self, id: u64) {
        self.conntrack.remove(&id);
    }

    pub fn open(&mut self, conn: Connection) -> u64 {
        self.next_connection += 1;
        self.conntrack.insert(self.next_connection, conn);
        // Bounded like a real conntrack table; the oldest entries go first.
        while self.conntrack.len() > 4096 {
            self.conntrack.pop_first();
        }
        self.next_connection
    }
}

fn service_info(key: &str, svc: &Value) -> ServiceInfo {
    let ips = |p: &str| -> Vec<String> {
        svc.pointer(p)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let cluster_ip = match object::str_at(svc, "/spec/clusterIP") {
        "" | "None" => None,
        ip => Some(ip.to_string()),
    };
    let ports = svc
        .pointer("/spec/ports")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|p| {
                    Some(ServicePort {
                        name: object::str_at(p, "/name").to_string(),
                        port: port_of(p.get("port")?)?,
                        protocol: match object::str_at(p, "/protocol") {
                            "" => "TCP".into(),
                            other => other.to_string(),
                        },
                        node_port: p.get("nodePort").and_then(port_of),
                        target_port: match p.get("targetPort") {
                            Some(Value::String(s)) => s.clone(),
                            Some(Value::Number(n)) => n.to_string(),
                            _ => String::new(),
                        },
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let load_balancer_ips = svc
        .pointer("/status/loadBalancer/ingress")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|i| object::str_at(i, "/ip").to_string())
                .filter(|ip| !ip.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let selector = svc
        .pointer("/spec/selector")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default()))
                .collect::<Vec<_>>()
                .join(",")
        })
        .unwrap_or_default();
    ServiceInfo {
        key: key.to_string(),
        kind: match object::str_at(svc, "/spec/type") {
            "" => "ClusterIP".into(),
            t => t.to_string(),
        },
        cluster_ip,
        ports,
        load_balancer_ips,
        external_ips: ips("/spec/externalIPs"),
        external_local: object::str_at(svc, "/spec/externalTrafficPolicy") == "Local",
        internal_local: object::str_at(svc, "/spec/internalTrafficPolicy") == "Local",
        affinity: (object::str_at(svc, "/spec/sessionAffinity") == "ClientIP").then(|| {
            svc.pointer("/spec/sessionAffinityConfig/clientIP/timeoutSeconds")
                .and_then(Value::as_u64)
                .unwrap_or(10800)
                * SECOND
        }),
        has_selector: !selector.is_empty(),
        selector,
    }
}

/// Where a packet entered kube-proxy's rules, which decides the traffic policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// From a pod (or the node itself) to a ClusterIP: internalTrafficPolicy applies.
    Internal,
    /// From outside to a NodePort, an external IP or a load-balancer IP:
    /// externalTrafficPolicy applies.
    External,
    /// From a pod to a load-balancer or external IP: kube-proxy short-circuits it inside
    /// the cluster with Cluster semantics, whatever the policy says.
    ShortCircuit,
}

/// kube-proxy's verdict for one new connection to a Service port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// DNAT to this endpoint; `snat` is the address the pod will see as the source
    /// when it is not the client's own (masquerade).
    Dnat {
        endpoint: Endpoint,
        port: u16,
        snat: Option<String>,
        hop: Hop,
    },
    /// No usable endpoint at all: `REJECT` (ICMP port unreachable → connection refused).
    Reject { hop: Hop },
    /// `Local` policy and no endpoint on this node: the packet is dropped.
    Drop { hop: Hop },
}

/// The iptables rules one node's kube-proxy programmed for `svc`/`port`, applied to a new
/// connection from `client_ip` entering at `node` (or a kept conntrack/affinity choice).
pub fn choose(
    cluster: &mut Cluster,
    svc: &ServiceInfo,
    port: &ServicePort,
    node: &str,
    entry: Entry,
    client_ip: &str,
    shown_dst: &str,
) -> Verdict {
    let now = cluster.now;
    let proxy = &mut cluster.network.proxy;
    let node_ip = proxy.node(node).map(|n| n.ip.clone()).unwrap_or_default();
    let all = proxy.endpoints(&svc.key);
    let total = all.len();
    let port_name = port.name.clone();
    // Endpoints that serve this port: ready ones; if none is ready, serving terminating
    // ones (kube-proxy's fallback, KEP-1669).
    let with_port: Vec<&Endpoint> = all
        .into_iter()
        .filter(|e| e.ports.contains_key(&port_name))
        .collect();
    let ready: Vec<&Endpoint> = with_port.iter().copied().filter(|e| e.ready).collect();
    let usable: Vec<Endpoint> = if ready.is_empty() {
        with_port
            .iter()
            .filter(|e| e.serving && e.terminating)
            .map(|e| (*e).clone())
            .collect()
    } else {
        ready.into_iter().cloned().collect()
    };
    let at = |from: Place, to: Place, rule: String, explanation: String| Hop {
        at: now,
        from,
        to,
        layer: Layer::Tcp,
        rule,
        explanation,
        reply: false,
    };
    let here = Place::KubeProxy(node.to_string());
    if usable.is_empty() {
        let why = if !svc.has_selector && with_port.is_empty() {
            format!("Service {} has no selector and no endpoints", svc.key)
        } else if with_port.is_empty() && total == 0 {
            format!(
                "Service {} has no endpoints: no pod matches its selector {}",
                svc.key, svc.selector
            )
        } else {
            format!(
                "Service {} has no ready endpoints ({} not ready)",
                svc.key,
                with_port.len()
            )
        };
        return Verdict::Reject {
            hop: at(
                here.clone(),
                here,
                format!("REJECT {shown_dst} (icmp-port-unreachable)"),
                format!("{why}: kube-proxy rejects new connections → connection refused"),
            ),
        };
    }
    let local_policy = match entry {
        Entry::Internal => svc.internal_local,
        Entry::External => svc.external_local,
        Entry::ShortCircuit => false,
    };
    let policy_name = match entry {
        Entry::Internal | Entry::ShortCircuit => "internalTrafficPolicy",
        Entry::External => "externalTrafficPolicy",
    };
    let candidates: Vec<Endpoint> = if local_policy {
        usable.iter().filter(|e| e.node == node).cloned().collect()
    } else {
        usable.clone()
    };
    if candidates.is_empty() {
        return Verdict::Drop {
            hop: at(
                here.clone(),
                here,
                format!("DROP {shown_dst} (KUBE-SVL chain empty)"),
                format!(
                    "{policy_name}: Local and no ready endpoint of {} on {node} ({} elsewhere): the packet is dropped",
                    svc.key,
                    usable.len()
                ),
            ),
        };
    }
    let snat = match entry {
        Entry::External if !local_policy => Some(node_ip.clone()),
        _ => None,
    };
    // Session affinity: a recent choice for this client wins while it is fresh.
    let mut reason = None;
    let mut chosen = None;
    if let Some(timeout) = svc.affinity {
        let key = (svc.key.clone(), client_ip.to_string());
        if let Some((ip, last)) = proxy.affinity.get(&key).cloned() {
            if now.saturating_sub(last) <= timeout {
                if let Some(i) = candidates.iter().position(|e| e.ip == ip) {
                    chosen = Some(i);
                    reason = Some(format!(
                        "sessionAffinity ClientIP: {client_ip} chose {ip} {}s ago (timeout {}s), so it goes there again",
                        (now - last) / SECOND,
                        timeout / SECOND
                    ));
                }
            }
        }
    }
    let n = candidates.len();
    let index = match chosen {
        Some(i) => i,
        None => {
            let (i, why) = probability_walk(&mut proxy.rng, n);
            reason = Some(why);
            i
        }
    };
    if svc.affinity.is_some() {
        proxy.affinity.insert(
            (svc.key.clone(), client_ip.to_string()),
            (candidates[index].ip.clone(), now),
        );
    }
    let endpoint = candidates[index].clone();
    let target = endpoint.ports.get(&port_name).copied().unwrap_or(port.port);
    let mut explanation = reason.unwrap_or_default();
    if local_policy {
        explanation.push_str(&format!(
            "; {policy_name}: Local — only the {n} endpoint(s) on {node}"
        ));
    }
    if let Some(s) = &snat {
        explanation.push_str(&format!(
            "; externalTrafficPolicy: Cluster — source masqueraded to {s}"
        ));
    } else if entry == Entry::External {
        explanation.push_str(&format!("; client address {client_ip} kept"));
    }
    let rule = format!("DNAT {shown_dst} → {}:{target}", endpoint.ip);
    Verdict::Dnat {
        hop: at(here.clone(), here, rule, explanation),
        endpoint,
        port: target,
        snat,
    }
}

/// Walks `KUBE-SVC-…`'s rules as iptables does: rule i of n matches with probability
/// 1/(n−i); the last always matches. Returns the index and the explanation.
pub fn probability_walk(rng: &mut Rng, n: usize) -> (usize, String) {
    let mut skipped = vec![];
    for i in 0..n {
        let remaining = (n - i) as u64;
        if i + 1 == n {
            let mut why = format!("endpoint {} of {n}", i + 1);
            if n > 1 {
                why.push_str(&format!(
                    ": rules {} did not match, the last rule always does",
                    skipped.join(", ")
                ));
            } else {
                why.push_str(": the only endpoint");
            }
            return (i, why);
        }
        if rng.below(remaining) == 0 {
            return (
                i,
                format!(
                    "endpoint {} of {n}, probability 1/{remaining} (--probability {:.10})",
                    i + 1,
                    1.0 / remaining as f64
                ),
            );
        }
        skipped.push(format!("{} (1/{remaining})", i + 1));
    }
    unreachable!("the last rule always matches")
}

/// The iptables rules kube-proxy writes for a Service's endpoints (`KUBE-SVC-…`), as
/// `iptables-save` prints the statistic matches: shown by `sim trace --rules`.
pub fn rule_probabilities(n: usize) -> Vec<Option<String>> {
    (0..n)
        .map(|i| (i + 1 < n).then(|| format!("{:.10}", 1.0 / (n - i) as f64)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probabilities_are_formatted_like_iptables_save() {
        assert_eq!(
            rule_probabilities(3),
            vec![
                Some("0.3333333333".to_string()),
                Some("0.5000000000".to_string()),
                None
            ]
        );
        assert_eq!(rule_probabilities(1), vec![None]);
    }

    #[test]
    fn the_walk_spreads_evenly() {
        let mut rng = Rng::new(7);
        let mut counts = [0u32; 4];
        for _ in 0..40_000 {
            counts[probability_walk(&mut rng, 4).0] += 1;
        }
        for c in counts {
            assert!((9_000..11_000).contains(&c), "{counts:?}");
        }
    }
}
