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
    /// A ReplicaSet controller turn stopped between two pod creations (see
    /// [`turn_unfinished`]).
    pub(crate) replicaset_unfinished: Option<replicaset::Unfinished>,
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

/// A reconciler's turn: read the watch log from its cursor, act on what changed.
type Reconcile = fn(&mut Cluster);

/// One round is a turn for every controller, in this order; each reconciler reads the
/// watch log from its own cursor in `Controllers`. Add a new one with one line here (and
/// its cursor field above). The first field is the part whose outage (`sim … down`)
/// stops the turn.
const TURNS: &[(&str, Reconcile)] = &[
    ("controller-manager", serviceaccount::reconcile),
    ("controller-manager", nodelifecycle::reconcile),
    ("controller-manager", deployment::reconcile),
    ("controller-manager", replicaset::reconcile),
    ("controller-manager", daemonset::reconcile),
    ("controller-manager", statefulset::reconcile),
    ("controller-manager", job::reconcile),
    ("controller-manager", cronjob::reconcile),
    ("controller-manager", volume::reconcile),
    ("controller-manager", endpoints::reconcile),
    ("controller-manager", disruption::reconcile),
    ("controller-manager", hpa::reconcile),
    // metrics-server is a pod, not part of the controller manager: it needs only the apiserver.
    ("metrics-server", crate::sim::metrics::reconcile),
    ("scheduler", crate::sim::scheduler::reconcile),
    ("kubelet", crate::sim::kubelet::reconcile),
    ("kubelet", crate::sim::network::reconcile),
];

/// How many turns a round has.
pub const TURN_COUNT: usize = TURNS.len();

/// Turn `i` of a round (`0 .. TURN_COUNT`); true when it wrote anything. A round may be
/// split between turns (the page's sliced run), never inside one.
pub fn run_turn(cluster: &mut Cluster, i: usize) -> bool {
    let before = cluster.store.revision();
    let (part, reconcile) = TURNS[i];
    if cluster.may_run(part) {
        reconcile(cluster);
    }
    cluster.store.revision() != before
}

/// Whether the turn just run stopped part-way because the sliced run's work was spent
/// (`Cluster::slice_spent`); it is then run again, and finishes, before any other.
pub fn turn_unfinished(cluster: &Cluster) -> bool {
    cluster.controllers.replicaset_unfinished.is_some()
        || cluster.controllers.scheduler.turn_unfinished()
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

/// `SlowStartInitialBatchSize`: the first batch of a slow start creates one pod.
const SLOW_START_INITIAL_BATCH_SIZE: usize = 1;

/// `slowStartBatch` (pkg/controller/replicaset/replica_set.go; the Job controller runs a
/// loop of the same shape): makes `count` calls of `create(i)` in batches of 1, 2, 4, 8 …
/// and returns how many succeeded. A batch runs to its end (the real calls are
/// concurrent), but one failure in it skips every later batch, so a template that cannot
/// work costs one request, not hundreds. 10 pods: batches of 1, 2, 4, 3.
pub(crate) fn slow_start_batch(count: usize, mut create: impl FnMut(usize) -> bool) -> usize {
    let mut start = SlowStart::new(count);
    while start.step(&mut create) {}
    start.successes
}

/// A slow start that can stop between two calls and go on later (see
/// [`slow_start_batch`]): the page's frame loop pauses a large ReplicaSet sync between
/// two creations, and nothing else runs until it resumes, so the bytes are those of one
/// uninterrupted sync.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SlowStart {
    count: usize,
    /// Calls made so far; the current batch's size and end.
    done: usize,
    batch: usize,
    batch_end: usize,
    /// The current batch had a failed call: no batch follows it.
    failed: bool,
    pub(crate) successes: usize,
}

impl SlowStart {
    pub(crate) fn new(count: usize) -> SlowStart {
        let batch = SLOW_START_INITIAL_BATCH_SIZE.min(count);
        SlowStart {
            count,
            done: 0,
            batch,
            batch_end: batch,
            failed: false,
            successes: 0,
        }
    }

    /// Makes the next call; false once the slow start is over (every call made, or a
    /// batch ended with a failure).
    pub(crate) fn step(&mut self, create: &mut impl FnMut(usize) -> bool) -> bool {
        if self.done == self.batch_end {
            return false;
        }
        if create(self.done) {
            self.successes += 1;
        } else {
            self.failed = true;
        }
        self.done += 1;
        if self.done == self.batch_end {
            if self.failed {
                return false;
            }
            // The next batch is twice as large (what is left, at most).
            self.batch = (2 * self.batch).min(self.count - self.done);
            self.batch_end = self.done + self.batch;
        }
        self.done < self.batch_end
    }
}

/// Whether the kubelet on `node` is running (`sim node down` stops it).
pub fn kubelet_running(cluster: &Cluster, node: &str) -> bool {
    !cluster.controllers.stopped_kubelets.contains(node)
}

#[cfg(test)]
mod tests {
    use super::slow_start_batch;

    #[test]
    fn slow_start_batches_double_and_stop_after_a_failing_batch() {
        // (pods to create, calls that fail, calls made in order, successes)
        let cases: Vec<(usize, Vec<usize>, Vec<usize>, usize)> = vec![
            (0, vec![], vec![], 0),
            (1, vec![], vec![0], 1),
            (10, vec![], (0..10).collect(), 10),
            // The first call fails: the batches of 2, 4, 3 never run.
            (10, vec![0], vec![0], 0),
            // A failure in the batch of 4 (calls 3–6) finishes that batch, skips the 3 after.
            (10, vec![4], vec![0, 1, 2, 3, 4, 5, 6], 6),
            // 500 (BurstReplicas): batches 1, 2, 4 … 128, then the 245 left.
            (500, vec![], (0..500).collect(), 500),
        ];
        for (count, failing, want_calls, want_ok) in cases {
            let mut calls = vec![];
            let ok = slow_start_batch(count, |i| {
                calls.push(i);
                !failing.contains(&i)
            });
            assert_eq!(calls, want_calls, "count {count}, failing {failing:?}");
            assert_eq!(ok, want_ok, "count {count}, failing {failing:?}");
        }
    }
}
