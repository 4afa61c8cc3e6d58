//! The node-local scoring plugins and the default profile's weights
//! (pkg/scheduler/apis/config/v1/default_plugins.go): TaintToleration 3, NodeAffinity 2,
//! PodTopologySpread 2, InterPodAffinity 2, NodeResourcesFit 1. Each plugin scores a
//! feasible node 0–100; the scheduler adds the weighted scores and picks the highest.
//!
//! NodeResourcesBalancedAllocation and ImageLocality (weight 1 each) are not modelled:
//! the default cluster's workers are identical, so they rarely decide a placement.

use super::NodeInfo;
use crate::sim::labels::{labels_of, Operator, Requirement, Selector};
use crate::sim::nodematch::{term_matches, tolerates};
use crate::sim::object;
use serde_json::Value;

pub const TAINT_TOLERATION_WEIGHT: i64 = 3;
pub const NODE_AFFINITY_WEIGHT: i64 = 2;
pub const POD_TOPOLOGY_SPREAD_WEIGHT: i64 = 2;
pub const INTER_POD_AFFINITY_WEIGHT: i64 = 2;
pub const NODE_RESOURCES_FIT_WEIGHT: i64 = 1;

/// `helper.DefaultNormalizeScore`: scale to 0–100 by the highest score; `reverse` turns
/// "fewer is better" counts around (all 100 when every count is 0).
pub fn default_normalize(raw: &[i64], reverse: bool) -> Vec<i64> {
    let max = raw.iter().copied().max().unwrap_or(0);
    if max == 0 {
        return vec![if reverse { 100 } else { 0 }; raw.len()];
    }
    raw.iter()
        .map(|s| {
            let s = 100 * s / max;
            if reverse {
                100 - s
            } else {
                s
            }
        })
        .collect()
}

/// NodeAffinity's Score: the summed weights of the preferred node affinity terms the node
/// matches, normalised.
pub fn node_affinity(pod: &Value, feasible: &[&NodeInfo]) -> Vec<i64> {
    let preferred: Vec<&Value> = object::at(
        pod,
        "/spec/affinity/nodeAffinity/preferredDuringSchedulingIgnoredDuringExecution",
    )
    .and_then(Value::as_array)
    .into_iter()
    .flatten()
    .collect();
    let raw: Vec<i64> = feasible
        .iter()
        .map(|info| {
            preferred
                .iter()
                .filter(|p| {
                    p.get("weight").and_then(Value::as_i64).unwrap_or(0) != 0
                        && term_matches(p.get("preference").unwrap_or(&Value::Null), &info.node)
                })
                .map(|p| p.get("weight").and_then(Value::as_i64).unwrap_or(0))
                .sum()
        })
        .collect();
    default_normalize(&raw, false)
}

/// TaintToleration's Score: the node's PreferNoSchedule taints the pod does not tolerate
/// (counting only tolerations with that effect or none), fewer is better.
pub fn taint_toleration(pod: &Value, feasible: &[&NodeInfo]) -> Vec<i64> {
    let tolerations: Vec<&Value> = object::at(pod, "/spec/tolerations")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|t| matches!(object::str_at(t, "/effect"), "" | "PreferNoSchedule"))
        .collect();
    let raw: Vec<i64> = feasible
        .iter()
        .map(|info| {
            info.prefer_no_schedule
                .iter()
                .filter(|taint| !tolerations.iter().any(|t| tolerates(t, taint)))
                .count() as i64
        })
        .collect();
    default_normalize(&raw, true)
}

/// `helper.DefaultSelector`: the selectors of the Services selecting the pod, plus the
/// selector of its controlling ReplicationController, ReplicaSet or StatefulSet — the
/// pods the system default spread constraints count. With no Service involved, also the
/// controller's uid (the pods it selects are the pods it owns).
pub fn default_selector(
    cluster: &crate::sim::cluster::Cluster,
    pod: &Value,
) -> (Selector, Option<String>) {
    let ns = object::namespace(pod);
    let labels = labels_of(pod);
    let mut selector = Selector::default();
    let mut by_service = false;
    let mut merge = |s: Selector| {
        for r in s.requirements {
            if !selector.requirements.contains(&r) {
                selector.requirements.push(r);
            }
        }
    };
    if let Some(rt) = cluster.registry.resolve("services") {
        for svc in cluster.list(rt, Some(ns)) {
            let Some(sel) = object::at(svc, "/spec/selector")
                .filter(|s| s.as_object().is_some_and(|m| !m.is_empty()))
            else {
                continue;
            };
            let sel = Selector::from_map(sel);
            if sel.matches(&labels) {
                merge(sel);
                by_service = true;
            }
        }
    }
    let Some(owner) = object::controller_of(pod) else {
        return (selector, None);
    };
    let plural = match (owner.api_version.as_str(), owner.kind.as_str()) {
        ("v1", "ReplicationController") => "replicationcontrollers",
        ("apps/v1", "ReplicaSet") => "replicasets",
        ("apps/v1", "StatefulSet") => "statefulsets",
        _ => return (selector, None),
    };
    let Some(rt) = cluster.registry.resolve(plural) else {
        return (selector, None);
    };
    let mut owned_by = None;
    if let Ok(controller) = cluster.get(rt, ns, &owner.name) {
        owned_by = (!by_service && object::uid(controller) == owner.uid).then(|| owner.uid.clone());
        let sel = object::at(controller, "/spec/selector").unwrap_or(&Value::Null);
        merge(if plural == "replicationcontrollers" {
            Selector::from_map(sel)
        } else {
            Selector::from_label_selector(sel)
        });
    }
    (selector, owned_by)
}

/// A selector that matches nothing, for absent label selectors.
pub fn nothing() -> Selector {
    Selector {
        requirements: vec![Requirement {
            key: String::new(),
            operator: Operator::In,
            values: vec![],
        }],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// TaintToleration counts a node's untolerated PreferNoSchedule taints, read from the
    /// node cache (NoSchedule taints are the filter's business, not the score's).
    #[test]
    fn taint_toleration_counts_untolerated_prefer_no_schedule() {
        use crate::sim::json::json;
        let tainted = |name: &str, taints: Value| {
            NodeInfo::new(&json!({"metadata": {"name": name}, "spec": {"taints": taints}}))
        };
        let nodes = [
            tainted("a", json!([])),
            tainted("b", json!([{"key": "slow", "effect": "PreferNoSchedule"}])),
            tainted(
                "c",
                json!([{"key": "slow", "effect": "PreferNoSchedule"},
                {"key": "old", "value": "yes", "effect": "PreferNoSchedule"},
                {"key": "gpu", "effect": "NoSchedule"}]),
            ),
        ];
        let feasible: Vec<&NodeInfo> = nodes.iter().collect();
        let cases = [
            (json!({}), vec![100, 50, 0]),
            (
                json!({"tolerations": [{"key": "slow", "operator": "Exists"}]}),
                vec![100, 100, 0],
            ),
            (
                json!({"tolerations": [{"key": "slow", "operator": "Exists", "effect": "NoSchedule"}]}),
                vec![100, 50, 0],
            ),
            (
                json!({"tolerations": [{"operator": "Exists"}]}),
                vec![100, 100, 100],
            ),
        ];
        for (spec, want) in cases {
            let pod = json!({"spec": spec});
            assert_eq!(taint_toleration(&pod, &feasible), want, "{spec}");
        }
    }

    #[test]
    fn default_normalize_table() {
        let cases: &[(&[i64], bool, &[i64])] = &[
            (&[0, 0, 0], false, &[0, 0, 0]),
            (&[0, 0, 0], true, &[100, 100, 100]),
            (&[1, 2, 4], false, &[25, 50, 100]),
            (&[1, 0, 2], true, &[50, 100, 0]),
        ];
        for (raw, reverse, want) in cases {
            assert_eq!(default_normalize(raw, *reverse), *want, "{raw:?} {reverse}");
        }
    }
}
