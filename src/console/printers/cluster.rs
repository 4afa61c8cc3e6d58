//! `kubectl get` rows for cluster and configuration kinds (printers.go): Nodes,
//! Namespaces, Events, Leases, ConfigMaps, Secrets, ServiceAccounts, PVs, PVCs,
//! StorageClasses, RBAC bindings, PriorityClasses and friends; plus the tables the
//! apiserver builds when there is no printer: `NAME CREATED AT` for built-in kinds,
//! `NAME AGE` or the CRD's `additionalPrinterColumns` for custom resources.

use std::collections::BTreeSet;

use serde_json::Value;

use super::age::age;
use super::fields::{
    access_modes, arr_at, as_int, bool_at, condition, created, get, len_at, map_at, name, opt_str,
    scalar_string, str_at,
};
use super::jsonpath;
use super::table::{columns, Ctx, PrinterColumn, RowFn, Table};
use crate::sim::time::{parse_rfc3339, rfc3339};

type Defs = &'static [(&'static str, i32)];

const NODE: Defs = &[
    ("Name", 0),
    ("Status", 0),
    ("Roles", 0),
    ("Age", 0),
    ("Version", 0),
    ("Internal-IP", 1),
    ("External-IP", 1),
    ("OS-Image", 1),
    ("Kernel-Version", 1),
    ("Container-Runtime", 1),
];
const NAMESPACE: Defs = &[("Name", 0), ("Status", 0), ("Age", 0)];
const EVENT: Defs = &[
    ("Last Seen", 0),
    ("Type", 0),
    ("Reason", 0),
    ("Object", 0),
    ("Subobject", 1),
    ("Source", 1),
    ("Message", 0),
    ("First Seen", 1),
    ("Count", 1),
    ("Name", 1),
];
const LEASE: Defs = &[("Name", 0), ("Holder", 0), ("Age", 0)];
const CONFIG_MAP: Defs = &[("Name", 0), ("Data", 0), ("Age", 0)];
const SECRET: Defs = &[("Name", 0), ("Type", 0), ("Data", 0), ("Age", 0)];
const SERVICE_ACCOUNT: Defs = &[("Name", 0), ("Secrets", 0), ("Age", 0)];
const PV: Defs = &[
    ("Name", 0),
    ("Capacity", 0),
    ("Access Modes", 0),
    ("Reclaim Policy", 0),
    ("Status", 0),
    ("Claim", 0),
    ("StorageClass", 0),
    ("VolumeAttributesClass", 0),
    ("Reason", 0),
    ("Age", 0),
    ("VolumeMode", 1),
];
const PVC: Defs = &[
    ("Name", 0),
    ("Status", 0),
    ("Volume", 0),
    ("Capacity", 0),
    ("Access Modes", 0),
    ("StorageClass", 0),
    ("VolumeAttributesClass", 0),
    ("Age", 0),
    ("VolumeMode", 1),
];
const STORAGE_CLASS: Defs = &[
    ("Name", 0),
    ("Provisioner", 0),
    ("ReclaimPolicy", 0),
    ("VolumeBindingMode", 0),
    ("AllowVolumeExpansion", 0),
    ("Age", 0),
];
const BINDING: Defs = &[
    ("Name", 0),
    ("Role", 0),
    ("Age", 0),
    ("Users", 1),
    ("Groups", 1),
    ("ServiceAccounts", 1),
];
const PRIORITY_CLASS: Defs = &[
    ("Name", 0),
    ("Value", 0),
    ("Global-Default", 0),
    ("Age", 0),
    ("PreemptionPolicy", 1),
];
const HANDLER: Defs = &[("Name", 0), ("Handler", 0), ("Age", 0)];
const WEBHOOKS: Defs = &[("Name", 0), ("Webhooks", 0), ("Age", 0)];
const SERVICE_CIDR: Defs = &[("Name", 0), ("CIDRs", 0), ("Age", 0)];
const API_SERVICE: Defs = &[("Name", 0), ("Service", 0), ("Available", 0), ("Age", 0)];
const POD_TEMPLATE: Defs = &[
    ("Name", 0),
    ("Containers", 0),
    ("Images", 0),
    ("Pod Labels", 0),
];

pub(crate) fn lookup(group: &str, plural: &str) -> Option<(Defs, RowFn)> {
    let found: (Defs, RowFn) = match (group, plural) {
        ("", "nodes") => (NODE, node_row),
        ("", "namespaces") => (NAMESPACE, namespace_row),
        ("", "events") => (EVENT, event_row),
        ("coordination.k8s.io", "leases") => (LEASE, lease_row),
        ("", "configmaps") => (CONFIG_MAP, config_map_row),
        ("", "secrets") => (SECRET, secret_row),
        ("", "serviceaccounts") => (SERVICE_ACCOUNT, service_account_row),
        ("", "persistentvolumes") => (PV, pv_row),
        ("", "persistentvolumeclaims") => (PVC, pvc_row),
        ("", "podtemplates") => (POD_TEMPLATE, pod_template_row),
        ("storage.k8s.io", "storageclasses") => (STORAGE_CLASS, storage_class_row),
        ("rbac.authorization.k8s.io", "rolebindings" | "clusterrolebindings") => {
            (BINDING, binding_row)
        }
        ("scheduling.k8s.io", "priorityclasses") => (PRIORITY_CLASS, priority_class_row),
        ("node.k8s.io", "runtimeclasses") => (HANDLER, runtime_class_row),
        (
            "admissionregistration.k8s.io",
            "mutatingwebhookconfigurations" | "validatingwebhookconfigurations",
        ) => (WEBHOOKS, webhooks_row),
        ("networking.k8s.io", "servicecidrs") => (SERVICE_CIDR, service_cidr_row),
        ("apiregistration.k8s.io", "apiservices") => (API_SERVICE, api_service_row),
        _ => return None,
    };
    Some(found)
}

fn none_if_empty(s: &str) -> String {
    if s.is_empty() {
        "<none>".to_string()
    } else {
        s.to_string()
    }
}

fn unknown_if_empty(s: &str) -> String {
    if s.is_empty() {
        "<unknown>".to_string()
    } else {
        s.to_string()
    }
}

/// `Ready` / `NotReady` / `Unknown`, plus `,SchedulingDisabled` when cordoned.
pub fn node_status(node: &Value) -> String {
    let conditions = arr_at(node, &["status", "conditions"]);
    let mut status = vec![match condition(conditions, "Ready") {
        Some(c) if str_at(c, &["status"]) == "True" => "Ready",
        Some(_) => "NotReady",
        None => "Unknown",
    }];
    if bool_at(node, &["spec", "unschedulable"]) {
        status.push("SchedulingDisabled");
    }
    status.join(",")
}

/// `findNodeRoles`: `node-role.kubernetes.io/<role>` keys and `kubernetes.io/role` values.
pub fn node_roles(node: &Value) -> String {
    let mut roles = BTreeSet::new();
    for (key, value) in map_at(node, &["metadata", "labels"]).into_iter().flatten() {
        if let Some(role) = key
            .strip_prefix("node-role.kubernetes.io/")
            .filter(|r| !r.is_empty())
        {
            roles.insert(role.to_string());
        } else if key == "kubernetes.io/role" && value.as_str().is_some_and(|v| !v.is_empty()) {
            roles.insert(scalar_string(value));
        }
    }
    none_if_empty(&roles.into_iter().collect::<Vec<_>>().join(","))
}

/// The first address of `type_` (`InternalIP`, `ExternalIP`), or `<none>`.
pub fn node_address(node: &Value, type_: &str) -> String {
    let found = arr_at(node, &["status", "addresses"])
        .iter()
        .find(|a| str_at(a, &["type"]) == type_);
    none_if_empty(found.map_or("", |a| str_at(a, &["address"])))
}

fn node_row(node: &Value, ctx: &Ctx) -> Vec<String> {
    let info = |f: &str| str_at(node, &["status", "nodeInfo", f]);
    vec![
        name(node).to_string(),
        node_status(node),
        node_roles(node),
        age(created(node), ctx.now),
        info("kubeletVersion").to_string(),
        node_address(node, "InternalIP"),
        node_address(node, "ExternalIP"),
        unknown_if_empty(info("osImage")),
        unknown_if_empty(info("kernelVersion")),
        unknown_if_empty(info("containerRuntimeVersion")),
    ]
}

fn namespace_row(ns: &Value, ctx: &Ctx) -> Vec<String> {
    vec![
        name(ns).to_string(),
        str_at(ns, &["status", "phase"]).to_string(),
        age(created(ns), ctx.now),
    ]
}

/// `formatEventSource`: component (or reportingController), `, host` when known.
pub fn event_source(ev: &Value) -> String {
    let first = |a: &str, b: &str| {
        if a.is_empty() {
            b.to_string()
        } else {
            a.to_string()
        }
    };
    let component = first(
        str_at(ev, &["source", "component"]),
        str_at(ev, &["reportingController"]),
    );
    let host = first(
        str_at(ev, &["source", "host"]),
        str_at(ev, &["reportingInstance"]),
    );
    if host.is_empty() {
        component
    } else {
        format!("{component}, {host}")
    }
}

fn time_or_none(ev: &Value, field: &[&str]) -> Option<String> {
    opt_str(ev, field)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
}

fn event_row(ev: &Value, ctx: &Ctx) -> Vec<String> {
    let first_seen =
        time_or_none(ev, &["firstTimestamp"]).or_else(|| time_or_none(ev, &["eventTime"]));
    let first = age(first_seen.as_deref(), ctx.now);
    let mut last = match time_or_none(ev, &["lastTimestamp"]) {
        Some(t) => age(Some(&t), ctx.now),
        None => first.clone(),
    };
    let mut count = get(ev, &["count"]).and_then(as_int).unwrap_or(0);
    if get(ev, &["series"]).is_some_and(|s| s.is_object()) {
        last = age(opt_str(ev, &["series", "lastObservedTime"]), ctx.now);
        count = get(ev, &["series", "count"]).and_then(as_int).unwrap_or(0);
    } else if count == 0 {
        count = 1;
    }
    let kind = str_at(ev, &["involvedObject", "kind"]).to_lowercase();
    let target = match str_at(ev, &["involvedObject", "name"]) {
        "" => kind,
        object => format!("{kind}/{object}"),
    };
    vec![
        last,
        str_at(ev, &["type"]).to_string(),
        str_at(ev, &["reason"]).to_string(),
        target,
        str_at(ev, &["involvedObject", "fieldPath"]).to_string(),
        event_source(ev),
        str_at(ev, &["message"]).trim().to_string(),
        first,
        count.to_string(),
        name(ev).to_string(),
    ]
}

fn lease_row(lease: &Value, ctx: &Ctx) -> Vec<String> {
    vec![
        name(lease).to_string(),
        str_at(lease, &["spec", "holderIdentity"]).to_string(),
        age(created(lease), ctx.now),
    ]
}

fn config_map_row(cm: &Value, ctx: &Ctx) -> Vec<String> {
    let data = len_at(cm, &["data"]) + len_at(cm, &["binaryData"]);
    vec![
        name(cm).to_string(),
        data.to_string(),
        age(created(cm), ctx.now),
    ]
}

fn secret_row(secret: &Value, ctx: &Ctx) -> Vec<String> {
    vec![
        name(secret).to_string(),
        str_at(secret, &["type"]).to_string(),
        len_at(secret, &["data"]).to_string(),
        age(created(secret), ctx.now),
    ]
}

fn service_account_row(sa: &Value, ctx: &Ctx) -> Vec<String> {
    vec![
        name(sa).to_string(),
        len_at(sa, &["secrets"]).to_string(),
        age(created(sa), ctx.now),
    ]
}

/// `GetPersistentVolume(Claim)Class`: the beta annotation wins over `spec.storageClassName`.
pub fn storage_class_of(obj: &Value) -> String {
    opt_str(
        obj,
        &[
            "metadata",
            "annotations",
            "volume.beta.kubernetes.io/storage-class",
        ],
    )
    .or_else(|| opt_str(obj, &["spec", "storageClassName"]))
    .unwrap_or("")
    .to_string()
}

fn terminating_phase(obj: &Value) -> String {
    if get(obj, &["metadata", "deletionTimestamp"]).is_some_and(|d| !d.is_null()) {
        "Terminating".to_string()
    } else {
        str_at(obj, &["status", "phase"]).to_string()
    }
}

fn unset_or(obj: &Value, path: &[&str]) -> String {
    opt_str(obj, path).unwrap_or("<unset>").to_string()
}

fn pv_row(pv: &Value, ctx: &Ctx) -> Vec<String> {
    let claim = get(pv, &["spec", "claimRef"])
        .filter(|c| c.is_object())
        .map_or(String::new(), |c| {
            format!("{}/{}", str_at(c, &["namespace"]), str_at(c, &["name"]))
        });
    vec![
        name(pv).to_string(),
        get(pv, &["spec", "capacity", "storage"])
            .map(scalar_string)
            .unwrap_or_else(|| "0".to_string()),
        access_modes(arr_at(pv, &["spec", "accessModes"])),
        str_at(pv, &["spec", "persistentVolumeReclaimPolicy"]).to_string(),
        terminating_phase(pv),
        claim,
        storage_class_of(pv),
        unset_or(pv, &["spec", "volumeAttributesClassName"]),
        str_at(pv, &["status", "reason"]).to_string(),
        age(created(pv), ctx.now),
        unset_or(pv, &["spec", "volumeMode"]),
    ]
}

fn pvc_row(pvc: &Value, ctx: &Ctx) -> Vec<String> {
    let volume = str_at(pvc, &["spec", "volumeName"]);
    let (capacity, modes) = if volume.is_empty() {
        (String::new(), String::new())
    } else {
        let cap = get(pvc, &["status", "capacity", "storage"])
            .map(scalar_string)
            .unwrap_or_else(|| "0".to_string());
        (cap, access_modes(arr_at(pvc, &["status", "accessModes"])))
    };
    vec![
        name(pvc).to_string(),
        terminating_phase(pvc),
        volume.to_string(),
        capacity,
        modes,
        storage_class_of(pvc),
        unset_or(pvc, &["spec", "volumeAttributesClassName"]),
        age(created(pvc), ctx.now),
        unset_or(pvc, &["spec", "volumeMode"]),
    ]
}

fn pod_template_row(pt: &Value, _ctx: &Ctx) -> Vec<String> {
    let (names, images) = super::fields::container_cells(get(pt, &["template", "spec"]));
    let labels = super::fields::format_labels(map_at(pt, &["template", "metadata", "labels"]));
    vec![name(pt).to_string(), names, images, labels]
}

fn is_default_class(sc: &Value) -> bool {
    [
        "storageclass.kubernetes.io/is-default-class",
        "storageclass.beta.kubernetes.io/is-default-class",
    ]
    .iter()
    .any(|k| opt_str(sc, &["metadata", "annotations", k]) == Some("true"))
}

fn storage_class_row(sc: &Value, ctx: &Ctx) -> Vec<String> {
    let mut display = name(sc).to_string();
    if is_default_class(sc) {
        display.push_str(" (default)");
    }
    vec![
        display,
        str_at(sc, &["provisioner"]).to_string(),
        opt_str(sc, &["reclaimPolicy"])
            .unwrap_or("Delete")
            .to_string(),
        opt_str(sc, &["volumeBindingMode"])
            .unwrap_or("Immediate")
            .to_string(),
        bool_at(sc, &["allowVolumeExpansion"]).to_string(),
        age(created(sc), ctx.now),
    ]
}

/// `rbac.SubjectsStrings`: users, groups, `namespace/name` service accounts.
pub fn subjects(binding: &Value) -> (Vec<String>, Vec<String>, Vec<String>) {
    let (mut users, mut groups, mut sas) = (Vec::new(), Vec::new(), Vec::new());
    for s in arr_at(binding, &["subjects"]) {
        let subject_name = str_at(s, &["name"]).to_string();
        match str_at(s, &["kind"]) {
            "User" => users.push(subject_name),
            "Group" => groups.push(subject_name),
            "ServiceAccount" => sas.push(format!("{}/{subject_name}", str_at(s, &["namespace"]))),
            _ => {}
        }
    }
    (users, groups, sas)
}

fn binding_row(b: &Value, ctx: &Ctx) -> Vec<String> {
    let (users, groups, sas) = subjects(b);
    vec![
        name(b).to_string(),
        format!(
            "{}/{}",
            str_at(b, &["roleRef", "kind"]),
            str_at(b, &["roleRef", "name"])
        ),
        age(created(b), ctx.now),
        users.join(", "),
        groups.join(", "),
        sas.join(", "),
    ]
}

fn priority_class_row(pc: &Value, ctx: &Ctx) -> Vec<String> {
    vec![
        name(pc).to_string(),
        get(pc, &["value"])
            .and_then(as_int)
            .unwrap_or(0)
            .to_string(),
        bool_at(pc, &["globalDefault"]).to_string(),
        age(created(pc), ctx.now),
        str_at(pc, &["preemptionPolicy"]).to_string(),
    ]
}

fn runtime_class_row(rc: &Value, ctx: &Ctx) -> Vec<String> {
    vec![
        name(rc).to_string(),
        str_at(rc, &["handler"]).to_string(),
        age(created(rc), ctx.now),
    ]
}

fn webhooks_row(wh: &Value, ctx: &Ctx) -> Vec<String> {
    vec![
        name(wh).to_string(),
        len_at(wh, &["webhooks"]).to_string(),
        age(created(wh), ctx.now),
    ]
}

fn service_cidr_row(sc: &Value, ctx: &Ctx) -> Vec<String> {
    let cidrs: Vec<String> = arr_at(sc, &["spec", "cidrs"])
        .iter()
        .map(scalar_string)
        .collect();
    vec![
        name(sc).to_string(),
        cidrs.join(","),
        age(created(sc), ctx.now),
    ]
}

/// kube-aggregator's `printAPIService`: `Local` or the backing Service, and the
/// Available condition (`False (MissingEndpoints)` when not true).
fn api_service_row(api: &Value, ctx: &Ctx) -> Vec<String> {
    let service = match get(api, &["spec", "service"]) {
        Some(s) if s.is_object() => {
            format!("{}/{}", str_at(s, &["namespace"]), str_at(s, &["name"]))
        }
        _ => "Local".to_string(),
    };
    let available = arr_at(api, &["status", "conditions"])
        .iter()
        .find(|c| str_at(c, &["type"]) == "Available")
        .map_or("Unknown".to_string(), |c| match str_at(c, &["status"]) {
            "True" => "True".to_string(),
            other => format!("{other} ({})", str_at(c, &["reason"])),
        });
    vec![
        name(api).to_string(),
        service,
        available,
        age(created(api), ctx.now),
    ]
}

/// The apiserver's default table for built-in kinds without a printer (Roles,
/// ClusterRoles, CRDs, LimitRanges…): `NAME  CREATED AT` with an RFC 3339 timestamp.
pub fn created_at_table(objects: &[&Value]) -> Table {
    let rows = objects
        .iter()
        .map(|o| {
            let ts = created(o).and_then(parse_rfc3339);
            let shown = ts.map_or("0001-01-01T00:00:00Z".to_string(), |t| {
                rfc3339(t.max(0) as u64)
            });
            vec![name(o).to_string(), shown]
        })
        .collect();
    Table {
        columns: columns(&[("Name", 0), ("Created At", 0)]),
        rows,
    }
}

/// A custom resource whose CRD has no printer columns: `NAME  AGE`.
pub fn name_age_table(objects: &[&Value], ctx: &Ctx) -> Table {
    let rows = objects
        .iter()
        .map(|o| vec![name(o).to_string(), age(created(o), ctx.now)])
        .collect();
    Table {
        columns: columns(&[("Name", 0), ("Age", 0)]),
        rows,
    }
}

/// A custom resource with `additionalPrinterColumns`: `NAME` then each column.
pub fn custom_resource_table(cols: &[PrinterColumn], objects: &[&Value], ctx: &Ctx) -> Table {
    let mut defs = vec![super::table::Column {
        name: "Name".to_string(),
        priority: 0,
    }];
    defs.extend(cols.iter().map(|c| super::table::Column {
        name: c.name.clone(),
        priority: c.priority,
    }));
    let rows = objects
        .iter()
        .map(|o| {
            let mut cells = vec![name(o).to_string()];
            cells.extend(cols.iter().map(|c| custom_cell(c, o, ctx)));
            cells
        })
        .collect();
    Table {
        columns: defs,
        rows,
    }
}

/// `cellForJSONValue`: the first JSONPath result typed by the column; empty when missing.
fn custom_cell(col: &PrinterColumn, obj: &Value, ctx: &Ctx) -> String {
    let Some(value) = jsonpath::first_result(&col.json_path, obj) else {
        return String::new();
    };
    match col.column_type.as_str() {
        "date" => match value.as_str() {
            Some(t) => match parse_rfc3339(t) {
                Some(_) => age(Some(t), ctx.now),
                None => "<invalid>".to_string(),
            },
            None => String::new(),
        },
        "integer" => as_int(&value).map(|i| i.to_string()).unwrap_or_default(),
        "number" => value.as_f64().map(format_float).unwrap_or_default(),
        "boolean" => value.as_bool().map(|b| b.to_string()).unwrap_or_default(),
        _ => jsonpath::format_value(&value),
    }
}

/// Go's `%v` of a float64 for the usual magnitudes: `1.5`, `2`.
fn format_float(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e21 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::json::json;

    fn ctx() -> Ctx {
        Ctx {
            wide: true,
            now: 3_600_000,
        }
    }

    #[test]
    fn node_cells() {
        let node = json!({"metadata": {"name": "control-plane", "creationTimestamp": rfc3339(0),
                "labels": {"node-role.kubernetes.io/control-plane": "", "kubernetes.io/hostname": "control-plane"}},
            "spec": {"unschedulable": true},
            "status": {"conditions": [{"type": "Ready", "status": "True"}],
                "addresses": [{"type": "InternalIP", "address": "172.18.0.2"}],
                "nodeInfo": {"kubeletVersion": "v1.34.0", "osImage": "Debian GNU/Linux 12 (bookworm)"}}});
        assert_eq!(
            node_row(&node, &ctx()),
            [
                "control-plane",
                "Ready,SchedulingDisabled",
                "control-plane",
                "60m",
                "v1.34.0",
                "172.18.0.2",
                "<none>",
                "Debian GNU/Linux 12 (bookworm)",
                "<unknown>",
                "<unknown>"
            ]
        );
        let down = json!({"status": {"conditions": [{"type": "Ready", "status": "Unknown"}]}});
        assert_eq!(
            (node_status(&down).as_str(), node_roles(&down).as_str()),
            ("NotReady", "<none>")
        );
        assert_eq!(node_status(&json!({})), "Unknown");
    }

    #[test]
    fn event_cells() {
        let ev = json!({"metadata": {"name": "web.1"}, "type": "Normal", "reason": "Scheduled",
            "involvedObject": {"kind": "Pod", "name": "web"}, "source": {"component": "default-scheduler"},
            "message": "Successfully assigned default/web to worker-1\n",
            "firstTimestamp": rfc3339(0), "lastTimestamp": rfc3339(3_000_000), "count": 4});
        assert_eq!(
            event_row(&ev, &ctx()),
            [
                "10m",
                "Normal",
                "Scheduled",
                "pod/web",
                "",
                "default-scheduler",
                "Successfully assigned default/web to worker-1",
                "60m",
                "4",
                "web.1"
            ]
        );
    }

    #[test]
    fn storage_cells() {
        let sc = json!({"metadata": {"name": "standard", "annotations": {"storageclass.kubernetes.io/is-default-class": "true"}},
            "provisioner": "rancher.io/local-path", "volumeBindingMode": "WaitForFirstConsumer"});
        assert_eq!(
            storage_class_row(&sc, &ctx())[..5],
            [
                "standard (default)",
                "rancher.io/local-path",
                "Delete",
                "WaitForFirstConsumer",
                "false"
            ]
        );
        let pvc = json!({"metadata": {"name": "data"}, "spec": {"volumeName": "pvc-1", "storageClassName": "standard"},
            "status": {"phase": "Bound", "capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteOnce"]}});
        assert_eq!(
            pvc_row(&pvc, &ctx())[..7],
            ["data", "Bound", "pvc-1", "1Gi", "RWO", "standard", "<unset>"]
        );
    }

    #[test]
    fn generic_tables() {
        let role = json!({"metadata": {"name": "r", "creationTimestamp": "2026-01-01T00:00:05Z"}});
        assert_eq!(
            created_at_table(&[&role]).rows[0],
            ["r", "2026-01-01T00:00:05Z"]
        );
        let cols = vec![
            PrinterColumn {
                name: "Replicas".into(),
                json_path: ".spec.replicas".into(),
                column_type: "integer".into(),
                priority: 0,
            },
            PrinterColumn {
                name: "Phase".into(),
                json_path: ".status.phase".into(),
                column_type: "string".into(),
                priority: 0,
            },
            PrinterColumn {
                name: "Age".into(),
                json_path: ".metadata.creationTimestamp".into(),
                column_type: "date".into(),
                priority: 0,
            },
        ];
        let cr = json!({"metadata": {"name": "x", "creationTimestamp": rfc3339(0)}, "spec": {"replicas": 3}});
        assert_eq!(
            custom_resource_table(&cols, &[&cr], &ctx()).rows[0],
            ["x", "3", "", "60m"]
        );
    }
}
