//! The ReplicaSet controller, and the ReplicationController manager that shares its logic
//! (kubernetes `pkg/controller/replicaset/replica_set.go`).
//!
//! It only counts: active pods matching the selector against `spec.replicas`. It never
//! compares a pod with the template, so re-applying a ReplicaSet with a new image leaves
//! the running pods alone; only pods created later get the new template
//! (k8s-behaviour.md §4).
//!
//! Each sync: claim pods (adopt orphans that match the selector, release owned pods whose
//! labels no longer match), create the missing ones in slow-start batches or delete the
//! surplus in `getPodsToDelete` order, then write the status.

use crate::sim::apiserver::{DeleteOptions, WriteOptions};
use crate::sim::cluster::Cluster;
use crate::sim::events::EventSource;
use crate::sim::json::json;
use crate::sim::labels::{labels_of, Selector};
use crate::sim::messages::Component;
use crate::sim::object;
use crate::sim::resources::ResourceType;
use crate::sim::sort::SharedSort;
use crate::sim::store::{GroupResource, WatchEventType};
use crate::sim::time::{parse_rfc3339, Millis, SECOND};
use serde_json::Value;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// `BurstReplicas`: at most this many creations or deletions per sync.
const BURST_REPLICAS: usize = 500;

/// The two kinds this controller manages (ordered as their keys sync).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    ReplicaSet,
    ReplicationController,
}

impl Kind {
    fn plural(self) -> &'static str {
        match self {
            Kind::ReplicaSet => "replicasets",
            Kind::ReplicationController => "replicationcontrollers",
        }
    }
    fn actor(self) -> Component {
        match self {
            Kind::ReplicaSet => Component::ControllerManager("replicaset".into()),
            Kind::ReplicationController => Component::ControllerManager("replication".into()),
        }
    }
    fn source(self) -> EventSource {
        match self {
            Kind::ReplicaSet => EventSource::component("replicaset-controller"),
            Kind::ReplicationController => EventSource::component("replication-controller"),
        }
    }
    fn key(self) -> &'static str {
        match self {
            Kind::ReplicaSet => "rs",
            Kind::ReplicationController => "rc",
        }
    }
}

/// One turn: sync the ReplicaSets / ReplicationControllers whose keys changed since the
/// last turn, as the real controller's event handlers enqueue them: the object itself on
/// add or update; a pod's controlling owner when the pod changes; for a pod without a
/// controller, every ReplicaSet and ReplicationController of its namespace (one of them
/// may adopt it). Keys sync in (namespace, kind, name) order.
pub fn reconcile(cluster: &mut Cluster) {
    if let Some(unfinished) = cluster.controllers.replicaset_unfinished.take() {
        resume(cluster, unfinished);
        return;
    }
    let cursor = cluster.controllers.replicaset_cursor;
    let mut dirty: BTreeSet<(String, Kind, String)> = BTreeSet::new();
    let mut orphan_namespaces: BTreeSet<String> = BTreeSet::new();
    for e in cluster.store.events_since(cursor) {
        let ns = &e.key.namespace;
        match (
            e.key.resource.group.as_str(),
            e.key.resource.resource.as_str(),
        ) {
            ("", "pods") => match object::controller_of(&e.object) {
                Some(owner) => {
                    let kind = match owner.kind.as_str() {
                        "ReplicaSet" => Kind::ReplicaSet,
                        "ReplicationController" => Kind::ReplicationController,
                        _ => continue,
                    };
                    dirty.insert((ns.clone(), kind, owner.name));
                }
                None => {
                    orphan_namespaces.insert(ns.clone());
                }
            },
            _ if e.event_type == WatchEventType::Deleted => {}
            ("apps", "replicasets") => {
                dirty.insert((ns.clone(), Kind::ReplicaSet, e.key.name.clone()));
            }
            ("", "replicationcontrollers") => {
                dirty.insert((ns.clone(), Kind::ReplicationController, e.key.name.clone()));
            }
            _ => {}
        }
    }
    cluster.record_watch(
        cursor,
        Component::ControllerManager("replicaset".into()),
        &[("apps", "replicasets")],
        false,
    );
    cluster.controllers.replicaset_cursor = cluster.store.revision();
    for ns in orphan_namespaces {
        for kind in [Kind::ReplicaSet, Kind::ReplicationController] {
            let Some(rt) = cluster.registry.resolve(kind.plural()) else {
                continue;
            };
            for rs in cluster.list(rt, Some(&ns)) {
                dirty.insert((ns.clone(), kind, object::name(rs).to_string()));
            }
        }
    }
    sync_keys(cluster, dirty.into_iter().collect());
}

/// A turn that stopped between two pod creations of one sync (the page's sliced run,
/// see `Cluster::slice_spent`): that sync's slow start, then the keys still to sync.
#[derive(Debug, Clone)]
pub(crate) struct Unfinished {
    creating: Creating,
    keys: Vec<(String, Kind, String)>,
}

/// A sync stopped part-way through its creations.
#[derive(Debug, Clone)]
struct Creating {
    kind: Kind,
    /// The ReplicaSet as the sync read it (its status is written from this copy).
    rs: Value,
    start: super::SlowStart,
}

/// Syncs `keys` in order; stops (remembering the rest) if one sync stops part-way.
fn sync_keys(cluster: &mut Cluster, keys: Vec<(String, Kind, String)>) {
    let mut keys = keys.into_iter();
    while let Some((ns, kind, name)) = keys.next() {
        let Some(rt) = cluster.registry.resolve(kind.plural()).cloned() else {
            continue;
        };
        if let Some(creating) = sync(cluster, kind, &rt, &ns, &name) {
            let keys = keys.collect();
            cluster.controllers.replicaset_unfinished = Some(Unfinished { creating, keys });
            return;
        }
    }
}

/// The turn after one that stopped part-way: finish that sync, then the other keys.
fn resume(cluster: &mut Cluster, unfinished: Unfinished) {
    let Creating { kind, rs, start } = unfinished.creating;
    let pods_rt = cluster
        .registry
        .resolve("pods")
        .expect("pods are built in")
        .clone();
    if let Some(start) = create_in_batches(cluster, kind, &pods_rt, &rs, start) {
        let creating = Creating { kind, rs, start };
        cluster.controllers.replicaset_unfinished = Some(Unfinished {
            creating,
            ..unfinished
        });
        return;
    }
    if let Some(rt) = cluster.registry.resolve(kind.plural()).cloned() {
        update_status(cluster, kind, &rt, &rs, &pods_rt, &selector_of(kind, &rs));
    }
    sync_keys(cluster, unfinished.keys);
}

/// A timed wake-up: `rs/<ns>/<name>` or `rc/<ns>/<name>` (minReadySeconds elapsing).
pub fn wake(cluster: &mut Cluster, key: &str) {
    let mut parts = key.splitn(3, '/');
    let (Some(k), Some(ns), Some(name)) = (parts.next(), parts.next(), parts.next()) else {
        return;
    };
    let kind = if k == "rc" {
        Kind::ReplicationController
    } else {
        Kind::ReplicaSet
    };
    let Some(rt) = cluster.registry.resolve(kind.plural()).cloned() else {
        return;
    };
    // A wake-up runs outside a controller turn, where the slice is never spent.
    let _unfinished = sync(cluster, kind, &rt, ns, name);
    debug_assert!(_unfinished.is_none(), "only a turn stops part-way");
}

/// Whether a pod counts at all (`FilterActivePods`): not finished, not being deleted.
pub fn is_pod_active(pod: &Value) -> bool {
    !matches!(object::str_at(pod, "/status/phase"), "Succeeded" | "Failed")
        && !object::is_deleting(pod)
}

fn ready_condition(pod: &Value) -> Option<&Value> {
    object::at(pod, "/status/conditions")
        .and_then(Value::as_array)?
        .iter()
        .find(|c| object::str_at(c, "/type") == "Ready")
}

/// The pod's Ready condition is True.
pub fn is_pod_ready(pod: &Value) -> bool {
    ready_condition(pod).is_some_and(|c| object::str_at(c, "/status") == "True")
}

/// When the pod became Ready (the Ready condition's lastTransitionTime).
pub fn ready_since(pod: &Value) -> Option<i64> {
    ready_condition(pod)
        .filter(|c| object::str_at(c, "/status") == "True")
        .and_then(|c| parse_rfc3339(object::str_at(c, "/lastTransitionTime")))
}

/// `IsPodAvailable`: Ready for at least `min_ready_seconds`. Returns `Err(wait)` with the
/// milliseconds still missing when the pod is ready but not yet available.
pub fn pod_availability(pod: &Value, min_ready_seconds: i64, now: Millis) -> Result<bool, Millis> {
    if !is_pod_ready(pod) {
        return Ok(false);
    }
    if min_ready_seconds <= 0 {
        return Ok(true);
    }
    let since = ready_since(pod).unwrap_or(0);
    let due = since + min_ready_seconds * SECOND as i64;
    if due <= now as i64 {
        Ok(true)
    } else {
        Err((due - now as i64) as Millis)
    }
}

fn selector_of(kind: Kind, obj: &Value) -> Selector {
    let sel = object::at(obj, "/spec/selector")
        .cloned()
        .unwrap_or(Value::Null);
    match kind {
        Kind::ReplicaSet => Selector::from_label_selector(&sel),
        Kind::ReplicationController => {
            if sel.as_object().is_some_and(|m| !m.is_empty()) {
                Selector::from_map(&sel)
            } else {
                Selector::from_map(
                    object::at(obj, "/spec/template/metadata/labels").unwrap_or(&Value::Null),
                )
            }
        }
    }
}

/// One sync; `Some` when it stopped part-way through its creations (see [`Unfinished`]).
fn sync(
    cluster: &mut Cluster,
    kind: Kind,
    rt: &ResourceType,
    ns: &str,
    name: &str,
) -> Option<Creating> {
    let Ok(rs) = cluster.get(rt, ns, name) else {
        return None;
    };
    let rs = rs.clone();
    let selector = selector_of(kind, &rs);
    let deleting = object::is_deleting(&rs);
    // An empty selector would match every pod; validation forbids it, be safe anyway.
    if selector.is_empty() {
        return None;
    }
    let pods_rt = cluster
        .registry
        .resolve("pods")
        .expect("pods are built in")
        .clone();
    // The pods ClaimPods would look at: ours and the orphans (others' are skipped anyway).
    let active: Vec<Arc<Value>> = cluster
        .store
        .claimable_shared(&GroupResource::of(&pods_rt), ns, object::uid(&rs))
        .into_iter()
        .filter(|p| is_pod_active(p))
        .cloned()
        .collect();
    let owned = claim_pods(cluster, kind, &pods_rt, &rs, &selector, active, deleting);
    if !deleting {
        if let Some(start) = manage_replicas(cluster, kind, &pods_rt, &rs, &owned) {
            return Some(Creating { kind, rs, start });
        }
    }
    update_status(cluster, kind, rt, &rs, &pods_rt, &selector);
    None
}

/// `ClaimPods` (controller ref manager): adopt matching orphans, release owned pods whose
/// labels no longer match; returns the pods this controller owns and that match.
fn claim_pods(
    cluster: &mut Cluster,
    kind: Kind,
    pods_rt: &ResourceType,
    rs: &Value,
    selector: &Selector,
    pods: Vec<Arc<Value>>,
    deleting: bool,
) -> Vec<Arc<Value>> {
    let uid = object::uid(rs).to_string();
    let mut owned = vec![];
    for pod in pods {
        let matches = selector.matches_object(&pod);
        match object::controller_of(&pod) {
            Some(r) if r.uid == uid => {
                if matches {
                    owned.push(pod);
                } else if !deleting {
                    let mut pod = Arc::unwrap_or_clone(pod);
                    // Release: drop our ownerReference (the pod keeps running, orphaned).
                    if let Some(refs) = pod
                        .pointer_mut("/metadata/ownerReferences")
                        .and_then(Value::as_array_mut)
                    {
                        refs.retain(|r| object::str_at(r, "/uid") != uid);
                        if refs.is_empty() {
                            object::meta_mut(&mut pod).remove("ownerReferences");
                        }
                    }
                    let summary = format!(
                        "released pod {} (its labels no longer match the selector of {})",
                        object::name(&pod),
                        object::name(rs)
                    );
                    cluster.record(
                        kind.actor(),
                        Component::ApiServer,
                        "patch",
                        format!("pods/{}", object::name(&pod)),
                        summary,
                    );
                    cluster.write_through_unread(pods_rt, pod, kind.actor());
                }
            }
            Some(_) => {}
            None => {
                if matches && !deleting {
                    let mut pod = Arc::unwrap_or_clone(pod);
                    let refs = object::meta_mut(&mut pod)
                        .entry("ownerReferences")
                        .or_insert_with(|| json!([]));
                    if let Some(arr) = refs.as_array_mut() {
                        arr.push(object::controller_ref(rs));
                    }
                    let summary = format!(
                        "adopted pod {} (matches the selector of {}, had no controller)",
                        object::name(&pod),
                        object::name(rs)
                    );
                    cluster.record(
                        kind.actor(),
                        Component::ApiServer,
                        "patch",
                        format!("pods/{}", object::name(&pod)),
                        summary,
                    );
                    let written = cluster.write_through(pods_rt, pod, kind.actor());
                    owned.push(Arc::new(written));
                }
            }
        }
    }
    owned
}

fn replicas_of(obj: &Value) -> i64 {
    object::at(obj, "/spec/replicas")
        .and_then(Value::as_i64)
        .unwrap_or(1)
}

/// Creates the missing pods or deletes the surplus; `Some` when the creations stopped
/// part-way (the slice was spent), with where the slow start stands.
fn manage_replicas(
    cluster: &mut Cluster,
    kind: Kind,
    pods_rt: &ResourceType,
    rs: &Value,
    owned: &[Arc<Value>],
) -> Option<super::SlowStart> {
    let diff = owned.len() as i64 - replicas_of(rs);
    if diff != 0 {
        let name = object::name(rs);
        let (verb, summary) = if diff < 0 {
            (
                "create",
                format!(
                    "{name} has {} of {} pods: create {}",
                    owned.len(),
                    replicas_of(rs),
                    -diff
                ),
            )
        } else {
            ("delete", format!(
                "{name} has {} pods but wants {}: delete {diff} (unscheduled, then not ready, then newest first)",
                owned.len(),
                replicas_of(rs)
            ))
        };
        cluster.record(
            kind.actor(),
            Component::ApiServer,
            verb,
            format!("{}/{name}", kind.plural()),
            summary,
        );
    }
    if diff < 0 {
        let want = ((-diff) as usize).min(BURST_REPLICAS);
        return create_in_batches(cluster, kind, pods_rt, rs, super::SlowStart::new(want));
    } else if diff > 0 {
        let count = (diff as usize).min(BURST_REPLICAS);
        let related = related_pods_per_node(cluster, pods_rt, rs, owned);
        for pod in pods_to_delete(owned, &related, count, cluster.now) {
            let opts = DeleteOptions {
                actor: kind.actor(),
                ..Default::default()
            };
            let name = object::name(&pod).to_string();
            if cluster
                .delete(pods_rt, object::namespace(rs), &name, &opts)
                .is_ok()
            {
                cluster.emit_event(
                    rs,
                    "Normal",
                    "SuccessfulDelete",
                    &format!("Deleted pod: {name}"),
                    &kind.source(),
                    kind.actor(),
                );
            }
        }
    }
    None
}

/// Runs a slow start's creations: to its end, or (in a sliced run, once the slice's
/// work is spent) up to a pause between two creations, returned to resume from.
fn create_in_batches(
    cluster: &mut Cluster,
    kind: Kind,
    pods_rt: &ResourceType,
    rs: &Value,
    mut start: super::SlowStart,
) -> Option<super::SlowStart> {
    while start.step(&mut |_| create_pod(cluster, kind, pods_rt, rs).is_ok()) {
        if cluster.slice_spent() {
            return Some(start);
        }
    }
    None
}

/// `GetPodFromTemplate` + `CreatePods`: a pod named `<rs>-<5 chars>` with the template's
/// labels, annotations and spec, controlled by the ReplicaSet.
fn create_pod(
    cluster: &mut Cluster,
    kind: Kind,
    pods_rt: &ResourceType,
    rs: &Value,
) -> Result<(), ()> {
    let template = object::at(rs, "/spec/template").unwrap_or(&Value::Null);
    let mut meta = json!({
        "generateName": format!("{}-", object::name(rs)),
        "namespace": object::namespace(rs),
        "ownerReferences": [object::controller_ref(rs)],
    });
    for field in ["labels", "annotations", "finalizers"] {
        if let Some(v) =
            object::at(template, &format!("/metadata/{field}")).filter(|v| !v.is_null())
        {
            meta[field] = v.clone();
        }
    }
    let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": template.get("spec").cloned().unwrap_or_else(|| json!({}))});
    let opts = WriteOptions {
        actor: kind.actor(),
        ..Default::default()
    };
    match cluster.create_unread(pods_rt, pod, object::namespace(rs), &opts) {
        Ok(name) => {
            let msg = format!("Created pod: {name}");
            cluster.emit_event(
                rs,
                "Normal",
                "SuccessfulCreate",
                &msg,
                &kind.source(),
                kind.actor(),
            );
            Ok(())
        }
        Err(e) => {
            cluster.emit_event(
                rs,
                "Warning",
                "FailedCreate",
                &format!("Error creating: {e}"),
                &kind.source(),
                kind.actor(),
            );
            Err(())
        }
    }
}

/// For each node, how many active pods of this ReplicaSet's owner family run there
/// (`getIndirectlyRelatedPods`: pods of ReplicaSets with the same controller owner).
fn related_pods_per_node(
    cluster: &Cluster,
    pods_rt: &ResourceType,
    rs: &Value,
    owned: &[Arc<Value>],
) -> BTreeMap<String, usize> {
    let ns = object::namespace(rs);
    let mut owners: BTreeSet<String> = BTreeSet::new();
    owners.insert(object::uid(rs).to_string());
    if let (Some(parent), Some(rs_rt)) = (
        object::controller_of(rs),
        cluster.registry.resolve("replicasets"),
    ) {
        for other in cluster
            .store
            .owned_by(&parent.uid, Some(&GroupResource::of(rs_rt)))
        {
            if object::namespace(other) == ns
                && object::controller_of(other).is_some_and(|r| r.uid == parent.uid)
            {
                owners.insert(object::uid(other).to_string());
            }
        }
    }
    let pods_key = GroupResource::of(pods_rt);
    let family: Vec<&Value> = owners
        .iter()
        .flat_map(|uid| cluster.store.owned_by(uid, Some(&pods_key)))
        .filter(|p| object::namespace(p) == ns)
        .collect();
    let mut per_node = BTreeMap::new();
    let mut counted = BTreeSet::new();
    for pod in family.into_iter().chain(owned.iter().map(|p| &**p)) {
        let node = object::str_at(pod, "/spec/nodeName");
        let owner = object::controller_of(pod)
            .map(|r| r.uid)
            .unwrap_or_default();
        if node.is_empty()
            || !is_pod_active(pod)
            || !owners.contains(&owner)
            || !counted.insert(object::uid(pod).to_string())
        {
            continue;
        }
        *per_node.entry(node.to_string()).or_insert(0) += 1;
    }
    per_node
}

fn phase_rank(pod: &Value) -> u8 {
    match object::str_at(pod, "/status/phase") {
        "Pending" => 0,
        "Unknown" => 1,
        "Running" => 2,
        _ => 3,
    }
}

fn restarts(pod: &Value) -> i64 {
    object::at(pod, "/status/containerStatuses")
        .and_then(Value::as_array)
        .map(|cs| {
            cs.iter()
                .filter_map(|c| c.get("restartCount").and_then(Value::as_i64))
                .max()
                .unwrap_or(0)
        })
        .unwrap_or(0)
}

/// `ActivePodsWithRanks.Less`: which of two pods to delete first. Earlier = deleted first:
/// unscheduled before scheduled, Pending before Unknown before Running, not ready before
/// ready, more pods of the family on its node before fewer, ready for less time before
/// longer, more restarts before fewer, newer before older.
pub(crate) fn deletion_order(
    a: &Value,
    b: &Value,
    related: &BTreeMap<String, usize>,
    now: Millis,
) -> Ordering {
    let node = |p: &Value| object::str_at(p, "/spec/nodeName").to_string();
    let assigned = |p: &Value| !node(p).is_empty();
    let rank = |p: &Value| related.get(&node(p)).copied().unwrap_or(0);
    let created =
        |p: &Value| parse_rfc3339(object::str_at(p, "/metadata/creationTimestamp")).unwrap_or(0);
    let _ = now;
    assigned(a)
        .cmp(&assigned(b))
        .then(phase_rank(a).cmp(&phase_rank(b)))
        .then(is_pod_ready(a).cmp(&is_pod_ready(b)))
        .then(rank(b).cmp(&rank(a)))
        .then_with(|| match (ready_since(a), ready_since(b)) {
            // Ready more recently (later time) is deleted first.
            (Some(x), Some(y)) => y.cmp(&x),
            _ => Ordering::Equal,
        })
        .then(restarts(b).cmp(&restarts(a)))
        .then(created(b).cmp(&created(a)))
        .then_with(|| object::name(a).cmp(object::name(b)))
}

fn pods_to_delete(
    owned: &[Arc<Value>],
    related: &BTreeMap<String, usize>,
    count: usize,
    now: Millis,
) -> Vec<Arc<Value>> {
    let mut sorted = owned.to_vec();
    sorted.sort_shared_by(|a, b| deletion_order(a, b, related, now));
    sorted.truncate(count);
    sorted
}

/// `calculateStatus`: counts over the active pods it owns.
fn update_status(
    cluster: &mut Cluster,
    kind: Kind,
    rt: &ResourceType,
    rs: &Value,
    pods_rt: &ResourceType,
    selector: &Selector,
) {
    let uid = object::uid(rs);
    let min_ready = object::at(rs, "/spec/minReadySeconds")
        .and_then(Value::as_i64)
        .unwrap_or(0);
    let template_labels = labels_of(
        &json!({"metadata": {"labels": object::at(rs, "/spec/template/metadata/labels").cloned().unwrap_or(Value::Null)}}),
    );
    let now = cluster.now;
    let (mut replicas, mut fully, mut ready, mut available) = (0i64, 0i64, 0i64, 0i64);
    let mut wait: Option<Millis> = None;
    let owned = cluster
        .store
        .owned_by(uid, Some(&GroupResource::of(pods_rt)));
    for pod in owned {
        if object::namespace(pod) != object::namespace(rs)
            || !is_pod_active(pod)
            || !selector.matches_object(pod)
            || object::controller_of(pod).is_none_or(|r| r.uid != uid)
        {
            continue;
        }
        replicas += 1;
        let labels = labels_of(pod);
        if template_labels
            .iter()
            .all(|(k, v)| labels.get(k) == Some(v))
        {
            fully += 1;
        }
        if is_pod_ready(pod) {
            ready += 1;
        }
        match pod_availability(pod, min_ready, now) {
            Ok(true) => available += 1,
            Ok(false) => {}
            Err(w) => wait = Some(wait.map_or(w, |x| x.min(w))),
        }
    }
    let mut status = rs
        .get("status")
        .cloned()
        .filter(Value::is_object)
        .unwrap_or_else(|| json!({}));
    let set = |status: &mut Value, field: &str, v: i64| {
        if v == 0 && field != "replicas" {
            if let Some(m) = status.as_object_mut() {
                m.remove(field);
            }
        } else {
            status[field] = json!(v);
        }
    };
    set(&mut status, "replicas", replicas);
    set(&mut status, "fullyLabeledReplicas", fully);
    set(&mut status, "readyReplicas", ready);
    set(&mut status, "availableReplicas", available);
    set(
        &mut status,
        "observedGeneration",
        object::at(rs, "/metadata/generation")
            .and_then(Value::as_i64)
            .unwrap_or(0),
    );
    let _ = cluster.write_status(
        rt,
        object::namespace(rs),
        object::name(rs),
        status,
        kind.actor(),
    );
    if let Some(w) = wait {
        cluster.wake_after(
            w,
            "replicaset",
            format!(
                "{}/{}/{}",
                kind.key(),
                object::namespace(rs),
                object::name(rs)
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::cluster::ClusterOptions;

    fn rs_yaml(name: &str, replicas: i64, image: &str) -> Value {
        json!({"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": name},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                "template": {"metadata": {"labels": {"app": name}}, "spec": {"containers": [{"name": "c", "image": image}]}}}})
    }

    fn pods_of(cluster: &Cluster, owner: &str) -> Vec<Value> {
        let rt = cluster.registry.resolve("pods").expect("pods").clone();
        cluster
            .list(&rt, Some("default"))
            .into_iter()
            .filter(|p| {
                is_pod_active(p) && object::controller_of(p).is_some_and(|r| r.name == owner)
            })
            .cloned()
            .collect()
    }

    #[test]
    fn creates_missing_pods_named_after_the_replicaset() {
        let mut c = Cluster::new(ClusterOptions::default());
        let rt = c.registry.resolve("replicasets").expect("rs").clone();
        c.create(
            &rt,
            rs_yaml("frontend", 3, "nginx:1.24"),
            "default",
            &WriteOptions::default(),
        )
        .expect("created");
        c.settle();
        let pods = pods_of(&c, "frontend");
        assert_eq!(pods.len(), 3);
        for p in &pods {
            let name = object::name(p);
            assert!(
                name.starts_with("frontend-") && name.len() == "frontend-".len() + 5,
                "{name}"
            );
            assert_eq!(object::str_at(p, "/metadata/labels/app"), "frontend");
        }
        let rs = c.get(&rt, "default", "frontend").expect("rs");
        assert_eq!(rs.pointer("/status/replicas"), Some(&json!(3)));
    }

    #[test]
    fn template_changes_leave_existing_pods_alone() {
        let mut c = Cluster::new(ClusterOptions::default());
        let rt = c.registry.resolve("replicasets").expect("rs").clone();
        c.create(
            &rt,
            rs_yaml("frontend", 3, "nginx:1.24"),
            "default",
            &WriteOptions::default(),
        )
        .expect("created");
        c.settle();
        let mut live = c.get(&rt, "default", "frontend").expect("rs").clone();
        live["spec"]["template"]["spec"]["containers"][0]["image"] = json!("nginx:1.25");
        c.update(&rt, live, &WriteOptions::default())
            .expect("updated");
        c.settle();
        let pods = pods_of(&c, "frontend");
        assert!(pods
            .iter()
            .all(|p| object::str_at(p, "/spec/containers/0/image") == "nginx:1.24"));
        let pods_rt = c.registry.resolve("pods").expect("pods").clone();
        let victim = object::name(&pods[0]).to_string();
        c.delete(&pods_rt, "default", &victim, &DeleteOptions::default())
            .expect("deleted");
        c.settle();
        let pods = pods_of(&c, "frontend");
        assert_eq!(pods.len(), 3);
        assert_eq!(
            pods.iter()
                .filter(|p| object::str_at(p, "/spec/containers/0/image") == "nginx:1.25")
                .count(),
            1
        );
    }

    #[test]
    fn adopts_orphans_and_releases_relabelled_pods() {
        let mut c = Cluster::new(ClusterOptions::default());
        let pods_rt = c.registry.resolve("pods").expect("pods").clone();
        for n in ["pod1", "pod2"] {
            let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": n, "labels": {"app": "frontend"}},
                "spec": {"containers": [{"name": "c", "image": "nginx"}]}});
            c.create(&pods_rt, pod, "default", &WriteOptions::default())
                .expect("pod");
        }
        let rt = c.registry.resolve("replicasets").expect("rs").clone();
        c.create(
            &rt,
            rs_yaml("frontend", 3, "nginx"),
            "default",
            &WriteOptions::default(),
        )
        .expect("created");
        c.settle();
        let pods = pods_of(&c, "frontend");
        assert_eq!(pods.len(), 3);
        assert!(
            pods.iter().any(|p| object::name(p) == "pod1")
                && pods.iter().any(|p| object::name(p) == "pod2")
        );
        // Relabel pod1: released and replaced.
        let mut p1 = c.get(&pods_rt, "default", "pod1").expect("pod1").clone();
        p1["metadata"]["labels"]["app"] = json!("debug");
        c.update(&pods_rt, p1, &WriteOptions::default())
            .expect("relabel");
        c.settle();
        let p1 = c.get(&pods_rt, "default", "pod1").expect("pod1");
        assert!(object::controller_of(p1).is_none());
        assert_eq!(pods_of(&c, "frontend").len(), 3);
    }

    #[test]
    fn replication_controllers_use_the_same_logic() {
        let mut c = Cluster::new(ClusterOptions::default());
        let rt = c
            .registry
            .resolve("replicationcontrollers")
            .expect("rc")
            .clone();
        let rc = json!({"apiVersion": "v1", "kind": "ReplicationController", "metadata": {"name": "legacy"},
            "spec": {"replicas": 2, "selector": {"app": "legacy"},
                "template": {"metadata": {"labels": {"app": "legacy"}}, "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}});
        c.create(&rt, rc, "default", &WriteOptions::default())
            .expect("created");
        c.settle();
        assert_eq!(pods_of(&c, "legacy").len(), 2);
        let rc = c.get(&rt, "default", "legacy").expect("rc");
        assert_eq!(rc.pointer("/status/replicas"), Some(&json!(2)));
    }

    #[test]
    fn scale_down_prefers_unscheduled_then_not_ready_then_newest() {
        let pod = |name: &str, node: &str, phase: &str, ready: bool, created: &str| {
            json!({"metadata": {"name": name, "creationTimestamp": created}, "spec": {"nodeName": node},
                "status": {"phase": phase, "conditions": [{"type": "Ready", "status": if ready {"True"} else {"False"}, "lastTransitionTime": created}]}})
        };
        let pods = vec![
            pod("old-ready", "w1", "Running", true, "2026-01-01T00:00:00Z"),
            pod("new-ready", "w2", "Running", true, "2026-01-01T00:01:00Z"),
            pod("not-ready", "w1", "Running", false, "2026-01-01T00:00:00Z"),
            pod("unscheduled", "", "Pending", false, "2026-01-01T00:00:00Z"),
            pod("pending", "w3", "Pending", false, "2026-01-01T00:00:00Z"),
        ];
        let related = BTreeMap::new();
        let pods: Vec<Arc<Value>> = pods.into_iter().map(Arc::new).collect();
        let order: Vec<String> = pods_to_delete(&pods, &related, 5, 0)
            .iter()
            .map(|p| object::name(p).to_string())
            .collect();
        assert_eq!(
            order,
            [
                "unscheduled",
                "pending",
                "not-ready",
                "new-ready",
                "old-ready"
            ]
        );
    }

    #[test]
    fn availability_waits_for_min_ready_seconds() {
        let pod = json!({"status": {"conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": "2026-01-01T00:00:10Z"}]}});
        assert_eq!(pod_availability(&pod, 0, 10_000), Ok(true));
        assert_eq!(pod_availability(&pod, 5, 12_000), Err(3_000));
        assert_eq!(pod_availability(&pod, 5, 15_000), Ok(true));
    }
}
