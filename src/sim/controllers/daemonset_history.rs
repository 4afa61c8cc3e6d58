//! The DaemonSet controller's history (pkg/controller/daemon/update.go:
//! `constructHistory`, `snapshot`, `cleanupHistory`): one ControllerRevision
//! `<daemonset>-<hash>` per pod template, holding the template as the patch `rollout undo`
//! applies, and numbered so the newest template has the highest revision.
//! `kubectl rollout history ds/X` and `rollout undo ds/X` read them.

use super::daemonset::HASH_LABEL;
use crate::sim::apiserver::{DeleteOptions, WriteOptions};
use crate::sim::cluster::Cluster;
use crate::sim::messages::Component;
use crate::sim::object;
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// `revisionHistoryLimit`'s default (`SetDefaults_DaemonSet`).
const DEFAULT_HISTORY_LIMIT: usize = 10;

fn actor() -> Component {
    Component::ControllerManager("daemonset".into())
}

fn revision_of(cr: &Value) -> i64 {
    cr.get("revision").and_then(Value::as_i64).unwrap_or(0)
}

/// The template a revision holds, without the `$patch: replace` marker.
pub fn template_of(cr: &Value) -> Value {
    let mut t = cr
        .pointer("/data/spec/template")
        .cloned()
        .unwrap_or_default();
    if let Some(m) = t.as_object_mut() {
        m.remove("$patch");
    }
    t
}

/// `constructHistory`: makes sure the current template has a revision, and that it is
/// the newest (a template that comes back, as after `rollout undo`, has its old
/// revision renumbered rather than a duplicate made). `live_hashes` are the revision
/// hashes the DaemonSet's pods carry: history they use is kept.
pub fn construct_history(
    cluster: &mut Cluster,
    ds: &Value,
    hash: &str,
    live_hashes: &BTreeSet<String>,
) {
    let Some(cr_rt) = cluster.registry.resolve("controllerrevisions").cloned() else {
        return;
    };
    let ns = object::namespace(ds).to_string();
    let uid = object::uid(ds).to_string();
    let history: Vec<Value> = cluster
        .list(&cr_rt, Some(&ns))
        .into_iter()
        .filter(|c| object::controller_of(c).is_some_and(|o| o.uid == uid))
        .cloned()
        .collect();
    let generation = ds
        .pointer("/metadata/generation")
        .and_then(Value::as_i64)
        .unwrap_or(1);
    let observed = ds
        .pointer("/status/observedGeneration")
        .and_then(Value::as_i64)
        .unwrap_or(0);
    // The default cluster's DaemonSets are created already rolled out, without history;
    // their first revision is written when their template first changes.
    if history.is_empty() && observed >= generation {
        return;
    }
    let template = ds.pointer("/spec/template").cloned().unwrap_or_default();
    let newest = history.iter().map(revision_of).max().unwrap_or(0);
    let opts = WriteOptions {
        actor: actor(),
        ..Default::default()
    };
    let current = history.iter().find(|h| template_of(h) == template);
    match current {
        Some(h) if revision_of(h) == newest => {}
        Some(h) => {
            let mut bumped = h.clone();
            bumped["revision"] = json!(newest + 1);
            // ControllerRevisions have no status; the stored object carries an empty one.
            if let Some(m) = bumped.as_object_mut() {
                m.remove("status");
            }
            let _ = cluster.update(&cr_rt, bumped, &opts);
        }
        None => {
            let mut labels = template
                .pointer("/metadata/labels")
                .cloned()
                .unwrap_or_else(|| json!({}));
            labels[HASH_LABEL] = json!(hash);
            let mut data = template.clone();
            data["$patch"] = json!("replace");
            let mut meta = json!({"name": format!("{}-{hash}", object::name(ds)), "namespace": ns,
                "labels": labels, "ownerReferences": [object::controller_ref(ds)]});
            if let Some(a) = ds.pointer("/metadata/annotations") {
                meta["annotations"] = a.clone();
            }
            let cr = json!({"apiVersion": "apps/v1", "kind": "ControllerRevision", "metadata": meta,
                "data": {"spec": {"template": data}}, "revision": newest + 1});
            let _ = cluster.create(&cr_rt, cr, &ns, &opts);
        }
    }
    cleanup_history(cluster, ds, &template, live_hashes);
}

/// `cleanupHistory`: old revisions beyond `revisionHistoryLimit`, oldest first, unless
/// a pod still runs their template.
fn cleanup_history(
    cluster: &mut Cluster,
    ds: &Value,
    template: &Value,
    live_hashes: &BTreeSet<String>,
) {
    let Some(cr_rt) = cluster.registry.resolve("controllerrevisions").cloned() else {
        return;
    };
    let limit = ds
        .pointer("/spec/revisionHistoryLimit")
        .and_then(Value::as_u64)
        .map_or(DEFAULT_HISTORY_LIMIT, |l| l as usize);
    let ns = object::namespace(ds).to_string();
    let uid = object::uid(ds).to_string();
    let mut old: Vec<Value> = cluster
        .list(&cr_rt, Some(&ns))
        .into_iter()
        .filter(|c| object::controller_of(c).is_some_and(|o| o.uid == uid))
        .filter(|c| template_of(c) != *template)
        .filter(|c| {
            let hash = c.pointer("/metadata/labels/controller-revision-hash");
            !live_hashes.contains(hash.and_then(Value::as_str).unwrap_or_default())
        })
        .cloned()
        .collect();
    if old.len() <= limit {
        return;
    }
    old.sort_by_key(revision_of);
    let excess = old.len() - limit;
    for cr in old.into_iter().take(excess) {
        let opts = DeleteOptions {
            actor: actor(),
            ..Default::default()
        };
        let _ = cluster.delete(&cr_rt, &ns, object::name(&cr), &opts);
    }
}
