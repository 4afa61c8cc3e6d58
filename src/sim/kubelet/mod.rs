//! The kubelet on every node: takes the pods bound to its node from Pending through
//! ContainerCreating to Running — pod sandbox, image pulls per pull policy with the real
//! back-off, container create/start, exits and CrashLoopBackOff, graceful termination —
//! and reports each step as status and Events the way the real kubelet words them
//! (k8s-behaviour.md §1, §2, §10).
//!
//! Each pod has a small runtime record here (what containerd would know: container ids,
//! exit times, logs). A pod is synced when it is bound, changes in a way the kubelet
//! cares about, or when a timed wake-up it asked for comes due (a pull finishing, a
//! container exiting, a back-off expiring, the pod worker's 10 s retry after an error).

pub mod containers;
pub mod images;
pub mod probes;
pub mod status;

use super::cluster::Cluster;
use super::controllers::kubelet_running;
use super::messages::Component;
use super::object;
use super::store::WatchEventType;
use super::time::{go_duration, rfc3339, Millis, SECOND};
use crate::sim::json::json;
use containers::Behaviour;
use images::{ImageRef, PullError};
use probes::{Effect, Kind};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// `imageBackOffPeriod`, `MaxImageBackOff`, `initialCrashLoopBackOff`, `MaxContainerBackOff`.
const BACKOFF_INITIAL: Millis = 10 * SECOND;
const BACKOFF_MAX: Millis = 300 * SECOND;
/// The pod worker retries a pod whose sync failed after `backOffPeriod` (10 s).
const WORKER_RETRY: Millis = 10 * SECOND;
/// Creating the pod sandbox (pause container, CNI) before any container.
const SANDBOX_TIME: Millis = SECOND;
/// Registry throughput for the simulated pull time.
const PULL_BYTES_PER_SEC: u64 = 30_000_000;

/// The kubelets' state that is not in the API.
#[derive(Debug, Clone, Default)]
pub struct KubeletState {
    pub(crate) cursor: u64,
    /// `sim registry down`: every pull fails with a connection error.
    pub(crate) registry_down: bool,
    /// Repositories or references a user marked missing.
    pub(crate) missing: BTreeSet<String>,
    /// Images present on each node (full references).
    node_images: BTreeMap<String, BTreeSet<String>>,
    pods: BTreeMap<String, PodRuntime>,
    image_backoff: BTreeMap<String, Backoff>,
    /// The last pull error per pod+image, which the back-off message repeats.
    last_pull_error: BTreeMap<String, String>,
    crash_backoff: BTreeMap<String, Backoff>,
}

/// client-go's `flowcontrol.Backoff` entry (no jitter).
#[derive(Debug, Clone)]
struct Backoff {
    period: Millis,
    last_update: Millis,
}

impl Backoff {
    /// `Backoff.Next`: start at 10 s, double up to 300 s, reset after 2 × max idle.
    fn next(entry: Option<&Backoff>, at: Millis) -> Backoff {
        match entry {
            Some(e) if at.saturating_sub(e.last_update) <= 2 * BACKOFF_MAX => Backoff {
                period: (e.period * 2).min(BACKOFF_MAX),
                last_update: at,
            },
            _ => Backoff {
                period: BACKOFF_INITIAL,
                last_update: at,
            },
        }
    }
}

#[derive(Debug, Clone, Default)]
pub(crate) struct PodRuntime {
    pub(crate) namespace: String,
    pub(crate) name: String,
    pub(crate) node: String,
    pub(crate) ip: String,
    pub(crate) start_time: Millis,
    pub(crate) sandbox_ready_at: Option<Millis>,
    /// A pull in progress: (done at, container index, result).
    pulling: Option<(Millis, usize, Result<u64, PullError>, Millis)>,
    pub(crate) containers: Vec<ContainerRuntime>,
    /// When all containers will have stopped after a graceful delete.
    stopping_until: Option<Millis>,
    next_wake: Option<Millis>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum State {
    Waiting {
        reason: String,
        message: String,
    },
    Running,
    Terminated {
        reason: String,
        exit_code: i64,
        finished: Millis,
    },
}

#[derive(Debug, Clone)]
pub(crate) struct ContainerRuntime {
    pub(crate) name: String,
    pub(crate) state: State,
    pub(crate) restart_count: i64,
    pub(crate) last_terminated: Option<Value>,
    pub(crate) container_id: String,
    pub(crate) image_full: String,
    pub(crate) image_id: String,
    /// This run's prober workers (startup, liveness, readiness).
    pub(crate) probes: probes::Probes,
    /// An init container (runs to completion, in order, before the others).
    pub(crate) init: bool,
    /// The image the spec named when this container was started.
    pub(crate) spec_image: String,
    pub(crate) started_at: Millis,
    pub(crate) ready_at: Option<Millis>,
    behaviour: Option<Behaviour>,
    pub(crate) logs: Vec<String>,
    pub(crate) previous_logs: Option<Vec<String>>,
}

impl ContainerRuntime {
    fn new(name: &str) -> ContainerRuntime {
        ContainerRuntime {
            name: name.to_string(),
            state: State::Waiting {
                reason: "ContainerCreating".into(),
                message: String::new(),
            },
            restart_count: 0,
            last_terminated: None,
            container_id: String::new(),
            image_full: String::new(),
            image_id: String::new(),
            spec_image: String::new(),
            init: false,
            probes: probes::Probes::new(0, vec![]),
            started_at: 0,
            ready_at: None,
            behaviour: None,
            logs: vec![],
            previous_logs: None,
        }
    }
    fn ever_started(&self) -> bool {
        !self.container_id.is_empty()
    }
    fn waiting_reason(&self) -> Option<&str> {
        match &self.state {
            State::Waiting { reason, .. } => Some(reason),
            _ => None,
        }
    }
}

fn pods_rt(cluster: &Cluster) -> super::resources::ResourceType {
    cluster
        .registry
        .resolve("pods")
        .expect("pods are built in")
        .clone()
}

/// One turn: pods newly bound, changed or deleted; Secrets/ConfigMaps that appeared.
pub fn reconcile(cluster: &mut Cluster) {
    let cursor = cluster.controllers.kubelet.cursor;
    let first = cursor == 0;
    let mut todo: BTreeSet<(String, String)> = BTreeSet::new();
    let mut config_ns: BTreeSet<String> = BTreeSet::new();
    let mut nodes_changed: BTreeSet<String> = BTreeSet::new();
    for e in cluster.store.events_since(cursor) {
        match (
            e.key.resource.group.as_str(),
            e.key.resource.resource.as_str(),
        ) {
            ("", "pods") => {
                todo.insert((e.key.namespace.clone(), e.key.name.clone()));
            }
            ("", "nodes") if e.event_type != WatchEventType::Deleted => {
                nodes_changed.insert(e.key.name.clone());
            }
            ("", "secrets") | ("", "configmaps") if e.event_type != WatchEventType::Deleted => {
                config_ns.insert(e.key.namespace.clone());
            }
            _ => {}
        }
    }
    cluster.controllers.kubelet.cursor = cluster.store.revision();
    if first {
        for node in node_names(cluster) {
            cluster
                .controllers
                .kubelet
                .node_images
                .insert(node, images::preloaded().into_iter().collect());
        }
    }
    // Pods that went away: deleted, or replaced by a pod of the same name (whose
    // deletion is in the log too). Checked for the pods the log names, in uid order.
    let rt = pods_rt(cluster);
    let mut touched_uids: BTreeSet<String> = BTreeSet::new();
    for e in cluster.store.events_since(cursor) {
        if e.key.resource.group.is_empty() && e.key.resource.resource == "pods" {
            touched_uids.insert(object::uid(&e.object).to_string());
        }
    }
    let mut known: Vec<(String, String, String)> = touched_uids
        .iter()
        .filter_map(|uid| {
            let p = cluster.controllers.kubelet.pods.get(uid)?;
            Some((uid.clone(), p.namespace.clone(), p.name.clone()))
        })
        .collect();
    if !config_ns.is_empty() {
        // A Secret or ConfigMap appeared: every pod of those namespaces may now start.
        known = cluster
            .controllers
            .kubelet
            .pods
            .iter()
            .filter(|(uid, p)| touched_uids.contains(*uid) || config_ns.contains(&p.namespace))
            .map(|(uid, p)| (uid.clone(), p.namespace.clone(), p.name.clone()))
            .collect();
    }
    for (uid, ns, name) in known {
        let gone = cluster
            .get(&rt, &ns, &name)
            .map(|p| object::uid(p) != uid)
            .unwrap_or(true);
        if gone {
            forget(cluster, &uid);
        } else if config_ns.contains(&ns) {
            let waiting_config = cluster.controllers.kubelet.pods.get(&uid).is_some_and(|p| {
                p.containers
                    .iter()
                    .any(|c| c.waiting_reason() == Some("CreateContainerConfigError"))
            });
            if waiting_config {
                todo.insert((ns, name));
            }
        }
    }
    for (ns, name) in todo {
        let Ok(pod) = cluster.get(&rt, &ns, &name) else {
            continue;
        };
        // Decided on the stored pod; shared, not copied, when there is work (most pod
        // writes are the kubelet's own status updates, which need none).
        let (adopt_it, sync_it) = pod_work(cluster, pod, first, &config_ns);
        if !(adopt_it || sync_it) {
            continue;
        }
        let Some(pod) = cluster.get_shared(&rt, &ns, &name) else {
            continue;
        };
        if adopt_it {
            adopt(cluster, &pod);
        }
        if sync_it {
            sync_pod(cluster, &pod);
        }
    }
    // A kubelet that comes back (`sim node up`) catches up with its pods.
    for node in nodes_changed {
        if first || !kubelet_running(cluster, &node) {
            continue;
        }
        let pods: Vec<Value> = cluster
            .store
            .pods_on_node(&node)
            .into_iter()
            .cloned()
            .collect();
        for pod in pods {
            let uid = object::uid(&pod).to_string();
            let now = cluster.now;
            let due = match cluster.controllers.kubelet.pods.get(&uid) {
                None => !matches!(
                    object::str_at(&pod, "/status/phase"),
                    "Succeeded" | "Failed"
                ),
                Some(p) => {
                    p.next_wake.is_some_and(|t| t < now)
                        || (object::is_deleting(&pod) && p.stopping_until.is_none_or(|t| t < now))
                }
            };
            if due {
                if let Some(p) = cluster.controllers.kubelet.pods.get_mut(&uid) {
                    p.next_wake = None;
                }
                if !cluster.controllers.kubelet.pods.contains_key(&uid) && adoptable(&pod) {
                    adopt(cluster, &pod);
                    continue;
                }
                sync_pod(cluster, &pod);
            }
        }
    }
}

/// What a pod write asks of its kubelet: (adopt it, sync it).
fn pod_work(
    cluster: &Cluster,
    pod: &Value,
    first: bool,
    config_ns: &BTreeSet<String>,
) -> (bool, bool) {
    let node = object::str_at(pod, "/spec/nodeName");
    if node.is_empty() || !kubelet_running(cluster, node) {
        return (false, false);
    }
    let runtime = cluster.controllers.kubelet.pods.get(object::uid(pod));
    let Some(runtime) = runtime else {
        if first || adoptable(pod) {
            // Adopted as it runs; a pod already being deleted is synced (terminated) too.
            return (true, object::is_deleting(pod));
        }
        let finished = matches!(object::str_at(pod, "/status/phase"), "Succeeded" | "Failed");
        return (false, !finished);
    };
    let deleting_unhandled = object::is_deleting(pod) && runtime.stopping_until.is_none();
    let config_retry = config_ns.contains(object::namespace(pod))
        && runtime
            .containers
            .iter()
            .any(|c| c.waiting_reason() == Some("CreateContainerConfigError"));
    let spec_changed = runtime.containers.iter().any(|c| {
        c.ever_started()
            && container_spec(pod, &c.name)
                .is_some_and(|s| object::str_at(s, "/image") != c.spec_image)
    });
    (false, deleting_unhandled || config_retry || spec_changed)
}

/// A timed wake-up for pod `uid`.
pub fn wake(cluster: &mut Cluster, uid: &str) {
    let Some(p) = cluster.controllers.kubelet.pods.get(uid) else {
        return;
    };
    if p.next_wake != Some(cluster.now) {
        return;
    }
    if !kubelet_running(cluster, &p.node) {
        return;
    }
    let rt = pods_rt(cluster);
    let (ns, name) = (p.namespace.clone(), p.name.clone());
    // Shared with the store, not copied: the sync writes the pod's status, which
    // replaces the stored object rather than changing this one.
    match cluster.get_shared(&rt, &ns, &name) {
        Some(pod) if object::uid(&pod) == uid => {
            cluster
                .controllers
                .kubelet
                .pods
                .get_mut(uid)
                .expect("checked above")
                .next_wake = None;
            sync_pod(cluster, &pod);
        }
        _ => forget(cluster, uid),
    }
}

fn node_names(cluster: &Cluster) -> Vec<String> {
    let rt = cluster.registry.resolve("nodes").expect("built in").clone();
    cluster
        .list(&rt, None)
        .iter()
        .map(|n| object::name(n).to_string())
        .collect()
}

fn forget(cluster: &mut Cluster, uid: &str) {
    if let Some(p) = cluster.controllers.kubelet.pods.remove(uid) {
        if crate::sim::ipam::is_pod_ip(&p.ip) {
            cluster.pod_ipam.release(&p.ip);
        }
    }
    let prefix = format!("{uid}_");
    cluster
        .controllers
        .kubelet
        .image_backoff
        .retain(|k, _| !k.starts_with(&prefix));
    cluster
        .controllers
        .kubelet
        .crash_backoff
        .retain(|k, _| !k.starts_with(&prefix));
    cluster
        .controllers
        .kubelet
        .last_pull_error
        .retain(|k, _| !k.starts_with(&prefix));
}

/// A pod already running when the kubelet first looks (the default cluster's system pods).
fn adoptable(pod: &Value) -> bool {
    object::str_at(pod, "/status/phase") == "Running"
        && object::at(pod, "/status/containerStatuses")
            .and_then(Value::as_array)
            .is_some_and(|c| !c.is_empty())
}

fn adopt(cluster: &mut Cluster, pod: &Value) {
    let node = object::str_at(pod, "/spec/nodeName").to_string();
    let mut p = PodRuntime {
        namespace: object::namespace(pod).to_string(),
        name: object::name(pod).to_string(),
        node,
        ip: object::str_at(pod, "/status/podIP").to_string(),
        start_time: 0,
        sandbox_ready_at: Some(0),
        ..Default::default()
    };
    for cs in object::at(pod, "/status/containerStatuses")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let name = object::str_at(cs, "/name");
        let image = object::str_at(cs, "/image");
        let mut c = ContainerRuntime::new(name);
        c.state = State::Running;
        c.container_id = object::str_at(cs, "/containerID").to_string();
        c.image_full = images::parse(image)
            .map(|r| r.full())
            .unwrap_or_else(|_| image.to_string());
        c.image_id = object::str_at(cs, "/imageID").to_string();
        c.restart_count = cs.get("restartCount").and_then(Value::as_i64).unwrap_or(0);
        c.ready_at = Some(0);
        c.spec_image = container_spec(pod, name)
            .map(|s| object::str_at(s, "/image").to_string())
            .unwrap_or_default();
        if let Ok(r) = images::parse(image) {
            let spec = container_spec(pod, name).cloned().unwrap_or_default();
            let b =
                containers::behaviour(&r, &strings(&spec, "command"), &strings(&spec, "args"), 0);
            c.logs = b.logs.clone();
            c.behaviour = Some(Behaviour {
                runs_for: None,
                ..b
            });
        }
        p.containers.push(c);
    }
    if object::is_deleting(pod) {
        cluster
            .controllers
            .kubelet
            .pods
            .insert(object::uid(pod).to_string(), p);
        sync_pod(cluster, pod);
        return;
    }
    cluster
        .controllers
        .kubelet
        .pods
        .insert(object::uid(pod).to_string(), p);
}

fn strings(spec: &Value, field: &str) -> Vec<String> {
    spec.get(field)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(String::from))
        .collect()
}

fn container_spec<'a>(pod: &'a Value, name: &str) -> Option<&'a Value> {
    ["/spec/containers", "/spec/initContainers"]
        .iter()
        .filter_map(|p| object::at(pod, p).and_then(Value::as_array))
        .flatten()
        .find(|c| object::str_at(c, "/name") == name)
}

fn is_init(pod: &Value, name: &str) -> bool {
    object::at(pod, "/spec/initContainers")
        .and_then(Value::as_array)
        .is_some_and(|cs| cs.iter().any(|c| object::str_at(c, "/name") == name))
}

/// An init container that ran to completion.
fn init_done(c: &ContainerRuntime) -> bool {
    matches!(c.state, State::Terminated { exit_code: 0, .. })
}

fn node_ip_and_index(cluster: &Cluster, node: &str) -> (String, Option<u32>) {
    let rt = cluster.registry.resolve("nodes").expect("built in").clone();
    let Ok(n) = cluster.get(&rt, "", node) else {
        return (String::new(), None);
    };
    let ip = object::at(n, "/status/addresses")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|a| object::str_at(a, "/type") == "InternalIP")
        .map(|a| object::str_at(a, "/address").to_string())
        .unwrap_or_default();
    let index = crate::sim::ipam::node_index_of_cidr(object::str_at(n, "/spec/podCIDR"));
    (ip, index)
}

/// An Event about one container (`involvedObject.fieldPath: spec.containers{name}`),
/// aggregated like the recorder does.
fn container_event(
    cluster: &mut Cluster,
    pod: &Value,
    container: &str,
    event_type: &str,
    reason: &str,
    message: &str,
) {
    let node = object::str_at(pod, "/spec/nodeName").to_string();
    let Some(rt) = cluster.registry.resolve("events").cloned() else {
        return;
    };
    let ns = object::namespace(pod).to_string();
    let field_path = if is_init(pod, container) {
        format!("spec.initContainers{{{container}}}")
    } else {
        format!("spec.containers{{{container}}}")
    };
    let uid = object::uid(pod).to_string();
    let now = rfc3339(cluster.now);
    // The Events about this pod (an index, not a scan of the namespace's Events).
    let existing = cluster
        .store
        .events_about(&uid)
        .into_iter()
        .find(|e| {
            object::namespace(e) == ns
                && object::str_at(e, "/involvedObject/fieldPath") == field_path
                && object::str_at(e, "/reason") == reason
                && object::str_at(e, "/message") == message
                && object::str_at(e, "/type") == event_type
        })
        .cloned();
    let actor = Component::Kubelet(node.clone());
    if let Some(mut e) = existing {
        let count = e.get("count").and_then(Value::as_i64).unwrap_or(1);
        e["count"] = json!(count + 1);
        e["lastTimestamp"] = json!(now);
        cluster.write_through_unread(&rt, e, actor);
        return;
    }
    let nanos = (super::time::EPOCH_UNIX_SECONDS as u128 * 1_000_000_000)
        + cluster.now as u128 * 1_000_000
        + cluster.event_counter as u128;
    cluster.event_counter += 1;
    let event = json!({
        "apiVersion": "v1", "kind": "Event",
        "metadata": {"name": format!("{}.{:x}", object::name(pod), nanos), "namespace": ns},
        "involvedObject": {"apiVersion": "v1", "kind": "Pod", "name": object::name(pod), "namespace": ns,
            "resourceVersion": object::str_at(pod, "/metadata/resourceVersion"), "uid": uid, "fieldPath": field_path},
        "reason": reason, "message": message, "type": event_type,
        "source": {"component": "kubelet", "host": node},
        "count": 1, "firstTimestamp": now, "lastTimestamp": now,
        "reportingComponent": "kubelet", "reportingInstance": node,
    });
    // No `eventTime` (null, which decoding drops): see `emit_event`.
    let opts = super::apiserver::WriteOptions {
        actor,
        ..Default::default()
    };
    let _ = cluster.create_unread(&rt, event, &ns, &opts);
}

fn new_container_id(cluster: &mut Cluster) -> String {
    let hex: String = (0..4)
        .map(|_| format!("{:016x}", cluster.rng.next_u64()))
        .collect();
    format!("containerd://{hex}")
}

/// Plans the next wake-up of a pod: the earliest of `times` still ahead.
fn plan_wake(cluster: &mut Cluster, uid: &str, times: &[Millis]) {
    let now = cluster.now;
    let next = times.iter().copied().filter(|t| *t >= now).min();
    let Some(p) = cluster.controllers.kubelet.pods.get_mut(uid) else {
        return;
    };
    if let Some(t) = next {
        if p.next_wake != Some(t) {
            p.next_wake = Some(t);
            cluster.wake_after(t - now, "kubelet", uid.to_string());
        }
    } else {
        p.next_wake = None;
    }
}

fn restart_policy(pod: &Value) -> &str {
    match object::str_at(pod, "/spec/restartPolicy") {
        "" => "Always",
        p => p,
    }
}

/// One pass of the pod worker over a pod.
fn sync_pod(cluster: &mut Cluster, pod: &Value) {
    let uid = object::uid(pod).to_string();
    let node = object::str_at(pod, "/spec/nodeName").to_string();
    let now = cluster.now;
    if !cluster.controllers.kubelet.pods.contains_key(&uid) {
        let inits: Vec<&Value> = object::at(pod, "/spec/initContainers")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .collect();
        let mut containers: Vec<ContainerRuntime> = inits
            .iter()
            .map(|c| ContainerRuntime {
                init: true,
                state: State::Waiting {
                    reason: "PodInitializing".into(),
                    message: String::new(),
                },
                ..ContainerRuntime::new(object::str_at(c, "/name"))
            })
            .collect();
        for c in object::at(pod, "/spec/containers")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let mut cr = ContainerRuntime::new(object::str_at(c, "/name"));
            if !inits.is_empty() {
                cr.state = State::Waiting {
                    reason: "PodInitializing".into(),
                    message: String::new(),
                };
            }
            containers.push(cr);
        }
        let p = PodRuntime {
            namespace: object::namespace(pod).to_string(),
            name: object::name(pod).to_string(),
            node: node.clone(),
            start_time: now,
            sandbox_ready_at: Some(now + SANDBOX_TIME),
            containers,
            ..Default::default()
        };
        cluster.controllers.kubelet.pods.insert(uid.clone(), p);
        cluster.record(
            Component::ApiServer,
            Component::Kubelet(node.clone()),
            "watch",
            format!("pod/{}", object::name(pod)),
            format!(
                "kubelet on {node} sees {} bound to its node",
                object::name(pod)
            ),
        );
    }
    if object::is_deleting(pod) {
        terminate(cluster, pod);
        return;
    }
    let mut wakes: Vec<Millis> = vec![];
    let sandbox_at = cluster.controllers.kubelet.pods[&uid]
        .sandbox_ready_at
        .unwrap_or(now);
    if now < sandbox_at {
        wakes.push(sandbox_at);
    } else {
        start_containers(cluster, pod, &mut wakes);
    }
    write_status(cluster, pod);
    plan_wake(cluster, &uid, &wakes);
}

fn start_containers(cluster: &mut Cluster, pod: &Value, wakes: &mut Vec<Millis>) {
    let uid = object::uid(pod).to_string();
    let node = object::str_at(pod, "/spec/nodeName").to_string();
    let now = cluster.now;
    // The sandbox gets its IP (hostNetwork pods use the node's).
    if cluster.controllers.kubelet.pods[&uid].ip.is_empty() {
        let (node_ip, index) = node_ip_and_index(cluster, &node);
        let ip = if object::at(pod, "/spec/hostNetwork").and_then(Value::as_bool) == Some(true) {
            node_ip
        } else {
            index
                .and_then(|i| cluster.pod_ipam.allocate(i))
                .unwrap_or_default()
        };
        pod_runtime(cluster, &uid).ip = ip;
    }
    // A pull that finished.
    let mut just_pulled = None;
    if let Some((done, idx, result, started)) =
        cluster.controllers.kubelet.pods[&uid].pulling.clone()
    {
        if done > now {
            wakes.push(done);
            return;
        }
        pod_runtime(cluster, &uid).pulling = None;
        finish_pull(cluster, pod, idx, result, started, wakes);
        just_pulled = Some(idx);
    }
    let count = cluster.controllers.kubelet.pods[&uid].containers.len();
    let policy = restart_policy(pod).to_string();
    for idx in 0..count {
        // Init containers run one at a time, in order; the others wait for all of them.
        if cluster.controllers.kubelet.pods[&uid].containers[..idx]
            .iter()
            .any(|c| c.init && !init_done(c))
        {
            break;
        }
        let c = cluster.controllers.kubelet.pods[&uid].containers[idx].clone();
        let Some(spec) = container_spec(pod, &c.name).cloned() else {
            continue;
        };
        if just_pulled == Some(idx) && c.state != State::Running {
            continue;
        }
        // A changed image: the kubelet kills the container and starts the new one,
        // whatever the restart policy.
        let wanted_image = object::str_at(&spec, "/image");
        if c.state == State::Running && !c.spec_image.is_empty() && wanted_image != c.spec_image {
            let message = format!("Container {} definition changed, will be restarted", c.name);
            container_event(cluster, pod, &c.name, "Normal", "Killing", &message);
            let cr = container_mut(cluster, &uid, idx);
            cr.state = State::Terminated {
                reason: "Completed".into(),
                exit_code: 0,
                finished: now,
            };
            cr.ready_at = None;
            move_to_last_state(cluster, &uid, idx);
            let cr = container_mut(cluster, &uid, idx);
            cr.state = State::Waiting {
                reason: "ContainerCreating".into(),
                message: String::new(),
            };
        }
        let c = cluster.controllers.kubelet.pods[&uid].containers[idx].clone();
        if c.state == State::Running {
            run_probes(cluster, pod, idx, wakes);
        }
        let c = cluster.controllers.kubelet.pods[&uid].containers[idx].clone();
        // A running container that has reached its exit.
        if c.state == State::Running {
            if let Some(run) = c.behaviour.as_ref().and_then(|b| b.runs_for) {
                let exit_at = c.started_at + run;
                if exit_at > now {
                    wakes.push(exit_at);
                } else {
                    let code = c.behaviour.as_ref().map(|b| b.exit_code).unwrap_or(0);
                    let oom = c.behaviour.as_ref().is_some_and(|b| {
                        container_spec(pod, &c.name).is_some_and(|s| over_memory_limit(b, s))
                    });
                    let reason = match code {
                        _ if oom => "OOMKilled",
                        0 => "Completed",
                        _ => "Error",
                    };
                    let cr = container_mut(cluster, &uid, idx);
                    cr.state = State::Terminated {
                        reason: reason.into(),
                        exit_code: code,
                        finished: exit_at,
                    };
                    cr.ready_at = None;
                }
            }
        }
        let c = cluster.controllers.kubelet.pods[&uid].containers[idx].clone();
        let needs_start = match &c.state {
            State::Running => false,
            State::Terminated { exit_code, .. } if c.init => *exit_code != 0 && policy != "Never",
            State::Terminated { exit_code, .. } => {
                policy == "Always" || (policy == "OnFailure" && *exit_code != 0)
            }
            State::Waiting { reason, .. } => {
                reason != "CrashLoopBackOff" || c.last_terminated.is_some()
            }
        };
        if !needs_start {
            continue;
        }
        // CrashLoopBackOff (`doBackOff`): wait `backoff` after the last exit.
        let finished = match &c.state {
            State::Terminated { finished, .. } => Some(*finished),
            _ if c.ever_started() => last_finished(&c),
            _ => None,
        };
        if let Some(fin) = finished {
            let key = format!("{uid}_{}", c.name);
            let entry = cluster.controllers.kubelet.crash_backoff.get(&key).cloned();
            if let Some(e) = entry
                .as_ref()
                .filter(|e| now.saturating_sub(e.last_update) <= 2 * BACKOFF_MAX)
            {
                if now < fin + e.period {
                    let message = format!(
                        "back-off {} restarting failed container={} pod={}_{}({uid})",
                        go_duration(e.period),
                        c.name,
                        object::name(pod),
                        object::namespace(pod)
                    );
                    let newly = c.waiting_reason() != Some("CrashLoopBackOff");
                    move_to_last_state(cluster, &uid, idx);
                    let cr = container_mut(cluster, &uid, idx);
                    cr.state = State::Waiting {
                        reason: "CrashLoopBackOff".into(),
                        message,
                    };
                    if newly {
                        let m = format!(
                            "Back-off restarting failed container {} in pod {}_{}({uid})",
                            c.name,
                            object::name(pod),
                            object::namespace(pod)
                        );
                        container_event(cluster, pod, &c.name, "Warning", "BackOff", &m);
                    }
                    wakes.push(fin + e.period);
                    continue;
                }
            }
            let next = Backoff::next(entry.as_ref(), fin);
            cluster.controllers.kubelet.crash_backoff.insert(key, next);
        }
        // The image.
        let image = object::str_at(&spec, "/image").to_string();
        let r = match images::parse(&image) {
            Ok(r) => r,
            Err(e) => {
                let message = format!("Failed to apply default image tag {image:?}: {e}");
                set_waiting(
                    cluster,
                    pod,
                    idx,
                    "InvalidImageName",
                    &message,
                    Some(("InspectFailed", message.clone())),
                );
                continue;
            }
        };
        let present = cluster
            .controllers
            .kubelet
            .node_images
            .get(&node)
            .is_some_and(|s| s.contains(&r.full()));
        let pull_policy = match object::str_at(&spec, "/imagePullPolicy") {
            "" if r.tag_or_latest() == "latest" && r.digest.is_none() => "Always",
            "" => "IfNotPresent",
            p => p,
        };
        let must_pull = pull_policy == "Always" || (pull_policy == "IfNotPresent" && !present);
        if pull_policy == "Never" && !present {
            let message =
                format!("Container image {image:?} is not present with pull policy of Never");
            set_waiting(
                cluster,
                pod,
                idx,
                "ErrImageNeverPull",
                &message,
                Some(("ErrImageNeverPull", message.clone())),
            );
            continue;
        }
        if must_pull {
            let key = format!("{uid}_{image}");
            if let Some(e) = cluster.controllers.kubelet.image_backoff.get(&key).cloned() {
                if now < e.last_update + e.period
                    && now.saturating_sub(e.last_update) <= 2 * BACKOFF_MAX
                {
                    let message = format!("Back-off pulling image {image:?}");
                    container_event(cluster, pod, &c.name, "Normal", "BackOff", &message);
                    let detail = match cluster.controllers.kubelet.last_pull_error.get(&key) {
                        Some(err) => format!("{message}: ErrImagePull: {err}"),
                        None => message.clone(),
                    };
                    set_waiting(cluster, pod, idx, "ImagePullBackOff", &detail, None);
                    container_event(
                        cluster,
                        pod,
                        &c.name,
                        "Warning",
                        "Failed",
                        "Error: ImagePullBackOff",
                    );
                    wakes.push(now + WORKER_RETRY);
                    continue;
                }
            }
            container_event(
                cluster,
                pod,
                &c.name,
                "Normal",
                "Pulling",
                &format!("Pulling image {image:?}"),
            );
            let registry_up = !cluster.controllers.kubelet.registry_down;
            let result = images::lookup(&r, registry_up, &cluster.controllers.kubelet.missing);
            let took = match &result {
                Ok(size) => size * 1000 / PULL_BYTES_PER_SEC + 500,
                Err(PullError::Unreachable) => 5 * SECOND,
                Err(_) => 800,
            };
            cluster.record(
                Component::Kubelet(node.clone()),
                Component::Kubelet(node.clone()),
                "pull",
                format!("image/{image}"),
                format!("containerd on {node} pulls {}", r.full()),
            );
            if let State::Waiting { .. } = c.state {
            } else {
                move_to_last_state(cluster, &uid, idx);
                set_waiting(cluster, pod, idx, "ContainerCreating", "", None);
            }
            pod_runtime(cluster, &uid).pulling = Some((now + took, idx, result, now));
            wakes.push(now + took);
            // Pulls are serialized: later containers wait for this one.
            return;
        }
        container_event(cluster, pod, &c.name, "Normal", "Pulled", &format!("Container image {image:?} already present on machine and can be accessed by the pod"));
        start_container(cluster, pod, idx, &r, wakes);
    }
}

fn last_finished(c: &ContainerRuntime) -> Option<Millis> {
    let t = c
        .last_terminated
        .as_ref()?
        .pointer("/terminated/finishedAt")?
        .as_str()?;
    super::time::parse_rfc3339(t).map(|ms| ms.max(0) as Millis)
}

/// The kubelet's record of a pod it has started (inserted when the pod was first synced).
fn pod_runtime<'a>(cluster: &'a mut Cluster, uid: &str) -> &'a mut PodRuntime {
    cluster
        .controllers
        .kubelet
        .pods
        .get_mut(uid)
        .expect("inserted")
}

/// The kubelet's record of container `idx` of a pod it has started.
fn container_mut<'a>(cluster: &'a mut Cluster, uid: &str, idx: usize) -> &'a mut ContainerRuntime {
    &mut pod_runtime(cluster, uid).containers[idx]
}

/// A terminated container becomes `lastState` when it is restarted or waits to be.
fn move_to_last_state(cluster: &mut Cluster, uid: &str, idx: usize) {
    let cr = container_mut(cluster, uid, idx);
    if let State::Terminated {
        reason,
        exit_code,
        finished,
    } = cr.state.clone()
    {
        cr.last_terminated = Some(json!({"terminated": {
            "containerID": cr.container_id, "exitCode": exit_code, "finishedAt": rfc3339(finished),
            "reason": reason, "startedAt": rfc3339(cr.started_at)}}));
        cr.previous_logs = Some(std::mem::take(&mut cr.logs));
    }
}

fn set_waiting(
    cluster: &mut Cluster,
    pod: &Value,
    idx: usize,
    reason: &str,
    message: &str,
    event: Option<(&str, String)>,
) {
    let uid = object::uid(pod).to_string();
    move_to_last_state(cluster, &uid, idx);
    let cr = container_mut(cluster, &uid, idx);
    let changed = cr.waiting_reason() != Some(reason);
    let name = cr.name.clone();
    cr.state = State::Waiting {
        reason: reason.into(),
        message: message.into(),
    };
    if let (true, Some((ev_reason, ev_message))) = (changed, event) {
        container_event(cluster, pod, &name, "Warning", ev_reason, &ev_message);
        container_event(
            cluster,
            pod,
            &name,
            "Warning",
            "Failed",
            &format!("Error: {reason}"),
        );
    }
}

fn finish_pull(
    cluster: &mut Cluster,
    pod: &Value,
    idx: usize,
    result: Result<u64, PullError>,
    started: Millis,
    wakes: &mut Vec<Millis>,
) {
    let uid = object::uid(pod).to_string();
    let node = object::str_at(pod, "/spec/nodeName").to_string();
    let name = cluster.controllers.kubelet.pods[&uid].containers[idx]
        .name
        .clone();
    let Some(spec) = container_spec(pod, &name).cloned() else {
        return;
    };
    let image = object::str_at(&spec, "/image").to_string();
    let Ok(r) = images::parse(&image) else { return };
    match result {
        Ok(size) => {
            cluster
                .controllers
                .kubelet
                .node_images
                .entry(node)
                .or_default()
                .insert(r.full());
            let took = go_duration(cluster.now - started);
            container_event(
                cluster,
                pod,
                &name,
                "Normal",
                "Pulled",
                &format!("Successfully pulled image {image:?} in {took} ({took} including waiting). Image size: {size} bytes."),
            );
            start_container(cluster, pod, idx, &r, wakes);
        }
        Err(err) => {
            let message = format!(
                "Failed to pull image {image:?}: {}",
                images::pull_error_message(&r, &err)
            );
            container_event(cluster, pod, &name, "Warning", "Failed", &message);
            container_event(
                cluster,
                pod,
                &name,
                "Warning",
                "Failed",
                "Error: ErrImagePull",
            );
            let key = format!("{uid}_{image}");
            let next = Backoff::next(
                cluster.controllers.kubelet.image_backoff.get(&key),
                cluster.now,
            );
            cluster
                .controllers
                .kubelet
                .image_backoff
                .insert(key.clone(), next);
            cluster
                .controllers
                .kubelet
                .last_pull_error
                .insert(key, images::pull_error_message(&r, &err));
            let cr = container_mut(cluster, &uid, idx);
            cr.state = State::Waiting {
                reason: "ErrImagePull".into(),
                message: images::pull_error_message(&r, &err),
            };
            // The pod worker retries after its error back-off.
            wakes.push(cluster.now + WORKER_RETRY);
        }
    }
}

/// Missing Secrets/ConfigMaps behind env and envFrom: the kubelet's error text.
fn config_error(cluster: &Cluster, pod: &Value, spec: &Value) -> Option<String> {
    let ns = object::namespace(pod);
    let lookup = |kind: &str, name: &str| -> Option<Value> {
        let rt = cluster.registry.resolve(kind)?.clone();
        cluster.get(&rt, ns, name).ok().cloned()
    };
    for e in spec
        .get("env")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        for (field, kind, word) in [
            ("secretKeyRef", "secrets", "Secret"),
            ("configMapKeyRef", "configmaps", "ConfigMap"),
        ] {
            let Some(r) = object::at(e, &format!("/valueFrom/{field}")) else {
                continue;
            };
            if r.get("optional").and_then(Value::as_bool) == Some(true) {
                continue;
            }
            let (name, key) = (object::str_at(r, "/name"), object::str_at(r, "/key"));
            match lookup(kind, name) {
                None => return Some(format!("{} {name:?} not found", word.to_lowercase())),
                Some(obj) => {
                    let has = object::at(&obj, &format!("/data/{key}")).is_some()
                        || object::at(&obj, &format!("/binaryData/{key}")).is_some();
                    if !has {
                        return Some(format!("couldn't find key {key} in {word} {ns}/{name}"));
                    }
                }
            }
        }
    }
    for e in spec
        .get("envFrom")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        for (field, kind, word) in [
            ("secretRef", "secrets", "secret"),
            ("configMapRef", "configmaps", "configmap"),
        ] {
            let Some(r) = e.get(field) else { continue };
            if r.get("optional").and_then(Value::as_bool) == Some(true) {
                continue;
            }
            let name = object::str_at(r, "/name");
            if lookup(kind, name).is_none() {
                return Some(format!("{word} {name:?} not found"));
            }
        }
    }
    None
}

fn start_container(
    cluster: &mut Cluster,
    pod: &Value,
    idx: usize,
    r: &ImageRef,
    wakes: &mut Vec<Millis>,
) {
    let uid = object::uid(pod).to_string();
    let node = object::str_at(pod, "/spec/nodeName").to_string();
    let name = cluster.controllers.kubelet.pods[&uid].containers[idx]
        .name
        .clone();
    let Some(spec) = container_spec(pod, &name).cloned() else {
        return;
    };
    if let Some(err) = config_error(cluster, pod, &spec) {
        let uidc = uid.clone();
        move_to_last_state(cluster, &uidc, idx);
        let cr = container_mut(cluster, &uid, idx);
        let changed = cr.waiting_reason() != Some("CreateContainerConfigError");
        cr.state = State::Waiting {
            reason: "CreateContainerConfigError".into(),
            message: err.clone(),
        };
        if changed {
            container_event(
                cluster,
                pod,
                &name,
                "Warning",
                "Failed",
                &format!("Error: {err}"),
            );
        }
        return;
    }
    let now = cluster.now;
    move_to_last_state(cluster, &uid, idx);
    let id = new_container_id(cluster);
    let b = containers::behaviour(r, &strings(&spec, "command"), &strings(&spec, "args"), now);
    let b = oom_kill(b, &spec);
    let ip = cluster.controllers.kubelet.pods[&uid].ip.clone();
    let workers: Vec<probes::Worker> = [Kind::Startup, Kind::Liveness, Kind::Readiness]
        .into_iter()
        .filter_map(|kind| {
            let probe = spec.get(kind.field())?;
            let outcome = containers::probe_outcome(probe, &b, pod, &spec, &ip);
            Some(probes::Worker::new(kind, probe, outcome, now))
        })
        .collect();
    let container_probes = probes::Probes::new(now, workers);
    let cr = container_mut(cluster, &uid, idx);
    // Without readiness or startup probes a container is Ready once running; with them,
    // when the probes say so (`run_probes` below, from this very instant).
    cr.ready_at = if container_probes.has(Kind::Readiness) || container_probes.has(Kind::Startup) {
        None
    } else {
        Some(now)
    };
    cr.probes = container_probes;
    if cr.ever_started() {
        cr.restart_count += 1;
    }
    cr.container_id = id;
    cr.image_full = r.full();
    cr.spec_image = object::str_at(&spec, "/image").to_string();
    cr.image_id = images::image_id(r);
    cr.started_at = now;
    cr.logs = b.logs.clone();
    cr.state = State::Running;
    if let Some(run) = b.runs_for {
        wakes.push(now + run);
    }
    cr.behaviour = Some(b);
    container_event(
        cluster,
        pod,
        &name,
        "Normal",
        "Created",
        // v1.34's kuberuntime_container.go startContainer: "Created container: %v" and
        // "Started container %v" (v1.35 dropped the name, kubernetes#134043).
        &format!("Created container: {name}"),
    );
    container_event(
        cluster,
        pod,
        &name,
        "Normal",
        "Started",
        &format!("Started container {name}"),
    );
    cluster.record(
        Component::Kubelet(node.clone()),
        Component::Kubelet(node.clone()),
        "start",
        format!("pod/{}", object::name(pod)),
        format!(
            "containerd on {node} starts container {name} of {}",
            object::name(pod)
        ),
    );
    run_probes(cluster, pod, idx, wakes);
}

/// Runs the container's probes that are due (`prober.worker`), acts on what they found —
/// `Unhealthy` events, Ready or not, a kill past the threshold — and asks to be woken
/// for the next probe that can matter.
fn run_probes(cluster: &mut Cluster, pod: &Value, idx: usize, wakes: &mut Vec<Millis>) {
    let uid = object::uid(pod).to_string();
    let now = cluster.now;
    let policy = restart_policy(pod).to_string();
    let cr = container_mut(cluster, &uid, idx);
    let name = cr.name.clone();
    let exit_at = cr
        .behaviour
        .as_ref()
        .and_then(|b| b.runs_for)
        .map(|r| cr.started_at + r);
    // No probe runs at or after the container's own exit.
    let until = exit_at.map_or(now, |e| now.min(e.saturating_sub(1)));
    let effects = cr.probes.run_until(until);
    for effect in effects {
        match effect {
            Effect::Failed { kind, message, .. } => {
                let text = format!("{} probe failed: {message}", kind.word());
                container_event(cluster, pod, &name, "Warning", "Unhealthy", &text);
            }
            Effect::Started { .. } => {}
            Effect::Ready { at } => container_mut(cluster, &uid, idx).ready_at = Some(at),
            Effect::NotReady { .. } => container_mut(cluster, &uid, idx).ready_at = None,
            Effect::Kill { kind, .. } => {
                kill_failed_probe(cluster, pod, idx, kind, &policy);
                return;
            }
        }
    }
    let cr = container_mut(cluster, &uid, idx);
    if let Some(t) = cr.probes.next_due() {
        if exit_at.is_none_or(|e| t < e) {
            wakes.push(t);
        }
    }
}

/// `computePodActions` on a liveness or startup failure: the container is killed (and
/// restarted, unless the pod never restarts). A server stops on SIGTERM with status 0; a
/// shell that ignores it is killed (137).
fn kill_failed_probe(cluster: &mut Cluster, pod: &Value, idx: usize, kind: Kind, policy: &str) {
    let uid = object::uid(pod).to_string();
    let now = cluster.now;
    let cr = container_mut(cluster, &uid, idx);
    let name = cr.name.clone();
    let (reason, exit_code) = match cr.behaviour.as_ref() {
        Some(b) if !b.ignores_sigterm => ("Completed", 0),
        _ => ("Error", 137),
    };
    cr.ready_at = None;
    cr.state = State::Terminated {
        reason: reason.into(),
        exit_code,
        finished: now,
    };
    let probe = match kind {
        Kind::Startup => "startup",
        _ => "liveness",
    };
    let mut message = format!("Container {name} failed {probe} probe");
    if policy != "Never" {
        message.push_str(", will be restarted");
    }
    container_event(cluster, pod, &name, "Normal", "Killing", &message);
}

/// How long a process that allocates past its limit lives: the kernel's OOM killer acts
/// as soon as the cgroup's usage reaches `memory.max`.
const OOM_AFTER: Millis = 300;

/// Whether the process holds more memory than the container's limit allows.
fn over_memory_limit(b: &containers::Behaviour, spec: &Value) -> bool {
    let limit = match object::at(spec, "/resources/limits/memory") {
        Some(Value::String(q)) => super::scheduler::parse_milli(q).map(|m| m / 1000),
        Some(Value::Number(n)) => n.as_i64(),
        _ => None,
    };
    limit.is_some_and(|l| l >= 0 && b.memory > l as u64)
}

/// Over its memory limit, the container's cgroup is OOM-killed as a whole
/// (`memory.oom.group`, which the kubelet sets on cgroup v2): SIGKILL, exit code 137,
/// reason `OOMKilled`.
fn oom_kill(b: containers::Behaviour, spec: &Value) -> containers::Behaviour {
    if !over_memory_limit(&b, spec) {
        return b;
    }
    containers::Behaviour {
        runs_for: Some(b.runs_for.map_or(OOM_AFTER, |r| r.min(OOM_AFTER))),
        exit_code: 137,
        ..b
    }
}

/// Deleting the mirror pod of a static pod does not stop it: the kubelet removes the
/// API object and posts a fresh mirror pod for the same running containers.
fn recreate_mirror_pod(cluster: &mut Cluster, pod: &Value) {
    let uid = object::uid(pod).to_string();
    let node = object::str_at(pod, "/spec/nodeName").to_string();
    let rt = pods_rt(cluster);
    cluster.remove(&rt, pod, &Component::Kubelet(node.clone()));
    forget(cluster, &uid);
    let mut fresh = pod.clone();
    let meta = object::meta_mut(&mut fresh);
    for field in [
        "uid",
        "resourceVersion",
        "creationTimestamp",
        "deletionTimestamp",
        "deletionGracePeriodSeconds",
        "generation",
        "managedFields",
    ] {
        meta.remove(field);
    }
    let status = fresh.as_object_mut().and_then(|m| m.remove("status"));
    let opts = super::apiserver::WriteOptions {
        actor: Component::Kubelet(node.clone()),
        ..Default::default()
    };
    let ns = object::namespace(pod).to_string();
    if cluster.create(&rt, fresh, &ns, &opts).is_ok() {
        if let Some(status) = status {
            let _ = cluster.write_status(
                &rt,
                &ns,
                object::name(pod),
                status,
                Component::Kubelet(node),
            );
        }
    }
}

/// Graceful termination: SIGTERM to every container, then removal once all have stopped.
fn terminate(cluster: &mut Cluster, pod: &Value) {
    let uid = object::uid(pod).to_string();
    let node = object::str_at(pod, "/spec/nodeName").to_string();
    let now = cluster.now;
    if object::annotation(pod, "kubernetes.io/config.mirror").is_some() {
        recreate_mirror_pod(cluster, pod);
        return;
    }
    let grace = object::at(pod, "/metadata/deletionGracePeriodSeconds")
        .and_then(Value::as_u64)
        .unwrap_or(30)
        * SECOND;
    let until = match cluster.controllers.kubelet.pods[&uid].stopping_until {
        Some(t) => t,
        None => {
            let mut until = now;
            let running: Vec<(String, Option<Behaviour>)> = cluster.controllers.kubelet.pods[&uid]
                .containers
                .iter()
                .filter(|c| c.state == State::Running)
                .map(|c| (c.name.clone(), c.behaviour.clone()))
                .collect();
            for (name, b) in running {
                container_event(
                    cluster,
                    pod,
                    &name,
                    "Normal",
                    "Killing",
                    &format!("Stopping container {name}"),
                );
                let stop = b
                    .as_ref()
                    .map(|b| containers::stop_time(b, grace))
                    .unwrap_or(0);
                until = until.max(now + stop);
            }
            let p = pod_runtime(cluster, &uid);
            p.stopping_until = Some(until);
            p.pulling = None;
            until
        }
    };
    if now < until {
        plan_wake(cluster, &uid, &[until]);
        return;
    }
    let rt = pods_rt(cluster);
    cluster.remove(&rt, pod, &Component::Kubelet(node));
    forget(cluster, &uid);
}

fn write_status(cluster: &mut Cluster, pod: &Value) {
    let uid = object::uid(pod);
    let Some(p) = cluster.controllers.kubelet.pods.get(uid) else {
        return;
    };
    let (node_ip, _) = node_ip_and_index(cluster, &p.node);
    let rt = pods_rt(cluster);
    let Ok(live) = cluster.get(&rt, &p.namespace, &p.name) else {
        return;
    };
    // The status is read from the stored pod and the runtime in place (both borrowed):
    // only the names the write needs are copied, not the pod or its containers' logs.
    let status = status::pod_status(live, p, &node_ip, cluster.now);
    let (namespace, name, node) = (p.namespace.clone(), p.name.clone(), p.node.clone());
    let _ = cluster.write_status(&rt, &namespace, &name, status, Component::Kubelet(node));
}

/// Logs of a container for `kubectl logs`: Ok(lines) or the apiserver's error text.
pub fn container_logs(
    cluster: &Cluster,
    pod: &Value,
    container: &str,
    previous: bool,
) -> Result<Vec<String>, String> {
    let pod_name = object::name(pod);
    let p = cluster.controllers.kubelet.pods.get(object::uid(pod));
    let c = p.and_then(|p| p.containers.iter().find(|c| c.name == container));
    let Some(c) = c else {
        return Err(format!(
            "container {container:?} in pod {pod_name:?} is waiting to start: ContainerCreating"
        ));
    };
    if previous {
        return match &c.previous_logs {
            Some(l) => Ok(l.clone()),
            None => Err(format!(
                "previous terminated container {container:?} in pod {pod_name:?} not found"
            )),
        };
    }
    if !c.ever_started() {
        let reason = match c.waiting_reason().unwrap_or("ContainerCreating") {
            "ErrImagePull" => "image can't be pulled",
            "ImagePullBackOff" => "trying and failing to pull image",
            other => other,
        };
        return Err(format!(
            "container {container:?} in pod {pod_name:?} is waiting to start: {reason}"
        ));
    }
    if c.waiting_reason().is_some() {
        // Between restarts the last run's output is what `logs` shows.
        return Ok(c.previous_logs.clone().unwrap_or_default());
    }
    Ok(c.logs.clone())
}

/// `sim registry down|up`.
pub fn set_registry(cluster: &mut Cluster, up: bool) {
    cluster.controllers.kubelet.registry_down = !up;
}

/// `sim registry missing IMAGE`: makes the registry answer "not found" for it.
pub fn mark_missing(cluster: &mut Cluster, image: &str) -> Result<String, String> {
    let r = images::parse(image)?;
    let key = if r.tag.is_none() && r.digest.is_none() {
        r.repository()
    } else {
        r.full()
    };
    cluster.controllers.kubelet.missing.insert(key.clone());
    Ok(key)
}

/// `sim registry down|up|missing IMAGE`: the simulated registry's availability.
pub fn registry_command(cluster: &mut Cluster, args: &[String]) -> Result<String, String> {
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["down"] => {
            set_registry(cluster, false);
            Ok("registry is down: every image pull fails until `sim registry up`\n".into())
        }
        ["up"] => {
            set_registry(cluster, true);
            Ok("registry is up\n".into())
        }
        ["missing", image] => {
            mark_missing(cluster, image).map(|k| format!("registry: {k} is now missing\n"))
        }
        _ => Err("Usage: sim registry down|up|missing IMAGE".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_schedule() {
        let mut e = Backoff::next(None, 0);
        let mut periods = vec![e.period / SECOND];
        for t in 1..8 {
            e = Backoff::next(Some(&e), t * SECOND);
            periods.push(e.period / SECOND);
        }
        assert_eq!(periods, vec![10, 20, 40, 80, 160, 300, 300, 300]);
        let reset = Backoff::next(Some(&e), 8 * SECOND + 601 * SECOND);
        assert_eq!(reset.period, BACKOFF_INITIAL);
    }
}
