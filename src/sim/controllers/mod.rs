//! kube-controller-manager's controllers, each a reconciler in its own module reading the
//! watch log from its own cursor, as informers do.
//!
//! [`run`] gives every controller one turn over what changed since its last turn and says
//! whether any of them wrote something (the cluster then settles again).

pub mod cronjob;
pub mod daemonset;
pub mod daemonset_history;
pub mod deployment;
pub mod disruption;
pub mod endpoints;
pub mod faults;
pub mod hpa;
pub mod job;
pub mod namespace;
pub mod nodelifecycle;
pub mod replicaset;
pub mod serviceaccount;
pub mod statefulset;
pub mod volume;

use super::cluster::Cluster;

/// Each controller's position in the watch log.
///
/// Controller state that is not in the API (caches, back-off entries, which kubelets are
/// stopped) lives here too, one field per controller, so the whole simulation stays one
/// value that a seed and an input sequence determine.
#[derive(Debug, Clone, Default)]
pub struct Controllers {
    pub(crate) serviceaccount_cursor: u64,
    pub(crate) statefulset_cursor: u64,
    pub(crate) job_cursor: u64,
    /// Job back-off records by Job uid.
    pub(crate) job_backoff: std::collections::BTreeMap<String, job::BackoffRecord>,
    pub(crate) cronjob_cursor: u64,
    /// Pending CronJob wake-ups (`ns/name` → when), so one is not queued twice.
    pub(crate) cronjob_wakes: std::collections::BTreeMap<String, crate::sim::time::Millis>,
    pub(crate) endpoints_cursor: u64,
    /// Service (namespace, name) → the pods its endpoints held at its last sync, so a
    /// pod change syncs only the Services it concerns.
    pub(crate) endpoint_members:
        std::collections::BTreeMap<(String, String), std::collections::BTreeSet<String>>,
    pub(crate) volume_cursor: u64,
    pub(crate) deployment_cursor: u64,
    /// Pending progress-deadline wake-ups per Deployment (`ns/name` → when), so one is not queued twice.
    pub(crate) deployment_wakes: std::collections::BTreeMap<String, crate::sim::time::Millis>,
    pub(crate) replicaset_cursor: u64,
    pub(crate) daemonset_cursor: u64,
    pub(crate) disruption_cursor: u64,
    /// The aggregator's position in the watch log (metrics-server's availability).
    pub(crate) metrics_cursor: u64,
    /// The horizontal pod autoscaler's queue and recommendations.
    pub(crate) hpa: hpa::HpaState,
    /// kube-scheduler's cursor and retry memory.
    pub(crate) scheduler: crate::sim::scheduler::SchedulerState,
    /// The kubelets' runtime state (containers, image caches, back-offs).
    pub(crate) kubelet: crate::sim::kubelet::KubeletState,
    pub(crate) nodelifecycle_cursor: u64,
    /// Nodes whose kubelet is stopped (`sim node down`).
    pub(crate) stopped_kubelets: std::collections::BTreeSet<String>,
    /// Control-plane components stopped with `sim … down` (see `faults`).
    pub(crate) stopped_parts: std::collections::BTreeSet<faults::Part>,
    /// Wake-ups that fell due while their component was down.
    pub(crate) deferred_wakes: Vec<(&'static str, String)>,
    /// The NoExecute taints the taint-eviction controller last acted on, per node.
    pub(crate) no_execute_taints: std::collections::BTreeMap<String, Vec<serde_json::Value>>,
}

/// One turn for every controller; true when anything was written.
///
/// Each reconciler reads the watch log from its own cursor in `Controllers`; add a new
/// one with one line here (and its cursor field above).
pub fn run(cluster: &mut Cluster) -> bool {
    let before = cluster.store.revision();
    if cluster.may_run("controller-manager") {
        serviceaccount::reconcile(cluster);
        nodelifecycle::reconcile(cluster);
        deployment::reconcile(cluster);
        replicaset::reconcile(cluster);
        daemonset::reconcile(cluster);
        statefulset::reconcile(cluster);
        job::reconcile(cluster);
        cronjob::reconcile(cluster);
        volume::reconcile(cluster);
        endpoints::reconcile(cluster);
        disruption::reconcile(cluster);
        hpa::reconcile(cluster);
    }
    if cluster.api_available() {
        crate::sim::metrics::reconcile(cluster);
    }
    if cluster.may_run("scheduler") {
        crate::sim::scheduler::reconcile(cluster);
    }
    if cluster.may_run("kubelet") {
        crate::sim::kubelet::reconcile(cluster);
        crate::sim::network::reconcile(cluster);
    }
    cluster.store.revision() != before
}

/// A timed wake-up (`Cluster::wake_after`) for the named controller: one match arm per
/// reconciler that schedules its own work.
#[allow(clippy::match_single_binding)]
pub fn wake(cluster: &mut Cluster, controller: &'static str, key: &str) {
    if !cluster.may_run(controller) {
        cluster.defer_wake(controller, key);
        return;
    }
    match controller {
        "statefulset" => statefulset::wake(cluster, key),
        "deployment" => deployment::wake(cluster, key),
        "replicaset" => replicaset::wake(cluster, key),
        "daemonset" => daemonset::wake(cluster, key),
        "job" => job::wake(cluster, key),
        "cronjob" => cronjob::wake(cluster, key),
        "horizontal-pod-autoscaler" => hpa::wake(cluster, key),
        "scheduler" => crate::sim::scheduler::wake(cluster, key),
        "kubelet" => crate::sim::kubelet::wake(cluster, key),
        "nodelifecycle" => nodelifecycle::wake(cluster, key),
        "taint-eviction" => nodelifecycle::evict(cluster, key),
        "cloud" => crate::sim::network::cloud::wake(cluster, key),
        "ingress" => crate::sim::network::ingress::wake(cluster, key),
        "traffic" => crate::sim::network::traffic::tick(cluster, key),
        _ => {
            let _ = (cluster, key);
        }
    }
}

/// Whether the kubelet on `node` is running (`sim node down` stops it).
pub fn kubelet_running(cluster: &Cluster, node: &str) -> bool {
    !cluster.controllers.stopped_kubelets.contains(node)
}
