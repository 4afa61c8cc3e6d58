//! Small accessors over objects stored as JSON values: the metadata fields every part of
//! the simulation reads (name, namespace, uid, labels, owners) without repeating pointer
//! paths everywhere.

use serde_json::{Map, Value};

pub fn str_at<'a>(obj: &'a Value, pointer: &str) -> &'a str {
    at(obj, pointer).and_then(Value::as_str).unwrap_or_default()
}

/// [`Value::pointer`] without its allocations: serde_json unescapes every token into a
/// new `String` (`~1` → `/`), which made reading a few fields of each pod a large part
/// of a busy frame. A pointer with an escape still goes through `Value::pointer`.
///
/// The tokens are found in one pass over the bytes: `str::contains` and `str::split`
/// (a char searcher each) were more than half of what a read cost, for pointers of a
/// few short tokens read hundreds of thousands of times a run.
pub fn at<'a>(obj: &'a Value, pointer: &str) -> Option<&'a Value> {
    let Some(rest) = pointer.strip_prefix('/') else {
        return pointer.is_empty().then_some(obj);
    };
    let bytes = rest.as_bytes();
    let mut value = obj;
    let mut start = 0;
    loop {
        let end = bytes[start..]
            .iter()
            .position(|&b| b == b'/' || b == b'~')
            .map_or(bytes.len(), |i| start + i);
        if bytes.get(end) == Some(&b'~') {
            return obj.pointer(pointer);
        }
        // `/` is ASCII, so both ends are char boundaries.
        let token = &rest[start..end];
        value = match value {
            Value::Object(map) => map.get(token)?,
            Value::Array(items) => items.get(array_index(token)?)?,
            _ => return None,
        };
        if end == bytes.len() {
            return Some(value);
        }
        start = end + 1;
    }
}

/// An array index as RFC 6901 (and serde_json) reads one: digits, no sign, no leading
/// zero.
fn array_index(token: &str) -> Option<usize> {
    if token.starts_with('+') || (token.starts_with('0') && token.len() != 1) {
        return None;
    }
    token.parse().ok()
}

pub fn name(obj: &Value) -> &str {
    str_at(obj, "/metadata/name")
}

pub fn namespace(obj: &Value) -> &str {
    str_at(obj, "/metadata/namespace")
}

pub fn uid(obj: &Value) -> &str {
    str_at(obj, "/metadata/uid")
}

pub fn kind(obj: &Value) -> &str {
    str_at(obj, "/kind")
}

pub fn api_version(obj: &Value) -> &str {
    str_at(obj, "/apiVersion")
}

pub fn is_deleting(obj: &Value) -> bool {
    at(obj, "/metadata/deletionTimestamp").is_some_and(|v| !v.is_null())
}

/// `metadata` as a mutable map, created if missing or not an object.
pub fn meta_mut(obj: &mut Value) -> &mut Map<String, Value> {
    if !obj.is_object() {
        *obj = Value::Object(Map::new());
    }
    let root = obj.as_object_mut().expect("just made an object");
    let meta = root
        .entry("metadata")
        .or_insert_with(|| Value::Object(Map::new()));
    if !meta.is_object() {
        *meta = Value::Object(Map::new());
    }
    meta.as_object_mut().expect("just made an object")
}

/// A string map inside metadata (`labels`, `annotations`), created if missing.
pub fn meta_map_mut<'a>(obj: &'a mut Value, field: &str) -> &'a mut Map<String, Value> {
    let meta = meta_mut(obj);
    let m = meta
        .entry(field)
        .or_insert_with(|| Value::Object(Map::new()));
    if !m.is_object() {
        *m = Value::Object(Map::new());
    }
    m.as_object_mut().expect("just made an object")
}

pub fn annotation<'a>(obj: &'a Value, key: &str) -> Option<&'a str> {
    at(obj, "/metadata/annotations")
        .and_then(|a| a.get(key))
        .and_then(Value::as_str)
}

pub fn set_annotation(obj: &mut Value, key: &str, value: &str) {
    meta_map_mut(obj, "annotations").insert(key.to_string(), Value::String(value.to_string()));
}

/// One entry of `metadata.ownerReferences`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnerRef {
    pub api_version: String,
    pub kind: String,
    pub name: String,
    pub uid: String,
    pub controller: bool,
}

fn raw_owner_refs(obj: &Value) -> &[Value] {
    at(obj, "/metadata/ownerReferences")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn is_controller_ref(r: &Value) -> bool {
    r.get("controller")
        .and_then(Value::as_bool)
        .unwrap_or(false)
}

fn owner_ref(r: &Value) -> OwnerRef {
    OwnerRef {
        api_version: str_at(r, "/apiVersion").to_string(),
        kind: str_at(r, "/kind").to_string(),
        name: str_at(r, "/name").to_string(),
        uid: str_at(r, "/uid").to_string(),
        controller: is_controller_ref(r),
    }
}

pub fn owner_refs(obj: &Value) -> Vec<OwnerRef> {
    raw_owner_refs(obj).iter().map(owner_ref).collect()
}

/// The controller owner (`controller: true`), if any. Only that reference is copied out:
/// controllers ask this of every pod write they see.
pub fn controller_of(obj: &Value) -> Option<OwnerRef> {
    raw_owner_refs(obj)
        .iter()
        .find(|r| is_controller_ref(r))
        .map(owner_ref)
}

/// An ownerReference value pointing at `owner` as its controller.
pub fn controller_ref(owner: &Value) -> Value {
    crate::sim::json::json!({
        "apiVersion": api_version(owner),
        "kind": kind(owner),
        "name": name(owner),
        "uid": uid(owner),
        "controller": true,
        "blockOwnerDeletion": true,
    })
}

/// `metadata.labels` as a JSON object (empty object when missing).
pub fn labels_value(obj: &Value) -> Value {
    at(obj, "/metadata/labels")
        .filter(|v| v.is_object())
        .cloned()
        .unwrap_or_else(|| Value::Object(Map::new()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn at_answers_as_value_pointer_does() {
        let obj = json!({
            "metadata": {"name": "web", "labels": {"app.kubernetes.io/name": "web", "a~b": "t"}},
            "spec": {"containers": [{"image": "nginx"}, {"image": "busybox"}], "": {"x": 1}},
            "status": null,
        });
        let pointers = [
            "",
            "/",
            "/metadata",
            "/metadata/name",
            "/metadata/missing",
            "/metadata/name/deeper",
            "/metadata/labels/app.kubernetes.io~1name",
            "/metadata/labels/a~0b",
            "/spec/containers/0/image",
            "/spec/containers/1/image",
            "/spec/containers/2/image",
            "/spec/containers/01/image",
            "/spec/containers/+1/image",
            "/spec/containers/-1",
            "/spec/containers/x",
            "/spec//x",
            "/spec/",
            "/status",
            "/status/phase",
            "metadata",
            "~",
            "/metadata/missing/a~0b",
            "/metadata/labels/a~0b/deeper",
            "/metadata/labels/a~b",
            "/metadata/labels/",
        ];
        for pointer in pointers {
            assert_eq!(at(&obj, pointer), obj.pointer(pointer), "{pointer:?}");
            let expected = obj
                .pointer(pointer)
                .and_then(Value::as_str)
                .unwrap_or_default();
            assert_eq!(str_at(&obj, pointer), expected, "{pointer:?}");
        }
    }
}
