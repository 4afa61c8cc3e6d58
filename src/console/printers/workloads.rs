//! `kubectl get` rows for workload controllers (printers.go): Deployments, ReplicaSets,
//! DaemonSets, StatefulSets, Jobs, CronJobs, ReplicationControllers, HPAs, PDBs.

use serde_json::Value;

use super::age::{age, elapsed, human_duration};
use super::fields::{
    arr_at, condition, container_cells, created, format_label_selector, format_labels, get, int_at,
    label_selector_string, map_at, name, opt_int, opt_str, scalar_string, str_at,
};
use super::table::{Ctx, RowFn};
use crate::sim::time::parse_rfc3339;

type Defs = &'static [(&'static str, i32)];

const DEPLOYMENT: Defs = &[
    ("Name", 0),
    ("Ready", 0),
    ("Up-to-date", 0),
    ("Available", 0),
    ("Age", 0),
    ("Containers", 1),
    ("Images", 1),
    ("Selector", 1),
];
const REPLICA_SET: Defs = &[
    ("Name", 0),
    ("Desired", 0),
    ("Current", 0),
    ("Ready", 0),
    ("Age", 0),
    ("Containers", 1),
    ("Images", 1),
    ("Selector", 1),
];
const DAEMON_SET: Defs = &[
    ("Name", 0),
    ("Desired", 0),
    ("Current", 0),
    ("Ready", 0),
    ("Up-to-date", 0),
    ("Available", 0),
    ("Node Selector", 0),
    ("Age", 0),
    ("Containers", 1),
    ("Images", 1),
    ("Selector", 1),
];
const STATEFUL_SET: Defs = &[
    ("Name", 0),
    ("Ready", 0),
    ("Age", 0),
    ("Containers", 1),
    ("Images", 1),
];
const JOB: Defs = &[
    ("Name", 0),
    ("Status", 0),
    ("Completions", 0),
    ("Duration", 0),
    ("Age", 0),
    ("Containers", 1),
    ("Images", 1),
    ("Selector", 1),
];
const CRON_JOB: Defs = &[
    ("Name", 0),
    ("Schedule", 0),
    ("Timezone", 0),
    ("Suspend", 0),
    ("Active", 0),
    ("Last Schedule", 0),
    ("Age", 0),
    ("Containers", 1),
    ("Images", 1),
    ("Selector", 1),
];
const HPA: Defs = &[
    ("Name", 0),
    ("Reference", 0),
    ("Targets", 0),
    ("MinPods", 0),
    ("MaxPods", 0),
    ("Replicas", 0),
    ("Age", 0),
];
const PDB: Defs = &[
    ("Name", 0),
    ("Min Available", 0),
    ("Max Unavailable", 0),
    ("Allowed Disruptions", 0),
    ("Age", 0),
];
const CONTROLLER_REVISION: Defs = &[("Name", 0), ("Controller", 0), ("Revision", 0), ("Age", 0)];

pub(crate) fn lookup(group: &str, plural: &str) -> Option<(Defs, RowFn)> {
    let found: (Defs, RowFn) = match (group, plural) {
        ("apps", "deployments") => (DEPLOYMENT, deployment_row),
        ("apps", "replicasets") => (REPLICA_SET, replica_set_row),
        ("", "replicationcontrollers") => (REPLICA_SET, replication_controller_row),
        ("apps", "daemonsets") => (DAEMON_SET, daemon_set_row),
        ("apps", "statefulsets") => (STATEFUL_SET, stateful_set_row),
        ("apps", "controllerrevisions") => (CONTROLLER_REVISION, controller_revision_row),
        ("batch", "jobs") => (JOB, job_row),
        ("batch", "cronjobs") => (CRON_JOB, cron_job_row),
        ("autoscaling", "horizontalpodautoscalers") => (HPA, hpa_row),
        ("policy", "poddisruptionbudgets") => (PDB, pdb_row),
        _ => return None,
    };
    Some(found)
}

fn n(v: &Value, path: &[&str]) -> String {
    int_at(v, path).to_string()
}

fn template_cells(obj: &Value, template: &[&str]) -> (String, String) {
    let mut path = template.to_vec();
    path.push("spec");
    container_cells(get(obj, &path))
}

fn deployment_row(d: &Value, ctx: &Ctx) -> Vec<String> {
    let (names, images) = template_cells(d, &["spec", "template"]);
    vec![
        name(d).to_string(),
        format!(
            "{}/{}",
            int_at(d, &["status", "readyReplicas"]),
            int_at(d, &["spec", "replicas"])
        ),
        n(d, &["status", "updatedReplicas"]),
        n(d, &["status", "availableReplicas"]),
        age(created(d), ctx.now),
        names,
        images,
        label_selector_string(get(d, &["spec", "selector"])),
    ]
}

fn replica_set_row(rs: &Value, ctx: &Ctx) -> Vec<String> {
    let (names, images) = template_cells(rs, &["spec", "template"]);
    vec![
        name(rs).to_string(),
        n(rs, &["spec", "replicas"]),
        n(rs, &["status", "replicas"]),
        n(rs, &["status", "readyReplicas"]),
        age(created(rs), ctx.now),
        names,
        images,
        format_label_selector(get(rs, &["spec", "selector"])),
    ]
}

fn replication_controller_row(rc: &Value, ctx: &Ctx) -> Vec<String> {
    let mut cells = replica_set_row(rc, ctx);
    cells[7] = format_labels(map_at(rc, &["spec", "selector"]));
    cells
}

fn daemon_set_row(ds: &Value, ctx: &Ctx) -> Vec<String> {
    let (names, images) = template_cells(ds, &["spec", "template"]);
    vec![
        name(ds).to_string(),
        n(ds, &["status", "desiredNumberScheduled"]),
        n(ds, &["status", "currentNumberScheduled"]),
        n(ds, &["status", "numberReady"]),
        n(ds, &["status", "updatedNumberScheduled"]),
        n(ds, &["status", "numberAvailable"]),
        format_labels(map_at(ds, &["spec", "template", "spec", "nodeSelector"])),
        age(created(ds), ctx.now),
        names,
        images,
        format_label_selector(get(ds, &["spec", "selector"])),
    ]
}

fn stateful_set_row(sts: &Value, ctx: &Ctx) -> Vec<String> {
    let (names, images) = template_cells(sts, &["spec", "template"]);
    vec![
        name(sts).to_string(),
        format!(
            "{}/{}",
            int_at(sts, &["status", "readyReplicas"]),
            int_at(sts, &["spec", "replicas"])
        ),
        age(created(sts), ctx.now),
        names,
        images,
    ]
}

fn controller_revision_row(cr: &Value, ctx: &Ctx) -> Vec<String> {
    let owner = arr_at(cr, &["metadata", "ownerReferences"])
        .iter()
        .find(|o| get(o, &["controller"]).and_then(Value::as_bool) == Some(true));
    let controller = owner.map_or("<none>".to_string(), |o| {
        let group = str_at(o, &["apiVersion"])
            .split_once('/')
            .map_or("", |(g, _)| g);
        let kind = str_at(o, &["kind"]).to_lowercase();
        let kind = if group.is_empty() {
            kind
        } else {
            format!("{kind}.{group}")
        };
        format!("{kind}/{}", str_at(o, &["name"]))
    });
    vec![
        name(cr).to_string(),
        controller,
        n(cr, &["revision"]),
        age(created(cr), ctx.now),
    ]
}

fn has_condition(obj: &Value, type_: &str) -> bool {
    condition(arr_at(obj, &["status", "conditions"]), type_)
        .is_some_and(|c| str_at(c, &["status"]) == "True")
}

fn job_status(job: &Value) -> &'static str {
    if has_condition(job, "Complete") {
        "Complete"
    } else if has_condition(job, "Failed") {
        "Failed"
    } else if get(job, &["metadata", "deletionTimestamp"]).is_some_and(|d| !d.is_null()) {
        "Terminating"
    } else if has_condition(job, "Suspended") {
        "Suspended"
    } else if has_condition(job, "FailureTarget") {
        "FailureTarget"
    } else {
        "Running"
    }
}

fn job_completions(job: &Value) -> String {
    let succeeded = int_at(job, &["status", "succeeded"]);
    match opt_int(job, &["spec", "completions"]) {
        Some(c) => format!("{succeeded}/{c}"),
        None => match int_at(job, &["spec", "parallelism"]) {
            p if p > 1 => format!("{succeeded}/1 of {p}"),
            _ => format!("{succeeded}/1"),
        },
    }
}

fn job_duration(job: &Value, ctx: &Ctx) -> String {
    let time = |field: &str| opt_str(job, &["status", field]).and_then(parse_rfc3339);
    match (time("startTime"), time("completionTime")) {
        (None, _) => String::new(),
        (Some(start), None) => human_duration(elapsed(ctx.now, start)),
        (Some(start), Some(end)) => human_duration(end - start),
    }
}

fn job_row(job: &Value, ctx: &Ctx) -> Vec<String> {
    let (names, images) = template_cells(job, &["spec", "template"]);
    vec![
        name(job).to_string(),
        job_status(job).to_string(),
        job_completions(job),
        job_duration(job, ctx),
        age(created(job), ctx.now),
        names,
        images,
        format_label_selector(get(job, &["spec", "selector"])),
    ]
}

fn cron_job_row(cj: &Value, ctx: &Ctx) -> Vec<String> {
    let last = opt_str(cj, &["status", "lastScheduleTime"])
        .map_or("<none>".to_string(), |t| age(Some(t), ctx.now));
    let suspend = get(cj, &["spec", "suspend"])
        .and_then(Value::as_bool)
        .map_or("<unset>", |b| if b { "True" } else { "False" });
    let (names, images) = template_cells(cj, &["spec", "jobTemplate", "spec", "template"]);
    vec![
        name(cj).to_string(),
        str_at(cj, &["spec", "schedule"]).to_string(),
        opt_str(cj, &["spec", "timeZone"])
            .unwrap_or("<none>")
            .to_string(),
        suspend.to_string(),
        arr_at(cj, &["status", "active"]).len().to_string(),
        last,
        age(created(cj), ctx.now),
        names,
        images,
        format_label_selector(get(cj, &["spec", "jobTemplate", "spec", "selector"])),
    ]
}

fn hpa_row(hpa: &Value, ctx: &Ctx) -> Vec<String> {
    let reference = format!(
        "{}/{}",
        str_at(hpa, &["spec", "scaleTargetRef", "kind"]),
        str_at(hpa, &["spec", "scaleTargetRef", "name"])
    );
    let min =
        opt_int(hpa, &["spec", "minReplicas"]).map_or("<unset>".to_string(), |m| m.to_string());
    vec![
        name(hpa).to_string(),
        reference,
        hpa_targets(hpa),
        min,
        n(hpa, &["spec", "maxReplicas"]),
        n(hpa, &["status", "currentReplicas"]),
        age(created(hpa), ctx.now),
    ]
}

/// `formatHPAMetrics` for Resource metrics (the common case); other types as printers.go
/// words them when the current value is unknown.
fn hpa_targets(hpa: &Value) -> String {
    // An autoscaling/v1 object: the apiserver prints it through its internal (v2) form.
    if str_at(hpa, &["apiVersion"]) == "autoscaling/v1" {
        let target = opt_int(hpa, &["spec", "targetCPUUtilizationPercentage"]).unwrap_or(80);
        let current = opt_int(hpa, &["status", "currentCPUUtilizationPercentage"])
            .map_or("<unknown>".to_string(), |c| format!("{c}%"));
        return format!("cpu: {current}/{target}%");
    }
    let specs = arr_at(hpa, &["spec", "metrics"]);
    if specs.is_empty() {
        return "<none>".to_string();
    }
    let statuses = arr_at(hpa, &["status", "currentMetrics"]);
    let list: Vec<String> = specs
        .iter()
        .enumerate()
        .map(|(i, spec)| hpa_metric(spec, statuses.get(i)))
        .collect();
    if list.len() > 2 {
        return format!("{} + {} more...", list[..2].join(", "), list.len() - 2);
    }
    list.join(", ")
}

fn hpa_metric(spec: &Value, status: Option<&Value>) -> String {
    let quantity = |v: Option<&Value>| {
        v.map(scalar_string)
            .unwrap_or_else(|| "<unknown>".to_string())
    };
    let kind = str_at(spec, &["type"]);
    let key = match kind {
        "Resource" => "resource",
        "ContainerResource" => "containerResource",
        "Pods" => "pods",
        "Object" => "object",
        "External" => "external",
        _ => return "<unknown type>".to_string(),
    };
    let target = get(spec, &[key, "target"]);
    let current = status.and_then(|s| get(s, &[key, "current"]));
    if matches!(kind, "Resource" | "ContainerResource") {
        let res = str_at(spec, &[key, "name"]);
        if let Some(avg) = field(target, "averageValue") {
            return format!(
                "{res}: {}/{}",
                quantity(field(current, "averageValue")),
                scalar_string(avg)
            );
        }
        let cur = field(current, "averageUtilization").map_or("<unknown>".to_string(), |u| {
            format!("{}%", scalar_string(u))
        });
        let tgt = field(target, "averageUtilization")
            .map_or("<auto>".to_string(), |u| format!("{}%", scalar_string(u)));
        return format!("{res}: {cur}/{tgt}");
    }
    if let Some(avg) = field(target, "averageValue") {
        let suffix = if kind == "Pods" { "" } else { " (avg)" };
        return format!(
            "{}/{}{suffix}",
            quantity(field(current, "averageValue")),
            scalar_string(avg)
        );
    }
    format!(
        "{}/{}",
        quantity(field(current, "value")),
        quantity(field(target, "value"))
    )
}

fn field<'a>(v: Option<&'a Value>, f: &str) -> Option<&'a Value> {
    v.and_then(|v| get(v, &[f])).filter(|x| !x.is_null())
}

fn pdb_row(pdb: &Value, ctx: &Ctx) -> Vec<String> {
    let int_or_string = |f: &str| {
        get(pdb, &["spec", f])
            .filter(|v| !v.is_null())
            .map_or("N/A".to_string(), scalar_string)
    };
    vec![
        name(pdb).to_string(),
        int_or_string("minAvailable"),
        int_or_string("maxUnavailable"),
        n(pdb, &["status", "disruptionsAllowed"]),
        age(created(pdb), ctx.now),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::json::json;
    use crate::sim::time::rfc3339;

    fn ctx(now: u64) -> Ctx {
        Ctx { wide: true, now }
    }

    #[test]
    fn deployment_cells() {
        // 10.7: 3 replicas, 2 ready, 3 updated, 2 available.
        let d = json!({"metadata": {"name": "web", "creationTimestamp": rfc3339(0)},
            "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}},
                     "template": {"spec": {"containers": [{"name": "nginx", "image": "nginx:1.25"}]}}},
            "status": {"readyReplicas": 2, "updatedReplicas": 3, "availableReplicas": 2}});
        assert_eq!(
            deployment_row(&d, &ctx(600_000)),
            [
                "web",
                "2/3",
                "3",
                "2",
                "10m",
                "nginx",
                "nginx:1.25",
                "app=web"
            ]
        );
    }

    #[test]
    fn job_cells() {
        let job = json!({"metadata": {"name": "pi", "creationTimestamp": rfc3339(0)},
            "spec": {"completions": 1, "template": {"spec": {"containers": []}}},
            "status": {"succeeded": 1, "startTime": rfc3339(0), "completionTime": rfc3339(9_000),
                       "conditions": [{"type": "Complete", "status": "True"}]}});
        assert_eq!(
            job_row(&job, &ctx(60_000))[..5],
            ["pi", "Complete", "1/1", "9s", "60s"]
        );
        let running = json!({"spec": {"parallelism": 3}, "status": {"startTime": rfc3339(0)}});
        assert_eq!(
            job_row(&running, &ctx(5_000))[1..4],
            ["Running", "0/1 of 3", "5s"]
        );
    }

    #[test]
    fn cron_job_cells() {
        let cj = json!({"metadata": {"name": "hello"}, "spec": {"schedule": "* * * * *", "suspend": false}});
        assert_eq!(
            cron_job_row(&cj, &ctx(0))[..7],
            [
                "hello",
                "* * * * *",
                "<none>",
                "False",
                "0",
                "<none>",
                "<unknown>"
            ]
        );
    }

    #[test]
    fn hpa_targets_resource_utilization() {
        let hpa = json!({"spec": {"scaleTargetRef": {"kind": "Deployment", "name": "web"}, "maxReplicas": 10, "minReplicas": 1,
            "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 50}}}]},
            "status": {"currentReplicas": 1}});
        assert_eq!(
            hpa_row(&hpa, &ctx(0))[1..6],
            ["Deployment/web", "cpu: <unknown>/50%", "1", "10", "1"]
        );
    }

    #[test]
    fn hpa_targets_of_a_v1_object() {
        let hpa = json!({"apiVersion": "autoscaling/v1", "spec": {"targetCPUUtilizationPercentage": 50},
            "status": {"currentCPUUtilizationPercentage": 12}});
        assert_eq!(hpa_targets(&hpa), "cpu: 12%/50%");
        assert_eq!(
            hpa_targets(&json!({"apiVersion": "autoscaling/v1", "spec": {}})),
            "cpu: <unknown>/80%"
        );
    }

    #[test]
    fn pdb_and_daemonset_cells() {
        let pdb = json!({"spec": {"minAvailable": 2}, "status": {"disruptionsAllowed": 1}});
        assert_eq!(pdb_row(&pdb, &ctx(0))[1..4], ["2", "N/A", "1"]);
        let ds = json!({"metadata": {"name": "kube-proxy"}, "spec": {"template": {"spec": {"nodeSelector": {"kubernetes.io/os": "linux"}}}},
            "status": {"desiredNumberScheduled": 4, "currentNumberScheduled": 4, "numberReady": 4, "updatedNumberScheduled": 4, "numberAvailable": 4}});
        assert_eq!(
            daemon_set_row(&ds, &ctx(0))[1..7],
            ["4", "4", "4", "4", "4", "kubernetes.io/os=linux"]
        );
    }
}
