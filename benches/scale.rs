//! How the simulation's cost grows with the work it does: N Deployments × R replicas
//! created by the console on a cluster of W worker nodes, then virtual time run until
//! every pod is Running. Run with `cargo bench --bench scale` (or `make bench`).
//!
//! Arguments (after `--`): `WORKERS×DEPLOYMENTS×REPLICAS` cases, e.g.
//! `cargo bench --bench scale -- 20x30x10 250x3000x10` (the 30,000-pod case is one run
//! on its own). Without arguments it runs the cases the README quotes. Past 255 workers
//! the cluster is built with the large-cluster addressing (pod CIDR 10.244.0.0/14, see
//! `sim::ipam::PodIpam`), up to 1,023 workers. Wall time is measured around the console
//! commands and the virtual-time loop, as a user of the CLI would feel them; CPU time
//! beside it (from /proc, Linux), which a shared, busy machine disturbs far less. Cases
//! on the same number of workers are compared in turn: "10,000 → 30,000 pods: 3.1× the
//! time" is the issue's linearity figure.
//!
//! Each case also prints the process's peak resident memory so far (`VmHWM`, Linux; the
//! cases run one after another in one process, so run a case alone to read its own).
//! With `SCALE_BREAKDOWN=1` a counting allocator is on and each case ends with what holds
//! the memory: stored objects by resource, the versions only the watch log holds (as
//! `Value`s and as packed), the store's maps and indexes, the message ring, the data
//! plane and the rest of the console, each as the bytes a deep copy of it allocates.

use kubesim::console::files::MemoryFiles;
use kubesim::console::Console;
use kubesim::sim::ClusterOptions;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

#[path = "support/counting.rs"]
mod counting;

use counting::{allocated_by, held};

fn mib(bytes: usize) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// The peak resident memory of this process so far (`VmHWM` in `/proc/self/status`,
/// Linux), in bytes, or `None` where that file does not exist.
fn peak_resident() -> Option<usize> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: usize = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// What holds the memory at the end of a case: the stored objects by resource, the
/// versions only the watch log still holds, the store's maps and indexes, the message
/// ring, the data plane, and the rest of the console (kubelet, controller and scheduler
/// state, the event queue), each as the bytes a deep copy of it allocates.
fn breakdown(console: &Console) {
    let cluster = console.cluster();
    let store = cluster.store();
    let held = held();
    let mut by_resource: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut managed_fields = 0;
    let mut text = 0;
    let mut cold = (0, 0);
    for (resource, object) in store.objects_as_held() {
        let object = match object {
            Ok(object) => object,
            Err(packed) => {
                cold.0 += 1;
                cold.1 += packed;
                let entry = by_resource.entry(resource.resource.clone()).or_default();
                entry.0 += 1;
                entry.1 += packed;
                continue;
            }
        };
        let bytes = allocated_by(|| Value::clone(object));
        // Found with `object::at`: `Value::pointer` allocates a String per token.
        let entries = kubesim::sim::object::at(object, "/metadata/managedFields");
        managed_fields += allocated_by(|| entries.cloned());
        text += serde_json::to_vec(object).map_or(0, |t| t.len());
        let entry = by_resource.entry(resource.resource.clone()).or_default();
        entry.0 += 1;
        entry.1 += bytes;
    }
    // The versions only the watch log holds, as `Value`s (what they cost unpacked) and
    // as the store holds them (packed once every component has read them).
    let log = store.retained_log();
    let history: Vec<&Arc<Value>> = log
        .iter()
        .map(|e| &e.object)
        .filter(|o| Arc::strong_count(o) == 1)
        .collect();
    let history_bytes: usize = history
        .iter()
        .map(|o| allocated_by(|| Value::clone(o)))
        .sum();
    let (entries, packed, packed_bytes) = store.history_held();
    let (with_managed, managed_distinct, managed_packed) = store.managed_fields_held();
    let maps = allocated_by(|| store.clone());
    let messages = allocated_by(|| cluster.messages().to_vec());
    let network = allocated_by(|| cluster.network().clone());
    let everything = allocated_by(|| console.clone());
    let objects: usize = by_resource.values().map(|(_, b)| b).sum();
    let mut largest: Vec<_> = by_resource.iter().collect();
    largest.sort_by_key(|(_, (_, bytes))| std::cmp::Reverse(*bytes));
    let resources: Vec<String> = largest
        .iter()
        .take(5)
        .map(|(r, (n, b))| format!("{r} {n} {:.1}", mib(*b)))
        .collect();
    println!(
        "      held {:.1} MiB (peak resident {}): stored objects {:.1} ({}; managedFields in them {:.1}, held apart packed {:.1} for {} objects, {} distinct; {} Events packed in {:.1}, the bytes of their history entries; {:.1} of the others as JSON text), versions only the watch log holds {} ({:.1} as Values; {} packed in {:.1}) of {} entries, store maps and indexes {:.1}, messages {:.1}, data plane {:.1}, the rest of the console {:.1}",
        mib(held),
        peak_resident().map_or("unknown".into(), |b| format!("{:.1} MiB", mib(b))),
        mib(objects),
        resources.join(", "),
        mib(managed_fields),
        mib(managed_packed),
        with_managed,
        managed_distinct,
        cold.0,
        mib(cold.1),
        mib(text),
        history.len(),
        mib(history_bytes),
        packed,
        mib(packed_bytes),
        entries,
        mib(maps),
        mib(messages),
        mib(network),
        mib(everything.saturating_sub(maps + messages + network)),
    );
}

/// One benchmark case: cluster size and workload.
#[derive(Debug, Clone, Copy)]
struct Case {
    workers: usize,
    deployments: usize,
    replicas: usize,
}

impl std::str::FromStr for Case {
    type Err = String;
    fn from_str(s: &str) -> Result<Case, String> {
        let parts: Vec<usize> = s
            .split('x')
            .map(|p| p.parse().map_err(|_| format!("bad case {s:?}")))
            .collect::<Result<_, _>>()?;
        match parts[..] {
            [workers, deployments, replicas] => Ok(Case {
                workers,
                deployments,
                replicas,
            }),
            _ => Err(format!("bad case {s:?}: want WORKERSxDEPLOYMENTSxREPLICAS")),
        }
    }
}

const DEFAULT_CASES: &[&str] = &[
    "20x1x300",
    "20x30x10",
    "100x100x10",
    "1000x1000x10",
    "1000x3000x10",
];

/// Pods in `default` that are Running, and all pods in `default`.
fn running(console: &Console) -> (usize, usize) {
    let pods = console.cluster().store().list(
        &kubesim::sim::store::GroupResource::new("", "pods"),
        Some("default"),
    );
    let up = pods
        .iter()
        .filter(|p| p.pointer("/status/phase").and_then(|v| v.as_str()) == Some("Running"))
        .count();
    (up, pods.len())
}

/// What one case measured: pods, and the wall and CPU seconds from the first console
/// command to every pod Running.
struct Measured {
    case: Case,
    pods: usize,
    wall: f64,
    cpu: f64,
}

/// Seconds this process has spent on a CPU (`/proc/self/schedstat`, nanoseconds), or
/// NaN where that file does not exist.
fn cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(f64::NAN, |ns| ns / 1e9)
}

fn run(case: Case) -> Measured {
    let started = Instant::now();
    let mut console = Console::with_options(
        ClusterOptions {
            workers: case.workers,
            ..Default::default()
        },
        Box::new(MemoryFiles::default()),
    );
    let booted = started.elapsed();
    let create_start = Instant::now();
    let cpu_start = cpu_seconds();
    for d in 0..case.deployments {
        let out = console.execute(&format!(
            "kubectl create deployment web-{d} --image=nginx --replicas={}",
            case.replicas
        ));
        assert!(out.contains("created"), "{out}");
    }
    let created = create_start.elapsed();
    let want = case.deployments * case.replicas;
    let mut virtual_seconds = 0;
    loop {
        let (up, total) = running(&console);
        if up == want && total == want {
            break;
        }
        assert!(
            virtual_seconds < 3600,
            "pods never all Running: {up}/{total}"
        );
        console.cluster_mut().advance(1000);
        virtual_seconds += 1;
    }
    let total = create_start.elapsed();
    let cpu = cpu_seconds() - cpu_start;
    println!(
        "{:>5} nodes {:>5} Deployments × {:>3} = {:>6} pods: boot {:>7.1} ms, create {:>8.1} ms, all Running {:>8.1} ms ({} s virtual; CPU {:.1} ms), {:.1} µs/pod; peak resident so far {}",
        case.workers + 1,
        case.deployments,
        case.replicas,
        want,
        booted.as_secs_f64() * 1e3,
        created.as_secs_f64() * 1e3,
        total.as_secs_f64() * 1e3,
        virtual_seconds,
        cpu * 1e3,
        total.as_secs_f64() * 1e6 / want as f64,
        peak_resident().map_or("unknown".into(), |b| format!("{:.0} MiB", mib(b))),
    );
    if std::env::var_os("SCALE_BREAKDOWN").is_some() {
        breakdown(&console);
    }
    Measured {
        case,
        pods: want,
        wall: total.as_secs_f64(),
        cpu,
    }
}

/// How the time grew from one case to the next on the same cluster size.
fn growth(before: &Measured, after: &Measured) {
    println!(
        "{:>5} nodes: {} → {} pods ({:.1}× the pods): {:.2}× the wall time, {:.2}× the CPU time",
        after.case.workers + 1,
        before.pods,
        after.pods,
        after.pods as f64 / before.pods as f64,
        after.wall / before.wall,
        after.cpu / before.cpu,
    );
}

fn main() {
    // Counted from the start, before the bench allocates anything it keeps, or not at all.
    counting::count(std::env::var_os("SCALE_BREAKDOWN").is_some());
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let cases: Vec<Case> = if args.is_empty() {
        DEFAULT_CASES
            .iter()
            .map(|c| c.parse().expect("valid"))
            .collect()
    } else {
        args.iter()
            .map(|c| c.parse().unwrap_or_else(|e| panic!("{e}")))
            .collect()
    };
    let mut measured: Vec<Measured> = vec![];
    for case in cases {
        let m = run(case);
        if let Some(before) = measured
            .iter()
            .rev()
            .find(|b| b.case.workers == m.case.workers && b.pods < m.pods)
        {
            growth(before, &m);
        }
        measured.push(m);
    }
}
