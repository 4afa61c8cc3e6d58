//! Envoy Gateway, the Gateway API implementation of the default cluster (design.md §2,
//! issue 11). Like ingress-nginx's, its behaviour belongs to its images:
//!
//! - a pod running `docker.io/envoyproxy/gateway` with `server` is the controller: while
//!   one runs, it accepts GatewayClasses naming `gateway.envoyproxy.io/gatewayclass-controller`,
//!   gives each of their Gateways an Envoy proxy Deployment and LoadBalancer Service in
//!   `envoy-gateway-system` (named `envoy-<namespace>-<name>-<sha256[:8]>`, as its
//!   `GetHashedName` does), and writes the status of Gateways, HTTPRoutes and policies
//!   ([`controller`]);
//! - a pod running `docker.io/envoyproxy/envoy` labelled with its owning Gateway is that
//!   Gateway's data plane: what reaches its listener port is routed per the HTTPRoutes
//!   attached to the Gateway ([`routing`]), checked against SecurityPolicies and
//!   BackendTrafficPolicies ([`policy`]), filtered and sent straight to a backend endpoint
//!   ([`proxy`]), every decision a flow hop.
//!
//! Nothing here is remembered that the API does not hold, except Envoy's runtime state:
//! rate-limit buckets and the compiled route tables (dropped on any change).

pub mod controller;
pub mod crds;
pub mod envoy;
pub mod install;
pub mod jwt;
pub mod policy;
pub mod proxy;
pub mod routing;
pub mod status;
pub mod validation;

use crate::sim::kubelet::images;
use crate::sim::object;
use crate::sim::Cluster;
use serde_json::Value;
use std::collections::BTreeMap;

/// The `controllerName` Envoy Gateway serves.
pub const CONTROLLER_NAME: &str = "gateway.envoyproxy.io/gatewayclass-controller";
/// The group of the Gateway API kinds.
pub const GROUP: &str = "gateway.networking.k8s.io";
/// The group of Envoy Gateway's own kinds.
pub const EG_GROUP: &str = "gateway.envoyproxy.io";
pub const GATEWAY_IMAGE_REPOSITORY: &str = "docker.io/envoyproxy/gateway";
pub const ENVOY_IMAGE_REPOSITORY: &str = "docker.io/envoyproxy/envoy";
/// Labels on every proxy resource, naming the Gateway it serves.
pub const OWNING_NAME: &str = "gateway.envoyproxy.io/owning-gateway-name";
pub const OWNING_NAMESPACE: &str = "gateway.envoyproxy.io/owning-gateway-namespace";

/// The controller's watch cursor and Envoy's runtime state.
#[derive(Debug, Clone, Default)]
pub struct GatewayState {
    pub(crate) cursor: u64,
    /// Compiled routes per (gateway `namespace/name`, listener port).
    tables: BTreeMap<(String, u16), proxy::Table>,
    /// Local rate-limit token buckets per (policy, route, rule).
    buckets: BTreeMap<String, policy::Bucket>,
}

fn running(pod: &Value) -> bool {
    object::str_at(pod, "/status/phase") == "Running"
        && !object::str_at(pod, "/status/podIP").is_empty()
        && !object::is_deleting(pod)
}

/// Whether `pod` is a running Envoy Gateway controller (its image, started as `server`).
pub fn is_controller(pod: &Value) -> bool {
    running(pod)
        && pod
            .pointer("/spec/containers")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .any(|c| {
                images::parse(object::str_at(c, "/image"))
                    .is_ok_and(|i| i.repository() == GATEWAY_IMAGE_REPOSITORY)
                    && c.pointer("/args/0").and_then(Value::as_str) == Some("server")
            })
}

/// Reads what changed since the last turn; when anything the controller reads changed,
/// the compiled tables go and (if a controller runs) it reconciles.
pub fn reconcile(cluster: &mut Cluster) {
    let cursor = cluster.network.gateway.cursor;
    let end = cluster.store.revision();
    if cursor >= end {
        return;
    }
    let relevant = cluster.store.events_since(cursor).iter().any(|e| {
        let (group, resource) = (
            e.key.resource.group.as_str(),
            e.key.resource.resource.as_str(),
        );
        matches!(group, GROUP | EG_GROUP)
            || matches!(
                (group, resource),
                ("", "services" | "secrets" | "pods") | ("apps", "deployments")
            )
    });
    cluster.network.gateway.cursor = end;
    if !relevant {
        return;
    }
    cluster.network.gateway.tables.clear();
    let controller_runs = {
        let rt = super::resource(cluster, "pods");
        cluster
            .list(&rt, Some(install::NAMESPACE))
            .into_iter()
            .any(is_controller)
    };
    if controller_runs {
        controller::sync(cluster);
        // Its own writes are not news to it.
        cluster.network.gateway.cursor = cluster.store.revision();
    }
}
