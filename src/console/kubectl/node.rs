//! `kubectl cordon`, `uncordon` and `drain`: mark a node unschedulable, and evict its
//! pods the way kubectl's drain helper does (DaemonSet pods and bare pods need flags).

use super::flags::{self, switch, value, Flag};
use crate::console::output::Output;
use crate::console::Console;
use crate::sim::apiserver::{DeleteOptions, WriteOptions};
use crate::sim::object;
use crate::sim::time::SECOND;
use serde_json::{json, Value};

const CORDON_FLAGS: &[Flag] = &[value("selector", Some('l')), value("dry-run", None)];

/// `kubectl cordon|uncordon NODE`.
pub fn cordon(console: &mut Console, args: &[String], on: bool) -> Output {
    let verb = if on { "cordon" } else { "uncordon" };
    let parsed = match flags::parse(verb, args, CORDON_FLAGS) {
        Ok(p) => p,
        Err(e) => return Output::fail(e),
    };
    let Some(name) = parsed.positional.first() else {
        return Output::fail(format!(
            "error: USAGE: {verb} NODE [flags]\nSee 'kubectl {verb} -h' for help and examples"
        ));
    };
    let out = set_unschedulable(console, name, on);
    console.settle_after_command();
    out
}

fn set_unschedulable(console: &mut Console, name: &str, on: bool) -> Output {
    let nodes = console
        .cluster
        .registry()
        .resolve("nodes")
        .expect("built in")
        .clone();
    let node = match console.cluster.get(&nodes, "", name) {
        Ok(n) => n.clone(),
        Err(e) => return Output::fail(super::standard_message(&e)),
    };
    let already = node
        .pointer("/spec/unschedulable")
        .and_then(Value::as_bool)
        .unwrap_or(false)
        == on;
    let word = if on { "cordoned" } else { "uncordoned" };
    if already {
        return Output::ok(format!("node/{name} already {word}\n"));
    }
    let mut updated = node;
    if on {
        updated["spec"]["unschedulable"] = json!(true);
    } else if let Some(spec) = updated.get_mut("spec").and_then(Value::as_object_mut) {
        spec.remove("unschedulable");
    }
    match console
        .cluster
        .update(&nodes, updated, &WriteOptions::default())
    {
        Ok(_) => Output::ok(format!("node/{name} {word}\n")),
        Err(e) => Output::fail(super::check_err(&e)),
    }
}

const DRAIN_FLAGS: &[Flag] = &[
    switch("ignore-daemonsets", None),
    switch("delete-emptydir-data", None),
    switch("force", None),
    value("grace-period", None),
    value("timeout", None),
    value("selector", Some('l')),
    value("pod-selector", None),
    switch("disable-eviction", None),
    value("dry-run", None),
];

/// `kubectl drain NODE [--ignore-daemonsets] [--force] [--delete-emptydir-data]`.
pub fn drain(console: &mut Console, args: &[String]) -> Output {
    let parsed = match flags::parse("drain", args, DRAIN_FLAGS) {
        Ok(p) => p,
        Err(e) => return Output::fail(e),
    };
    let Some(name) = parsed.positional.first().cloned() else {
        return Output::fail(
            "error: USAGE: drain NODE [flags]\nSee 'kubectl drain -h' for help and examples",
        );
    };
    let mut out = set_unschedulable(console, &name, true);
    if out.status != 0 {
        return out;
    }
    let pods = console
        .cluster
        .registry()
        .resolve("pods")
        .expect("built in")
        .clone();
    let on_node: Vec<Value> = console
        .cluster
        .list(&pods, None)
        .into_iter()
        .filter(|p| object::str_at(p, "/spec/nodeName") == name && !object::is_deleting(p))
        .cloned()
        .collect();
    let id = |p: &Value| format!("{}/{}", object::namespace(p), object::name(p));
    let mut daemon = vec![];
    let mut unmanaged = vec![];
    let mut local = vec![];
    let mut evict = vec![];
    for p in &on_node {
        let owner = object::controller_of(p);
        if object::annotation(p, "kubernetes.io/config.mirror").is_some() {
            continue;
        }
        if owner.as_ref().is_some_and(|o| o.kind == "DaemonSet") {
            daemon.push(id(p));
            continue;
        }
        if owner.is_none() && !parsed.bool("force") {
            unmanaged.push(id(p));
            continue;
        }
        let has_empty_dir = p
            .pointer("/spec/volumes")
            .and_then(Value::as_array)
            .is_some_and(|vs| vs.iter().any(|v| v.get("emptyDir").is_some()));
        if has_empty_dir && !parsed.bool("delete-emptydir-data") {
            local.push(id(p));
            continue;
        }
        evict.push(p.clone());
    }
    let mut problems = vec![];
    if !daemon.is_empty() && !parsed.bool("ignore-daemonsets") {
        problems.push(format!(
            "cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): {}",
            daemon.join(", ")
        ));
    }
    if !unmanaged.is_empty() {
        problems.push(format!(
            "cannot delete Pods that declare no controller (use --force to override): {}",
            unmanaged.join(", ")
        ));
    }
    if !local.is_empty() {
        problems.push(format!(
            "cannot delete Pods with local storage (use --delete-emptydir-data to override): {}",
            local.join(", ")
        ));
    }
    if !problems.is_empty() {
        let joined = problems.join(", ");
        out.err(format!(
            "error: unable to drain node \"{name}\" due to error: {joined}, continuing command..."
        ));
        out.err(format!("There are pending nodes to be drained:\n {name}"));
        out.error(problems.join("\n"));
        return out;
    }
    if !daemon.is_empty() {
        out.err(format!(
            "Warning: ignoring DaemonSet-managed Pods: {}",
            daemon.join(", ")
        ));
    }
    let grace = parsed
        .get("grace-period")
        .and_then(|g| g.parse::<i64>().ok())
        .filter(|g| *g >= 0);
    for p in &evict {
        out.out(format!("evicting pod {}\n", id(p)));
        let opts = DeleteOptions {
            grace_period_seconds: grace,
            ..Default::default()
        };
        if let Err(e) = console
            .cluster
            .delete(&pods, object::namespace(p), object::name(p), &opts)
        {
            out.error(super::standard_message(&e));
        }
    }
    console.cluster.settle();
    // Each eviction is reported once its pod is gone, as kubectl waits for them.
    let start = console.cluster.now();
    let mut pending: Vec<Value> = evict;
    while !pending.is_empty() {
        pending.retain(|p| {
            let gone = console
                .cluster
                .get(&pods, object::namespace(p), object::name(p))
                .map_or(true, |live| object::uid(live) != object::uid(p));
            if gone {
                out.out(format!("pod/{} evicted\n", object::name(p)));
            }
            !gone
        });
        if pending.is_empty() {
            break;
        }
        match console.cluster.next_event_at() {
            Some(t) if t <= start + 600 * SECOND => console.cluster.run_until(t),
            _ => break,
        }
    }
    out.out(format!("node/{name} drained\n"));
    out
}
