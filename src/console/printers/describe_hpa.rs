//! `kubectl describe hpa`: describe.go's `describeHorizontalPodAutoscalerV2` — the
//! reference, each metric as `( current / target )`, min/max, the behavior if set, the
//! target's pods and the conditions table. A v1-shaped object is shown through its v2
//! view (its CPU target as a Resource metric), as kubectl reads HPAs as autoscaling/v2.

use crate::sim::json::json;
use serde_json::Value;

use super::describe::{rfc1123z, Writer};
use super::fields::{
    arr_at, get, int_at, map_at, name, namespace, opt_int, opt_str, scalar_string, str_at,
};

/// The v2 view of an HPA stored in either version.
fn as_v2(hpa: &Value) -> Value {
    if str_at(hpa, &["apiVersion"]) != "autoscaling/v1" {
        return hpa.clone();
    }
    let mut v2 = hpa.clone();
    let target = opt_int(hpa, &["spec", "targetCPUUtilizationPercentage"]).unwrap_or(80);
    v2["spec"]["metrics"] = json!([{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": target}}}]);
    if let Some(u) = opt_int(hpa, &["status", "currentCPUUtilizationPercentage"]) {
        v2["status"]["currentMetrics"] = json!([{"type": "Resource", "resource": {"name": "cpu", "current": {"averageUtilization": u}}}]);
    }
    v2
}

pub fn describe(w: &mut Writer, hpa: &Value) {
    let hpa = &as_v2(hpa);
    w.write(0, &format!("Name:\t{}\n", name(hpa)));
    w.write(0, &format!("Namespace:\t{}\n", namespace(hpa)));
    w.labels("Labels", map_at(hpa, &["metadata", "labels"]));
    w.annotations("Annotations", map_at(hpa, &["metadata", "annotations"]));
    w.write(
        0,
        &format!(
            "CreationTimestamp:\t{}\n",
            rfc1123z(opt_str(hpa, &["metadata", "creationTimestamp"]))
        ),
    );
    let kind = str_at(hpa, &["spec", "scaleTargetRef", "kind"]);
    w.write(
        0,
        &format!(
            "Reference:\t{kind}/{}\n",
            str_at(hpa, &["spec", "scaleTargetRef", "name"])
        ),
    );
    w.write(0, "Metrics:\t( current / target )\n");
    let statuses = arr_at(hpa, &["status", "currentMetrics"]);
    for (i, metric) in arr_at(hpa, &["spec", "metrics"]).iter().enumerate() {
        metric_lines(w, metric, statuses.get(i));
    }
    let min =
        opt_int(hpa, &["spec", "minReplicas"]).map_or("<unset>".to_string(), |m| m.to_string());
    w.write(0, &format!("Min replicas:\t{min}\n"));
    w.write(
        0,
        &format!("Max replicas:\t{}\n", int_at(hpa, &["spec", "maxReplicas"])),
    );
    if let Some(behavior) = get(hpa, &["spec", "behavior"]).filter(|b| b.is_object()) {
        w.write(0, "Behavior:\n");
        direction(w, "Scale Up", behavior.get("scaleUp"));
        direction(w, "Scale Down", behavior.get("scaleDown"));
    }
    w.write(0, &format!("{kind} pods:\t"));
    w.write(
        0,
        &format!(
            "{} current / {} desired\n",
            int_at(hpa, &["status", "currentReplicas"]),
            int_at(hpa, &["status", "desiredReplicas"])
        ),
    );
    let conditions = arr_at(hpa, &["status", "conditions"]);
    if !conditions.is_empty() {
        w.write(0, "Conditions:\n");
        w.write(1, "Type\tStatus\tReason\tMessage\n");
        w.write(1, "----\t------\t------\t-------\n");
        for c in conditions {
            w.write(
                1,
                &format!(
                    "{}\t{}\t{}\t{}\n",
                    str_at(c, &["type"]),
                    str_at(c, &["status"]),
                    str_at(c, &["reason"]),
                    str_at(c, &["message"])
                ),
            );
        }
    }
}

/// One Resource (or ContainerResource) metric; other types by their names.
fn metric_lines(w: &mut Writer, metric: &Value, status: Option<&Value>) {
    let (key, label) = match str_at(metric, &["type"]) {
        "Resource" => (
            "resource",
            format!("resource {} on pods", str_at(metric, &["resource", "name"])),
        ),
        "ContainerResource" => (
            "containerResource",
            format!(
                "resource {} of container \"{}\" on pods",
                str_at(metric, &["containerResource", "name"]),
                str_at(metric, &["containerResource", "container"])
            ),
        ),
        other => {
            w.write(1, &format!("\"{other}\" metric:\t<unknown> / <unknown>\n"));
            return;
        }
    };
    w.write(1, &label);
    let target = get(metric, &[key, "target"]);
    let current = status.and_then(|s| get(s, &[key, "current"]));
    if let Some(avg) = target.and_then(|t| t.get("averageValue")) {
        let now = current
            .and_then(|c| c.get("averageValue"))
            .map_or("<unknown>".to_string(), scalar_string);
        w.write(0, &format!(":\t{now} / {}\n", scalar_string(avg)));
        return;
    }
    let now =
        current
            .and_then(|c| c.get("averageUtilization"))
            .map_or("<unknown>".to_string(), |u| {
                let raw = current
                    .and_then(|c| c.get("averageValue"))
                    .map_or("<nil>".to_string(), scalar_string);
                format!("{}% ({raw})", scalar_string(u))
            });
    let goal = target
        .and_then(|t| t.get("averageUtilization"))
        .map_or("<auto>".to_string(), |u| format!("{}%", scalar_string(u)));
    w.write(
        1,
        &format!("(as a percentage of request):\t{now} / {goal}\n"),
    );
}

/// `printDirectionBehavior`.
fn direction(w: &mut Writer, title: &str, rules: Option<&Value>) {
    let Some(rules) = rules.filter(|r| r.is_object()) else {
        return;
    };
    w.write(1, &format!("{title}:\n"));
    if let Some(window) = rules
        .get("stabilizationWindowSeconds")
        .and_then(Value::as_i64)
    {
        w.write(2, &format!("Stabilization Window: {window} seconds\n"));
    }
    let policies = rules
        .get("policies")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if !policies.is_empty() {
        let select = rules
            .get("selectPolicy")
            .and_then(Value::as_str)
            .unwrap_or("Max");
        w.write(2, &format!("Select Policy: {select}\n"));
        w.write(2, "Policies:\n");
        for p in policies {
            w.write(
                3,
                &format!(
                    "- Type: {}\tValue: {}\tPeriod: {} seconds\n",
                    str_at(&p, &["type"]),
                    int_at(&p, &["value"]),
                    int_at(&p, &["periodSeconds"])
                ),
            );
        }
    }
}
