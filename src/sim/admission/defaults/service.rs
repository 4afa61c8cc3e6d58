//! Service defaults: `SetDefaults_Service` (pkg/apis/core/v1/defaults.go, k8s-behaviour
//! §7) and the IP-family fields the Service REST strategy fills on create
//! (pkg/registry/core/service/storage `initIPFamilyFields`) for a single-stack IPv4
//! cluster. ClusterIP and NodePort allocation is the apiserver's job, not this one.

use super::{child, each, fill, str_at};
use crate::sim::json::json;
use serde_json::Value;

pub fn service(obj: &mut Value) {
    let spec = child(obj, "spec");
    fill(spec, "sessionAffinity", json!("None"));
    fill(spec, "type", json!("ClusterIP"));
    for port in each(spec, "ports") {
        fill(port, "protocol", json!("TCP"));
        let target_unset = match port.get("targetPort") {
            None | Some(Value::Null) => true,
            Some(Value::Number(n)) => n.as_i64() == Some(0),
            Some(Value::String(s)) => s.is_empty(),
            _ => false,
        };
        if target_unset {
            if let Some(p) = port.get("port").cloned() {
                port["targetPort"] = p;
            }
        }
    }
    let service_type = str_at(spec, "type").to_string();
    if matches!(service_type.as_str(), "NodePort" | "LoadBalancer") {
        fill(spec, "externalTrafficPolicy", json!("Cluster"));
    }
    if service_type != "ExternalName" {
        fill(spec, "internalTrafficPolicy", json!("Cluster"));
    }
    if str_at(spec, "sessionAffinity") == "ClientIP" {
        let config = child(child(spec, "sessionAffinityConfig"), "clientIP");
        fill(config, "timeoutSeconds", json!(10800));
    }
    if service_type == "LoadBalancer" {
        fill(spec, "allocateLoadBalancerNodePorts", json!(true));
    }
    if service_type != "ExternalName" {
        let headless = str_at(spec, "clusterIP") == "None";
        let has_selector = spec
            .get("selector")
            .and_then(Value::as_object)
            .is_some_and(|m| !m.is_empty());
        let policy = if headless && !has_selector {
            "RequireDualStack"
        } else {
            "SingleStack"
        };
        fill(spec, "ipFamilyPolicy", json!(policy));
        if spec
            .get("ipFamilies")
            .and_then(Value::as_array)
            .is_none_or(|a| a.is_empty())
        {
            spec["ipFamilies"] = json!(["IPv4"]);
        }
    }
}
