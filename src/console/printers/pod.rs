//! The pod row of `kubectl get pods`: a port of `printPod` (printers.go) — READY counts,
//! the STATUS algorithm (phase/reason, init containers, containers last to first,
//! Completed→Running/NotReady, Terminating/Unknown) and RESTARTS with `(12s ago)`.

use serde_json::Value;

use super::age::{age, elapsed, human_duration};
use super::fields::{arr_at, bool_at, condition, get, int_at, opt_str, str_at};
use super::table::{Ctx, RowFn};
use crate::sim::time::parse_rfc3339;

const POD_COLUMNS: &[(&str, i32)] = &[
    ("Name", 0),
    ("Ready", 0),
    ("Status", 0),
    ("Restarts", 0),
    ("Age", 0),
    ("IP", 1),
    ("Node", 1),
    ("Nominated Node", 1),
    ("Readiness Gates", 1),
];

pub(crate) fn lookup(group: &str, plural: &str) -> Option<(&'static [(&'static str, i32)], RowFn)> {
    (group.is_empty() && plural == "pods").then_some((POD_COLUMNS, pod_row as RowFn))
}

/// Restart totals and the latest `lastState.terminated.finishedAt` (epoch ms).
#[derive(Default)]
struct Restarts {
    count: i64,
    last: Option<i64>,
}

impl Restarts {
    fn add(&mut self, status: &Value) {
        self.count += int_at(status, &["restartCount"]);
        let finished =
            opt_str(status, &["lastState", "terminated", "finishedAt"]).and_then(parse_rfc3339);
        if let Some(t) = finished {
            self.last = Some(self.last.map_or(t, |l| l.max(t)));
        }
    }
}

fn pod_row(pod: &Value, ctx: &Ctx) -> Vec<String> {
    let summary = summarize(pod);
    let restarts = match summary.restarts.last {
        Some(t) if summary.restarts.count != 0 => {
            format!(
                "{} ({} ago)",
                summary.restarts.count,
                human_duration(elapsed(ctx.now, t))
            )
        }
        _ => summary.restarts.count.to_string(),
    };
    let mut cells = vec![
        str_at(pod, &["metadata", "name"]).to_string(),
        format!("{}/{}", summary.ready, summary.total),
        summary.reason,
        restarts,
        age(opt_str(pod, &["metadata", "creationTimestamp"]), ctx.now),
    ];
    cells.extend(wide_cells(pod));
    cells
}

/// What `printPod` computes before formatting.
pub struct PodSummary {
    pub ready: usize,
    pub total: usize,
    pub reason: String,
    restarts: Restarts,
}

/// The STATUS text of a pod as `kubectl get pods` shows it.
pub fn pod_status(pod: &Value) -> String {
    summarize(pod).reason
}

fn is_restartable_init(pod: &Value, name: &str) -> bool {
    arr_at(pod, &["spec", "initContainers"])
        .iter()
        .any(|c| str_at(c, &["name"]) == name && str_at(c, &["restartPolicy"]) == "Always")
}

pub fn summarize(pod: &Value) -> PodSummary {
    let phase = str_at(pod, &["status", "phase"]);
    let conditions = arr_at(pod, &["status", "conditions"]);
    let mut reason = match str_at(pod, &["status", "reason"]) {
        "" => phase.to_string(),
        r => r.to_string(),
    };
    let gated = conditions.iter().any(|c| {
        str_at(c, &["type"]) == "PodScheduled" && str_at(c, &["reason"]) == "SchedulingGated"
    });
    if gated {
        reason = "SchedulingGated".to_string();
    }
    let init_specs = arr_at(pod, &["spec", "initContainers"]);
    let sidecars = init_specs
        .iter()
        .filter(|c| str_at(c, &["restartPolicy"]) == "Always")
        .count();
    let mut summary = PodSummary {
        ready: 0,
        total: arr_at(pod, &["spec", "containers"]).len() + sidecars,
        reason,
        restarts: Restarts::default(),
    };
    let mut sidecar_restarts = Restarts::default();
    let initializing = init_status(pod, init_specs.len(), &mut summary, &mut sidecar_restarts);
    let initialized =
        condition(conditions, "Initialized").is_some_and(|c| str_at(c, &["status"]) == "True");
    if !initializing || initialized {
        summary.restarts = sidecar_restarts;
        container_status(pod, conditions, &mut summary);
    }
    let deleting = get(pod, &["metadata", "deletionTimestamp"]).is_some_and(|d| !d.is_null());
    if deleting && str_at(pod, &["status", "reason"]) == "NodeLost" {
        summary.reason = "Unknown".to_string();
    } else if deleting && phase != "Failed" && phase != "Succeeded" {
        summary.reason = "Terminating".to_string();
    }
    summary
}

/// The init-container pass; returns whether the pod is still initializing.
fn init_status(
    pod: &Value,
    init_count: usize,
    summary: &mut PodSummary,
    sidecars: &mut Restarts,
) -> bool {
    for (i, status) in arr_at(pod, &["status", "initContainerStatuses"])
        .iter()
        .enumerate()
    {
        summary.restarts.add(status);
        let restartable = is_restartable_init(pod, str_at(status, &["name"]));
        if restartable {
            sidecars.add(status);
        }
        let terminated = get(status, &["state", "terminated"]).filter(|t| t.is_object());
        let waiting_reason = str_at(status, &["state", "waiting", "reason"]);
        if let Some(t) = terminated.filter(|t| int_at(t, &["exitCode"]) == 0) {
            let _ = t;
            continue;
        }
        if restartable && bool_at(status, &["started"]) {
            if bool_at(status, &["ready"]) {
                summary.ready += 1;
            }
            continue;
        }
        summary.reason = if let Some(t) = terminated {
            match str_at(t, &["reason"]) {
                "" if int_at(t, &["signal"]) != 0 => {
                    format!("Init:Signal:{}", int_at(t, &["signal"]))
                }
                "" => format!("Init:ExitCode:{}", int_at(t, &["exitCode"])),
                r => format!("Init:{r}"),
            }
        } else if !waiting_reason.is_empty() && waiting_reason != "PodInitializing" {
            format!("Init:{waiting_reason}")
        } else {
            format!("Init:{i}/{init_count}")
        };
        return true;
    }
    false
}

/// The regular-container pass, last container first.
fn container_status(pod: &Value, conditions: &[Value], summary: &mut PodSummary) {
    let mut has_running = false;
    for status in arr_at(pod, &["status", "containerStatuses"]).iter().rev() {
        summary.restarts.add(status);
        let waiting = str_at(status, &["state", "waiting", "reason"]);
        let terminated = get(status, &["state", "terminated"]).filter(|t| t.is_object());
        let running = get(status, &["state", "running"]).is_some_and(|r| r.is_object());
        if !waiting.is_empty() {
            summary.reason = waiting.to_string();
        } else if let Some(t) = terminated {
            summary.reason = match str_at(t, &["reason"]) {
                "" if int_at(t, &["signal"]) != 0 => format!("Signal:{}", int_at(t, &["signal"])),
                "" => format!("ExitCode:{}", int_at(t, &["exitCode"])),
                r => r.to_string(),
            };
        } else if bool_at(status, &["ready"]) && running {
            has_running = true;
            summary.ready += 1;
        }
    }
    if summary.reason == "Completed" && has_running {
        let ready =
            condition(conditions, "Ready").is_some_and(|c| str_at(c, &["status"]) == "True");
        summary.reason = if ready { "Running" } else { "NotReady" }.to_string();
    }
}

fn none_if_empty(s: &str) -> String {
    if s.is_empty() {
        "<none>".to_string()
    } else {
        s.to_string()
    }
}

/// IP, NODE, NOMINATED NODE, READINESS GATES.
fn wide_cells(pod: &Value) -> Vec<String> {
    let ip = arr_at(pod, &["status", "podIPs"])
        .first()
        .map(|p| str_at(p, &["ip"]))
        .unwrap_or("");
    let gates = arr_at(pod, &["spec", "readinessGates"]);
    let readiness = if gates.is_empty() {
        "<none>".to_string()
    } else {
        let conditions = arr_at(pod, &["status", "conditions"]);
        let passed = gates
            .iter()
            .filter(|g| {
                condition(conditions, str_at(g, &["conditionType"]))
                    .is_some_and(|c| str_at(c, &["status"]) == "True")
            })
            .count();
        format!("{passed}/{}", gates.len())
    };
    vec![
        none_if_empty(ip),
        none_if_empty(str_at(pod, &["spec", "nodeName"])),
        none_if_empty(str_at(pod, &["status", "nominatedNodeName"])),
        readiness,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::json::json;
    use crate::sim::time::rfc3339;

    fn running(name: &str, ready: bool) -> Value {
        json!({"name": name, "ready": ready, "restartCount": 0, "state": {"running": {}}})
    }

    fn pod(spec: Value, status: Value) -> Value {
        json!({"metadata": {"name": "p", "creationTimestamp": rfc3339(0)}, "spec": spec, "status": status})
    }

    fn two_containers() -> Value {
        json!({"containers": [{"name": "a"}, {"name": "b"}]})
    }

    fn row(p: &Value, now: u64) -> Vec<String> {
        pod_row(p, &Ctx { wide: false, now })
    }

    #[test]
    fn ready_counts_and_running() {
        let p = pod(
            two_containers(),
            json!({"phase": "Running",
            "containerStatuses": [running("a", true), running("b", false)]}),
        );
        assert_eq!(row(&p, 5_000)[1..4], ["1/2", "Running", "0"]);
    }

    #[test]
    fn restarts_show_last_termination_age() {
        let p = pod(
            json!({"containers": [{"name": "a"}]}),
            json!({"phase": "Running",
            "containerStatuses": [{"name": "a", "ready": false, "restartCount": 3,
              "state": {"waiting": {"reason": "CrashLoopBackOff"}},
              "lastState": {"terminated": {"exitCode": 1, "reason": "Error", "finishedAt": rfc3339(88_000)}}}]}),
        );
        assert_eq!(
            row(&p, 100_000)[1..4],
            ["0/1", "CrashLoopBackOff", "3 (12s ago)"]
        );
    }

    #[test]
    fn status_table() {
        let cases: Vec<(Value, Value, &str)> = vec![
            // Terminating (10.4)
            (
                json!({"containers": [{"name": "a"}]}),
                json!({"phase": "Running",
                "containerStatuses": [running("a", true)]}),
                "Terminating",
            ),
            // Init:0/2 (10.5)
            (
                json!({"initContainers": [{"name": "i1"}, {"name": "i2"}], "containers": [{"name": "a"}]}),
                json!({"phase": "Pending", "initContainerStatuses": [
                {"name": "i1", "state": {"running": {}}}, {"name": "i2", "state": {"waiting": {"reason": "PodInitializing"}}}],
                "containerStatuses": [{"name": "a", "state": {"waiting": {"reason": "PodInitializing"}}}]}),
                "Init:0/2",
            ),
            (
                json!({"initContainers": [{"name": "i1"}], "containers": [{"name": "a"}]}),
                json!({"phase": "Pending", "initContainerStatuses": [
                {"name": "i1", "state": {"waiting": {"reason": "CrashLoopBackOff"}}}]}),
                "Init:CrashLoopBackOff",
            ),
            (
                json!({"initContainers": [{"name": "i1"}], "containers": [{"name": "a"}]}),
                json!({"phase": "Pending", "initContainerStatuses": [
                {"name": "i1", "state": {"terminated": {"exitCode": 2}}}]}),
                "Init:ExitCode:2",
            ),
            (
                json!({"containers": [{"name": "a"}]}),
                json!({"phase": "Pending",
                "containerStatuses": [{"name": "a", "state": {"waiting": {"reason": "ContainerCreating"}}}]}),
                "ContainerCreating",
            ),
            (
                json!({"containers": [{"name": "a"}]}),
                json!({"phase": "Failed",
                "containerStatuses": [{"name": "a", "state": {"terminated": {"exitCode": 137, "signal": 9}}}]}),
                "Signal:9",
            ),
            (
                json!({"containers": [{"name": "a"}]}),
                json!({"phase": "Succeeded",
                "containerStatuses": [{"name": "a", "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}}]}),
                "Completed",
            ),
            // Completed sidecar-like container while another still runs, pod not Ready.
            (
                two_containers(),
                json!({"phase": "Running",
                "containerStatuses": [running("a", true), {"name": "b", "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}}]}),
                "NotReady",
            ),
            (
                json!({}),
                json!({"phase": "Pending", "conditions": [{"type": "PodScheduled", "reason": "SchedulingGated"}]}),
                "SchedulingGated",
            ),
            (
                json!({}),
                json!({"phase": "Failed", "reason": "Evicted"}),
                "Evicted",
            ),
        ];
        for (i, (spec, status, want)) in cases.into_iter().enumerate() {
            let mut p = pod(spec, status);
            if i == 0 {
                p["metadata"]["deletionTimestamp"] = json!(rfc3339(1000));
            }
            assert_eq!(pod_status(&p), want, "case {i}");
        }
    }

    #[test]
    fn node_lost_is_unknown() {
        let p = json!({"metadata": {"deletionTimestamp": rfc3339(0)}, "status": {"phase": "Running", "reason": "NodeLost"}});
        assert_eq!(pod_status(&p), "Unknown");
    }

    #[test]
    fn sidecars_count_in_ready_total() {
        let spec = json!({"initContainers": [{"name": "s", "restartPolicy": "Always"}], "containers": [{"name": "a"}]});
        let status = json!({"phase": "Running", "conditions": [{"type": "Initialized", "status": "True"}],
            "initContainerStatuses": [{"name": "s", "started": true, "ready": true, "state": {"running": {}}}],
            "containerStatuses": [running("a", true)]});
        assert_eq!(row(&pod(spec, status), 1000)[1..3], ["2/2", "Running"]);
    }

    #[test]
    fn garbage_never_panics() {
        for v in [
            json!(null),
            json!(3),
            json!({"status": []}),
            json!({"spec": {"containers": 5}}),
        ] {
            let cells = pod_row(&v, &Ctx { wide: true, now: 0 });
            assert_eq!(cells.len(), 9);
        }
    }
}
