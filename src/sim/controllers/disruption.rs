//! The disruption controller (pkg/controller/disruption): keeps each
//! PodDisruptionBudget's status — `expectedPods`, `currentHealthy`, `desiredHealthy`,
//! `disruptionsAllowed`, the `DisruptionAllowed` condition — in step with the pods its
//! selector matches. The eviction API (`sim::eviction`) reads that status.
//!
//! Worked example: Deployment of 3, `minAvailable: 2`, all Ready → expected 3, healthy 3,
//! desired 2, allowed 1. Evict one: allowed 0 until its replacement is Ready again.
//! `maxUnavailable: 1` on the same Deployment → expected 3 (the Deployment's replicas),
//! desired 3 − 1 = 2, allowed 1.

use crate::sim::cluster::Cluster;
use crate::sim::events::EventSource;
use crate::sim::eviction::is_healthy;
use crate::sim::json::json;
use crate::sim::labels::{labels_of, Selector};
use crate::sim::messages::Component;
use crate::sim::object;
use crate::sim::time::{parse_rfc3339, rfc3339, MINUTE};
use serde_json::Value;
use std::collections::BTreeSet;

/// `DeletionTimeout`: how long a pod stays in `disruptedPods` when its deletion is not
/// seen.
const DELETION_TIMEOUT: u64 = 2 * MINUTE;

pub fn reconcile(cluster: &mut Cluster) {
    let cursor = cluster.controllers.disruption_cursor;
    let relevant = cluster.store.events_since(cursor).iter().any(|e| {
        matches!(
            (
                e.key.resource.group.as_str(),
                e.key.resource.resource.as_str()
            ),
            ("", "pods")
                | ("policy", "poddisruptionbudgets")
                | ("apps", "deployments" | "replicasets" | "statefulsets")
        )
    });
    cluster.controllers.disruption_cursor = cluster.store.revision();
    if !relevant {
        return;
    }
    let rt = cluster
        .registry
        .resolve("poddisruptionbudgets")
        .expect("built in")
        .clone();
    let budgets: Vec<Value> = cluster.list(&rt, None).into_iter().cloned().collect();
    for pdb in budgets {
        let status = status_of(cluster, &pdb);
        // trySync's "NoPods" event, here once per generation rather than on every sync.
        let first_sync =
            pdb.pointer("/status/observedGeneration") != status.get("observedGeneration");
        if first_sync && status.get("expectedPods").and_then(Value::as_i64) == Some(0) {
            cluster.emit_event(
                &pdb,
                "Normal",
                "NoPods",
                "No matching pods found",
                &EventSource::component("controllermanager"),
                Component::ControllerManager("disruption".into()),
            );
        }
        let _ = cluster.update_status(
            &rt,
            object::namespace(&pdb),
            object::name(&pdb),
            status,
            Component::ControllerManager("disruption".into()),
        );
    }
}

/// `trySync`: the budget's new status.
fn status_of(cluster: &Cluster, pdb: &Value) -> Value {
    let now = cluster.now;
    let ns = object::namespace(pdb);
    let pods_rt = cluster.registry.resolve("pods").expect("built in");
    let selector = pdb
        .pointer("/spec/selector")
        .filter(|s| !s.is_null())
        .map(Selector::from_label_selector);
    let pods: Vec<&Value> = match &selector {
        Some(sel) => cluster
            .list(pods_rt, Some(ns))
            .into_iter()
            .filter(|p| sel.matches(&labels_of(p)))
            .collect(),
        None => vec![],
    };
    let old = pdb.get("status").cloned().unwrap_or(json!({}));
    // Disrupted pods stay out of the healthy count until they are gone, at most 2 minutes.
    let mut disrupted = serde_json::Map::new();
    for (name, at) in old
        .get("disruptedPods")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let pod = pods.iter().find(|p| object::name(p) == name);
        let fresh = parse_rfc3339(at.as_str().unwrap_or_default())
            .is_some_and(|t| (t as u64) + DELETION_TIMEOUT > now);
        if pod.is_some_and(|p| !object::is_deleting(p)) && fresh {
            disrupted.insert(name.clone(), at.clone());
        }
    }
    let healthy = pods
        .iter()
        .filter(|p| is_healthy(p) && !disrupted.contains_key(object::name(p)))
        .count() as i64;
    let (expected, desired) = expected_and_desired(cluster, pdb, &pods);
    let allowed = if expected <= 0 {
        0
    } else {
        (healthy - desired).max(0)
    };
    let generation = pdb
        .pointer("/metadata/generation")
        .and_then(Value::as_i64)
        .unwrap_or(1);
    let mut status = json!({
        "currentHealthy": healthy,
        "desiredHealthy": desired,
        "disruptionsAllowed": allowed,
        "expectedPods": expected,
        "observedGeneration": generation,
    });
    if !disrupted.is_empty() {
        status["disruptedPods"] = Value::Object(disrupted);
    }
    status["conditions"] = old.get("conditions").cloned().unwrap_or(json!([]));
    set_allowed_condition(cluster, &mut status, pdb);
    status
}

/// `expectedPods` and `desiredHealthy` for the budget's kind of bound: an integer
/// `minAvailable` counts the pods; a percentage or `maxUnavailable` counts the replicas
/// their controllers ask for (rounding the percentage up).
fn expected_and_desired(cluster: &Cluster, pdb: &Value, pods: &[&Value]) -> (i64, i64) {
    let spec = pdb.get("spec").unwrap_or(&Value::Null);
    let scaled = |v: &Value, total: i64| -> i64 {
        match v {
            Value::String(s) if s.ends_with('%') => {
                let pct: i64 = s.trim_end_matches('%').parse().unwrap_or(0);
                (pct * total + 99) / 100
            }
            other => other.as_i64().unwrap_or(0),
        }
    };
    if let Some(max) = spec.get("maxUnavailable").filter(|v| !v.is_null()) {
        let expected = controllers_scale(cluster, pods);
        return (expected, (expected - scaled(max, expected)).max(0));
    }
    match spec.get("minAvailable").filter(|v| !v.is_null()) {
        Some(Value::Number(n)) => (pods.len() as i64, n.as_i64().unwrap_or(0)),
        Some(min) => {
            let expected = controllers_scale(cluster, pods);
            (expected, scaled(min, expected))
        }
        None => (pods.len() as i64, 0),
    }
}

/// `getExpectedScale`: the summed `spec.replicas` of the pods' controllers (a ReplicaSet
/// owned by a Deployment counts as the Deployment), each controller once.
fn controllers_scale(cluster: &Cluster, pods: &[&Value]) -> i64 {
    let mut seen = BTreeSet::new();
    let mut total = 0;
    for pod in pods {
        let Some(owner) = object::controller_of(pod) else {
            continue;
        };
        let ns = object::namespace(pod);
        let mut controller = resolve(cluster, &owner.kind, ns, &owner.name);
        if owner.kind == "ReplicaSet" {
            if let Some(deploy) = controller
                .as_ref()
                .and_then(object::controller_of)
                .filter(|o| o.kind == "Deployment")
            {
                controller = resolve(cluster, "Deployment", ns, &deploy.name);
            }
        }
        if let Some(c) = controller {
            if seen.insert(object::uid(&c).to_string()) {
                total += c
                    .pointer("/spec/replicas")
                    .and_then(Value::as_i64)
                    .unwrap_or(1);
            }
        }
    }
    total
}

fn resolve(cluster: &Cluster, kind: &str, ns: &str, name: &str) -> Option<Value> {
    let plural = match kind {
        "ReplicaSet" => "replicasets",
        "Deployment" => "deployments",
        "StatefulSet" => "statefulsets",
        "ReplicationController" => "replicationcontrollers",
        _ => return None,
    };
    let rt = cluster.registry.resolve(plural)?;
    cluster.get(rt, ns, name).ok().cloned()
}

/// `UpdateDisruptionAllowedCondition`: `DisruptionAllowed` True (SufficientPods) while a
/// disruption is allowed, else False (InsufficientPods); the transition time moves only
/// when the status does.
pub fn set_allowed_condition(cluster: &Cluster, status: &mut Value, pdb: &Value) {
    let allowed = status
        .get("disruptionsAllowed")
        .and_then(Value::as_i64)
        .unwrap_or(0)
        > 0;
    let (value, reason) = if allowed {
        ("True", "SufficientPods")
    } else {
        ("False", "InsufficientPods")
    };
    let generation = pdb
        .pointer("/metadata/generation")
        .and_then(Value::as_i64)
        .unwrap_or(1);
    let mut condition = json!({"lastTransitionTime": rfc3339(cluster.now), "message": "",
        "observedGeneration": generation, "reason": reason, "status": value, "type": "DisruptionAllowed"});
    let conditions = status
        .get("conditions")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if let Some(old) = conditions
        .iter()
        .find(|c| object::str_at(c, "/type") == "DisruptionAllowed")
    {
        if object::str_at(old, "/status") == value {
            condition["lastTransitionTime"] = old["lastTransitionTime"].clone();
        }
    }
    status["conditions"] = json!([condition]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::apiserver::WriteOptions;
    use crate::sim::cluster::ClusterOptions;
    use crate::sim::errors::StatusReason;
    use crate::sim::time::SECOND;

    /// A cluster running a 4-replica Deployment `web`, all Ready.
    fn cluster_with_web() -> Cluster {
        let mut c = Cluster::new(ClusterOptions::default());
        let rt = c.registry.resolve("deployments").expect("built in").clone();
        let deploy = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
            "spec": {"replicas": 4, "selector": {"matchLabels": {"app": "web"}},
                "template": {"metadata": {"labels": {"app": "web"}},
                    "spec": {"containers": [{"name": "nginx", "image": "nginx:1.25"}]}}}});
        c.create(&rt, deploy, "default", &WriteOptions::default())
            .expect("created");
        c.run_until(30 * SECOND);
        c
    }

    fn budget(c: &mut Cluster, name: &str, spec: Value) -> Value {
        let rt = c
            .registry
            .resolve("poddisruptionbudgets")
            .expect("built in")
            .clone();
        let pdb = json!({"apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
            "metadata": {"name": name}, "spec": spec});
        c.create(&rt, pdb, "default", &WriteOptions::default())
            .expect("created");
        c.settle();
        c.get(&rt, "default", name).expect("stored")["status"].clone()
    }

    #[test]
    fn status_table() {
        let selector = json!({"matchLabels": {"app": "web"}});
        // (bound, expectedPods, desiredHealthy, disruptionsAllowed) with 4 Ready pods.
        let cases = [
            (json!({"minAvailable": 3}), 4, 3, 1),
            (json!({"minAvailable": 4}), 4, 4, 0),
            (json!({"minAvailable": "50%"}), 4, 2, 2),
            (json!({"maxUnavailable": 1}), 4, 3, 1),
            (json!({"maxUnavailable": "30%"}), 4, 2, 2),
            (json!({"maxUnavailable": 0}), 4, 4, 0),
        ];
        let mut c = cluster_with_web();
        for (i, (bound, expected, desired, allowed)) in cases.into_iter().enumerate() {
            let mut spec = bound.clone();
            spec["selector"] = selector.clone();
            let status = budget(&mut c, &format!("pdb-{i}"), spec);
            let got = (
                status["expectedPods"].as_i64(),
                status["desiredHealthy"].as_i64(),
                status["disruptionsAllowed"].as_i64(),
                status["currentHealthy"].as_i64(),
            );
            assert_eq!(
                got,
                (Some(expected), Some(desired), Some(allowed), Some(4)),
                "{bound}"
            );
        }
    }

    #[test]
    fn eviction_spends_the_budget_then_refuses() {
        let mut c = cluster_with_web();
        budget(
            &mut c,
            "web",
            json!({"minAvailable": 3, "selector": {"matchLabels": {"app": "web"}}}),
        );
        let rt = c.registry.resolve("pods").expect("built in").clone();
        let names: Vec<String> = c
            .list(&rt, Some("default"))
            .iter()
            .map(|p| object::name(p).to_string())
            .collect();
        c.evict("default", &names[0], None, Component::Kubectl)
            .expect("one disruption allowed");
        let refused = c
            .evict("default", &names[1], None, Component::Kubectl)
            .expect_err("budget spent");
        assert_eq!(refused.reason, StatusReason::TooManyRequests);
        assert_eq!(refused.message, crate::sim::eviction::BUDGET_VIOLATED);
        let evicted = c.get(&rt, "default", &names[0]).expect("terminating");
        assert!(object::is_deleting(evicted));
        // Once the replacement is Ready, the budget allows one disruption again.
        c.run_until(c.now() + 60 * SECOND);
        c.evict("default", &names[1], None, Component::Kubectl)
            .expect("budget restored");
    }
}
