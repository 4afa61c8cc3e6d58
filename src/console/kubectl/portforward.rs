//! `kubectl port-forward TYPE/NAME [LOCAL:]REMOTE…`: a tunnel from a port on the laptop
//! through kube-apiserver and the pod's kubelet into the pod (never through a Service's
//! load balancing: for `svc/NAME` kubectl picks one pod and translates the Service port
//! to that pod's target port, as `polymorphichelpers.AttachablePodForObjectFn` and
//! `translateServicePortToTargetPort` do).
//!
//! Real kubectl keeps running and prints `Handling connection for PORT` per connection;
//! here the tunnel stays open in the background until its pod goes away or
//! `sim forwards stop` closes it, and `curl localhost:PORT` prints that line.

use super::flags::{self, value, Flag};
use super::{namespace_of, standard_message};
use crate::console::output::Output;
use crate::console::Console;
use crate::sim::labels::Selector;
use crate::sim::network::request::Forward;
use crate::sim::object;
use crate::sim::sort::SharedSort;
use crate::sim::time::MINUTE;
use serde_json::Value;

const FLAGS: &[Flag] = &[value("address", None), value("pod-running-timeout", None)];

pub fn port_forward(console: &mut Console, args: &[String]) -> Output {
    let parsed = match flags::parse("port-forward", args, FLAGS) {
        Ok(p) => p,
        Err(e) => return Output::fail(e),
    };
    let ns = namespace_of(console, &parsed);
    let words: Vec<String> = parsed
        .positional
        .iter()
        .chain(parsed.after_dashdash.iter())
        .cloned()
        .collect();
    if words.len() < 2 {
        return Output::fail("error: TYPE/NAME and list of ports are required for port-forward\nSee 'kubectl port-forward -h' for help and examples");
    }
    let target = words[0].clone();
    let (kind, name) = match target.split_once('/') {
        Some((k, n)) => (k.to_string(), n.to_string()),
        None => ("pod".to_string(), target.clone()),
    };
    // [LOCAL:]REMOTE pairs.
    let mut pairs: Vec<(Option<u16>, String)> = vec![];
    for spec in &words[1..] {
        let (local, remote) = match spec.split_once(':') {
            Some((l, r)) => (l, r),
            None => (spec.as_str(), spec.as_str()),
        };
        let local = if local.is_empty() || local == "0" {
            None
        } else {
            match local.parse::<u16>() {
                Ok(p) if p > 0 => Some(p),
                _ => {
                    return Output::fail(format!(
                        "error: Error parsing local port '{local}': strconv.ParseUint: parsing \"{local}\": invalid syntax"
                    ))
                }
            }
        };
        pairs.push((local, remote.to_string()));
    }
    let cluster = &mut console.cluster;
    let pods_rt = cluster
        .registry()
        .resolve("pods")
        .cloned()
        .expect("built in");
    // The pod, and for a Service its selector's best pod.
    let (pod, service): (Value, Option<Value>) = match kind.as_str() {
        "pod" | "pods" | "po" => match cluster.get(&pods_rt, &ns, &name) {
            Ok(p) => (p.clone(), None),
            Err(e) => return Output::fail(standard_message(&e)),
        },
        other => {
            let resource = match other {
                "svc" | "service" | "services" => "services",
                "deploy" | "deployment" | "deployments" => "deployments",
                "rs" | "replicaset" | "replicasets" => "replicasets",
                "sts" | "statefulset" | "statefulsets" => "statefulsets",
                "ds" | "daemonset" | "daemonsets" => "daemonsets",
                _ => {
                    return Output::fail(format!(
                        "error: the server doesn't have a resource type \"{other}\""
                    ))
                }
            };
            let rt = cluster
                .registry()
                .resolve(resource)
                .cloned()
                .expect("built in");
            let owner = match cluster.get(&rt, &ns, &name) {
                Ok(o) => o.clone(),
                Err(e) => return Output::fail(standard_message(&e)),
            };
            let selector = if resource == "services" {
                Selector::from_map(owner.pointer("/spec/selector").unwrap_or(&Value::Null))
            } else {
                Selector::from_label_selector(
                    owner.pointer("/spec/selector").unwrap_or(&Value::Null),
                )
            };
            let mut pods: Vec<Value> = cluster
                .list(&pods_rt, Some(&ns))
                .into_iter()
                .filter(|p| !selector.is_empty() && selector.matches_object(p))
                .cloned()
                .collect();
            // podutils.ByLogging: running before not, ready before not, then the oldest.
            pods.sort_shared_by_key(|p| {
                (
                    object::str_at(p, "/status/phase") != "Running",
                    !crate::sim::controllers::replicaset::is_pod_ready(p),
                    object::str_at(p, "/metadata/creationTimestamp").to_string(),
                    object::name(p).to_string(),
                )
            });
            match pods.into_iter().next() {
                Some(p) => (p, (resource == "services").then_some(owner)),
                None => {
                    // kubectl waits --pod-running-timeout (1m) for a pod to appear.
                    cluster.advance(MINUTE);
                    return Output::fail("error: timed out waiting for the condition");
                }
            }
        }
    };
    let phase = object::str_at(&pod, "/status/phase");
    if phase != "Running" {
        return Output::fail(format!(
            "error: unable to forward port because pod is not running. Current status={phase}"
        ));
    }
    // Remote ports: numbers, container port names, or (for a Service) Service ports.
    let mut resolved: Vec<(u16, u16)> = vec![];
    for (local, remote) in &pairs {
        let port = match &service {
            Some(svc) => match service_target(svc, &pod, remote) {
                Ok(p) => p,
                Err(e) => return Output::fail(e),
            },
            None => match remote.parse::<u16>() {
                Ok(p) => p,
                Err(_) => match named_container_port(&pod, remote) {
                    Some(p) => p,
                    None => {
                        return Output::fail(format!(
                            "error: Pod '{}' does not have a named port '{remote}'",
                            object::name(&pod)
                        ))
                    }
                },
            },
        };
        let local = local.unwrap_or_else(|| {
            if service.is_some() || remote.parse::<u16>().is_err() {
                // `:REMOTE` / a named port: kubectl lets the OS pick.
                32768 + cluster.network.proxy.rng.below(28_231) as u16
            } else {
                port
            }
        });
        resolved.push((local, port));
    }
    let mut busy = vec![];
    for (local, _) in &resolved {
        if cluster.network.forwards.contains_key(local) {
            busy.push(*local);
        }
    }
    if let Some(local) = busy.first() {
        let remote = resolved
            .iter()
            .find(|(l, _)| l == local)
            .map(|(_, r)| *r)
            .unwrap_or(0);
        let mut out = Output::default();
        out.err(format!("Unable to listen on port {local}: Listeners failed to create with the following errors: [unable to create listener: Error listen tcp4 127.0.0.1:{local}: bind: address already in use unable to create listener: Error listen tcp6 [::1]:{local}: bind: address already in use]"));
        out.error(format!(
            "error: unable to listen on any of the requested ports: [{{{local} {remote}}}]"
        ));
        return out;
    }
    let mut text = String::new();
    for (local, remote) in resolved {
        cluster.network.forwards.insert(
            local,
            Forward {
                namespace: ns.clone(),
                pod: object::name(&pod).to_string(),
                pod_uid: object::uid(&pod).to_string(),
                remote_port: remote,
                target: target.clone(),
            },
        );
        text.push_str(&format!(
            "Forwarding from 127.0.0.1:{local} -> {remote}\nForwarding from [::1]:{local} -> {remote}\n"
        ));
    }
    Output::ok(text)
}

fn named_container_port(pod: &Value, name: &str) -> Option<u16> {
    pod.pointer("/spec/containers")?
        .as_array()?
        .iter()
        .flat_map(|c| {
            c.get("ports")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
        })
        .find(|p| object::str_at(p, "/name") == name)
        .and_then(|p| p.get("containerPort")?.as_u64())
        .and_then(|p| u16::try_from(p).ok())
}

/// A Service port (number or name) → the pod's port its targetPort names.
fn service_target(svc: &Value, pod: &Value, remote: &str) -> Result<u16, String> {
    let ports = svc
        .pointer("/spec/ports")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let found = ports.iter().find(|p| {
        p.get("port")
            .and_then(Value::as_u64)
            .map(|n| n.to_string())
            .as_deref()
            == Some(remote)
            || object::str_at(p, "/name") == remote
    });
    let Some(sp) = found else {
        return Err(format!(
            "error: Service {} does not have a service port {remote}",
            object::name(svc)
        ));
    };
    match sp.get("targetPort") {
        Some(Value::String(name)) => named_container_port(pod, name).ok_or_else(|| {
            format!(
                "error: Pod '{}' does not have a named port '{name}'",
                object::name(pod)
            )
        }),
        Some(Value::Number(n)) => Ok(n.as_u64().unwrap_or(0) as u16),
        _ => Ok(sp.get("port").and_then(Value::as_u64).unwrap_or(0) as u16),
    }
}
