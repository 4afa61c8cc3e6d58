//! Does a pod belong on a node? The checks the scheduler's filters and the DaemonSet
//! controller's `NodeShouldRunDaemonPod` share: tolerations against taints
//! (`Toleration.ToleratesTaint`), and `nodeSelector` plus required node affinity
//! (`nodeaffinity.GetRequiredNodeAffinity`).

use super::labels::{labels_of, Selector};
use super::object;
use serde_json::Value;

/// `Toleration.ToleratesTaint`.
pub fn tolerates(t: &Value, taint: &Value) -> bool {
    let effect = object::str_at(t, "/effect");
    if !effect.is_empty() && effect != object::str_at(taint, "/effect") {
        return false;
    }
    let key = object::str_at(t, "/key");
    if !key.is_empty() && key != object::str_at(taint, "/key") {
        return false;
    }
    match object::str_at(t, "/operator") {
        "Exists" => true,
        "" | "Equal" => object::str_at(t, "/value") == object::str_at(taint, "/value"),
        _ => false,
    }
}

/// Whether [`matches_node_selector`] can answer no for some node: the spec has a
/// non-empty nodeSelector or required node affinity terms. The scheduler asks once per
/// pod instead of reading the spec again for each node.
pub fn selects_nodes(spec: &Value) -> bool {
    spec.get("nodeSelector")
        .is_some_and(|s| s.as_object().is_some_and(|m| !m.is_empty()))
        || object::at(
            spec,
            "/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms",
        )
        .and_then(Value::as_array)
        .is_some()
}

/// A pod spec's `nodeSelector` and required node affinity against a node.
pub fn matches_node_selector(spec: &Value, node: &Value) -> bool {
    if let Some(sel) = spec
        .get("nodeSelector")
        .filter(|s| s.as_object().is_some_and(|m| !m.is_empty()))
    {
        if !Selector::from_map(sel).matches_object(node) {
            return false;
        }
    }
    let Some(terms) = object::at(
        spec,
        "/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms",
    )
    .and_then(Value::as_array) else {
        return true;
    };
    // Terms are ORed; a term's expressions and fields are ANDed; an empty term matches nothing.
    terms.iter().any(|term| term_matches(term, node))
}

/// One `NodeSelectorTerm` (its expressions and fields ANDed); an empty term matches nothing.
pub fn term_matches(term: &Value, node: &Value) -> bool {
    let list = |field: &str| -> Vec<Value> {
        term.get(field)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let (exprs, fields) = (list("matchExpressions"), list("matchFields"));
    if exprs.is_empty() && fields.is_empty() {
        return false;
    }
    let labels = labels_of(node);
    exprs
        .iter()
        .all(|e| requirement(e, labels.get(object::str_at(e, "/key")).map(String::as_str)))
        && fields.iter().all(|e| {
            let value = (object::str_at(e, "/key") == "metadata.name").then(|| object::name(node));
            requirement(e, value)
        })
}

/// One `NodeSelectorRequirement` against the node's value for its key.
fn requirement(expr: &Value, value: Option<&str>) -> bool {
    let values: Vec<&str> = expr
        .get("values")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let num = |s: &str| s.parse::<i64>().ok();
    let first = values.first().and_then(|v| num(v));
    match object::str_at(expr, "/operator") {
        "In" => value.is_some_and(|v| values.contains(&v)),
        "NotIn" => value.is_none_or(|v| !values.contains(&v)),
        "Exists" => value.is_some(),
        "DoesNotExist" => value.is_none(),
        "Gt" => matches!((value.and_then(num), first), (Some(a), Some(b)) if a > b),
        "Lt" => matches!((value.and_then(num), first), (Some(a), Some(b)) if a < b),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::json::json;

    /// `selects_nodes` is the scheduler's shortcut: a spec it says no to must match every
    /// node, and each spec that can rule a node out must be one it says yes to.
    #[test]
    fn selects_nodes_only_when_a_node_can_be_ruled_out() {
        let node = json!({"metadata": {"name": "worker-1", "labels": {"disk": "ssd"}}});
        let terms = |t: Value| json!({"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": t}}}});
        let cases = [
            (json!({}), false),
            (json!({"nodeSelector": {}}), false),
            (json!({"affinity": {"nodeAffinity": {}}}), false),
            (json!({"nodeSelector": {"disk": "hdd"}}), true),
            (json!({"nodeSelector": {"disk": "ssd"}}), true),
            // An empty list of terms matches no node.
            (terms(json!([])), true),
            (
                terms(
                    json!([{"matchExpressions": [{"key": "disk", "operator": "In", "values": ["hdd"]}]}]),
                ),
                true,
            ),
        ];
        for (spec, selects) in cases {
            assert_eq!(selects_nodes(&spec), selects, "{spec}");
            if !selects {
                assert!(matches_node_selector(&spec, &node), "{spec}");
            }
        }
        assert!(!matches_node_selector(&terms(json!([])), &node));
    }

    #[test]
    fn tolerations_match_taints() {
        let taint = json!({"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"});
        assert!(tolerates(&json!({"operator": "Exists"}), &taint));
        assert!(tolerates(
            &json!({"key": "node-role.kubernetes.io/control-plane", "operator": "Exists", "effect": "NoSchedule"}),
            &taint
        ));
        assert!(!tolerates(
            &json!({"key": "node-role.kubernetes.io/control-plane", "operator": "Exists", "effect": "NoExecute"}),
            &taint
        ));
        assert!(!tolerates(
            &json!({"key": "other", "operator": "Exists"}),
            &taint
        ));
    }

    #[test]
    fn selectors_and_required_affinity() {
        let node =
            json!({"metadata": {"name": "worker-1", "labels": {"disk": "ssd", "cores": "8"}}});
        let spec = |v: Value| v;
        assert!(matches_node_selector(&spec(json!({})), &node));
        assert!(matches_node_selector(
            &spec(json!({"nodeSelector": {"disk": "ssd"}})),
            &node
        ));
        assert!(!matches_node_selector(
            &spec(json!({"nodeSelector": {"disk": "hdd"}})),
            &node
        ));
        let affinity = |term: Value| json!({"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [term]}}}});
        assert!(matches_node_selector(
            &affinity(
                json!({"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["worker-1"]}]})
            ),
            &node
        ));
        assert!(!matches_node_selector(
            &affinity(
                json!({"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["worker-2"]}]})
            ),
            &node
        ));
        assert!(matches_node_selector(
            &affinity(
                json!({"matchExpressions": [{"key": "cores", "operator": "Gt", "values": ["4"]}]})
            ),
            &node
        ));
        assert!(!matches_node_selector(&affinity(json!({})), &node));
    }
}
