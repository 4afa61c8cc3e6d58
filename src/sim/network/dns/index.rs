//! CoreDNS's own view of the cluster: like the `kubernetes` plugin's informer cache, it
//! is fed from the watch (Services and EndpointSlices) and keyed so that answering a
//! query never lists anything — a Service by (namespace, name), its endpoints by the
//! slices that carry its `kubernetes.io/service-name` label, and an address by IP for
//! reverse (PTR) lookups. A query's cost does not grow with the size of the cluster.

use crate::sim::object;
use crate::sim::store::WatchEventType;
use crate::sim::time::Millis;
use crate::sim::Cluster;
use serde_json::Value;
use std::collections::BTreeMap;

/// (namespace, name).
pub type Key = (String, String);

/// One endpoint of a slice, as CoreDNS reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub ip: String,
    /// `hostname` (set for pods whose `subdomain` names this Service: StatefulSet pods).
    pub hostname: Option<String>,
    /// `conditions.ready` (true for every endpoint with `publishNotReadyAddresses`).
    pub ready: bool,
    /// The pod behind it (`targetRef.name`).
    pub pod: Option<String>,
    /// The node it runs on (`nodeName`).
    pub node: Option<String>,
}

/// One port of a slice: the endpoint's port (a resolved targetPort), by the Service
/// port's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Port {
    pub name: String,
    pub port: u16,
    pub protocol: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Slice {
    pub endpoints: Vec<Endpoint>,
    pub ports: Vec<Port>,
}

/// The cache; see the module comment.
#[derive(Debug, Clone, Default)]
pub struct DnsIndex {
    pub(crate) cursor: u64,
    /// Service → its slices by slice name.
    slices: BTreeMap<Key, BTreeMap<String, Slice>>,
    /// Slice (namespace, slice name) → the Service it was filed under.
    slice_service: BTreeMap<Key, String>,
    /// Endpoint IP → the Services that have it, with how many slices say so.
    endpoint_ips: BTreeMap<String, BTreeMap<Key, usize>>,
    /// Cluster IP → Service, and back.
    cluster_ips: BTreeMap<String, Key>,
    service_ip: BTreeMap<Key, String>,
    /// When anything CoreDNS serves last changed (the zone's SOA serial).
    modified: Millis,
}

impl DnsIndex {
    /// The slices of one Service, in slice-name order.
    pub fn slices(&self, namespace: &str, service: &str) -> impl Iterator<Item = &Slice> {
        self.slices
            .get(&(namespace.to_string(), service.to_string()))
            .into_iter()
            .flat_map(|m| m.values())
    }

    /// The Services with this endpoint IP.
    pub fn services_with_endpoint(&self, ip: &str) -> impl Iterator<Item = &Key> {
        self.endpoint_ips.get(ip).into_iter().flat_map(|m| m.keys())
    }

    /// The Service with this cluster IP.
    pub fn service_with_cluster_ip(&self, ip: &str) -> Option<&Key> {
        self.cluster_ips.get(ip)
    }

    pub fn modified(&self) -> Millis {
        self.modified
    }

    fn remove_slice(&mut self, namespace: &str, slice: &str) {
        let key = (namespace.to_string(), slice.to_string());
        let Some(service) = self.slice_service.remove(&key) else {
            return;
        };
        let svc_key = (namespace.to_string(), service);
        let Some(by_name) = self.slices.get_mut(&svc_key) else {
            return;
        };
        if let Some(old) = by_name.remove(slice) {
            for e in &old.endpoints {
                if let Some(owners) = self.endpoint_ips.get_mut(&e.ip) {
                    if let Some(n) = owners.get_mut(&svc_key) {
                        *n -= 1;
                        if *n == 0 {
                            owners.remove(&svc_key);
                        }
                    }
                    if owners.is_empty() {
                        self.endpoint_ips.remove(&e.ip);
                    }
                }
            }
        }
        if by_name.is_empty() {
            self.slices.remove(&svc_key);
        }
    }

    fn add_slice(&mut self, namespace: &str, name: &str, service: &str, slice: Slice) {
        let svc_key = (namespace.to_string(), service.to_string());
        for e in &slice.endpoints {
            *self
                .endpoint_ips
                .entry(e.ip.clone())
                .or_default()
                .entry(svc_key.clone())
                .or_default() += 1;
        }
        self.slice_service.insert(
            (namespace.to_string(), name.to_string()),
            service.to_string(),
        );
        self.slices
            .entry(svc_key)
            .or_default()
            .insert(name.to_string(), slice);
    }

    fn set_service(&mut self, key: Key, cluster_ip: Option<String>) {
        if let Some(old) = self.service_ip.remove(&key) {
            self.cluster_ips.remove(&old);
        }
        if let Some(ip) = cluster_ip {
            self.cluster_ips.insert(ip.clone(), key.clone());
            self.service_ip.insert(key, ip);
        }
    }
}

/// Reads the Service and EndpointSlice changes since the last turn (CoreDNS's informer).
pub fn reconcile(cluster: &mut Cluster) {
    let cursor = cluster.network.dns.cursor;
    let log_len = cluster.store.revision();
    if cursor == log_len {
        return;
    }
    let mut index = std::mem::take(&mut cluster.network.dns);
    let mut changed = false;
    for e in cluster.store.events_since(cursor) {
        let ns = e.key.namespace.as_str();
        match (
            e.key.resource.group.as_str(),
            e.key.resource.resource.as_str(),
        ) {
            ("", "services") => {
                let ip = match e.event_type {
                    WatchEventType::Deleted => None,
                    _ => cluster_ip(&e.object),
                };
                index.set_service((ns.to_string(), e.key.name.clone()), ip);
                changed = true;
            }
            ("discovery.k8s.io", "endpointslices") => {
                index.remove_slice(ns, &e.key.name);
                let service =
                    object::str_at(&e.object, "/metadata/labels/kubernetes.io~1service-name");
                if e.event_type != WatchEventType::Deleted && !service.is_empty() {
                    index.add_slice(ns, &e.key.name, service, parse_slice(&e.object));
                }
                changed = true;
            }
            _ => {}
        }
    }
    index.cursor = log_len;
    if changed {
        index.modified = cluster.now;
    }
    cluster.network.dns = index;
}

/// A Service's cluster IP, if it has one (not headless, not ExternalName).
fn cluster_ip(svc: &Value) -> Option<String> {
    let ip = object::str_at(svc, "/spec/clusterIP");
    (!ip.is_empty() && ip != "None").then(|| ip.to_string())
}

fn parse_slice(slice: &Value) -> Slice {
    let endpoints = slice
        .get("endpoints")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|e| {
            let ip = e.pointer("/addresses/0").and_then(Value::as_str)?;
            let hostname = e.get("hostname").and_then(Value::as_str);
            let pod = e.pointer("/targetRef/name").and_then(Value::as_str);
            let node = e.get("nodeName").and_then(Value::as_str);
            Some(Endpoint {
                ip: ip.to_string(),
                hostname: hostname.map(String::from),
                // An absent condition means ready (the API's "unknown → ready").
                ready: e
                    .pointer("/conditions/ready")
                    .and_then(Value::as_bool)
                    .unwrap_or(true),
                pod: pod.map(String::from),
                node: node.map(String::from),
            })
        })
        .collect();
    let ports = slice
        .get("ports")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|p| Port {
            name: object::str_at(p, "/name").to_string(),
            port: p.get("port").and_then(Value::as_u64).unwrap_or(0) as u16,
            protocol: match object::str_at(p, "/protocol") {
                "" => "TCP".to_string(),
                other => other.to_string(),
            },
        })
        .collect();
    Slice { endpoints, ports }
}
