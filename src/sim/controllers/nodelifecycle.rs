//! Node lifecycle: what happens when a kubelet stops (`sim node down`) or starts again
//! (`sim node up`), when a node joins (`sim node add`) or is deleted — the node controller,
//! the taint-eviction controller and the pod garbage collector of kube-controller-manager.
//!
//! The timeline of a lost node (k8s-behaviour.md §11), with the v1.32+ defaults:
//! - t: the kubelet stops posting status;
//! - t + 50 s (node-monitor-grace-period): Ready becomes `Unknown` with `Kubelet stopped
//!   posting node status.`, the node gets `node.kubernetes.io/unreachable` NoSchedule and
//!   NoExecute taints, and its pods are marked not Ready (they leave Service endpoints);
//! - t + 50 s + 300 s: every pod tolerating `unreachable` for only 300 s (the default the
//!   DefaultTolerationSeconds plugin adds) is deleted; its controller replaces it on a
//!   healthy node, while the old pod stays `Terminating` — no kubelet is left to confirm;
//! - DaemonSet pods tolerate `unreachable` forever and are never evicted.

use crate::sim::apiserver::{DeleteOptions, WriteOptions};
use crate::sim::bootstrap::{self, NodeSpec};
use crate::sim::cluster::Cluster;
use crate::sim::errors::ApiError;
use crate::sim::events::EventSource;
use crate::sim::json::json;
use crate::sim::messages::Component;
use crate::sim::object;
use crate::sim::resources::ResourceType;
use crate::sim::store::WatchEventType;
use crate::sim::time::{rfc3339, Millis, SECOND};
use serde_json::Value;

/// `--node-monitor-grace-period` (50 s since v1.32; 40 s before).
pub const NODE_MONITOR_GRACE_PERIOD: Millis = 50 * SECOND;

const UNREACHABLE: &str = "node.kubernetes.io/unreachable";
const UNSCHEDULABLE: &str = "node.kubernetes.io/unschedulable";

fn node_controller() -> Component {
    Component::ControllerManager("node-lifecycle".into())
}

fn types(cluster: &Cluster) -> (ResourceType, ResourceType) {
    let nodes = cluster.registry.resolve("nodes").expect("built in").clone();
    let pods = cluster.registry.resolve("pods").expect("built in").clone();
    (nodes, pods)
}

/// `sim node down NAME`: the kubelet stops; the node controller notices after the grace period.
pub fn stop_kubelet(cluster: &mut Cluster, node: &str) -> Result<String, String> {
    let (nodes, _) = types(cluster);
    cluster.get(&nodes, "", node).map_err(|e| e.message)?;
    if !cluster
        .controllers
        .stopped_kubelets
        .insert(node.to_string())
    {
        return Ok(format!("the kubelet on {node} is already stopped"));
    }
    cluster.record(
        Component::Kubelet(node.into()),
        Component::ApiServer,
        "stop",
        format!("node/{node}"),
        format!("kubelet on {node} stopped posting node status"),
    );
    cluster.wake_after(NODE_MONITOR_GRACE_PERIOD, "nodelifecycle", node);
    Ok(format!(
        "kubelet on {node} stopped; the node controller will mark it NotReady after the {}s node-monitor-grace-period",
        NODE_MONITOR_GRACE_PERIOD / SECOND
    ))
}

/// `sim node up NAME`: the kubelet posts Ready again; the unreachable taints go.
pub fn start_kubelet(cluster: &mut Cluster, node: &str) -> Result<String, String> {
    let (nodes, _) = types(cluster);
    let obj = cluster
        .get(&nodes, "", node)
        .map_err(|e| e.message)?
        .clone();
    if !cluster.controllers.stopped_kubelets.remove(node) {
        return Ok(format!("the kubelet on {node} is already running"));
    }
    let now = rfc3339(cluster.now);
    let mut status = obj.get("status").cloned().unwrap_or_default();
    for c in status
        .get_mut("conditions")
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
    {
        let (state, reason, message) = healthy_condition(object::str_at(c, "/type"));
        if object::str_at(c, "/status") != state {
            c["lastTransitionTime"] = json!(now);
        }
        c["status"] = json!(state);
        c["reason"] = json!(reason);
        c["message"] = json!(message);
        c["lastHeartbeatTime"] = json!(now);
    }
    let kubelet = Component::Kubelet(node.into());
    let _ = cluster.update_status(&nodes, "", node, status, kubelet.clone());
    set_taint(cluster, node, UNREACHABLE, false);
    renew_lease(cluster, node);
    let node_obj = cluster
        .get(&nodes, "", node)
        .map_err(|e| e.message)?
        .clone();
    cluster.emit_event(
        &node_obj,
        "Normal",
        "NodeReady",
        &format!("Node {node} status is now: NodeReady"),
        &EventSource::kubelet(node),
        kubelet,
    );
    Ok(format!("kubelet on {node} started; the node is Ready"))
}

fn healthy_condition(type_: &str) -> (&'static str, &'static str, &'static str) {
    match type_ {
        "MemoryPressure" => (
            "False",
            "KubeletHasSufficientMemory",
            "kubelet has sufficient memory available",
        ),
        "DiskPressure" => (
            "False",
            "KubeletHasNoDiskPressure",
            "kubelet has no disk pressure",
        ),
        "PIDPressure" => (
            "False",
            "KubeletHasSufficientPID",
            "kubelet has sufficient PID available",
        ),
        _ => ("True", "KubeletReady", "kubelet is posting ready status"),
    }
}

fn renew_lease(cluster: &mut Cluster, node: &str) {
    let Some(leases) = cluster.registry.resolve("leases").cloned() else {
        return;
    };
    if let Ok(lease) = cluster.get(&leases, "kube-node-lease", node) {
        let mut lease = lease.clone();
        lease["spec"]["renewTime"] = json!(crate::sim::time::rfc3339_micro(cluster.now));
        cluster.write_through_unread(&leases, lease, Component::Kubelet(node.into()));
    }
}

/// Why a node could not join.
#[derive(Debug)]
pub enum JoinError {
    /// The simulated network has no address or pod CIDR left.
    NoRoom,
    /// The apiserver rejected the Node (an invalid or taken name), as `kubectl create`
    /// of that Node would be rejected.
    Rejected(ApiError),
}

/// `sim node add [NAME]`: a new worker joins with the next address and pod CIDR.
pub fn add_node(cluster: &mut Cluster, name: Option<&str>) -> Result<String, JoinError> {
    let (nodes, _) = types(cluster);
    let existing: Vec<Value> = cluster.list(&nodes, None).into_iter().cloned().collect();
    use crate::sim::ipam;
    let index = existing
        .iter()
        .filter_map(|n| ipam::node_index_of_cidr(object::str_at(n, "/spec/podCIDR")))
        .max()
        .map_or(0, |m| m + 1);
    // The next address of the docker network after the highest node IP.
    let ip = existing
        .iter()
        .filter_map(|n| {
            n.pointer("/status/addresses")
                .and_then(Value::as_array)?
                .iter()
                .find(|a| object::str_at(a, "/type") == "InternalIP")
                .and_then(|a| ipam::parse_ip(a.get("address")?.as_str()?))
        })
        .max()
        .map_or_else(|| ipam::node_ip(0), |m| ipam::ip_to_string(m + 1));
    let capacity = ipam::node_capacity(bootstrap::cluster_cidr(cluster));
    if index >= capacity {
        return Err(JoinError::NoRoom);
    }
    let name = name
        .map(String::from)
        .unwrap_or_else(|| format!("worker-{index}"));
    let spec = NodeSpec {
        name: name.clone(),
        index,
        ip,
    };
    bootstrap::add_node(cluster, &spec).map_err(JoinError::Rejected)?;
    Ok(format!(
        "node {name} joined ({}, pod CIDR {})",
        spec.ip,
        ipam::node_pod_cidr(index)
    ))
}

/// The node controller's check after the grace period.
pub fn wake(cluster: &mut Cluster, node: &str) {
    if super::kubelet_running(cluster, node) {
        return;
    }
    let (nodes, pods) = types(cluster);
    let Ok(obj) = cluster.get(&nodes, "", node) else {
        return;
    };
    let mut status = obj.get("status").cloned().unwrap_or_default();
    let already = status
        .get("conditions")
        .and_then(Value::as_array)
        .is_some_and(|cs| {
            cs.iter().any(|c| {
                object::str_at(c, "/type") == "Ready" && object::str_at(c, "/status") == "Unknown"
            })
        });
    if already {
        return;
    }
    let now = rfc3339(cluster.now);
    for c in status
        .get_mut("conditions")
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
    {
        c["status"] = json!("Unknown");
        c["reason"] = json!("NodeStatusUnknown");
        c["message"] = json!("Kubelet stopped posting node status.");
        c["lastTransitionTime"] = json!(now);
    }
    let _ = cluster.update_status(&nodes, "", node, status, node_controller());
    set_taint(cluster, node, UNREACHABLE, true);
    let node_obj = cluster.get(&nodes, "", node).cloned().unwrap_or_default();
    cluster.emit_event(
        &node_obj,
        "Normal",
        "NodeNotReady",
        &format!("Node {node} status is now: NodeNotReady"),
        &EventSource::component("node-controller"),
        node_controller(),
    );
    let on_node: Vec<Value> = cluster
        .list(&pods, None)
        .into_iter()
        .filter(|p| object::str_at(p, "/spec/nodeName") == node)
        .cloned()
        .collect();
    for pod in on_node {
        mark_pod_not_ready(cluster, &pods, &pod);
        match unreachable_toleration(&pod) {
            Toleration::None => evict(
                cluster,
                &format!("{}/{}", object::namespace(&pod), object::name(&pod)),
            ),
            Toleration::For(seconds) => cluster.wake_after(
                seconds.max(0) as u64 * SECOND,
                "taint-eviction",
                format!("{}/{}", object::namespace(&pod), object::name(&pod)),
            ),
            Toleration::Forever => {}
        }
    }
}

/// `MarkPodsNotReady`: Ready and ContainersReady false, so endpoints drop the pod.
fn mark_pod_not_ready(cluster: &mut Cluster, pods: &ResourceType, pod: &Value) {
    let mut status = pod.get("status").cloned().unwrap_or_default();
    let now = rfc3339(cluster.now);
    let mut changed = false;
    for c in status
        .get_mut("conditions")
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
    {
        if object::str_at(c, "/type") == "Ready" && object::str_at(c, "/status") != "False" {
            c["status"] = json!("False");
            c["lastTransitionTime"] = json!(now);
            changed = true;
        }
    }
    if changed {
        let _ = cluster.update_status(
            pods,
            object::namespace(pod),
            object::name(pod),
            status,
            node_controller(),
        );
    }
}

enum Toleration {
    None,
    For(i64),
    Forever,
}

/// How long the pod tolerates `unreachable:NoExecute`.
fn unreachable_toleration(pod: &Value) -> Toleration {
    toleration_for(pod, &json!({"key": UNREACHABLE, "effect": "NoExecute"}))
}

/// How long the pod tolerates one NoExecute taint: the first matching toleration's
/// `tolerationSeconds`, forever without one, not at all when none matches.
fn toleration_for(pod: &Value, taint: &Value) -> Toleration {
    let tolerations = pod
        .pointer("/spec/tolerations")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let matching = tolerations
        .iter()
        .find(|t| crate::sim::nodematch::tolerates(t, taint));
    match matching {
        None => Toleration::None,
        Some(t) => match t.get("tolerationSeconds").and_then(Value::as_i64) {
            Some(s) => Toleration::For(s),
            None => Toleration::Forever,
        },
    }
}

/// The NoExecute taints of a node.
fn no_execute_taints(node: &Value) -> Vec<Value> {
    node.pointer("/spec/taints")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|t| object::str_at(t, "/effect") == "NoExecute")
        .cloned()
        .collect()
}

/// The taint-eviction controller (`getMinTolerationTime`) for NoExecute taints someone
/// set on a node (`kubectl taint nodes worker-1 k=v:NoExecute`): a pod that does not
/// tolerate every one goes at once; one that tolerates them for a while goes when the
/// shortest `tolerationSeconds` runs out. The node controller's own `node.kubernetes.io/`
/// taints are handled where it sets them ([`wake`]).
fn evict_for_set_taints(cluster: &mut Cluster, node: &str) {
    let (nodes, pods) = types(cluster);
    let Ok(node_obj) = cluster.get(&nodes, "", node) else {
        return;
    };
    let taints: Vec<Value> = no_execute_taints(node_obj)
        .into_iter()
        .filter(|t| !object::str_at(t, "/key").starts_with("node.kubernetes.io/"))
        .collect();
    let seen = cluster.controllers.no_execute_taints.get(node);
    if seen == Some(&taints) || (seen.is_none() && taints.is_empty()) {
        return;
    }
    cluster
        .controllers
        .no_execute_taints
        .insert(node.to_string(), taints.clone());
    let on_node: Vec<String> = cluster
        .list(&pods, None)
        .into_iter()
        .filter(|p| object::str_at(p, "/spec/nodeName") == node && !object::is_deleting(p))
        .map(|p| format!("{}/{}", object::namespace(p), object::name(p)))
        .collect();
    for key in on_node {
        let Some((ns, name)) = key.split_once('/') else {
            continue;
        };
        let Ok(pod) = cluster.get(&pods, ns, name) else {
            continue;
        };
        let mut shortest: Option<i64> = None;
        let mut untolerated = false;
        for taint in &taints {
            match toleration_for(pod, taint) {
                Toleration::None => untolerated = true,
                Toleration::For(s) => shortest = Some(shortest.map_or(s, |m| m.min(s))),
                Toleration::Forever => {}
            }
        }
        match (untolerated, shortest) {
            (true, _) => evict(cluster, &key),
            (false, Some(seconds)) => {
                cluster.wake_after(seconds.max(0) as u64 * SECOND, "taint-eviction", key)
            }
            (false, None) => {}
        }
    }
}

/// The taint-eviction controller deletes a pod whose toleration ran out.
pub fn evict(cluster: &mut Cluster, key: &str) {
    let Some((ns, name)) = key.split_once('/') else {
        return;
    };
    let (nodes, pods) = types(cluster);
    let Ok(pod) = cluster.get(&pods, ns, name) else {
        return;
    };
    let pod = pod.clone();
    if object::is_deleting(&pod) {
        return;
    }
    let node = object::str_at(&pod, "/spec/nodeName").to_string();
    // Still due: the node has a NoExecute taint the pod does not tolerate forever.
    let due = cluster.get(&nodes, "", &node).is_ok_and(|n| {
        no_execute_taints(n)
            .iter()
            .any(|t| !matches!(toleration_for(&pod, t), Toleration::Forever))
    });
    if !due {
        return;
    }
    let actor = Component::ControllerManager("taint-eviction".into());
    cluster.emit_event(
        &pod,
        "Normal",
        "TaintManagerEviction",
        &format!("Marking for deletion Pod {ns}/{name}"),
        &EventSource::component("taint-eviction-controller"),
        actor.clone(),
    );
    let _ = cluster.delete(
        &pods,
        ns,
        name,
        &DeleteOptions {
            actor,
            ..Default::default()
        },
    );
}

/// Adds (NoSchedule + NoExecute for unreachable, NoSchedule for unschedulable) or removes a taint.
fn set_taint(cluster: &mut Cluster, node: &str, key: &str, present: bool) {
    let (nodes, _) = types(cluster);
    let Ok(obj) = cluster.get(&nodes, "", node) else {
        return;
    };
    let mut obj = obj.clone();
    let mut taints: Vec<Value> = obj
        .pointer("/spec/taints")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let before = taints.clone();
    taints.retain(|t| object::str_at(t, "/key") != key);
    if present {
        let effects: &[&str] = if key == UNREACHABLE {
            &["NoSchedule", "NoExecute"]
        } else {
            &["NoSchedule"]
        };
        for effect in effects {
            let mut t = json!({"effect": effect, "key": key});
            if *effect == "NoExecute" {
                t["timeAdded"] = json!(rfc3339(cluster.now));
            }
            taints.push(t);
        }
    }
    if taints == before {
        return;
    }
    if taints.is_empty() {
        if let Some(spec) = obj.get_mut("spec").and_then(Value::as_object_mut) {
            spec.remove("taints");
        }
    } else {
        obj["spec"]["taints"] = json!(taints);
    }
    let opts = WriteOptions {
        actor: node_controller(),
        ..Default::default()
    };
    let _ = cluster.update(&nodes, obj, &opts);
}

/// Reacts to node changes: cordoned nodes get the unschedulable taint (and lose it when
/// uncordoned); pods bound to a deleted node are removed by the pod GC.
pub fn reconcile(cluster: &mut Cluster) {
    let cursor = cluster.controllers.nodelifecycle_cursor;
    let changes: Vec<(WatchEventType, String, bool)> = cluster
        .store
        .events_since(cursor)
        .iter()
        .filter(|e| e.key.resource.group.is_empty() && e.key.resource.resource == "nodes")
        .map(|e| {
            let unschedulable = e
                .object
                .pointer("/spec/unschedulable")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            (e.event_type, e.key.name.clone(), unschedulable)
        })
        .collect();
    cluster.controllers.nodelifecycle_cursor = cluster.store.revision();
    for (event_type, node, unschedulable) in changes {
        match event_type {
            WatchEventType::Deleted => gc_orphaned_pods(cluster, &node),
            _ => {
                set_taint(cluster, &node, UNSCHEDULABLE, unschedulable);
                evict_for_set_taints(cluster, &node);
            }
        }
    }
}

/// PodGC `gcOrphaned`: pods bound to a node that no longer exists are force-deleted.
fn gc_orphaned_pods(cluster: &mut Cluster, node: &str) {
    let (_, pods) = types(cluster);
    let orphans: Vec<Value> = cluster
        .list(&pods, None)
        .into_iter()
        .filter(|p| object::str_at(p, "/spec/nodeName") == node)
        .cloned()
        .collect();
    let actor = Component::ControllerManager("pod-garbage-collector".into());
    for pod in orphans {
        let mut status = pod.get("status").cloned().unwrap_or_default();
        let condition = json!({"lastProbeTime": null, "lastTransitionTime": rfc3339(cluster.now), "message": "PodGC: node no longer exists", "reason": "DeletionByPodGC", "status": "True", "type": "DisruptionTarget"});
        match status.get_mut("conditions").and_then(Value::as_array_mut) {
            Some(cs) => cs.push(condition),
            None => status["conditions"] = json!([condition]),
        }
        let _ = cluster.update_status(
            &pods,
            object::namespace(&pod),
            object::name(&pod),
            status,
            actor.clone(),
        );
        let opts = DeleteOptions {
            grace_period_seconds: Some(0),
            actor: actor.clone(),
            ..Default::default()
        };
        let _ = cluster.delete(&pods, object::namespace(&pod), object::name(&pod), &opts);
    }
    cluster.controllers.stopped_kubelets.remove(node);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::ClusterOptions;

    #[test]
    fn a_cluster_past_256_nodes_uses_the_wider_pod_cidr_and_keeps_adding_nodes() {
        let mut cluster = Cluster::new(ClusterOptions {
            workers: 260,
            ..Default::default()
        });
        let (nodes, _) = types(&cluster);
        let last = cluster.get(&nodes, "", "worker-260").expect("bootstrapped");
        assert_eq!(object::str_at(last, "/spec/podCIDR"), "10.245.4.0/24");
        let config = cluster
            .store
            .list(
                &crate::sim::store::GroupResource::new("", "configmaps"),
                Some("kube-system"),
            )
            .into_iter()
            .find(|c| object::name(c) == "kubeadm-config")
            .expect("kubeadm-config");
        assert!(object::str_at(config, "/data/ClusterConfiguration")
            .contains("podSubnet: 10.244.0.0/14"));
        assert_eq!(
            add_node(&mut cluster, None).ok().as_deref(),
            Some("node worker-261 joined (172.18.1.7, pod CIDR 10.245.5.0/24)")
        );
    }

    #[test]
    fn a_kind_sized_cluster_stops_at_256_nodes() {
        let mut cluster = Cluster::new(ClusterOptions {
            workers: 254,
            ..Default::default()
        });
        assert_eq!(
            add_node(&mut cluster, None).ok().as_deref(),
            Some("node worker-255 joined (172.18.1.1, pod CIDR 10.244.255.0/24)")
        );
        assert!(matches!(
            add_node(&mut cluster, None),
            Err(JoinError::NoRoom)
        ));
    }
}
