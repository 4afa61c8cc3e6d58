//! The garbage collector (kube-controller-manager): deletes objects whose owners are all
//! gone (background cascading deletion), and finishes foreground deletions once an
//! owner's blocking dependents are gone.

use super::apiserver::{DeleteOptions, Propagation};
use super::cluster::Cluster;
use super::messages::Component;
use super::object;
use super::resources::ResourceType;
use super::store::ObjectKey;
use serde_json::Value;
use std::collections::BTreeSet;

fn actor() -> Component {
    Component::ControllerManager("garbage-collector".into())
}

/// One pass: dependents whose owners are all gone are deleted (in the foreground if an
/// owner is deleting in the foreground); owners in foreground deletion lose their
/// finalizer once their dependents are gone.
///
/// The real collector keeps a graph of owners and dependents fed by informers; here the
/// store's indexes are that graph ("who names this uid as owner", "is this uid still
/// stored", "who is deleting in the foreground"), so a pass costs the owners and the
/// dependents concerned, not every object. Objects are visited in the order a pass over
/// every listable type would visit them, and every verdict is taken from the state at
/// the start of the pass, as one full scan would.
pub fn collect(cluster: &mut Cluster) {
    let foreground: BTreeSet<String> = cluster
        .store
        .foreground_deleting()
        .iter()
        .filter_map(|k| cluster.store.get(k))
        .map(|o| object::uid(o).to_string())
        .collect();
    // Dependents of owners that are gone or deleting in the foreground.
    let concerned: Vec<&str> = cluster
        .store
        .owner_uids()
        .filter(|uid| !cluster.store.has_uid(uid) || foreground.contains(*uid))
        .collect();
    let candidates: BTreeSet<ObjectKey> = concerned
        .iter()
        .flat_map(|uid| cluster.store.keys_owned_by(uid))
        .cloned()
        .collect();
    let mut doomed: Vec<(ResourceType, Value, Propagation)> = vec![];
    for (t, obj) in cluster.in_listing_order(&candidates) {
        let refs = object::owner_refs(&obj);
        let owner_gone = refs.iter().all(|r| !cluster.store.has_uid(&r.uid));
        let owner_in_foreground = refs.iter().any(|r| foreground.contains(&r.uid));
        if (owner_gone || owner_in_foreground) && !object::is_deleting(&obj) {
            let propagation = if owner_in_foreground {
                Propagation::Foreground
            } else {
                Propagation::Background
            };
            doomed.push((t, obj, propagation));
        }
    }
    for (t, obj, propagation) in doomed {
        let opts = DeleteOptions {
            propagation,
            actor: actor(),
            ..Default::default()
        };
        let _ = cluster.delete(&t, object::namespace(&obj), object::name(&obj), &opts);
    }
    let waiting = cluster.store.foreground_deleting().clone();
    for (t, obj) in cluster.in_listing_order(&waiting) {
        let uid = object::uid(&obj);
        if foreground.contains(uid) && cluster.store.keys_owned_by(uid).is_empty() {
            finish_foreground(cluster, &t, &obj);
        }
    }
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
        cluster.write_through_unread(t, current, actor());
    }
}
