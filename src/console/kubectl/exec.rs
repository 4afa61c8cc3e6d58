//! `kubectl exec (POD | TYPE/NAME) [-c CONTAINER] [-it] -- COMMAND [args...]`: runs a
//! program in a running container, if the container's image holds it
//! (`console::tools::pod_tools`), with kubectl's, the apiserver's, the kubelet's and
//! containerd's wording for everything that stops it — a missing pod, a completed pod,
//! a container that is not running, a binary the image does not contain — and
//! `command terminated with exit code N` when the program fails. Nothing in the cluster
//! changes, except for the flows the program's packets leave.

use super::flags::{self, switch, value, Flag};
use super::{namespace_of, standard_message};
use crate::console::output::Output;
use crate::console::tools::pod_tools::{self, PodContext};
use crate::console::Console;
use crate::sim::errors::ApiError;
use crate::sim::kubelet::images;
use crate::sim::labels::Selector;
use crate::sim::messages::Component;
use crate::sim::object;
use crate::sim::sort::SharedSort;
use serde_json::Value;

const EXEC_FLAGS: &[Flag] = &[
    value("container", Some('c')),
    switch("stdin", Some('i')),
    switch("tty", Some('t')),
    switch("quiet", Some('q')),
    value("filename", Some('f')),
    value("pod-running-timeout", None),
];

fn usage_error(message: &str) -> Output {
    Output::fail(format!(
        "error: {message}\nSee 'kubectl exec -h' for help and examples"
    ))
}

pub fn exec(console: &mut Console, args: &[String]) -> Output {
    let parsed = match flags::parse("exec", args, EXEC_FLAGS) {
        Ok(p) => p,
        Err(e) => return Output::fail(e),
    };
    if !parsed.saw_dashdash && parsed.positional.len() > 1 {
        return usage_error(
            "exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead",
        );
    }
    let Some(target) = parsed.positional.first() else {
        return usage_error("pod, type/name or --filename must be specified");
    };
    let command = &parsed.after_dashdash;
    if command.is_empty() {
        return Output::fail("error: you must specify at least one command for the container");
    }
    let ns = namespace_of(console, &parsed);
    let pod = match find_pod(console, &ns, target) {
        Ok(p) => p,
        Err(e) => return Output::fail(e),
    };
    let mut out = Output::default();
    let phase = object::str_at(&pod, "/status/phase");
    if phase == "Succeeded" || phase == "Failed" {
        out.error(format!(
            "error: cannot exec into a container in a completed pod; current phase is {phase}"
        ));
        return out;
    }
    let container = match parsed.get("container") {
        Some(c) => c.to_string(),
        None => {
            let (name, note) = default_container(&pod);
            if let Some(n) = note.filter(|_| !parsed.bool("quiet")) {
                out.err(n);
            }
            name
        }
    };
    let pod_name = object::name(&pod).to_string();
    let node = object::str_at(&pod, "/spec/nodeName").to_string();
    if node.is_empty() {
        out.error(standard_message(&ApiError::bad_request(format!(
            "pod {pod_name} does not have a host assigned"
        ))));
        return out;
    }
    if !crate::sim::controllers::kubelet_running(&console.cluster, &node) {
        out.error(format!(
            "Error from server: error dialing backend: dial tcp {}:10250: connect: connection refused",
            node_ip(console, &node)
        ));
        return out;
    }
    let Some(image) = running_image(&pod, &container) else {
        out.error(format!(
            "error: unable to upgrade connection: container not found ({container:?})"
        ));
        return out;
    };
    let image = match images::parse(&image) {
        Ok(i) => i,
        Err(e) => return Output::fail(format!("error: {e}")),
    };
    console.cluster.record(
        Component::Kubectl,
        Component::ApiServer,
        "create",
        format!("pods/{pod_name}/exec"),
        format!(
            "exec in pod {pod_name}, container {container}: {}",
            command.join(" ")
        ),
    );
    console.cluster.record(
        Component::ApiServer,
        Component::Kubelet(node.clone()),
        "exec",
        format!("pod/{pod_name}"),
        format!("kubelet on {node} runs {:?} in {container}", command[0]),
    );
    let ctx = PodContext {
        namespace: ns,
        pod: pod_name,
        container,
        toolkit: pod_tools::toolkit(&image),
        resolv: crate::sim::network::dns::ResolvConf::for_pod(&pod),
        image,
        object: pod,
    };
    let program = pod_tools::program_name(&command[0]);
    if !ctx.toolkit.has(program) {
        out.error(missing_binary(&ctx, &command[0]));
        return out;
    }
    let result = pod_tools::run(&mut console.cluster, &ctx, command);
    out.chunks.extend(result.chunks);
    if result.status != 0 {
        out.err(format!(
            "command terminated with exit code {}",
            result.status
        ));
        out.status = result.status;
    }
    out
}

/// containerd/runc's refusal, as kubectl relays it.
fn missing_binary(ctx: &PodContext, argv0: &str) -> String {
    let id: String = (0..8)
        .map(|i| {
            format!(
                "{:08x}",
                crate::sim::hash::fnv(&format!(
                    "{i}:{}:{}/{}/{argv0}",
                    i * 7919,
                    ctx.pod,
                    ctx.container
                ))
            )
        })
        .collect();
    let why = if argv0.contains('/') {
        format!("exec: \"{argv0}\": stat {argv0}: no such file or directory")
    } else {
        format!("exec: \"{argv0}\": executable file not found in $PATH")
    };
    format!(
        "error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec \"{id}\": OCI runtime exec failed: exec failed: unable to start container process: {why}: unknown"
    )
}

/// The image of `container` if it is running (the kubelet execs only into those).
fn running_image(pod: &Value, container: &str) -> Option<String> {
    let status = pod
        .pointer("/status/containerStatuses")
        .and_then(Value::as_array)?
        .iter()
        .find(|c| object::str_at(c, "/name") == container)?;
    status.pointer("/state/running")?;
    pod.pointer("/spec/containers")
        .and_then(Value::as_array)?
        .iter()
        .find(|c| object::str_at(c, "/name") == container)
        .map(|c| object::str_at(c, "/image").to_string())
}

/// The container kubectl picks without `-c`: the `default-container` annotation, else
/// the first; with several, the note kubectl prints.
fn default_container(pod: &Value) -> (String, Option<String>) {
    let names = |field: &str, suffix: &str| -> Vec<String> {
        pod.pointer(field)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|c| format!("{}{suffix}", object::str_at(c, "/name")))
            .collect()
    };
    let containers = names("/spec/containers", "");
    if let Some(a) = object::annotation(pod, "kubectl.kubernetes.io/default-container") {
        if containers.iter().any(|c| c == a) {
            return (a.to_string(), None);
        }
    }
    let first = containers.first().cloned().unwrap_or_default();
    let mut all = containers.clone();
    all.extend(names("/spec/initContainers", " (init)"));
    let note = (containers.len() > 1)
        .then(|| format!("Defaulted container {first:?} out of: {}", all.join(", ")));
    (first, note)
}

fn node_ip(console: &Console, node: &str) -> String {
    let rt = crate::sim::network::resource(&console.cluster, "nodes");
    console
        .cluster
        .get(&rt, "", node)
        .ok()
        .and_then(|n| n.pointer("/status/addresses"))
        .and_then(Value::as_array)
        .and_then(|a| {
            a.iter()
                .find(|x| object::str_at(x, "/type") == "InternalIP")
                .map(|x| object::str_at(x, "/address").to_string())
        })
        .unwrap_or_else(|| node.to_string())
}

/// `POD`, `pod/NAME`, or a controller or Service whose selector picks the pod
/// (kubectl's `AttachablePodForObject`: the first such pod).
fn find_pod(console: &Console, ns: &str, target: &str) -> Result<Value, String> {
    let cluster = &console.cluster;
    let registry = cluster.registry();
    let pods = registry
        .resolve("pods")
        .cloned()
        .ok_or("error: pods are not served")?;
    let (kind, name) = match target.split_once('/') {
        Some((k, n)) => (Some(k), n),
        None => (None, target),
    };
    let rt = match kind {
        None => pods.clone(),
        Some(k) => registry
            .resolve(k)
            .cloned()
            .ok_or_else(|| format!("error: the server doesn't have a resource type \"{k}\""))?,
    };
    let obj = cluster
        .get(&rt, ns, name)
        .map_err(|e| standard_message(&e))?
        .clone();
    if rt.plural == "pods" {
        return Ok(obj);
    }
    let selector = match rt.plural.as_str() {
        "services" => Selector::from_map(obj.pointer("/spec/selector").unwrap_or(&Value::Null)),
        "deployments" | "replicasets" | "statefulsets" | "daemonsets" | "jobs" => {
            Selector::from_label_selector(obj.pointer("/spec/selector").unwrap_or(&Value::Null))
        }
        _ => {
            return Err(format!(
                "error: cannot attach to {}: not implemented",
                object::kind(&obj)
            ))
        }
    };
    if selector.is_empty() {
        return Err("error: timed out waiting for the condition".into());
    }
    let mut matching: Vec<&Value> = cluster
        .list(&pods, Some(ns))
        .into_iter()
        .filter(|p| selector.matches_object(p) && !object::is_deleting(p))
        .collect();
    matching.sort_shared_by_key(|p| {
        (
            object::str_at(p, "/status/phase") != "Running",
            object::str_at(p, "/metadata/creationTimestamp").to_string(),
            object::name(p).to_string(),
        )
    });
    matching
        .first()
        .map(|p| (*p).clone())
        .ok_or_else(|| "error: timed out waiting for the condition".to_string())
}
