//! Label selectors: `ValidateLabelSelector` (apimachinery
//! `apis/meta/v1/validation`) and matching a `metav1.LabelSelector` against labels.

use super::meta::{invalid_all, labels, qualified_name};
use crate::sim::errors::FieldError;
use crate::sim::json::json;
use serde_json::Value;

pub fn label_selector(selector: &Value, path: &str) -> Vec<FieldError> {
    let mut errs = labels(selector.get("matchLabels"), &format!("{path}.matchLabels"));
    let expressions = selector
        .get("matchExpressions")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    for (i, e) in expressions.iter().enumerate() {
        let at = format!("{path}.matchExpressions[{i}]");
        let key = e.get("key").and_then(Value::as_str).unwrap_or_default();
        let values = e
            .get("values")
            .and_then(Value::as_array)
            .map_or(0, |v| v.len());
        match e
            .get("operator")
            .and_then(Value::as_str)
            .unwrap_or_default()
        {
            "In" | "NotIn" if values == 0 => errs.push(FieldError::required(
                format!("{at}.values"),
                "must be specified when `operator` is 'In' or 'NotIn'",
            )),
            "Exists" | "DoesNotExist" if values > 0 => errs.push(FieldError::forbidden(
                format!("{at}.values"),
                "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
            )),
            "In" | "NotIn" | "Exists" | "DoesNotExist" => {}
            other => errs.push(FieldError::invalid(
                format!("{at}.operator"),
                json!(other),
                "not a valid selector operator",
            )),
        }
        errs.extend(invalid_all(&format!("{at}.key"), key, qualified_name(key)));
    }
    errs
}

/// Whether `labels` satisfy the selector (every matchLabel and every expression).
pub fn matches(selector: &Value, labels: Option<&Value>) -> bool {
    let get = |k: &str| labels.and_then(|l| l.get(k)).and_then(Value::as_str);
    let match_labels = selector.get("matchLabels").and_then(Value::as_object);
    let labels_ok = match_labels
        .into_iter()
        .flatten()
        .all(|(k, v)| get(k) == v.as_str());
    let expressions = selector.get("matchExpressions").and_then(Value::as_array);
    let expressions_ok = expressions.into_iter().flatten().all(|e| {
        let key = e.get("key").and_then(Value::as_str).unwrap_or_default();
        let values: Vec<&str> = e
            .get("values")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        match e
            .get("operator")
            .and_then(Value::as_str)
            .unwrap_or_default()
        {
            "In" => get(key).is_some_and(|v| values.contains(&v)),
            "NotIn" => get(key).is_none_or(|v| !values.contains(&v)),
            "Exists" => get(key).is_some(),
            "DoesNotExist" => get(key).is_none(),
            _ => false,
        }
    });
    labels_ok && expressions_ok
}
