//! Invariants of the workload controllers under random sequences of applies, scales,
//! image changes, deletes and node failures (issue 4), checked after every step:
//!
//! - rolling updates stay within their bounds: never more than `replicas + maxSurge`
//!   pods, never fewer than `replicas - maxUnavailable` available (checked second by
//!   second through a rollout that starts from a fully available Deployment);
//! - pod IPs are unique;
//! - an OrderedReady StatefulSet's pods are always a prefix `0..k` of its ordinals
//!   (created in order, removed in reverse);
//! - after a cascading delete settles, nothing is left whose controller owner is gone.

use kubesim::console::Console;
use kubesim::sim::object;
use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

fn objects(console: &Console, typed: &str) -> Vec<Value> {
    let rt = console
        .cluster()
        .registry()
        .resolve(typed)
        .expect("built-in type")
        .clone();
    console
        .cluster()
        .list(&rt, None)
        .into_iter()
        .cloned()
        .collect()
}

fn pod_is_active(p: &Value) -> bool {
    !object::is_deleting(p) && !matches!(object::str_at(p, "/status/phase"), "Succeeded" | "Failed")
}

fn pod_ready(p: &Value) -> bool {
    p.pointer("/status/conditions")
        .and_then(Value::as_array)
        .is_some_and(|cs| {
            cs.iter().any(|c| {
                object::str_at(c, "/type") == "Ready" && object::str_at(c, "/status") == "True"
            })
        })
}

fn check_unique_ips(console: &Console) -> Result<(), String> {
    let mut seen = BTreeMap::new();
    for p in objects(console, "pods") {
        if p.pointer("/spec/hostNetwork")
            .and_then(Value::as_bool)
            .unwrap_or(false)
            || !pod_is_active(&p)
        {
            continue;
        }
        let ip = object::str_at(&p, "/status/podIP").to_string();
        if ip.is_empty() {
            continue;
        }
        if let Some(other) = seen.insert(ip.clone(), object::name(&p).to_string()) {
            return Err(format!(
                "pod IP {ip} used by both {other} and {}",
                object::name(&p)
            ));
        }
    }
    Ok(())
}

fn check_statefulset_prefix(console: &Console) -> Result<(), String> {
    for sts in objects(console, "statefulsets") {
        let name = object::name(&sts);
        let ordinals: BTreeSet<u32> = objects(console, "pods")
            .iter()
            .filter(|p| object::controller_of(p).is_some_and(|o| o.uid == object::uid(&sts)))
            .filter_map(|p| object::name(p).rsplit('-').next()?.parse().ok())
            .collect();
        if let Some(max) = ordinals.iter().max() {
            if ordinals.len() as u32 != max + 1 {
                return Err(format!(
                    "statefulset {name} has ordinals {ordinals:?}, not a prefix"
                ));
            }
        }
    }
    Ok(())
}

fn check_no_orphans(console: &Console) -> Result<(), String> {
    let mut uids = BTreeSet::new();
    for t in [
        "deployments",
        "replicasets",
        "statefulsets",
        "daemonsets",
        "nodes",
        "jobs",
    ] {
        for o in objects(console, t) {
            uids.insert(object::uid(&o).to_string());
        }
    }
    for t in ["replicasets", "pods"] {
        for o in objects(console, t) {
            if let Some(owner) = object::controller_of(&o) {
                if !uids.contains(&owner.uid) && !object::is_deleting(&o) {
                    return Err(format!(
                        "{t} {} outlived its owner {} {}",
                        object::name(&o),
                        owner.kind,
                        owner.name
                    ));
                }
            }
        }
    }
    Ok(())
}

#[derive(Debug, Clone)]
enum Op {
    Deploy {
        name: usize,
        replicas: u8,
        image: usize,
    },
    Scale {
        name: usize,
        replicas: u8,
    },
    SetImage {
        name: usize,
        image: usize,
    },
    Delete {
        name: usize,
    },
    StatefulSet {
        replicas: u8,
    },
    DeleteStatefulSet,
    NodeDown {
        worker: u8,
    },
    NodeUp {
        worker: u8,
    },
    Sleep {
        seconds: u16,
    },
}

const IMAGES: &[&str] = &["nginx:1.25", "nginx:1.26", "nginx:1.27"];

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..2usize, 1..6u8, 0..3usize).prop_map(|(name, replicas, image)| Op::Deploy {
            name,
            replicas,
            image
        }),
        (0..2usize, 0..7u8).prop_map(|(name, replicas)| Op::Scale { name, replicas }),
        (0..2usize, 0..3usize).prop_map(|(name, image)| Op::SetImage { name, image }),
        (0..2usize).prop_map(|name| Op::Delete { name }),
        (1..5u8).prop_map(|replicas| Op::StatefulSet { replicas }),
        Just(Op::DeleteStatefulSet),
        (1..4u8).prop_map(|worker| Op::NodeDown { worker }),
        (1..4u8).prop_map(|worker| Op::NodeUp { worker }),
        (1..400u16).prop_map(|seconds| Op::Sleep { seconds }),
    ]
}

fn command(op: &Op) -> String {
    match op {
        Op::Deploy { name, replicas, image } => format!(
            "kubectl apply -f - <<EOF\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d{name}\nspec:\n  replicas: {replicas}\n  selector:\n    matchLabels:\n      app: d{name}\n  template:\n    metadata:\n      labels:\n        app: d{name}\n    spec:\n      containers:\n      - name: c\n        image: {}\nEOF",
            IMAGES[*image]
        ),
        Op::Scale { name, replicas } => format!("kubectl scale deployment d{name} --replicas={replicas}"),
        Op::SetImage { name, image } => format!("kubectl set image deployment/d{name} c={}", IMAGES[*image]),
        Op::Delete { name } => format!("kubectl delete deployment d{name}"),
        Op::StatefulSet { replicas } => format!(
            "kubectl apply -f - <<EOF\napiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  serviceName: db\n  replicas: {replicas}\n  selector:\n    matchLabels:\n      app: db\n  template:\n    metadata:\n      labels:\n        app: db\n    spec:\n      containers:\n      - name: c\n        image: redis:7\nEOF"
        ),
        Op::DeleteStatefulSet => "kubectl delete statefulset db".to_string(),
        Op::NodeDown { worker } => format!("sim node down worker-{worker}"),
        Op::NodeUp { worker } => format!("sim node up worker-{worker}"),
        Op::Sleep { seconds } => format!("sleep {seconds}"),
    }
}

proptest! {
    #![proptest_config(Config { cases: 48, failure_persistence: None, ..Config::default() })]

    #[test]
    fn invariants_hold_after_every_step(seed in 0u64..1000, ops in proptest::collection::vec(op(), 1..12)) {
        let mut console = Console::new(seed);
        for op in &ops {
            let out = console.execute(&command(op));
            prop_assert!(!out.contains("panicked"), "{op:?}: {out}");
            check_unique_ips(&console).map_err(|e| TestCaseError::fail(format!("after {op:?}: {e}")))?;
            check_statefulset_prefix(&console).map_err(|e| TestCaseError::fail(format!("after {op:?}: {e}")))?;
        }
        // Bring every node back, let everything settle, then cascade-delete it all.
        console.execute("sim node up worker-1; sim node up worker-2; sim node up worker-3; sleep 10m");
        console.execute("kubectl delete deployment --all; kubectl delete statefulset --all; sleep 2m");
        check_no_orphans(&console).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn rolling_updates_stay_within_their_bounds(
        replicas in 1u8..9,
        surge in 0u8..4,
        unavailable in 0u8..4,
        seed in 0u64..1000,
    ) {
        prop_assume!(surge + unavailable > 0);
        let mut console = Console::new(seed);
        let manifest = format!(
            "kubectl apply -f - <<EOF\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: {replicas}\n  strategy:\n    rollingUpdate:\n      maxSurge: {surge}\n      maxUnavailable: {unavailable}\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: c\n        image: nginx:1.25\nEOF"
        );
        console.execute(&manifest);
        console.execute("sleep 60");
        console.execute("kubectl set image deployment/web c=nginx:1.26");
        let (max_pods, min_available) = (replicas as usize + surge as usize, replicas.saturating_sub(unavailable) as usize);
        for second in 0..120 {
            let pods: Vec<Value> = objects(&console, "pods")
                .into_iter()
                .filter(|p| object::str_at(p, "/metadata/labels/app") == "web" && pod_is_active(p))
                .collect();
            let available = pods.iter().filter(|p| pod_ready(p)).count();
            prop_assert!(pods.len() <= max_pods, "t+{second}s: {} pods > {max_pods}", pods.len());
            prop_assert!(available >= min_available, "t+{second}s: {available} available < {min_available}");
            console.execute("sleep 1");
        }
        let done = console.execute("kubectl rollout status deployment/web --timeout=1s");
        prop_assert!(done.contains("successfully rolled out"), "{done}");
    }
}
