//! The garbage collector (kube-controller-manager): deletes objects whose owners are all
//! gone (background cascading deletion), and finishes foreground deletions once an
//! owner's blocking dependents are gone.

use super::apiserver::{DeleteOptions, Propagation};
use super::cluster::Cluster;
use super::messages::Component;
use super::object;
use super::resources::ResourceType;
use serde_json::Value;
use std::collections::BTreeSet;

fn actor() -> Component {
    Component::ControllerManager("garbage-collector".into())
}

/// One pass over every object: dependents of vanished owners are deleted; owners in
/// foreground deletion lose their finalizer once their dependents are gone.
pub fn collect(cluster: &mut Cluster) {
    let types: Vec<ResourceType> = cluster
        .registry
        .all()
        .iter()
        .filter(|t| t.listable)
        .cloned()
        .collect();
    let mut live_uids = BTreeSet::new();
    let mut all: Vec<(ResourceType, Value)> = vec![];
    for t in &types {
        for obj in cluster.list(t, None) {
            live_uids.insert(object::uid(obj).to_string());
            all.push((t.clone(), obj.clone()));
        }
    }
    let foreground: BTreeSet<String> = all
        .iter()
        .filter(|(_, o)| object::is_deleting(o) && has_finalizer(o, "foregroundDeletion"))
        .map(|(_, o)| object::uid(o).to_string())
        .collect();
    for (t, obj) in &all {
        let refs = object::owner_refs(obj);
        if refs.is_empty() {
            continue;
        }
        let owner_gone = refs.iter().all(|r| !live_uids.contains(&r.uid));
        let owner_in_foreground = refs.iter().any(|r| foreground.contains(&r.uid));
        if (owner_gone || owner_in_foreground) && !object::is_deleting(obj) {
            let propagation = if owner_in_foreground {
                Propagation::Foreground
            } else {
                Propagation::Background
            };
            let opts = DeleteOptions {
                propagation,
                actor: actor(),
                ..Default::default()
            };
            let _ = cluster.delete(t, object::namespace(obj), object::name(obj), &opts);
        }
    }
    for (t, obj) in &all {
        let uid = object::uid(obj);
        if foreground.contains(uid) && cluster.all_objects_owned_by(uid).is_empty() {
            finish_foreground(cluster, t, obj);
        }
    }
}

fn has_finalizer(obj: &Value, f: &str) -> bool {
    obj.pointer("/metadata/finalizers")
        .and_then(Value::as_array)
        .is_some_and(|a| a.iter().any(|x| x == f))
}

fn finish_foreground(cluster: &mut Cluster, t: &ResourceType, obj: &Value) {
    let Ok(current) = cluster.get(t, object::namespace(obj), object::name(obj)) else {
        return;
    };
    let mut current = current.clone();
    if let Some(fs) = current
        .pointer_mut("/metadata/finalizers")
        .and_then(Value::as_array_mut)
    {
        fs.retain(|f| f != "foregroundDeletion");
    }
    let empty = current
        .pointer("/metadata/finalizers")
        .and_then(Value::as_array)
        .is_none_or(|a| a.is_empty());
    if empty {
        object::meta_mut(&mut current).remove("finalizers");
        cluster.remove(t, &current, &actor());
    } else {
        cluster.write_through(t, current, actor());
    }
}
