//! Client-side `kubectl apply`: a three-way merge of the last-applied configuration
//! (original), the new manifest (modified) and the live object (current).
//!
//! Fields the manifest sets win; fields the previous apply set but the manifest no longer
//! has are removed; fields nobody applied (server defaults, other writers) stay. Lists of
//! containers, ports, env, volumes and mounts merge element by element on their key, as
//! strategic merge patch does, so an image change keeps the defaulted `imagePullPolicy`
//! (k8s-behaviour.md §1). An empty patch means `unchanged`.

use serde_json::{Map, Value};

pub const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// The merged object to send, and the patch that describes the change (`{}` if none).
pub struct Merge {
    pub result: Value,
    pub patch: Value,
}

impl Merge {
    pub fn is_unchanged(&self) -> bool {
        self.patch.as_object().is_some_and(Map::is_empty)
    }
}

pub fn three_way(original: Option<&Value>, modified: &Value, current: &Value) -> Merge {
    let (result, patch) = merge_value(original, modified, current, "");
    Merge {
        result,
        patch: patch.unwrap_or_else(|| Value::Object(Map::new())),
    }
}

/// The strategic-merge key of a list field, if it has one.
fn merge_key(field: &str, sample: Option<&Value>) -> Option<&'static str> {
    match field {
        "containers"
        | "initContainers"
        | "ephemeralContainers"
        | "env"
        | "volumes"
        | "imagePullSecrets" => Some("name"),
        "volumeMounts" | "volumeDevices" => Some("mountPath"),
        "hostAliases" => Some("ip"),
        "conditions" => Some("type"),
        "ownerReferences" => Some("uid"),
        "ports" => {
            if sample.is_some_and(|s| s.get("containerPort").is_some()) {
                Some("containerPort")
            } else {
                Some("port")
            }
        }
        _ => None,
    }
}

fn merge_value(
    original: Option<&Value>,
    modified: &Value,
    current: &Value,
    field: &str,
) -> (Value, Option<Value>) {
    match (modified, current) {
        (Value::Object(m), Value::Object(c)) => {
            merge_maps(original.and_then(Value::as_object), m, c)
        }
        (Value::Array(m), Value::Array(c)) => match merge_key(field, m.first().or(c.first())) {
            Some(key) => merge_lists(original.and_then(Value::as_array), m, c, key, field),
            None if m == c => (current.clone(), None),
            None => (modified.clone(), Some(modified.clone())),
        },
        _ if modified == current => (current.clone(), None),
        _ => (modified.clone(), Some(modified.clone())),
    }
}

fn merge_maps(
    original: Option<&Map<String, Value>>,
    m: &Map<String, Value>,
    c: &Map<String, Value>,
) -> (Value, Option<Value>) {
    let mut result = c.clone();
    let mut patch = Map::new();
    for (k, mv) in m {
        if mv.is_null() {
            if result.remove(k).is_some() {
                patch.insert(k.clone(), Value::Null);
            }
            continue;
        }
        match c.get(k) {
            Some(cv) => {
                let (merged, p) = merge_value(original.and_then(|o| o.get(k)), mv, cv, k);
                result.insert(k.clone(), merged);
                if let Some(p) = p {
                    patch.insert(k.clone(), p);
                }
            }
            None => {
                result.insert(k.clone(), mv.clone());
                patch.insert(k.clone(), mv.clone());
            }
        }
    }
    for k in original.into_iter().flat_map(|o| o.keys()) {
        if !m.contains_key(k) && result.remove(k).is_some() {
            patch.insert(k.clone(), Value::Null);
        }
    }
    let patch = (!patch.is_empty()).then_some(Value::Object(patch));
    (Value::Object(result), patch)
}

fn merge_lists(
    original: Option<&Vec<Value>>,
    m: &[Value],
    c: &[Value],
    key: &str,
    field: &str,
) -> (Value, Option<Value>) {
    let key_of = |v: &Value| v.get(key).cloned();
    let find = |list: &[Value], k: &Option<Value>| {
        list.iter()
            .find(|v| k.is_some() && key_of(v) == *k)
            .cloned()
    };
    let mut result = vec![];
    // The patch lists only what changes, element by element, as kubectl's strategic
    // patch does: a changed element's own patch (with its key), a new element whole,
    // and `$patch: delete` for one the previous apply set and the manifest dropped.
    let mut patch = vec![];
    for mv in m {
        let k = key_of(mv);
        match find(c, &k) {
            Some(cv) => {
                let ov = original.and_then(|o| find(o, &k));
                let (merged, p) = merge_value(ov.as_ref(), mv, &cv, field);
                if let Some(mut p) = p {
                    if let (Value::Object(pm), Some(k)) = (&mut p, &k) {
                        pm.insert(key.to_string(), k.clone());
                    }
                    patch.push(p);
                }
                result.push(merged);
            }
            None => {
                patch.push(mv.clone());
                result.push(mv.clone());
            }
        }
    }
    for cv in c {
        let k = key_of(cv);
        if find(m, &k).is_some() {
            continue;
        }
        let applied_before = original.is_some_and(|o| find(o, &k).is_some());
        if applied_before {
            let mut delete = Map::new();
            if let Some(k) = k {
                delete.insert(key.to_string(), k);
            }
            delete.insert("$patch".into(), Value::String("delete".into()));
            patch.push(Value::Object(delete));
        } else {
            result.push(cv.clone());
        }
    }
    let order_changed =
        result.iter().map(key_of).collect::<Vec<_>>() != c.iter().map(key_of).collect::<Vec<_>>();
    if patch.is_empty() && order_changed {
        // Only the order changed (kubectl sends `$setElementOrder`): name the elements.
        patch = m
            .iter()
            .filter_map(|v| key_of(v).map(|k| crate::sim::json::json!({ key: k })))
            .collect();
    }
    let patch = (!patch.is_empty()).then_some(Value::Array(patch));
    (Value::Array(result), patch)
}

/// The annotation value kubectl stores: the manifest as compact JSON (keys sorted) with
/// an empty `annotations` map standing in for the annotation itself, and a newline.
pub fn last_applied_value(manifest: &Value) -> String {
    let mut copy = manifest.clone();
    let annotations = crate::sim::object::meta_map_mut(&mut copy, "annotations");
    annotations.remove(LAST_APPLIED);
    format!("{}\n", serde_json::to_string(&copy).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::json::json;

    #[test]
    fn reapplying_the_same_manifest_is_unchanged() {
        let manifest = json!({"spec": {"replicas": 3, "template": {"spec": {"containers": [{"name": "web", "image": "nginx:1.25"}]}}}});
        let live = json!({"spec": {"replicas": 3, "revisionHistoryLimit": 10, "template": {"spec": {"containers": [
            {"name": "web", "image": "nginx:1.25", "imagePullPolicy": "IfNotPresent"}]}}}, "status": {"replicas": 3}});
        assert!(three_way(Some(&manifest), &manifest, &live).is_unchanged());
    }

    #[test]
    fn an_image_change_keeps_defaulted_fields() {
        let old = json!({"spec": {"containers": [{"name": "web", "image": "nginx:1.25"}]}});
        let new = json!({"spec": {"containers": [{"name": "web", "image": "nginx:latest"}]}});
        let live = json!({"spec": {"containers": [{"name": "web", "image": "nginx:1.25", "imagePullPolicy": "IfNotPresent"}]}});
        let m = three_way(Some(&old), &new, &live);
        assert!(!m.is_unchanged());
        assert_eq!(
            m.result["spec"]["containers"][0]["imagePullPolicy"],
            "IfNotPresent"
        );
        assert_eq!(m.result["spec"]["containers"][0]["image"], "nginx:latest");
    }

    #[test]
    fn fields_dropped_from_the_manifest_are_removed_but_others_stay() {
        let old = json!({"metadata": {"labels": {"a": "1", "b": "2"}}});
        let new = json!({"metadata": {"labels": {"a": "1"}}});
        let live = json!({"metadata": {"labels": {"a": "1", "b": "2", "c": "3"}}});
        let m = three_way(Some(&old), &new, &live);
        assert_eq!(m.result["metadata"]["labels"], json!({"a": "1", "c": "3"}));
        assert_eq!(m.patch, json!({"metadata": {"labels": {"b": null}}}));
    }

    #[test]
    fn last_applied_has_sorted_compact_json_and_a_newline() {
        let v = json!({"kind": "Pod", "apiVersion": "v1", "metadata": {"name": "x"}});
        assert_eq!(last_applied_value(&v), "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"annotations\":{},\"name\":\"x\"}}\n");
    }
}
