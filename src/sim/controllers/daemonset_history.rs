//! The DaemonSet controller's history (pkg/controller/daemon/update.go:
//! `constructHistory`, `snapshot`, `cleanupHistory`): one ControllerRevision
//! `<daemonset>-<hash>` per pod template, holding the template as the patch `rollout undo`
//! applies, and numbered so the newest template has the highest revision.
//! `kubectl rollout history ds/X` and `rollout undo ds/X` read them.

use super::daemonset::HASH_LABEL;
use crate::sim::apiserver::{DeleteOptions, WriteOptions};
use crate::sim::cluster::Cluster;
use crate::sim::json::json;
use crate::sim::messages::Component;
use crate::sim::object;
use crate::sim::sort::SharedSort;
use serde_json::Value;
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
    old.sort_shared_by_key(revision_of);
    let excess = old.len() - limit;
    for cr in old.into_iter().take(excess) {
        let opts = DeleteOptions {
            actor: actor(),
            ..Default::default()
        };
        let _ = cluster.delete(&cr_rt, &ns, object::name(&cr), &opts);
    }
}

#[cfg(test)]
mod tests {
    use crate::sim::apiserver::WriteOptions;
    use crate::sim::cluster::{Cluster, ClusterOptions};
    use crate::sim::json::json;
    use crate::sim::object;
    use serde_json::Value;

    fn ds(image: &str) -> Value {
        json!({"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "agent", "namespace": "default"},
            "spec": {"revisionHistoryLimit": 1, "selector": {"matchLabels": {"app": "agent"}},
                "template": {"metadata": {"labels": {"app": "agent"}},
                    "spec": {"containers": [{"name": "a", "image": image}]}}}})
    }

    /// (revision, image) of the DaemonSet's revisions, by revision.
    fn history(c: &Cluster) -> Vec<(i64, String)> {
        let rt = c.registry.resolve("controllerrevisions").expect("served");
        let mut h: Vec<(i64, String)> = c
            .list(rt, Some("default"))
            .into_iter()
            .map(|cr| {
                let image = super::template_of(cr)
                    .pointer("/spec/containers/0/image")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string();
                (cr["revision"].as_i64().unwrap_or(0), image)
            })
            .collect();
        h.sort();
        h
    }

    #[test]
    fn revisions_follow_the_template() {
        let mut c = Cluster::new(ClusterOptions::default());
        let rt = c.registry.resolve("daemonsets").expect("ds").clone();
        let apply = |c: &mut Cluster, image: &str| {
            let mut obj = ds(image);
            if let Ok(live) = c.get(&rt, "default", "agent") {
                obj["metadata"]["resourceVersion"] =
                    json!(object::str_at(live, "/metadata/resourceVersion"));
                c.update(&rt, obj, &WriteOptions::default())
                    .expect("updated");
            } else {
                c.create(&rt, obj, "default", &WriteOptions::default())
                    .expect("created");
            }
            c.settle();
        };
        // (image applied, history after it); revisionHistoryLimit 1 keeps one old
        // revision once no pod runs it.
        let steps = [
            ("busybox:1.36", vec![(1, "busybox:1.36")]),
            (
                "busybox:1.37",
                vec![(1, "busybox:1.36"), (2, "busybox:1.37")],
            ),
            // The first template again: renumbered, not duplicated.
            (
                "busybox:1.36",
                vec![(2, "busybox:1.37"), (3, "busybox:1.36")],
            ),
            (
                "busybox:1.35",
                vec![(3, "busybox:1.36"), (4, "busybox:1.35")],
            ),
        ];
        for (image, want) in steps {
            apply(&mut c, image);
            // Let the rolling update replace every pod, then settle the history.
            c.advance(5 * 60 * 1000);
            let want: Vec<(i64, String)> =
                want.into_iter().map(|(r, i)| (r, i.to_string())).collect();
            assert_eq!(history(&c), want, "after {image}");
        }
    }
}
