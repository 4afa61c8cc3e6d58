//! The pod status the kubelet reports (`generateAPIPodStatus`): phase from the
//! containers (`getPhase`), the five conditions, containerStatuses with state, lastState,
//! restartCount, ready/started, image and ids, and the pod's addresses.

use super::{PodRuntime, State};
use crate::sim::json::json;
use crate::sim::object;
use crate::sim::scheduler::set_condition;
use crate::sim::sort::SharedSort;
use crate::sim::time::{rfc3339, Millis};
use serde_json::Value;

/// `getPhase` for a pod without init containers.
pub(crate) fn phase(p: &PodRuntime, restart_policy: &str) -> &'static str {
    let inits: Vec<&super::ContainerRuntime> = p.containers.iter().filter(|c| c.init).collect();
    if inits.iter().any(|c| !super::init_done(c)) {
        let failed = inits
            .iter()
            .any(|c| matches!(c.state, State::Terminated { exit_code, .. } if exit_code != 0));
        return if failed && restart_policy == "Never" {
            "Failed"
        } else {
            "Pending"
        };
    }
    let (mut running, mut waiting, mut stopped, mut succeeded) = (0, 0, 0, 0);
    for c in p.containers.iter().filter(|c| !c.init) {
        match &c.state {
            State::Running => running += 1,
            State::Terminated { exit_code, .. } => {
                stopped += 1;
                if *exit_code == 0 {
                    succeeded += 1;
                }
            }
            State::Waiting { .. } if c.last_terminated.is_some() => {
                stopped += 1;
                let code = c
                    .last_terminated
                    .as_ref()
                    .and_then(|t| object::at(t, "/terminated/exitCode"))
                    .and_then(Value::as_i64);
                if code == Some(0) {
                    succeeded += 1;
                }
            }
            State::Waiting { .. } => waiting += 1,
        }
    }
    if waiting > 0 {
        "Pending"
    } else if running > 0 {
        "Running"
    } else if stopped > 0 {
        match restart_policy {
            "Never" if succeeded == stopped => "Succeeded",
            "Never" => "Failed",
            "OnFailure" if succeeded == stopped => "Succeeded",
            _ => "Running",
        }
    } else {
        "Pending"
    }
}

pub(crate) fn pod_status(pod: &Value, p: &PodRuntime, node_ip: &str, now: Millis) -> Value {
    let policy = match object::str_at(pod, "/spec/restartPolicy") {
        "" => "Always",
        x => x,
    };
    let phase = phase(p, policy);
    let mut status = pod.get("status").cloned().unwrap_or(json!({}));
    let t = rfc3339(now);
    let sandbox = p.sandbox_ready_at.is_some_and(|s| s <= now);
    let cond = |type_: &str, ok: bool, reason: Option<&str>, message: Option<String>| {
        let mut c = json!({"lastProbeTime": null, "lastTransitionTime": t, "status": if ok { "True" } else { "False" }, "type": type_});
        if let Some(r) = reason {
            c["reason"] = json!(r);
        }
        if let Some(m) = message {
            c["message"] = json!(m);
        }
        c
    };
    let ready_of = |c: &super::ContainerRuntime| {
        c.state == State::Running && c.ready_at.is_some_and(|r| r <= now)
    };
    let unready: Vec<&str> = p
        .containers
        .iter()
        .filter(|c| !c.init)
        .filter(|c| !ready_of(c))
        .map(|c| c.name.as_str())
        .collect();
    let all_ready = unready.is_empty();
    let terminal = matches!(phase, "Succeeded" | "Failed");
    let (reason, message) = if all_ready {
        (None, None)
    } else if terminal {
        (Some("PodCompleted"), None)
    } else {
        (
            Some("ContainersNotReady"),
            Some(format!(
                "containers with unready status: [{}]",
                unready.join(" ")
            )),
        )
    };
    let scheduled = status
        .get("conditions")
        .and_then(Value::as_array)
        .and_then(|cs| {
            cs.iter()
                .find(|c| object::str_at(c, "/type") == "PodScheduled")
                .cloned()
        })
        .unwrap_or_else(|| cond("PodScheduled", true, None, None));
    let mut fresh = json!({"conditions": []});
    // Keep transition times of conditions whose status did not change.
    if let Some(cs) = status.get("conditions") {
        fresh["conditions"] = cs.clone();
    }
    set_condition(
        &mut fresh,
        cond(
            "PodReadyToStartContainers",
            sandbox && !terminal,
            None,
            None,
        ),
    );
    let incomplete: Vec<&str> = p
        .containers
        .iter()
        .filter(|c| c.init && !super::init_done(c))
        .map(|c| c.name.as_str())
        .collect();
    if incomplete.is_empty() {
        set_condition(&mut fresh, cond("Initialized", true, None, None));
    } else {
        let message = format!(
            "containers with incomplete status: [{}]",
            incomplete.join(" ")
        );
        set_condition(
            &mut fresh,
            cond(
                "Initialized",
                false,
                Some("ContainersNotInitialized"),
                Some(message),
            ),
        );
    }
    set_condition(
        &mut fresh,
        cond("Ready", all_ready, reason, message.clone()),
    );
    set_condition(
        &mut fresh,
        cond("ContainersReady", all_ready, reason, message),
    );
    set_condition(&mut fresh, scheduled);
    let order = [
        "PodReadyToStartContainers",
        "Initialized",
        "Ready",
        "ContainersReady",
        "PodScheduled",
    ];
    let mut conds: Vec<Value> = match fresh["conditions"].take() {
        Value::Array(conds) => conds,
        _ => vec![],
    };
    conds.sort_shared_by_key(|c| {
        order
            .iter()
            .position(|o| *o == object::str_at(c, "/type"))
            .unwrap_or(order.len())
    });
    for c in conds.iter_mut() {
        if c.get("reason").is_some() && object::str_at(c, "/status") == "True" {
            if let Some(m) = c.as_object_mut() {
                m.remove("reason");
                m.remove("message");
            }
        }
    }
    status["conditions"] = Value::Array(conds);
    let to_status = |c: &super::ContainerRuntime| {
        let spec_image = super::container_spec(pod, &c.name)
            .map(|s| object::str_at(s, "/image").to_string())
            .unwrap_or_default();
        let state = match &c.state {
            State::Running => json!({"running": {"startedAt": rfc3339(c.started_at)}}),
            State::Terminated {
                reason,
                exit_code,
                finished,
            } => json!({"terminated": {
                    "containerID": c.container_id, "exitCode": exit_code, "finishedAt": rfc3339(*finished),
                    "reason": reason, "startedAt": rfc3339(c.started_at)}}),
            State::Waiting { reason, message } if message.is_empty() => {
                json!({"waiting": {"reason": reason}})
            }
            State::Waiting { reason, message } => {
                json!({"waiting": {"message": message, "reason": reason}})
            }
        };
        let mut s = json!({
            "image": if c.image_full.is_empty() { spec_image } else { c.image_full.clone() },
            "imageID": c.image_id, "lastState": c.last_terminated.clone().unwrap_or(json!({})), "name": c.name,
            "ready": ready_of(c), "restartCount": c.restart_count, "started": c.state == State::Running && c.probes.started, "state": state,
        });
        if !c.container_id.is_empty() {
            s["containerID"] = json!(c.container_id);
        }
        s
    };
    let statuses: Vec<Value> = p
        .containers
        .iter()
        .filter(|c| !c.init)
        .map(to_status)
        .collect();
    let init_statuses: Vec<Value> = p
        .containers
        .iter()
        .filter(|c| c.init)
        .map(to_status)
        .collect();
    // Moved in (`json!` would copy them once more through the serializer).
    status["containerStatuses"] = Value::Array(statuses);
    if !init_statuses.is_empty() {
        status["initContainerStatuses"] = Value::Array(init_statuses);
    }
    status["phase"] = json!(phase);
    if !node_ip.is_empty() {
        status["hostIP"] = json!(node_ip);
        status["hostIPs"] = json!([{"ip": node_ip}]);
    }
    if sandbox && !p.ip.is_empty() {
        status["podIP"] = json!(p.ip);
        status["podIPs"] = json!([{"ip": p.ip}]);
    }
    status["startTime"] = json!(rfc3339(p.start_time));
    if status.get("qosClass").is_none() {
        status["qosClass"] = json!(crate::sim::pods::qos_class(pod));
    }
    status
}
