//! `kubectl logs POD [-c CONTAINER] [--previous] [--tail N]`: what the container printed,
//! from the kubelet's simulated runtime, with kubectl's and the kubelet's error wording.

use super::flags::{self, switch, value, Flag};
use super::{namespace_of, standard_message};
use crate::console::output::Output;
use crate::console::Console;
use crate::sim::errors::ApiError;
use crate::sim::object;
use crate::sim::sort::SharedSort;
use serde_json::Value;

const LOGS_FLAGS: &[Flag] = &[
    value("container", Some('c')),
    switch("previous", Some('p')),
    value("tail", None),
    switch("follow", Some('f')),
    switch("timestamps", None),
    switch("all-containers", None),
    value("since", None),
    switch("prefix", None),
];

pub fn logs(console: &mut Console, args: &[String]) -> Output {
    let parsed = match flags::parse("logs", args, LOGS_FLAGS) {
        Ok(p) => p,
        Err(e) => return Output::fail(e),
    };
    let ns = namespace_of(console, &parsed);
    let Some(target) = parsed.positional.first() else {
        return Output::fail("error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples");
    };
    let mut out = Output::default();
    let name = match target.split_once('/') {
        Some(("pod" | "pods" | "po", n)) => n.to_string(),
        Some((kind, owner)) => match first_pod(console, &ns, kind, owner) {
            Ok((pod, count)) => {
                if count > 1 {
                    out.err(format!("Found {count} pods, using pod/{pod}\n"));
                }
                pod
            }
            Err(e) => return Output::fail(e),
        },
        None => target.clone(),
    };
    let Some(rt) = console.cluster.registry().resolve("pods").cloned() else {
        return Output::fail("error: pods are not served");
    };
    let pod: Value = match console.cluster.get(&rt, &ns, &name) {
        Ok(p) => p.clone(),
        Err(e) => return Output::fail(standard_message(&e)),
    };
    let names: Vec<String> = pod
        .pointer("/spec/containers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|c| object::str_at(c, "/name").to_string())
        .collect();
    let container = match parsed.get("container") {
        Some(c) => c.to_string(),
        None => {
            let default = object::annotation(&pod, "kubectl.kubernetes.io/default-container")
                .map(String::from)
                .or_else(|| names.first().cloned())
                .unwrap_or_default();
            if names.len() > 1
                && object::annotation(&pod, "kubectl.kubernetes.io/default-container").is_none()
            {
                out.err(format!(
                    "Defaulted container {default:?} out of: {}\n",
                    names.join(", ")
                ));
            }
            default
        }
    };
    let init_names: Vec<String> = pod
        .pointer("/spec/initContainers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|c| object::str_at(c, "/name").to_string())
        .collect();
    if !names.contains(&container) && !init_names.contains(&container) {
        let e = ApiError::bad_request(format!("container {container} is not valid for pod {name}"));
        out.error(standard_message(&e));
        return out;
    }
    let lines = match crate::sim::kubelet::container_logs(
        &console.cluster,
        &pod,
        &container,
        parsed.bool("previous"),
    ) {
        Ok(l) => l,
        Err(msg) => {
            out.error(standard_message(&ApiError::bad_request(msg)));
            return out;
        }
    };
    let tail = parsed
        .get("tail")
        .and_then(|t| t.parse::<i64>().ok())
        .unwrap_or(-1);
    let start = if tail >= 0 {
        lines.len().saturating_sub(tail as usize)
    } else {
        0
    };
    let text: String = lines[start..].iter().map(|l| format!("{l}\n")).collect();
    out.out(text);
    out
}

/// `kubectl logs deploy/web`: the controller's selector picks its pods; kubectl logs the
/// first by `podutils.ByLogging` (running and ready first, then the oldest).
fn first_pod(
    console: &Console,
    ns: &str,
    kind: &str,
    name: &str,
) -> Result<(String, usize), String> {
    let resource = match kind {
        "deployment" | "deployments" | "deploy" | "deployment.apps" => "deployments",
        "replicaset" | "replicasets" | "rs" => "replicasets",
        "statefulset" | "statefulsets" | "sts" => "statefulsets",
        "daemonset" | "daemonsets" | "ds" => "daemonsets",
        "job" | "jobs" => "jobs",
        other => return Err(format!("error: cannot get the logs from {other}")),
    };
    let cluster = &console.cluster;
    let rt = cluster
        .registry()
        .resolve(resource)
        .cloned()
        .ok_or("error: not served")?;
    let owner = cluster
        .get(&rt, ns, name)
        .map_err(|e| standard_message(&e))?;
    let selector = crate::sim::labels::Selector::from_label_selector(
        owner.pointer("/spec/selector").unwrap_or(&Value::Null),
    );
    let pods_rt = cluster
        .registry()
        .resolve("pods")
        .cloned()
        .ok_or("error: pods are not served")?;
    let mut pods: Vec<&Value> = cluster
        .list(&pods_rt, Some(ns))
        .into_iter()
        .filter(|p| selector.matches_object(p))
        .collect();
    if pods.is_empty() {
        return Err("error: timed out waiting for the condition".to_string());
    }
    let rank = |p: &Value| {
        let running = object::str_at(p, "/status/phase") == "Running";
        let ready = p
            .pointer("/status/conditions")
            .and_then(Value::as_array)
            .is_some_and(|cs| {
                cs.iter().any(|c| {
                    object::str_at(c, "/type") == "Ready" && object::str_at(c, "/status") == "True"
                })
            });
        (
            !running,
            !ready,
            object::str_at(p, "/metadata/creationTimestamp").to_string(),
            object::name(p).to_string(),
        )
    };
    pods.sort_shared_by_key(|p| rank(p));
    Ok((object::name(pods[0]).to_string(), pods.len()))
}
