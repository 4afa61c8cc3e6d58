//! metrics-server: the Metrics API (`metrics.k8s.io/v1beta1`) that `kubectl top` and the
//! HorizontalPodAutoscaler read.
//!
//! The real server scrapes every kubelet's `/metrics/resource` each `--metric-resolution`
//! (15 s), starting the moment it starts, and serves the rate between a series' last two
//! points: a pod appears once two scrapes saw it (or one scrape after its container
//! started, the start time being its first point), a node from the second scrape on.
//! Here a scrape is not an event: the scrape times are the grid `start + k × 15 s` of the
//! metrics-server pod's own start, and what the latest one measured is computed from the
//! cluster when asked — the pods' images ([`usage`]) and the requests each pod answered
//! in the window (the flow log's per-second counts). So an idle cluster has no timers and
//! the numbers are the same whenever they are read.
//!
//! The API is served only while a metrics-server pod is running and ready, as the
//! aggregator answers 503 otherwise.

pub mod install;
pub mod usage;

use crate::sim::labels::Selector;
use crate::sim::object::{self, str_at};
use crate::sim::rng::Rng;
use crate::sim::sort::SharedSort;
use crate::sim::time::{parse_rfc3339, Millis, SECOND};
use crate::sim::Cluster;
use serde_json::Value;

/// `--metric-resolution=15s`.
pub const RESOLUTION: Millis = 15 * SECOND;

/// What a node's kubelet, containerd and the OS use besides the pods (kind nodes).
const NODE_OVERHEAD_MILLICORES: u64 = 30;
const NODE_OVERHEAD_BYTES: u64 = 380 * 1024 * 1024;

/// One container's usage in a pod's metrics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerUsage {
    pub name: String,
    pub cpu_millicores: u64,
    pub memory_bytes: u64,
}

/// A `PodMetrics` object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodMetrics {
    pub namespace: String,
    pub name: String,
    /// When the scrape measured it (the window's end).
    pub timestamp: Millis,
    pub window: Millis,
    pub containers: Vec<ContainerUsage>,
}

impl PodMetrics {
    pub fn cpu_millicores(&self) -> u64 {
        self.containers.iter().map(|c| c.cpu_millicores).sum()
    }
    pub fn memory_bytes(&self) -> u64 {
        self.containers.iter().map(|c| c.memory_bytes).sum()
    }
}

/// A `NodeMetrics` object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeMetrics {
    pub name: String,
    pub timestamp: Millis,
    pub window: Millis,
    pub cpu_millicores: u64,
    pub memory_bytes: u64,
}

/// The Metrics API is not served (no ready metrics-server pod): the aggregator's 503.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unavailable;

/// When the serving metrics-server started (its container's start), if one is ready.
fn server_start(cluster: &Cluster) -> Option<Millis> {
    let pods = cluster.registry.resolve("pods")?.clone();
    cluster
        .list(&pods, Some(install::NAMESPACE))
        .into_iter()
        .filter(|p| object::labels_value(p)["k8s-app"] == install::NAME)
        .filter(|p| !object::is_deleting(p) && ready(p))
        .filter(|p| node_running(cluster, p))
        .filter_map(|p| container_start(p, 0))
        .min()
}

/// The aggregator's availability check of `v1beta1.metrics.k8s.io`: after a change to
/// kube-system's pods, its Available condition follows whether a ready metrics-server
/// pod backs the Service (kube-aggregator's `MissingEndpoints` otherwise).
pub fn reconcile(cluster: &mut Cluster) {
    let cursor = cluster.controllers.metrics_cursor;
    let touched = cluster.store.events_since(cursor).iter().any(|e| {
        e.key.resource.group.is_empty()
            && e.key.resource.resource == "pods"
            && e.key.namespace == install::NAMESPACE
            && e.key.name.starts_with(install::NAME)
    });
    cluster.controllers.metrics_cursor = cluster.store.revision();
    if !touched {
        return;
    }
    let Some(rt) = cluster.registry.resolve("apiservices").cloned() else {
        return;
    };
    let Ok(api) = cluster.get(&rt, "", install::API_SERVICE).cloned() else {
        return;
    };
    let (status, reason, message) = if server_start(cluster).is_some() {
        ("True", "Passed", "all checks passed".to_string())
    } else {
        (
            "False",
            "MissingEndpoints",
            format!(
                "endpoints for service/{} in \"{}\" have no addresses with port name \"https\"",
                install::NAME,
                install::NAMESPACE
            ),
        )
    };
    let current = api
        .pointer("/status/conditions/0/status")
        .and_then(Value::as_str);
    if current == Some(status) {
        return;
    }
    let t = crate::sim::time::rfc3339(cluster.now());
    let condition = crate::sim::json::json!({"conditions": [{"lastTransitionTime": t, "message": message, "reason": reason, "status": status, "type": "Available"}]});
    let _ = cluster.update_status(
        &rt,
        "",
        install::API_SERVICE,
        condition,
        crate::sim::messages::Component::ApiServer,
    );
}

/// The time of the latest scrape (`None` before the first, or `Err` without a server).
pub fn latest_scrape(cluster: &Cluster) -> Result<Option<Millis>, Unavailable> {
    let start = server_start(cluster).ok_or(Unavailable)?;
    let now = cluster.now();
    Ok((now >= start).then(|| start + (now - start) / RESOLUTION * RESOLUTION))
}

fn ready(pod: &Value) -> bool {
    pod.pointer("/status/conditions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|c| str_at(c, "/type") == "Ready" && str_at(c, "/status") == "True")
}

fn node_running(cluster: &Cluster, pod: &Value) -> bool {
    let node = str_at(pod, "/spec/nodeName");
    !node.is_empty() && crate::sim::controllers::kubelet_running(cluster, node)
}

/// When container `index` of the pod last started, if it is running.
fn container_start(pod: &Value, index: usize) -> Option<Millis> {
    let name = pod
        .pointer(&format!("/spec/containers/{index}/name"))
        .and_then(Value::as_str)?;
    let status = pod
        .pointer("/status/containerStatuses")
        .and_then(Value::as_array)?
        .iter()
        .find(|s| str_at(s, "/name") == name)?;
    let started = status.pointer("/state/running/startedAt")?.as_str()?;
    parse_rfc3339(started).map(|t| t.max(0) as Millis)
}

/// The metrics of the pods in `namespace` (all with `None`) matching `selector`, as the
/// latest scrape measured them: pods it has no complete series for are left out.
pub fn pod_metrics(
    cluster: &Cluster,
    namespace: Option<&str>,
    selector: &Selector,
) -> Result<Vec<PodMetrics>, Unavailable> {
    let Some(scrape) = latest_scrape(cluster)? else {
        return Ok(vec![]);
    };
    let start = server_start(cluster).ok_or(Unavailable)?;
    let pods = cluster.registry.resolve("pods").ok_or(Unavailable)?.clone();
    let mut out = vec![];
    for pod in cluster.list(&pods, namespace) {
        if str_at(pod, "/status/phase") != "Running" || !node_running(cluster, pod) {
            continue;
        }
        if !selector.matches_object(pod) {
            continue;
        }
        if let Some(m) = measure_pod(cluster, pod, scrape, start) {
            out.push(m);
        }
    }
    out.sort_shared_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
    Ok(out)
}

/// One pod at the scrape `at`: every container must have a series, whose first point is
/// the previous scrape or, if it started since, its start time.
fn measure_pod(cluster: &Cluster, pod: &Value, at: Millis, server: Millis) -> Option<PodMetrics> {
    let containers = pod.pointer("/spec/containers").and_then(Value::as_array)?;
    let previous = at.checked_sub(RESOLUTION).filter(|p| *p >= server);
    let key = format!("{}/{}", object::namespace(pod), object::name(pod));
    let mut window = RESOLUTION;
    let mut usage = vec![];
    for (i, c) in containers.iter().enumerate() {
        let started = container_start(pod, i)?;
        if started >= at {
            return None;
        }
        let from = match previous {
            Some(p) if p >= started => p,
            _ if previous.is_none() && started < server => return None,
            _ => started,
        };
        window = window.min(at - from);
        let profile = usage::profile_of(c);
        // Requests reach the pod's first container (its server); sidecars idle.
        let served = if i == 0 {
            cluster.network.flows.served_between(&key, from, at)
        } else {
            0
        };
        // Readings wander, but never above what the CFS quota lets the container use.
        let cpu = usage::cpu_millicores(&profile, served, at - from, None);
        let (cpu, memory) = jitter(cluster, pod, i, at, cpu, profile.memory_bytes);
        let cpu = usage::cpu_limit_millicores(c).map_or(cpu, |limit| cpu.min(limit));
        usage.push(ContainerUsage {
            name: str_at(c, "/name").to_string(),
            cpu_millicores: cpu,
            memory_bytes: memory,
        });
    }
    Some(PodMetrics {
        namespace: object::namespace(pod).to_string(),
        name: object::name(pod).to_string(),
        timestamp: at,
        window,
        containers: usage,
    })
}

/// Measurement noise, from a stream of the simulation's seed per (container, scrape):
/// ±1m on a busy CPU, ±1Mi on memory above a few Mi, as real readings wander.
fn jitter(
    cluster: &Cluster,
    pod: &Value,
    index: usize,
    at: Millis,
    cpu: u64,
    memory: u64,
) -> (u64, u64) {
    let key = format!("{}/{index}/{at}", object::uid(pod));
    let mut rng = Rng::new(cluster.options.seed ^ u64::from(crate::sim::hash::fnv(&key)));
    let wander = |v: u64, unit: u64, rng: &mut Rng| match rng.below(3) {
        0 if v >= 2 * unit => v - unit,
        2 if v >= 2 * unit => v + unit,
        _ => v,
    };
    let cpu = wander(cpu, 1, &mut rng);
    let memory = wander(memory, 1024 * 1024, &mut rng);
    (cpu, memory)
}

/// Every node's metrics at the latest scrape (a node needs two scrapes, and a running
/// kubelet): the pods on it plus the node's own overhead.
pub fn node_metrics(cluster: &Cluster) -> Result<Vec<NodeMetrics>, Unavailable> {
    let Some(scrape) = latest_scrape(cluster)? else {
        return Ok(vec![]);
    };
    let start = server_start(cluster).ok_or(Unavailable)?;
    if scrape < start + RESOLUTION {
        return Ok(vec![]);
    }
    let (Some(nodes), Some(pods)) = (
        cluster.registry.resolve("nodes").cloned(),
        cluster.registry.resolve("pods").cloned(),
    ) else {
        return Err(Unavailable);
    };
    let mut out = vec![];
    for node in cluster.list(&nodes, None) {
        let name = object::name(node);
        if !crate::sim::controllers::kubelet_running(cluster, name) {
            continue;
        }
        let (mut cpu, mut memory) = (NODE_OVERHEAD_MILLICORES, NODE_OVERHEAD_BYTES);
        for pod in cluster.list(&pods, None) {
            if str_at(pod, "/spec/nodeName") != name || str_at(pod, "/status/phase") != "Running" {
                continue;
            }
            // A pod too new for its own series still uses the node.
            let m = measure_pod(cluster, pod, scrape, start)
                .or_else(|| measure_pod(cluster, pod, scrape, 0));
            if let Some(m) = m {
                cpu += m.cpu_millicores();
                memory += m.memory_bytes();
            }
        }
        out.push(NodeMetrics {
            name: name.to_string(),
            timestamp: scrape,
            window: RESOLUTION,
            cpu_millicores: cpu,
            memory_bytes: memory,
        });
    }
    Ok(out)
}
