//! Checkers on every step (issue #12), as a seeded deterministic simulator keeps them:
//! properties that must hold of the cluster whatever the user did, checked by tests after
//! each simulation event rather than only at the end of a scenario.
//!
//! Two tiers, because Kubernetes itself is only eventually consistent:
//! - `check_always` holds after every event and every controller round: unique pod IPs,
//!   ClusterIPs and NodePorts, resource versions strictly increasing, StatefulSet pods a
//!   prefix of their ordinals, and no Deployment's ReplicaSets moved out of its rollout
//!   bounds.
//! - `check_settled` holds once the controllers have reacted to everything due now (a
//!   settle ends): every ready endpoint is a ready pod its Service selects, no pod is bound
//!   to a node that does not exist, and, once no garbage collection is pending, no object
//!   outlives all its owners.
//!
//! Each check re-runs only when a resource it reads was written (see [`Dirty`]), and
//! they run only when a test turns them on
//! (`Cluster::check_invariants_every_step`, debug builds or the `invariants` feature):
//! a release build never pays for them.

use super::cluster::Cluster;
use super::controllers::deployment::{max_surge, max_unavailable};
use super::labels::Selector;
use super::object;
use super::store::{GroupResource, ObjectKey, WatchEventType};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// What the checker remembers between checks: how far it has read the watch log, and
/// which resources were written since each check last ran.
#[derive(Debug, Clone, Default)]
pub struct Checker {
    /// The revision checked up to (a watch cursor, like the controllers').
    log_cursor: u64,
    last_revision: u64,
    /// Resources written since the every-instant checks last ran.
    dirty_always: Dirty,
    /// Resources written since the settled checks last ran.
    dirty_settled: Dirty,
    /// Whether anything was written since the orphan check last ran (it waits for
    /// garbage collection, so it can lag the other settled checks).
    orphans_dirty: Dirty,
    /// Each Deployment's pods across its ReplicaSets at the last check, by uid.
    deployment_totals: BTreeMap<String, i64>,
    /// The first violation seen, with when and after what.
    pub violation: Option<String>,
}

/// Which resources were written since a check last ran. Most simulation events (probe
/// ticks, timers, packets) write nothing, and most writes touch one resource: each check
/// re-runs only when a resource it reads changed, so the checker costs in proportion to
/// the writes, not to the cluster's size times the number of events. A check re-run on
/// unchanged input would give the same answer.
#[derive(Debug, Clone)]
struct Dirty {
    /// Everything, as before the first check (or when the watch log was compacted past
    /// the cursor and some writes cannot be seen).
    all: bool,
    resources: BTreeSet<GroupResource>,
}

impl Default for Dirty {
    fn default() -> Self {
        Dirty {
            all: true,
            resources: BTreeSet::new(),
        }
    }
}

impl Dirty {
    fn touches(&self, resources: &[(&str, &str)]) -> bool {
        self.all
            || resources
                .iter()
                .any(|(g, r)| self.resources.contains(&GroupResource::new(g, r)))
    }

    fn any(&self) -> bool {
        self.all || !self.resources.is_empty()
    }

    fn mark(&mut self, resource: &GroupResource) {
        if !self.all && !self.resources.contains(resource) {
            self.resources.insert(resource.clone());
        }
    }

    fn clear(&mut self) {
        self.all = false;
        self.resources.clear();
    }
}

const PODS: (&str, &str) = ("", "pods");
const SERVICES: (&str, &str) = ("", "services");
const NODES: (&str, &str) = ("", "nodes");
const SLICES: (&str, &str) = ("discovery.k8s.io", "endpointslices");
const DEPLOYMENTS: (&str, &str) = ("apps", "deployments");
const REPLICASETS: (&str, &str) = ("apps", "replicasets");

impl Checker {
    /// Runs the checks that hold now and keeps the first violation. `settled` says
    /// whether the controllers have reacted to everything due; `after` names what just
    /// happened (only formatted when something is wrong).
    pub fn observe(&mut self, cluster: &Cluster, settled: bool, after: impl FnOnce() -> String) {
        if self.violation.is_some() {
            return;
        }
        let result = self
            .check_revisions(cluster)
            .and_then(|created| statefulset_ordinals(cluster, &created))
            .and_then(|()| self.check_always(cluster))
            .and_then(|()| {
                if settled {
                    self.check_settled(cluster)
                } else {
                    Ok(())
                }
            });
        if let Err(e) = result {
            self.violation = Some(format!(
                "invariant violated at t={}ms after {} (seed {}): {e}",
                cluster.now(),
                after(),
                cluster.options().seed
            ));
        }
    }

    /// The checks that hold at every instant, each re-run when what it reads changed.
    fn check_always(&mut self, cluster: &Cluster) -> Result<(), String> {
        let dirty = std::mem::take(&mut self.dirty_always);
        self.dirty_always.clear();
        if dirty.touches(&[PODS]) {
            unique_pod_ips(cluster)?;
        }
        if dirty.touches(&[SERVICES]) {
            unique_service_addresses(cluster)?;
        }
        if dirty.touches(&[DEPLOYMENTS, REPLICASETS]) {
            rollout_bounds(cluster, &mut self.deployment_totals)?;
        }
        Ok(())
    }

    /// The checks that hold once the controllers have caught up.
    fn check_settled(&mut self, cluster: &Cluster) -> Result<(), String> {
        let dirty = std::mem::take(&mut self.dirty_settled);
        self.dirty_settled.clear();
        if dirty.touches(&[SLICES, SERVICES, PODS]) {
            ready_endpoints_are_ready_selected_pods(cluster)?;
        }
        if dirty.touches(&[PODS, NODES]) {
            pods_on_existing_nodes(cluster)?;
        }
        if self.orphans_dirty.any() && !cluster.garbage_collection_pending() {
            self.orphans_dirty.clear();
            no_orphans(cluster)?;
        }
        Ok(())
    }

    /// Every write gets a revision above the one before, and an object stored by it
    /// carries that revision as its `resourceVersion`. Returns the pods created since the
    /// last check (namespace, name).
    fn check_revisions(&mut self, cluster: &Cluster) -> Result<Vec<(String, String)>, String> {
        let store = cluster.store();
        if self.log_cursor < store.compacted() {
            // Writes were compacted away unseen: every check runs again.
            for dirty in [
                &mut self.dirty_always,
                &mut self.dirty_settled,
                &mut self.orphans_dirty,
            ] {
                *dirty = Dirty::default();
            }
        }
        let events = store
            .watch_from(self.log_cursor.max(store.compacted()))
            .expect("at or above the compacted revision");
        self.log_cursor = store.revision();
        let mut created = Vec::new();
        for e in events.iter() {
            for dirty in [
                &mut self.dirty_always,
                &mut self.dirty_settled,
                &mut self.orphans_dirty,
            ] {
                dirty.mark(&e.key.resource);
            }
            if e.event_type == WatchEventType::Added
                && e.key.resource == GroupResource::new("", "pods")
            {
                created.push((e.key.namespace.clone(), e.key.name.clone()));
            }
            if e.revision <= self.last_revision {
                return Err(format!(
                    "revision {} of {} written after revision {}",
                    e.revision, e.key.name, self.last_revision
                ));
            }
            self.last_revision = e.revision;
            let stamped = object::str_at(&e.object, "/metadata/resourceVersion");
            if e.event_type != WatchEventType::Deleted && stamped != e.revision.to_string() {
                return Err(format!(
                    "{} {} stored at revision {} carries resourceVersion {stamped:?}",
                    object::kind(&e.object),
                    e.key.name,
                    e.revision
                ));
            }
        }
        Ok(created)
    }
}

fn list<'a>(cluster: &'a Cluster, group: &str, resource: &str) -> Vec<&'a Value> {
    cluster
        .store()
        .list(&GroupResource::new(group, resource), None)
}

fn full_name(obj: &Value) -> String {
    format!(
        "{} {}/{}",
        object::kind(obj),
        object::namespace(obj),
        object::name(obj)
    )
}

fn is_active_pod(p: &Value) -> bool {
    !object::is_deleting(p) && !matches!(object::str_at(p, "/status/phase"), "Succeeded" | "Failed")
}

fn is_ready_pod(p: &Value) -> bool {
    p.pointer("/status/conditions")
        .and_then(Value::as_array)
        .is_some_and(|cs| {
            cs.iter().any(|c| {
                object::str_at(c, "/type") == "Ready" && object::str_at(c, "/status") == "True"
            })
        })
}

/// Two running pods never share an address (hostNetwork pods use their node's).
fn unique_pod_ips(cluster: &Cluster) -> Result<(), String> {
    let mut seen: BTreeMap<&str, &Value> = BTreeMap::new();
    for p in list(cluster, "", "pods") {
        let host_network = p
            .pointer("/spec/hostNetwork")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let ip = object::str_at(p, "/status/podIP");
        if host_network || ip.is_empty() || !is_active_pod(p) {
            continue;
        }
        if let Some(other) = seen.insert(ip, p) {
            return Err(format!(
                "pod IP {ip} held by both {} and {}",
                full_name(other),
                full_name(p)
            ));
        }
    }
    Ok(())
}

/// ClusterIPs and NodePorts are allocated once across every Service.
fn unique_service_addresses(cluster: &Cluster) -> Result<(), String> {
    let mut ips: BTreeMap<String, String> = BTreeMap::new();
    let mut node_ports: BTreeMap<(i64, String), String> = BTreeMap::new();
    for svc in list(cluster, "", "services") {
        let name = full_name(svc);
        let cluster_ips = svc
            .pointer("/spec/clusterIPs")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for ip in cluster_ips.iter().filter_map(Value::as_str) {
            if ip == "None" || ip.is_empty() {
                continue;
            }
            if let Some(other) = ips.insert(ip.to_string(), name.clone()) {
                return Err(format!("ClusterIP {ip} held by both {other} and {name}"));
            }
        }
        for port in svc
            .pointer("/spec/ports")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let Some(node_port) = port.get("nodePort").and_then(Value::as_i64) else {
                continue;
            };
            // A port number is taken per protocol (TCP 30080 and UDP 30080 may coexist).
            let protocol = port
                .get("protocol")
                .and_then(Value::as_str)
                .unwrap_or("TCP")
                .to_string();
            if let Some(other) = node_ports.insert((node_port, protocol), name.clone()) {
                return Err(format!(
                    "NodePort {node_port} held by both {other} and {name}"
                ));
            }
        }
    }
    Ok(())
}

/// An OrderedReady StatefulSet creates pod N only while 0..N-1 all exist (stateful_set
/// control's monotonic creation). Holes made afterwards — an eviction, a `kubectl delete
/// pod` — are legal until the controller fills them, so the rule is checked on creation.
fn statefulset_ordinals(cluster: &Cluster, created: &[(String, String)]) -> Result<(), String> {
    let pods = GroupResource::new("", "pods");
    let key = |resource: &GroupResource, namespace: &str, name: &str| ObjectKey {
        resource: resource.clone(),
        namespace: namespace.to_string(),
        name: name.to_string(),
    };
    for (namespace, name) in created {
        let Some(pod) = cluster.store().get(&key(&pods, namespace, name)) else {
            continue;
        };
        let Some(owner) = object::controller_of(pod).filter(|o| o.kind == "StatefulSet") else {
            continue;
        };
        let statefulsets = GroupResource::new("apps", "statefulsets");
        let Some(sts) = cluster
            .store()
            .get(&key(&statefulsets, namespace, &owner.name))
        else {
            continue;
        };
        if object::str_at(sts, "/spec/podManagementPolicy") == "Parallel" {
            continue;
        }
        let start = sts
            .pointer("/spec/ordinals/start")
            .and_then(Value::as_u64)
            .unwrap_or(0);
        let Some(ordinal) = name.rsplit('-').next().and_then(|n| n.parse::<u64>().ok()) else {
            continue;
        };
        let ordinals: BTreeSet<u64> = cluster
            .store()
            .owned_by(object::uid(sts), Some(&pods))
            .iter()
            .filter_map(|p| object::name(p).rsplit('-').next()?.parse().ok())
            .collect();
        if let Some(missing) = (start..ordinal).find(|o| !ordinals.contains(o)) {
            return Err(format!(
                "{} created {name} while ordinal {missing} is missing below {ordinal}",
                full_name(sts),
            ));
        }
    }
    Ok(())
}

/// A rolling update never moves a Deployment's ReplicaSets out of
/// `replicas - maxUnavailable ..= replicas + maxSurge` (rolling.go's arithmetic), once the
/// controller has seen the Deployment's latest spec.
///
/// Only a move *out of* the bounds is a violation, not being outside them: the real
/// controller never scales a ReplicaSet down to honour a bound that shrank under it.
/// `NewRSNewReplicas` returns the new ReplicaSet's size unchanged when the total is at or
/// above `replicas + maxSurge` ("Cannot scale up"), and old ReplicaSets shrink only as
/// new pods become available. So lowering maxSurge mid-rollout (4 replicas, maxSurge 2 →
/// 1, a stalled new ReplicaSet at 2: 6 pods) leaves the surplus until the rollout moves
/// on, on a real cluster as here. `previous` holds each Deployment's total (by uid) at
/// the last check.
fn rollout_bounds(cluster: &Cluster, previous: &mut BTreeMap<String, i64>) -> Result<(), String> {
    let mut seen = BTreeMap::new();
    for d in list(cluster, "apps", "deployments") {
        let desired: i64 = cluster
            .store()
            .owned_by(
                object::uid(d),
                Some(&GroupResource::new("apps", "replicasets")),
            )
            .iter()
            .filter(|rs| !object::is_deleting(rs))
            .filter_map(|rs| rs.pointer("/spec/replicas").and_then(Value::as_i64))
            .sum();
        // A Deployment not seen before starts from no pods.
        let before = previous.get(object::uid(d)).copied().unwrap_or(0);
        seen.insert(object::uid(d).to_string(), desired);
        let generation = d.pointer("/metadata/generation").and_then(Value::as_i64);
        let observed = d
            .pointer("/status/observedGeneration")
            .and_then(Value::as_i64);
        let paused = d
            .pointer("/spec/paused")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let rolling = object::str_at(d, "/spec/strategy/type") != "Recreate";
        if generation != observed || paused || !rolling || object::is_deleting(d) {
            continue;
        }
        let replicas = d
            .pointer("/spec/replicas")
            .and_then(Value::as_i64)
            .unwrap_or(1);
        let (low, high) = (replicas - max_unavailable(d), replicas + max_surge(d));
        let grew_past = desired > high && desired > before;
        let shrank_past = desired < low && desired < before;
        if grew_past || shrank_past {
            *previous = seen;
            return Err(format!(
                "{} went from {before} to {desired} pods across its ReplicaSets, outside \
                 {low}..={high} (replicas {replicas}, maxUnavailable {}, maxSurge {})",
                full_name(d),
                max_unavailable(d),
                max_surge(d)
            ));
        }
    }
    *previous = seen;
    Ok(())
}

/// kube-proxy and CoreDNS send traffic to ready endpoints only; each must be a pod that
/// exists, is Ready, and carries the labels its Service selects.
fn ready_endpoints_are_ready_selected_pods(cluster: &Cluster) -> Result<(), String> {
    let services: BTreeMap<(&str, &str), &Value> = list(cluster, "", "services")
        .into_iter()
        .map(|s| ((object::namespace(s), object::name(s)), s))
        .collect();
    for slice in list(cluster, "discovery.k8s.io", "endpointslices") {
        let managed = object::str_at(
            slice,
            "/metadata/labels/endpointslice.kubernetes.io~1managed-by",
        ) == "endpointslice-controller.k8s.io";
        if !managed {
            continue;
        }
        let ns = object::namespace(slice);
        let svc_name = object::str_at(slice, "/metadata/labels/kubernetes.io~1service-name");
        let Some(svc) = services.get(&(ns, svc_name)) else {
            return Err(format!(
                "{} outlived its Service {ns}/{svc_name}",
                full_name(slice)
            ));
        };
        let selector = svc.pointer("/spec/selector").map(Selector::from_map);
        for endpoint in slice
            .get("endpoints")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let ready = endpoint
                .pointer("/conditions/ready")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            if !ready || object::str_at(endpoint, "/targetRef/kind") != "Pod" {
                continue;
            }
            let pod_name = object::str_at(endpoint, "/targetRef/name");
            let pod = cluster
                .store()
                .list(&GroupResource::new("", "pods"), Some(ns));
            let Some(pod) = pod.iter().find(|p| object::name(p) == pod_name) else {
                return Err(format!(
                    "{} lists missing pod {pod_name} as ready",
                    full_name(slice)
                ));
            };
            if !is_ready_pod(pod) || object::is_deleting(pod) {
                return Err(format!(
                    "{} lists pod {pod_name} as ready, but it is not",
                    full_name(slice)
                ));
            }
            if !selector.as_ref().is_some_and(|s| s.matches_object(pod)) {
                return Err(format!(
                    "{} lists pod {pod_name}, which {} does not select",
                    full_name(slice),
                    full_name(svc)
                ));
            }
        }
    }
    Ok(())
}

/// The scheduler binds only to nodes that exist; when a node is deleted, its pods go
/// with it (pod GC), leaving none bound to it that is not already being deleted.
fn pods_on_existing_nodes(cluster: &Cluster) -> Result<(), String> {
    let nodes: BTreeSet<&str> = list(cluster, "", "nodes")
        .into_iter()
        .map(object::name)
        .collect();
    for p in list(cluster, "", "pods") {
        let node = object::str_at(p, "/spec/nodeName");
        if !node.is_empty() && !nodes.contains(node) && !object::is_deleting(p) {
            return Err(format!("{} is bound to missing node {node}", full_name(p)));
        }
    }
    Ok(())
}

/// The garbage collector deletes an object once every owner it names is gone.
fn no_orphans(cluster: &Cluster) -> Result<(), String> {
    let uids: BTreeSet<&str> = cluster.store().objects().map(object::uid).collect();
    for obj in cluster.store().objects() {
        let refs = object::owner_refs(obj);
        if refs.is_empty() || object::is_deleting(obj) {
            continue;
        }
        if refs.iter().all(|r| !uids.contains(r.uid.as_str())) {
            let owners: Vec<String> = refs
                .iter()
                .map(|r| format!("{} {}", r.kind, r.name))
                .collect();
            return Err(format!(
                "{} outlived its owners ({})",
                full_name(obj),
                owners.join(", ")
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    //! Each invariant, deliberately broken the way a buggy controller would break it
    //! (a raw write past every controller), must be reported; the unbroken cluster must not.
    use super::*;
    use crate::console::Console;
    use crate::sim::json::json;
    use crate::sim::messages::Component;
    use crate::sim::store::ObjectKey;

    const SETUP: &str = "kubectl create deployment web --image=nginx:1.27 --replicas=3
kubectl expose deployment web --port=80 --type=NodePort
kubectl create deployment api --image=nginx:1.27 --replicas=1
kubectl expose deployment api --port=80 --type=NodePort
kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  replicas: 3
  selector:
    matchLabels:
      app: db
  template:
    metadata:
      labels:
        app: db
    spec:
      containers:
      - name: c
        image: redis:7
EOF
sleep 2m";

    fn get(cluster: &Cluster, group: &str, resource: &str, prefix: &str) -> Value {
        list(cluster, group, resource)
            .into_iter()
            .find(|o| object::name(o).starts_with(prefix))
            .cloned()
            .unwrap_or_else(|| panic!("a {resource} named {prefix}…"))
    }

    /// A raw write, as a buggy component would make it.
    fn put(cluster: &mut Cluster, resource: &str, obj: Value) {
        let rt = cluster
            .registry
            .resolve(resource)
            .expect("built in")
            .clone();
        cluster.write_through_unread(&rt, obj, Component::ApiServer);
    }

    fn remove(cluster: &mut Cluster, group: &str, resource: &str, obj: &Value) {
        let key = ObjectKey {
            resource: GroupResource::new(group, resource),
            namespace: object::namespace(obj).to_string(),
            name: object::name(obj).to_string(),
        };
        cluster
            .store
            .apply(WatchEventType::Deleted, key, obj.clone());
    }

    fn pods_of(cluster: &Cluster, app: &str) -> Vec<Value> {
        list(cluster, "", "pods")
            .into_iter()
            .filter(|p| object::str_at(p, "/metadata/labels/app") == app)
            .cloned()
            .collect()
    }

    type Breakage = fn(&mut Cluster);

    fn duplicate_pod_ip(c: &mut Cluster) {
        let pods = pods_of(c, "web");
        let mut b = pods[1].clone();
        b["status"]["podIP"] = pods[0]["status"]["podIP"].clone();
        put(c, "pods", b);
    }

    fn duplicate_cluster_ip(c: &mut Cluster) {
        let web = get(c, "", "services", "web");
        let mut api = get(c, "", "services", "api");
        api["spec"]["clusterIPs"] = web["spec"]["clusterIPs"].clone();
        put(c, "services", api);
    }

    fn duplicate_node_port(c: &mut Cluster) {
        let web = get(c, "", "services", "web");
        let mut api = get(c, "", "services", "api");
        api["spec"]["ports"][0]["nodePort"] = web["spec"]["ports"][0]["nodePort"].clone();
        put(c, "services", api);
    }

    fn endpoint_not_ready(c: &mut Cluster) {
        let mut pod = pods_of(c, "web")[0].clone();
        for cond in pod["status"]["conditions"]
            .as_array_mut()
            .expect("conditions")
        {
            if cond["type"] == "Ready" {
                cond["status"] = json!("False");
            }
        }
        put(c, "pods", pod);
    }

    fn endpoint_not_selected(c: &mut Cluster) {
        let mut pod = pods_of(c, "web")[0].clone();
        pod["metadata"]["labels"]["app"] = json!("elsewhere");
        put(c, "pods", pod);
    }

    fn statefulset_gap(c: &mut Cluster) {
        // A pod created above a missing ordinal (a deletion alone is legal: the
        // controller fills the hole).
        let mut pod = get(c, "", "pods", "db-2");
        pod["metadata"]["name"] = json!("db-5");
        for field in ["uid", "resourceVersion", "creationTimestamp"] {
            pod["metadata"]
                .as_object_mut()
                .expect("metadata")
                .remove(field);
        }
        pod.as_object_mut().expect("a pod").remove("status");
        let rt = c.registry.resolve("pods").expect("built in").clone();
        let opts = crate::sim::apiserver::WriteOptions {
            actor: Component::ControllerManager("statefulset-controller".into()),
            ..Default::default()
        };
        c.create(&rt, pod, "default", &opts).expect("created");
    }

    fn rollout_over_surge(c: &mut Cluster) {
        let mut rs = get(c, "apps", "replicasets", "web-");
        rs["spec"]["replicas"] = json!(9);
        put(c, "replicasets", rs);
    }

    fn rollout_under_unavailable(c: &mut Cluster) {
        let mut rs = get(c, "apps", "replicasets", "web-");
        rs["spec"]["replicas"] = json!(1);
        put(c, "replicasets", rs);
    }

    fn pod_on_missing_node(c: &mut Cluster) {
        let mut pod = pods_of(c, "api")[0].clone();
        pod["spec"]["nodeName"] = json!("worker-99");
        put(c, "pods", pod);
    }

    fn orphan(c: &mut Cluster) {
        let deployment = get(c, "apps", "deployments", "api");
        remove(c, "apps", "deployments", &deployment);
    }

    fn stale_resource_version(c: &mut Cluster) {
        let mut cm = get(c, "", "configmaps", "kube-root-ca.crt");
        cm["metadata"]["resourceVersion"] = json!("1");
        let key = ObjectKey {
            resource: GroupResource::new("", "configmaps"),
            namespace: object::namespace(&cm).to_string(),
            name: "kube-root-ca.crt".into(),
        };
        c.store.apply(WatchEventType::Modified, key, cm);
    }

    #[test]
    fn every_invariant_fails_when_deliberately_broken() {
        let cases: &[(&str, Breakage, &str)] = &[
            ("duplicate pod IP", duplicate_pod_ip, "pod IP"),
            ("duplicate ClusterIP", duplicate_cluster_ip, "ClusterIP"),
            ("duplicate NodePort", duplicate_node_port, "NodePort"),
            (
                "ready endpoint, unready pod",
                endpoint_not_ready,
                "as ready, but it is not",
            ),
            (
                "endpoint the Service does not select",
                endpoint_not_selected,
                "does not select",
            ),
            (
                "StatefulSet ordinal gap",
                statefulset_gap,
                "created db-5 while ordinal 3 is missing below 5",
            ),
            (
                "ReplicaSets above maxSurge",
                rollout_over_surge,
                "outside 3..=4",
            ),
            (
                "ReplicaSets below maxUnavailable",
                rollout_under_unavailable,
                "outside 3..=4",
            ),
            (
                "pod on a missing node",
                pod_on_missing_node,
                "missing node worker-99",
            ),
            (
                "dependent of a deleted owner",
                orphan,
                "outlived its owners",
            ),
            (
                "resourceVersion not the write's revision",
                stale_resource_version,
                "carries resourceVersion",
            ),
        ];
        for (name, breakage, expected) in cases {
            let mut console = Console::new(7);
            console.execute(SETUP);
            let cluster = console.cluster_mut();
            let mut checker = Checker::default();
            checker.observe(cluster, true, || "setup".into());
            assert_eq!(checker.violation, None, "the unbroken cluster passes");
            breakage(cluster);
            checker.observe(cluster, true, || name.to_string());
            let violation = checker.violation.unwrap_or_default();
            assert!(
                violation.contains(expected),
                "{name}: expected a violation containing {expected:?}, got {violation:?}"
            );
        }
    }
}
