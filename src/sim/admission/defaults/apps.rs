//! Workload defaults: `SetDefaults_Deployment`, `_ReplicaSet`, `_DaemonSet`,
//! `_StatefulSet` (pkg/apis/apps/v1/defaults.go) and `SetDefaults_ReplicationController`
//! (pkg/apis/core/v1/defaults.go); each also defaults its pod template.

use super::{child, each, fill, misc, pod};
use crate::sim::json::json;
use serde_json::Value;

/// k8s-behaviour §3.
pub fn deployment(obj: &mut Value) {
    let spec = child(obj, "spec");
    fill(spec, "replicas", json!(1));
    let strategy = child(spec, "strategy");
    fill(strategy, "type", json!("RollingUpdate"));
    if strategy.get("type") == Some(&json!("RollingUpdate")) {
        let rolling = child(strategy, "rollingUpdate");
        fill(rolling, "maxUnavailable", json!("25%"));
        fill(rolling, "maxSurge", json!("25%"));
    }
    fill(spec, "revisionHistoryLimit", json!(10));
    fill(spec, "progressDeadlineSeconds", json!(600));
    pod::template(child(spec, "template"));
}

/// k8s-behaviour §4.
pub fn replica_set(obj: &mut Value) {
    let spec = child(obj, "spec");
    fill(spec, "replicas", json!(1));
    pod::template(child(spec, "template"));
}

/// k8s-behaviour §5.
pub fn daemon_set(obj: &mut Value) {
    let spec = child(obj, "spec");
    let strategy = child(spec, "updateStrategy");
    fill(strategy, "type", json!("RollingUpdate"));
    if strategy.get("type") == Some(&json!("RollingUpdate")) {
        let rolling = child(strategy, "rollingUpdate");
        fill(rolling, "maxUnavailable", json!(1));
        fill(rolling, "maxSurge", json!(0));
    }
    fill(spec, "revisionHistoryLimit", json!(10));
    pod::template(child(spec, "template"));
}

/// k8s-behaviour §6.
pub fn stateful_set(obj: &mut Value) {
    let spec = child(obj, "spec");
    fill(spec, "podManagementPolicy", json!("OrderedReady"));
    let strategy = child(spec, "updateStrategy");
    fill(strategy, "type", json!("RollingUpdate"));
    if strategy.get("type") == Some(&json!("RollingUpdate")) {
        fill(child(strategy, "rollingUpdate"), "partition", json!(0));
    }
    fill(spec, "replicas", json!(1));
    fill(spec, "revisionHistoryLimit", json!(10));
    let retention = child(spec, "persistentVolumeClaimRetentionPolicy");
    fill(retention, "whenDeleted", json!("Retain"));
    fill(retention, "whenScaled", json!("Retain"));
    for claim in each(spec, "volumeClaimTemplates") {
        misc::persistent_volume_claim(claim);
    }
    pod::template(child(spec, "template"));
}

/// `SetDefaults_ReplicationController`: selector and labels default to the template's
/// labels.
pub fn replication_controller(obj: &mut Value) {
    let template_labels = obj
        .pointer("/spec/template/metadata/labels")
        .filter(|l| is_non_empty_map(l))
        .cloned();
    if let Some(labels) = template_labels {
        let spec = child(obj, "spec");
        if !spec.get("selector").is_some_and(is_non_empty_map) {
            spec["selector"] = labels.clone();
        }
        let metadata = child(obj, "metadata");
        if !metadata.get("labels").is_some_and(is_non_empty_map) {
            metadata["labels"] = labels;
        }
    }
    let spec = child(obj, "spec");
    fill(spec, "replicas", json!(1));
    if spec.get("template").is_some() {
        pod::template(child(spec, "template"));
    }
}

fn is_non_empty_map(v: &Value) -> bool {
    v.as_object().is_some_and(|m| !m.is_empty())
}
