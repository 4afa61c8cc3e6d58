//! Rewind snapshots: forks of the page's whole console (cluster, data plane, shell state)
//! taken as the timeline plays, so a rewind restores the newest one at or before the
//! chosen moment and replays only the rest of the tape instead of everything since zero.
//!
//! A fork shares every stored object with the original through its `Arc`; what it copies
//! is the maps of pointers, the store's indexes, the event queue, the control-plane
//! message ring and the data plane's tables (measured by `benches/rewind.rs`).
//!
//! Which are kept: the fresh cluster at time zero always, then one every
//! [`Policy::every`] of virtual time, at most [`Policy::capacity`] in all. When the list
//! is full, the newest [`Policy::keep_recent`] are left alone (the moments a learner
//! goes back to most: "back five seconds", the last command) and, among the older ones,
//! the snapshot whose two neighbours are closest together goes: a rewind costs a replay
//! from the snapshot before it, so the slowest rewind is the widest gap, and merging the
//! narrowest gap each time keeps the widest as narrow as the count allows. The older part
//! of a long session thus thins evenly (about one every 40 virtual minutes over 8 hours).
//!
//! Typing a command while rewound starts a new branch: the snapshots later than that
//! moment, or holding commands the branch dropped, describe a future that no longer
//! exists and are dropped with those commands.
//!
//! Pure (no web crates) so native tests can check that a rewind through a snapshot gives
//! the same bytes as a replay from zero.

use crate::console::Console;
use crate::sim::time::{Millis, MINUTE};

/// When snapshots are taken and how many are kept.
#[derive(Clone, Copy, Debug)]
pub struct Policy {
    /// Virtual time between snapshots.
    pub every: Millis,
    /// The most kept, the one at time zero included.
    pub capacity: usize,
    /// How many of the newest are never thinned.
    pub keep_recent: usize,
}

impl Default for Policy {
    /// A snapshot every 5 virtual minutes, 16 kept, the newest 4 never thinned: a rewind
    /// within the last 20 minutes replays at most 5, an older one at most about twice a
    /// twelfth of the session. Each snapshot holds its maps and tables (≈ 2.7 MiB for the
    /// bench's session) plus the object versions the live cluster has since replaced, so
    /// memory is bounded by the count, not by virtual time (32 held 220 MiB after 8
    /// virtual hours, 16 about 120). One a minute made the recent rewinds about three
    /// times faster (0.1 s against 0.3 s natively after 8 hours) but cost a fork (tens
    /// of milliseconds) every virtual minute of play.
    fn default() -> Policy {
        Policy {
            every: 5 * MINUTE,
            capacity: 16,
            keep_recent: 4,
        }
    }
}

impl Policy {
    /// Only the fresh cluster at time zero: every rewind replays from the start (the
    /// reference the tests and the benchmark compare snapshots against).
    pub fn from_zero() -> Policy {
        Policy {
            every: Millis::MAX,
            capacity: 1,
            keep_recent: 0,
        }
    }
}

/// The whole console at one moment, and how many recorded commands it had run.
pub struct Snapshot {
    pub at: Millis,
    pub played: usize,
    pub console: Console,
}

pub struct Snapshots {
    policy: Policy,
    /// Oldest first, ordered by (`at`, `played`); the first is time zero, never dropped.
    list: Vec<Snapshot>,
}

impl Snapshots {
    /// Starts from `fresh`, the console before anything was typed.
    pub fn new(fresh: &Console, policy: Policy) -> Snapshots {
        Snapshots {
            policy,
            list: vec![Snapshot {
                at: fresh.cluster().now(),
                played: 0,
                console: fresh.clone(),
            }],
        }
    }

    /// The moments held, oldest first.
    pub fn moments(&self) -> impl Iterator<Item = Millis> + '_ {
        self.list.iter().map(|s| s.at)
    }

    /// Keeps a fork of `console` if a period has passed since the newest snapshot. After
    /// a rewind the newest lies ahead, so replaying a stretch already covered takes none.
    pub fn take_if_due(&mut self, console: &Console, played: usize) {
        let now = console.cluster().now();
        let newest = self.list.last().expect("time zero is never dropped").at;
        if now >= newest.saturating_add(self.policy.every) {
            self.list.push(Snapshot {
                at: now,
                played,
                console: console.clone(),
            });
            self.thin();
        }
    }

    /// The newest snapshot a rewind to `t` may start from: taken at or before `t`, with
    /// only commands typed before `t` run (a rewind to a command's moment shows the
    /// cluster before it). `typed_at[i]` is when recorded command `i` was typed.
    pub fn restore_point(&self, t: Millis, typed_at: impl Fn(usize) -> Millis) -> &Snapshot {
        self.list
            .iter()
            .rev()
            .find(|s| s.at <= t && (s.played == 0 || typed_at(s.played - 1) < t))
            .unwrap_or(&self.list[0])
    }

    /// A new branch starts at `now` after `played` commands: drops the snapshots of the
    /// abandoned future.
    pub fn start_branch(&mut self, now: Millis, played: usize) {
        let first = self.list[0].at;
        self.list
            .retain(|s| (s.at == first && s.played == 0) || (s.at <= now && s.played <= played));
    }

    /// Over capacity: drops the snapshot [`to_thin`] picks until the list fits.
    fn thin(&mut self) {
        while self.list.len() > self.policy.capacity {
            let moments: Vec<Millis> = self.moments().collect();
            let Some(drop) = to_thin(&moments, self.policy.keep_recent) else {
                break; // a capacity below keep_recent + 2: keep the recent ones anyway
            };
            self.list.remove(drop);
        }
    }
}

/// Which of the snapshots taken at `moments` (oldest first) to drop: among all but time
/// zero and the newest `keep_recent`, the one whose neighbours are closest together (the
/// oldest such on a tie). The widest gap left stays within twice the even spacing.
fn to_thin(moments: &[Millis], keep_recent: usize) -> Option<usize> {
    let thinnable = 1..moments.len().saturating_sub(keep_recent.max(1));
    thinnable.min_by_key(|&i| moments[i + 1] - moments[i - 1])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshots(policy: Policy, moments: &[Millis]) -> Snapshots {
        let mut console = Console::new(1);
        let mut snapshots = Snapshots::new(&console, policy);
        for &t in moments {
            console.cluster_mut().run_until(t);
            snapshots.take_if_due(&console, 0);
        }
        snapshots
    }

    #[test]
    fn one_is_taken_per_period_and_time_zero_is_always_kept() {
        let policy = Policy {
            every: 1_000,
            capacity: 100,
            keep_recent: 2,
        };
        let held = snapshots(policy, &[500, 999, 1_000, 1_700, 2_100, 5_000]);
        assert_eq!(
            held.moments().collect::<Vec<_>>(),
            vec![0, 1_000, 2_100, 5_000]
        );
        let none = snapshots(Policy::from_zero(), &[1_000, 60_000, 3_600_000]);
        assert_eq!(none.moments().collect::<Vec<_>>(), vec![0]);
    }

    #[test]
    fn thinning_keeps_the_recent_ones_and_spreads_the_older_evenly() {
        for (capacity, keep_recent) in [(6, 2), (8, 3), (16, 4), (32, 8)] {
            let mut held: Vec<Millis> = vec![0];
            for t in 1..=2_000 {
                held.push(t * 1_000);
                while held.len() > capacity {
                    held.remove(to_thin(&held, keep_recent).expect("room to thin"));
                }
                let newest: Vec<Millis> = (t.saturating_sub(keep_recent as u64 - 1)..=t)
                    .map(|s| s * 1_000)
                    .collect();
                assert!(
                    held.ends_with(&newest),
                    "the newest are untouched: {held:?}"
                );
                assert_eq!(held[0], 0);
                if held.len() < capacity {
                    continue;
                }
                let older = &held[..held.len() + 1 - keep_recent];
                let gaps: Vec<Millis> = older.windows(2).map(|w| w[1] - w[0]).collect();
                let even = (older[older.len() - 1] - older[0]) as f64 / gaps.len() as f64;
                let widest = *gaps.iter().max().unwrap() as f64;
                assert!(
                    widest <= 2.0 * even,
                    "{capacity}/{keep_recent} at {t}: {held:?}"
                );
            }
        }
        let mut console = Console::new(1);
        let policy = Policy {
            every: 1_000,
            capacity: 8,
            keep_recent: 3,
        };
        let mut snapshots = Snapshots::new(&console, policy);
        for t in 1..=40 {
            console.cluster_mut().run_until(t * 1_000);
            snapshots.take_if_due(&console, 0);
        }
        assert_eq!(
            snapshots.moments().collect::<Vec<_>>(),
            vec![0, 8_000, 19_000, 26_000, 36_000, 38_000, 39_000, 40_000]
        );
    }

    #[test]
    fn a_rewind_starts_from_the_newest_snapshot_before_the_moment() {
        let mut console = Console::new(1);
        let policy = Policy {
            every: 1_000,
            ..Policy::default()
        };
        let mut snapshots = Snapshots::new(&console, policy);
        // Commands typed at 0 and at 2 000; snapshots at 1 000 (1 played) and 2 000 (2).
        let typed = [0, 2_000];
        console.cluster_mut().run_until(1_000);
        snapshots.take_if_due(&console, 1);
        console.cluster_mut().run_until(2_000);
        snapshots.take_if_due(&console, 2);
        let point = |t| {
            let s = snapshots.restore_point(t, |i| typed[i]);
            (s.at, s.played)
        };
        assert_eq!(point(0), (0, 0));
        assert_eq!(point(999), (0, 0));
        assert_eq!(point(1_500), (1_000, 1));
        // At 2 000 the command typed then has not run yet: the snapshot holding it waits.
        assert_eq!(point(2_000), (1_000, 1));
        assert_eq!(point(2_001), (2_000, 2));

        snapshots.start_branch(1_500, 1);
        assert_eq!(snapshots.moments().collect::<Vec<_>>(), vec![0, 1_000]);
    }

    use crate::ui::scene::Scene;
    use crate::ui::templates;
    use crate::ui::timeline::Timeline;
    use proptest::prelude::*;

    fn seed(seed: u64) -> crate::sim::ClusterOptions {
        crate::sim::ClusterOptions {
            seed,
            ..Default::default()
        }
    }

    /// Everything a learner can see of the page's state, as bytes: the clock, every
    /// stored object (the timeline tests' digest), what `kubectl get` prints, Events,
    /// the flow log, the control-plane messages and the cluster view's scene.
    fn observe(timeline: &mut Timeline) -> String {
        let mut out = String::new();
        for line in [
            "kubectl get all -A -o yaml",
            "kubectl get events -A",
            "kubectl get pods -A -o wide",
        ] {
            out.push_str(&timeline.peek(line));
        }
        let cluster = timeline.console().cluster();
        out.push_str(&format!(
            "now={} rev={} next={:?} busy={}\n",
            cluster.now(),
            cluster.store().revision(),
            cluster.next_event_at(),
            cluster.is_busy()
        ));
        for object in cluster.store().objects() {
            out.push_str(&object.to_string());
        }
        out.push_str(&format!("{:?}\n", cluster.network().flows()));
        out.push_str(&format!(
            "{:?} dropped={}\n",
            cluster.messages(),
            cluster.messages_dropped()
        ));
        out.push_str(&format!("{:?}", Scene::read(cluster)));
        out
    }

    /// What a learner does on the page.
    #[derive(Clone, Debug)]
    enum Step {
        /// Types the command with this number (see [`command`]).
        Type(u8),
        /// Plays on this long, all at once.
        Play(Millis),
        /// Plays on this long in frames of at most this much work (the frame loop).
        PlayInFrames(Millis, u64),
        /// Rewinds to this per mille of the timeline's end.
        Rewind(u64),
        /// Rewinds to the moment a recorded command was typed (its marker), counting
        /// from the newest.
        RewindToCommand(usize),
        /// Rewinds to the moment a snapshot was taken, counting from the newest.
        RewindToSnapshot(usize),
    }

    fn command(n: u8) -> String {
        match n % 10 {
            0 => "kubectl create deployment web --image=nginx:1.27 --replicas=2".into(),
            1 => format!("kubectl scale deployment web --replicas={}", n % 5),
            2 => "kubectl set image deployment/web nginx=nginx:1.28".into(),
            // The editor's "Service" template: Deployment web and a NodePort Service.
            3 => format!(
                "kubectl apply -f - <<EOF\n{}EOF",
                templates::find("service").unwrap().text
            ),
            4 => {
                "sim traffic start --from internet --rate 4 \
                  http://172.18.0.3:$(kubectl get svc web -o jsonpath='{.spec.ports[0].nodePort}')/"
                    .into()
            }
            5 => {
                r#"kubectl create cronjob tick --image=busybox:1.36 --schedule="* * * * *" -- date"#
                    .into()
            }
            6 => "sim node down worker-2".into(),
            7 => "sim node up worker-2".into(),
            8 => "sleep 7s".into(),
            _ => "export NS=default".into(),
        }
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            3 => any::<u8>().prop_map(Step::Type),
            // Playing on by nothing takes a snapshot right after a command, if one is due.
            2 => prop_oneof![Just(0u64), 0u64..20_000].prop_map(Step::Play),
            1 => (0u64..20_000, 1u64..60).prop_map(|(t, w)| Step::PlayInFrames(t, w)),
            1 => (0u64..=1_000).prop_map(Step::Rewind),
            2 => (0usize..4).prop_map(Step::RewindToCommand),
            1 => (0usize..4).prop_map(Step::RewindToSnapshot),
        ]
    }

    /// The `k`-th newest of `moments` (wrapping round), or 0 if there are none.
    fn nth_newest(moments: Vec<Millis>, k: usize) -> Millis {
        let count = moments.len().max(1);
        moments.into_iter().rev().nth(k % count).unwrap_or(0)
    }

    /// Rewinds both timelines to `t` (at step `i`) and compares what they show.
    fn rewind_both(
        snapshots: &mut Timeline,
        from_zero: &mut Timeline,
        t: Millis,
        i: usize,
    ) -> Result<(), TestCaseError> {
        snapshots.rewind_to(t);
        from_zero.rewind_to(t);
        prop_assert!(
            observe(snapshots) == observe(from_zero),
            "state after step {} (rewind to {}) differs; snapshots at {:?}",
            i,
            t,
            snapshots.snapshot_moments()
        );
        Ok(())
    }

    #[test]
    fn a_rewind_to_a_command_shows_the_cluster_before_it_though_a_snapshot_holds_it() {
        let policy = Policy {
            every: 1_000,
            ..Policy::default()
        };
        let mut snapshots = Timeline::with_snapshots(seed(5), policy);
        let mut from_zero = Timeline::with_snapshots(seed(5), Policy::from_zero());
        for timeline in [&mut snapshots, &mut from_zero] {
            // `sleep` moves time inside a command, where no snapshot is taken; then
            // playing on by nothing takes one at 4 000 with the command typed then run.
            timeline.execute("sleep 4s");
            timeline.execute("kubectl create deployment web --image=nginx:1.27");
            timeline.advance_to(4_000);
            timeline.advance_to(9_000);
        }
        assert!(snapshots.snapshot_moments().contains(&4_000));
        snapshots.rewind_to(4_000);
        from_zero.rewind_to(4_000);
        assert_eq!(
            snapshots.peek("kubectl get deployments"),
            "No resources found in default namespace.\n"
        );
        assert!(observe(&mut snapshots) == observe(&mut from_zero));
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]
        /// A timeline that keeps snapshots (often, and few, so that thinning and new
        /// branches drop some) shows exactly the bytes of one that replays every rewind
        /// from zero, whatever is typed, played and rewound in whatever order.
        #[test]
        fn a_rewind_through_a_snapshot_gives_the_bytes_of_a_replay_from_zero(
            steps in proptest::collection::vec(step(), 1..16),
        ) {
            let policy = Policy { every: 2_000, capacity: 6, keep_recent: 2 };
            // Four workers, not the default three: a rewind must come back to the
            // cluster the page booted, whatever its size (`?workers=`).
            let cluster = crate::sim::ClusterOptions { seed: 5, workers: 4 };
            let mut snapshots = Timeline::with_snapshots(cluster.clone(), policy);
            let mut from_zero = Timeline::with_snapshots(cluster, Policy::from_zero());
            for (i, step) in steps.iter().enumerate() {
                match *step {
                    Step::Type(n) => {
                        let line = command(n);
                        prop_assert_eq!(snapshots.execute(&line), from_zero.execute(&line), "step {}", i);
                    }
                    Step::Play(by) => {
                        let t = snapshots.now() + by;
                        snapshots.advance_to(t);
                        from_zero.advance_to(t);
                    }
                    Step::PlayInFrames(by, work) => {
                        let t = snapshots.now() + by;
                        while !snapshots.advance_within(t, &mut work.clone()) {}
                        from_zero.advance_to(t);
                    }
                    Step::Rewind(per_mille) => {
                        let t = snapshots.horizon() * per_mille / 1_000;
                        rewind_both(&mut snapshots, &mut from_zero, t, i)?;
                    }
                    Step::RewindToCommand(k) => {
                        let typed = snapshots.commands().iter().map(|c| c.at).collect();
                        rewind_both(&mut snapshots, &mut from_zero, nth_newest(typed, k), i)?;
                    }
                    Step::RewindToSnapshot(k) => {
                        let taken = snapshots.snapshot_moments();
                        rewind_both(&mut snapshots, &mut from_zero, nth_newest(taken, k), i)?;
                    }
                }
                prop_assert_eq!(snapshots.horizon(), from_zero.horizon());
            }
            snapshots.advance_to(snapshots.horizon() + 30_000);
            from_zero.advance_to(from_zero.horizon() + 30_000);
            prop_assert!(observe(&mut snapshots) == observe(&mut from_zero), "the end differs");
        }
    }
}
