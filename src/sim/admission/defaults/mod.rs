//! Defaulting: the `SetDefaults_*` functions of each kind (pkg/apis/*/v1/defaults.go,
//! applied recursively like the generated `zz_generated.defaults.go`), the registry
//! strategies that fill fields on create (Job selector, Service IP families), and the
//! defaulting admission plugins for Pods (ServiceAccount, DefaultTolerationSeconds,
//! Priority).
//!
//! Every helper only fills a field that is absent (or an empty string, which Go cannot
//! tell from absent); nothing is ever overwritten.

mod apps;
mod batch;
mod misc;
mod pod;
mod service;

use super::AdmissionContext;
use crate::sim::resources::ResourceType;
use serde_json::{Map, Value};

pub fn apply(rt: &ResourceType, obj: &mut Value, ctx: &mut AdmissionContext) {
    if !obj.is_object() {
        return;
    }
    match (rt.group.as_str(), rt.kind.as_str()) {
        ("", "Pod") => pod::pod(obj, ctx),
        ("", "PodTemplate") => pod::template(child(obj, "template")),
        ("", "ReplicationController") => apps::replication_controller(obj),
        ("", "Service") => service::service(obj),
        ("", "Namespace") => misc::namespace(obj),
        ("", "PersistentVolumeClaim") => misc::persistent_volume_claim(obj),
        ("", "PersistentVolume") => misc::persistent_volume(obj),
        ("", "Secret") => misc::secret(obj),
        ("", "ServiceAccount" | "ConfigMap") => {}
        ("apps", "Deployment") => apps::deployment(obj),
        ("apps", "ReplicaSet") => apps::replica_set(obj),
        ("apps", "DaemonSet") => apps::daemon_set(obj),
        ("apps", "StatefulSet") => apps::stateful_set(obj),
        ("batch", "Job") => batch::job(obj),
        ("batch", "CronJob") => batch::cron_job(obj),
        ("networking.k8s.io", "Ingress") => misc::ingress(obj),
        ("networking.k8s.io", "NetworkPolicy") => misc::network_policy(obj),
        ("autoscaling", "HorizontalPodAutoscaler") => misc::horizontal_pod_autoscaler(obj),
        // SetDefaults_PriorityClass.
        ("scheduling.k8s.io", "PriorityClass") => fill(
            obj,
            "preemptionPolicy",
            crate::sim::json::json!("PreemptLowerPriority"),
        ),
        _ => {}
    }
}

/// Sets `key` to `value` when it is absent, null or an empty string.
pub(crate) fn fill(obj: &mut Value, key: &str, value: Value) {
    if let Value::Object(map) = obj {
        let empty = match map.get(key) {
            None | Some(Value::Null) => true,
            Some(Value::String(s)) => s.is_empty(),
            _ => false,
        };
        if empty {
            map.insert(key.to_string(), value);
        }
    }
}

/// The object at `key`, created empty when absent. Anything that is not an object
/// (only possible for undecoded input) is replaced, so callers never panic.
pub(crate) fn child<'a>(obj: &'a mut Value, key: &str) -> &'a mut Value {
    if !obj.is_object() {
        *obj = Value::Object(Map::new());
    }
    let map = obj.as_object_mut().expect("just made an object");
    let entry = map
        .entry(key.to_string())
        .or_insert_with(|| Value::Object(Map::new()));
    if !entry.is_object() {
        *entry = Value::Object(Map::new());
    }
    entry
}

/// Each element of the list at `key`, if there is one.
pub(crate) fn each<'a>(obj: &'a mut Value, key: &str) -> impl Iterator<Item = &'a mut Value> {
    obj.get_mut(key)
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
}

pub(crate) fn str_at<'a>(obj: &'a Value, key: &str) -> &'a str {
    obj.get(key).and_then(Value::as_str).unwrap_or_default()
}

#[cfg(test)]
mod tests;
