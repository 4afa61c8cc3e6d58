//! What the cluster view draws, read from the simulated cluster: nodes with their pods,
//! Services with their endpoints, and for each pod its status the way `kubectl get pods`
//! shows it and the chain of owners that made it. The view never reads the store
//! itself; it draws a [`Scene`].
//!
//! Pure (no web crates), so native tests check it against real clusters.

use crate::console::printers::pod::summarize;
use crate::sim::object::{at, controller_of, name, namespace, str_at, uid};
use crate::sim::sort::SharedSort;
use crate::sim::store::{GroupResource, ObjectKey};
use crate::sim::time::Millis;
use crate::sim::Cluster;
use serde_json::Value;

/// How a pod looks: one per distinct colour and icon of the drawing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PodLook {
    /// Not yet on a node, or waiting (Pending, SchedulingGated).
    Pending,
    /// On a node, pulling images or starting containers (ContainerCreating, Init:0/1).
    Creating,
    /// Running and ready.
    Running,
    /// Running but not every container is ready.
    NotReady,
    /// Being deleted.
    Terminating,
    /// Failing and backing off (CrashLoopBackOff, ImagePullBackOff, ErrImagePull, Error).
    Failing,
    /// Finished successfully (Completed).
    Succeeded,
}

impl PodLook {
    /// The CSS class suffix for the look.
    pub fn class(&self) -> &'static str {
        match self {
            PodLook::Pending => "pending",
            PodLook::Creating => "creating",
            PodLook::Running => "running",
            PodLook::NotReady => "notready",
            PodLook::Terminating => "terminating",
            PodLook::Failing => "failing",
            PodLook::Succeeded => "succeeded",
        }
    }

    /// A one-character icon, so status is never shown by colour alone.
    pub fn icon(&self) -> &'static str {
        match self {
            PodLook::Pending => "…",
            PodLook::Creating => "◐",
            PodLook::Running => "✓",
            PodLook::NotReady => "○",
            PodLook::Terminating => "×",
            PodLook::Failing => "!",
            PodLook::Succeeded => "■",
        }
    }
}

/// A workload object that owns pods (directly or through a ReplicaSet).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Owner {
    /// `Deployment`, `ReplicaSet`, `StatefulSet`, `DaemonSet`, `Job`, `CronJob`, …
    pub kind: String,
    pub name: String,
}

impl Owner {
    /// `deploy/web`, as kubectl abbreviates it.
    pub fn short(&self) -> String {
        let kind = match self.kind.as_str() {
            "Deployment" => "deploy",
            "ReplicaSet" => "rs",
            "StatefulSet" => "sts",
            "DaemonSet" => "ds",
            "Job" => "job",
            "CronJob" => "cj",
            "ReplicationController" => "rc",
            other => other,
        };
        format!("{kind}/{}", self.name)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PodView {
    pub uid: String,
    pub namespace: String,
    pub name: String,
    /// `""` until scheduled.
    pub node: String,
    /// `1/1`
    pub ready: String,
    /// The STATUS column of `kubectl get pods`.
    pub status: String,
    pub look: PodLook,
    pub ip: String,
    /// The first container's image.
    pub image: String,
    /// The owner chain, nearest first: ReplicaSet, then Deployment.
    pub owners: Vec<Owner>,
    /// PersistentVolumeClaims the pod mounts.
    pub claims: Vec<String>,
    pub restarts: u64,
}

impl PodView {
    /// The outermost owner (the Deployment rather than its ReplicaSet), if any.
    pub fn workload(&self) -> Option<&Owner> {
        self.owners.last()
    }

    /// What groups pods on a crowded node: the nearest owner (so a rolling update's two
    /// ReplicaSets stay apart), or the pod itself.
    pub fn group(&self) -> String {
        match self.owners.first() {
            Some(owner) => owner.short(),
            None => format!("pod/{}", self.name),
        }
    }

    /// A readable one-line description (for text alternatives and tooltips).
    pub fn describe(&self) -> String {
        let mut text = format!("Pod {} {} {}", self.name, self.ready, self.status);
        if let Some(owner) = self.workload() {
            text.push_str(&format!(", owned by {}", owner.short()));
        }
        if !self.node.is_empty() {
            text.push_str(&format!(", on {}", self.node));
        }
        text
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct NodeView {
    pub name: String,
    pub internal_ip: String,
    pub pod_cidr: String,
    /// `Ready`, `NotReady` or `Unknown`, plus `,SchedulingDisabled` when cordoned.
    pub status: String,
    pub ready: bool,
    pub control_plane: bool,
    /// Workload pods bound to the node (kube-system pods are counted, not drawn: their
    /// components are drawn as the control plane and the node agents).
    pub pods: Vec<PodView>,
    pub system_pods: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ServiceView {
    pub namespace: String,
    pub name: String,
    pub kind: String,
    pub cluster_ip: String,
    /// `80/TCP` or `80:30007/TCP`, as kubectl prints PORT(S).
    pub ports: String,
    /// Ready endpoint addresses.
    pub endpoints: usize,
    /// The cloud load balancer's address (`status.loadBalancer.ingress[0].ip`), if any.
    pub external_ip: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Scene {
    pub now: Millis,
    /// etcd's revision.
    pub revision: u64,
    pub nodes: Vec<NodeView>,
    /// Pods not (yet) bound to any node.
    pub unscheduled: Vec<PodView>,
    pub services: Vec<ServiceView>,
    /// Control-plane components stopped with `sim … down` (kube-apiserver, etcd, …).
    pub stopped: Vec<&'static str>,
}

/// The names of the control-plane components that are down, as the view labels them.
fn stopped_parts(cluster: &Cluster) -> Vec<&'static str> {
    use crate::sim::controllers::faults::Part;
    [
        Part::ApiServer,
        Part::Etcd,
        Part::Scheduler,
        Part::ControllerManager,
    ]
    .into_iter()
    .filter(|p| cluster.is_down(*p))
    .map(Part::name)
    .collect()
}

impl Scene {
    pub fn read(cluster: &Cluster) -> Scene {
        let store = cluster.store();
        let mut nodes: Vec<NodeView> = store
            .list(&GroupResource::new("", "nodes"), None)
            .into_iter()
            .map(node_view)
            .collect();
        // control-plane first, then workers in natural order (worker-2 before worker-10).
        nodes.sort_shared_by_key(|n| (!n.control_plane, natural_key(&n.name)));
        let mut unscheduled = Vec::new();
        for pod in store.list(&GroupResource::new("", "pods"), None) {
            let node_name = str_at(pod, "/spec/nodeName");
            let node = nodes.iter_mut().find(|n| n.name == node_name);
            match node {
                Some(node) if is_system(pod) => node.system_pods += 1,
                Some(node) => node.pods.push(pod_view(cluster, pod)),
                None if is_system(pod) => {}
                None => unscheduled.push(pod_view(cluster, pod)),
            }
        }
        // metrics-server's Service only backs the Metrics API (the apiserver's
        // aggregator calls it; no packet of the data plane goes there): not drawn.
        let services = store
            .list(&GroupResource::new("", "services"), None)
            .into_iter()
            .filter(|s| {
                !(namespace(s) == crate::sim::metrics::install::NAMESPACE
                    && crate::sim::object::name(s) == crate::sim::metrics::install::NAME)
            })
            .map(|s| service_view(cluster, s))
            .collect();
        Scene {
            now: cluster.now(),
            revision: store.revision(),
            nodes,
            unscheduled,
            services,
            stopped: stopped_parts(cluster),
        }
    }

    pub fn pod_count(&self) -> usize {
        self.unscheduled.len() + self.nodes.iter().map(|n| n.pods.len()).sum::<usize>()
    }

    /// Every pod by `namespace/name`, with the node it is drawn on.
    pub fn pod(&self, namespace: &str, name: &str) -> Option<&PodView> {
        self.pods()
            .find(|p| p.namespace == namespace && p.name == name)
    }

    pub fn pods(&self) -> impl Iterator<Item = &PodView> {
        self.nodes
            .iter()
            .flat_map(|n| n.pods.iter())
            .chain(&self.unscheduled)
    }
}

/// Pods grouped by nearest owner, in first-seen order: (group, pods). A crowded node
/// draws one row per group.
pub fn groups(pods: &[PodView]) -> Vec<(String, Vec<&PodView>)> {
    let mut order: Vec<String> = Vec::new();
    let mut by: std::collections::BTreeMap<String, Vec<&PodView>> = Default::default();
    for pod in pods {
        let key = pod.group();
        if !by.contains_key(&key) {
            order.push(key.clone());
        }
        by.entry(key).or_default().push(pod);
    }
    order
        .into_iter()
        .map(|k| {
            let pods = by.remove(&k).unwrap_or_default();
            (k, pods)
        })
        .collect()
}

/// A sort key that orders the digits in a name by value: `worker-2` < `worker-10`.
fn natural_key(name: &str) -> Vec<(String, u64)> {
    let mut key = Vec::new();
    let mut text = String::new();
    let mut chars = name.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            let mut number = c.to_digit(10).unwrap_or(0) as u64;
            while let Some(d) = chars.peek().and_then(|d| d.to_digit(10)) {
                number = number.saturating_mul(10).saturating_add(d as u64);
                chars.next();
            }
            key.push((std::mem::take(&mut text), number));
        } else {
            text.push(c);
        }
    }
    key.push((text, 0));
    key
}

fn node_view(node: &Value) -> NodeView {
    let conditions = at(node, "/status/conditions")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let ready_status = conditions
        .iter()
        .find(|c| str_at(c, "/type") == "Ready")
        .map(|c| str_at(c, "/status").to_string())
        .unwrap_or_default();
    let mut status = match ready_status.as_str() {
        "True" => "Ready",
        "False" => "NotReady",
        _ => "Unknown",
    }
    .to_string();
    if at(node, "/spec/unschedulable") == Some(&Value::Bool(true)) {
        status.push_str(",SchedulingDisabled");
    }
    let internal_ip = at(node, "/status/addresses")
        .and_then(Value::as_array)
        .and_then(|a| a.iter().find(|x| str_at(x, "/type") == "InternalIP"))
        .map(|x| str_at(x, "/address").to_string())
        .unwrap_or_default();
    NodeView {
        name: name(node).to_string(),
        internal_ip,
        pod_cidr: str_at(node, "/spec/podCIDR").to_string(),
        ready: ready_status == "True",
        status,
        control_plane: node
            .pointer("/metadata/labels/node-role.kubernetes.io~1control-plane")
            .is_some(),
        pods: Vec::new(),
        system_pods: 0,
    }
}

/// A pod's look, from the STATUS text kubectl would print and its readiness.
pub fn look_of(status: &str, ready: usize, total: usize) -> PodLook {
    match status {
        "Terminating" | "Unknown" => PodLook::Terminating,
        "Running" if ready == total => PodLook::Running,
        "Running" => PodLook::NotReady,
        "Completed" | "Succeeded" => PodLook::Succeeded,
        "Pending" | "SchedulingGated" => PodLook::Pending,
        "ContainerCreating" | "PodInitializing" => PodLook::Creating,
        s if s.starts_with("Init:") && !s.contains("Error") && !s.contains("BackOff") => {
            PodLook::Creating
        }
        _ => PodLook::Failing,
    }
}

fn pod_view(cluster: &Cluster, pod: &Value) -> PodView {
    let summary = summarize(pod);
    let restarts = at(pod, "/status/containerStatuses")
        .and_then(Value::as_array)
        .map(|statuses| {
            statuses
                .iter()
                .filter_map(|s| s.get("restartCount").and_then(Value::as_u64))
                .sum()
        })
        .unwrap_or(0);
    let claims = at(pod, "/spec/volumes")
        .and_then(Value::as_array)
        .map(|volumes| {
            volumes
                .iter()
                .filter_map(|v| at(v, "/persistentVolumeClaim/claimName"))
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    PodView {
        uid: uid(pod).to_string(),
        namespace: namespace(pod).to_string(),
        name: name(pod).to_string(),
        node: str_at(pod, "/spec/nodeName").to_string(),
        ready: format!("{}/{}", summary.ready, summary.total),
        look: look_of(&summary.reason, summary.ready, summary.total),
        status: summary.reason,
        ip: str_at(pod, "/status/podIP").to_string(),
        image: str_at(pod, "/spec/containers/0/image").to_string(),
        owners: owner_chain(cluster, pod),
        claims,
        restarts,
    }
}

/// The controllers above `object`, nearest first, following controller references
/// through the store (pod → ReplicaSet → Deployment; pod → Job → CronJob).
pub fn owner_chain(cluster: &Cluster, object: &Value) -> Vec<Owner> {
    let mut chain = Vec::new();
    let ns = namespace(object).to_string();
    let mut current = object;
    // Owner chains are short; the bound guards against a reference cycle.
    for _ in 0..4 {
        let Some(owner) = controller_of(current) else {
            break;
        };
        chain.push(Owner {
            kind: owner.kind.clone(),
            name: owner.name.clone(),
        });
        let Some(resource) = resource_of_kind(&owner.kind) else {
            break;
        };
        let key = ObjectKey {
            resource,
            namespace: ns.clone(),
            name: owner.name.clone(),
        };
        match cluster.store().get(&key) {
            Some(next) => current = next,
            None => break,
        }
    }
    chain
}

/// Where the kinds the page draws are stored.
pub fn resource_of_kind(kind: &str) -> Option<GroupResource> {
    let (group, plural) = match kind {
        "Pod" => ("", "pods"),
        "Node" => ("", "nodes"),
        "Service" => ("", "services"),
        "ReplicaSet" => ("apps", "replicasets"),
        "Deployment" => ("apps", "deployments"),
        "StatefulSet" => ("apps", "statefulsets"),
        "DaemonSet" => ("apps", "daemonsets"),
        "Job" => ("batch", "jobs"),
        "CronJob" => ("batch", "cronjobs"),
        "ReplicationController" => ("", "replicationcontrollers"),
        _ => return None,
    };
    Some(GroupResource::new(group, plural))
}

/// The cluster's own add-ons: kube-system's pods and the default cluster's ingress-nginx
/// and Envoy Gateway controllers are counted on their node's card, not drawn as workload.
/// (A Gateway's Envoy proxy, made when a learner creates a Gateway, is drawn.)
fn is_system(pod: &Value) -> bool {
    match namespace(pod) {
        "kube-system" | "ingress-nginx" => true,
        "envoy-gateway-system" => {
            crate::sim::object::str_at(pod, "/metadata/labels/control-plane") == "envoy-gateway"
        }
        _ => false,
    }
}

fn service_view(cluster: &Cluster, service: &Value) -> ServiceView {
    let ports = service
        .pointer("/spec/ports")
        .and_then(Value::as_array)
        .map(|ports| {
            ports
                .iter()
                .map(|p| {
                    let port = p.get("port").and_then(Value::as_u64).unwrap_or(0);
                    let protocol = p.get("protocol").and_then(Value::as_str).unwrap_or("TCP");
                    match p.get("nodePort").and_then(Value::as_u64) {
                        Some(node_port) => format!("{port}:{node_port}/{protocol}"),
                        None => format!("{port}/{protocol}"),
                    }
                })
                .collect::<Vec<_>>()
                .join(",")
        })
        .unwrap_or_default();
    let key = ObjectKey {
        resource: GroupResource::new("", "endpoints"),
        namespace: namespace(service).to_string(),
        name: name(service).to_string(),
    };
    let endpoints = cluster
        .store()
        .get(&key)
        .and_then(|e| e.get("subsets"))
        .and_then(Value::as_array)
        .map(|subsets| {
            subsets
                .iter()
                .filter_map(|s| s.get("addresses").and_then(Value::as_array))
                .map(Vec::len)
                .sum()
        })
        .unwrap_or(0);
    ServiceView {
        namespace: namespace(service).to_string(),
        name: name(service).to_string(),
        kind: str_at(service, "/spec/type").to_string(),
        cluster_ip: str_at(service, "/spec/clusterIP").to_string(),
        ports,
        endpoints,
        external_ip: str_at(service, "/status/loadBalancer/ingress/0/ip").to_string(),
    }
}

/// The Events about one object (by uid), oldest first, as `describe` lists them:
/// (type, reason, source component, message, count, last seen).
pub fn events_for(cluster: &Cluster, object_uid: &str) -> Vec<EventView> {
    let mut events: Vec<EventView> = cluster
        .store()
        .list(&GroupResource::new("", "events"), None)
        .into_iter()
        .filter(|e| str_at(e, "/involvedObject/uid") == object_uid)
        .map(|e| EventView {
            kind: str_at(e, "/type").to_string(),
            reason: str_at(e, "/reason").to_string(),
            from: str_at(e, "/source/component").to_string(),
            message: str_at(e, "/message").to_string(),
            count: e.get("count").and_then(Value::as_u64).unwrap_or(1),
            last: str_at(e, "/lastTimestamp").to_string(),
        })
        .collect();
    events.sort_shared_by(|a, b| a.last.cmp(&b.last));
    events
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventView {
    pub kind: String,
    pub reason: String,
    pub from: String,
    pub message: String,
    pub count: u64,
    pub last: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::Console;

    fn console(script: &str) -> Console {
        let mut console = Console::new(1);
        for line in script.lines() {
            console.execute(line);
        }
        console
    }

    #[test]
    fn the_default_cluster_has_four_nodes_and_no_workload_pods() {
        let scene = Scene::read(Console::new(1).cluster());
        let nodes: Vec<_> = scene
            .nodes
            .iter()
            .map(|n| {
                (
                    n.name.as_str(),
                    n.internal_ip.as_str(),
                    n.status.as_str(),
                    n.control_plane,
                )
            })
            .collect();
        assert_eq!(
            nodes,
            [
                ("control-plane", "172.18.0.2", "Ready", true),
                ("worker-1", "172.18.0.3", "Ready", false),
                ("worker-2", "172.18.0.4", "Ready", false),
                ("worker-3", "172.18.0.5", "Ready", false),
            ]
        );
        assert_eq!(scene.pod_count(), 0);
        assert!(scene.nodes.iter().all(|n| n.system_pods > 0));
        let services: Vec<_> = scene
            .services
            .iter()
            .map(|s| (s.name.as_str(), s.cluster_ip.as_str()))
            .collect();
        assert_eq!(
            services,
            [
                ("kubernetes", "10.96.0.1"),
                ("ingress-nginx-controller", "10.96.0.80"),
                ("kube-dns", "10.96.0.10")
            ]
        );
    }

    #[test]
    fn pods_follow_their_lifecycle_and_know_their_owners() {
        let mut c = console("kubectl create deployment web --image=nginx:1.27 --replicas=3");
        let scene = Scene::read(c.cluster());
        assert_eq!(scene.pod_count(), 3);
        // Bound at once, then pulling.
        assert!(
            scene
                .pods()
                .all(|p| p.look == PodLook::Creating && !p.node.is_empty()),
            "{:?}",
            scene.pods().map(|p| &p.status).collect::<Vec<_>>()
        );
        let pod = scene.pods().next().unwrap();
        let owners: Vec<String> = pod.owners.iter().map(Owner::short).collect();
        assert_eq!(owners.len(), 2);
        assert!(owners[0].starts_with("rs/web-"));
        assert_eq!(owners[1], "deploy/web");
        assert_eq!(pod.workload().unwrap().short(), "deploy/web");

        c.execute("sleep 30");
        let scene = Scene::read(c.cluster());
        assert!(scene.pods().all(|p| p.look == PodLook::Running
            && p.ready == "1/1"
            && p.ip.starts_with("10.244.")));
        // Spread over the three workers, none on the tainted control plane.
        assert!(scene.nodes[0].pods.is_empty());
        assert!(scene.nodes[1..].iter().all(|n| n.pods.len() == 1));

        c.execute("kubectl delete pod --all --wait=false");
        let scene = Scene::read(c.cluster());
        assert!(scene.pods().any(|p| p.look == PodLook::Terminating));
    }

    #[test]
    fn nodes_are_in_natural_order() {
        let mut c = Console::new(1);
        for _ in 0..8 {
            c.execute("sim node add");
        }
        let names: Vec<String> = Scene::read(c.cluster())
            .nodes
            .into_iter()
            .map(|n| n.name)
            .collect();
        let expected: Vec<String> = std::iter::once("control-plane".to_string())
            .chain((1..=11).map(|i| format!("worker-{i}")))
            .collect();
        assert_eq!(names, expected);
    }

    #[test]
    fn looks_cover_kubectl_statuses() {
        let cases = [
            ("Pending", 0, 1, PodLook::Pending),
            ("ContainerCreating", 0, 1, PodLook::Creating),
            ("Init:0/1", 0, 1, PodLook::Creating),
            ("Init:CrashLoopBackOff", 0, 1, PodLook::Failing),
            ("Running", 1, 1, PodLook::Running),
            ("Running", 0, 1, PodLook::NotReady),
            ("CrashLoopBackOff", 0, 1, PodLook::Failing),
            ("ImagePullBackOff", 0, 1, PodLook::Failing),
            ("ErrImagePull", 0, 1, PodLook::Failing),
            ("Completed", 0, 1, PodLook::Succeeded),
            ("Terminating", 1, 1, PodLook::Terminating),
        ];
        for (status, ready, total, look) in cases {
            assert_eq!(look_of(status, ready, total), look, "{status}");
        }
    }

    #[test]
    fn unschedulable_pods_wait_outside_the_nodes_and_services_count_endpoints() {
        let mut c = console(
            "kubectl create deployment big --image=nginx:1.27 --replicas=2\n\
             kubectl expose deployment big --port=80 --type=NodePort",
        );
        let out = c.execute(
            "kubectl apply -f - <<EOF\napiVersion: v1\nkind: Pod\nmetadata:\n  name: huge\nspec:\n  nodeSelector:\n    disk: none\n  containers:\n  - name: c\n    image: nginx:1.27\nEOF",
        );
        assert_eq!(out, "pod/huge created\n");
        c.execute("sleep 30");
        let scene = Scene::read(c.cluster());
        let service = scene.services.iter().find(|s| s.name == "big").unwrap();
        assert_eq!(service.endpoints, 2);
        assert_eq!(service.kind, "NodePort");
        assert!(service.ports.starts_with("80:3"), "{}", service.ports);
        let huge = &scene.unscheduled[0];
        assert_eq!((huge.name.as_str(), huge.look), ("huge", PodLook::Pending));
    }

    #[test]
    fn statefulset_pods_show_their_claims_and_owner() {
        let mut c = Console::new(1);
        let out = c.execute(
            "kubectl apply -f - <<EOF\napiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  serviceName: db\n  replicas: 2\n  selector:\n    matchLabels:\n      app: db\n  template:\n    metadata:\n      labels:\n        app: db\n    spec:\n      containers:\n      - name: db\n        image: nginx:1.27\n  volumeClaimTemplates:\n  - metadata:\n      name: data\n    spec:\n      accessModes: [ReadWriteOnce]\n      resources:\n        requests:\n          storage: 1Gi\nEOF",
        );
        assert_eq!(out, "statefulset.apps/db created\n");
        c.execute("sleep 60");
        let scene = Scene::read(c.cluster());
        let mut pods: Vec<(&str, Vec<String>, String)> = scene
            .pods()
            .map(|p| {
                (
                    p.name.as_str(),
                    p.claims.clone(),
                    p.workload().unwrap().short(),
                )
            })
            .collect();
        pods.sort_shared();
        assert_eq!(
            pods,
            [
                ("db-0", vec!["data-db-0".to_string()], "sts/db".to_string()),
                ("db-1", vec!["data-db-1".to_string()], "sts/db".to_string()),
            ]
        );
    }

    #[test]
    fn a_pods_events_are_listed_oldest_first() {
        let mut c = console("kubectl run one --image=nginx:1.27");
        c.execute("sleep 20");
        let scene = Scene::read(c.cluster());
        let pod = scene.pods().next().unwrap();
        let reasons: Vec<String> = events_for(c.cluster(), &pod.uid)
            .into_iter()
            .map(|e| e.reason)
            .collect();
        assert_eq!(
            reasons,
            ["Scheduled", "Pulling", "Pulled", "Created", "Started"]
        );
    }
}
