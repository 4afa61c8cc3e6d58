//! Tolerant accessors for objects held as `serde_json::Value`, and the small formatters
//! printers share (`labels.FormatLabels`, `metav1.FormatLabelSelector`, access modes).
//!
//! Objects may have any shape: a missing or mistyped field reads as empty, never a panic.

use crate::sim::sort::SharedSort;
use serde_json::{Map, Value};

/// The value at `path` (object keys only), if every step exists.
pub fn get<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter()
        .try_fold(v, |cur, key| cur.as_object()?.get(*key))
}

/// The string at `path`, or `""` when missing or not a string.
pub fn str_at<'a>(v: &'a Value, path: &[&str]) -> &'a str {
    get(v, path).and_then(Value::as_str).unwrap_or("")
}

/// The string at `path` if present and a string (even empty).
pub fn opt_str<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    get(v, path).and_then(Value::as_str)
}

/// The integer at `path`, or 0.
pub fn int_at(v: &Value, path: &[&str]) -> i64 {
    get(v, path).and_then(as_int).unwrap_or(0)
}

/// The integer at `path` if present.
pub fn opt_int(v: &Value, path: &[&str]) -> Option<i64> {
    get(v, path).and_then(as_int)
}

/// A JSON number as an integer (floats with no fraction count too).
pub fn as_int(v: &Value) -> Option<i64> {
    v.as_i64()
        .or_else(|| v.as_u64().map(|u| u as i64))
        .or_else(|| {
            v.as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e18)
                .map(|f| f as i64)
        })
}

/// The bool at `path`, or false.
pub fn bool_at(v: &Value, path: &[&str]) -> bool {
    get(v, path).and_then(Value::as_bool).unwrap_or(false)
}

/// The array at `path`, or an empty slice.
pub fn arr_at<'a>(v: &'a Value, path: &[&str]) -> &'a [Value] {
    get(v, path)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

/// The object at `path`, if any.
pub fn map_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Map<String, Value>> {
    get(v, path).and_then(Value::as_object)
}

/// Number of entries of the object or array at `path`.
pub fn len_at(v: &Value, path: &[&str]) -> usize {
    match get(v, path) {
        Some(Value::Object(m)) => m.len(),
        Some(Value::Array(a)) => a.len(),
        _ => 0,
    }
}

/// `metadata.name`.
pub fn name(v: &Value) -> &str {
    str_at(v, &["metadata", "name"])
}

/// `metadata.namespace`.
pub fn namespace(v: &Value) -> &str {
    str_at(v, &["metadata", "namespace"])
}

/// `metadata.creationTimestamp`, if set.
pub fn created(v: &Value) -> Option<&str> {
    opt_str(v, &["metadata", "creationTimestamp"])
}

/// A scalar as Go's `fmt.Sprint` would show it: strings raw, numbers, bools; others JSON.
pub fn scalar_string(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        other => other.to_string(),
    }
}

/// String pairs of an object of strings (non-strings shown as JSON), sorted by key.
pub fn string_map(m: Option<&Map<String, Value>>) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = m
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), scalar_string(v)))
                .collect()
        })
        .unwrap_or_default();
    pairs.sort_shared();
    pairs
}

/// `labels.FormatLabels`: `k=v,k2=v2` sorted by key, or `<none>`.
pub fn format_labels(m: Option<&Map<String, Value>>) -> String {
    let pairs = string_map(m);
    if pairs.is_empty() {
        return "<none>".to_string();
    }
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// `LabelSelectorAsSelector(sel).String()`: `app=web,tier in (a,b),!gone`; empty for a
/// missing or empty selector; `<error>` for an unknown operator.
pub fn label_selector_string(sel: Option<&Value>) -> String {
    let Some(sel) = sel.filter(|s| s.is_object()) else {
        return String::new();
    };
    let mut reqs: Vec<(String, String)> = Vec::new();
    for (k, v) in string_map(map_at(sel, &["matchLabels"])) {
        reqs.push((k.clone(), format!("{k}={v}")));
    }
    for expr in arr_at(sel, &["matchExpressions"]) {
        let key = str_at(expr, &["key"]).to_string();
        let mut values: Vec<String> = arr_at(expr, &["values"])
            .iter()
            .map(scalar_string)
            .collect();
        values.sort_shared();
        let text = match str_at(expr, &["operator"]) {
            "In" => format!("{key} in ({})", values.join(",")),
            "NotIn" => format!("{key} notin ({})", values.join(",")),
            "Exists" => key.clone(),
            "DoesNotExist" => format!("!{key}"),
            _ => return "<error>".to_string(),
        };
        reqs.push((key, text));
    }
    reqs.sort_shared_by(|a, b| a.0.cmp(&b.0));
    reqs.into_iter()
        .map(|(_, t)| t)
        .collect::<Vec<_>>()
        .join(",")
}

/// `metav1.FormatLabelSelector`: like [`label_selector_string`] but `<none>` when empty.
pub fn format_label_selector(sel: Option<&Value>) -> String {
    let s = label_selector_string(sel);
    if s.is_empty() {
        "<none>".to_string()
    } else {
        s
    }
}

/// `helper.GetAccessModesAsString`: `RWO,ROX,RWX,RWOP` in that fixed order.
pub fn access_modes(modes: &[Value]) -> String {
    let has = |m: &str| modes.iter().any(|v| v.as_str() == Some(m));
    [
        ("ReadWriteOnce", "RWO"),
        ("ReadOnlyMany", "ROX"),
        ("ReadWriteMany", "RWX"),
        ("ReadWriteOncePod", "RWOP"),
    ]
    .iter()
    .filter(|(long, _)| has(long))
    .map(|(_, short)| *short)
    .collect::<Vec<_>>()
    .join(",")
}

/// Container names and images of a pod spec, comma-joined (`layoutContainerCells`).
pub fn container_cells(pod_spec: Option<&Value>) -> (String, String) {
    let containers = pod_spec.map(|s| arr_at(s, &["containers"])).unwrap_or(&[]);
    let names: Vec<&str> = containers.iter().map(|c| str_at(c, &["name"])).collect();
    let images: Vec<&str> = containers.iter().map(|c| str_at(c, &["image"])).collect();
    (names.join(","), images.join(","))
}

/// The condition of `type_` in a `conditions` array, if any.
pub fn condition<'a>(conditions: &'a [Value], type_: &str) -> Option<&'a Value> {
    conditions.iter().find(|c| str_at(c, &["type"]) == type_)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::json::json;

    #[test]
    fn accessors_tolerate_any_shape() {
        let v = json!({"metadata": {"name": 5, "labels": "x"}, "spec": {"replicas": 3.0}});
        assert_eq!(name(&v), "");
        assert_eq!(int_at(&v, &["spec", "replicas"]), 3);
        assert_eq!(arr_at(&v, &["spec", "replicas"]).len(), 0);
        assert_eq!(format_labels(map_at(&v, &["metadata", "labels"])), "<none>");
        assert_eq!(str_at(&json!(null), &["a", "b"]), "");
    }

    #[test]
    fn labels_and_selectors() {
        let labels = json!({"tier": "web", "app": "nginx"});
        assert_eq!(format_labels(labels.as_object()), "app=nginx,tier=web");
        let sel = json!({
            "matchLabels": {"app": "web"},
            "matchExpressions": [
                {"key": "env", "operator": "In", "values": ["prod", "dev"]},
                {"key": "zz", "operator": "DoesNotExist"},
                {"key": "b", "operator": "Exists"}
            ]
        });
        assert_eq!(
            label_selector_string(Some(&sel)),
            "app=web,b,env in (dev,prod),!zz"
        );
        assert_eq!(format_label_selector(Some(&json!({}))), "<none>");
        assert_eq!(format_label_selector(None), "<none>");
    }

    #[test]
    fn access_mode_abbreviations() {
        let modes = json!(["ReadWriteMany", "ReadWriteOnce"]);
        assert_eq!(access_modes(modes.as_array().unwrap()), "RWO,RWX");
    }
}
