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

use kubesim::console::files::MemoryFiles;
use kubesim::console::Console;
use kubesim::sim::ClusterOptions;
use std::time::Instant;

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
        "{:>5} nodes {:>5} Deployments × {:>3} = {:>6} pods: boot {:>7.1} ms, create {:>8.1} ms, all Running {:>8.1} ms ({} s virtual; CPU {:.1} ms), {:.1} µs/pod",
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
    );
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
