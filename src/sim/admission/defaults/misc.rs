//! Defaults of the smaller kinds: Namespace (the `kubernetes` finalizer, from the
//! namespace strategy, and the `kubernetes.io/metadata.name` label), PersistentVolume(Claim),
//! Secret (pkg/apis/core/v1/defaults.go), Ingress, NetworkPolicy
//! (pkg/apis/networking/v1/defaults.go) and HorizontalPodAutoscaler
//! (pkg/apis/autoscaling/v2/defaults.go).

use super::{child, each, fill, str_at};
use crate::sim::json::json;
use serde_json::Value;

pub fn namespace(obj: &mut Value) {
    let name = obj
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    if !name.is_empty() {
        let labels = child(child(obj, "metadata"), "labels");
        // Set, not filled: the apiserver always overwrites this label with the name.
        labels["kubernetes.io/metadata.name"] = json!(name);
    }
    let spec = child(obj, "spec");
    if spec
        .get("finalizers")
        .and_then(Value::as_array)
        .is_none_or(|f| f.is_empty())
    {
        spec["finalizers"] = json!(["kubernetes"]);
    }
    fill(child(obj, "status"), "phase", json!("Active"));
}

pub fn persistent_volume_claim(obj: &mut Value) {
    fill(child(obj, "spec"), "volumeMode", json!("Filesystem"));
    fill(child(obj, "status"), "phase", json!("Pending"));
}

pub fn persistent_volume(obj: &mut Value) {
    let spec = child(obj, "spec");
    fill(spec, "persistentVolumeReclaimPolicy", json!("Retain"));
    fill(spec, "volumeMode", json!("Filesystem"));
    fill(child(obj, "status"), "phase", json!("Pending"));
}

pub fn secret(obj: &mut Value) {
    fill(obj, "type", json!("Opaque"));
}

/// Ingress has no SetDefaults in networking/v1; only the nested backend ports stay as
/// given. Kept as a hook so the dispatch table names every kind it was asked about.
pub fn ingress(_obj: &mut Value) {}

/// `SetDefaults_NetworkPolicy`: ports default to TCP; `policyTypes` is `[Ingress]`, plus
/// `Egress` when egress rules are present.
pub fn network_policy(obj: &mut Value) {
    let spec = child(obj, "spec");
    for list in ["ingress", "egress"] {
        for rule in each(spec, list) {
            for port in each(rule, "ports") {
                fill(port, "protocol", json!("TCP"));
            }
        }
    }
    if spec
        .get("policyTypes")
        .and_then(Value::as_array)
        .is_none_or(|p| p.is_empty())
    {
        let has_egress = spec
            .get("egress")
            .and_then(Value::as_array)
            .is_some_and(|e| !e.is_empty());
        let types = if has_egress {
            json!(["Ingress", "Egress"])
        } else {
            json!(["Ingress"])
        };
        spec["policyTypes"] = types;
    }
}

/// `SetDefaults_HorizontalPodAutoscaler` (v2): minReplicas 1, a CPU utilization target of
/// 80% when no metrics are given, and the rest of a `behavior` the user started.
pub fn horizontal_pod_autoscaler(obj: &mut Value) {
    let v1 = str_at(obj, "apiVersion") == "autoscaling/v1";
    let spec = child(obj, "spec");
    fill(spec, "minReplicas", json!(1));
    if v1 {
        return;
    }
    if spec
        .get("metrics")
        .and_then(Value::as_array)
        .is_none_or(|m| m.is_empty())
    {
        spec["metrics"] = json!([{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 80}}}]);
    }
    // SetDefaults_HorizontalPodAutoscalerBehavior fills a behavior only if one is given.
    if spec.get("behavior").is_none_or(|b| !b.is_object()) {
        return;
    }
    let behavior = child(spec, "behavior");
    let up = child(behavior, "scaleUp");
    fill(up, "stabilizationWindowSeconds", json!(0));
    fill(up, "selectPolicy", json!("Max"));
    fill(
        up,
        "policies",
        json!([{"type": "Pods", "value": 4, "periodSeconds": 15}, {"type": "Percent", "value": 100, "periodSeconds": 15}]),
    );
    let down = child(behavior, "scaleDown");
    fill(down, "selectPolicy", json!("Max"));
    fill(
        down,
        "policies",
        json!([{"type": "Percent", "value": 100, "periodSeconds": 15}]),
    );
}
