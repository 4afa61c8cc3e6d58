//! The three patch formats `kubectl patch --type` sends, applied as the apiserver applies
//! them (apimachinery's `strategicpatch`, evanphx/json-patch):
//!
//! - **strategic** (the default): maps merge, `null` deletes a key, and a list merges
//!   element by element when its field declares a patch merge key in the Go types
//!   (`containers` by `name`, a container's `ports` by `containerPort`, …); any other list
//!   is replaced whole (`tolerations`, `args`, a node's `taints`). Directives:
//!   `$patch: delete|replace` on a map or list element, `$retainKeys`,
//!   `$deleteFromPrimitiveList/<field>`; `$setElementOrder/<field>` is accepted and ignored.
//! - **merge** (RFC 7386): maps merge, `null` deletes, every list is replaced.
//! - **json** (RFC 6902): `add`, `remove`, `replace`, `move`, `copy`, `test` at JSON pointers.
//!
//! Errors are values carrying the apiserver's status (kubectl prints them).

use crate::sim::errors::ApiError;
use serde_json::{Map, Value};

pub use crate::sim::list_types::{list_strategy, ListStrategy};

fn unknown(message: String) -> ApiError {
    ApiError::unknown(message)
}

/// What the apiserver answers for a JSON patch that does not apply (a generic 422).
fn json_patch_rejected() -> ApiError {
    ApiError::invalid_request("the server rejected our request due to an error in our request")
}

/// Applies a strategic merge patch to a live object of `kind`.
pub fn strategic(kind: &str, live: &Value, patch: &Value) -> Result<Value, ApiError> {
    let Value::Object(p) = patch else {
        return Err(ApiError::bad_request(
            "json: cannot unmarshal array into Go value of type map[string]interface {}",
        ));
    };
    let empty = Map::new();
    let original = live.as_object().unwrap_or(&empty);
    let merged = merge_map(kind, &mut vec![], original, p)?;
    Ok(Value::Object(merged.unwrap_or_default()))
}

/// Merges patch map `p` into `o`; `None` when the patch deletes the whole map.
fn merge_map(
    kind: &str,
    path: &mut Vec<String>,
    o: &Map<String, Value>,
    p: &Map<String, Value>,
) -> Result<Option<Map<String, Value>>, ApiError> {
    match p.get("$patch").map(|v| v.as_str().unwrap_or("")) {
        None => {}
        Some("replace") => return Ok(Some(strip_directives(p))),
        Some("delete") => return Ok(None),
        Some(other) => {
            return Err(unknown(format!(
                "unknown patch type: {other} in map: {}",
                go_format(&Value::Object(p.clone()))
            )))
        }
    }
    let mut result = o.clone();
    for (k, pv) in p {
        if let Some(field) = k.strip_prefix("$deleteFromPrimitiveList/") {
            let remove: Vec<&Value> = pv
                .as_array()
                .map(|a| a.iter().collect())
                .unwrap_or_default();
            if let Some(Value::Array(list)) = result.get_mut(field) {
                list.retain(|v| !remove.contains(&v));
            }
            continue;
        }
        if k.starts_with('$') {
            continue;
        }
        if pv.is_null() {
            result.remove(k);
            continue;
        }
        path.push(k.clone());
        let merged = merge_field(kind, path, o.get(k), pv)?;
        path.pop();
        match merged {
            Some(v) => result.insert(k.clone(), v),
            None => result.remove(k),
        };
    }
    if let Some(retain) = p.get("$retainKeys") {
        let keep: Vec<&str> = retain
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        result.retain(|k, _| keep.contains(&k.as_str()));
    }
    Ok(Some(result))
}

/// The merged value of one field; `None` when a `$patch: delete` removes it.
fn merge_field(
    kind: &str,
    path: &mut Vec<String>,
    original: Option<&Value>,
    pv: &Value,
) -> Result<Option<Value>, ApiError> {
    let empty_map = Map::new();
    match pv {
        Value::Object(pm) => {
            let om = original.and_then(Value::as_object).unwrap_or(&empty_map);
            Ok(merge_map(kind, path, om, pm)?.map(Value::Object))
        }
        Value::Array(pl) => {
            let field = path.last().cloned().unwrap_or_default();
            let parents = &path[..path.len() - 1];
            let ol: &[Value] = original
                .and_then(Value::as_array)
                .map_or(&[], Vec::as_slice);
            let strategy = list_strategy(kind, parents, &field);
            Ok(Some(Value::Array(merge_list(
                kind, path, strategy, ol, pl,
            )?)))
        }
        other => Ok(Some(other.clone())),
    }
}

fn merge_list(
    kind: &str,
    path: &mut Vec<String>,
    strategy: ListStrategy,
    o: &[Value],
    p: &[Value],
) -> Result<Vec<Value>, ApiError> {
    let key = match strategy {
        ListStrategy::Replace => return Ok(p.iter().map(strip_value).collect()),
        ListStrategy::MergePrimitive => {
            let mut out = o.to_vec();
            out.extend(p.iter().filter(|v| !o.contains(v)).cloned());
            return Ok(out);
        }
        ListStrategy::MergeKey(key) => key,
    };
    if p.iter()
        .any(|e| e.get("$patch").and_then(Value::as_str) == Some("replace"))
    {
        return Ok(p
            .iter()
            .filter(|e| e.get("$patch").is_none())
            .map(strip_value)
            .collect());
    }
    let mut out = o.to_vec();
    for element in p {
        let Some(map) = element.as_object() else {
            return Err(unknown(format!(
                "map: {} does not contain declared merge key: {key}",
                go_format(element)
            )));
        };
        let Some(k) = map.get(key) else {
            if map.get("$patch").and_then(Value::as_str) == Some("delete") {
                continue;
            }
            return Err(unknown(format!(
                "map: {} does not contain declared merge key: {key}",
                go_format(element)
            )));
        };
        let at = out.iter().position(|e| e.get(key) == Some(k));
        if map.get("$patch").and_then(Value::as_str) == Some("delete") {
            out.retain(|e| e.get(key) != Some(k));
            continue;
        }
        let empty = Map::new();
        let current = at.and_then(|i| out[i].as_object()).unwrap_or(&empty);
        let merged = merge_map(kind, path, current, map)?;
        match (at, merged) {
            (Some(i), Some(m)) => out[i] = Value::Object(m),
            (Some(i), None) => {
                out.remove(i);
            }
            (None, Some(m)) => out.push(Value::Object(m)),
            (None, None) => {}
        }
    }
    Ok(out)
}

fn strip_directives(m: &Map<String, Value>) -> Map<String, Value> {
    m.iter()
        .filter(|(k, _)| !k.starts_with('$'))
        .map(|(k, v)| (k.clone(), strip_value(v)))
        .collect()
}

fn strip_value(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(strip_directives(m)),
        Value::Array(a) => Value::Array(a.iter().map(strip_value).collect()),
        other => other.clone(),
    }
}

/// Go's `%v` of a decoded JSON value (`map[image:nginx name:web]`), as the apiserver's
/// strategic-merge errors print the offending element.
pub fn go_format(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let items: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{k}:{}", go_format(v)))
                .collect();
            format!("map[{}]", items.join(" "))
        }
        Value::Array(a) => {
            let items: Vec<String> = a.iter().map(go_format).collect();
            format!("[{}]", items.join(" "))
        }
        Value::String(s) => s.clone(),
        Value::Null => "<nil>".to_string(),
        other => other.to_string(),
    }
}

/// RFC 7386 JSON merge patch.
pub fn merge(live: &Value, patch: &Value) -> Value {
    let Value::Object(p) = patch else {
        return patch.clone();
    };
    let mut result = match live {
        Value::Object(m) => m.clone(),
        _ => Map::new(),
    };
    for (k, v) in p {
        if v.is_null() {
            result.remove(k);
        } else {
            let merged = merge(result.get(k).unwrap_or(&Value::Null), v);
            result.insert(k.clone(), merged);
        }
    }
    Value::Object(result)
}

/// RFC 6902 JSON patch. A patch that is not a list of operations is a 400 (decoding);
/// one that does not apply to the object is the apiserver's generic 422.
pub fn json_patch(live: &Value, patch: &Value) -> Result<Value, ApiError> {
    let Value::Array(ops) = patch else {
        let what = if patch.is_object() { "object" } else { "value" };
        return Err(ApiError::bad_request(format!(
            "json: cannot unmarshal {what} into Go value of type jsonpatch.Patch"
        )));
    };
    let mut doc = live.clone();
    for op in ops {
        apply_operation(&mut doc, op).ok_or_else(json_patch_rejected)?;
    }
    Ok(doc)
}

fn apply_operation(doc: &mut Value, op: &Value) -> Option<()> {
    let path = op.get("path")?.as_str()?;
    match op.get("op")?.as_str()? {
        "add" => add(doc, path, op.get("value")?.clone()),
        "remove" => remove(doc, path).map(|_| ()),
        "replace" => {
            let target = doc.pointer_mut(path)?;
            *target = op.get("value")?.clone();
            Some(())
        }
        "move" => {
            let from = op.get("from")?.as_str()?;
            let value = remove(doc, from)?;
            add(doc, path, value)
        }
        "copy" => {
            let value = doc.pointer(op.get("from")?.as_str()?)?.clone();
            add(doc, path, value)
        }
        "test" => (doc.pointer(path)? == op.get("value")?).then_some(()),
        _ => None,
    }
}

/// Splits `/a/b/c` into the parent pointer `/a/b` and the unescaped last token `c`.
fn split_pointer(path: &str) -> Option<(&str, String)> {
    let i = path.rfind('/')?;
    let token = path[i + 1..].replace("~1", "/").replace("~0", "~");
    Some((&path[..i], token))
}

fn add(doc: &mut Value, path: &str, value: Value) -> Option<()> {
    if path.is_empty() {
        *doc = value;
        return Some(());
    }
    let (parent, token) = split_pointer(path)?;
    match doc.pointer_mut(parent)? {
        Value::Object(m) => {
            m.insert(token, value);
        }
        Value::Array(a) => {
            let i = if token == "-" {
                a.len()
            } else {
                token.parse().ok()?
            };
            if i > a.len() {
                return None;
            }
            a.insert(i, value);
        }
        _ => return None,
    }
    Some(())
}

fn remove(doc: &mut Value, path: &str) -> Option<Value> {
    let (parent, token) = split_pointer(path)?;
    match doc.pointer_mut(parent)? {
        Value::Object(m) => m.remove(&token),
        Value::Array(a) => {
            let i: usize = token.parse().ok()?;
            (i < a.len()).then(|| a.remove(i))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::errors::StatusReason;
    use crate::sim::json::json;

    fn deployment() -> Value {
        json!({"kind": "Deployment", "spec": {"replicas": 2, "template": {"spec": {
            "containers": [
                {"name": "web", "image": "nginx:1.25", "imagePullPolicy": "IfNotPresent",
                 "ports": [{"containerPort": 80, "protocol": "TCP"}],
                 "env": [{"name": "A", "value": "1"}]},
                {"name": "side", "image": "busybox"}],
            "tolerations": [{"key": "a", "operator": "Exists"}]}}}})
    }

    /// One row: a strategic patch, the pointer it concerns, and what must be there after.
    #[test]
    fn strategic_merge_follows_each_fields_patch_strategy() {
        let cases: &[(&str, Value, &str, Value)] = &[
            (
                "merge key keeps the other container and defaulted fields",
                json!({"spec": {"template": {"spec": {"containers": [{"name": "web", "image": "nginx:1.26"}]}}}}),
                "/spec/template/spec/containers",
                json!([{"name": "web", "image": "nginx:1.26", "imagePullPolicy": "IfNotPresent",
                     "ports": [{"containerPort": 80, "protocol": "TCP"}], "env": [{"name": "A", "value": "1"}]},
                    {"name": "side", "image": "busybox"}]),
            ),
            (
                "env merges on name, appending a new variable",
                json!({"spec": {"template": {"spec": {"containers": [{"name": "web", "env": [{"name": "B", "value": "2"}]}]}}}}),
                "/spec/template/spec/containers/0/env",
                json!([{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]),
            ),
            (
                "ports merge on containerPort",
                json!({"spec": {"template": {"spec": {"containers": [{"name": "web", "ports": [{"containerPort": 443}]}]}}}}),
                "/spec/template/spec/containers/0/ports",
                json!([{"containerPort": 80, "protocol": "TCP"}, {"containerPort": 443}]),
            ),
            (
                "tolerations have no strategy: replaced whole",
                json!({"spec": {"template": {"spec": {"tolerations": [{"key": "b", "operator": "Exists"}]}}}}),
                "/spec/template/spec/tolerations",
                json!([{"key": "b", "operator": "Exists"}]),
            ),
            (
                "$patch: delete removes one element",
                json!({"spec": {"template": {"spec": {"containers": [{"name": "side", "$patch": "delete"}]}}}}),
                "/spec/template/spec/containers/1",
                Value::Null,
            ),
            (
                "$patch: replace on a list replaces it",
                json!({"spec": {"template": {"spec": {"containers": [{"name": "only", "image": "x"}, {"$patch": "replace"}]}}}}),
                "/spec/template/spec/containers",
                json!([{"name": "only", "image": "x"}]),
            ),
            (
                "null deletes a key",
                json!({"spec": {"replicas": null}}),
                "/spec/replicas",
                Value::Null,
            ),
            (
                "$retainKeys clears keys not listed",
                json!({"spec": {"$retainKeys": ["template"], "template": {"spec": {}}}}),
                "/spec/replicas",
                Value::Null,
            ),
        ];
        for (what, patch, pointer, want) in cases {
            let got = strategic("Deployment", &deployment(), patch).expect(what);
            assert_eq!(
                got.pointer(pointer).cloned().unwrap_or(Value::Null),
                *want,
                "{what}"
            );
        }
    }

    #[test]
    fn a_keyed_element_without_its_key_is_the_apiservers_error() {
        let patch =
            json!({"spec": {"template": {"spec": {"containers": [{"image": "nginx:1.26"}]}}}});
        let e = strategic("Deployment", &deployment(), &patch).unwrap_err();
        assert_eq!(
            e.message,
            "map: map[image:nginx:1.26] does not contain declared merge key: name"
        );
    }

    #[test]
    fn service_ports_merge_on_port_but_endpoint_slice_ports_are_atomic() {
        assert_eq!(
            list_strategy("Service", &["spec".into()], "ports"),
            ListStrategy::MergeKey("port")
        );
        assert_eq!(
            list_strategy("EndpointSlice", &[], "ports"),
            ListStrategy::Replace
        );
        let pod_parents: Vec<String> = vec!["spec".into(), "containers".into()];
        assert_eq!(
            list_strategy("Pod", &pod_parents, "ports"),
            ListStrategy::MergeKey("containerPort")
        );
    }

    #[test]
    fn json_merge_patch_replaces_lists() {
        let got = merge(
            &deployment(),
            &json!({"spec": {"template": {"spec": {"containers": [{"name": "x"}]}}}}),
        );
        assert_eq!(
            got.pointer("/spec/template/spec/containers"),
            Some(&json!([{"name": "x"}]))
        );
        assert_eq!(got.pointer("/spec/replicas"), Some(&json!(2)));
    }

    #[test]
    fn json_patch_operations_and_their_failures() {
        let d = deployment();
        let ok = json_patch(
            &d,
            &json!([
            {"op": "replace", "path": "/spec/replicas", "value": 5},
            {"op": "add", "path": "/spec/template/spec/containers/0/env/-", "value": {"name": "C"}},
            {"op": "remove", "path": "/spec/template/spec/tolerations"},
            {"op": "test", "path": "/spec/replicas", "value": 5}]),
        )
        .unwrap();
        assert_eq!(ok["spec"]["replicas"], 5);
        assert_eq!(
            ok.pointer("/spec/template/spec/containers/0/env/1/name"),
            Some(&json!("C"))
        );
        assert!(ok.pointer("/spec/template/spec/tolerations").is_none());
        for bad in [
            json!([{"op": "replace", "path": "/spec/missing", "value": 1}]),
            json!([{"op": "remove", "path": "/spec/template/spec/containers/9"}]),
            json!([{"op": "test", "path": "/spec/replicas", "value": 3}]),
            json!([{"op": "frobnicate", "path": "/spec"}]),
        ] {
            let e = json_patch(&d, &bad).unwrap_err();
            assert_eq!(e.reason, StatusReason::Invalid, "{bad}");
        }
        let e = json_patch(&d, &json!({"spec": {}})).unwrap_err();
        assert_eq!(
            e.message,
            "json: cannot unmarshal object into Go value of type jsonpatch.Patch"
        );
    }
}
