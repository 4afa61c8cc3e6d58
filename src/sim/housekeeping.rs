//! What keeps a long-running cluster's memory flat, done as the real control plane does
//! it, at the end of every settle (so a sliced run and an unsliced one do it at the
//! same instants):
//!
//! - **etcd compaction.** kube-apiserver asks etcd to compact every 5 minutes
//!   (`--etcd-compaction-interval`, `DefaultCompactInterval`), each time to the revision
//!   it saw at the previous run, so between 5 and 10 minutes of history survive. Here it
//!   is also never above the oldest cursor a component still reads from, so no
//!   controller misses a write.
//! - **Event TTL.** Events live one hour after their last write (`--event-ttl=1h`): the
//!   apiserver attaches an etcd lease to every Event write, and etcd deletes the key when
//!   the lease runs out. The deletion is a watch event like any other, but not a request
//!   (no control-plane message).

use super::cluster::Cluster;
use super::store::{GroupResource, ObjectKey, WatchEventType};
use super::time::{Millis, HOUR, MINUTE};
use std::collections::{BTreeMap, BTreeSet};

/// `--etcd-compaction-interval`'s default.
pub const COMPACTION_INTERVAL: Millis = 5 * MINUTE;
/// `--event-ttl`'s default.
pub const EVENT_TTL: Millis = HOUR;

/// When the log is compacted: etcd's schedule, or (for tests that check that watchers
/// read correctly through compaction) never, or as far as the oldest cursor allows after
/// every controller round, when some cursors still lag behind others' writes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Compaction {
    #[default]
    Etcd,
    Never,
    EveryRound,
}

#[derive(Debug, Clone, Default)]
pub struct Housekeeping {
    pub(crate) compaction: Compaction,
    /// When the compactor runs next.
    next_compaction: Millis,
    /// The revision the compactor saw on its last run: what it compacts to next.
    seen_revision: u64,
    /// Event (namespace, name) → when its lease runs out.
    leases: BTreeMap<(String, String), Millis>,
    /// The same leases in expiry order.
    expiries: BTreeSet<(Millis, String, String)>,
}

impl Housekeeping {
    /// An Event was written at `now`: its lease starts again.
    pub(crate) fn lease_event(&mut self, namespace: &str, name: &str, now: Millis) {
        self.release_event(namespace, name);
        let until = now.saturating_add(EVENT_TTL);
        let slot = (namespace.to_string(), name.to_string());
        self.expiries
            .insert((until, slot.0.clone(), slot.1.clone()));
        self.leases.insert(slot, until);
    }

    /// An Event was deleted: its lease goes with it.
    pub(crate) fn release_event(&mut self, namespace: &str, name: &str) {
        let slot = (namespace.to_string(), name.to_string());
        if let Some(until) = self.leases.remove(&slot) {
            self.expiries.remove(&(until, slot.0, slot.1));
        }
    }

    /// Events whose lease has run out by `now`, removed from the lease table.
    fn take_expired(&mut self, now: Millis) -> Vec<(String, String)> {
        let mut expired = Vec::new();
        while let Some(first) = self.expiries.first() {
            if first.0 > now {
                break;
            }
            let (_, namespace, name) = self.expiries.pop_first().expect("just looked");
            self.leases.remove(&(namespace.clone(), name.clone()));
            expired.push((namespace, name));
        }
        expired
    }
}

/// Runs whatever is due at the cluster's current time (see the module comment).
pub(crate) fn run(cluster: &mut Cluster) {
    expire_events(cluster);
    let read = oldest_reader(cluster);
    cluster.store.settle_history(read);
    if cluster.housekeeping.compaction != Compaction::Etcd {
        return;
    }
    if cluster.now >= cluster.housekeeping.next_compaction {
        let oldest = oldest_cursor(cluster);
        let target = cluster.housekeeping.seen_revision.min(oldest);
        cluster.store.compact(target);
        cluster.housekeeping.seen_revision = cluster.store.revision();
        cluster.housekeeping.next_compaction = cluster.now + COMPACTION_INTERVAL;
    }
}

/// After one round of the controllers, mid-settle: compacts only in
/// [`Compaction::EveryRound`].
pub(crate) fn after_round(cluster: &mut Cluster) {
    if cluster.housekeeping.compaction == Compaction::EveryRound {
        let oldest = oldest_cursor(cluster);
        cluster.store.compact(oldest);
    }
}

fn expire_events(cluster: &mut Cluster) {
    let expired = cluster.housekeeping.take_expired(cluster.now);
    let resource = GroupResource::new("", "events");
    for (namespace, name) in expired {
        let key = ObjectKey {
            resource: resource.clone(),
            namespace,
            name,
        };
        if let Some(last) = cluster.store.get(&key).cloned() {
            cluster.store.apply(WatchEventType::Deleted, key, last);
        }
    }
}

/// The lowest revision any reader of the watch log still reads from: the components
/// compaction waits for ([`oldest_cursor`]) and those it need not wait for, which read
/// on every round (HPA, disruption, the metrics API's availability, traffic loops).
/// Below it the log is only history (see `Store::settle_history`).
fn oldest_reader(cluster: &Cluster) -> u64 {
    let c = &cluster.controllers;
    [
        oldest_cursor(cluster),
        c.hpa.cursor,
        c.disruption_cursor,
        c.metrics_cursor,
        cluster.network.loops.cursor,
    ]
    .into_iter()
    .min()
    .unwrap_or(0)
}

/// The lowest revision any component of the cluster still reads the watch log from.
fn oldest_cursor(cluster: &Cluster) -> u64 {
    let c = &cluster.controllers;
    let n = &cluster.network;
    [
        c.serviceaccount_cursor,
        c.statefulset_cursor,
        c.job_cursor,
        c.cronjob_cursor,
        c.endpoints_cursor,
        c.volume_cursor,
        c.deployment_cursor,
        c.replicaset_cursor,
        c.daemonset_cursor,
        c.nodelifecycle_cursor,
        c.scheduler.cursor,
        c.kubelet.cursor,
        n.proxy.cursor,
        n.cloud.cursor,
        n.ingress.cursor,
        n.dns.cursor,
        n.gateway.cursor,
    ]
    .into_iter()
    .min()
    .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::files::MemoryFiles;
    use crate::console::Console;
    use crate::sim::ClusterOptions;
    use proptest::prelude::*;

    fn console(compaction: Compaction) -> Console {
        let mut console =
            Console::with_options(ClusterOptions::default(), Box::new(MemoryFiles::default()));
        console.cluster_mut().housekeeping.compaction = compaction;
        console
    }

    /// Runs `lines` and returns everything observable: each output, the objects at the
    /// end, and the control-plane messages.
    fn observe(compaction: Compaction, lines: &[String]) -> (String, u64) {
        let mut console = console(compaction);
        let mut seen = String::new();
        // A last second of time, so that at least one settle (and compaction) runs.
        for line in lines.iter().map(String::as_str).chain(["sleep 1"]) {
            seen.push_str(&format!("$ {line}\n{}", console.execute(line)));
        }
        seen.push_str(&console.execute("kubectl get all,endpointslices,events -A -o json"));
        for m in console.cluster().messages() {
            seen.push_str(&format!("{m}\n"));
        }
        (seen, console.cluster().store.compacted())
    }

    /// A command of a small story: a Deployment scaled, exposed, updated, pods deleted,
    /// time passing (up to 20 minutes, so etcd's own compaction runs too).
    fn command() -> impl Strategy<Value = String> {
        prop_oneof![
            (1u8..5).prop_map(|n| format!(
                "kubectl create deployment web --image=nginx --replicas={n}"
            )),
            (0u8..6).prop_map(|n| format!("kubectl scale deployment web --replicas={n}")),
            Just("kubectl expose deployment web --port=80".to_string()),
            Just("kubectl set image deployment/web nginx=nginx:1.27".to_string()),
            Just("kubectl delete pods -l app=web --wait=false".to_string()),
            Just("kubectl run crash --image=busybox:1.36 --restart=Always -- false".to_string()),
            Just("kubectl delete deployment web".to_string()),
            (1u16..1200).prop_map(|s| format!("sleep {s}")),
        ]
    }

    /// (commands, then the Event reasons left in `default`, in name order).
    #[test]
    fn events_expire_an_hour_after_their_last_write() {
        let cases: &[(&[&str], &[&str])] = &[
            // Written in the pod's first seconds: gone after an hour, not before.
            (
                &["kubectl run web --image=nginx", "sleep 59m"],
                &["Scheduled", "Pulling", "Pulled", "Created", "Started"],
            ),
            (&["kubectl run web --image=nginx", "sleep 61m"], &[]),
            // A crash loop rewrites its Events (count + 1) at every restart: those live
            // on; the one-off Scheduled does not.
            (
                &[
                    "kubectl run crash --image=busybox:1.36 -- false",
                    "sleep 2h",
                ],
                &["BackOff", "Created", "Pulled", "Started"],
            ),
        ];
        for (lines, want) in cases {
            let mut console = console(Compaction::Etcd);
            for line in *lines {
                console.execute(line);
            }
            let events = GroupResource::new("", "events");
            let mut reasons: Vec<&str> = console
                .cluster()
                .store
                .list(&events, Some("default"))
                .iter()
                .map(|e| crate::sim::object::str_at(e, "/reason"))
                .collect();
            reasons.sort();
            let mut want = want.to_vec();
            want.sort();
            assert_eq!(reasons, want, "after {lines:?}");
        }
    }

    #[test]
    fn a_watch_from_a_compacted_revision_is_gone() {
        let mut console = console(Compaction::Etcd);
        console.execute("kubectl create deployment web --image=nginx --replicas=2");
        assert_eq!(
            console.cluster().store.compacted(),
            0,
            "nothing compacted yet"
        );
        console.execute("sleep 11m");
        let store = &console.cluster().store;
        let compacted = store.compacted();
        assert!(compacted > 1, "two compactor runs have passed");
        let expired = store.watch_from(1).expect_err("revision 1 is compacted");
        assert_eq!(
            expired.to_string(),
            format!("too old resource version: 1 ({compacted})")
        );
        assert!(store.watch_from(compacted).is_ok());
        // `kubectl get -w` still starts from now and works.
        let out = console.execute("kubectl scale deployment web --replicas=3");
        assert!(out.contains("scaled"), "{out}");
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]
        /// Controllers, kube-proxy, CoreDNS and `kubectl get -w` read the watch log
        /// through compaction exactly as they read it whole: same bytes.
        #[test]
        fn compaction_changes_nothing_a_watcher_sees(lines in proptest::collection::vec(command(), 1..10)) {
            let (whole, none) = observe(Compaction::Never, &lines);
            prop_assert_eq!(none, 0);
            let (etcd, _) = observe(Compaction::Etcd, &lines);
            prop_assert_eq!(&whole, &etcd);
            let (eager, compacted) = observe(Compaction::EveryRound, &lines);
            prop_assert!(compacted > 0, "every round compacts");
            prop_assert_eq!(&whole, &eager);
        }
    }

    #[test]
    fn a_rewritten_event_keeps_only_its_latest_lease() {
        let mut h = Housekeeping::default();
        h.lease_event("default", "a", 0);
        h.lease_event("default", "b", 10 * MINUTE);
        h.lease_event("default", "a", 30 * MINUTE);
        assert!(h.take_expired(HOUR - 1).is_empty());
        assert_eq!(
            h.take_expired(HOUR + 10 * MINUTE),
            vec![("default".to_string(), "b".to_string())]
        );
        h.release_event("default", "a");
        assert!(h.take_expired(10 * HOUR).is_empty());
        assert!(h.leases.is_empty());
    }
}
