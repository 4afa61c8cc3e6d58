//! The cluster: virtual clock, event queue, RNG, the apiserver's storage and the
//! control-plane message log, owned together so that one seed and one input sequence
//! always produce the same bytes.
//!
//! Time only moves through [`Cluster::advance`] / [`Cluster::run_until`]; every due event
//! runs in (time, sequence) order, and after each one the controllers get to react to
//! what changed.

use super::ipam::ServiceAllocator;
use super::messages::{Component, Message};
use super::queue::EventQueue;
use super::resources::Registry;
use super::rng::Rng;
use super::store::Store;
use super::time::Millis;

/// How to build a cluster.
#[derive(Debug, Clone)]
pub struct ClusterOptions {
    pub seed: u64,
    /// Worker nodes besides `control-plane` (default 3: worker-1 … worker-3).
    pub workers: usize,
}

impl Default for ClusterOptions {
    fn default() -> Self {
        ClusterOptions {
            seed: 1,
            workers: 3,
        }
    }
}

/// Something scheduled to happen at a later virtual time.
#[derive(Debug, Clone, PartialEq)]
pub enum SimEvent {
    /// The garbage collector looks for dependents whose owners are gone.
    GarbageCollect,
    /// The namespace controller empties and finalizes a terminating namespace.
    FinalizeNamespace(String),
    /// A pod that was deleted gracefully finishes terminating and is removed.
    PodTerminated {
        namespace: String,
        name: String,
        uid: String,
    },
    /// A controller asked to look at something again at this time (a resync, a
    /// back-off expiring, a container becoming ready). `controller` names the
    /// reconciler (see `controllers::wake`), `key` is what it should look at.
    Wake {
        controller: &'static str,
        key: String,
    },
}

/// Clone forks the whole simulation (clock, queue, RNG, store): the copy goes on exactly
/// as the original would. The fuzzer starts each input from a clone of one bootstrap.
#[derive(Clone)]
pub struct Cluster {
    pub(crate) now: Millis,
    pub(crate) rng: Rng,
    pub(crate) queue: EventQueue<SimEvent>,
    pub(crate) registry: Registry,
    pub(crate) store: Store,
    /// The newest control-plane messages (a ring of at most [`MESSAGE_LOG_CAPACITY`]).
    pub(crate) messages: Vec<Message>,
    /// How many older messages the ring has let go.
    messages_dropped: u64,
    /// etcd compaction and the Event TTL (see `housekeeping`).
    pub(crate) housekeeping: super::housekeeping::Housekeeping,
    pub(crate) services: ServiceAllocator,
    pub(crate) pod_ipam: super::ipam::PodIpam,
    pub(crate) options: ClusterOptions,
    pub(crate) controllers: super::controllers::Controllers,
    /// Tells Events created in the same millisecond apart.
    pub(crate) event_counter: u64,
    /// How the next stored write records its field managers (set by the request).
    pub(crate) field_owner: Option<super::apiserver::FieldOwner>,
    /// The current kubectl command's field manager (see `set_client_field_manager`).
    pub(crate) client_manager: Option<(String, &'static str)>,
    /// The data plane: kube-proxy's tables, conntrack, the cloud's pool, flows.
    pub(crate) network: super::network::NetworkState,
    /// A settle that ran out of work budget (see [`Cluster::run_until_within`]) and
    /// resumes on the next call.
    settling: Option<Settling>,
    /// Simulation steps done so far: what the work budget counts (one per event
    /// handled, controller turn and round, and store write) plus one per request a
    /// traffic generator sends. The fuzzer's measure of an input's work.
    steps: u64,
    /// Where runs stop short (see [`Cluster::set_step_limit`]).
    step_limit: Option<u64>,
    /// While a sliced run gives a controller its turn: the store revision at which the
    /// slice's work is spent. A controller with a long turn (one ReplicaSet sync creating
    /// hundreds of pods) may stop there and finish on the next call (see
    /// [`Cluster::slice_spent`]); `u64::MAX` otherwise.
    slice_end: u64,
    /// The invariant checker, when a test turned it on (debug builds only: it costs a
    /// pass over the store after every event).
    #[cfg(any(debug_assertions, feature = "invariants"))]
    checker: Option<Box<super::invariants::Checker>>,
}

/// Where an interrupted settle stands: how many controller rounds it has run, whether
/// the current round has done anything yet, and the controller whose turn is next
/// (0: the round has not begun, its due events come first).
#[derive(Debug, Clone, Copy, Default)]
struct Settling {
    rounds: usize,
    progressed: bool,
    turn: usize,
}

/// Bounded: a controller that kept writing forever would otherwise hang the page.
const MAX_SETTLE_ROUNDS: usize = 10_000;

/// How many control-plane messages the log keeps: the recent story (a quiet cluster's
/// half hour, one large apply), which is what the Messages panel (the newest 200 that
/// match a filter) and `sim messages N` show. Older ones are dropped and counted, so a
/// cluster running for days holds the same few hundred kilobytes.
pub const MESSAGE_LOG_CAPACITY: usize = 2_000;
/// The ring drops this many at once when full, so a push costs O(1) amortised.
const MESSAGE_DROP_BATCH: usize = MESSAGE_LOG_CAPACITY / 8;

impl Cluster {
    /// A fresh default cluster (design.md §3), everything Running at t = 0.
    pub fn new(options: ClusterOptions) -> Cluster {
        let mut cluster = Cluster {
            now: 0,
            rng: Rng::new(options.seed),
            queue: EventQueue::default(),
            registry: Registry::builtin(),
            store: Store::default(),
            messages: vec![],
            messages_dropped: 0,
            housekeeping: Default::default(),
            services: ServiceAllocator::default(),
            pod_ipam: Default::default(),
            options,
            controllers: Default::default(),
            event_counter: 0,
            field_owner: None,
            client_manager: None,
            network: Default::default(),
            settling: None,
            steps: 0,
            step_limit: None,
            slice_end: u64::MAX,
            #[cfg(any(debug_assertions, feature = "invariants"))]
            checker: None,
        };
        super::bootstrap::bootstrap(&mut cluster);
        cluster.settle();
        // Bootstrapping is not part of the story the page tells.
        cluster.messages.clear();
        cluster.messages_dropped = 0;
        cluster
    }

    pub fn now(&self) -> Millis {
        self.now
    }

    pub fn options(&self) -> &ClusterOptions {
        &self.options
    }

    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The data plane: flows, counters, port-forwards, traffic generators.
    pub fn network(&self) -> &super::network::NetworkState {
        &self.network
    }

    /// The control-plane messages still held, oldest first. The first one is number
    /// [`Cluster::messages_dropped`] of all ever recorded.
    pub fn messages(&self) -> &[Message] {
        &self.messages
    }

    /// How many older messages the log has dropped (it keeps the newest
    /// [`MESSAGE_LOG_CAPACITY`]).
    pub fn messages_dropped(&self) -> u64 {
        self.messages_dropped
    }

    /// How many messages were ever recorded: dropped plus held.
    pub fn messages_recorded(&self) -> u64 {
        self.messages_dropped + self.messages.len() as u64
    }

    /// When the next scheduled event is due, if any: what "step" jumps to.
    pub fn next_event_at(&self) -> Option<Millis> {
        self.queue.next_due()
    }

    /// Moves virtual time forward by `by`, running everything due on the way.
    pub fn advance(&mut self, by: Millis) {
        self.run_until(self.now.saturating_add(by));
    }

    /// Runs every event due at or before `t`, then sets the clock to `t`.
    pub fn run_until(&mut self, t: Millis) {
        let mut unlimited = u64::MAX;
        let done = self.run_until_within(t, &mut unlimited);
        debug_assert!(
            done || self.step_limit_reached(),
            "an unlimited budget always finishes"
        );
    }

    /// [`Cluster::run_until`] in slices, for a page that must draw between them: does at
    /// most about `work` units (one per event handled, controller round and write) and
    /// returns whether the clock reached `t`. If not, the clock stands at the last
    /// instant simulated, and the next call (with any `t`) resumes exactly where this one
    /// stopped, so the same inputs give the same bytes however the work is sliced.
    ///
    /// The steps, in the order an unsliced call takes them: settle at `now`; while an
    /// event is due by `t`, move the clock to it and settle; move the clock to `t` and
    /// settle.
    pub fn run_until_within(&mut self, t: Millis, work: &mut u64) -> bool {
        loop {
            if !self.settle_within(work) {
                return false;
            }
            match self.queue.next_due() {
                Some(due) if due <= t => self.now = self.now.max(due),
                _ if self.now < t => self.now = t,
                _ => return true,
            }
        }
    }

    /// Runs the events due now and lets controllers react until nothing changes.
    pub fn settle(&mut self) {
        let mut unlimited = u64::MAX;
        let done = self.settle_within(&mut unlimited);
        debug_assert!(
            done || self.step_limit_reached(),
            "an unlimited budget always finishes"
        );
    }

    /// Finishes a settle a command left owed ([`Cluster::settle_later`]) in slices, as
    /// the console's catch-up before the next command finishes it at once: true once
    /// nothing is owed, false when `work` ran out first (the next call resumes).
    pub fn catch_up_within(&mut self, work: &mut u64) -> bool {
        !self.is_busy() || self.settle_within(work)
    }

    /// One settle, resumable: rounds of "handle every event due now, then give every
    /// controller a turn" until a round changes nothing. False when `work` ran out first.
    fn settle_within(&mut self, work: &mut u64) -> bool {
        let mut state = self.settling.take().unwrap_or_default();
        let spend = |cluster: &mut Cluster, work: &mut u64, before: u64| {
            let cost = 1 + cluster.store.revision() - before;
            cluster.steps += cost;
            *work = work.saturating_sub(cost);
            *work == 0 || cluster.step_limit_reached()
        };
        while state.rounds < MAX_SETTLE_ROUNDS {
            // A round resumed part-way goes on with its turns; due events wait for the next.
            while state.turn == 0 {
                let Some((_, event)) = self.queue.pop_due(self.now) else {
                    break;
                };
                let before = self.store.revision();
                #[cfg(any(debug_assertions, feature = "invariants"))]
                let what = self.checker.is_some().then(|| event.clone());
                self.handle(event);
                #[cfg(any(debug_assertions, feature = "invariants"))]
                self.observe(false, || what.map(|e| format!("{e:?}")).unwrap_or_default());
                state.progressed = true;
                if spend(self, work, before) {
                    self.settling = Some(state);
                    return false;
                }
            }
            // Every controller's turn; a slice may end between two of them (one sync
            // of a large ReplicaSet and the scheduler's binding of its pods land in
            // different frames), and resumes with the next turn, not the due events.
            while state.turn < super::controllers::TURN_COUNT {
                let before = self.store.revision();
                self.slice_end = before.saturating_add(*work);
                state.progressed |= super::controllers::run_turn(self, state.turn);
                self.slice_end = u64::MAX;
                if super::controllers::turn_unfinished(self) {
                    // The turn stopped part-way (its writes spent the slice): the next
                    // call resumes it before anything else runs.
                    spend(self, work, before);
                    self.settling = Some(state);
                    return false;
                }
                state.turn += 1;
                if state.turn < super::controllers::TURN_COUNT && spend(self, work, before) {
                    self.settling = Some(state);
                    return false;
                }
            }
            state.turn = 0;
            let before = self.store.revision();
            super::housekeeping::after_round(self);
            state.rounds += 1;
            #[cfg(any(debug_assertions, feature = "invariants"))]
            self.observe(!state.progressed, || "a controller round".into());
            if !state.progressed {
                super::housekeeping::run(self);
                return true;
            }
            state.progressed = false;
            if spend(self, work, before) {
                self.settling = Some(state);
                return false;
            }
        }
        true
    }

    /// Turns on the invariant checks of `sim::invariants` after every event and every
    /// controller round from now on; [`Cluster::invariant_violation`] tells the first
    /// that failed. Debug builds only.
    #[cfg(any(debug_assertions, feature = "invariants"))]
    pub fn check_invariants_every_step(&mut self) {
        let mut checker = Box::<super::invariants::Checker>::default();
        checker.observe(self, false, || "turning the checks on".into());
        self.checker = Some(checker);
    }

    /// The first invariant violation the checker saw, if any (always `None` unless
    /// [`Cluster::check_invariants_every_step`] turned it on).
    pub fn invariant_violation(&self) -> Option<&str> {
        #[cfg(any(debug_assertions, feature = "invariants"))]
        if let Some(checker) = &self.checker {
            return checker.violation.as_deref();
        }
        None
    }

    /// Runs the invariant checker, if on, after `what` happened.
    #[cfg(any(debug_assertions, feature = "invariants"))]
    fn observe(&mut self, settled: bool, what: impl FnOnce() -> String) {
        if let Some(mut checker) = self.checker.take() {
            if checker.violation.is_none() {
                checker.observe(self, settled, what);
            }
            self.checker = Some(checker);
        }
    }

    /// Whether a garbage-collection pass is still to come.
    pub(crate) fn garbage_collection_pending(&self) -> bool {
        self.queue.any(|e| *e == SimEvent::GarbageCollect)
    }

    /// Owes a settle at this instant without running it: the next call that runs the
    /// simulation ([`Cluster::settle`], [`Cluster::run_until_within`], …) does it first,
    /// exactly as if it had run now. What lets the page's console return at once after a
    /// command that sets hundreds of pods in motion, as a real kubectl returns before
    /// the pods exist, while the frame loop works the settle off in slices.
    pub fn settle_later(&mut self) {
        if self.settling.is_none() {
            self.settling = Some(Settling::default());
        }
    }

    /// Simulation steps done since the cluster was made (see the field).
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// Counts requests a traffic generator sent: each one is a step of work.
    pub(crate) fn count_requests(&mut self, n: u64) {
        self.steps += n;
    }

    /// Makes every run stop short once [`Cluster::steps`] reaches `limit`, as a sliced
    /// run stops when its budget is spent: the clock stays where the work got to and the
    /// settle stays owed. For the fuzzer, which bounds each input's work this way and
    /// then throws the cluster away; the page and the CLI never set it.
    pub fn set_step_limit(&mut self, limit: Option<u64>) {
        self.step_limit = limit;
    }

    /// Whether the step limit, if any, has been reached.
    pub fn step_limit_reached(&self) -> bool {
        self.step_limit.is_some_and(|limit| self.steps >= limit)
    }

    /// Whether the current controller turn has spent the sliced run's work: a
    /// controller may then stop between two writes and resume on its next turn, which
    /// the sliced run gives it before anything else (see `controllers::turn_unfinished`).
    /// Never true in an unsliced run.
    pub(crate) fn slice_spent(&self) -> bool {
        self.store.revision() >= self.slice_end
    }

    /// Whether a sliced run (see [`Cluster::run_until_within`]) stopped part-way.
    pub fn is_busy(&self) -> bool {
        self.settling.is_some()
    }

    fn handle(&mut self, event: SimEvent) {
        match event {
            SimEvent::GarbageCollect => super::gc::collect(self),
            SimEvent::FinalizeNamespace(ns) => super::controllers::namespace::finalize(self, &ns),
            SimEvent::PodTerminated {
                namespace,
                name,
                uid,
            } => super::apiserver::finish_pod_termination(self, &namespace, &name, &uid),
            SimEvent::Wake { controller, key } => super::controllers::wake(self, controller, &key),
        }
    }

    pub(crate) fn schedule(&mut self, at: Millis, event: SimEvent) {
        self.queue.schedule(at, event);
    }

    /// Asks `controller` to look at `key` again after `delay`.
    pub fn wake_after(&mut self, delay: Millis, controller: &'static str, key: impl Into<String>) {
        let at = self.now.saturating_add(delay);
        self.queue.schedule(
            at,
            SimEvent::Wake {
                controller,
                key: key.into(),
            },
        );
    }

    /// Records the watch notifications a controller's informer delivers for `resources`
    /// (group, plural) since `cursor`: additions, deletions and spec changes its status
    /// does not yet reflect (`generation` ahead of `observedGeneration`). Informers also
    /// deliver every status update; those are left out of the story, which they would
    /// drown. `unbound_pods_only` is the scheduler's view: pods waiting for a node.
    pub(crate) fn record_watch(
        &mut self,
        cursor: u64,
        to: Component,
        resources: &[(&str, &str)],
        unbound_pods_only: bool,
    ) {
        use super::store::WatchEventType;
        let mut notes = Vec::new();
        for e in self.store.events_since(cursor) {
            let (group, plural) = (
                e.key.resource.group.as_str(),
                e.key.resource.resource.as_str(),
            );
            if !resources.contains(&(group, plural)) {
                continue;
            }
            let object = &e.object;
            let tell = if unbound_pods_only {
                e.event_type == WatchEventType::Added
                    && object
                        .pointer("/spec/nodeName")
                        .is_none_or(|n| n.as_str() == Some(""))
            } else {
                match e.event_type {
                    WatchEventType::Added | WatchEventType::Deleted => true,
                    WatchEventType::Modified => {
                        let generation = object
                            .pointer("/metadata/generation")
                            .and_then(|g| g.as_i64());
                        let observed = object
                            .pointer("/status/observedGeneration")
                            .and_then(|g| g.as_i64())
                            .unwrap_or(0);
                        generation.is_some_and(|g| g > observed)
                    }
                }
            };
            if tell {
                let kind = super::object::kind(object).to_lowercase();
                let name = &e.key.name;
                let shown = if group.is_empty() {
                    format!("{kind}/{name}")
                } else {
                    format!("{kind}.{group}/{name}")
                };
                notes.push((e.event_type.as_str(), shown));
            }
        }
        for (event_type, shown) in notes {
            let summary = format!("watch event {event_type} {shown}");
            self.record(Component::ApiServer, to.clone(), "watch", shown, summary);
        }
    }

    /// Records one control-plane message (design.md §2).
    pub(crate) fn record(
        &mut self,
        from: Component,
        to: Component,
        verb: &str,
        object: String,
        summary: String,
    ) {
        if self.messages.len() >= MESSAGE_LOG_CAPACITY {
            self.messages.drain(..MESSAGE_DROP_BATCH);
            self.messages_dropped += MESSAGE_DROP_BATCH as u64;
        }
        self.messages.push(Message {
            at: self.now,
            from,
            to,
            verb: verb.to_string(),
            object,
            summary,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_log_keeps_the_newest_and_counts_the_rest() {
        let mut cluster = Cluster::new(ClusterOptions::default());
        assert_eq!(
            cluster.messages_recorded(),
            0,
            "bootstrap is not part of the log"
        );
        let total = 2 * MESSAGE_LOG_CAPACITY + 7;
        for i in 0..total {
            cluster.record(
                Component::Kubectl,
                Component::ApiServer,
                "get",
                "pods".to_string(),
                format!("message {i}"),
            );
        }
        let held = cluster.messages().len();
        assert!(held <= MESSAGE_LOG_CAPACITY, "held {held}");
        assert!(
            held > MESSAGE_LOG_CAPACITY - MESSAGE_DROP_BATCH,
            "held {held}"
        );
        assert_eq!(cluster.messages_recorded(), total as u64);
        let dropped = cluster.messages_dropped();
        assert_eq!(dropped as usize + held, total);
        // The first one held is the one right after the dropped ones; the last, the newest.
        assert_eq!(cluster.messages()[0].summary, format!("message {dropped}"));
        assert_eq!(
            cluster.messages()[held - 1].summary,
            format!("message {}", total - 1)
        );
    }
}
