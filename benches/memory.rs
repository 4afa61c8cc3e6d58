//! Whether memory stays flat over virtual time: 24 hours of a cluster running a CronJob
//! every minute and one crash-looping pod (the workload of issue #10's measurement).
//! Run with `cargo bench --bench memory` (or `make bench`).
//!
//! At hours 1, 4, 12 and 24 it prints what the simulation holds — objects in the store,
//! the watch history etcd has not compacted yet, the control-plane message ring — as
//! counts and as JSON bytes (a deterministic proxy for memory), then the process's
//! resident set from `/proc/self/statm` on Linux, and the wall time each virtual hour
//! took. Flat means: hour 24 within 10 % of hour 1, and every hour as fast as the first.

use kubesim::console::files::MemoryFiles;
use kubesim::console::Console;
use kubesim::sim::time::HOUR;
use kubesim::sim::ClusterOptions;
use std::time::Instant;

const WORKLOAD: &str = r#"apiVersion: batch/v1
kind: CronJob
metadata:
  name: tick
spec:
  schedule: "* * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: tick
            image: busybox:1.36
            command: ["sh", "-c", "date; echo tick"]
---
apiVersion: v1
kind: Pod
metadata:
  name: crasher
spec:
  containers:
  - name: crasher
    image: busybox:1.36
    command: ["false"]
"#;

const CHECKPOINTS: [u64; 4] = [1, 4, 12, 24];

/// Bytes of `values` written as JSON: what the simulation holds, independent of the
/// allocator.
fn json_bytes<'a>(values: impl Iterator<Item = &'a serde_json::Value>) -> usize {
    values
        .map(|v| serde_json::to_vec(v).map_or(0, |b| b.len()))
        .sum()
}

/// Resident set size in MiB (Linux), if it can be read.
fn resident_mib() -> Option<f64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: f64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096.0 / (1024.0 * 1024.0))
}

fn main() {
    let mut console =
        Console::with_options(ClusterOptions::default(), Box::new(MemoryFiles::default()));
    let out = console.execute(&format!("kubectl apply -f - <<EOF\n{WORKLOAD}EOF"));
    assert!(out.contains("created"), "{out}");
    println!("24 h of virtual time, a CronJob every minute and one crash-looping pod:");
    let mut hour = 0;
    let mut hour_wall = Vec::new();
    let mut first_resident = None;
    let mut first_bytes = None;
    for checkpoint in CHECKPOINTS {
        while hour < checkpoint {
            let started = Instant::now();
            console.cluster_mut().advance(HOUR);
            hour_wall.push(started.elapsed().as_secs_f64());
            hour += 1;
        }
        let cluster = console.cluster();
        let store = cluster.store();
        let objects = store.objects().count();
        let object_bytes = json_bytes(store.objects());
        let log = store.retained_log();
        // Serialised size; an entry whose object is still current shares that object
        // with the store, so this overstates what the log adds.
        let log_bytes = json_bytes(log.iter().map(|e| &*e.object));
        let messages = cluster.messages();
        let message_bytes: usize = messages
            .iter()
            .map(|m| m.summary.len() + m.object.len())
            .sum();
        let held = object_bytes + log_bytes + message_bytes;
        let resident = resident_mib();
        let first_held = *first_bytes.get_or_insert(held);
        let first_rss = *first_resident.get_or_insert(resident.unwrap_or(0.0));
        let wall = hour_wall[hour as usize - 1];
        println!(
            "hour {hour:>2}: {objects:>5} objects {:>7.1} KiB, watch log {:>6} entries {:>7.1} KiB, messages {:>6} held ({} dropped) {:>6.1} KiB; held {:>7.1} KiB ({:+.1} % vs hour 1); resident {} ({:+.1} %); hour {hour} ran in {:.2} s",
            object_bytes as f64 / 1024.0,
            log.len(),
            log_bytes as f64 / 1024.0,
            messages.len(),
            cluster.messages_dropped(),
            message_bytes as f64 / 1024.0,
            held as f64 / 1024.0,
            (held as f64 / first_held as f64 - 1.0) * 100.0,
            resident.map_or("n/a".to_string(), |r| format!("{r:.1} MiB")),
            resident.map_or(0.0, |r| (r / first_rss - 1.0) * 100.0),
            wall,
        );
    }
    let total: f64 = hour_wall.iter().sum();
    let (fastest, slowest) = hour_wall
        .iter()
        .fold((f64::MAX, 0.0f64), |(lo, hi), w| (lo.min(*w), hi.max(*w)));
    println!(
        "run time: {total:.1} s for 24 virtual hours, {:.2} s per hour (fastest {fastest:.2} s, slowest {slowest:.2} s)",
        total / 24.0
    );
}
