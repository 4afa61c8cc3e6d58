//! A unit test of `src/sim/admission/decode.rs` (declared there with `#[path]`; cargo does
//! not build files in tests/ subfolders on their own): the generic decoder against the
//! typed round trip it replaced ([`super::reference`]). Every manifest of the golden
//! scripts (and of `../shared/corpus` when it is there), and thousands of variants with
//! one value swapped for a wrong, odd or unknown one, must decode to the same object,
//! warnings and error in both.
//!
//! The few places where the two differ on purpose (the generic decoder follows Go where
//! the typed one did not) are listed in [`intended`], each with its reason.

use super::reference;
use crate::sim::admission::FieldValidation;
use crate::sim::resources::{split_api_version, Registry};
use serde_json::{json, Value};
use std::path::Path;

/// Every YAML document of the golden scripts' heredocs and of the corpus.
fn manifests() -> Vec<Value> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut texts = Vec::new();
    let mut golden: Vec<_> = std::fs::read_dir(root.join("tests/golden"))
        .expect("tests/golden")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "sh"))
        .collect();
    golden.sort();
    for path in golden {
        let script = std::fs::read_to_string(&path).unwrap_or_default();
        let mut doc: Option<String> = None;
        for line in script.lines() {
            match &mut doc {
                Some(d) if line == "EOF" => {
                    texts.push(std::mem::take(d));
                    doc = None;
                }
                Some(d) => {
                    d.push_str(line);
                    d.push('\n');
                }
                None if line.contains("<<EOF") => doc = Some(String::new()),
                None => {}
            }
        }
    }
    fn walk(dir: &Path, out: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                out.push(std::fs::read_to_string(&p).unwrap_or_default());
            }
        }
    }
    walk(&root.join("../shared/corpus"), &mut texts);
    let mut out = Vec::new();
    for text in texts {
        for doc in serde_yaml::Deserializer::from_str(&text) {
            // After a syntax error serde_yaml yields the same error again and again.
            let Ok(value) = <Value as serde::Deserialize>::deserialize(doc) else {
                break;
            };
            match value {
                Value::Object(ref m) if m.get("kind") == Some(&json!("List")) => {
                    if let Some(Value::Array(items)) = m.get("items") {
                        out.extend(items.iter().cloned());
                    }
                }
                Value::Object(_) => out.push(value),
                _ => {}
            }
        }
    }
    out
}

/// Both decoders' answers for one object and validation mode, rendered to compare.
fn both(object: &Value, validation: FieldValidation) -> Option<(String, String)> {
    let api_version = object.get("apiVersion")?.as_str()?;
    let kind = object.get("kind")?.as_str()?;
    let rt = Registry::builtin().for_kind(api_version, kind)?.clone();
    let version = split_api_version(api_version).1.to_string();
    let render = |r: Result<crate::sim::admission::Decoded, crate::sim::errors::ApiError>| match r {
        Ok(d) => format!("{} {:?}", d.object, d.warnings),
        Err(e) => format!("error: {}", e.message),
    };
    let new = render(super::decode(&rt, &version, object.clone(), validation));
    let old = render(reference::decode(&rt, &version, object.clone(), validation));
    Some((new, old))
}

/// Where the generic decoder is meant to differ from the typed one (`value` is what the
/// variant put in), and why.
fn intended(value: &Value, new: &str, old: &str) -> bool {
    let has_null = value.is_null() || value.as_array().is_some_and(|a| a.contains(&Value::Null));
    // A `null` list item: Go decodes the zero value (`containers: [null]` is one empty
    // container, refused by validation later); the typed decoder called it a number.
    // When the manifest has another error, that one is reported instead.
    (has_null
        && old.contains("cannot unmarshal number into")
        && !new.contains("cannot unmarshal number into"))
        // An int beyond int32 for an IntOrString: the typed decoder named serde's
        // expectation as the Go type.
        || new == old.replace("of type a 32-bit integer", "of type intstr.IntOrString")
        // autoscaling/v2's types are in Go package v2; the typed decoder printed `v1.`.
        || (new.contains("v2.") && new.replace("v2.", "v1.") == old)
}

/// Odd values at fields of special types: the two decoders agree, or the generic one
/// gives what Go gives where the typed one leaked serde's or jiff's wording.
#[test]
fn special_types_agree_or_differ_as_intended() {
    let pod = |meta: Value| json!({"apiVersion": "v1", "kind": "Pod", "metadata": meta});
    let event = |t: &str| json!({"apiVersion": "events.k8s.io/v1", "kind": "Event", "metadata": {"name": "a"}, "eventTime": t});
    let cases: Vec<(Value, Option<&str>)> = vec![
        (pod(json!({"name": "a", "creationTimestamp": "2024-01-02T03:04:05+02:00"})), None),
        (pod(json!({"name": "a", "creationTimestamp": "2024-01-02T03:04:05.5Z"})), None),
        (
            pod(json!({"name": "a", "creationTimestamp": "yesterday"})),
            Some("error: Pod in version \"v1\" cannot be handled as a Pod: parsing time \"yesterday\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"yesterday\" as \"2006\""),
        ),
        (
            pod(json!({"name": "a", "creationTimestamp": 5})),
            Some("error: Pod in version \"v1\" cannot be handled as a Pod: json: cannot unmarshal number into Go struct field ObjectMeta.metadata.creationTimestamp of type v1.Time"),
        ),
        (json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}, "binaryData": {"k": "YWJj"}}), None),
        (
            json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}, "binaryData": {"k": "Y"}}),
            Some("error: ConfigMap in version \"v1\" cannot be handled as a ConfigMap: illegal base64 data at input byte 0"),
        ),
        (
            // Go's base64 skips newlines.
            json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "a"}, "data": {"k": "YW\nJj"}}),
            Some("{\"apiVersion\":\"v1\",\"data\":{\"k\":\"YWJj\"},\"kind\":\"Secret\",\"metadata\":{\"name\":\"a\"}} []"),
        ),
        (event("2024-01-02T03:04:05.123456Z"), None),
        (
            // MicroTime is parsed with RFC3339Micro, which wants the six digits.
            event("2024-01-02T03:04:05Z"),
            Some("error: Event in version \"v1\" cannot be handled as a Event: parsing time \"2024-01-02T03:04:05Z\" as \"2006-01-02T15:04:05.000000Z07:00\": cannot parse \"Z\" as \".000000\""),
        ),
        (
            // A Quantity outside the key list the typed decoder canonicalized.
            json!({"apiVersion": "storage.k8s.io/v1", "kind": "CSIStorageCapacity", "metadata": {"name": "a"}, "storageClassName": "x", "capacity": "1.5Gi"}),
            Some("{\"apiVersion\":\"storage.k8s.io/v1\",\"capacity\":\"1536Mi\",\"kind\":\"CSIStorageCapacity\",\"metadata\":{\"name\":\"a\"},\"storageClassName\":\"x\"} []"),
        ),
        (json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "a"}, "spec": {"ports": [{"port": 80, "targetPort": 1.5}]}}), None),
        (json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "a"}, "spec": {"ports": [{"port": 80.0}]}}), None),
        (
            // A subresource struct without fields is strict too.
            json!({"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition", "metadata": {"name": "a"},
                   "spec": {"versions": [{"name": "v1", "subresources": {"status": {"x": 1}}}]}}),
            Some("error: CustomResourceDefinition in version \"v1\" cannot be handled as a CustomResourceDefinition: strict decoding error: unknown field \"spec.versions[0].subresources.status.x\""),
        ),
    ];
    for (case, want) in cases {
        let (new, old) = both(&case, FieldValidation::Strict).expect("a built-in kind");
        match want {
            None => assert_eq!(new, old, "{case}"),
            Some(want) => {
                assert_eq!(new, want, "{case}");
                assert_ne!(new, old, "{case}: the decoders agree now");
            }
        }
    }
}

/// Values put in place of a leaf or added as an unknown key.
fn odd_values() -> Vec<Value> {
    vec![
        json!("x"),
        json!("1gb"),
        json!(""),
        json!(3),
        json!(-1),
        json!(1.5),
        json!(5_000_000_000u64),
        json!(18_446_744_073_709_551_615u64),
        json!(true),
        json!(null),
        json!([]),
        json!(["a"]),
        json!([null]),
        json!({}),
        json!({"k": "v"}),
        json!("2024-01-02T03:04:05Z"),
        json!("2024-01-02T03:04:05.123456+01:00"),
        json!("YWJj"),
        json!("Y"),
        json!("0.5"),
    ]
}

/// Every path to a value in `v` (objects' keys and lists' indexes).
fn paths(v: &Value, prefix: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
    out.push(prefix.clone());
    match v {
        Value::Object(m) => {
            for (k, c) in m {
                prefix.push(json!(k));
                paths(c, prefix, out);
                prefix.pop();
            }
        }
        Value::Array(a) => {
            for (i, c) in a.iter().enumerate() {
                prefix.push(json!(i));
                paths(c, prefix, out);
                prefix.pop();
            }
        }
        _ => {}
    }
}

fn at_mut<'a>(v: &'a mut Value, path: &[Value]) -> Option<&'a mut Value> {
    path.iter().try_fold(v, |v, step| match step {
        Value::String(k) => v.get_mut(k.as_str()),
        _ => v.get_mut(step.as_u64()? as usize),
    })
}

#[test]
fn the_generic_decoder_agrees_with_the_typed_one() {
    let objects = manifests();
    assert!(objects.len() > 50, "{} manifests", objects.len());
    let odd = odd_values();
    let mut checked = 0;
    let mut differences = Vec::new();
    let mut compare = |object: &Value, what: String, value: &Value| {
        for validation in [FieldValidation::Strict, FieldValidation::Warn] {
            let Some((new, old)) = both(object, validation) else {
                return;
            };
            checked += 1;
            if new != old && !intended(value, &new, &old) {
                differences.push(format!("{what}\n  new: {new}\n  old: {old}"));
            }
        }
    };
    for (n, object) in objects.iter().enumerate() {
        compare(object, format!("manifest {n}"), &Value::Bool(true));
        // Big objects (CRDs with their schemas) are compared as they are only: the typed
        // decoder's probing makes each of their variants slow in a debug build.
        if object.to_string().len() > 8_000 {
            continue;
        }
        let mut all = Vec::new();
        paths(object, &mut vec![], &mut all);
        // A deterministic sample of paths (every one for small objects), skipping the
        // apiVersion and kind that pick the schema.
        let stride = all.len() / 12 + 1;
        for (i, path) in all.iter().enumerate().skip(1) {
            let picks_schema = path == &[json!("apiVersion")] || path == &[json!("kind")];
            if (i + n) % stride != 0 || picks_schema {
                continue;
            }
            for (j, value) in odd.iter().enumerate() {
                if (i + j) % 4 != 0 {
                    continue;
                }
                let mut variant = object.clone();
                let Some(slot) = at_mut(&mut variant, path) else {
                    continue;
                };
                *slot = value.clone();
                compare(
                    &variant,
                    format!("manifest {n} with {path:?} = {value}"),
                    value,
                );
                // The same value under an unknown key beside it.
                let mut variant = object.clone();
                if let Some(Value::Object(m)) = at_mut(&mut variant, &path[..path.len() - 1]) {
                    m.insert("zzUnknown".into(), value.clone());
                    compare(
                        &variant,
                        format!("manifest {n} with unknown key beside {path:?}"),
                        value,
                    );
                }
            }
        }
    }
    println!("{checked} decodes compared");
    assert!(
        differences.is_empty(),
        "{} difference(s) of {checked}:\n{}",
        differences.len(),
        differences
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
