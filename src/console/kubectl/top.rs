//! `kubectl top node|pod`: CPU and memory from the Metrics API (`sim::metrics`), printed
//! as kubectl's `top_printer.go` prints them — every cell tab-terminated (so the last
//! column is padded too), CPU as `250m`, memory as `12Mi`, node percentages of the
//! allocatable — with the errors of `top_node.go`/`top_pod.go`: `Metrics API not
//! available`, `metrics not available yet` while every pod is younger than two minutes,
//! `Metrics not available for pod ns/name, age: …` after that.

use super::flags::{self, switch, value, Flag, Parsed};
use super::namespace_of;
use crate::console::output::Output;
use crate::console::printers::tabwriter::TABLE;
use crate::console::Console;
use crate::sim::labels::Selector;
use crate::sim::metrics::{self, NodeMetrics, PodMetrics};
use crate::sim::object;
use crate::sim::sort::SharedSort;
use crate::sim::time::{go_duration, Millis, MINUTE};
use serde_json::Value;

const NODE_FLAGS: &[Flag] = &[
    value("selector", Some('l')),
    value("sort-by", None),
    switch("no-headers", None),
    switch("show-capacity", None),
    switch("use-protocol-buffers", None),
];

const POD_FLAGS: &[Flag] = &[
    switch("all-namespaces", Some('A')),
    value("selector", Some('l')),
    value("field-selector", None),
    value("sort-by", None),
    switch("containers", None),
    switch("no-headers", None),
    switch("sum", None),
    switch("use-protocol-buffers", None),
];

/// `metricsCreationDelay`: younger pods are expected to have no metrics yet.
const CREATION_DELAY: Millis = 2 * MINUTE;

const API_UNAVAILABLE: &str = "error: Metrics API not available";

const USAGE: &str = "Display resource (CPU/memory) usage.

 The top command allows you to see the resource consumption for nodes or pods.

 This command requires Metrics Server to be correctly configured and working on the server.

Available Commands:
  node          Display resource (CPU/memory) usage of nodes
  pod           Display resource (CPU/memory) usage of pods

Usage:
  kubectl top [flags] [options]

Use \"kubectl top <command> --help\" for more information about a given command.
Use \"kubectl options\" for a list of global command-line options (applies to all commands).
";

pub fn top(console: &mut Console, args: &[String]) -> Output {
    match args.first().map(String::as_str) {
        None => Output::ok(USAGE),
        Some("node" | "nodes" | "no") => top_node(console, &args[1..]),
        Some("pod" | "pods" | "po") => top_pod(console, &args[1..]),
        Some(other) if other.starts_with('-') => Output::ok(USAGE),
        Some(other) => Output::fail(format!(
            "error: unknown command \"{other}\" for \"kubectl top\"\n\nDid you mean this?\n\tnode\n\tpod\n"
        )),
    }
}

/// The flags, `--sort-by` (checked) and `-l` of either subcommand.
fn parse(
    command: &str,
    args: &[String],
    flags: &[Flag],
) -> Result<(Parsed, Option<String>, Selector), String> {
    let parsed = flags::parse(command, args, flags)?;
    let sort = match parsed.get("sort-by") {
        None | Some("") => None,
        Some(s @ ("cpu" | "memory")) => Some(s.to_string()),
        Some(_) => return Err("error: --sort-by accepts only cpu or memory".to_string()),
    };
    let selector =
        Selector::parse(parsed.get("selector").unwrap_or("")).map_err(|e| format!("error: {e}"))?;
    Ok((parsed, sort, selector))
}

fn cpu(millicores: u64) -> String {
    format!("{millicores}m")
}

fn memory(bytes: u64) -> String {
    format!("{}Mi", bytes / (1024 * 1024))
}

/// `kubectl top node [NAME | -l label]`.
fn top_node(console: &mut Console, args: &[String]) -> Output {
    let (parsed, sort, selector) = match parse("top node", args, NODE_FLAGS) {
        Ok(p) => p,
        Err(e) => return Output::fail(e),
    };
    let sort = sort.as_deref();
    let name = parsed.positional.first().cloned();
    let Ok(all) = metrics::node_metrics(&console.cluster) else {
        return Output::fail(API_UNAVAILABLE);
    };
    let nodes_rt = console
        .cluster
        .registry()
        .resolve("nodes")
        .expect("built in")
        .clone();
    let nodes: Vec<Value> = match &name {
        Some(n) => match console.cluster.get(&nodes_rt, "", n) {
            Ok(node) => vec![node.clone()],
            // metrics-server answers from its node lister, whose NotFound names "node".
            Err(_) => {
                return Output::fail(format!(
                    "Error from server (NotFound): node \"{n}\" not found"
                ))
            }
        },
        None => console
            .cluster
            .list(&nodes_rt, None)
            .into_iter()
            .filter(|n| selector.matches_object(n))
            .cloned()
            .collect(),
    };
    let mut measured: Vec<&NodeMetrics> = all
        .iter()
        .filter(|m| nodes.iter().any(|n| object::name(n) == m.name))
        .collect();
    if let Some(n) = &name {
        if measured.is_empty() {
            return Output::fail(format!(
                "Error from server (NotFound): nodemetrics.metrics.k8s.io \"{n}\" not found"
            ));
        }
    }
    if measured.is_empty() {
        return Output::fail("error: metrics not available yet");
    }
    match sort {
        Some("cpu") => measured.sort_shared_by_key(|m| std::cmp::Reverse(m.cpu_millicores)),
        Some("memory") => measured.sort_shared_by_key(|m| std::cmp::Reverse(m.memory_bytes)),
        _ => {}
    }
    let field = if parsed.bool("show-capacity") {
        "capacity"
    } else {
        "allocatable"
    };
    let available = |node: &str, resource: &str| -> Option<i64> {
        nodes
            .iter()
            .find(|n| object::name(n) == node)
            .and_then(|n| n.pointer(&format!("/status/{field}/{resource}")))
            .and_then(Value::as_str)
            .and_then(crate::sim::scheduler::parse_milli)
            .filter(|v| *v > 0)
    };
    let percent = |used_milli: i64, node: &str, resource: &str| {
        available(node, resource).map_or(String::new(), |a| {
            format!("{}%\t", (used_milli as f64 / a as f64 * 100.0) as i64)
        })
    };
    let mut text = String::new();
    if !parsed.bool("no-headers") {
        text.push_str("NAME\tCPU(cores)\tCPU(%)\tMEMORY(bytes)\tMEMORY(%)\t\n");
    }
    for m in &measured {
        text.push_str(&format!(
            "{}\t{}\t{}{}\t{}\n",
            m.name,
            cpu(m.cpu_millicores),
            percent(m.cpu_millicores as i64, &m.name, "cpu"),
            memory(m.memory_bytes),
            percent(m.memory_bytes as i64 * 1000, &m.name, "memory"),
        ));
    }
    // Nodes the server has no metrics for (a stopped kubelet).
    for n in &nodes {
        if !measured.iter().any(|m| m.name == object::name(n)) {
            text.push_str(&format!(
                "{}\t<unknown>\t<unknown>\t<unknown>\t<unknown>\t\n",
                object::name(n)
            ));
        }
    }
    Output::ok(TABLE.format(&text))
}

/// `kubectl top pod [NAME | -l label]`.
fn top_pod(console: &mut Console, args: &[String]) -> Output {
    let (parsed, sort, selector) = match parse("top pod", args, POD_FLAGS) {
        Ok(p) => p,
        Err(e) => return Output::fail(e),
    };
    let sort = sort.as_deref();
    let all_namespaces = parsed.bool("all-namespaces");
    let namespace = namespace_of(console, &parsed);
    let scope = (!all_namespaces).then_some(namespace.as_str());
    let name = parsed.positional.first().cloned();
    let Ok(found) = metrics::pod_metrics(&console.cluster, scope, &selector) else {
        return Output::fail(API_UNAVAILABLE);
    };
    let mut found: Vec<PodMetrics> = match &name {
        Some(n) => {
            let Some(m) = found.into_iter().find(|m| &m.name == n) else {
                // metrics-server's Get: its pod lister's NotFound for a missing pod, its
                // own `namespace/name` NotFound for a pod it has no metrics for.
                let pods = console
                    .cluster
                    .registry()
                    .resolve("pods")
                    .expect("built in");
                if console.cluster.get(pods, &namespace, n).is_err() {
                    return Output::fail(format!(
                        "Error from server (NotFound): pod \"{n}\" not found"
                    ));
                }
                return Output::fail(format!(
                    "Error from server (NotFound): podmetrics.metrics.k8s.io \"{namespace}/{n}\" not found"
                ));
            };
            vec![m]
        }
        None => found,
    };
    if found.is_empty() {
        if let Err(e) = why_empty(console, scope, &selector) {
            return Output::fail(e);
        }
        // No pods at all: a note on stderr, not a failure.
        let mut out = Output::default();
        out.err(if all_namespaces {
            "No resources found".to_string()
        } else {
            format!("No resources found in {namespace} namespace.")
        });
        return out;
    }
    match sort {
        Some("cpu") => found.sort_shared_by_key(|m| std::cmp::Reverse(m.cpu_millicores())),
        Some("memory") => found.sort_shared_by_key(|m| std::cmp::Reverse(m.memory_bytes())),
        _ => {}
    }
    Output::ok(pod_table(&found, &parsed, all_namespaces, sort))
}

fn pod_table(
    found: &[PodMetrics],
    parsed: &Parsed,
    all_namespaces: bool,
    sort: Option<&str>,
) -> String {
    let containers = parsed.bool("containers");
    let mut text = String::new();
    if !parsed.bool("no-headers") {
        if all_namespaces {
            text.push_str("NAMESPACE\t");
        }
        if containers {
            text.push_str("POD\t");
        }
        text.push_str("NAME\tCPU(cores)\tMEMORY(bytes)\t\n");
    }
    for m in found {
        let namespace = if all_namespaces {
            format!("{}\t", m.namespace)
        } else {
            String::new()
        };
        if containers {
            let mut list: Vec<_> = m.containers.iter().collect();
            match sort {
                Some("cpu") => list.sort_shared_by_key(|m| std::cmp::Reverse(m.cpu_millicores)),
                Some("memory") => list.sort_shared_by_key(|m| std::cmp::Reverse(m.memory_bytes)),
                _ => list.sort_shared_by(|a, b| a.name.cmp(&b.name)),
            }
            for c in list {
                text.push_str(&format!(
                    "{namespace}{}\t{}\t{}\t{}\t\n",
                    m.name,
                    c.name,
                    cpu(c.cpu_millicores),
                    memory(c.memory_bytes)
                ));
            }
        } else {
            text.push_str(&format!(
                "{namespace}{}\t{}\t{}\t\n",
                m.name,
                cpu(m.cpu_millicores()),
                memory(m.memory_bytes())
            ));
        }
    }
    if parsed.bool("sum") {
        let pad = usize::from(all_namespaces) + usize::from(containers);
        let lead = "\t".repeat(pad);
        let (c, mem) = found.iter().fold((0, 0), |(c, mem), m| {
            (c + m.cpu_millicores(), mem + m.memory_bytes())
        });
        text.push_str(&format!("{lead}\t________\t________\t\n"));
        text.push_str(&format!("{lead}\t{}\t{}\t\n", cpu(c), memory(mem)));
    }
    TABLE.format(&text)
}

/// `verifyEmptyMetrics`: no metrics for any pod is "not available yet" while every pod
/// is younger than `metricsCreationDelay`, a named old pod's absence otherwise, and
/// nothing at all (`Ok`) when there are no pods.
fn why_empty(console: &Console, scope: Option<&str>, selector: &Selector) -> Result<(), String> {
    let pods = console
        .cluster
        .registry()
        .resolve("pods")
        .expect("built in");
    let now = console.cluster.now();
    let pods: Vec<&Value> = console
        .cluster
        .list(pods, scope)
        .into_iter()
        .filter(|p| selector.matches_object(p))
        .collect();
    if pods.is_empty() {
        return Ok(());
    }
    for p in pods {
        let created =
            crate::sim::time::parse_rfc3339(object::str_at(p, "/metadata/creationTimestamp"))
                .map_or(0, |t| t.max(0) as Millis);
        let age = now.saturating_sub(created);
        if age > CREATION_DELAY {
            return Err(format!(
                "error: Metrics not available for pod {}/{}, age: {}",
                object::namespace(p),
                object::name(p),
                go_duration(age)
            ));
        }
    }
    Err("error: metrics not available yet".to_string())
}
