//! Strategic merge patch and client-side `kubectl apply` must agree: apply computes a
//! three-way patch (last-applied, new manifest, live) that the apiserver then applies as
//! a strategic merge patch, so applying that patch to the live object must give exactly
//! the object apply's own merge predicts. Generated Deployments vary labels, replicas,
//! containers (merged on `name`), their env (on `name`) and ports (on `containerPort`),
//! with server-defaulted fields (`imagePullPolicy`, `protocol`) and server-owned ones
//! (`status`, `uid`) in the live object.
//!
//! Server-side apply must agree with client-side apply where only one manager touches
//! the object: both remove what the previous configuration set and the new one drops,
//! keep what the server defaulted, and merge keyed lists item by item.
//!
//! Failure persistence is off so no regression files land in the repository.

use kubesim::console::merge::three_way;
use kubesim::console::patch::strategic;
use kubesim::sim::fieldmanager::{self, Manager};
use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_json::{json, Map, Value};

/// A container as a manifest writes it: name, image, some env vars and ports.
fn container() -> impl Strategy<Value = (u8, u8, Vec<u8>, Vec<u16>)> {
    (
        0u8..4,
        0u8..3,
        prop::collection::btree_set(0u8..5, 0..3).prop_map(|s| s.into_iter().collect()),
        prop::collection::btree_set(prop::sample::select(vec![80u16, 443, 8080]), 0..3)
            .prop_map(|s| s.into_iter().collect()),
    )
}

/// A manifest: labels, replicas (or none), and containers with distinct names.
fn manifest() -> impl Strategy<Value = Value> {
    (
        prop::collection::btree_map(
            prop::sample::select(vec!["app", "tier", "team"]),
            0u8..2,
            0..3,
        ),
        prop::option::of(1u8..4),
        prop::collection::vec(container(), 1..4),
    )
        .prop_map(|(labels, replicas, containers)| {
            let mut seen = std::collections::BTreeSet::new();
            let containers: Vec<Value> = containers
                .into_iter()
                .filter(|(name, ..)| seen.insert(*name))
                .map(|(name, image, env, ports)| {
                    let mut c =
                        json!({"name": format!("c{name}"), "image": format!("nginx:1.2{image}")});
                    if !env.is_empty() {
                        c["env"] = env
                            .iter()
                            .map(|e| json!({"name": format!("E{e}"), "value": "v"}))
                            .collect();
                    }
                    if !ports.is_empty() {
                        c["ports"] = ports.iter().map(|p| json!({"containerPort": p})).collect();
                    }
                    c
                })
                .collect();
            let labels: Map<String, Value> = labels
                .into_iter()
                .map(|(k, v)| (k.to_string(), json!(format!("v{v}"))))
                .collect();
            let mut spec = json!({"template": {"spec": {"containers": containers}}});
            if let Some(r) = replicas {
                spec["replicas"] = json!(r);
            }
            json!({"apiVersion": "apps/v1", "kind": "Deployment",
                   "metadata": {"name": "web", "labels": labels}, "spec": spec})
        })
}

/// What the apiserver stores for a manifest: its defaults and its own fields added.
fn live_of(manifest: &Value) -> Value {
    let mut live = manifest.clone();
    live["metadata"]["uid"] = json!("u-1");
    live["status"] = json!({"replicas": 1});
    if live["spec"].get("replicas").is_none() {
        live["spec"]["replicas"] = json!(1);
    }
    for c in live["spec"]["template"]["spec"]["containers"]
        .as_array_mut()
        .expect("generated with containers")
    {
        c["imagePullPolicy"] = json!("IfNotPresent");
        for p in c
            .get_mut("ports")
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
        {
            p["protocol"] = json!("TCP");
        }
    }
    live
}

/// The object with every keyed list sorted by its merge key. Apply orders a list as the
/// manifest does; a strategic patch orders it as the live object does, with new elements
/// last, unless kubectl adds `$setElementOrder` (which kubesim's apply does not send):
/// the two must agree on the elements and their contents, not on that order.
fn canonical(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            Value::Object(m.iter().map(|(k, v)| (k.clone(), canonical(v))).collect())
        }
        Value::Array(items) => {
            let mut items: Vec<Value> = items.iter().map(canonical).collect();
            let key = |v: &Value| {
                ["name", "containerPort"]
                    .iter()
                    .find_map(|k| v.get(*k))
                    .map(|k| k.to_string())
                    .unwrap_or_default()
            };
            items.sort_by_key(key);
            Value::Array(items)
        }
        other => other.clone(),
    }
}

proptest! {
    #![proptest_config(Config { cases: 400, failure_persistence: None, ..Config::default() })]

    #[test]
    fn the_apply_patch_applied_strategically_gives_the_apply_result(
        old in manifest(),
        new in manifest(),
    ) {
        let live = live_of(&old);
        let merge = three_way(Some(&old), &new, &live);
        let patched = strategic("Deployment", &live, &merge.patch).expect("apply's patch is valid");
        prop_assert_eq!(canonical(&patched), canonical(&merge.result), "patch was {}", merge.patch);
        // An unchanged manifest is an empty patch, and patching with it changes nothing.
        let again = three_way(Some(&new), &new, &merge.result);
        prop_assert!(again.is_unchanged(), "reapplying gave {}", again.patch);
    }
}

/// The object without what only one of the two applies writes: managedFields and the
/// last-applied annotation.
fn without_bookkeeping(v: &Value) -> Value {
    let mut v = v.clone();
    if let Some(meta) = v.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.remove("managedFields");
        meta.remove("annotations");
    }
    canonical(&v)
}

/// What the apiserver adds to a server-side applied object: the same defaults and
/// server-owned fields as [`live_of`], which no manager owns.
fn defaulted(applied: &Value) -> Value {
    let mut live = live_of(applied);
    live["metadata"]["managedFields"] = applied["metadata"]["managedFields"].clone();
    live
}

proptest! {
    #![proptest_config(Config { cases: 300, failure_persistence: None, ..Config::default() })]

    #[test]
    fn server_side_apply_agrees_with_client_side_apply_for_a_sole_manager(
        old in manifest(),
        new in manifest(),
    ) {
        let csa = three_way(Some(&old), &new, &live_of(&old)).result;
        let applier = Manager {
            name: "kubectl".into(),
            operation: "Apply",
            subresource: String::new(),
            api_version: "apps/v1".into(),
        };
        let first = fieldmanager::apply(None, &old, &applier, false, "t0").expect("a new object");
        let ssa = fieldmanager::apply(Some(&defaulted(&first)), &new, &applier, false, "t1")
            .expect("a sole manager has no conflicts");
        prop_assert_eq!(without_bookkeeping(&ssa), without_bookkeeping(&csa));
    }
}
