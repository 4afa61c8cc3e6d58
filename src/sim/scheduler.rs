//! kube-scheduler: binds pods without a node to one that fits, the way the default
//! profile does — filter (NodeUnschedulable, TaintToleration, NodeAffinity,
//! NodeResourcesFit, PodTopologySpread, InterPodAffinity), score (the weighted plugin
//! scores of `scoring`), bind — explains a pod that fits nowhere with the real
//! `FailedScheduling` message, and preempts lower-priority pods for it (`preemption`).
//!
//! Pods are looked at again when they change, when a node changes or a pod goes away
//! (resources freed), when a pod is bound while one waits for a matching pod (pod
//! affinity, topology spread), and every 5 minutes while unschedulable (the real
//! scheduler flushes its unschedulable queue after `podMaxInUnschedulablePodsDuration`
//! = 5 min).

mod interpodaffinity;
mod preemption;
mod scoring;
mod topologyspread;

use super::cluster::Cluster;
use super::events::EventSource;
use super::labels::{labels_of, Labels};
use super::messages::Component;
use super::nodematch::{matches_node_selector, selects_nodes, tolerates};
use super::object;
use super::store::WatchEventType;
use super::time::{rfc3339, MINUTE};
use crate::sim::json::json;
use crate::sim::sort::SharedSort;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// The scheduler's private state: its watch cursor, the spec it last tried per pod, and
/// its cache of what every node offers and holds.
#[derive(Debug, Clone, Default)]
pub struct SchedulerState {
    pub(crate) cursor: u64,
    /// uid → the pod spec of its last failed attempt, so its own status writes don't
    /// retrigger.
    tried: BTreeMap<String, Value>,
    /// The scheduler cache (`pkg/scheduler/backend/cache`): node totals kept up to date
    /// from the watch, so a turn costs the pods it schedules, not every pod there is.
    /// `None` until the first turn builds it.
    cache: Option<NodeCache>,
    /// Some pending pod was turned away for want of a matching pod (required pod
    /// affinity, or a topology spread skew), so a pod landing on a node may let it in:
    /// the plugins' queueing hints for assigned-pod events.
    waiting_on_pods: bool,
    /// A pod was bound while `waiting_on_pods`: try the pending pods once more.
    rerun: bool,
    /// A turn that stopped part-way (the page's sliced run, see `Cluster::slice_spent`):
    /// the pods of its queue still to try, and the cache it was using.
    unfinished: Option<(Vec<Value>, NodeCache)>,
}

impl SchedulerState {
    /// Whether the last turn stopped part-way and must be resumed before anything else.
    pub(crate) fn turn_unfinished(&self) -> bool {
        self.unfinished.is_some()
    }
}

/// Default requests the scheduler assumes for scoring when a container sets none
/// (`DefaultMilliCPURequest`, `DefaultMemoryRequest`).
const DEFAULT_MILLI_CPU: i64 = 100;
const DEFAULT_MEMORY: i64 = 200 * 1024 * 1024;

/// `minFeasibleNodesToFind` and `minFeasibleNodesPercentageToFind` (schedule_one.go).
const MIN_FEASIBLE_NODES_TO_FIND: usize = 100;
const MIN_FEASIBLE_NODES_PERCENTAGE: usize = 5;

/// `numFeasibleNodesToFind` with the default `percentageOfNodesToScore` (adaptive): every
/// node below 100 nodes; above, `50 - nodes/125` percent, at least 5 % and 100 nodes.
/// 1,000 nodes: 42 % → 420 nodes; 5,000 nodes: 10 % → 500 nodes.
pub fn feasible_nodes_to_find(all: usize) -> usize {
    if all < MIN_FEASIBLE_NODES_TO_FIND {
        return all;
    }
    let percentage = 50usize
        .saturating_sub(all / 125)
        .max(MIN_FEASIBLE_NODES_PERCENTAGE);
    (all * percentage / 100).max(MIN_FEASIBLE_NODES_TO_FIND)
}

pub fn reconcile(cluster: &mut Cluster) {
    if let Some((queue, cache)) = cluster.controllers.scheduler.unfinished.take() {
        if let Some(cache) = schedule_queue(cluster, queue, cache) {
            finish_turn(cluster, cache);
        }
        return;
    }
    let cursor = cluster.controllers.scheduler.cursor;
    let mut everything = false;
    let mut rebuild = cluster.controllers.scheduler.cache.is_none();
    let mut candidates: BTreeSet<(String, String)> = BTreeSet::new();
    let mut cache = cluster.controllers.scheduler.cache.take();
    for e in cluster.store.events_since(cursor) {
        match (
            e.key.resource.group.as_str(),
            e.key.resource.resource.as_str(),
        ) {
            ("", "nodes") => {
                everything = true;
                match (&mut cache, e.event_type) {
                    (Some(cache), WatchEventType::Modified) => cache.update_node(&e.object),
                    _ => rebuild = true,
                }
            }
            ("", "persistentvolumeclaims") => everything = true,
            ("", "pods") => {
                let uid = object::uid(&e.object);
                if e.event_type == WatchEventType::Deleted {
                    everything = true;
                    cluster.controllers.scheduler.tried.remove(uid);
                    if let Some(cache) = &mut cache {
                        cache.set_pod(uid, None);
                    }
                } else {
                    let bound = !object::str_at(&e.object, "/spec/nodeName").is_empty();
                    if bound {
                        // A bound pod is never tried again (`nodeName` is immutable): the
                        // spec last tried for it, a copy per pod, can go.
                        cluster.controllers.scheduler.tried.remove(uid);
                    }
                    let placed = e.event_type == WatchEventType::Added && bound;
                    everything |= placed && cluster.controllers.scheduler.waiting_on_pods;
                    candidates.insert((e.key.namespace.clone(), e.key.name.clone()));
                    if let Some(cache) = &mut cache {
                        cache.set_pod(uid, Some(&e.object));
                    }
                }
            }
            _ => {}
        }
    }
    cluster.record_watch(cursor, Component::Scheduler, &[("", "pods")], true);
    cluster.controllers.scheduler.cursor = cluster.store.revision();
    let mut cache = match cache {
        Some(cache) if !rebuild => cache,
        old => NodeCache::build(cluster, old.map_or(0, |c| c.next_start)),
    };
    if !candidates.is_empty() || everything {
        if everything {
            // Every pending pod is tried again below; those still waiting on pods say so.
            cluster.controllers.scheduler.waiting_on_pods = false;
        }
        let pending = pending_pods(cluster, (!everything).then_some(&candidates));
        match schedule_queue(cluster, pending, cache) {
            Some(kept) => cache = kept,
            None => return,
        }
    }
    finish_turn(cluster, cache);
}

/// The end of a turn: the extra passes binds asked for, then the cache kept.
fn finish_turn(cluster: &mut Cluster, mut cache: NodeCache) {
    // Each extra pass follows a bind, so this ends once nothing more gets placed.
    while std::mem::take(&mut cluster.controllers.scheduler.rerun) {
        cluster.controllers.scheduler.waiting_on_pods = false;
        let pending = pending_pods(cluster, None);
        match schedule_queue(cluster, pending, cache) {
            Some(kept) => cache = kept,
            None => return,
        }
    }
    cluster.controllers.scheduler.cache = Some(cache);
}

/// Tries `queue`'s pods in order. In a sliced run whose work is spent, stops between two
/// pods, keeps the rest (and the cache) for the next turn and returns `None`; the
/// sliced run gives the scheduler that turn before anything else, so the bytes are
/// those of one uninterrupted turn.
fn schedule_queue(
    cluster: &mut Cluster,
    queue: Vec<Value>,
    mut cache: NodeCache,
) -> Option<NodeCache> {
    let mut queue = queue.into_iter();
    while let Some(pod) = queue.next() {
        schedule_one(cluster, &pod, &mut cache);
        if cluster.slice_spent() && queue.len() > 0 {
            cluster.controllers.scheduler.unfinished = Some((queue.collect(), cache));
            return None;
        }
    }
    Some(cache)
}

/// The pods to try, in the scheduling queue's order (priority, then arrival): every pod
/// waiting for a node, or only `candidates` whose spec changed since the last attempt.
fn pending_pods(cluster: &Cluster, candidates: Option<&BTreeSet<(String, String)>>) -> Vec<Value> {
    let mut pending: Vec<Value> = match candidates {
        // Unbound pods are indexed under the empty node name.
        None => cluster
            .store
            .pods_on_node("")
            .into_iter()
            .filter(|p| needs_scheduling(p))
            .cloned()
            .collect(),
        Some(candidates) => {
            let rt = cluster.registry.resolve("pods").expect("pods are built in");
            let tried = &cluster.controllers.scheduler.tried;
            candidates
                .iter()
                .filter_map(|(ns, name)| cluster.get(rt, ns, name).ok())
                .filter(|p| needs_scheduling(p) && tried.get(object::uid(p)) != p.get("spec"))
                .cloned()
                .collect()
        }
    };
    // Borrowed keys: no copies per comparison.
    pending.sort_shared_by(|a, b| pending_order(a).cmp(&pending_order(b)));
    pending
}

/// The scheduling queue's order: higher priority first, then older, then by name.
fn pending_order(p: &Value) -> (i64, &str, &str, &str) {
    (
        -object::at(p, "/spec/priority")
            .and_then(Value::as_i64)
            .unwrap_or(0),
        object::str_at(p, "/metadata/creationTimestamp"),
        object::namespace(p),
        object::name(p),
    )
}

/// A periodic retry of unschedulable pods.
pub fn wake(cluster: &mut Cluster, _key: &str) {
    let pending: Vec<Value> = cluster
        .store
        .pods_on_node("")
        .into_iter()
        .filter(|p| needs_scheduling(p))
        .cloned()
        .collect();
    let next_start = cluster
        .controllers
        .scheduler
        .cache
        .as_ref()
        .map_or(0, |c| c.next_start);
    // A wake-up runs between turns: read the nodes afresh rather than trust a cache that
    // has not seen the latest writes yet.
    let mut cache = NodeCache::build(cluster, next_start);
    cluster.controllers.scheduler.waiting_on_pods = false;
    for pod in pending {
        schedule_one(cluster, &pod, &mut cache);
    }
    cluster.controllers.scheduler.cache = None;
}

fn needs_scheduling(pod: &Value) -> bool {
    object::str_at(pod, "/spec/nodeName").is_empty()
        && !object::is_deleting(pod)
        && matches!(
            object::str_at(pod, "/spec/schedulerName"),
            "" | "default-scheduler"
        )
        && !matches!(object::str_at(pod, "/status/phase"), "Succeeded" | "Failed")
        && object::at(pod, "/spec/schedulingGates")
            .and_then(Value::as_array)
            .is_none_or(|g| g.is_empty())
}

/// What a node offers and what is already bound to it.
#[derive(Debug, Clone)]
struct NodeInfo {
    name: String,
    node: Value,
    /// The node's labels, read once per node write rather than per pod scheduled.
    labels: Labels,
    /// `spec.unschedulable`.
    unschedulable: bool,
    /// The NoSchedule and NoExecute taints, in the node's order.
    taints: Vec<Value>,
    /// Its PreferNoSchedule taints (what TaintToleration's score counts).
    prefer_no_schedule: Vec<Value>,
    alloc_cpu: i64,
    alloc_mem: i64,
    alloc_pods: i64,
    req_cpu: i64,
    req_mem: i64,
    /// Requests with the scheduler's non-zero defaults, for scoring.
    score_cpu: i64,
    score_mem: i64,
    pods: i64,
    /// The pods bound here (uid → what the plugins read of them).
    bound: BTreeMap<String, BoundPod>,
    /// How many of them carry inter-pod affinity (`PodsWithAffinity`).
    with_affinity: usize,
    /// Controller uid → its pods here that are not terminating (the default spread
    /// constraints' count when the pod's controller alone selects the pods).
    owners: BTreeMap<String, i64>,
}

impl NodeInfo {
    fn new(n: &Value) -> NodeInfo {
        let mut info = NodeInfo {
            name: object::name(n).to_string(),
            node: Value::Null,
            labels: Default::default(),
            unschedulable: false,
            taints: vec![],
            prefer_no_schedule: vec![],
            alloc_cpu: 0,
            alloc_mem: 0,
            alloc_pods: 0,
            req_cpu: 0,
            req_mem: 0,
            score_cpu: 0,
            score_mem: 0,
            pods: 0,
            bound: BTreeMap::new(),
            with_affinity: 0,
            owners: BTreeMap::new(),
        };
        info.set_node(n);
        info
    }

    /// Takes a node's current spec and status, keeping what is bound to it.
    fn set_node(&mut self, n: &Value) {
        self.node = n.clone();
        self.labels = labels_of(n);
        self.unschedulable =
            object::at(n, "/spec/unschedulable").and_then(Value::as_bool) == Some(true);
        self.taints = object::at(n, "/spec/taints")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter(|t| matches!(object::str_at(t, "/effect"), "NoSchedule" | "NoExecute"))
            .cloned()
            .collect();
        self.prefer_no_schedule = object::at(n, "/spec/taints")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter(|t| object::str_at(t, "/effect") == "PreferNoSchedule")
            .cloned()
            .collect();
        self.alloc_cpu = parse_milli(object::str_at(n, "/status/allocatable/cpu")).unwrap_or(0);
        self.alloc_mem =
            parse_milli(object::str_at(n, "/status/allocatable/memory")).unwrap_or(0) / 1000;
        self.alloc_pods =
            parse_milli(object::str_at(n, "/status/allocatable/pods")).unwrap_or(0) / 1000;
    }

    /// Adds a pod's share (replacing what the same uid held before).
    fn add(&mut self, uid: &str, pod: BoundPod) {
        self.remove(uid);
        self.tally(&pod, 1);
        self.bound.insert(uid.to_string(), pod);
    }

    /// Takes a pod's share away, returning what it was.
    fn remove(&mut self, uid: &str) -> Option<BoundPod> {
        let pod = self.bound.remove(uid)?;
        self.tally(&pod, -1);
        Some(pod)
    }

    fn tally(&mut self, pod: &BoundPod, sign: i64) {
        let c = &pod.counted;
        self.req_cpu += sign * c.requests.0;
        self.req_mem += sign * c.requests.1;
        self.score_cpu += sign * c.score_requests.0;
        self.score_mem += sign * c.score_requests.1;
        self.pods += sign;
        if pod.affinity.is_some() {
            self.with_affinity = (self.with_affinity as i64 + sign) as usize;
        }
        if let Some(owner) = pod.owner.as_ref().filter(|_| !pod.deleting) {
            let n = self.owners.entry(owner.clone()).or_default();
            *n += sign;
            if *n == 0 {
                self.owners.remove(owner);
            }
        }
    }
}

/// What the plugins read of a pod bound to a node, taken once when it is counted (the
/// scheduler cache's `PodInfo`): no pod is re-parsed per node per attempt.
#[derive(Debug, Clone)]
struct BoundPod {
    namespace: String,
    name: String,
    labels: Labels,
    owner: Option<String>,
    priority: i64,
    deleting: bool,
    start_time: String,
    /// `{metadata: {namespace}, spec: {affinity}}` when it has inter-pod affinity.
    affinity: Option<Value>,
    counted: Counted,
}

impl BoundPod {
    fn of(pod: &Value) -> BoundPod {
        BoundPod {
            namespace: object::namespace(pod).to_string(),
            name: object::name(pod).to_string(),
            labels: labels_of(pod),
            owner: object::controller_of(pod).map(|o| o.uid),
            priority: preemption::priority(pod),
            deleting: object::is_deleting(pod),
            start_time: object::str_at(pod, "/status/startTime").to_string(),
            affinity: interpodaffinity::has_affinity(pod).then(|| {
                json!({"metadata": {"namespace": object::namespace(pod)},
                    "spec": {"affinity": object::at(pod, "/spec/affinity")}})
            }),
            counted: Counted::of(pod),
        }
    }
}

/// What one bound pod adds to its node's totals.
#[derive(Debug, Clone)]
struct Counted {
    node: String,
    requests: (i64, i64),
    score_requests: (i64, i64),
}

impl Counted {
    fn of(pod: &Value) -> Counted {
        Counted {
            node: object::str_at(pod, "/spec/nodeName").to_string(),
            requests: pod_requests(pod, false),
            score_requests: pod_requests(pod, true),
        }
    }
}

/// Every node's [`NodeInfo`] (in name order) and what each counted pod added to it.
#[derive(Debug, Clone, Default)]
struct NodeCache {
    infos: Vec<NodeInfo>,
    counted: BTreeMap<String, Counted>,
    /// `nextStartNodeIndex`: where the next pod's search for feasible nodes begins.
    next_start: usize,
}

impl NodeCache {
    fn build(cluster: &Cluster, next_start: usize) -> NodeCache {
        let nodes_rt = cluster.registry.resolve("nodes").expect("built in");
        let pods_rt = cluster.registry.resolve("pods").expect("built in");
        let mut cache = NodeCache {
            infos: cluster
                .list(nodes_rt, None)
                .into_iter()
                .map(NodeInfo::new)
                .collect(),
            counted: BTreeMap::new(),
            next_start,
        };
        for p in cluster.list(pods_rt, None) {
            cache.set_pod(object::uid(p), Some(p));
        }
        cache
    }

    fn position(&self, node: &str) -> Option<usize> {
        self.infos
            .binary_search_by(|i| i.name.as_str().cmp(node))
            .ok()
    }

    fn update_node(&mut self, n: &Value) {
        if let Some(i) = self.position(object::name(n)) {
            self.infos[i].set_node(n);
        }
    }

    /// Counts a pod (its latest state, `None` once deleted) on its node: bound to one of
    /// the cache's nodes and not finished.
    fn set_pod(&mut self, uid: &str, pod: Option<&Value>) {
        if let Some(old) = self.counted.remove(uid) {
            if let Some(i) = self.position(&old.node) {
                self.infos[i].remove(uid);
            }
        }
        let Some(p) = pod else { return };
        let node = object::str_at(p, "/spec/nodeName");
        if node.is_empty() || matches!(object::str_at(p, "/status/phase"), "Succeeded" | "Failed") {
            return;
        }
        let Some(i) = self.position(node) else {
            return;
        };
        let counted = Counted::of(p);
        self.infos[i].add(uid, BoundPod::of(p));
        self.counted.insert(uid.to_string(), counted);
    }
}

/// What the filters and scores read from the pod, computed once per attempt rather than
/// once per node.
struct PodFacts<'a> {
    spec: &'a Value,
    /// Whether a nodeSelector or required node affinity can rule a node out.
    selects_nodes: bool,
    tolerations: Vec<&'a Value>,
    requests: (i64, i64),
    score_requests: (i64, i64),
}

impl<'a> PodFacts<'a> {
    fn of(pod: &'a Value) -> PodFacts<'a> {
        PodFacts {
            spec: pod.get("spec").unwrap_or(&Value::Null),
            selects_nodes: selects_nodes(pod.get("spec").unwrap_or(&Value::Null)),
            tolerations: object::at(pod, "/spec/tolerations")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .collect(),
            requests: pod_requests(pod, false),
            score_requests: pod_requests(pod, true),
        }
    }
}

/// The pod's (milli-cpu, bytes) requests: the larger of the sum over containers and the
/// largest init container. `non_zero` substitutes the scoring defaults for unset ones.
pub fn pod_requests(pod: &Value, non_zero: bool) -> (i64, i64) {
    let sum = |path: &str| -> (i64, i64) {
        let mut total = (0, 0);
        let mut max = (0, 0);
        for c in object::at(pod, path)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let mut cpu = object::at(c, "/resources/requests/cpu")
                .and_then(Value::as_str)
                .and_then(parse_milli);
            let mut mem = object::at(c, "/resources/requests/memory")
                .and_then(Value::as_str)
                .and_then(parse_milli)
                .map(|m| m / 1000);
            if non_zero {
                cpu = cpu.or(Some(DEFAULT_MILLI_CPU));
                mem = mem.or(Some(DEFAULT_MEMORY));
            }
            let (cpu, mem) = (cpu.unwrap_or(0), mem.unwrap_or(0));
            total = (total.0 + cpu, total.1 + mem);
            max = (max.0.max(cpu), max.1.max(mem));
        }
        if path.contains("init") {
            max
        } else {
            total
        }
    };
    let (c, i) = (sum("/spec/containers"), sum("/spec/initContainers"));
    (c.0.max(i.0), c.1.max(i.1))
}

/// A resource.Quantity in thousandths (`100m` → 100, `1` → 1000, `1Ki` → 1 024 000).
pub fn parse_milli(q: &str) -> Option<i64> {
    let q = q.trim();
    let split = q
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == '+'))
        .unwrap_or(q.len());
    let (num, suffix) = q.split_at(split);
    let value: f64 = num.parse().ok()?;
    let mult: f64 = match suffix {
        "" => 1.0,
        "m" => 0.001,
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "Ki" => 1024.0,
        "Mi" => 1024.0 * 1024.0,
        "Gi" => 1024.0 * 1024.0 * 1024.0,
        "Ti" => 1024f64.powi(4),
        s if s.starts_with('e') || s.starts_with('E') => 10f64.powi(s[1..].parse().ok()?),
        _ => return None,
    };
    Some((value * mult * 1000.0).round() as i64)
}

/// Why a node was filtered out, and whether preemption could ever help there
/// (`Unschedulable` rather than `UnschedulableAndUnresolvable`).
struct Rejection {
    reasons: Vec<String>,
    resolvable: bool,
}

/// One scheduling attempt: the pod's facts and the plugins' PreFilter state, shared by
/// every node's Filter.
struct Cycle<'a> {
    pod: &'a Value,
    facts: PodFacts<'a>,
    spread: topologyspread::Filter,
    affinity: interpodaffinity::Filter,
}

impl<'a> Cycle<'a> {
    fn new(pod: &'a Value, infos: &[NodeInfo], namespaces: &NamespaceLabels) -> Cycle<'a> {
        Cycle {
            pod,
            facts: PodFacts::of(pod),
            spread: topologyspread::Filter::new(pod, infos),
            affinity: interpodaffinity::Filter::new(pod, infos, namespaces),
        }
    }
}

use interpodaffinity::NamespaceLabels;

/// Every namespace's labels, for affinity terms with a `namespaceSelector`.
fn namespace_labels(cluster: &Cluster) -> NamespaceLabels {
    let rt = cluster.registry.resolve("namespaces").expect("built in");
    cluster
        .list(rt, None)
        .into_iter()
        .map(|n| (object::name(n).to_string(), labels_of(n)))
        .collect()
}

/// The Filter plugins in the default profile's order; the first that rejects the node
/// gives the reason.
fn filter(cycle: &Cycle, info: &NodeInfo) -> Result<(), Rejection> {
    let pod = &cycle.facts;
    let node = &info.node;
    let hard = |r: &str| {
        Err(Rejection {
            reasons: vec![r.to_string()],
            resolvable: false,
        })
    };
    let tolerations = &pod.tolerations;
    // NodeUnschedulable.
    if info.unschedulable {
        let taint = json!({"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"});
        if !tolerations.iter().any(|t| tolerates(t, &taint)) {
            return hard("node(s) were unschedulable");
        }
    }
    // TaintToleration: the first untolerated NoSchedule/NoExecute taint.
    for taint in &info.taints {
        if !tolerations.iter().any(|t| tolerates(t, taint)) {
            return hard(&format!(
                "node(s) had untolerated taint {{{}: {}}}",
                object::str_at(taint, "/key"),
                object::str_at(taint, "/value")
            ));
        }
    }
    // NodeAffinity (nodeSelector and required node affinity).
    if pod.selects_nodes && !matches_node_selector(pod.spec, node) {
        return hard("node(s) didn't match Pod's node affinity/selector");
    }
    // NodeResourcesFit.
    let (cpu, mem) = pod.requests;
    let mut reasons = vec![];
    if info.pods + 1 > info.alloc_pods {
        reasons.push("Too many pods".to_string());
    }
    if cpu > 0 && info.req_cpu + cpu > info.alloc_cpu {
        reasons.push("Insufficient cpu".to_string());
    }
    if mem > 0 && info.req_mem + mem > info.alloc_mem {
        reasons.push("Insufficient memory".to_string());
    }
    if !reasons.is_empty() {
        return Err(Rejection {
            reasons,
            resolvable: true,
        });
    }
    // PodTopologySpread, then InterPodAffinity: the node's domains against their counts.
    if cycle.spread.is_trivial() && cycle.affinity.is_trivial() {
        return Ok(());
    }
    let labels = &info.labels;
    cycle
        .spread
        .check(labels)
        .and_then(|()| cycle.affinity.check(labels))
        .map_err(|(reason, resolvable)| Rejection {
            reasons: vec![reason.to_string()],
            resolvable,
        })
}

/// `NodeResourcesFit` with the LeastAllocated strategy: the mean free share of cpu and
/// memory after placing the pod, 0–100.
fn least_allocated(pod: &PodFacts, info: &NodeInfo) -> i64 {
    let (cpu, mem) = pod.score_requests;
    let free = |used: i64, alloc: i64| {
        if alloc <= 0 || used > alloc {
            0
        } else {
            (alloc - used) * 100 / alloc
        }
    };
    (free(info.score_cpu + cpu, info.alloc_cpu) + free(info.score_mem + mem, info.alloc_mem)) / 2
}

/// The weighted sum of the Score plugins for each feasible node, and the phrases naming
/// the plugins that set the nodes apart (for the bind message).
fn score(
    cluster: &Cluster,
    cycle: &Cycle,
    fits: &[&NodeInfo],
    infos: &[NodeInfo],
    namespaces: &NamespaceLabels,
) -> (Vec<i64>, Vec<Vec<&'static str>>) {
    let pod = cycle.pod;
    let defaults = if object::at(pod, "/spec/topologySpreadConstraints")
        .and_then(Value::as_array)
        .is_some_and(|c| !c.is_empty())
    {
        vec![]
    } else {
        let (selector, owner) = scoring::default_selector(cluster, pod);
        topologyspread::default_constraints(selector, owner)
    };
    let spread_phrase = if defaults.is_empty() {
        "fewest matching pods in its topology domain"
    } else {
        "fewest pods of the same owner"
    };
    let zeros = vec![0; fits.len()];
    let plugins: [(i64, Vec<i64>, &'static str); 5] = [
        (
            scoring::NODE_RESOURCES_FIT_WEIGHT,
            fits.iter()
                .map(|i| least_allocated(&cycle.facts, i))
                .collect(),
            "least allocated",
        ),
        (
            scoring::POD_TOPOLOGY_SPREAD_WEIGHT,
            topologyspread::scores(pod, defaults, fits, infos).unwrap_or(zeros.clone()),
            spread_phrase,
        ),
        (
            scoring::INTER_POD_AFFINITY_WEIGHT,
            interpodaffinity::scores(pod, fits, infos, namespaces),
            "preferred by inter-pod affinity",
        ),
        (
            scoring::NODE_AFFINITY_WEIGHT,
            scoring::node_affinity(pod, fits),
            "preferred by node affinity",
        ),
        (
            scoring::TAINT_TOLERATION_WEIGHT,
            scoring::taint_toleration(pod, fits),
            "fewest untolerated PreferNoSchedule taints",
        ),
    ];
    let mut totals = zeros;
    let mut phrases = vec![vec![]; fits.len()];
    for (weight, scores, phrase) in &plugins {
        let max = scores.iter().copied().max().unwrap_or(0);
        let varies = scores.iter().any(|s| *s != max);
        for (i, s) in scores.iter().enumerate() {
            totals[i] += weight * s;
            // Least allocated always names itself; the others only when they told the
            // nodes apart and this node came out on top.
            if *phrase == "least allocated" || (varies && *s == max) {
                phrases[i].push(*phrase);
            }
        }
    }
    (totals, phrases)
}

/// Schedules one pod against `infos` (what every node offers and holds), and counts the
/// pod on its node once bound, so a queue of pods is scheduled without re-reading every
/// pod for every one of them.
fn schedule_one(cluster: &mut Cluster, pod: &Value, cache: &mut NodeCache) {
    let uid = object::uid(pod).to_string();
    // Namespace labels matter only to inter-pod affinity terms.
    let affinity_anywhere =
        interpodaffinity::has_affinity(pod) || cache.infos.iter().any(|i| i.with_affinity > 0);
    let namespaces = if affinity_anywhere {
        namespace_labels(cluster)
    } else {
        NamespaceLabels::new()
    };
    let cycle = Cycle::new(pod, &cache.infos, &namespaces);
    let mut fits: Vec<&NodeInfo> = vec![];
    let mut histogram: BTreeMap<String, usize> = BTreeMap::new();
    let mut rejected: Vec<(usize, Rejection)> = vec![];
    let infos = &cache.infos;
    // evaluateNominatedNode: a pod that preempted others tries the node it was promised.
    let nominated = object::str_at(pod, "/status/nominatedNodeName");
    let nominated_fit = cache
        .position(nominated)
        .map(|i| &infos[i])
        .filter(|info| filter(&cycle, info).is_ok());
    // findNodesThatPassFilters: from where the last pod's search stopped, until enough
    // feasible nodes are found (every node in clusters under 100 nodes).
    let want = feasible_nodes_to_find(infos.len());
    let start = cache.next_start % infos.len().max(1);
    let mut processed = 0;
    for offset in 0..infos.len() {
        if fits.len() >= want || nominated_fit.is_some() {
            break;
        }
        let index = (start + offset) % infos.len();
        let info = &infos[index];
        processed += 1;
        // A node that is not Ready is kept off by the not-ready/unreachable taints the node
        // lifecycle controller puts on it, as in the real scheduler.
        match filter(&cycle, info) {
            Ok(()) => fits.push(info),
            Err(rej) => {
                for r in &rej.reasons {
                    *histogram.entry(r.clone()).or_default() += 1;
                }
                rejected.push((index, rej));
            }
        }
    }
    if let Some(info) = nominated_fit {
        fits = vec![info];
    }
    let rt = cluster.registry.resolve("pods").expect("built in").clone();
    let (ns, name) = (
        object::namespace(pod).to_string(),
        object::name(pod).to_string(),
    );
    // VolumeBinding's PreFilter: a claim that does not exist, or an unbound claim whose
    // class binds immediately, rules out every node before any node is looked at.
    let prefilter = volume_prefilter(cluster, pod);
    if prefilter.is_some() {
        fits.clear();
    }
    if fits.is_empty() {
        let total = infos.len();
        // (Anti-affinity waits for a pod to leave, which retries everything anyway.)
        let pod_dependent = [
            interpodaffinity::AFFINITY_RULES_NOT_MATCH,
            topologyspread::CONSTRAINTS_NOT_MATCH,
        ];
        if pod_dependent.iter().any(|r| histogram.contains_key(*r)) {
            cluster.controllers.scheduler.waiting_on_pods = true;
        }
        let mut reasons: Vec<String> = histogram.iter().map(|(r, n)| format!("{n} {r}")).collect();
        reasons.sort_shared();
        // PostFilter: DefaultPreemption, unless PreFilter already ruled every node out.
        let post = match &prefilter {
            Some(_) => preemption::Outcome::Failed(format!(
                "0/{total} nodes are available: {total} Preemption is not helpful for scheduling."
            )),
            None => preemption::preempt(cluster, pod, infos, &rejected, &namespaces),
        };
        let filtered = match &prefilter {
            Some(reason) => reason.clone(),
            None => reasons.join(", "),
        };
        let message = if total == 0 {
            "no nodes available to schedule pods".to_string()
        } else {
            match &post {
                preemption::Outcome::Nominated(_) => {
                    format!("0/{total} nodes are available: {filtered}.")
                }
                preemption::Outcome::Failed(why) => {
                    format!("0/{total} nodes are available: {filtered}. preemption: {why}")
                }
            }
        };
        cluster.emit_event(
            pod,
            "Warning",
            "FailedScheduling",
            &message,
            &EventSource::component("default-scheduler"),
            Component::Scheduler,
        );
        let current = cluster.get(&rt, &ns, &name).ok().cloned();
        let mut status = current
            .as_ref()
            .and_then(|p| p.get("status"))
            .cloned()
            .unwrap_or(json!({}));
        set_condition(
            &mut status,
            json!({"lastProbeTime": null, "lastTransitionTime": rfc3339(cluster.now), "message": message, "reason": "Unschedulable", "status": "False", "type": "PodScheduled"}),
        );
        if let preemption::Outcome::Nominated(node) = &post {
            status["nominatedNodeName"] = json!(node);
        }
        let _ = cluster.write_status(&rt, &ns, &name, status, Component::Scheduler);
        cluster.record(
            Component::Scheduler,
            Component::ApiServer,
            "unschedulable",
            format!("pod/{name}"),
            format!("{name} fits no node: {message}"),
        );
        // Tried again only once its spec changes (or anything else frees room). A pod
        // that is bound is never tried again: only a failed attempt is remembered, so a
        // successful one copies no spec.
        cluster
            .controllers
            .scheduler
            .tried
            .insert(uid.clone(), pod.get("spec").cloned().unwrap_or(Value::Null));
        cluster.wake_after(5 * MINUTE, "scheduler", uid);
        return;
    }
    let (totals, phrases) = if fits.len() > 1 {
        score(cluster, &cycle, &fits, infos, &namespaces)
    } else {
        (vec![0], vec![vec![]])
    };
    let top = totals.iter().copied().max().unwrap_or(0);
    let best: Vec<usize> = (0..fits.len()).filter(|i| totals[*i] == top).collect();
    // selectHost: a random one among the highest scores (the simulation's seeded RNG).
    let pick = if best.len() > 1 {
        best[cluster.rng.below(best.len() as u64) as usize]
    } else {
        best[0]
    };
    let node = fits[pick].name.clone();
    cache.next_start = (start + processed) % cache.infos.len().max(1);
    let why = if fits.len() == 1 {
        "the only one".to_string()
    } else {
        format!("{node} {}", phrases[pick].join(", "))
    };
    let fit_count = fits.len();
    let summary = format!(
        "bound {name} to {node} ({fit_count} node{} fit; {why})",
        if fit_count == 1 { "" } else { "s" }
    );
    cluster.record(
        Component::Scheduler,
        Component::ApiServer,
        "bind",
        format!("pod/{name}"),
        summary,
    );
    let state = &mut cluster.controllers.scheduler;
    state.rerun |= state.waiting_on_pods;
    let mut bound = pod.clone();
    bound["spec"]["nodeName"] = json!(node);
    cluster.write_through_unread(&rt, bound, Component::Scheduler);
    // The cache counts the pod as stored (bound to its node); the status and the Event
    // read the pod as it was before the bind, as the copy written was.
    if let Ok(stored) = cluster.get(&rt, &ns, &name) {
        cache.set_pod(&uid, Some(stored));
    }
    let mut status = pod.get("status").cloned().unwrap_or(json!({}));
    set_condition(
        &mut status,
        json!({"lastProbeTime": null, "lastTransitionTime": rfc3339(cluster.now), "status": "True", "type": "PodScheduled"}),
    );
    let _ = cluster.write_status(&rt, &ns, &name, status, Component::Scheduler);
    cluster.emit_event(
        pod,
        "Normal",
        "Scheduled",
        &format!("Successfully assigned {ns}/{name} to {node}"),
        &EventSource::component("default-scheduler"),
        Component::Scheduler,
    );
}

/// Sets (or replaces) a condition of that type, keeping lastTransitionTime when the
/// status did not change.
/// The VolumeBinding plugin's PreFilter verdict for the pod's PersistentVolumeClaims.
fn volume_prefilter(cluster: &Cluster, pod: &Value) -> Option<String> {
    let pvcs = cluster.registry.resolve("persistentvolumeclaims")?;
    let classes = cluster.registry.resolve("storageclasses")?;
    let ns = object::namespace(pod);
    let claims = object::at(pod, "/spec/volumes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|v| object::at(v, "/persistentVolumeClaim/claimName")?.as_str());
    let mut unbound_immediate = false;
    for claim in claims {
        let Ok(pvc) = cluster.get(pvcs, ns, claim) else {
            return Some(format!("persistentvolumeclaim \"{claim}\" not found"));
        };
        if object::str_at(pvc, "/status/phase") == "Bound" {
            continue;
        }
        let class = object::str_at(pvc, "/spec/storageClassName");
        let waits = cluster
            .get(classes, "", class)
            .is_ok_and(|sc| object::str_at(sc, "/volumeBindingMode") == "WaitForFirstConsumer");
        unbound_immediate |= !waits;
    }
    unbound_immediate.then(|| "pod has unbound immediate PersistentVolumeClaims".to_string())
}

pub fn set_condition(status: &mut Value, cond: Value) {
    if !status.is_object() {
        *status = json!({});
    }
    let conds = status
        .as_object_mut()
        .expect("made an object")
        .entry("conditions")
        .or_insert_with(|| json!([]));
    if !conds.is_array() {
        *conds = json!([]);
    }
    let list = conds.as_array_mut().expect("made an array");
    let t = object::str_at(&cond, "/type").to_string();
    if let Some(existing) = list.iter_mut().find(|c| object::str_at(c, "/type") == t) {
        let mut cond = cond;
        if object::str_at(existing, "/status") == object::str_at(&cond, "/status") {
            cond["lastTransitionTime"] = existing
                .get("lastTransitionTime")
                .cloned()
                .unwrap_or(Value::Null);
        }
        *existing = cond;
    } else {
        list.push(cond);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities() {
        assert_eq!(parse_milli("100m"), Some(100));
        assert_eq!(parse_milli("4"), Some(4000));
        assert_eq!(parse_milli("0.5"), Some(500));
        assert_eq!(parse_milli("1Ki"), Some(1_024_000));
        assert_eq!(parse_milli("x"), None);
    }

    #[test]
    fn tolerations() {
        let taint = json!({"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"});
        assert!(tolerates(&json!({"operator": "Exists"}), &taint));
        assert!(tolerates(
            &json!({"key": "node-role.kubernetes.io/control-plane", "operator": "Exists", "effect": "NoSchedule"}),
            &taint
        ));
        assert!(!tolerates(
            &json!({"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute"}),
            &taint
        ));
        assert!(!tolerates(
            &json!({"key": "node-role.kubernetes.io/control-plane", "operator": "Exists", "effect": "NoExecute"}),
            &taint
        ));
    }
}

/// Builders shared by the plugins' table-driven tests.
#[cfg(test)]
mod testing {
    use super::{BoundPod, NodeInfo};
    use crate::sim::json::json;
    use serde_json::Value;

    /// A 4-CPU worker with the given labels besides its hostname.
    pub(super) fn node(name: &str, labels: &[(&str, &str)]) -> NodeInfo {
        let mut l = json!({"kubernetes.io/hostname": name});
        for (k, v) in labels {
            l[*k] = json!(v);
        }
        NodeInfo::new(&json!({"metadata": {"name": name, "labels": l},
            "status": {"allocatable": {"cpu": "4", "memory": "8Gi", "pods": "110"}}}))
    }

    /// A pod in `default` with labels and any extra spec fields.
    pub(super) fn pod(name: &str, labels: &[(&str, &str)], spec: Value) -> Value {
        let mut l = json!({});
        for (k, v) in labels {
            l[*k] = json!(v);
        }
        let mut spec = spec;
        spec["containers"] = json!([{"name": "c", "image": "nginx"}]);
        json!({"metadata": {"name": name, "namespace": "default", "uid": format!("uid-{name}"), "labels": l},
            "spec": spec})
    }

    /// Binds `pod` to `info`.
    pub(super) fn place(info: &mut NodeInfo, pod: &Value) {
        let mut pod = pod.clone();
        pod["spec"]["nodeName"] = json!(info.name);
        let uid = pod["metadata"]["uid"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        info.add(&uid, BoundPod::of(&pod));
    }
}
