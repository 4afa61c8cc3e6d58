//! `kubectl cordon`, `uncordon` and `drain`: mark a node unschedulable, and evict its
//! pods the way kubectl's drain helper does (DaemonSet pods and bare pods need flags).

use super::flags::{self, switch, value, Flag};
use crate::console::output::Output;
use crate::console::Console;
use crate::sim::apiserver::{DeleteOptions, WriteOptions};
use crate::sim::errors::{go_quote, StatusReason};
use crate::sim::json::json;
use crate::sim::messages::Component;
use crate::sim::object;
use crate::sim::resources::ResourceType;
use crate::sim::time::{go_duration, parse_duration, Millis, MINUTE, SECOND};
use serde_json::Value;

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
    let pods = pods_type(console);
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
    let timeout = parsed
        .get("timeout")
        .and_then(parse_duration)
        .filter(|t| *t > 0);
    let errors = if parsed.bool("disable-eviction") {
        delete_pods(console, &evict, grace, &mut out)
    } else {
        evict_pods(console, &evict, grace, timeout, &mut out)
    };
    if !errors.is_empty() {
        // An aggregate of one error reads as that error; of several, as a list.
        let joined = if errors.len() == 1 {
            errors[0].clone()
        } else {
            format!("[{}]", errors.join(", "))
        };
        let still_there: Vec<&Value> = evict
            .iter()
            .filter(|p| {
                console
                    .cluster
                    .get(&pods, object::namespace(p), object::name(p))
                    .is_ok_and(|live| object::uid(live) == object::uid(p))
            })
            .collect();
        if !still_there.is_empty() {
            out.err(format!(
                "There are pending pods in node \"{name}\" when an error occurred: {joined}"
            ));
            for p in still_there {
                out.err(format!("pod/{}", object::name(p)));
            }
        }
        out.err(format!(
            "error: unable to drain node \"{name}\" due to error: {joined}, continuing command..."
        ));
        out.err(format!("There are pending nodes to be drained:\n {name}"));
        out.error(format!("error: {joined}"));
        return out;
    }
    out.out(format!("node/{name} drained\n"));
    out
}

/// How long drain keeps retrying a budget-blocked eviction when no `--timeout` is given
/// (real kubectl retries until interrupted; a transcript has to end).
const UNBOUNDED_RETRY_CAP: Millis = 10 * MINUTE;

/// `--disable-eviction`: plain deletes, then wait for the pods to go.
fn delete_pods(
    console: &mut Console,
    pods_to_delete: &[Value],
    grace: Option<i64>,
    out: &mut Output,
) -> Vec<String> {
    let pods = pods_type(console);
    for p in pods_to_delete {
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
    let mut waiting: Vec<Value> = pods_to_delete.to_vec();
    wait_until_gone(console, &mut waiting, out, "deleted", None);
    vec![]
}

/// kubectl's `evictPods`: each pod is evicted (`evicting pod ns/name`); a budget that
/// allows no disruption answers 429 and the pod is tried again 5 s later, until the
/// global `--timeout`; an evicted pod is reported once it is gone.
fn evict_pods(
    console: &mut Console,
    to_evict: &[Value],
    grace: Option<i64>,
    timeout: Option<Millis>,
    out: &mut Output,
) -> Vec<String> {
    let start = console.cluster.now();
    let deadline = timeout.map(|t| start + t);
    // Per pod: the virtual time of its next eviction attempt; None once accepted.
    let mut next_try: Vec<Option<Millis>> = vec![Some(start); to_evict.len()];
    let mut waiting: Vec<Value> = vec![];
    let mut errors = vec![];
    loop {
        let now = console.cluster.now();
        for (p, slot) in to_evict.iter().zip(next_try.iter_mut()) {
            if !slot.is_some_and(|t| t <= now) {
                continue;
            }
            let (ns, pod_name) = (object::namespace(p), object::name(p));
            out.out(format!("evicting pod {ns}/{pod_name}\n"));
            if deadline.is_some_and(|d| now >= d) {
                errors.push(format!(
                    "error when evicting pods/{} -n {}: global timeout reached: {}",
                    go_quote(pod_name),
                    go_quote(ns),
                    go_duration(timeout.unwrap_or(0))
                ));
                *slot = None;
                continue;
            }
            match console
                .cluster
                .evict(ns, pod_name, grace, Component::Kubectl)
            {
                Ok(()) => {
                    waiting.push(p.clone());
                    *slot = None;
                }
                Err(e) if e.reason == StatusReason::NotFound => *slot = None,
                Err(e) if e.reason == StatusReason::TooManyRequests => {
                    out.err(format!(
                        "error when evicting pods/{} -n {} (will retry after 5s): {}",
                        go_quote(pod_name),
                        go_quote(ns),
                        e.message
                    ));
                    *slot = Some(now + 5 * SECOND);
                }
                Err(e) => {
                    errors.push(format!(
                        "error when evicting pods/{} -n {}: {}",
                        go_quote(pod_name),
                        go_quote(ns),
                        e.message
                    ));
                    *slot = None;
                }
            }
        }
        console.cluster.settle();
        let retry = next_try.iter().flatten().min().copied();
        wait_until_gone(console, &mut waiting, out, "evicted", retry);
        let Some(retry) = retry else {
            if !waiting.is_empty() {
                wait_until_gone(console, &mut waiting, out, "evicted", None);
            }
            return errors;
        };
        if deadline.is_none() && retry > start + UNBOUNDED_RETRY_CAP {
            out.err(format!(
                "(kubesim: still retrying after {} of simulated time; stopped here. Real kubectl retries until interrupted; pass --timeout to bound it.)",
                go_duration(UNBOUNDED_RETRY_CAP)
            ));
            out.status = 1;
            return errors;
        }
        if console.cluster.now() < retry {
            console.cluster.run_until(retry);
        }
    }
}

/// Waits (in virtual time, up to `until` or 600 s) for each pod to be gone, printing
/// `pod/NAME <word>` as each goes, as kubectl's `waitForDelete` does.
fn wait_until_gone(
    console: &mut Console,
    waiting: &mut Vec<Value>,
    out: &mut Output,
    word: &str,
    until: Option<Millis>,
) {
    let pods = pods_type(console);
    let start = console.cluster.now();
    let limit = until.unwrap_or(start + 600 * SECOND);
    loop {
        waiting.retain(|p| {
            let gone = console
                .cluster
                .get(&pods, object::namespace(p), object::name(p))
                .map_or(true, |live| object::uid(live) != object::uid(p));
            if gone {
                out.out(format!("pod/{} {word}\n", object::name(p)));
            }
            !gone
        });
        if waiting.is_empty() {
            return;
        }
        match console.cluster.next_event_at() {
            Some(t) if t <= limit => console.cluster.run_until(t),
            _ => return,
        }
    }
}

fn pods_type(console: &Console) -> ResourceType {
    console
        .cluster
        .registry()
        .resolve("pods")
        .expect("built in")
        .clone()
}
