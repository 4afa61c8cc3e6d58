//! The status Envoy Gateway writes: conditions in `metav1.Condition` shape, with the
//! reasons and messages of its `internal/gatewayapi/status` package. A condition keeps its
//! `lastTransitionTime` while its status stays the same, as `MergeConditions` does.

use crate::sim::json::json;
use crate::sim::object;
use serde_json::Value;

/// One condition.
pub fn condition(
    kind: &str,
    status: bool,
    reason: &str,
    message: &str,
    generation: i64,
    now: &str,
) -> Value {
    json!({"lastTransitionTime": now, "message": message, "observedGeneration": generation,
        "reason": reason, "status": if status { "True" } else { "False" }, "type": kind})
}

/// `new` with each condition's transition time taken from `old` when its status did not change.
pub fn merge(old: Option<&Value>, mut new: Vec<Value>) -> Vec<Value> {
    let old: Vec<Value> = old.and_then(Value::as_array).cloned().unwrap_or_default();
    for c in &mut new {
        let same = old.iter().find(|o| {
            object::str_at(o, "/type") == object::str_at(c, "/type")
                && object::str_at(o, "/status") == object::str_at(c, "/status")
        });
        if let Some(o) = same {
            c["lastTransitionTime"] = o["lastTransitionTime"].clone();
        }
    }
    new
}

pub fn generation(obj: &Value) -> i64 {
    obj.pointer("/metadata/generation")
        .and_then(Value::as_i64)
        .unwrap_or(1)
}

/// A GatewayClass whose `controllerName` is Envoy Gateway's: `Accepted True`.
pub fn class_status(class: &Value, old: Option<&Value>, now: &str) -> Value {
    let conditions = vec![condition(
        "Accepted",
        true,
        "Accepted",
        "Valid GatewayClass",
        generation(class),
        now,
    )];
    json!({"conditions": merge(old.and_then(|s| s.get("conditions")), conditions)})
}

/// Whether two statuses differ in anything but transition times.
pub fn same(a: &Value, b: &Value) -> bool {
    fn strip(v: &Value) -> Value {
        match v {
            Value::Object(m) => Value::Object(
                m.iter()
                    .filter(|(k, _)| k.as_str() != "lastTransitionTime")
                    .map(|(k, v)| (k.clone(), strip(v)))
                    .collect(),
            ),
            Value::Array(a) => Value::Array(a.iter().map(strip).collect()),
            other => other.clone(),
        }
    }
    strip(a) == strip(b)
}
