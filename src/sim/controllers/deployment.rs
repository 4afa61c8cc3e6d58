//! The Deployment controller (kubernetes `pkg/controller/deployment`: controller.go,
//! sync.go, rolling.go, recreate.go, progress.go and util/deployment_util.go), function
//! by function under the same names, so a learner can read this beside the real code.
//!
//! A Deployment never touches pods. It owns ReplicaSets, one per pod template (named
//! `<deployment>-<pod-template-hash>`), and moves replicas from the old ones to the new
//! one within the `maxSurge` / `maxUnavailable` fence (k8s-behaviour.md §3).

use crate::sim::apiserver::{DeleteOptions, WriteOptions};
use crate::sim::cluster::Cluster;
use crate::sim::events::EventSource;
use crate::sim::hash::compute_hash;
use crate::sim::json::json;
use crate::sim::labels::Selector;
use crate::sim::messages::Component;
use crate::sim::object;
use crate::sim::resources::ResourceType;
use crate::sim::sort::SharedSort;
use crate::sim::store::{GroupResource, WatchEventType};
use crate::sim::time::{parse_rfc3339, rfc3339, SECOND};
use serde_json::{Map, Value};
use std::collections::BTreeSet;

pub const REVISION: &str = "deployment.kubernetes.io/revision";
pub const REVISION_HISTORY: &str = "deployment.kubernetes.io/revision-history";
pub const DESIRED_REPLICAS: &str = "deployment.kubernetes.io/desired-replicas";
pub const MAX_REPLICAS: &str = "deployment.kubernetes.io/max-replicas";
pub const HASH_LABEL: &str = "pod-template-hash";
/// `MaxRevHistoryLengthInChars` for the revision-history annotation.
const MAX_REV_HISTORY_CHARS: usize = 2000;

fn actor() -> Component {
    Component::ControllerManager("deployment".into())
}

fn source() -> EventSource {
    EventSource::component("deployment-controller")
}

/// One turn: sync the Deployments whose keys changed since the last turn, as the real
/// controller's event handlers enqueue them: the Deployment itself on add or update; a
/// ReplicaSet's controlling Deployment (every Deployment of the namespace for an orphan
/// ReplicaSet, which one of them may adopt); a pod's Deployment through its ReplicaSet.
/// Keys sync in (namespace, name) order.
pub fn reconcile(cluster: &mut Cluster) {
    let cursor = cluster.controllers.deployment_cursor;
    let mut dirty: BTreeSet<(String, String)> = BTreeSet::new();
    let mut orphan_namespaces: BTreeSet<String> = BTreeSet::new();
    let rs_rt = cluster.registry.resolve("replicasets").cloned();
    for e in cluster.store.events_since(cursor) {
        let ns = &e.key.namespace;
        match (
            e.key.resource.group.as_str(),
            e.key.resource.resource.as_str(),
        ) {
            ("apps", "deployments") if e.event_type != WatchEventType::Deleted => {
                dirty.insert((ns.clone(), e.key.name.clone()));
            }
            ("apps", "replicasets") => match object::controller_of(&e.object) {
                Some(owner) if owner.kind == "Deployment" => {
                    dirty.insert((ns.clone(), owner.name));
                }
                Some(_) => {}
                None => {
                    orphan_namespaces.insert(ns.clone());
                }
            },
            ("", "pods") => {
                let owner = object::controller_of(&e.object).filter(|o| o.kind == "ReplicaSet");
                let rs = owner.zip(rs_rt.as_ref()).and_then(|(o, rt)| {
                    cluster
                        .store
                        .get(&crate::sim::apiserver::key_for(rt, ns, &o.name))
                });
                if let Some(d) = rs
                    .and_then(object::controller_of)
                    .filter(|o| o.kind == "Deployment")
                {
                    dirty.insert((ns.clone(), d.name));
                }
            }
            _ => {}
        }
    }
    cluster.record_watch(
        cursor,
        Component::ControllerManager("deployment".into()),
        &[("apps", "deployments")],
        false,
    );
    cluster.controllers.deployment_cursor = cluster.store.revision();
    let Some(rt) = cluster.registry.resolve("deployments").cloned() else {
        return;
    };
    for ns in orphan_namespaces {
        for d in cluster.list(&rt, Some(&ns)) {
            dirty.insert((ns.clone(), object::name(d).to_string()));
        }
    }
    for (ns, name) in dirty {
        sync_deployment(cluster, &rt, &ns, &name);
    }
}

/// A timed wake-up `<ns>/<name>` (a progress-deadline check).
pub fn wake(cluster: &mut Cluster, key: &str) {
    cluster.controllers.deployment_wakes.remove(key);
    let Some((ns, name)) = key.split_once('/') else {
        return;
    };
    let Some(rt) = cluster.registry.resolve("deployments").cloned() else {
        return;
    };
    sync_deployment(cluster, &rt, ns, name);
}

// ---------------------------------------------------------------------------------------
// Arithmetic (util/deployment_util.go, apimachinery intstr)
// ---------------------------------------------------------------------------------------

/// `GetScaledValueFromIntOrPercent`: an int stays as is; `"25%"` of 10 is 2.5, which
/// rounds up to 3 for maxSurge and down to 2 for maxUnavailable.
pub fn scaled_value(v: Option<&Value>, total: i64, round_up: bool) -> i64 {
    match v {
        Some(Value::Number(n)) => n.as_i64().unwrap_or(0),
        Some(Value::String(s)) => {
            let Some(pct) = s.strip_suffix('%').and_then(|p| p.parse::<i64>().ok()) else {
                return s.parse::<i64>().unwrap_or(0);
            };
            if round_up {
                (pct * total + 99).div_euclid(100)
            } else {
                (pct * total).div_euclid(100)
            }
        }
        _ => 0,
    }
}

/// `ResolveFenceposts`: (surge, unavailable) in pods. Both 0 would stall a rollout, so
/// unavailable becomes 1: `maxSurge: 0%, maxUnavailable: 1%` of 2 replicas is (0, 0) → (0, 1).
pub fn resolve_fenceposts(
    max_surge: Option<&Value>,
    max_unavailable: Option<&Value>,
    desired: i64,
) -> (i64, i64) {
    let surge = scaled_value(max_surge, desired, true);
    let mut unavailable = scaled_value(max_unavailable, desired, false);
    if surge == 0 && unavailable == 0 {
        unavailable = 1;
    }
    (surge, unavailable)
}

fn replicas(d: &Value) -> i64 {
    object::at(d, "/spec/replicas")
        .and_then(Value::as_i64)
        .unwrap_or(1)
}

fn is_rolling(d: &Value) -> bool {
    object::str_at(d, "/spec/strategy/type") != "Recreate"
}

/// `MaxSurge(d)`: 0 unless RollingUpdate.
pub fn max_surge(d: &Value) -> i64 {
    if !is_rolling(d) {
        return 0;
    }
    let (surge, _) = resolve_fenceposts(
        object::at(d, "/spec/strategy/rollingUpdate/maxSurge"),
        object::at(d, "/spec/strategy/rollingUpdate/maxUnavailable"),
        replicas(d),
    );
    surge
}

/// `MaxUnavailable(d)`: 0 unless RollingUpdate with replicas; never more than replicas.
pub fn max_unavailable(d: &Value) -> i64 {
    if !is_rolling(d) || replicas(d) == 0 {
        return 0;
    }
    let (_, unavailable) = resolve_fenceposts(
        object::at(d, "/spec/strategy/rollingUpdate/maxSurge"),
        object::at(d, "/spec/strategy/rollingUpdate/maxUnavailable"),
        replicas(d),
    );
    unavailable.min(replicas(d))
}

fn spec_replicas(rs: &Value) -> i64 {
    object::at(rs, "/spec/replicas")
        .and_then(Value::as_i64)
        .unwrap_or(0)
}

fn status_i64(obj: &Value, field: &str) -> i64 {
    object::at(obj, &format!("/status/{field}"))
        .and_then(Value::as_i64)
        .unwrap_or(0)
}

/// `NewRSNewReplicas` for RollingUpdate. Example (3.2): 10 replicas, maxSurge 25% → 3,
/// the new RS at 0 and the old at 10: maxTotal = 13, current = 10, scale up by
/// min(13 − 10, 10 − 0) = 3 → the new RS gets 3.
pub fn new_rs_new_replicas_rolling(
    desired: i64,
    surge: i64,
    current_pod_count: i64,
    new_rs_replicas: i64,
) -> i64 {
    let max_total = desired + surge;
    if current_pod_count >= max_total {
        return new_rs_replicas;
    }
    let scale_up = (max_total - current_pod_count).min(desired - new_rs_replicas);
    new_rs_replicas + scale_up
}

/// `maxScaledDown` of `reconcileOldReplicaSets`. Example (3.2) right after the new RS was
/// created with 3 (none available): all = 13, minAvailable = 10 − 2 = 8, new RS
/// unavailable = 3 → 13 − 8 − 3 = 2 old pods may go.
pub fn max_scaled_down(
    all_pods: i64,
    desired: i64,
    max_unavailable: i64,
    new_rs_replicas: i64,
    new_rs_available: i64,
) -> i64 {
    all_pods - (desired - max_unavailable) - (new_rs_replicas - new_rs_available)
}

// ---------------------------------------------------------------------------------------
// ReplicaSet bookkeeping
// ---------------------------------------------------------------------------------------

fn revision_of(rs: &Value) -> i64 {
    object::annotation(rs, REVISION)
        .and_then(|r| r.parse().ok())
        .unwrap_or(0)
}

fn created(rs: &Value) -> i64 {
    parse_rfc3339(object::str_at(rs, "/metadata/creationTimestamp")).unwrap_or(0)
}

/// `ReplicaSetsByCreationTimestamp`.
fn sort_by_creation<T: std::borrow::Borrow<Value>>(list: &mut [T]) {
    list.sort_shared_by(|a, b| {
        let (a, b) = (a.borrow(), b.borrow());
        created(a)
            .cmp(&created(b))
            .then_with(|| object::name(a).cmp(object::name(b)))
    });
}

/// `EqualIgnoreHash`: the same template apart from the pod-template-hash label. Compared
/// in place, level by level down to the labels, rather than on copies with the label
/// removed: the Deployment controller asks this on every sync.
fn equal_ignore_hash(a: &Value, b: &Value) -> bool {
    equal_except(a, b, "metadata", |a, b| {
        equal_except(a, b, "labels", labels_equal_ignore_hash)
    })
}

/// Two label maps equal once the pod-template-hash label is left out of both.
fn labels_equal_ignore_hash(a: &Value, b: &Value) -> bool {
    let (Some(a), Some(b)) = (a.as_object(), b.as_object()) else {
        return a == b;
    };
    let rest = |m: &Map<String, Value>| m.keys().filter(|k| *k != HASH_LABEL).count();
    rest(a) == rest(b)
        && a.iter()
            .filter(|(k, _)| *k != HASH_LABEL)
            .all(|(k, v)| b.get(k) == Some(v))
}

/// Two objects equal field by field, the field `special` compared with `compare`; any
/// other pair of values compared as they are.
fn equal_except(
    a: &Value,
    b: &Value,
    special: &str,
    compare: impl Fn(&Value, &Value) -> bool,
) -> bool {
    match (a.as_object(), b.as_object()) {
        (Some(a), Some(b)) => {
            a.len() == b.len()
                && a.iter().all(|(k, v)| match b.get(k) {
                    Some(w) if k == special => compare(v, w),
                    Some(w) => v == w,
                    None => false,
                })
        }
        _ => a == b,
    }
}

/// The object's pod template, borrowed (`{}` when it has none).
fn template_at(obj: &Value) -> &Value {
    static EMPTY: std::sync::LazyLock<Value> = std::sync::LazyLock::new(|| json!({}));
    object::at(obj, "/spec/template").unwrap_or(&EMPTY)
}

fn template_of(obj: &Value) -> Value {
    template_at(obj).clone()
}

/// `FindNewReplicaSet`: the oldest ReplicaSet whose template equals the Deployment's.
fn find_new_rs(d: &Value, rs_list: &[Value]) -> Option<Value> {
    let mut sorted: Vec<&Value> = rs_list.iter().collect();
    sort_by_creation(&mut sorted);
    let t = template_at(d);
    sorted
        .into_iter()
        .find(|rs| equal_ignore_hash(template_at(rs), t))
        .cloned()
}

fn is_active(rs: &Value) -> bool {
    spec_replicas(rs) > 0
}

struct Ctx {
    rs_rt: ResourceType,
    d_rt: ResourceType,
}

/// `getReplicaSetsForDeployment`: ReplicaSets this Deployment controls, after adopting
/// matching orphans and releasing the ones that no longer match.
fn claim_replica_sets(cluster: &mut Cluster, ctx: &Ctx, d: &Value) -> Vec<Value> {
    let selector =
        Selector::from_label_selector(object::at(d, "/spec/selector").unwrap_or(&Value::Null));
    let uid = object::uid(d).to_string();
    let deleting = object::is_deleting(d);
    // Ours and the orphans: ReplicaSets other controllers own are skipped anyway.
    let all: Vec<Value> = cluster
        .store
        .claimable(&GroupResource::of(&ctx.rs_rt), object::namespace(d), &uid)
        .into_iter()
        .cloned()
        .collect();
    let mut owned = vec![];
    for mut rs in all {
        let matches = !selector.is_empty() && selector.matches_object(&rs);
        match object::controller_of(&rs) {
            Some(r) if r.uid == uid => {
                if matches || deleting {
                    owned.push(rs);
                } else {
                    if let Some(refs) = rs
                        .pointer_mut("/metadata/ownerReferences")
                        .and_then(Value::as_array_mut)
                    {
                        refs.retain(|r| object::str_at(r, "/uid") != uid);
                    }
                    cluster.write_through_unread(&ctx.rs_rt, rs, actor());
                }
            }
            None if matches && !deleting && !object::is_deleting(&rs) => {
                if let Some(arr) = object::meta_mut(&mut rs)
                    .entry("ownerReferences")
                    .or_insert_with(|| json!([]))
                    .as_array_mut()
                {
                    arr.push(object::controller_ref(d));
                }
                owned.push(cluster.write_through(&ctx.rs_rt, rs, actor()));
            }
            _ => {}
        }
    }
    owned
}

/// `SetReplicasAnnotations`: desired-replicas and max-replicas; true when changed.
fn set_replicas_annotations(rs: &mut Value, desired: i64, max: i64) -> bool {
    let mut changed = false;
    for (key, v) in [(DESIRED_REPLICAS, desired), (MAX_REPLICAS, max)] {
        if object::annotation(rs, key) != Some(v.to_string().as_str()) {
            object::set_annotation(rs, key, &v.to_string());
            changed = true;
        }
    }
    changed
}

/// Annotations a Deployment does not copy to its ReplicaSets (`skipCopyAnnotation`).
fn skip_copy_annotation(key: &str) -> bool {
    matches!(
        key,
        "kubectl.kubernetes.io/last-applied-configuration"
            | REVISION
            | REVISION_HISTORY
            | DESIRED_REPLICAS
            | MAX_REPLICAS
            | "deprecated.deployment.rollback.to"
    )
}

/// `SetNewReplicaSetAnnotations`: copies the Deployment's annotations, bumps the revision
/// (remembering the old one in revision-history when a ReplicaSet comes back on undo).
fn set_new_rs_annotations(d: &Value, rs: &mut Value, new_revision: i64, exists: bool) -> bool {
    let mut changed = false;
    if let Some(annotations) = object::at(d, "/metadata/annotations").and_then(Value::as_object) {
        for (k, v) in annotations {
            if skip_copy_annotation(k) {
                continue;
            }
            let v = v.as_str().unwrap_or_default();
            if object::annotation(rs, k) != Some(v) {
                object::set_annotation(rs, k, v);
                changed = true;
            }
        }
    }
    let old_revision = object::annotation(rs, REVISION)
        .unwrap_or_default()
        .to_string();
    let old_int: i64 = old_revision.parse().unwrap_or(0);
    if old_int < new_revision {
        object::set_annotation(rs, REVISION, &new_revision.to_string());
        changed = true;
        if !old_revision.is_empty() {
            let history = object::annotation(rs, REVISION_HISTORY)
                .unwrap_or_default()
                .to_string();
            let mut old: Vec<String> = if history.is_empty() {
                vec![]
            } else {
                history.split(',').map(String::from).collect()
            };
            while !old.is_empty()
                && old.join(",").len() + old_revision.len() + 1 > MAX_REV_HISTORY_CHARS
            {
                old.remove(0);
            }
            old.push(old_revision);
            object::set_annotation(rs, REVISION_HISTORY, &old.join(","));
        }
    }
    if !exists && set_replicas_annotations(rs, replicas(d), replicas(d) + max_surge(d)) {
        changed = true;
    }
    changed
}

// ---------------------------------------------------------------------------------------
// Conditions (util.SetDeploymentCondition and friends)
// ---------------------------------------------------------------------------------------

fn condition<'a>(status: &'a Value, type_: &str) -> Option<&'a Value> {
    status
        .get("conditions")
        .and_then(Value::as_array)?
        .iter()
        .find(|c| object::str_at(c, "/type") == type_)
}

fn new_condition(now: &str, type_: &str, status: &str, reason: &str, message: &str) -> Value {
    json!({"lastTransitionTime": now, "lastUpdateTime": now, "message": message, "reason": reason, "status": status, "type": type_})
}

fn remove_condition(status: &mut Value, type_: &str) {
    if let Some(cs) = status.get_mut("conditions").and_then(Value::as_array_mut) {
        cs.retain(|c| object::str_at(c, "/type") != type_);
        if cs.is_empty() {
            if let Some(m) = status.as_object_mut() {
                m.remove("conditions");
            }
        }
    }
}

/// `SetDeploymentCondition`: no change for the same status and reason; the transition
/// time is kept while the status stays the same.
fn set_condition(status: &mut Value, mut cond: Value) {
    let type_ = object::str_at(&cond, "/type").to_string();
    if let Some(cur) = condition(status, &type_) {
        if object::str_at(cur, "/status") == object::str_at(&cond, "/status") {
            if object::str_at(cur, "/reason") == object::str_at(&cond, "/reason") {
                return;
            }
            cond["lastTransitionTime"] = cur["lastTransitionTime"].clone();
        }
    }
    remove_condition(status, &type_);
    if !status.is_object() {
        *status = json!({});
    }
    let list = status
        .as_object_mut()
        .expect("made an object")
        .entry("conditions")
        .or_insert_with(|| json!([]));
    if let Some(arr) = list.as_array_mut() {
        arr.push(cond);
    }
}

fn has_progress_deadline(d: &Value) -> bool {
    object::at(d, "/spec/progressDeadlineSeconds")
        .and_then(Value::as_i64)
        .is_some_and(|s| s != i32::MAX as i64)
}

fn progress_deadline(d: &Value) -> i64 {
    object::at(d, "/spec/progressDeadlineSeconds")
        .and_then(Value::as_i64)
        .unwrap_or(600)
}

// ---------------------------------------------------------------------------------------
// The sync loop (controller.go syncDeployment)
// ---------------------------------------------------------------------------------------

fn sync_deployment(cluster: &mut Cluster, d_rt: &ResourceType, ns: &str, name: &str) {
    let Ok(d) = cluster.get(d_rt, ns, name) else {
        return;
    };
    let mut d = d.clone();
    let Some(rs_rt) = cluster.registry.resolve("replicasets").cloned() else {
        return;
    };
    let ctx = Ctx {
        rs_rt,
        d_rt: d_rt.clone(),
    };
    let selector = object::at(&d, "/spec/selector")
        .cloned()
        .unwrap_or(Value::Null);
    if Selector::from_label_selector(&selector).is_empty() {
        cluster.emit_event(
            &d,
            "Warning",
            "SelectingAll",
            "This deployment is selecting all pods. A non-empty selector is required.",
            &source(),
            actor(),
        );
        return;
    }
    let rs_list = claim_replica_sets(cluster, &ctx, &d);
    if object::is_deleting(&d) {
        let (new_rs, old) =
            get_all_replica_sets_and_sync_revision(cluster, &ctx, &mut d, &rs_list, false);
        sync_deployment_status(cluster, &ctx, &mut d, &old, new_rs.as_ref());
        return;
    }
    check_paused_conditions(cluster, &ctx, &mut d);
    if object::at(&d, "/spec/paused")
        .and_then(Value::as_bool)
        .unwrap_or(false)
    {
        sync(cluster, &ctx, &mut d, &rs_list);
        return;
    }
    if is_scaling_event(cluster, &ctx, &mut d, &rs_list) {
        sync(cluster, &ctx, &mut d, &rs_list);
        return;
    }
    if is_rolling(&d) {
        rollout_rolling(cluster, &ctx, &mut d, &rs_list);
    } else {
        rollout_recreate(cluster, &ctx, &mut d, &rs_list);
    }
}

/// Writes the Deployment's annotations and status if they changed (the controller's
/// UpdateStatus: no generation bump).
fn write_deployment(cluster: &mut Cluster, ctx: &Ctx, d: &mut Value) {
    let Ok(live) = cluster.get(&ctx.d_rt, object::namespace(d), object::name(d)) else {
        return;
    };
    if live.get("status") == d.get("status")
        && object::at(live, "/metadata/annotations") == object::at(d, "/metadata/annotations")
    {
        return;
    }
    let mut merged = live.clone();
    merged["status"] = d.get("status").cloned().unwrap_or_else(|| json!({}));
    if let Some(a) = object::at(d, "/metadata/annotations") {
        object::meta_mut(&mut merged).insert("annotations".into(), a.clone());
    }
    *d = cluster.write_through(&ctx.d_rt, merged, actor());
}

fn check_paused_conditions(cluster: &mut Cluster, ctx: &Ctx, d: &mut Value) {
    if !has_progress_deadline(d) {
        return;
    }
    let status = d.get("status").cloned().unwrap_or_else(|| json!({}));
    let reason =
        condition(&status, "Progressing").map(|c| object::str_at(c, "/reason").to_string());
    if reason.as_deref() == Some("ProgressDeadlineExceeded") {
        return;
    }
    let paused = object::at(d, "/spec/paused")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let paused_cond = reason.as_deref() == Some("DeploymentPaused");
    let now = rfc3339(cluster.now);
    let mut status = status;
    if paused && !paused_cond {
        set_condition(
            &mut status,
            new_condition(
                &now,
                "Progressing",
                "Unknown",
                "DeploymentPaused",
                "Deployment is paused",
            ),
        );
    } else if !paused && paused_cond {
        set_condition(
            &mut status,
            new_condition(
                &now,
                "Progressing",
                "Unknown",
                "DeploymentResumed",
                "Deployment is resumed",
            ),
        );
    } else {
        return;
    }
    d["status"] = status;
    write_deployment(cluster, ctx, d);
}

/// `getAllReplicaSetsAndSyncRevision`: (new RS, old RSs), creating the new one when asked.
fn get_all_replica_sets_and_sync_revision(
    cluster: &mut Cluster,
    ctx: &Ctx,
    d: &mut Value,
    rs_list: &[Value],
    create: bool,
) -> (Option<Value>, Vec<Value>) {
    let new_rs = find_new_rs(d, rs_list);
    let new_uid = new_rs.as_ref().map(object::uid);
    let old: Vec<Value> = rs_list
        .iter()
        .filter(|r| Some(object::uid(r)) != new_uid)
        .cloned()
        .collect();
    let new_rs = get_new_replica_set(cluster, ctx, d, new_rs, &old, create);
    (new_rs, old)
}

/// `getNewReplicaSet`.
fn get_new_replica_set(
    cluster: &mut Cluster,
    ctx: &Ctx,
    d: &mut Value,
    existing: Option<Value>,
    old: &[Value],
    create: bool,
) -> Option<Value> {
    let max_old_revision = old.iter().map(revision_of).max().unwrap_or(0);
    let new_revision = max_old_revision + 1;
    let now = rfc3339(cluster.now);
    if let Some(existing) = existing {
        let mut rs = existing.clone();
        let annotations_updated = set_new_rs_annotations(d, &mut rs, new_revision, true);
        let min_ready = object::at(d, "/spec/minReadySeconds")
            .cloned()
            .unwrap_or(json!(0));
        let min_ready_update = object::at(&rs, "/spec/minReadySeconds")
            .cloned()
            .unwrap_or(json!(0))
            != min_ready;
        if annotations_updated || min_ready_update {
            rs["spec"]["minReadySeconds"] = min_ready;
            let opts = WriteOptions {
                actor: actor(),
                ..Default::default()
            };
            match cluster.update(&ctx.rs_rt, rs, &opts) {
                Ok(r) => rs = r,
                Err(_) => return Some(existing),
            }
        }
        let revision = object::annotation(&rs, REVISION)
            .unwrap_or_default()
            .to_string();
        let mut needs_update = object::annotation(d, REVISION) != Some(revision.as_str());
        if needs_update {
            object::set_annotation(d, REVISION, &revision);
        }
        let mut status = d.get("status").cloned().unwrap_or_else(|| json!({}));
        if has_progress_deadline(d) && condition(&status, "Progressing").is_none() {
            let msg = format!("Found new replica set \"{}\"", object::name(&rs));
            set_condition(
                &mut status,
                new_condition(&now, "Progressing", "True", "FoundNewReplicaSet", &msg),
            );
            d["status"] = status;
            needs_update = true;
        }
        if needs_update {
            write_deployment(cluster, ctx, d);
        }
        return Some(rs);
    }
    if !create {
        return None;
    }
    let collision = object::at(d, "/status/collisionCount").and_then(Value::as_i64);
    let template = template_of(d);
    let hash = compute_hash(&template, collision);
    let mut rs_template = template.clone();
    rs_template["metadata"]["labels"][HASH_LABEL] = json!(hash);
    let mut selector = object::at(d, "/spec/selector")
        .cloned()
        .unwrap_or_else(|| json!({}));
    selector["matchLabels"][HASH_LABEL] = json!(hash);
    let rs_name = format!("{}-{hash}", object::name(d));
    let mut rs = json!({
        "apiVersion": "apps/v1", "kind": "ReplicaSet",
        "metadata": {"name": rs_name, "namespace": object::namespace(d), "ownerReferences": [object::controller_ref(d)],
            "labels": rs_template["metadata"]["labels"].clone()},
        "spec": {"replicas": 0, "minReadySeconds": object::at(d, "/spec/minReadySeconds").cloned().unwrap_or(json!(0)),
            "selector": selector, "template": rs_template},
    });
    let all_count: i64 = old.iter().map(spec_replicas).sum();
    let new_replicas = if is_rolling(d) {
        new_rs_new_replicas_rolling(replicas(d), max_surge(d), all_count, 0)
    } else {
        replicas(d)
    };
    rs["spec"]["replicas"] = json!(new_replicas);
    set_new_rs_annotations(d, &mut rs, new_revision, false);
    let opts = WriteOptions {
        actor: actor(),
        ..Default::default()
    };
    let created = match cluster.create(&ctx.rs_rt, rs, object::namespace(d), &opts) {
        Ok(r) => r,
        Err(_) => {
            // Hash collision: an RS with this name exists but is not ours or has another
            // template. Bump collisionCount so the next sync picks another name.
            if let Ok(other) = cluster.get(&ctx.rs_rt, object::namespace(d), &rs_name) {
                if object::controller_of(other).is_some_and(|r| r.uid == object::uid(d))
                    && equal_ignore_hash(template_at(other), &template)
                {
                    return Some(other.clone());
                }
            }
            let mut status = d.get("status").cloned().unwrap_or_else(|| json!({}));
            status["collisionCount"] = json!(collision.unwrap_or(0) + 1);
            d["status"] = status;
            write_deployment(cluster, ctx, d);
            return None;
        }
    };
    if new_replicas > 0 {
        let msg = format!("Scaled up replica set {rs_name} from 0 to {new_replicas}");
        cluster.emit_event(d, "Normal", "ScalingReplicaSet", &msg, &source(), actor());
    }
    object::set_annotation(d, REVISION, &new_revision.to_string());
    if has_progress_deadline(d) {
        let mut status = d.get("status").cloned().unwrap_or_else(|| json!({}));
        let msg = format!("Created new replica set \"{rs_name}\"");
        set_condition(
            &mut status,
            new_condition(&now, "Progressing", "True", "NewReplicaSetCreated", &msg),
        );
        d["status"] = status;
    }
    write_deployment(cluster, ctx, d);
    Some(created)
}

/// `scaleReplicaSetAndRecordEvent` / `scaleReplicaSet`: returns the ReplicaSet as written.
fn scale_replica_set(
    cluster: &mut Cluster,
    ctx: &Ctx,
    d: &Value,
    rs: &Value,
    new_scale: i64,
    why: &str,
) -> (bool, Value) {
    let old_scale = spec_replicas(rs);
    let size_needs_update = old_scale != new_scale;
    let mut copy = rs.clone();
    let annotations_need_update =
        set_replicas_annotations(&mut copy, replicas(d), replicas(d) + max_surge(d));
    if !size_needs_update && !annotations_need_update {
        return (false, rs.clone());
    }
    copy["spec"]["replicas"] = json!(new_scale);
    if size_needs_update {
        let name = object::name(rs);
        cluster.record(
            actor(),
            Component::ApiServer,
            "scale",
            format!("replicasets/{name}"),
            format!("scale {name} from {old_scale} to {new_scale}: {why}"),
        );
    }
    let opts = WriteOptions {
        actor: actor(),
        ..Default::default()
    };
    let Ok(written) = cluster.update(&ctx.rs_rt, copy, &opts) else {
        return (false, rs.clone());
    };
    if size_needs_update {
        let op = if old_scale < new_scale { "up" } else { "down" };
        let msg = format!(
            "Scaled {op} replica set {} from {old_scale} to {new_scale}",
            object::name(rs)
        );
        cluster.emit_event(d, "Normal", "ScalingReplicaSet", &msg, &source(), actor());
    }
    (size_needs_update, written)
}

fn scale_and_record(
    cluster: &mut Cluster,
    ctx: &Ctx,
    d: &Value,
    rs: &Value,
    new_scale: i64,
    why: &str,
) -> (bool, Value) {
    if spec_replicas(rs) == new_scale {
        return (false, rs.clone());
    }
    scale_replica_set(cluster, ctx, d, rs, new_scale, why)
}

/// Re-reads ReplicaSets after writes so later steps see their current spec and status.
fn refresh(cluster: &Cluster, ctx: &Ctx, list: &[Value]) -> Vec<Value> {
    list.iter()
        .filter_map(|rs| {
            cluster
                .get(&ctx.rs_rt, object::namespace(rs), object::name(rs))
                .ok()
                .cloned()
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Rolling (rolling.go)
// ---------------------------------------------------------------------------------------

fn rollout_rolling(cluster: &mut Cluster, ctx: &Ctx, d: &mut Value, rs_list: &[Value]) {
    let (new_rs, old) = get_all_replica_sets_and_sync_revision(cluster, ctx, d, rs_list, true);
    let Some(new_rs) = new_rs else { return };
    let mut all = old.clone();
    all.push(new_rs.clone());
    if reconcile_new_replica_set(cluster, ctx, d, &all, &new_rs) {
        sync_rollout_status(cluster, ctx, d, &old, Some(&new_rs));
        return;
    }
    let active_old: Vec<Value> = old.iter().filter(|r| is_active(r)).cloned().collect();
    if reconcile_old_replica_sets(cluster, ctx, d, &all, &active_old, &new_rs) {
        sync_rollout_status(cluster, ctx, d, &old, Some(&new_rs));
        return;
    }
    if deployment_complete(d, d.get("status").unwrap_or(&Value::Null)) {
        cleanup_deployment(cluster, ctx, d, &old);
    }
    sync_rollout_status(cluster, ctx, d, &old, Some(&new_rs));
}

fn reconcile_new_replica_set(
    cluster: &mut Cluster,
    ctx: &Ctx,
    d: &Value,
    all: &[Value],
    new_rs: &Value,
) -> bool {
    let want = replicas(d);
    if spec_replicas(new_rs) == want {
        return false;
    }
    if spec_replicas(new_rs) > want {
        return scale_and_record(
            cluster,
            ctx,
            d,
            new_rs,
            want,
            &format!("the Deployment wants {want} replicas"),
        )
        .0;
    }
    let current: i64 = all.iter().map(spec_replicas).sum();
    let count = new_rs_new_replicas_rolling(want, max_surge(d), current, spec_replicas(new_rs));
    let why = format!(
        "rolling update: at most {} pods ({want} replicas + maxSurge {})",
        want + max_surge(d),
        max_surge(d)
    );
    scale_and_record(cluster, ctx, d, new_rs, count, &why).0
}

fn reconcile_old_replica_sets(
    cluster: &mut Cluster,
    ctx: &Ctx,
    d: &Value,
    all: &[Value],
    old: &[Value],
    new_rs: &Value,
) -> bool {
    let old_pods: i64 = old.iter().map(spec_replicas).sum();
    if old_pods == 0 {
        return false;
    }
    let all_pods: i64 = all.iter().map(spec_replicas).sum();
    let max_down = max_scaled_down(
        all_pods,
        replicas(d),
        max_unavailable(d),
        spec_replicas(new_rs),
        status_i64(new_rs, "availableReplicas"),
    );
    if max_down <= 0 {
        return false;
    }
    let (old, cleaned) = cleanup_unhealthy_replicas(cluster, ctx, d, old, max_down);
    let mut all = old.clone();
    all.push(new_rs.clone());
    let scaled = scale_down_old_for_rolling_update(cluster, ctx, d, &all, &old);
    cleaned + scaled > 0
}

/// `cleanupUnhealthyReplicas`: old ReplicaSets lose their unavailable pods first (they
/// do not serve anyway), oldest first, at most `max_cleanup` in total.
fn cleanup_unhealthy_replicas(
    cluster: &mut Cluster,
    ctx: &Ctx,
    d: &Value,
    old: &[Value],
    max_cleanup: i64,
) -> (Vec<Value>, i64) {
    let mut old = old.to_vec();
    sort_by_creation(&mut old);
    let mut total = 0;
    for rs in old.iter_mut() {
        if total >= max_cleanup {
            break;
        }
        let (spec, available) = (spec_replicas(rs), status_i64(rs, "availableReplicas"));
        if spec == 0 || spec == available {
            continue;
        }
        let down = (max_cleanup - total).min(spec - available);
        let (_, written) = scale_and_record(
            cluster,
            ctx,
            d,
            rs,
            spec - down,
            "old pods that are not available go first",
        );
        *rs = written;
        total += down;
    }
    (old, total)
}

/// `scaleDownOldReplicaSetsForRollingUpdate`: as many old pods go as keeps
/// `replicas − maxUnavailable` available. Example (3.3): 3 replicas, 25% → unavailable 0,
/// minAvailable 3; with 4 available (3 old + 1 new) one old pod may go.
fn scale_down_old_for_rolling_update(
    cluster: &mut Cluster,
    ctx: &Ctx,
    d: &Value,
    all: &[Value],
    old: &[Value],
) -> i64 {
    let min_available = replicas(d) - max_unavailable(d);
    let available: i64 = all.iter().map(|r| status_i64(r, "availableReplicas")).sum();
    if available <= min_available {
        return 0;
    }
    let total_down = available - min_available;
    let mut old = old.to_vec();
    sort_by_creation(&mut old);
    let mut done = 0;
    for rs in &old {
        if done >= total_down {
            break;
        }
        if spec_replicas(rs) == 0 {
            continue;
        }
        let down = spec_replicas(rs).min(total_down - done);
        let why = format!("rolling update: {available} pods available, {min_available} must stay ({} replicas − maxUnavailable {})", replicas(d), max_unavailable(d));
        scale_and_record(cluster, ctx, d, rs, spec_replicas(rs) - down, &why);
        done += down;
    }
    done
}

// ---------------------------------------------------------------------------------------
// Recreate (recreate.go)
// ---------------------------------------------------------------------------------------

fn rollout_recreate(cluster: &mut Cluster, ctx: &Ctx, d: &mut Value, rs_list: &[Value]) {
    let (mut new_rs, mut old) =
        get_all_replica_sets_and_sync_revision(cluster, ctx, d, rs_list, false);
    let mut scaled_down = false;
    for rs in old.iter().filter(|r| is_active(r)) {
        scaled_down |= scale_and_record(
            cluster,
            ctx,
            d,
            rs,
            0,
            "Recreate: every old pod goes before a new one starts",
        )
        .0;
    }
    if scaled_down {
        let old = refresh(cluster, ctx, &old);
        sync_rollout_status(cluster, ctx, d, &old, new_rs.as_ref());
        return;
    }
    if old_pods_running(cluster, d, new_rs.as_ref(), &old) {
        sync_rollout_status(cluster, ctx, d, &old, new_rs.as_ref());
        return;
    }
    if new_rs.is_none() {
        let (n, o) = get_all_replica_sets_and_sync_revision(cluster, ctx, d, rs_list, true);
        new_rs = n;
        old = o;
    }
    if let Some(rs) = &new_rs {
        let (_, written) = scale_and_record(
            cluster,
            ctx,
            d,
            rs,
            replicas(d),
            "Recreate: no old pods are left",
        );
        new_rs = Some(written);
    }
    if deployment_complete(d, d.get("status").unwrap_or(&Value::Null)) {
        cleanup_deployment(cluster, ctx, d, &old);
    }
    sync_rollout_status(cluster, ctx, d, &old, new_rs.as_ref());
}

/// `oldPodsRunning`: any old ReplicaSet still reports pods, or any pod of an old
/// ReplicaSet (Terminating ones included) has not finished.
fn old_pods_running(cluster: &Cluster, d: &Value, new_rs: Option<&Value>, old: &[Value]) -> bool {
    if old.iter().map(|r| status_i64(r, "replicas")).sum::<i64>() > 0 {
        return true;
    }
    let old_uids: BTreeSet<&str> = old.iter().map(object::uid).collect();
    let new_uid = new_rs.map(object::uid);
    let Some(pods_rt) = cluster.registry.resolve("pods") else {
        return false;
    };
    let pods = GroupResource::of(pods_rt);
    old_uids
        .iter()
        .flat_map(|uid| cluster.store.owned_by(uid, Some(&pods)))
        .filter(|p| object::namespace(p) == object::namespace(d))
        .any(|p| {
            let owner = object::controller_of(p).map(|r| r.uid).unwrap_or_default();
            old_uids.contains(owner.as_str())
                && Some(owner.as_str()) != new_uid
                && !matches!(object::str_at(p, "/status/phase"), "Failed" | "Succeeded")
        })
}

// ---------------------------------------------------------------------------------------
// Scaling and status (sync.go, progress.go)
// ---------------------------------------------------------------------------------------

/// `isScalingEvent`: some active ReplicaSet was sized for another `spec.replicas`.
fn is_scaling_event(cluster: &mut Cluster, ctx: &Ctx, d: &mut Value, rs_list: &[Value]) -> bool {
    let (new_rs, old) = get_all_replica_sets_and_sync_revision(cluster, ctx, d, rs_list, false);
    old.iter()
        .chain(new_rs.iter())
        .filter(|r| is_active(r))
        .any(|rs| {
            object::annotation(rs, DESIRED_REPLICAS)
                .and_then(|v| v.parse::<i64>().ok())
                .is_some_and(|desired| desired != replicas(d))
        })
}

/// `sync`: scaling (proportional when a rollout is under way) and status, no rollout.
fn sync(cluster: &mut Cluster, ctx: &Ctx, d: &mut Value, rs_list: &[Value]) {
    let (new_rs, old) = get_all_replica_sets_and_sync_revision(cluster, ctx, d, rs_list, false);
    scale(cluster, ctx, d, new_rs.as_ref(), &old);
    let old = refresh(cluster, ctx, &old);
    let new_rs = new_rs.and_then(|r| refresh(cluster, ctx, &[r]).pop());
    if object::at(d, "/spec/paused")
        .and_then(Value::as_bool)
        .unwrap_or(false)
    {
        cleanup_deployment(cluster, ctx, d, &old);
    }
    sync_deployment_status(cluster, ctx, d, &old, new_rs.as_ref());
}

/// `getReplicaSetFraction`: this ReplicaSet's share of a resize. Example: 10 → 15
/// replicas, maxSurge 3 → 4 (allowed 19), RS at 5 with max-replicas 13:
/// round(5 × 19 / 13) − 5 = round(7.31) − 5 = 2.
pub fn replica_set_fraction(
    rs_replicas: i64,
    d_replicas: i64,
    d_max_surge: i64,
    annotated_max: Option<i64>,
    d_status_replicas: i64,
) -> i64 {
    if d_replicas == 0 {
        return -rs_replicas;
    }
    let deployment_replicas = d_replicas + d_max_surge;
    let annotated = annotated_max.unwrap_or(d_status_replicas);
    if annotated == 0 {
        return 0;
    }
    let size = (rs_replicas * deployment_replicas) as f64 / annotated as f64;
    size.round() as i64 - rs_replicas
}

fn scale(cluster: &mut Cluster, ctx: &Ctx, d: &Value, new_rs: Option<&Value>, old: &[Value]) {
    let want = replicas(d);
    // FindActiveOrLatest: with one active ReplicaSet (or none), it gets everything.
    let mut old_newest_first = old.to_vec();
    sort_by_creation(&mut old_newest_first);
    old_newest_first.reverse();
    let active: Vec<Value> = old_newest_first
        .iter()
        .chain(new_rs)
        .filter(|r| is_active(r))
        .cloned()
        .collect();
    let target = match active.len() {
        0 => new_rs
            .cloned()
            .or_else(|| old_newest_first.first().cloned()),
        1 => active.first().cloned(),
        _ => None,
    };
    if let Some(rs) = target {
        if spec_replicas(&rs) != want {
            scale_and_record(
                cluster,
                ctx,
                d,
                &rs,
                want,
                &format!("the Deployment was scaled to {want}"),
            );
        }
        return;
    }
    // IsSaturated: the new ReplicaSet is fully up and available; old ones go to 0.
    if let Some(n) = new_rs {
        let saturated = spec_replicas(n) == want
            && object::annotation(n, DESIRED_REPLICAS).and_then(|v| v.parse::<i64>().ok())
                == Some(want)
            && status_i64(n, "availableReplicas") == want;
        if saturated {
            for rs in old.iter().filter(|r| is_active(r)) {
                scale_and_record(
                    cluster,
                    ctx,
                    d,
                    rs,
                    0,
                    "the new ReplicaSet is fully available",
                );
            }
            return;
        }
    }
    if !is_rolling(d) {
        return;
    }
    let mut all = active;
    let all_replicas: i64 = all.iter().map(spec_replicas).sum();
    let allowed = if want > 0 { want + max_surge(d) } else { 0 };
    let to_add = allowed - all_replicas;
    if to_add > 0 {
        // ReplicaSetsBySizeNewer: larger first, newer first on ties.
        all.sort_shared_by(|a, b| {
            spec_replicas(b)
                .cmp(&spec_replicas(a))
                .then(created(b).cmp(&created(a)))
        });
    } else {
        // ReplicaSetsBySizeOlder: larger first, older first on ties.
        all.sort_shared_by(|a, b| {
            spec_replicas(b)
                .cmp(&spec_replicas(a))
                .then(created(a).cmp(&created(b)))
        });
    }
    let mut added = 0;
    let mut sizes = vec![];
    for rs in &all {
        let mut size = spec_replicas(rs);
        if to_add != 0 && spec_replicas(rs) != 0 && to_add != added {
            let annotated =
                object::annotation(rs, MAX_REPLICAS).and_then(|v| v.parse::<i64>().ok());
            let fraction = replica_set_fraction(
                spec_replicas(rs),
                want,
                max_surge(d),
                annotated,
                status_i64(d, "replicas"),
            );
            let allowed_left = to_add - added;
            let proportion = if to_add > 0 {
                fraction.min(allowed_left)
            } else {
                fraction.max(allowed_left)
            };
            size += proportion;
            added += proportion;
        }
        sizes.push(size);
    }
    for (i, rs) in all.iter().enumerate() {
        let mut size = sizes[i];
        if i == 0 && to_add != 0 {
            size = (size + to_add - added).max(0);
        }
        let why = format!(
            "scaled to {want} during a rollout: shared in proportion to each ReplicaSet's size"
        );
        scale_replica_set(cluster, ctx, d, rs, size, &why);
    }
}

/// `calculateStatus`.
fn calculate_status(cluster: &Cluster, d: &Value, all: &[&Value], new_rs: Option<&Value>) -> Value {
    let available: i64 = all.iter().map(|r| status_i64(r, "availableReplicas")).sum();
    let total: i64 = all.iter().map(|r| spec_replicas(r)).sum();
    let mut status = d
        .get("status")
        .cloned()
        .filter(Value::is_object)
        .unwrap_or_else(|| json!({}));
    let fields = [
        (
            "observedGeneration",
            object::at(d, "/metadata/generation")
                .and_then(Value::as_i64)
                .unwrap_or(0),
        ),
        (
            "replicas",
            all.iter().map(|r| status_i64(r, "replicas")).sum(),
        ),
        (
            "updatedReplicas",
            new_rs.map(|r| status_i64(r, "replicas")).unwrap_or(0),
        ),
        (
            "readyReplicas",
            all.iter().map(|r| status_i64(r, "readyReplicas")).sum(),
        ),
        ("availableReplicas", available),
        ("unavailableReplicas", (total - available).max(0)),
    ];
    for (field, v) in fields {
        if v == 0 {
            if let Some(m) = status.as_object_mut() {
                m.remove(field);
            }
        } else {
            status[field] = json!(v);
        }
    }
    let now = rfc3339(cluster.now);
    if available >= replicas(d) - max_unavailable(d) {
        set_condition(
            &mut status,
            new_condition(
                &now,
                "Available",
                "True",
                "MinimumReplicasAvailable",
                "Deployment has minimum availability.",
            ),
        );
    } else {
        set_condition(
            &mut status,
            new_condition(
                &now,
                "Available",
                "False",
                "MinimumReplicasUnavailable",
                "Deployment does not have minimum availability.",
            ),
        );
    }
    status
}

fn sync_deployment_status(
    cluster: &mut Cluster,
    ctx: &Ctx,
    d: &mut Value,
    old: &[Value],
    new_rs: Option<&Value>,
) {
    let all: Vec<&Value> = old.iter().chain(new_rs).collect();
    d["status"] = calculate_status(cluster, d, &all, new_rs);
    write_deployment(cluster, ctx, d);
}

/// `DeploymentComplete`: every replica updated and available, the latest spec observed.
fn deployment_complete(d: &Value, status: &Value) -> bool {
    let want = replicas(d);
    let get = |f: &str| status.get(f).and_then(Value::as_i64).unwrap_or(0);
    get("updatedReplicas") == want
        && get("replicas") == want
        && get("availableReplicas") == want
        && get("observedGeneration")
            >= object::at(d, "/metadata/generation")
                .and_then(Value::as_i64)
                .unwrap_or(0)
}

/// `DeploymentProgressing`: more updated/ready/available pods, or fewer old ones.
fn deployment_progressing(old: &Value, new: &Value) -> bool {
    let g = |s: &Value, f: &str| s.get(f).and_then(Value::as_i64).unwrap_or(0);
    let old_old = g(old, "replicas") - g(old, "updatedReplicas");
    let new_old = g(new, "replicas") - g(new, "updatedReplicas");
    g(new, "updatedReplicas") > g(old, "updatedReplicas")
        || new_old < old_old
        || g(new, "readyReplicas") > g(old, "readyReplicas")
        || g(new, "availableReplicas") > g(old, "availableReplicas")
}

fn rs_status_d(d: &Value) -> Value {
    d.get("status").cloned().unwrap_or_else(|| json!({}))
}

/// `syncRolloutStatus` (progress.go): status plus the Progressing condition, and a
/// wake-up for the progress deadline.
fn sync_rollout_status(
    cluster: &mut Cluster,
    ctx: &Ctx,
    d: &mut Value,
    old: &[Value],
    new_rs: Option<&Value>,
) {
    let old = refresh(cluster, ctx, old);
    let new_rs = new_rs.and_then(|r| refresh(cluster, ctx, std::slice::from_ref(r)).pop());
    let all: Vec<&Value> = old.iter().chain(new_rs.as_ref()).collect();
    let prev = rs_status_d(d);
    let mut status = calculate_status(cluster, d, &all, new_rs.as_ref());
    if !has_progress_deadline(d) {
        remove_condition(&mut status, "Progressing");
    }
    let cur = condition(&prev, "Progressing").cloned();
    let g = |s: &Value, f: &str| s.get(f).and_then(Value::as_i64).unwrap_or(0);
    let complete_already = g(&status, "replicas") == g(&status, "updatedReplicas")
        && cur
            .as_ref()
            .is_some_and(|c| object::str_at(c, "/reason") == "NewReplicaSetAvailable");
    let now = rfc3339(cluster.now);
    let rs_name = new_rs.as_ref().map(|r| object::name(r).to_string());
    if has_progress_deadline(d) && !complete_already {
        if deployment_complete(d, &status) {
            let msg = match &rs_name {
                Some(n) => format!("ReplicaSet \"{n}\" has successfully progressed."),
                None => format!(
                    "Deployment \"{}\" has successfully progressed.",
                    object::name(d)
                ),
            };
            set_condition(
                &mut status,
                new_condition(&now, "Progressing", "True", "NewReplicaSetAvailable", &msg),
            );
        } else if deployment_progressing(&prev, &status) {
            let msg = match &rs_name {
                Some(n) => format!("ReplicaSet \"{n}\" is progressing."),
                None => format!("Deployment \"{}\" is progressing.", object::name(d)),
            };
            let mut c = new_condition(&now, "Progressing", "True", "ReplicaSetUpdated", &msg);
            if let Some(cur) = &cur {
                if object::str_at(cur, "/status") == "True" {
                    c["lastTransitionTime"] = cur["lastTransitionTime"].clone();
                }
            }
            remove_condition(&mut status, "Progressing");
            set_condition(&mut status, c);
        } else if timed_out(cluster, d, &status) {
            let msg = match &rs_name {
                Some(n) => format!("ReplicaSet \"{n}\" has timed out progressing."),
                None => format!(
                    "Deployment \"{}\" has timed out progressing.",
                    object::name(d)
                ),
            };
            set_condition(
                &mut status,
                new_condition(
                    &now,
                    "Progressing",
                    "False",
                    "ProgressDeadlineExceeded",
                    &msg,
                ),
            );
        }
    }
    if status == prev {
        requeue_stuck_deployment(cluster, d, &status);
        return;
    }
    d["status"] = status;
    write_deployment(cluster, ctx, d);
}

/// `DeploymentTimedOut`: no progress for progressDeadlineSeconds since lastUpdateTime.
fn timed_out(cluster: &Cluster, d: &Value, status: &Value) -> bool {
    if !has_progress_deadline(d) {
        return false;
    }
    let Some(c) = condition(status, "Progressing") else {
        return false;
    };
    match object::str_at(c, "/reason") {
        "NewReplicaSetAvailable" => false,
        "ProgressDeadlineExceeded" => true,
        _ => {
            let from = parse_rfc3339(object::str_at(c, "/lastUpdateTime")).unwrap_or(0);
            from + progress_deadline(d) * (SECOND as i64) < (cluster.now as i64)
        }
    }
}

/// `requeueStuckDeployment`: check again when the progress deadline would pass.
fn requeue_stuck_deployment(cluster: &mut Cluster, d: &Value, status: &Value) {
    if !has_progress_deadline(d) {
        return;
    }
    let Some(c) = condition(status, "Progressing") else {
        return;
    };
    if deployment_complete(d, status)
        || matches!(
            object::str_at(c, "/reason"),
            "ProgressDeadlineExceeded" | "NewReplicaSetAvailable" | "DeploymentPaused"
        )
    {
        return;
    }
    let from = parse_rfc3339(object::str_at(c, "/lastUpdateTime")).unwrap_or(0);
    let due = from + progress_deadline(d) * SECOND as i64 + SECOND as i64;
    let after = (due - cluster.now as i64).max(0) as u64;
    let key = format!("{}/{}", object::namespace(d), object::name(d));
    let at = cluster.now + after;
    if cluster.controllers.deployment_wakes.get(&key) == Some(&at) {
        return;
    }
    cluster.controllers.deployment_wakes.insert(key.clone(), at);
    cluster.wake_after(after, "deployment", key);
}

/// `cleanupDeployment`: old ReplicaSets beyond revisionHistoryLimit, lowest revision
/// first, and only those already scaled to zero.
fn cleanup_deployment(cluster: &mut Cluster, ctx: &Ctx, d: &Value, old: &[Value]) {
    let Some(limit) = object::at(d, "/spec/revisionHistoryLimit").and_then(Value::as_i64) else {
        return;
    };
    let mut cleanable: Vec<Value> = old
        .iter()
        .filter(|r| !object::is_deleting(r))
        .cloned()
        .collect();
    let diff = cleanable.len() as i64 - limit;
    if diff <= 0 {
        return;
    }
    cleanable.sort_shared_by(|a, b| {
        revision_of(a)
            .cmp(&revision_of(b))
            .then(created(a).cmp(&created(b)))
    });
    for rs in cleanable.iter().take(diff as usize) {
        let generation = object::at(rs, "/metadata/generation")
            .and_then(Value::as_i64)
            .unwrap_or(0);
        if status_i64(rs, "replicas") != 0
            || spec_replicas(rs) != 0
            || generation > status_i64(rs, "observedGeneration")
        {
            continue;
        }
        let opts = DeleteOptions {
            actor: actor(),
            ..Default::default()
        };
        let _ = cluster.delete(&ctx.rs_rt, object::namespace(rs), object::name(rs), &opts);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::cluster::ClusterOptions;

    /// `equal_ignore_hash` compares in place; it must answer as the definition does: a
    /// copy of each template with the hash label removed, compared whole.
    #[test]
    fn equal_ignore_hash_answers_as_copies_with_the_label_removed() {
        let by_copies = |a: &Value, b: &Value| {
            let strip = |t: &Value| {
                let mut t = t.clone();
                if let Some(l) = t
                    .pointer_mut("/metadata/labels")
                    .and_then(Value::as_object_mut)
                {
                    l.remove(HASH_LABEL);
                }
                t
            };
            strip(a) == strip(b)
        };
        let spec = json!({"containers": [{"name": "web", "image": "nginx"}]});
        let templates = [
            json!({}),
            json!({"spec": spec}),
            json!({"metadata": {}, "spec": spec}),
            json!({"metadata": {"labels": {}}, "spec": spec}),
            json!({"metadata": {"labels": {"app": "web"}}, "spec": spec}),
            json!({"metadata": {"labels": {"app": "web", HASH_LABEL: "abc"}}, "spec": spec}),
            json!({"metadata": {"labels": {"app": "web", HASH_LABEL: "def"}}, "spec": spec}),
            json!({"metadata": {"labels": {HASH_LABEL: "abc"}}, "spec": spec}),
            json!({"metadata": {"labels": {"app": "api"}}, "spec": spec}),
            json!({"metadata": {"labels": {"app": "web"}, "annotations": {"a": "1"}}, "spec": spec}),
            json!({"metadata": {"labels": "not a map"}, "spec": spec}),
            json!({"metadata": "not a map"}),
            json!({"metadata": {"labels": {"app": "web"}}, "spec": {"containers": []}}),
            json!(null),
        ];
        for a in &templates {
            for b in &templates {
                assert_eq!(equal_ignore_hash(a, b), by_copies(a, b), "{a} vs {b}");
            }
        }
    }

    #[test]
    fn fenceposts_round_surge_up_and_unavailable_down() {
        let p = |s: &str| json!(s);
        // (maxSurge, maxUnavailable, replicas) → (surge, unavailable)
        let cases = [
            (p("25%"), p("25%"), 10, (3, 2)), // 3.2
            (p("25%"), p("25%"), 3, (1, 0)),  // 3.3
            (p("25%"), p("25%"), 1, (1, 0)),  // 3.4
            (json!(0), json!(1), 2, (0, 1)),  // 3.5
            (p("0%"), p("1%"), 2, (0, 1)),    // 3.7: both 0 → unavailable 1
            (json!(1), json!(0), 10, (1, 0)), // the seed's rolling restart
        ];
        for (surge, unavailable, replicas, want) in cases {
            assert_eq!(
                resolve_fenceposts(Some(&surge), Some(&unavailable), replicas),
                want,
                "{surge} {unavailable} {replicas}"
            );
        }
    }

    #[test]
    fn new_replica_set_scale_up_and_old_scale_down() {
        // 3.2: 10 replicas, 25%/25% → the new RS starts at 3 (13 pods) …
        assert_eq!(new_rs_new_replicas_rolling(10, 3, 10, 0), 3);
        // … and is not scaled further while 13 pods are specified.
        assert_eq!(new_rs_new_replicas_rolling(10, 3, 13, 3), 3);
        // … then 2 old pods may go: 13 − 8 − 3.
        assert_eq!(max_scaled_down(13, 10, 2, 3, 0), 2);
        // 3.3: 3 replicas → one new pod first; nothing old goes until it is available.
        assert_eq!(new_rs_new_replicas_rolling(3, 1, 3, 0), 1);
        assert_eq!(max_scaled_down(4, 3, 0, 1, 0), 0);
        assert_eq!(max_scaled_down(4, 3, 0, 1, 1), 1);
        // 3.5: maxSurge 0 → no new pod before an old one goes.
        assert_eq!(new_rs_new_replicas_rolling(2, 0, 2, 0), 0);
        assert_eq!(max_scaled_down(2, 2, 1, 0, 0), 1);
        assert_eq!(new_rs_new_replicas_rolling(2, 0, 1, 0), 1);
    }

    #[test]
    fn proportional_fraction() {
        assert_eq!(replica_set_fraction(5, 15, 4, Some(13), 10), 2);
        assert_eq!(replica_set_fraction(5, 0, 0, Some(13), 10), -5);
    }

    fn deployment(name: &str, replicas: i64, image: &str) -> Value {
        json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                "template": {"metadata": {"labels": {"app": name}}, "spec": {"containers": [{"name": "c", "image": image}]}}}})
    }

    /// Marks every pending pod Ready (what scheduler + kubelet will do).
    fn make_ready(c: &mut Cluster) {
        let rt = c.registry.resolve("pods").expect("pods").clone();
        let pods: Vec<Value> = c.list(&rt, Some("default")).into_iter().cloned().collect();
        let now = rfc3339(c.now);
        for p in pods {
            if object::is_deleting(&p) || crate::sim::controllers::replicaset::is_pod_ready(&p) {
                continue;
            }
            let status = json!({"phase": "Running", "conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": now}]});
            let _ = c.update_status(
                &rt,
                "default",
                object::name(&p),
                status,
                Component::Kubelet("worker-1".into()),
            );
        }
    }

    fn rs_list(c: &Cluster) -> Vec<(String, i64)> {
        let rt = c.registry.resolve("replicasets").expect("rs").clone();
        c.list(&rt, Some("default"))
            .iter()
            .map(|r| (object::name(r).to_string(), spec_replicas(r)))
            .collect()
    }

    #[test]
    fn coredns_is_steady_at_startup() {
        let c = Cluster::new(ClusterOptions::default());
        let coredns = |plural: &str| {
            let rt = c.registry.resolve(plural).expect("built in").clone();
            c.list(&rt, Some("kube-system"))
                .iter()
                .filter(|o| object::name(o).starts_with("coredns-"))
                .count()
        };
        assert_eq!(coredns("replicasets"), 1);
        assert_eq!(coredns("pods"), 2);
    }

    #[test]
    fn rolling_update_keeps_within_the_fence() {
        let mut c = Cluster::new(ClusterOptions::default());
        let rt = c.registry.resolve("deployments").expect("deploy").clone();
        c.create(
            &rt,
            deployment("web", 10, "nginx:1.24"),
            "default",
            &WriteOptions::default(),
        )
        .expect("created");
        c.settle();
        make_ready(&mut c);
        c.settle();
        let d = c.get(&rt, "default", "web").expect("web").clone();
        assert_eq!(status_i64(&d, "availableReplicas"), 10);
        assert_eq!(object::annotation(&d, REVISION), Some("1"));
        let mut live = d.clone();
        live["spec"]["template"]["spec"]["containers"][0]["image"] = json!("nginx:1.25");
        c.update(&rt, live, &WriteOptions::default())
            .expect("updated");
        c.settle();
        // Sync 1: new RS at 3 (13 pods); sync 2: old 10 → 8 (maxScaledDown 13 − 8 − 3 = 2);
        // sync 3: the new RS fills the surge again, 3 → 5 (13 pods).
        let mut sizes: Vec<i64> = rs_list(&c).iter().map(|(_, r)| *r).collect();
        sizes.sort_shared();
        assert_eq!(sizes, [5, 8]);
        for _ in 0..20 {
            make_ready(&mut c);
            c.advance(SECOND);
            let total: i64 = rs_list(&c).iter().map(|(_, r)| r).sum();
            assert!(total <= 13);
        }
        let d = c.get(&rt, "default", "web").expect("web");
        assert_eq!(status_i64(d, "updatedReplicas"), 10);
        assert_eq!(object::annotation(d, REVISION), Some("2"));
        let progressing = condition(d.get("status").expect("status"), "Progressing").expect("cond");
        assert_eq!(
            object::str_at(progressing, "/reason"),
            "NewReplicaSetAvailable"
        );
    }

    #[test]
    fn scaling_mid_rollout_is_proportional() {
        let mut c = Cluster::new(ClusterOptions::default());
        let rt = c.registry.resolve("deployments").expect("deploy").clone();
        c.create(
            &rt,
            deployment("web", 10, "nginx:1.24"),
            "default",
            &WriteOptions::default(),
        )
        .expect("created");
        c.settle();
        make_ready(&mut c);
        c.settle();
        let mut live = c.get(&rt, "default", "web").expect("web").clone();
        live["spec"]["template"]["spec"]["containers"][0]["image"] = json!("nginx:1.25");
        c.update(&rt, live, &WriteOptions::default())
            .expect("updated");
        c.settle();
        // Mid-rollout: old 8, new 5 (max-replicas 13). Scale to 20 → allowed 20 + 5 = 25,
        // 12 to add: old gets round(8 × 25 / 13) − 8 = 7, new round(5 × 25 / 13) − 5 = 5.
        let mut live = c.get(&rt, "default", "web").expect("web").clone();
        live["spec"]["replicas"] = json!(20);
        c.update(&rt, live, &WriteOptions::default())
            .expect("scaled");
        c.settle();
        let mut sizes: Vec<i64> = rs_list(&c).iter().map(|(_, r)| *r).collect();
        sizes.sort_shared();
        assert_eq!(sizes, [10, 15]);
    }

    #[test]
    fn recreate_waits_for_old_pods() {
        let mut c = Cluster::new(ClusterOptions::default());
        let rt = c.registry.resolve("deployments").expect("deploy").clone();
        let mut d = deployment("web", 2, "nginx:1.24");
        d["spec"]["strategy"] = json!({"type": "Recreate"});
        c.create(&rt, d, "default", &WriteOptions::default())
            .expect("created");
        c.settle();
        make_ready(&mut c);
        c.settle();
        let mut live = c.get(&rt, "default", "web").expect("web").clone();
        live["spec"]["template"]["spec"]["containers"][0]["image"] = json!("nginx:1.25");
        c.update(&rt, live, &WriteOptions::default())
            .expect("updated");
        c.settle();
        let sizes = rs_list(&c);
        assert_eq!(sizes.iter().map(|(_, r)| r).sum::<i64>(), 2, "{sizes:?}");
        assert_eq!(sizes.len(), 2);
    }
}
