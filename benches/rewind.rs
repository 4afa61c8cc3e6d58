//! What rewinding the page costs: a recorded session through the page's [`Timeline`]
//! (three Deployments, a NodePort Service under steady traffic, a CronJob every minute,
//! a command typed every ten virtual minutes), played to 30, 120 and 480 virtual
//! minutes; at each, the wall time of a rewind to just before the end and to the middle,
//! with the timeline's snapshots and replaying from zero as before them, and what one
//! copy of the whole page state (console, cluster, data plane) costs.
//! Run with `cargo bench --bench rewind` (or `make bench`); `-- 30 120` picks the
//! checkpoints.
//!
//! A counting allocator says what a copy deep-copies: the bytes it allocates. The stored
//! objects are shared through `Arc`s, so their size (as JSON) is reported beside it as
//! what the copy shares rather than copies. "Held" is what the process has allocated and
//! not freed, so "held with snapshots" less "held without" is what the timeline's
//! snapshots cost in memory.

use kubesim::sim::ClusterOptions;
use kubesim::ui::snapshots::Policy;
use kubesim::ui::timeline::Timeline;
use std::time::Instant;

#[path = "support/counting.rs"]
mod counting;

use counting::{allocated_by, held};

const MINUTE: u64 = 60_000;

/// The session's opening commands, typed at t = 0.
fn open_session(timeline: &mut Timeline) {
    for line in [
        "kubectl create deployment web --image=nginx:1.27 --replicas=3",
        "kubectl create deployment api --image=traefik/whoami --replicas=2",
        "kubectl create deployment echo --image=traefik/whoami --replicas=3",
        "kubectl expose deployment echo --port=80 --type=NodePort",
        r#"kubectl create cronjob tick --image=busybox:1.36 --schedule="* * * * *" -- date"#,
    ] {
        timeline.execute(line);
    }
    timeline.advance_to(5_000);
    let port = timeline.execute("kubectl get svc echo -o jsonpath='{.spec.ports[0].nodePort}'");
    timeline.execute(&format!(
        "sim traffic start --from internet --rate 2 http://172.18.0.3:{}/",
        port.trim()
    ));
}

/// Plays on to `end` a virtual minute at a time, typing a scale every ten minutes.
fn play_to(timeline: &mut Timeline, end: u64) {
    let mut t = timeline.now();
    while t < end {
        t = (t / MINUTE + 1) * MINUTE;
        timeline.advance_to(t.min(end));
        if t.is_multiple_of(10 * MINUTE) && t <= end {
            let replicas = 3 + (t / (10 * MINUTE)) % 2;
            timeline.execute(&format!(
                "kubectl scale deployment web --replicas={replicas}"
            ));
        }
    }
}

fn seconds(started: Instant) -> f64 {
    started.elapsed().as_secs_f64()
}

fn kib(bytes: usize) -> f64 {
    bytes as f64 / 1024.0
}

/// What one copy of the whole state costs: wall time and bytes allocated (with the
/// largest parts apart), and the bytes of stored objects it shares instead.
fn copy_cost(timeline: &Timeline) -> String {
    let console = timeline.console();
    let cluster = console.cluster();
    let started = Instant::now();
    let copied = allocated_by(|| console.clone());
    let took = started.elapsed().as_secs_f64() * 1000.0;
    let store = allocated_by(|| cluster.store().clone());
    let messages = allocated_by(|| cluster.messages().to_vec());
    let network = allocated_by(|| cluster.network().clone());
    let registry = allocated_by(|| cluster.registry().clone());
    let shared: usize = cluster
        .store()
        .objects()
        .map(|o| serde_json::to_vec(o).map_or(0, |b| b.len()))
        .sum();
    format!(
        "one copy of the whole state: {took:.1} ms, {:.0} KiB allocated (store maps and indexes {:.0}, message ring {:.0}, data plane {:.0}, resource registry {:.0}, the rest {:.0}); {:.0} KiB of stored objects shared, not copied",
        kib(copied),
        kib(store),
        kib(messages),
        kib(network),
        kib(registry),
        kib(copied.saturating_sub(store + messages + network + registry)),
        kib(shared),
    )
}

/// Plays the session to 30, 120 and 480 virtual minutes under `policy`, rewinding at
/// each to just before the end and to the middle, then playing back to the end.
fn session(label: &str, policy: Policy, checkpoints: &[u64], show_copy_cost: bool) {
    let held_at_start = held();
    let mut timeline = Timeline::with_snapshots(ClusterOptions::default(), policy);
    open_session(&mut timeline);
    for &end_minutes in checkpoints {
        let end = end_minutes * MINUTE;
        let started = Instant::now();
        play_to(&mut timeline, end);
        let played = seconds(started);
        let held = held() - held_at_start;

        let started = Instant::now();
        timeline.rewind_to(end - 30_000);
        let near_end = seconds(started);
        let started = Instant::now();
        timeline.rewind_to(end / 2);
        let middle = seconds(started);
        let started = Instant::now();
        timeline.advance_to(end);
        let back = seconds(started);

        println!(
            "{label}, after {end_minutes:>3} virtual min: rewind to the end less 30 s {near_end:>6.3} s, to the middle {middle:>6.3} s, play back to the end {back:>6.3} s; {:>5.1} MiB held, {} snapshots (played on in {played:.1} s)",
            kib(held) / 1024.0,
            timeline.snapshot_moments().len(),
        );
        if show_copy_cost {
            println!("    {}", copy_cost(&timeline));
        }
    }
}

fn main() {
    counting::count(true);
    // `cargo bench --bench rewind -- 30 120` picks the checkpoints (virtual minutes).
    let mut checkpoints: Vec<u64> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    if checkpoints.is_empty() {
        checkpoints = vec![30, 120, 480];
    }
    println!("A recorded session (3 Deployments, a NodePort Service under 2 requests/s, a CronJob every minute, a scale every 10 min):");
    let default = Policy::default();
    let every_minute = Policy {
        every: MINUTE,
        ..default
    };
    for (policy, show_copy_cost) in [(every_minute, true), (default, false)] {
        let label = format!(
            "snapshots every {} s, {} kept",
            policy.every / 1000,
            policy.capacity
        );
        session(&label, policy, &checkpoints, show_copy_cost);
    }
    session("replay from zero", Policy::from_zero(), &checkpoints, false);
}
