//! The CustomResourceDefinitions the default cluster installs for the Gateway API
//! (standard channel v1.6.1, as Envoy Gateway v1.9.0's `gateway-crds-helm` chart bundles it) and for
//! Envoy Gateway's own policy kinds: their names, scopes, versions and
//! `additionalPrinterColumns` as in the real YAML, so `kubectl get crd`, `get gateway`,
//! `get httproute` and `api-resources` print what a real cluster prints.
//!
//! The OpenAPI schemas are not carried (they run to thousands of lines); the fields the
//! schemas default and validate are defaulted and validated by [`super::admission`].

use crate::sim::json::json;
use serde_json::Value;

/// `kubectl get gateway`'s columns.
fn gateway_columns() -> Value {
    json!([
        {"jsonPath": ".spec.gatewayClassName", "name": "Class", "type": "string"},
        {"jsonPath": ".status.addresses[*].value", "name": "Address", "type": "string"},
        {"jsonPath": ".status.conditions[?(@.type==\"Programmed\")].status", "name": "Programmed", "type": "string"},
        {"jsonPath": ".metadata.creationTimestamp", "name": "Age", "type": "date"}])
}

fn gateway_class_columns() -> Value {
    json!([
        {"jsonPath": ".spec.controllerName", "name": "Controller", "type": "string"},
        {"jsonPath": ".status.conditions[?(@.type==\"Accepted\")].status", "name": "Accepted", "type": "string"},
        {"jsonPath": ".metadata.creationTimestamp", "name": "Age", "type": "date"},
        {"jsonPath": ".spec.description", "name": "Description", "priority": 1, "type": "string"}])
}

fn route_columns() -> Value {
    json!([
        {"jsonPath": ".spec.hostnames", "name": "Hostnames", "type": "string"},
        {"jsonPath": ".metadata.creationTimestamp", "name": "Age", "type": "date"}])
}

fn age_column() -> Value {
    json!([{"jsonPath": ".metadata.creationTimestamp", "name": "Age", "type": "date"}])
}

/// One CRD. `versions` are (name, printer columns); the one marked with a trailing `*`
/// is the stored one, else the first.
#[allow(clippy::too_many_arguments)]
fn crd(
    group: &str,
    kind: &str,
    plural: &str,
    short: &[&str],
    category: &str,
    scope: &str,
    versions: &[(&str, Value)],
    annotations: Value,
) -> Value {
    let versions: Vec<Value> = versions
        .iter()
        .enumerate()
        .map(|(i, (name, columns))| {
            let marked = versions.iter().any(|(n, _)| n.ends_with('*'));
            let storage = if marked { name.ends_with('*') } else { i == 0 };
            let name = name.trim_end_matches('*');
            let mut v = json!({"name": name, "served": true, "storage": storage,
                "schema": {"openAPIV3Schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}},
                "subresources": {"status": {}}});
            if columns.as_array().is_some_and(|c| !c.is_empty()) {
                v["additionalPrinterColumns"] = columns.clone();
            }
            v
        })
        .collect();
    let mut names = json!({"categories": [category], "kind": kind, "listKind": format!("{kind}List"),
        "plural": plural, "singular": kind.to_lowercase()});
    if !short.is_empty() {
        names["shortNames"] = json!(short);
    }
    json!({"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": {"name": format!("{plural}.{group}"), "annotations": annotations},
        "spec": {"group": group, "names": names, "scope": scope, "versions": versions}})
}

/// The Gateway API release the CRDs come from, and its channel.
pub const GATEWAY_API_VERSION: &str = "v1.6.1";

/// Every CRD the default cluster installs, Gateway API first.
pub fn all() -> Vec<Value> {
    let gw = "gateway.networking.k8s.io";
    let api = || {
        json!({"api-approved.kubernetes.io": "https://github.com/kubernetes-sigs/gateway-api/pull/4530",
            "gateway.networking.k8s.io/bundle-version": GATEWAY_API_VERSION,
            "gateway.networking.k8s.io/channel": "standard"})
    };
    let eg = "gateway.envoyproxy.io";
    let eg_annotations = || json!({"controller-gen.kubebuilder.io/version": "v0.18.0"});
    let policy = |kind: &str, plural: &str, short: &str| {
        crd(
            eg,
            kind,
            plural,
            &[short],
            "envoy-gateway",
            "Namespaced",
            &[("v1alpha1", age_column())],
            eg_annotations(),
        )
    };
    vec![
        crd(
            gw,
            "BackendTLSPolicy",
            "backendtlspolicies",
            &["btlspolicy"],
            "gateway-api",
            "Namespaced",
            &[("v1", age_column())],
            api(),
        ),
        crd(
            gw,
            "GatewayClass",
            "gatewayclasses",
            &["gc"],
            "gateway-api",
            "Cluster",
            &[
                ("v1", gateway_class_columns()),
                ("v1beta1", gateway_class_columns()),
            ],
            api(),
        ),
        crd(
            gw,
            "Gateway",
            "gateways",
            &["gtw"],
            "gateway-api",
            "Namespaced",
            &[("v1", gateway_columns()), ("v1beta1", gateway_columns())],
            api(),
        ),
        crd(
            gw,
            "HTTPRoute",
            "httproutes",
            &[],
            "gateway-api",
            "Namespaced",
            &[("v1", route_columns()), ("v1beta1", route_columns())],
            api(),
        ),
        crd(
            gw,
            "GRPCRoute",
            "grpcroutes",
            &[],
            "gateway-api",
            "Namespaced",
            &[("v1", route_columns())],
            api(),
        ),
        crd(
            gw,
            "ListenerSet",
            "listenersets",
            &["lset"],
            "gateway-api",
            "Namespaced",
            &[(
                "v1",
                json!([
                {"jsonPath": ".status.conditions[?(@.type==\"Accepted\")].status", "name": "Accepted", "type": "string"},
                {"jsonPath": ".status.conditions[?(@.type==\"Programmed\")].status", "name": "Programmed", "type": "string"},
                {"jsonPath": ".metadata.creationTimestamp", "name": "Age", "type": "date"}]),
            )],
            api(),
        ),
        crd(
            gw,
            "ReferenceGrant",
            "referencegrants",
            &["refgrant"],
            "gateway-api",
            "Namespaced",
            // As v1.6.1's CRD lists them: v1 served and preferred, v1beta1 still stored.
            &[("v1", age_column()), ("v1beta1*", age_column())],
            api(),
        ),
        policy("BackendTrafficPolicy", "backendtrafficpolicies", "btp"),
        policy("ClientTrafficPolicy", "clienttrafficpolicies", "ctp"),
        crd(
            eg,
            "EnvoyProxy",
            "envoyproxies",
            &["eproxy"],
            "envoy-gateway",
            "Namespaced",
            &[("v1alpha1", json!([]))],
            eg_annotations(),
        ),
        policy("SecurityPolicy", "securitypolicies", "sp"),
    ]
}
