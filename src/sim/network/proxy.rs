//! kube-proxy on every node, iptables-mode semantics (k8s-behaviour.md §7 "Traffic";
//! kubernetes `pkg/proxy/iptables/proxier.go`).
//!
//! Like the real one, it keeps its own tables from the watch — Services and
//! EndpointSlices — and answers a packet from those tables without listing anything.

use crate::sim::Cluster;

#[derive(Debug, Clone, Default)]
pub struct ProxyState {}

/// Reads the Service and EndpointSlice changes since the last turn into the tables.
pub fn reconcile(cluster: &mut Cluster) {
    let _ = cluster;
}
