//! Time in the learner's hands: the page's console plus a recording of every command
//! typed and the virtual time it was typed at. Because the simulation is deterministic
//! (same seed, same commands at the same times ⇒ same bytes), rewinding is replay: the
//! newest snapshot at or before the chosen moment (see [`super::snapshots`]; at worst
//! the fresh cluster at time zero) runs the recorded commands up to that moment.
//!
//! The recording behaves like a tape. After a rewind the commands recorded later are
//! still there and run again as playback crosses their times, so playing on reproduces
//! what happened. Typing a new command while rewound starts a new branch: the commands
//! recorded after that moment are dropped, as an editor drops the redo stack.
//!
//! Pure (no web crates) so native tests can check the replay contract.

use super::snapshots::{Policy, Snapshots};
use crate::console::files::MemoryFiles;
use crate::console::{Console, UnitRun};
use crate::sim::time::Millis;
use crate::sim::ClusterOptions;

/// A command and the virtual time it was typed at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recorded {
    pub at: Millis,
    pub line: String,
}

pub struct Timeline {
    console: Console,
    commands: Vec<Recorded>,
    /// How many of `commands` the current console has run; the rest lie ahead.
    played: usize,
    /// The furthest virtual time reached on this branch: the end of the timeline.
    horizon: Millis,
    /// Forks of the console taken as time passed, where rewinds start from.
    snapshots: Snapshots,
    /// A unit of several commands (`a; b; c`, pasted or replayed) part-way run: its next
    /// command waits until the frame loop has worked off the settle the last one owes,
    /// so a long line never runs its controllers' reactions inside one frame.
    running: Option<Running>,
    /// What the running unit printed after [`Timeline::execute`] returned, for the page.
    printed: String,
}

/// A unit part-way run, and whether what it prints is shown (a typed command) or not (a
/// replayed one, whose output was shown when it was typed).
struct Running {
    run: UnitRun,
    shown: bool,
}

/// The page's console: `kubectl edit` opens the editor panel, and a command's closing
/// settle is owed to the frame loop (the CLI and the tests settle at once).
fn page_console(options: ClusterOptions) -> Console {
    let mut console = Console::with_options(options, Box::new(MemoryFiles::default()));
    console.edit_in_panel = true;
    console.set_settle_in_slices(true);
    console
}

impl Timeline {
    /// A timeline on the default cluster with this seed.
    pub fn new(seed: u64) -> Timeline {
        Timeline::on_cluster(ClusterOptions {
            seed,
            ..Default::default()
        })
    }

    /// A timeline on the cluster these options build (see [`super::cluster_size`]).
    pub fn on_cluster(options: ClusterOptions) -> Timeline {
        Timeline::with_snapshots(options, Policy::default())
    }

    /// How many worker nodes the cluster booted with (`?workers=`).
    pub fn workers(&self) -> usize {
        self.console.cluster().options().workers
    }

    /// A timeline that keeps snapshots as `policy` says ([`Policy::from_zero`]: none
    /// but time zero, so every rewind replays the whole tape).
    pub fn with_snapshots(options: ClusterOptions, policy: Policy) -> Timeline {
        let console = page_console(options);
        Timeline {
            snapshots: Snapshots::new(&console, policy),
            console,
            commands: Vec::new(),
            played: 0,
            horizon: 0,
            running: None,
            printed: String::new(),
        }
    }

    /// The virtual times of the snapshots held, oldest first.
    pub fn snapshot_moments(&self) -> Vec<Millis> {
        self.snapshots.moments().collect()
    }

    pub fn console(&self) -> &Console {
        &self.console
    }

    /// Whether work at the current instant is still owed (a command's settle, or a
    /// sliced run that stopped part-way): the frame loop works it off even while paused.
    pub fn is_busy(&self) -> bool {
        self.running.is_some() || self.console.cluster().is_busy()
    }

    /// Whether a typed unit is still running (its later commands have not all run).
    pub fn is_running(&self) -> bool {
        self.running.as_ref().is_some_and(|r| r.shown)
    }

    /// What the running unit printed since [`Timeline::execute`] returned or this was
    /// last called.
    pub fn take_printed(&mut self) -> String {
        std::mem::take(&mut self.printed)
    }

    /// Whether [`Timeline::take_printed`] has nothing to give.
    pub fn printed_is_empty(&self) -> bool {
        self.printed.is_empty()
    }

    /// Goes on with the running unit: works off the settle its last command owes, in
    /// slices, then runs its next command, and so on; true once the unit is done. The
    /// same work in the same order as [`Console::execute`], which settles between
    /// commands at once.
    fn go_on(&mut self, work: &mut u64) -> bool {
        let Some(running) = self.running.as_mut() else {
            return true;
        };
        loop {
            if !self.console.cluster_mut().catch_up_within(work) {
                return false;
            }
            let more = self.console.run_next(&mut running.run);
            if running.shown {
                self.printed.push_str(&running.run.take_text());
            }
            if !more {
                break;
            }
        }
        self.running = None;
        true
    }

    /// Runs the rest of the running unit now (before anything else happens to the
    /// timeline: a new command, a seek, a step).
    fn finish_running(&mut self) {
        let mut unlimited = u64::MAX;
        let done = self.go_on(&mut unlimited);
        debug_assert!(
            done || self.console.cluster().step_limit_reached(),
            "an unlimited budget always finishes"
        );
        self.running = None;
    }

    /// The buffer a `kubectl edit` just opened (or reopened) for the editor panel.
    pub fn take_edit_to_show(&mut self) -> Option<(String, String)> {
        self.console.take_edit_to_show()
    }

    /// Virtual time now.
    pub fn now(&self) -> Millis {
        self.console.cluster().now()
    }

    /// The end of the timeline: the furthest moment reached on this branch.
    pub fn horizon(&self) -> Millis {
        self.horizon
    }

    /// Every command recorded on this branch, including those ahead after a rewind.
    pub fn commands(&self) -> &[Recorded] {
        &self.commands
    }

    /// Runs a command now and records it. Commands recorded after now are dropped: a
    /// command typed after a rewind starts a new branch.
    pub fn execute(&mut self, line: &str) -> String {
        self.finish_running();
        // Finish a sliced run's work at this instant first: a replay runs everything due
        // up to a command's time before the command, and so must the first run.
        let now = self.now();
        self.console.cluster_mut().run_until(now);
        self.commands.truncate(self.played);
        self.snapshots.start_branch(now, self.played);
        self.commands.push(Recorded {
            at: self.now(),
            line: line.to_string(),
        });
        self.played = self.commands.len();
        // The unit's commands run one after another while none leaves a settle owed;
        // once one does, the rest wait for the frame loop ([`Timeline::advance_within`]).
        let mut run = UnitRun::new(line);
        while self.console.run_next(&mut run) && !self.console.cluster().is_busy() {}
        let output = run.take_text();
        if !run.is_done() {
            self.running = Some(Running { run, shown: true });
        }
        // Some commands move time themselves (`sleep`, `rollout status`, `get -w`).
        self.horizon = self.now();
        output
    }

    /// Runs a read-only command (`describe`, `get -o yaml`) for the inspector without
    /// recording it. Anything that would move time or change the cluster must go
    /// through [`Timeline::execute`] instead.
    pub fn peek(&mut self, line: &str) -> String {
        self.console.execute(line)
    }

    /// Moves virtual time forward to `t`, running the recorded commands it passes at
    /// their own times.
    pub fn advance_to(&mut self, t: Millis) {
        self.finish_running();
        self.skip_to_snapshot_before(t);
        self.replay_commands(|at| at <= t);
        if t > self.now() {
            self.console.cluster_mut().run_until(t);
        }
        self.horizon = self.horizon.max(self.now());
        self.snapshots.take_if_due(&self.console, self.played);
    }

    /// [`Timeline::advance_to`] in slices (see `Cluster::run_until_within`): does at most
    /// about `work` units and says whether time reached `t`. Until it has, the clock shows
    /// what has been simulated, and the next call resumes where this one stopped.
    pub fn advance_within(&mut self, t: Millis, work: &mut u64) -> bool {
        loop {
            // A line part-way run (typed, or replayed just below) goes on first.
            if !self.go_on(work) {
                return self.stopped_short();
            }
            let Some(next) = self.commands.get(self.played).filter(|c| c.at <= t) else {
                break;
            };
            let (at, line) = (next.at, next.line.clone());
            if !self.console.cluster_mut().run_until_within(at, work) {
                return self.stopped_short();
            }
            self.played += 1;
            // A replayed line runs like a typed one: its later commands wait for the
            // settles of the earlier ones, worked off in slices.
            self.running = Some(Running {
                run: UnitRun::new(&line),
                shown: false,
            });
        }
        let cluster = self.console.cluster_mut();
        let done = if t > cluster.now() || cluster.is_busy() {
            cluster.run_until_within(t, work)
        } else {
            true
        };
        self.horizon = self.horizon.max(self.now());
        if done {
            self.snapshots.take_if_due(&self.console, self.played);
        }
        done
    }

    /// A sliced advance that ran out of work: the timeline's end is where it got to.
    fn stopped_short(&mut self) -> bool {
        self.horizon = self.horizon.max(self.now());
        false
    }

    /// Runs the recorded commands ahead, each at its own time, while `due(at)` holds.
    fn replay_commands(&mut self, due: impl Fn(Millis) -> bool) {
        while let Some(next) = self.commands.get(self.played) {
            if !due(next.at) {
                break;
            }
            let (at, line) = (next.at, next.line.clone());
            self.console.cluster_mut().run_until(at);
            self.played += 1;
            self.console.execute(&line);
        }
    }

    /// When "step" would go next: the next scheduled event or recorded command.
    pub fn next_step_at(&self) -> Option<Millis> {
        // Work a command left owed at this instant (the sliced run) comes first.
        if self.is_busy() {
            return Some(self.now());
        }
        let event = self.console.cluster().next_event_at();
        let command = self.commands.get(self.played).map(|c| c.at);
        match (event, command) {
            (Some(e), Some(c)) => Some(e.min(c)),
            (e, c) => e.or(c),
        }
    }

    /// Advances to the next event or recorded command, and returns the new time.
    pub fn step(&mut self) -> Millis {
        self.finish_running();
        if let Some(t) = self.next_step_at() {
            if t <= self.now() {
                let now = self.now();
                self.console.cluster_mut().run_until(now);
            } else {
                self.advance_to(t);
            }
        }
        self.now()
    }

    /// On a stretch of tape already played (after a rewind), a snapshot between now and
    /// `t` is where a replay would arrive anyway: starting there saves the replay.
    fn skip_to_snapshot_before(&mut self, t: Millis) {
        let commands = &self.commands;
        let ahead = self.snapshots.restore_point(t, |i| commands[i].at);
        if ahead.at > self.now() {
            debug_assert!(
                ahead.played >= self.played,
                "a snapshot ahead is on this tape"
            );
            self.console = ahead.console.clone();
            self.played = ahead.played;
        }
    }

    /// Goes back (or forward) to virtual time `t` by replaying this branch from the
    /// newest snapshot at or before `t`: the commands typed before `t` run at their
    /// times, and the commands typed at or after `t` wait ahead, as they did the first
    /// time. Same bytes as a replay from a fresh cluster, since a snapshot is a fork.
    pub fn rewind_to(&mut self, t: Millis) {
        // A typed line still running finishes first, as before a new command or a step:
        // its entry in the transcript gets the whole of its output (taken with
        // [`Timeline::take_printed`]), and the tape ahead holds what it did. A replayed
        // unit printed nothing to keep, and is on the tape to run again.
        if self.is_running() {
            self.finish_running();
            self.horizon = self.horizon.max(self.now());
        }
        self.running = None;
        let commands = &self.commands;
        let start = self.snapshots.restore_point(t, |i| commands[i].at);
        self.console = start.console.clone();
        self.played = start.played;
        self.replay_commands(|at| at < t);
        // A command that moved time itself may already have gone past `t`.
        if t > self.now() {
            self.console.cluster_mut().run_until(t);
        }
    }
}

/// The page's console: a command returns before the controllers have reacted to it, and
/// the frame loop runs that work in slices ([`Timeline::advance_within`]), so a command
/// that creates hundreds of pods never freezes a frame.
/// The speed factors the transport offers, as (value, label).
pub const SPEEDS: [(f64, &str); 7] = [
    (0.25, "¼×"),
    (0.5, "½×"),
    (1.0, "1×"),
    (2.0, "2×"),
    (4.0, "4×"),
    (8.0, "8×"),
    (16.0, "16×"),
];

/// Virtual milliseconds as `HH:MM:SS.t`.
pub fn clock_text(millis: u64) -> String {
    let seconds = millis / 1000;
    format!(
        "{:02}:{:02}:{:02}.{}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60,
        millis % 1000 / 100
    )
}

/// The next speed up or down the list.
pub fn next_speed(speed: f64, up: bool) -> f64 {
    let index = SPEEDS.iter().position(|(s, _)| *s == speed).unwrap_or(2);
    let index = if up {
        (index + 1).min(SPEEDS.len() - 1)
    } else {
        index.saturating_sub(1)
    };
    SPEEDS[index].0
}

/// Where "back" goes: the last command typed before now (a moment before it), else 0.
pub fn previous_marker(commands: &[Millis], now: Millis) -> Millis {
    commands
        .iter()
        .rev()
        .copied()
        .find(|&at| at < now.saturating_sub(250))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speeds_step_through_the_list_and_stop_at_the_ends() {
        assert_eq!(next_speed(1.0, true), 2.0);
        assert_eq!(next_speed(16.0, true), 16.0);
        assert_eq!(next_speed(0.25, false), 0.25);
        assert_eq!(next_speed(0.5, false), 0.25);
    }

    #[test]
    fn back_goes_before_the_previous_command() {
        assert_eq!(previous_marker(&[0, 4_000, 9_000], 12_000), 9_000);
        assert_eq!(previous_marker(&[0, 4_000, 9_000], 9_100), 4_000);
        assert_eq!(previous_marker(&[], 9_100), 0);
        assert_eq!(clock_text(3_723_450), "01:02:03.4");
    }
    use proptest::prelude::*;

    /// Everything observable about the cluster: the clock and every stored object.
    fn digest(timeline: &Timeline) -> String {
        let cluster = timeline.console().cluster();
        let mut out = format!("now={} rev={}\n", cluster.now(), cluster.store().revision());
        for object in cluster.store().objects() {
            out.push_str(&object.to_string());
            out.push('\n');
        }
        out
    }

    const SCRIPT: [(Millis, &str); 5] = [
        (
            0,
            "kubectl create deployment web --image=nginx:1.27 --replicas=3",
        ),
        (4_000, "kubectl scale deployment web --replicas=5"),
        (9_500, "kubectl set image deployment/web nginx=nginx:1.28"),
        (9_500, "kubectl label node worker-1 disk=ssd"),
        (20_000, "sim node down worker-2"),
    ];

    /// Plays SCRIPT forward, taking a digest at each of `probes` (before the commands
    /// typed at that same moment, as a rewind there shows).
    fn forward(probes: &[Millis]) -> (Timeline, Vec<String>) {
        let mut timeline = Timeline::new(7);
        let mut digests = vec![String::new(); probes.len()];
        let mut moments: Vec<Millis> = SCRIPT
            .iter()
            .map(|(t, _)| *t)
            .chain(probes.iter().copied())
            .collect();
        moments.sort();
        moments.dedup();
        for t in moments {
            timeline.advance_to(t);
            for (i, probe) in probes.iter().enumerate() {
                if *probe == t {
                    digests[i] = digest(&timeline);
                }
            }
            for (at, line) in SCRIPT {
                if at == t {
                    timeline.execute(line);
                }
            }
        }
        timeline.advance_to(60_000);
        (timeline, digests)
    }

    #[test]
    fn rewinding_shows_exactly_the_earlier_state() {
        let probes = [0, 1_000, 4_000, 7_321, 9_500, 15_000, 30_000];
        let (mut timeline, digests) = forward(&probes);
        for (probe, expected) in probes.iter().zip(&digests) {
            timeline.rewind_to(*probe);
            assert_eq!(timeline.now(), *probe);
            assert!(
                digest(&timeline) == *expected,
                "state after rewinding to {probe} differs"
            );
        }
    }

    #[test]
    fn a_rewind_comes_back_to_a_cluster_of_the_size_the_page_booted() {
        let nodes = |timeline: &mut Timeline| timeline.peek("kubectl get nodes -o name");
        let mut timeline = Timeline::on_cluster(ClusterOptions {
            seed: 7,
            workers: 300,
        });
        let booted = nodes(&mut timeline);
        assert_eq!(booted.lines().count(), 301);
        assert!(booted.contains("node/worker-300\n"));
        timeline.execute("sim node add");
        timeline.advance_to(30_000);
        assert_eq!(nodes(&mut timeline).lines().count(), 302);
        timeline.rewind_to(0);
        assert_eq!(nodes(&mut timeline), booted);
        // Past 256 nodes the pod CIDR is the large cluster's /14, after a rewind too.
        let cidr = timeline.peek("kubectl get node worker-300 -o jsonpath={.spec.podCIDR}");
        assert_eq!(cidr, "10.245.44.0/24");
    }

    #[test]
    fn playing_on_after_a_rewind_replays_the_later_commands() {
        let (mut timeline, _) = forward(&[]);
        let end = digest(&timeline);
        assert_eq!(timeline.horizon(), 60_000);
        timeline.rewind_to(2_000);
        assert_eq!(
            timeline.horizon(),
            60_000,
            "rewinding keeps the end of the tape"
        );
        timeline.advance_to(60_000);
        assert_eq!(digest(&timeline), end);
    }

    #[test]
    fn a_command_typed_after_a_rewind_starts_a_new_branch() {
        let (mut timeline, _) = forward(&[]);
        timeline.rewind_to(5_000);
        let output = timeline.execute("kubectl scale deployment web --replicas=1");
        assert_eq!(output, "deployment.apps/web scaled\n");
        let kept: Vec<Millis> = timeline.commands().iter().map(|c| c.at).collect();
        assert_eq!(kept, vec![0, 4_000, 5_000]);
        assert_eq!(timeline.horizon(), 5_000);
        timeline.advance_to(30_000);
        let pods = timeline.peek("kubectl get pods --no-headers");
        assert_eq!(pods.lines().count(), 1, "{pods}");
        assert!(!timeline.peek("kubectl get nodes").contains("NotReady"));
    }

    #[test]
    fn step_goes_to_the_next_event_or_command() {
        let mut timeline = Timeline::new(1);
        timeline.execute("kubectl create deployment web --image=nginx:1.27");
        let before = timeline.now();
        // The controllers' reaction is owed work at this instant: it is the next step.
        assert_eq!(timeline.next_step_at(), Some(before));
        assert_eq!(timeline.step(), before);
        let next = timeline
            .next_step_at()
            .expect("the kubelet has work scheduled");
        assert!(next > before);
        assert_eq!(timeline.step(), next);

        // After a rewind, a recorded command can be the next step.
        timeline.advance_to(10_000);
        timeline.execute("kubectl scale deployment web --replicas=2");
        timeline.rewind_to(9_999);
        assert!(timeline.next_step_at().unwrap() <= 10_000);
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]
        /// Any moment of any recorded session can be rewound to and looks the same.
        #[test]
        fn rewind_matches_forward_play(
            gaps in proptest::collection::vec(0u64..6_000, 1..6),
            replicas in proptest::collection::vec(0u32..6, 1..6),
            probe_at in 1u64..30_000,
        ) {
            let mut timeline = Timeline::new(3);
            timeline.execute("kubectl create deployment app --image=nginx:1.27 --replicas=2");
            let mut probe = None;
            for (gap, n) in gaps.iter().zip(&replicas) {
                let target = timeline.now() + gap;
                if probe.is_none() && probe_at <= target {
                    timeline.advance_to(probe_at);
                    probe = Some(digest(&timeline));
                }
                timeline.advance_to(target);
                timeline.execute(&format!("kubectl scale deployment app --replicas={n}"));
            }
            if probe.is_none() {
                timeline.advance_to(probe_at.max(timeline.now()));
                probe = Some(digest(&timeline));
            }
            timeline.advance_to(40_000);
            let end = digest(&timeline);
            timeline.rewind_to(probe_at);
            if timeline.now() == probe_at {
                prop_assert!(Some(digest(&timeline)) == probe);
            }
            timeline.advance_to(40_000);
            prop_assert!(digest(&timeline) == end);
        }
    }

    #[test]
    fn advancing_in_slices_matches_advancing_at_once() {
        let mut sliced = Timeline::new(3);
        sliced.execute("kubectl create deployment web --image=nginx --replicas=12");
        sliced.advance_to(2_000);
        sliced.execute("kubectl scale deployment web --replicas=4");
        sliced.rewind_to(0);
        let mut calls = 0;
        loop {
            let mut work = 5;
            calls += 1;
            if sliced.advance_within(60_000, &mut work) {
                break;
            }
            assert!(sliced.now() <= 60_000);
        }
        assert!(calls > 10, "the work was sliced ({calls} calls)");
        let mut at_once = Timeline::new(3);
        at_once.execute("kubectl create deployment web --image=nginx --replicas=12");
        at_once.advance_to(2_000);
        at_once.execute("kubectl scale deployment web --replicas=4");
        at_once.rewind_to(0);
        at_once.advance_to(60_000);
        assert_eq!(digest(&sliced), digest(&at_once));
    }

    /// A line of several commands: the second and later wait for the earlier ones'
    /// reactions (four Deployments of 20 pods each, a scale, a `get`).
    const UNIT: &str = "kubectl create deployment a --image=nginx --replicas=20; \
        kubectl create deployment b --image=nginx --replicas=20; \
        kubectl create deployment c --image=nginx --replicas=20 && kubectl scale deployment a --replicas=3; \
        kubectl create deployment a --image=nginx || kubectl get deployments; \
        kubectl create deployment d --image=nginx --replicas=20";

    #[test]
    fn a_line_of_commands_runs_across_frames_with_the_bytes_of_one_call() {
        // The CLI's console: every command settles at once.
        let expected = Console::new(3).execute(UNIT);
        let mut at_once = Timeline::new(3);
        let mut printed_at_once = at_once.execute(UNIT);
        at_once.advance_to(30_000);
        printed_at_once.push_str(&at_once.take_printed());
        assert_eq!(printed_at_once, expected);

        let mut sliced = Timeline::new(3);
        let mut printed = sliced.execute(UNIT);
        assert_eq!(printed, "deployment.apps/a created\n", "the rest waits");
        assert!(sliced.is_running() && sliced.is_busy());
        let mut calls = 0;
        let mut partial = false;
        while sliced.is_running() {
            let mut work = 20;
            calls += 1;
            sliced.advance_within(sliced.now(), &mut work);
            printed.push_str(&sliced.take_printed());
            partial |= sliced.is_running() && printed.contains("deployment.apps/b created");
            assert_eq!(sliced.now(), 0, "no time passes while the line runs");
        }
        assert!(calls > 10, "the line was sliced ({calls} calls)");
        assert!(partial, "output arrives command by command");
        while !sliced.advance_within(30_000, &mut 50) {}
        assert_eq!(printed, expected);
        assert_eq!(digest(&sliced), digest(&at_once));

        // Replayed from the tape, the line is sliced the same way.
        sliced.rewind_to(0);
        let mut calls = 0;
        loop {
            calls += 1;
            if sliced.advance_within(30_000, &mut 20) {
                break;
            }
        }
        assert!(calls > 10, "the replay was sliced ({calls} calls)");
        assert_eq!(sliced.take_printed(), "", "a replay prints nothing");
        assert_eq!(digest(&sliced), digest(&at_once));
    }

    #[test]
    fn a_rewind_while_a_typed_line_runs_keeps_the_whole_of_its_output() {
        let expected = Console::new(3).execute(UNIT);
        let mut at_once = Timeline::new(3);
        at_once.advance_to(1_000);
        at_once.execute(UNIT);
        at_once.advance_to(30_000);

        let mut timeline = Timeline::new(3);
        timeline.advance_to(1_000);
        let mut printed = timeline.execute(UNIT);
        timeline.advance_within(1_000, &mut 20);
        printed.push_str(&timeline.take_printed());
        assert!(timeline.is_running(), "the line is part-way run");
        assert_ne!(printed, expected);

        timeline.rewind_to(500);
        printed.push_str(&timeline.take_printed());
        assert_eq!(printed, expected, "the entry holds the whole line's output");
        assert!(!timeline.is_running() && timeline.now() == 500);
        assert_eq!(
            timeline.commands().len(),
            1,
            "the line stays ahead on the tape"
        );

        // Playing on replays the line, silently, to the same cluster.
        while !timeline.advance_within(30_000, &mut 50) {}
        assert_eq!(timeline.take_printed(), "");
        assert_eq!(digest(&timeline), digest(&at_once));
    }
}
