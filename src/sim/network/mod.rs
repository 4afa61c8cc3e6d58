//! The data plane: what happens to a request (design.md §2 "Network").
//!
//! The control plane decides *where things run*; this module decides *where packets go*.
//! Its parts read like the real components they stand for:
//!
//! - [`proxy`]: kube-proxy on every node, iptables-mode semantics: Service tables kept up
//!   to date from the watch (Services and EndpointSlices), DNAT to an endpoint chosen with
//!   probabilities 1/n, 1/(n−1), …, conntrack, ClientIP affinity, traffic policies, REJECT
//!   for Services without ready endpoints.
//! - [`dns`]: CoreDNS answering per the Kubernetes DNS specification, and the pod's
//!   `/etc/resolv.conf` with its search-list expansion.
//! - [`cloud`]: the cloud-controller-manager's service controller, giving LoadBalancer
//!   Services an address from the simulated cloud pool.
//! - [`ingress`]: ingress-nginx, the Ingress controller: routing by host and path, its
//!   own 404/503 answers, the Ingresses' addresses.
//! - [`gateway`]: Envoy Gateway, the Gateway API implementation: a proxy per Gateway,
//!   HTTPRoute routing, SecurityPolicy and BackendTrafficPolicy, Envoy's own answers.
//! - [`apps`]: what the application in a container answers (nginx, whoami, http-echo, …).
//! - [`tls`]: certificates at the edge and what a TLS client makes of them.
//! - [`request`]: one request from a client (the laptop, the internet, a pod) to an
//!   address, hop by hop, recorded as a [`flow::Flow`].
//! - [`traffic`]: steady load generators (`sim traffic`).
//! - [`loops`]: pods whose container loops `wget`/`curl` run one of those generators.
//!
//! All of it is deterministic: choices use the cluster's one RNG, time is virtual.

pub mod apps;
pub mod cloud;
pub mod dns;
pub mod flow;
pub mod gateway;
pub mod ingress;
pub mod loops;
pub mod proxy;
pub mod request;
pub mod tls;
pub mod traffic;

pub use flow::{Flow, FlowLog, Hop, Layer, Outcome, Place};
pub use request::{Client, Exchange, Failure, Request, Response};

/// The data plane's state: everything here is derived from the API (kube-proxy's tables,
/// CoreDNS's cache) or is runtime state no API object holds (conntrack, affinity, the
/// cloud's address pool, generators, the flow log).
#[derive(Debug, Clone, Default)]
pub struct NetworkState {
    pub(crate) proxy: proxy::ProxyState,
    pub(crate) cloud: cloud::CloudState,
    pub(crate) ingress: ingress::IngressState,
    pub(crate) gateway: gateway::GatewayState,
    pub(crate) traffic: traffic::TrafficState,
    /// Pods whose container loops requests, and their generators.
    pub(crate) loops: loops::LoopState,
    pub(crate) flows: FlowLog,
    /// Active `kubectl port-forward`s: local port → target.
    pub(crate) forwards: std::collections::BTreeMap<u16, request::Forward>,
    /// CoreDNS's watch-fed cache of Services and EndpointSlices.
    pub(crate) dns: dns::index::DnsIndex,
}

impl NetworkState {
    pub fn flows(&self) -> &FlowLog {
        &self.flows
    }

    pub fn forwards(&self) -> &std::collections::BTreeMap<u16, request::Forward> {
        &self.forwards
    }

    pub fn generators(&self) -> &[traffic::Generator] {
        self.traffic.generators()
    }
}

/// One turn for the data plane's watchers (kube-proxy, CoreDNS, the cloud controller):
/// they read what changed since their last turn. Called with the controllers.
pub fn reconcile(cluster: &mut crate::sim::Cluster) {
    cloud::reconcile(cluster);
    proxy::reconcile(cluster);
    dns::index::reconcile(cluster);
    ingress::reconcile(cluster);
    gateway::reconcile(cluster);
    loops::reconcile(cluster);
}

/// A built-in resource type by plural name (`services`, `endpointslices`).
pub(crate) fn resource(
    cluster: &crate::sim::Cluster,
    plural: &str,
) -> crate::sim::resources::ResourceType {
    cluster
        .registry()
        .resolve(plural)
        .expect("a built-in resource")
        .clone()
}
