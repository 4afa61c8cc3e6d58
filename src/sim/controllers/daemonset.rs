//! The DaemonSet controller (kubernetes `pkg/controller/daemon`: daemon_controller.go,
//! update.go, util/daemonset_util.go): one pod per eligible node (k8s-behaviour.md §5).
//!
//! The controller does not bind pods itself: each pod gets a required node affinity
//! `matchFields: metadata.name In [<node>]` and the default scheduler binds it there.
//! Nodes coming and going are watch events, so DaemonSets follow them.

use crate::sim::apiserver::{DeleteOptions, WriteOptions};
use crate::sim::cluster::Cluster;
use crate::sim::controllers::replicaset::{is_pod_active, is_pod_ready, pod_availability};
use crate::sim::events::EventSource;
use crate::sim::hash::compute_hash;
use crate::sim::json::json;
use crate::sim::labels::{labels_of, Selector};
use crate::sim::messages::Component;
use crate::sim::nodematch::{matches_node_selector, tolerates};
use crate::sim::object;
use crate::sim::resources::ResourceType;
use crate::sim::sort::SharedSort;
use crate::sim::store::{GroupResource, WatchEventType};
use crate::sim::time::{parse_rfc3339, Millis};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

pub const HASH_LABEL: &str = "controller-revision-hash";
pub const GENERATION_LABEL: &str = "pod-template-generation";

fn actor() -> Component {
    Component::ControllerManager("daemonset".into())
}

fn source() -> EventSource {
    EventSource::component("daemonset-controller")
}

/// One turn: node changes touch every DaemonSet; pod and DaemonSet changes their
/// namespace.
pub fn reconcile(cluster: &mut Cluster) {
    let cursor = cluster.controllers.daemonset_cursor;
    let mut namespaces = BTreeSet::new();
    let mut all = false;
    for e in cluster.store.events_since(cursor) {
        match (
            e.key.resource.group.as_str(),
            e.key.resource.resource.as_str(),
        ) {
            ("", "nodes") => all = true,
            ("", "pods") => {
                namespaces.insert(e.key.namespace.clone());
            }
            ("apps", "daemonsets") if e.event_type != WatchEventType::Deleted => {
                namespaces.insert(e.key.namespace.clone());
            }
            _ => {}
        }
    }
    cluster.record_watch(
        cursor,
        Component::ControllerManager("daemonset".into()),
        &[("apps", "daemonsets")],
        false,
    );
    cluster.controllers.daemonset_cursor = cluster.store.revision();
    let Some(rt) = cluster.registry.resolve("daemonsets").cloned() else {
        return;
    };
    let targets: Vec<(String, String)> = cluster
        .list(&rt, None)
        .iter()
        .filter(|d| all || namespaces.contains(object::namespace(d)))
        .map(|d| {
            (
                object::namespace(d).to_string(),
                object::name(d).to_string(),
            )
        })
        .collect();
    for (ns, name) in targets {
        sync(cluster, &rt, &ns, &name);
    }
}

/// A timed wake-up `<ns>/<name>` (minReadySeconds elapsing).
pub fn wake(cluster: &mut Cluster, key: &str) {
    let Some((ns, name)) = key.split_once('/') else {
        return;
    };
    let Some(rt) = cluster.registry.resolve("daemonsets").cloned() else {
        return;
    };
    sync(cluster, &rt, ns, name);
}

// ---------------------------------------------------------------------------------------
// Node eligibility (NodeShouldRunDaemonPod)
// ---------------------------------------------------------------------------------------

/// (shouldRun, shouldContinueRunning) for a pod spec on a node: node name, nodeSelector,
/// required node affinity, and the NoSchedule / NoExecute taints it does not tolerate.
pub fn node_should_run(spec: &Value, node: &Value) -> (bool, bool) {
    let wanted = object::str_at(spec, "/nodeName");
    if !wanted.is_empty() && wanted != object::name(node) {
        return (false, false);
    }
    if !matches_node_selector(spec, node) {
        return (false, false);
    }
    let tolerations = spec
        .get("tolerations")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut should_run = true;
    let mut should_continue = true;
    for taint in object::at(node, "/spec/taints")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let effect = object::str_at(taint, "/effect");
        if effect != "NoSchedule" && effect != "NoExecute" {
            continue;
        }
        if tolerations.iter().any(|t| tolerates(t, taint)) {
            continue;
        }
        should_run = false;
        if effect == "NoExecute" {
            should_continue = false;
        }
    }
    (should_run, should_continue)
}

/// `AddOrUpdateDaemonPodTolerations`: never evicted for not-ready / unreachable, never
/// kept off by pressure or cordoning.
fn add_daemon_tolerations(spec: &mut Value) {
    let host_network = spec
        .get("hostNetwork")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let mut list = spec
        .get("tolerations")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut defaults = vec![
        ("node.kubernetes.io/not-ready", "NoExecute"),
        ("node.kubernetes.io/unreachable", "NoExecute"),
        ("node.kubernetes.io/disk-pressure", "NoSchedule"),
        ("node.kubernetes.io/memory-pressure", "NoSchedule"),
        ("node.kubernetes.io/pid-pressure", "NoSchedule"),
        ("node.kubernetes.io/unschedulable", "NoSchedule"),
    ];
    if host_network {
        defaults.push(("node.kubernetes.io/network-unavailable", "NoSchedule"));
    }
    for (key, effect) in defaults {
        let t = json!({"effect": effect, "key": key, "operator": "Exists"});
        let same =
            |x: &Value| object::str_at(x, "/key") == key && object::str_at(x, "/effect") == effect;
        if let Some(existing) = list.iter_mut().find(|x| same(x)) {
            *existing = t;
        } else {
            list.push(t);
        }
    }
    spec["tolerations"] = json!(list);
}

/// `ReplaceDaemonSetPodNodeNameNodeAffinity`: the required node affinity becomes one
/// term, `metadata.name In [node]`.
fn pin_to_node(spec: &mut Value, node: &str) {
    let term =
        json!({"matchFields": [{"key": "metadata.name", "operator": "In", "values": [node]}]});
    if !spec.get("affinity").is_some_and(Value::is_object) {
        spec["affinity"] = json!({});
    }
    if !spec["affinity"]
        .get("nodeAffinity")
        .is_some_and(Value::is_object)
    {
        spec["affinity"]["nodeAffinity"] = json!({});
    }
    spec["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"] =
        json!({"nodeSelectorTerms": [term]});
}

/// The node a daemon pod is for: where it is bound, else its matchFields pin.
fn target_node(pod: &Value) -> String {
    let bound = object::str_at(pod, "/spec/nodeName");
    if !bound.is_empty() {
        return bound.to_string();
    }
    object::at(pod, "/spec/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .flat_map(|t| t.get("matchFields").and_then(Value::as_array).cloned().unwrap_or_default())
        .find(|f| object::str_at(f, "/key") == "metadata.name" && object::str_at(f, "/operator") == "In")
        .and_then(|f| object::at(&f, "/values/0").and_then(Value::as_str).map(String::from))
        .unwrap_or_default()
}

fn template_generation(ds: &Value) -> String {
    match object::annotation(ds, "deprecated.daemonset.template.generation") {
        Some(g) => g.to_string(),
        None => object::at(ds, "/metadata/generation")
            .and_then(Value::as_i64)
            .unwrap_or(1)
            .to_string(),
    }
}

// ---------------------------------------------------------------------------------------
// Sync (daemon_controller.go syncDaemonSet / manage / rollingUpdate / updateDaemonSetStatus)
// ---------------------------------------------------------------------------------------

fn sync(cluster: &mut Cluster, rt: &ResourceType, ns: &str, name: &str) {
    let Ok(ds) = cluster.get(rt, ns, name) else {
        return;
    };
    let ds = ds.clone();
    let selector =
        Selector::from_label_selector(object::at(&ds, "/spec/selector").unwrap_or(&Value::Null));
    if selector.is_empty() {
        return;
    }
    let pods_rt = cluster
        .registry
        .resolve("pods")
        .expect("pods are built in")
        .clone();
    let Some(nodes_rt) = cluster.registry.resolve("nodes").cloned() else {
        return;
    };
    let nodes = cluster
        .store()
        .list_shared(&GroupResource::of(&nodes_rt), None);
    let hash = compute_hash(
        object::at(&ds, "/spec/template").unwrap_or(&Value::Null),
        object::at(&ds, "/status/collisionCount").and_then(Value::as_i64),
    );
    let deleting = object::is_deleting(&ds);
    let pods = claim_pods(cluster, &pods_rt, &ds, &selector, deleting);
    let live_hashes: BTreeSet<String> = pods
        .iter()
        .filter_map(|p| object::at(p, "/metadata/labels/controller-revision-hash"))
        .filter_map(Value::as_str)
        .map(String::from)
        .collect();
    let mut by_node: BTreeMap<String, Vec<Arc<Value>>> = BTreeMap::new();
    for p in pods {
        by_node.entry(target_node(&p)).or_default().push(p);
    }
    if !deleting {
        super::daemonset_history::construct_history(cluster, &ds, &hash, &live_hashes);
        manage(cluster, &pods_rt, &ds, &nodes, &by_node, &hash);
        rolling_update(cluster, &pods_rt, &ds, &nodes, &hash);
    }
    update_status(cluster, rt, &pods_rt, &ds, &nodes, &selector, &hash);
}

fn claim_pods(
    cluster: &mut Cluster,
    pods_rt: &ResourceType,
    ds: &Value,
    selector: &Selector,
    deleting: bool,
) -> Vec<Arc<Value>> {
    let uid = object::uid(ds).to_string();
    let all = namespace_pods(cluster, pods_rt, ds);
    let mut owned = vec![];
    for pod in all {
        let matches = selector.matches_object(&pod);
        match object::controller_of(&pod) {
            Some(r) if r.uid == uid => {
                if matches || object::is_deleting(&pod) {
                    owned.push(pod);
                } else if !deleting {
                    let mut pod = Arc::unwrap_or_clone(pod);
                    if let Some(refs) = pod
                        .pointer_mut("/metadata/ownerReferences")
                        .and_then(Value::as_array_mut)
                    {
                        refs.retain(|r| object::str_at(r, "/uid") != uid);
                    }
                    cluster.write_through_unread(pods_rt, pod, actor());
                }
            }
            None if matches && !deleting && is_pod_active(&pod) => {
                let mut pod = Arc::unwrap_or_clone(pod);
                if let Some(arr) = object::meta_mut(&mut pod)
                    .entry("ownerReferences")
                    .or_insert_with(|| json!([]))
                    .as_array_mut()
                {
                    arr.push(object::controller_ref(ds));
                }
                owned.push(Arc::new(cluster.write_through(pods_rt, pod, actor())));
            }
            _ => {}
        }
    }
    owned
}

/// The pods of the DaemonSet's namespace, shared with the store: each sync reads every
/// daemon pod (one per node), and copying them made a large cluster's boot quadratic.
fn namespace_pods(cluster: &Cluster, pods_rt: &ResourceType, ds: &Value) -> Vec<Arc<Value>> {
    cluster
        .store()
        .list_shared(&GroupResource::of(pods_rt), Some(object::namespace(ds)))
}

/// Pods by the node they are for ([`target_node`]), each node's in the order given: one
/// pass, where looking each node's pods up among all of them made a sync cost nodes ×
/// pods.
fn group_by_node(pods: &[Arc<Value>]) -> BTreeMap<String, Vec<&Value>> {
    let mut grouped: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
    for p in pods {
        grouped.entry(target_node(p)).or_default().push(p);
    }
    grouped
}

fn created_at(p: &Value) -> i64 {
    parse_rfc3339(object::str_at(p, "/metadata/creationTimestamp")).unwrap_or(0)
}

fn delete_pod(cluster: &mut Cluster, pods_rt: &ResourceType, ds: &Value, pod: &Value) {
    let opts = DeleteOptions {
        actor: actor(),
        ..Default::default()
    };
    let name = object::name(pod).to_string();
    if cluster
        .delete(pods_rt, object::namespace(ds), &name, &opts)
        .is_ok()
    {
        cluster.emit_event(
            ds,
            "Normal",
            "SuccessfulDelete",
            &format!("Deleted pod: {name}"),
            &source(),
            actor(),
        );
    }
}

/// `manage`: create a pod on each node that should run one and has none; delete pods on
/// nodes that should not run them, failed pods, and duplicates (keeping the oldest).
fn manage(
    cluster: &mut Cluster,
    pods_rt: &ResourceType,
    ds: &Value,
    nodes: &[Arc<Value>],
    by_node: &BTreeMap<String, Vec<Arc<Value>>>,
    hash: &str,
) {
    let spec = object::at(ds, "/spec/template/spec")
        .cloned()
        .unwrap_or_else(|| json!({}));
    let mut to_create = vec![];
    let mut to_delete: Vec<Arc<Value>> = vec![];
    let node_names: BTreeSet<&str> = nodes.iter().map(|n| object::name(n)).collect();
    for node in nodes {
        let node_name = object::name(node);
        let (should_run, should_continue) = node_should_run(&spec, node);
        let pods = by_node.get(node_name).cloned().unwrap_or_default();
        let exists = !pods.is_empty();
        if should_run && !exists {
            to_create.push(node_name.to_string());
        } else if should_continue {
            let mut running = vec![];
            for p in pods.iter().filter(|p| !object::is_deleting(p)) {
                if object::str_at(p, "/status/phase") == "Failed" {
                    let msg = format!(
                        "Found failed daemon pod {}/{} on node {node_name}, will try to kill it",
                        object::namespace(p),
                        object::name(p)
                    );
                    cluster.emit_event(ds, "Warning", "FailedDaemonPod", &msg, &source(), actor());
                    to_delete.push(p.clone());
                    continue;
                }
                running.push(p.clone());
            }
            if running.len() > 1 {
                running.sort_shared_by(|a, b| {
                    created_at(a)
                        .cmp(&created_at(b))
                        .then_with(|| object::name(a).cmp(object::name(b)))
                });
                to_delete.extend(running.into_iter().skip(1));
            }
        } else if exists {
            to_delete.extend(pods.into_iter().filter(|p| !object::is_deleting(p)));
        }
    }
    // Unscheduled pods pinned to a node that no longer exists can never run.
    for (node, pods) in by_node {
        if !node_names.contains(node.as_str()) {
            to_delete.extend(
                pods.iter()
                    .filter(|p| {
                        !object::is_deleting(p) && object::str_at(p, "/spec/nodeName").is_empty()
                    })
                    .cloned(),
            );
        }
    }
    for p in &to_delete {
        delete_pod(cluster, pods_rt, ds, p);
    }
    for node in &to_create {
        let name = object::name(ds);
        cluster.record(
            actor(),
            Component::ApiServer,
            "create",
            format!("daemonsets/{name}"),
            format!("{node} should run {name} and has no pod of it: create one pinned to {node}"),
        );
    }
    // slowStartBatch: 1, 2, 4, … creations; a failure stops the rest.
    let mut batch = 1usize;
    let mut queue = to_create.into_iter();
    'batches: loop {
        let chunk: Vec<String> = queue.by_ref().take(batch).collect();
        if chunk.is_empty() {
            break;
        }
        for node in chunk {
            if !create_pod(cluster, pods_rt, ds, &node, hash) {
                break 'batches;
            }
        }
        batch *= 2;
    }
}

fn create_pod(
    cluster: &mut Cluster,
    pods_rt: &ResourceType,
    ds: &Value,
    node: &str,
    hash: &str,
) -> bool {
    let template = object::at(ds, "/spec/template")
        .cloned()
        .unwrap_or_else(|| json!({}));
    let mut labels = object::at(&template, "/metadata/labels")
        .cloned()
        .filter(Value::is_object)
        .unwrap_or_else(|| json!({}));
    labels[HASH_LABEL] = json!(hash);
    labels[GENERATION_LABEL] = json!(template_generation(ds));
    let mut spec = template.get("spec").cloned().unwrap_or_else(|| json!({}));
    pin_to_node(&mut spec, node);
    add_daemon_tolerations(&mut spec);
    let mut meta = json!({"generateName": format!("{}-", object::name(ds)), "namespace": object::namespace(ds),
        "labels": labels, "ownerReferences": [object::controller_ref(ds)]});
    if let Some(a) = object::at(&template, "/metadata/annotations").filter(|a| a.is_object()) {
        meta["annotations"] = a.clone();
    }
    let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec});
    let opts = WriteOptions {
        actor: actor(),
        ..Default::default()
    };
    match cluster.create(pods_rt, pod, object::namespace(ds), &opts) {
        Ok(p) => {
            let msg = format!("Created pod: {}", object::name(&p));
            cluster.emit_event(ds, "Normal", "SuccessfulCreate", &msg, &source(), actor());
            true
        }
        Err(e) => {
            cluster.emit_event(
                ds,
                "Warning",
                "FailedCreate",
                &format!("Error creating: {e}"),
                &source(),
                actor(),
            );
            false
        }
    }
}

fn is_updated(pod: &Value, ds: &Value, hash: &str) -> bool {
    let labels = labels_of(pod);
    labels.get(HASH_LABEL).map(String::as_str) == Some(hash)
        || labels
            .get(GENERATION_LABEL)
            .is_some_and(|g| *g == template_generation(ds) && !labels.contains_key(HASH_LABEL))
}

fn min_ready(ds: &Value) -> i64 {
    object::at(ds, "/spec/minReadySeconds")
        .and_then(Value::as_i64)
        .unwrap_or(0)
}

/// `rollingUpdate` with maxSurge 0: old pods that are not available go at once; available
/// old pods go one at a time while fewer than maxUnavailable nodes lack an available pod.
fn rolling_update(
    cluster: &mut Cluster,
    pods_rt: &ResourceType,
    ds: &Value,
    nodes: &[Arc<Value>],
    hash: &str,
) {
    if object::str_at(ds, "/spec/updateStrategy/type") == "OnDelete" {
        return;
    }
    let desired = nodes
        .iter()
        .filter(|n| {
            node_should_run(
                object::at(ds, "/spec/template/spec").unwrap_or(&Value::Null),
                n,
            )
            .0
        })
        .count() as i64;
    let max_unavailable = crate::sim::controllers::deployment::scaled_value(
        object::at(ds, "/spec/updateStrategy/rollingUpdate/maxUnavailable").or(Some(&json!(1))),
        desired,
        true,
    )
    .max(1);
    // Re-read: `manage` may just have created or deleted pods.
    let selector =
        Selector::from_label_selector(object::at(ds, "/spec/selector").unwrap_or(&Value::Null));
    let uid = object::uid(ds);
    let now = cluster.now;
    let pods: Vec<Arc<Value>> = namespace_pods(cluster, pods_rt, ds)
        .into_iter()
        .filter(|p| {
            selector.matches_object(p) && object::controller_of(p).is_some_and(|r| r.uid == uid)
        })
        .collect();
    let grouped = group_by_node(&pods);
    let mut unavailable = 0;
    let mut candidates = vec![];
    for node in nodes {
        if !node_should_run(
            object::at(ds, "/spec/template/spec").unwrap_or(&Value::Null),
            node,
        )
        .0
        {
            continue;
        }
        let on_node: Vec<&Value> = grouped
            .get(object::name(node))
            .into_iter()
            .flatten()
            .copied()
            .filter(|p| !object::is_deleting(p))
            .collect();
        let available = |p: &Value| pod_availability(p, min_ready(ds), now) == Ok(true);
        match on_node.first() {
            None => unavailable += 1,
            Some(p) if is_updated(p, ds, hash) => {
                if !available(p) {
                    unavailable += 1;
                }
            }
            Some(p) => {
                if available(p) {
                    candidates.push((*p).clone());
                } else {
                    delete_pod(cluster, pods_rt, ds, p);
                    unavailable += 1;
                }
            }
        }
    }
    for p in candidates {
        if unavailable >= max_unavailable {
            break;
        }
        delete_pod(cluster, pods_rt, ds, &p);
        unavailable += 1;
    }
}

fn update_status(
    cluster: &mut Cluster,
    rt: &ResourceType,
    pods_rt: &ResourceType,
    ds: &Value,
    nodes: &[Arc<Value>],
    selector: &Selector,
    hash: &str,
) {
    let uid = object::uid(ds);
    let spec = object::at(ds, "/spec/template/spec")
        .cloned()
        .unwrap_or(Value::Null);
    let now = cluster.now;
    let pods: Vec<Arc<Value>> = namespace_pods(cluster, pods_rt, ds)
        .into_iter()
        .filter(|p| {
            is_pod_active(p)
                && selector.matches_object(p)
                && object::controller_of(p).is_some_and(|r| r.uid == uid)
        })
        .collect();
    let grouped = group_by_node(&pods);
    let (mut desired, mut current, mut misscheduled, mut ready, mut available, mut updated) =
        (0i64, 0i64, 0i64, 0i64, 0i64, 0i64);
    let mut wait: Option<Millis> = None;
    for node in nodes {
        let (should_run, _) = node_should_run(&spec, node);
        let on_node: Vec<&Value> = grouped
            .get(object::name(node))
            .into_iter()
            .flatten()
            .copied()
            .filter(|p| !object::str_at(p, "/spec/nodeName").is_empty())
            .collect();
        if should_run {
            desired += 1;
            if let Some(p) = on_node.first() {
                current += 1;
                if is_pod_ready(p) {
                    ready += 1;
                }
                match pod_availability(p, min_ready(ds), now) {
                    Ok(true) => available += 1,
                    Ok(false) => {}
                    Err(w) => wait = Some(wait.map_or(w, |x| x.min(w))),
                }
                if is_updated(p, ds, hash) {
                    updated += 1;
                }
            }
        } else if !on_node.is_empty() {
            misscheduled += 1;
        }
    }
    let mut status = json!({
        "currentNumberScheduled": current, "desiredNumberScheduled": desired, "numberMisscheduled": misscheduled, "numberReady": ready,
    });
    for (field, v) in [
        ("numberAvailable", available),
        ("numberUnavailable", desired - available),
        (
            "observedGeneration",
            object::at(ds, "/metadata/generation")
                .and_then(Value::as_i64)
                .unwrap_or(0),
        ),
        ("updatedNumberScheduled", updated),
    ] {
        if v != 0 {
            status[field] = json!(v);
        }
    }
    if let Some(c) = object::at(ds, "/status/collisionCount") {
        status["collisionCount"] = c.clone();
    }
    let _ = cluster.write_status(rt, object::namespace(ds), object::name(ds), status, actor());
    if let Some(w) = wait {
        cluster.wake_after(
            w,
            "daemonset",
            format!("{}/{}", object::namespace(ds), object::name(ds)),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::cluster::ClusterOptions;

    fn ds_yaml(tolerate_control_plane: bool) -> Value {
        let mut ds = json!({"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "agent"},
            "spec": {"selector": {"matchLabels": {"app": "agent"}},
                "template": {"metadata": {"labels": {"app": "agent"}}, "spec": {"containers": [{"name": "a", "image": "busybox"}]}}}});
        if tolerate_control_plane {
            ds["spec"]["template"]["spec"]["tolerations"] = json!([{"key": "node-role.kubernetes.io/control-plane", "operator": "Exists", "effect": "NoSchedule"}]);
        }
        ds
    }

    fn agent_pods(c: &Cluster) -> Vec<Value> {
        let rt = c.registry.resolve("pods").expect("pods").clone();
        c.list(&rt, Some("default"))
            .into_iter()
            .filter(|p| object::name(p).starts_with("agent-") && is_pod_active(p))
            .cloned()
            .collect()
    }

    #[test]
    fn bootstrap_daemonsets_are_steady() {
        let c = Cluster::new(ClusterOptions::default());
        let rt = c.registry.resolve("pods").expect("pods").clone();
        let n = c
            .list(&rt, Some("kube-system"))
            .iter()
            .filter(|p| object::name(p).starts_with("kube-proxy-"))
            .count();
        assert_eq!(n, 4);
    }

    #[test]
    fn one_pod_per_untainted_node_pinned_with_affinity() {
        let mut c = Cluster::new(ClusterOptions::default());
        let rt = c.registry.resolve("daemonsets").expect("ds").clone();
        c.create(&rt, ds_yaml(false), "default", &WriteOptions::default())
            .expect("created");
        c.settle();
        let pods = agent_pods(&c);
        assert_eq!(pods.len(), 3);
        let mut targets: Vec<String> = pods.iter().map(target_node).collect();
        targets.sort_shared();
        assert_eq!(targets, ["worker-1", "worker-2", "worker-3"]);
        let tolerations = pods[0]
            .pointer("/spec/tolerations")
            .and_then(Value::as_array)
            .expect("tolerations");
        assert!(tolerations.iter().any(|t| object::str_at(t, "/key")
            == "node.kubernetes.io/not-ready"
            && t.get("tolerationSeconds").is_none()));
        assert!(pods[0]
            .pointer("/metadata/labels/controller-revision-hash")
            .is_some());
        let ds = c.get(&rt, "default", "agent").expect("ds");
        assert_eq!(
            ds.pointer("/status/desiredNumberScheduled"),
            Some(&json!(3))
        );
    }

    #[test]
    fn tolerating_the_control_plane_taint_adds_a_pod() {
        let mut c = Cluster::new(ClusterOptions::default());
        let rt = c.registry.resolve("daemonsets").expect("ds").clone();
        c.create(&rt, ds_yaml(true), "default", &WriteOptions::default())
            .expect("created");
        c.settle();
        assert_eq!(agent_pods(&c).len(), 4);
    }

    #[test]
    fn toleration_matching() {
        let taint = json!({"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"});
        assert!(tolerates(&json!({"operator": "Exists"}), &taint));
        assert!(tolerates(
            &json!({"key": "node-role.kubernetes.io/control-plane", "operator": "Exists"}),
            &taint
        ));
        assert!(!tolerates(
            &json!({"key": "node-role.kubernetes.io/control-plane", "operator": "Exists", "effect": "NoExecute"}),
            &taint
        ));
        assert!(tolerates(
            &json!({"key": "node-role.kubernetes.io/control-plane", "value": ""}),
            &taint
        ));
        assert!(!tolerates(
            &json!({"key": "other", "operator": "Exists"}),
            &taint
        ));
    }
}
