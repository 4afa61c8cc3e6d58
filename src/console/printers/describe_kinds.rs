//! The per-kind describers of describe.go: Pod (and the shared pod template / container
//! blocks), Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, Service, Endpoints,
//! Ingress, Namespace, ConfigMap, Secret, PVC, Node, PodDisruptionBudget; anything else
//! uses the generic one.

use crate::sim::sort::SharedSort;
use serde_json::Value;

use super::cluster::{node_roles, storage_class_of};
use super::describe::{controlled_by, describe_generic, rfc1123z, ObjectSource, Writer};
use super::fields::{
    access_modes, arr_at, as_int, bool_at, format_label_selector, format_labels, get, int_at,
    label_selector_string, map_at, name, namespace, opt_int, opt_str, scalar_string, str_at,
};
use super::network::load_balancer_addresses;
use crate::sim::admission::quantity::Quantity;
use crate::sim::resources::ResourceType;

/// Writes the description of `obj`; returns whether kubectl appends its Events.
pub fn describe_into(
    w: &mut Writer,
    rt: &ResourceType,
    obj: &Value,
    source: &dyn ObjectSource,
) -> bool {
    match (rt.group.as_str(), rt.plural.as_str()) {
        ("", "pods") => pod(w, obj),
        ("apps", "deployments") => deployment(w, obj, source),
        ("apps", "replicasets") => replica_set(w, obj, source),
        ("apps", "statefulsets") => stateful_set(w, obj, source),
        ("apps", "daemonsets") => daemon_set(w, obj, source),
        ("batch", "jobs") => job(w, obj),
        ("", "services") => service(w, obj, source),
        ("", "endpoints") => endpoints(w, obj),
        ("networking.k8s.io", "ingresses") => ingress(w, obj, source),
        ("", "namespaces") => {
            namespace_desc(w, obj, source);
            return false;
        }
        ("", "configmaps") => config_map(w, obj),
        ("", "secrets") => {
            secret(w, obj);
            return false;
        }
        ("", "persistentvolumeclaims") => pvc(w, obj, source),
        ("", "nodes") => node(w, obj, source),
        ("policy", "poddisruptionbudgets") => pod_disruption_budget(w, obj),
        ("autoscaling", "horizontalpodautoscalers") => super::describe_hpa::describe(w, obj),
        _ => describe_generic(w, obj),
    }
    true
}

fn line(w: &mut Writer, level: usize, text: String) {
    w.write(level, &text);
}

fn or_none(s: &str) -> &str {
    if s.is_empty() {
        "<none>"
    } else {
        s
    }
}

fn header(w: &mut Writer, obj: &Value) {
    line(w, 0, format!("Name:\t{}\n", name(obj)));
    line(w, 0, format!("Namespace:\t{}\n", namespace(obj)));
}

fn labels_and_annotations(w: &mut Writer, obj: &Value) {
    w.labels("Labels", map_at(obj, &["metadata", "labels"]));
    w.annotations("Annotations", map_at(obj, &["metadata", "annotations"]));
}

// ---- Pods ----------------------------------------------------------------------------

fn pod(w: &mut Writer, p: &Value) {
    header(w, p);
    if let Some(priority) = opt_int(p, &["spec", "priority"]) {
        line(w, 0, format!("Priority:\t{priority}\n"));
    }
    if let Some(pc) = opt_str(p, &["spec", "priorityClassName"]).filter(|s| !s.is_empty()) {
        line(w, 0, format!("Priority Class Name:\t{pc}\n"));
    }
    if let Some(sa) = opt_str(p, &["spec", "serviceAccountName"]).filter(|s| !s.is_empty()) {
        line(w, 0, format!("Service Account:\t{sa}\n"));
    }
    match str_at(p, &["spec", "nodeName"]) {
        "" => line(w, 0, "Node:\t<none>\n".to_string()),
        node => line(
            w,
            0,
            format!("Node:\t{node}/{}\n", str_at(p, &["status", "hostIP"])),
        ),
    }
    if let Some(start) = opt_str(p, &["status", "startTime"]) {
        line(w, 0, format!("Start Time:\t{}\n", rfc1123z(Some(start))));
    }
    labels_and_annotations(w, p);
    let phase = str_at(p, &["status", "phase"]);
    let deleting = opt_str(p, &["metadata", "deletionTimestamp"]);
    match deleting {
        Some(ts) if phase != "Failed" && phase != "Succeeded" => {
            line(
                w,
                0,
                format!("Status:\tTerminating (lasts {})\n", w.since(Some(ts))),
            );
            let grace = int_at(p, &["metadata", "deletionGracePeriodSeconds"]);
            line(w, 0, format!("Termination Grace Period:\t{grace}s\n"));
        }
        _ => line(w, 0, format!("Status:\t{phase}\n")),
    }
    for (field, title) in [("reason", "Reason"), ("message", "Message")] {
        if let Some(v) = opt_str(p, &["status", field]).filter(|s| !s.is_empty()) {
            line(w, 0, format!("{title}:\t{v}\n"));
        }
    }
    line(w, 0, format!("IP:\t{}\n", str_at(p, &["status", "podIP"])));
    let ips = arr_at(p, &["status", "podIPs"]);
    if ips.is_empty() {
        line(w, 0, "IPs:\t<none>\n".to_string());
    } else {
        line(w, 0, "IPs:\n".to_string());
        for ip in ips {
            line(w, 1, format!("IP:\t{}\n", str_at(ip, &["ip"])));
        }
    }
    if let Some(owner) = controlled_by(p) {
        line(w, 0, format!("Controlled By:\t{owner}\n"));
    }
    if let Some(n) = opt_str(p, &["status", "nominatedNodeName"]).filter(|s| !s.is_empty()) {
        line(w, 0, format!("NominatedNodeName:\t{n}\n"));
    }
    let spec = get(p, &["spec"]).unwrap_or(&Value::Null);
    if !arr_at(spec, &["initContainers"]).is_empty() {
        containers(
            w,
            "Init Containers",
            arr_at(spec, &["initContainers"]),
            arr_at(p, &["status", "initContainerStatuses"]),
            "",
        );
    }
    containers(
        w,
        "Containers",
        arr_at(spec, &["containers"]),
        arr_at(p, &["status", "containerStatuses"]),
        "",
    );
    pod_conditions(w, p);
    volumes(w, arr_at(spec, &["volumes"]), "");
    line(w, 0, format!("QoS Class:\t{}\n", qos_class(p)));
    w.labels("Node-Selectors", map_at(spec, &["nodeSelector"]));
    w.tolerations("", "Tolerations", arr_at(spec, &["tolerations"]));
}

fn pod_conditions(w: &mut Writer, p: &Value) {
    let gates = arr_at(p, &["spec", "readinessGates"]);
    let conditions = arr_at(p, &["status", "conditions"]);
    if !gates.is_empty() {
        line(w, 0, "Readiness Gates:\n  Type\tStatus\n".to_string());
        for g in gates {
            let t = str_at(g, &["conditionType"]);
            let status = conditions
                .iter()
                .find(|c| str_at(c, &["type"]) == t)
                .map_or("<none>", |c| str_at(c, &["status"]));
            line(w, 1, format!("{t} \t{status} \n"));
        }
    }
    if !conditions.is_empty() {
        line(w, 0, "Conditions:\n  Type\tStatus\n".to_string());
        for c in conditions {
            line(
                w,
                1,
                format!("{} \t{} \n", str_at(c, &["type"]), str_at(c, &["status"])),
            );
        }
    }
}

/// `qos.GetPodQOS`: the recorded class, else computed from requests and limits.
fn qos_class(p: &Value) -> String {
    if let Some(q) = opt_str(p, &["status", "qosClass"]).filter(|s| !s.is_empty()) {
        return q.to_string();
    }
    let all: Vec<&Value> = arr_at(p, &["spec", "containers"])
        .iter()
        .chain(arr_at(p, &["spec", "initContainers"]))
        .collect();
    let res = |c: &Value, kind: &str, r: &str| get(c, &["resources", kind, r]).map(scalar_string);
    let any = all.iter().any(|c| {
        ["cpu", "memory"]
            .iter()
            .any(|r| res(c, "requests", r).is_some() || res(c, "limits", r).is_some())
    });
    if !any {
        return "BestEffort".to_string();
    }
    let guaranteed = all.iter().all(|c| {
        ["cpu", "memory"].iter().all(|r| {
            let limit = res(c, "limits", r);
            limit.is_some() && res(c, "requests", r).is_none_or(|req| Some(req) == limit)
        })
    });
    if guaranteed {
        "Guaranteed"
    } else {
        "Burstable"
    }
    .to_string()
}

fn port_list(ports: &[Value], field: &str) -> String {
    ports
        .iter()
        .map(|p| format!("{}/{}", int_at(p, &[field]), str_at(p, &["protocol"])))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `describeContainers`: statuses are empty for pod templates.
fn containers(w: &mut Writer, label: &str, list: &[Value], statuses: &[Value], space: &str) {
    let none = if list.is_empty() { " <none>" } else { "" };
    line(w, 0, format!("{space}{label}:{none}\n"));
    let name_indent = if space.is_empty() { "" } else { " " };
    for c in list {
        let cname = str_at(c, &["name"]);
        let status = statuses.iter().find(|s| str_at(s, &["name"]) == cname);
        line(w, 1, format!("{name_indent}{cname}:\n"));
        if let Some(s) = status {
            line(
                w,
                2,
                format!("Container ID:\t{}\n", str_at(s, &["containerID"])),
            );
        }
        line(w, 2, format!("Image:\t{}\n", str_at(c, &["image"])));
        if let Some(s) = status {
            line(w, 2, format!("Image ID:\t{}\n", str_at(s, &["imageID"])));
        }
        let ports = arr_at(c, &["ports"]);
        for (field, one, many) in [
            ("containerPort", "Port", "Ports"),
            ("hostPort", "Host Port", "Host Ports"),
        ] {
            let text = port_list(ports, field);
            let title = if text.contains(',') { many } else { one };
            line(w, 2, format!("{title}:\t{}\n", or_none(&text)));
        }
        command_and_args(w, c);
        if let Some(s) = status {
            container_state(w, s);
        }
        resources(w, c);
        probes(w, c);
        environment(w, c);
        mounts(w, c);
    }
}

fn command_and_args(w: &mut Writer, c: &Value) {
    for (field, title) in [("command", "Command"), ("args", "Args")] {
        let items = arr_at(c, &[field]);
        if items.is_empty() {
            continue;
        }
        line(w, 2, format!("{title}:\n"));
        for item in items {
            for part in scalar_string(item).split('\n') {
                line(w, 3, format!("{part}\n"));
            }
        }
    }
}

fn container_state(w: &mut Writer, s: &Value) {
    state(w, "State", get(s, &["state"]));
    if get(s, &["lastState", "terminated"]).is_some_and(Value::is_object) {
        state(w, "Last State", get(s, &["lastState"]));
    }
    line(
        w,
        2,
        format!(
            "Ready:\t{}\n",
            if bool_at(s, &["ready"]) {
                "True"
            } else {
                "False"
            }
        ),
    );
    line(
        w,
        2,
        format!("Restart Count:\t{}\n", int_at(s, &["restartCount"])),
    );
}

fn state(w: &mut Writer, title: &str, st: Option<&Value>) {
    let st = st.unwrap_or(&Value::Null);
    if let Some(r) = get(st, &["running"]).filter(|v| v.is_object()) {
        line(w, 2, format!("{title}:\tRunning\n"));
        line(
            w,
            3,
            format!("Started:\t{}\n", rfc1123z(opt_str(r, &["startedAt"]))),
        );
    } else if let Some(t) = get(st, &["terminated"]).filter(|v| v.is_object()) {
        line(w, 2, format!("{title}:\tTerminated\n"));
        for (field, label) in [("reason", "Reason"), ("message", "Message")] {
            if let Some(v) = opt_str(t, &[field]).filter(|s| !s.is_empty()) {
                line(w, 3, format!("{label}:\t{v}\n"));
            }
        }
        line(w, 3, format!("Exit Code:\t{}\n", int_at(t, &["exitCode"])));
        if int_at(t, &["signal"]) > 0 {
            line(w, 3, format!("Signal:\t{}\n", int_at(t, &["signal"])));
        }
        line(
            w,
            3,
            format!("Started:\t{}\n", rfc1123z(opt_str(t, &["startedAt"]))),
        );
        line(
            w,
            3,
            format!("Finished:\t{}\n", rfc1123z(opt_str(t, &["finishedAt"]))),
        );
    } else {
        line(w, 2, format!("{title}:\tWaiting\n"));
        if let Some(reason) = opt_str(st, &["waiting", "reason"]).filter(|s| !s.is_empty()) {
            line(w, 3, format!("Reason:\t{reason}\n"));
        }
    }
}

fn resources(w: &mut Writer, c: &Value) {
    for (field, title) in [("limits", "Limits"), ("requests", "Requests")] {
        let pairs = super::fields::string_map(map_at(c, &["resources", field]));
        if pairs.is_empty() {
            continue;
        }
        line(w, 2, format!("{title}:\n"));
        for (k, v) in pairs {
            line(w, 3, format!("{k}:\t{v}\n"));
        }
    }
}

/// `DescribeProbe`.
fn probe_text(p: &Value) -> String {
    let n = |f: &str| int_at(p, &[f]);
    let attrs = format!(
        "delay={}s timeout={}s period={}s #success={} #failure={}",
        n("initialDelaySeconds"),
        n("timeoutSeconds"),
        n("periodSeconds"),
        n("successThreshold"),
        n("failureThreshold")
    );
    if let Some(exec) = get(p, &["exec"]).filter(|v| v.is_object()) {
        let cmd: Vec<String> = arr_at(exec, &["command"])
            .iter()
            .map(scalar_string)
            .collect();
        return format!("exec [{}] {attrs}", cmd.join(" "));
    }
    if let Some(h) = get(p, &["httpGet"]).filter(|v| v.is_object()) {
        let scheme = str_at(h, &["scheme"]).to_lowercase();
        let port = get(h, &["port"]).map(scalar_string).unwrap_or_default();
        let host = str_at(h, &["host"]);
        let host_port = if port.is_empty() {
            host.to_string()
        } else {
            format!("{host}:{port}")
        };
        let prefix = if scheme.is_empty() {
            "//".to_string()
        } else {
            format!("{scheme}://")
        };
        return format!(
            "http-get {prefix}{host_port}{} {attrs}",
            str_at(h, &["path"])
        );
    }
    if let Some(t) = get(p, &["tcpSocket"]).filter(|v| v.is_object()) {
        let port = get(t, &["port"]).map(scalar_string).unwrap_or_default();
        return format!("tcp-socket {}:{port} {attrs}", str_at(t, &["host"]));
    }
    if let Some(g) = get(p, &["grpc"]).filter(|v| v.is_object()) {
        return format!(
            "grpc <pod>:{} {} {attrs}",
            int_at(g, &["port"]),
            str_at(g, &["service"])
        );
    }
    format!("unknown {attrs}")
}

fn probes(w: &mut Writer, c: &Value) {
    for (field, title) in [
        ("livenessProbe", "Liveness"),
        ("readinessProbe", "Readiness"),
        ("startupProbe", "Startup"),
    ] {
        if let Some(p) = get(c, &[field]).filter(|v| v.is_object()) {
            line(w, 2, format!("{title}:\t{}\n", probe_text(p)));
        }
    }
}

fn environment(w: &mut Writer, c: &Value) {
    let env_from = arr_at(c, &["envFrom"]);
    if !env_from.is_empty() {
        line(w, 2, "Environment Variables from:\n".to_string());
        for e in env_from {
            let (from, r) = match get(e, &["configMapRef"]).filter(|v| v.is_object()) {
                Some(r) => ("ConfigMap", r),
                None => ("Secret", get(e, &["secretRef"]).unwrap_or(&Value::Null)),
            };
            let optional = bool_at(r, &["optional"]);
            match str_at(e, &["prefix"]) {
                "" => line(
                    w,
                    3,
                    format!("{}\t{from}\tOptional: {optional}\n", str_at(r, &["name"])),
                ),
                prefix => line(
                    w,
                    3,
                    format!(
                        "{}\t{from} with prefix '{prefix}'\tOptional: {optional}\n",
                        str_at(r, &["name"])
                    ),
                ),
            }
        }
    }
    let env = arr_at(c, &["env"]);
    line(
        w,
        2,
        format!(
            "Environment:{}\n",
            if env.is_empty() { "\t<none>" } else { "" }
        ),
    );
    for e in env {
        let ename = str_at(e, &["name"]);
        let Some(from) = get(e, &["valueFrom"]).filter(|v| v.is_object()) else {
            for (i, part) in str_at(e, &["value"]).split('\n').enumerate() {
                let text = if i == 0 {
                    format!("{ename}:\t{part}\n")
                } else {
                    format!("\t{part}\n")
                };
                line(w, 3, text);
            }
            continue;
        };
        let text = if let Some(f) = get(from, &["fieldRef"]).filter(|v| v.is_object()) {
            format!(
                "{ename}:\t ({}:{})\n",
                str_at(f, &["apiVersion"]),
                str_at(f, &["fieldPath"])
            )
        } else if let Some(r) = get(from, &["resourceFieldRef"]).filter(|v| v.is_object()) {
            format!("{ename}:\t ({})\n", str_at(r, &["resource"]))
        } else if let Some(s) = get(from, &["secretKeyRef"]).filter(|v| v.is_object()) {
            format!(
                "{ename}:\t<set to the key '{}' in secret '{}'>\tOptional: {}\n",
                str_at(s, &["key"]),
                str_at(s, &["name"]),
                bool_at(s, &["optional"])
            )
        } else if let Some(m) = get(from, &["configMapKeyRef"]).filter(|v| v.is_object()) {
            format!(
                "{ename}:\t<set to the key '{}' of config map '{}'>\tOptional: {}\n",
                str_at(m, &["key"]),
                str_at(m, &["name"]),
                bool_at(m, &["optional"])
            )
        } else {
            continue;
        };
        line(w, 3, text);
    }
}

fn mounts(w: &mut Writer, c: &Value) {
    let mut list: Vec<&Value> = arr_at(c, &["volumeMounts"]).iter().collect();
    line(
        w,
        2,
        format!("Mounts:{}\n", if list.is_empty() { "\t<none>" } else { "" }),
    );
    list.sort_shared_by(|a, b| str_at(a, &["mountPath"]).cmp(str_at(b, &["mountPath"])));
    for m in list {
        let mut flags = vec![if bool_at(m, &["readOnly"]) {
            "ro".to_string()
        } else {
            "rw".to_string()
        }];
        if let Some(sub) = opt_str(m, &["subPath"]).filter(|s| !s.is_empty()) {
            flags.push(format!("path={sub:?}"));
        }
        line(
            w,
            3,
            format!(
                "{} from {} ({})\n",
                str_at(m, &["mountPath"]),
                str_at(m, &["name"]),
                flags.join(",")
            ),
        );
    }
}

fn volumes(w: &mut Writer, list: &[Value], space: &str) {
    if list.is_empty() {
        line(w, 0, format!("{space}Volumes:\t<none>\n"));
        return;
    }
    line(w, 0, format!("{space}Volumes:\n"));
    let name_indent = if space.is_empty() { "" } else { " " };
    for v in list {
        line(w, 1, format!("{name_indent}{}:\n", str_at(v, &["name"])));
        volume_source(w, v);
    }
}

fn volume_source(w: &mut Writer, v: &Value) {
    let src = |k: &str| get(v, &[k]).filter(|x| x.is_object());
    let optional = |s: &Value| bool_at(s, &["optional"]);
    if let Some(h) = src("hostPath") {
        line(w, 2, format!("Type:\tHostPath (bare host directory volume)\n    Path:\t{}\n    HostPathType:\t{}\n", str_at(h, &["path"]), or_none(str_at(h, &["type"]))));
    } else if let Some(e) = src("emptyDir") {
        let limit = get(e, &["sizeLimit"])
            .map(scalar_string)
            .unwrap_or_else(|| "<unset>".to_string());
        line(w, 2, format!("Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t{}\n    SizeLimit:\t{limit}\n", str_at(e, &["medium"])));
    } else if let Some(s) = src("secret") {
        line(w, 2, format!("Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t{}\n    Optional:\t{}\n", str_at(s, &["secretName"]), optional(s)));
    } else if let Some(c) = src("configMap") {
        line(w, 2, format!("Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t{}\n    Optional:\t{}\n", str_at(c, &["name"]), optional(c)));
    } else if let Some(c) = src("persistentVolumeClaim") {
        line(w, 2, format!("Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t{}\n    ReadOnly:\t{}\n", str_at(c, &["claimName"]), bool_at(c, &["readOnly"])));
    } else if let Some(p) = src("projected") {
        projected(w, p);
    } else if src("downwardAPI").is_some() {
        line(
            w,
            2,
            "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n"
                .to_string(),
        );
    } else {
        line(w, 1, "<unknown>\n".to_string());
    }
}

fn projected(w: &mut Writer, p: &Value) {
    line(
        w,
        2,
        "Type:\tProjected (a volume that contains injected data from multiple sources)\n"
            .to_string(),
    );
    for s in arr_at(p, &["sources"]) {
        if let Some(sec) = get(s, &["secret"]).filter(|x| x.is_object()) {
            line(
                w,
                2,
                format!(
                    "SecretName:\t{}\n    Optional:\t{}\n",
                    str_at(sec, &["name"]),
                    bool_at(sec, &["optional"])
                ),
            );
        } else if get(s, &["downwardAPI"]).is_some_and(Value::is_object) {
            line(w, 2, "DownwardAPI:\ttrue\n".to_string());
        } else if let Some(cm) = get(s, &["configMap"]).filter(|x| x.is_object()) {
            line(
                w,
                2,
                format!(
                    "ConfigMapName:\t{}\n    Optional:\t{}\n",
                    str_at(cm, &["name"]),
                    bool_at(cm, &["optional"])
                ),
            );
        } else if let Some(t) = get(s, &["serviceAccountToken"]).filter(|x| x.is_object()) {
            line(
                w,
                2,
                format!(
                    "TokenExpirationSeconds:\t{}\n",
                    int_at(t, &["expirationSeconds"])
                ),
            );
        }
    }
}

/// `DescribePodTemplate`.
fn pod_template(w: &mut Writer, template: Option<&Value>) {
    line(w, 0, "Pod Template:\n".to_string());
    let Some(t) = template.filter(|t| t.is_object()) else {
        line(w, 1, "<unset>".to_string());
        return;
    };
    w.labels("  Labels", map_at(t, &["metadata", "labels"]));
    if map_at(t, &["metadata", "annotations"]).is_some_and(|m| !m.is_empty()) {
        w.annotations("  Annotations", map_at(t, &["metadata", "annotations"]));
    }
    let spec = get(t, &["spec"]).unwrap_or(&Value::Null);
    if let Some(sa) = opt_str(spec, &["serviceAccountName"]).filter(|s| !s.is_empty()) {
        line(w, 1, format!("Service Account:\t{sa}\n"));
    }
    if !arr_at(spec, &["initContainers"]).is_empty() {
        containers(
            w,
            "Init Containers",
            arr_at(spec, &["initContainers"]),
            &[],
            "  ",
        );
    }
    containers(w, "Containers", arr_at(spec, &["containers"]), &[], "  ");
    volumes(w, arr_at(spec, &["volumes"]), "  ");
    if let Some(pc) = opt_str(spec, &["priorityClassName"]).filter(|s| !s.is_empty()) {
        line(w, 1, format!("Priority Class Name:\t{pc}\n"));
    }
    w.labels("  Node-Selectors", map_at(spec, &["nodeSelector"]));
    w.tolerations("  ", "Tolerations", arr_at(spec, &["tolerations"]));
}

// ---- Workloads -------------------------------------------------------------------------

fn owned_by<'a>(objects: Vec<&'a Value>, owner: &Value) -> Vec<&'a Value> {
    let uid = str_at(owner, &["metadata", "uid"]);
    objects
        .into_iter()
        .filter(|o| {
            arr_at(o, &["metadata", "ownerReferences"]).iter().any(|r| {
                let same = if uid.is_empty() {
                    str_at(r, &["name"]) == name(owner)
                } else {
                    str_at(r, &["uid"]) == uid
                };
                same && bool_at(r, &["controller"])
            })
        })
        .collect()
}

/// `N Running / N Waiting / N Succeeded / N Failed` of the pods `owner` controls.
fn pods_status(owner: &Value, source: &dyn ObjectSource) -> String {
    let pods = owned_by(source.list("", "pods", Some(namespace(owner))), owner);
    let count = |phase: &str| {
        pods.iter()
            .filter(|p| str_at(p, &["status", "phase"]) == phase)
            .count()
    };
    format!(
        "{} Running / {} Waiting / {} Succeeded / {} Failed",
        count("Running"),
        count("Pending"),
        count("Succeeded"),
        count("Failed")
    )
}

fn conditions_with_reason(w: &mut Writer, obj: &Value) {
    let conditions = arr_at(obj, &["status", "conditions"]);
    if conditions.is_empty() {
        return;
    }
    line(w, 0, "Conditions:\n  Type\tStatus\tReason\n".to_string());
    line(w, 1, "----\t------\t------\n".to_string());
    for c in conditions {
        line(
            w,
            1,
            format!(
                "{} \t{}\t{}\n",
                str_at(c, &["type"]),
                str_at(c, &["status"]),
                str_at(c, &["reason"])
            ),
        );
    }
}

fn deployment(w: &mut Writer, d: &Value, source: &dyn ObjectSource) {
    header(w, d);
    line(
        w,
        0,
        format!(
            "CreationTimestamp:\t{}\n",
            rfc1123z(opt_str(d, &["metadata", "creationTimestamp"]))
        ),
    );
    labels_and_annotations(w, d);
    line(
        w,
        0,
        format!(
            "Selector:\t{}\n",
            label_selector_string(get(d, &["spec", "selector"]))
        ),
    );
    let n = |path: &[&str]| int_at(d, path);
    line(
        w,
        0,
        format!(
            "Replicas:\t{} desired | {} updated | {} total | {} available | {} unavailable\n",
            n(&["spec", "replicas"]),
            n(&["status", "updatedReplicas"]),
            n(&["status", "replicas"]),
            n(&["status", "availableReplicas"]),
            n(&["status", "unavailableReplicas"])
        ),
    );
    line(
        w,
        0,
        format!(
            "StrategyType:\t{}\n",
            str_at(d, &["spec", "strategy", "type"])
        ),
    );
    line(
        w,
        0,
        format!("MinReadySeconds:\t{}\n", n(&["spec", "minReadySeconds"])),
    );
    if let Some(ru) = get(d, &["spec", "strategy", "rollingUpdate"]).filter(|v| v.is_object()) {
        let v = |f: &str| {
            get(ru, &[f])
                .map(scalar_string)
                .unwrap_or_else(|| "0".to_string())
        };
        line(
            w,
            0,
            format!(
                "RollingUpdateStrategy:\t{} max unavailable, {} max surge\n",
                v("maxUnavailable"),
                v("maxSurge")
            ),
        );
    }
    pod_template(w, get(d, &["spec", "template"]));
    conditions_with_reason(w, d);
    let (old, new) = replica_sets_of(d, source);
    line(
        w,
        0,
        format!("OldReplicaSets:\t{}\n", replica_set_list(&old)),
    );
    line(
        w,
        0,
        format!("NewReplicaSet:\t{}\n", replica_set_list(&new)),
    );
}

/// The Deployment's ReplicaSets: (old ones still with replicas, the new one), the new one
/// being the RS at the Deployment's revision.
fn replica_sets_of<'a>(
    d: &Value,
    source: &'a dyn ObjectSource,
) -> (Vec<&'a Value>, Vec<&'a Value>) {
    const REVISION: &str = "deployment.kubernetes.io/revision";
    let mut owned = owned_by(source.list("apps", "replicasets", Some(namespace(d))), d);
    owned.sort_shared_by_key(|rs| {
        opt_str(rs, &["metadata", "creationTimestamp"]).map(str::to_string)
    });
    let revision = opt_str(d, &["metadata", "annotations", REVISION]);
    let is_new = |rs: &Value| {
        revision.is_some() && opt_str(rs, &["metadata", "annotations", REVISION]) == revision
    };
    let new: Vec<&Value> = owned
        .iter()
        .copied()
        .filter(|rs| is_new(rs))
        .take(1)
        .collect();
    let old = owned
        .into_iter()
        .filter(|rs| !is_new(rs) && int_at(rs, &["spec", "replicas"]) != 0)
        .collect();
    (old, new)
}

fn replica_set_list(list: &[&Value]) -> String {
    let items: Vec<String> = list
        .iter()
        .map(|rs| {
            format!(
                "{} ({}/{} replicas created)",
                name(rs),
                int_at(rs, &["status", "replicas"]),
                int_at(rs, &["spec", "replicas"])
            )
        })
        .collect();
    if items.is_empty() {
        "<none>".to_string()
    } else {
        items.join(", ")
    }
}

fn replica_set(w: &mut Writer, rs: &Value, source: &dyn ObjectSource) {
    header(w, rs);
    line(
        w,
        0,
        format!(
            "Selector:\t{}\n",
            format_label_selector(get(rs, &["spec", "selector"]))
        ),
    );
    labels_and_annotations(w, rs);
    if let Some(owner) = controlled_by(rs) {
        line(w, 0, format!("Controlled By:\t{owner}\n"));
    }
    line(
        w,
        0,
        format!(
            "Replicas:\t{} current / {} desired\n",
            int_at(rs, &["status", "replicas"]),
            int_at(rs, &["spec", "replicas"])
        ),
    );
    line(w, 0, format!("Pods Status:\t{}\n", pods_status(rs, source)));
    pod_template(w, get(rs, &["spec", "template"]));
    conditions_with_reason(w, rs);
}

fn stateful_set(w: &mut Writer, sts: &Value, source: &dyn ObjectSource) {
    header(w, sts);
    line(
        w,
        0,
        format!(
            "CreationTimestamp:\t{}\n",
            rfc1123z(opt_str(sts, &["metadata", "creationTimestamp"]))
        ),
    );
    line(
        w,
        0,
        format!(
            "Selector:\t{}\n",
            label_selector_string(get(sts, &["spec", "selector"]))
        ),
    );
    labels_and_annotations(w, sts);
    line(
        w,
        0,
        format!(
            "Replicas:\t{} desired | {} total\n",
            int_at(sts, &["spec", "replicas"]),
            int_at(sts, &["status", "replicas"])
        ),
    );
    line(
        w,
        0,
        format!(
            "Update Strategy:\t{}\n",
            str_at(sts, &["spec", "updateStrategy", "type"])
        ),
    );
    if let Some(p) = opt_int(
        sts,
        &["spec", "updateStrategy", "rollingUpdate", "partition"],
    ) {
        line(w, 1, format!("Partition:\t{p}\n"));
    }
    line(
        w,
        0,
        format!("Pods Status:\t{}\n", pods_status(sts, source)),
    );
    pod_template(w, get(sts, &["spec", "template"]));
    let claims = arr_at(sts, &["spec", "volumeClaimTemplates"]);
    if claims.is_empty() {
        line(w, 0, "Volume Claims:\t<none>\n".to_string());
    } else {
        line(w, 0, "Volume Claims:\n".to_string());
        for c in claims {
            line(w, 1, format!("Name:\t{}\n", name(c)));
            line(w, 1, format!("StorageClass:\t{}\n", storage_class_of(c)));
            w.labels_with_indent("  ", "Labels", "\t", map_at(c, &["metadata", "labels"]));
            w.labels_with_indent(
                "  ",
                "Annotations",
                "\t",
                map_at(c, &["metadata", "annotations"]),
            );
            let cap = get(c, &["spec", "resources", "requests", "storage"])
                .map_or("<default>".to_string(), scalar_string);
            line(w, 1, format!("Capacity:\t{cap}\n"));
            let modes: Vec<String> = arr_at(c, &["spec", "accessModes"])
                .iter()
                .map(scalar_string)
                .collect();
            line(w, 1, format!("Access Modes:\t[{}]\n", modes.join(" ")));
        }
    }
}

fn daemon_set(w: &mut Writer, ds: &Value, source: &dyn ObjectSource) {
    line(w, 0, format!("Name:\t{}\n", name(ds)));
    line(w, 0, format!("Namespace:\t{}\n", namespace(ds)));
    line(
        w,
        0,
        format!(
            "Selector:\t{}\n",
            label_selector_string(get(ds, &["spec", "selector"]))
        ),
    );
    line(
        w,
        0,
        format!(
            "Node-Selector:\t{}\n",
            format_labels(map_at(ds, &["spec", "template", "spec", "nodeSelector"]))
        ),
    );
    labels_and_annotations(w, ds);
    let n = |f: &str| int_at(ds, &["status", f]);
    line(
        w,
        0,
        format!(
            "Desired Number of Nodes Scheduled: {}\n",
            n("desiredNumberScheduled")
        ),
    );
    line(
        w,
        0,
        format!(
            "Current Number of Nodes Scheduled: {}\n",
            n("currentNumberScheduled")
        ),
    );
    line(
        w,
        0,
        format!(
            "Number of Nodes Scheduled with Up-to-date Pods: {}\n",
            n("updatedNumberScheduled")
        ),
    );
    line(
        w,
        0,
        format!(
            "Number of Nodes Scheduled with Available Pods: {}\n",
            n("numberAvailable")
        ),
    );
    line(
        w,
        0,
        format!(
            "Number of Nodes Misscheduled: {}\n",
            n("numberMisscheduled")
        ),
    );
    line(w, 0, format!("Pods Status:\t{}\n", pods_status(ds, source)));
    pod_template(w, get(ds, &["spec", "template"]));
}

fn job(w: &mut Writer, j: &Value) {
    header(w, j);
    line(
        w,
        0,
        format!(
            "Selector:\t{}\n",
            label_selector_string(get(j, &["spec", "selector"]))
        ),
    );
    labels_and_annotations(w, j);
    if let Some(owner) = controlled_by(j) {
        line(w, 0, format!("Controlled By:\t{owner}\n"));
    }
    if let Some(p) = opt_int(j, &["spec", "parallelism"]) {
        line(w, 0, format!("Parallelism:\t{p}\n"));
    }
    match opt_int(j, &["spec", "completions"]) {
        Some(c) => line(w, 0, format!("Completions:\t{c}\n")),
        None => line(w, 0, "Completions:\t<unset>\n".to_string()),
    }
    if let Some(mode) = opt_str(j, &["spec", "completionMode"]) {
        line(w, 0, format!("Completion Mode:\t{mode}\n"));
    }
    if let Some(s) = get(j, &["spec", "suspend"]).and_then(Value::as_bool) {
        line(w, 0, format!("Suspend:\t{s}\n"));
    }
    if let Some(b) = opt_int(j, &["spec", "backoffLimit"]) {
        line(w, 0, format!("Backoff Limit:\t{b}\n"));
    }
    if let Some(ttl) = opt_int(j, &["spec", "ttlSecondsAfterFinished"]) {
        line(w, 0, format!("TTL Seconds After Finished:\t{ttl}\n"));
    }
    let (start, done) = (
        opt_str(j, &["status", "startTime"]),
        opt_str(j, &["status", "completionTime"]),
    );
    if start.is_some() {
        line(w, 0, format!("Start Time:\t{}\n", rfc1123z(start)));
    }
    if done.is_some() {
        line(w, 0, format!("Completed At:\t{}\n", rfc1123z(done)));
    }
    let parse = |t: Option<&str>| t.and_then(crate::sim::time::parse_rfc3339);
    if let (Some(s), Some(d)) = (parse(start), parse(done)) {
        line(
            w,
            0,
            format!("Duration:\t{}\n", super::age::human_duration(d - s)),
        );
    }
    if let Some(ads) = opt_int(j, &["spec", "activeDeadlineSeconds"]) {
        line(w, 0, format!("Active Deadline Seconds:\t{ads}s\n"));
    }
    let n = |f: &str| int_at(j, &["status", f]);
    match get(j, &["status", "ready"]).and_then(as_int) {
        Some(ready) => line(
            w,
            0,
            format!(
                "Pods Statuses:\t{} Active ({ready} Ready) / {} Succeeded / {} Failed\n",
                n("active"),
                n("succeeded"),
                n("failed")
            ),
        ),
        None => line(
            w,
            0,
            format!(
                "Pods Statuses:\t{} Active / {} Succeeded / {} Failed\n",
                n("active"),
                n("succeeded"),
                n("failed")
            ),
        ),
    }
    pod_template(w, get(j, &["spec", "template"]));
}

// ---- Networking ------------------------------------------------------------------------

/// `formatEndpointSlices` for one service port name: ready endpoints, up to 3.
fn endpoints_from_slices(slices: &[&Value], port_name: &str) -> String {
    if slices.is_empty() {
        return "<none>".to_string();
    }
    let mut list = Vec::new();
    let mut count = 0usize;
    for slice in slices {
        let ports = arr_at(slice, &["ports"]);
        let ready: Vec<&str> = arr_at(slice, &["endpoints"])
            .iter()
            .filter(|e| get(e, &["conditions", "ready"]).and_then(Value::as_bool) != Some(false))
            .filter_map(|e| arr_at(e, &["addresses"]).first().and_then(Value::as_str))
            .collect();
        if ports.is_empty() {
            count += ready.len();
            list.extend(ready.iter().map(|a| a.to_string()));
            continue;
        }
        for port in ports.iter().filter(|p| str_at(p, &["name"]) == port_name) {
            count += ready.len();
            let number = int_at(port, &["port"]);
            list.extend(ready.iter().map(|a| {
                if a.contains(':') {
                    format!("[{a}]:{number}")
                } else {
                    format!("{a}:{number}")
                }
            }));
        }
    }
    if list.len() > 3 {
        return format!("{} + {} more...", list[..3].join(","), count - 3);
    }
    list.join(",")
}

fn service_slices<'a>(svc: &Value, source: &'a dyn ObjectSource) -> Vec<&'a Value> {
    source
        .list("discovery.k8s.io", "endpointslices", Some(namespace(svc)))
        .into_iter()
        .filter(|s| {
            opt_str(s, &["metadata", "labels", "kubernetes.io/service-name"]) == Some(name(svc))
        })
        .collect()
}

fn service(w: &mut Writer, svc: &Value, source: &dyn ObjectSource) {
    header(w, svc);
    labels_and_annotations(w, svc);
    line(
        w,
        0,
        format!(
            "Selector:\t{}\n",
            format_labels(map_at(svc, &["spec", "selector"]))
        ),
    );
    line(w, 0, format!("Type:\t{}\n", str_at(svc, &["spec", "type"])));
    if let Some(p) = opt_str(svc, &["spec", "ipFamilyPolicy"]) {
        line(w, 0, format!("IP Family Policy:\t{p}\n"));
    }
    let join = |path: &[&str]| {
        arr_at(svc, path)
            .iter()
            .map(scalar_string)
            .collect::<Vec<_>>()
            .join(",")
    };
    line(
        w,
        0,
        format!(
            "IP Families:\t{}\n",
            or_none(&join(&["spec", "ipFamilies"]))
        ),
    );
    line(
        w,
        0,
        format!("IP:\t{}\n", str_at(svc, &["spec", "clusterIP"])),
    );
    line(
        w,
        0,
        format!("IPs:\t{}\n", or_none(&join(&["spec", "clusterIPs"]))),
    );
    if !arr_at(svc, &["spec", "externalIPs"]).is_empty() {
        line(
            w,
            0,
            format!("External IPs:\t{}\n", join(&["spec", "externalIPs"])),
        );
    }
    if let Some(ip) = opt_str(svc, &["spec", "loadBalancerIP"]).filter(|s| !s.is_empty()) {
        line(w, 0, format!("IP:\t{ip}\n"));
    }
    if let Some(ext) = opt_str(svc, &["spec", "externalName"]).filter(|s| !s.is_empty()) {
        line(w, 0, format!("External Name:\t{ext}\n"));
    }
    if !arr_at(svc, &["status", "loadBalancer", "ingress"]).is_empty() {
        let list: Vec<&str> = arr_at(svc, &["status", "loadBalancer", "ingress"])
            .iter()
            .map(|i| {
                if str_at(i, &["ip"]).is_empty() {
                    str_at(i, &["hostname"])
                } else {
                    str_at(i, &["ip"])
                }
            })
            .collect();
        line(
            w,
            0,
            format!("LoadBalancer Ingress:\t{}\n", list.join(", ")),
        );
    }
    let slices = service_slices(svc, source);
    for port in arr_at(svc, &["spec", "ports"]) {
        let pname = or_none(str_at(port, &["name"])).replace("<none>", "<unset>");
        let proto = str_at(port, &["protocol"]);
        line(
            w,
            0,
            format!("Port:\t{pname}\t{}/{proto}\n", int_at(port, &["port"])),
        );
        let target = get(port, &["targetPort"])
            .map(scalar_string)
            .unwrap_or_else(|| "0".to_string());
        line(w, 0, format!("TargetPort:\t{target}/{proto}\n"));
        if int_at(port, &["nodePort"]) != 0 {
            line(
                w,
                0,
                format!(
                    "NodePort:\t{pname}\t{}/{proto}\n",
                    int_at(port, &["nodePort"])
                ),
            );
        }
        line(
            w,
            0,
            format!(
                "Endpoints:\t{}\n",
                endpoints_from_slices(&slices, str_at(port, &["name"]))
            ),
        );
    }
    line(
        w,
        0,
        format!(
            "Session Affinity:\t{}\n",
            str_at(svc, &["spec", "sessionAffinity"])
        ),
    );
    if let Some(p) = opt_str(svc, &["spec", "externalTrafficPolicy"]).filter(|s| !s.is_empty()) {
        line(w, 0, format!("External Traffic Policy:\t{p}\n"));
    }
    if let Some(p) = opt_str(svc, &["spec", "internalTrafficPolicy"]) {
        line(w, 0, format!("Internal Traffic Policy:\t{p}\n"));
    }
    if int_at(svc, &["spec", "healthCheckNodePort"]) != 0 {
        line(
            w,
            0,
            format!(
                "HealthCheck NodePort:\t{}\n",
                int_at(svc, &["spec", "healthCheckNodePort"])
            ),
        );
    }
}

fn endpoints(w: &mut Writer, ep: &Value) {
    header(w, ep);
    labels_and_annotations(w, ep);
    line(w, 0, "Subsets:\n".to_string());
    for subset in arr_at(ep, &["subsets"]) {
        for (field, title) in [
            ("addresses", "Addresses"),
            ("notReadyAddresses", "NotReadyAddresses"),
        ] {
            let ips: Vec<&str> = arr_at(subset, &[field])
                .iter()
                .map(|a| str_at(a, &["ip"]))
                .collect();
            line(w, 1, format!("{title}:\t{}\n", or_none(&ips.join(","))));
        }
        let ports = arr_at(subset, &["ports"]);
        if !ports.is_empty() {
            line(w, 1, "Ports:\n".to_string());
            line(w, 2, "Name\tPort\tProtocol\n".to_string());
            line(w, 2, "----\t----\t--------\n".to_string());
            for p in ports {
                let pname = match str_at(p, &["name"]) {
                    "" => "<unset>",
                    n => n,
                };
                line(
                    w,
                    2,
                    format!(
                        "{pname}\t{}\t{}\n",
                        int_at(p, &["port"]),
                        str_at(p, &["protocol"])
                    ),
                );
            }
        }
        line(w, 0, "\n".to_string());
    }
}

fn ingress_backend(ns: &str, backend: &Value, source: &dyn ObjectSource) -> String {
    let Some(svc_ref) = get(backend, &["service"]).filter(|v| v.is_object()) else {
        if let Some(r) = get(backend, &["resource"]).filter(|v| v.is_object()) {
            return format!(
                "APIGroup: {}, Kind: {}, Name: {}",
                str_at(r, &["apiGroup"]),
                str_at(r, &["kind"]),
                str_at(r, &["name"])
            );
        }
        return String::new();
    };
    let svc_name = str_at(svc_ref, &["name"]);
    let number = int_at(svc_ref, &["port", "number"]);
    let port_name = str_at(svc_ref, &["port", "name"]);
    let stringer = if number != 0 {
        format!("{svc_name}:{number}")
    } else {
        format!("{svc_name}:{port_name}")
    };
    let Some(svc) = source.get("", "services", ns, svc_name) else {
        return format!("{stringer} (<error: services \"{svc_name}\" not found>)");
    };
    let mut sp_name = "";
    for sp in arr_at(svc, &["spec", "ports"]) {
        if (number != 0 && number == int_at(sp, &["port"]))
            || (!port_name.is_empty() && port_name == str_at(sp, &["name"]))
        {
            sp_name = str_at(sp, &["name"]);
        }
    }
    format!(
        "{stringer} ({})",
        endpoints_from_slices(&service_slices(svc, source), sp_name)
    )
}

fn ingress(w: &mut Writer, ing: &Value, source: &dyn ObjectSource) {
    let ns = namespace(ing);
    line(w, 0, format!("Name:\t{}\n", name(ing)));
    w.labels("Labels", map_at(ing, &["metadata", "labels"]));
    line(w, 0, format!("Namespace:\t{ns}\n"));
    line(
        w,
        0,
        format!(
            "Address:\t{}\n",
            load_balancer_addresses(get(ing, &["status", "loadBalancer"]), true)
        ),
    );
    line(
        w,
        0,
        format!(
            "Ingress Class:\t{}\n",
            opt_str(ing, &["spec", "ingressClassName"]).unwrap_or("<none>")
        ),
    );
    let default = get(ing, &["spec", "defaultBackend"])
        .filter(|v| v.is_object())
        .map_or("<default>".to_string(), |b| ingress_backend(ns, b, source));
    line(w, 0, format!("Default backend:\t{default}\n"));
    let tls = arr_at(ing, &["spec", "tls"]);
    if !tls.is_empty() {
        line(w, 0, "TLS:\n".to_string());
        for t in tls {
            let hosts: Vec<String> = arr_at(t, &["hosts"]).iter().map(scalar_string).collect();
            match str_at(t, &["secretName"]) {
                "" => line(w, 1, format!("SNI routes {}\n", hosts.join(","))),
                secret => line(w, 1, format!("{secret} terminates {}\n", hosts.join(","))),
            }
        }
    }
    line(w, 0, "Rules:\n  Host\tPath\tBackends\n".to_string());
    line(w, 1, "----\t----\t--------\n".to_string());
    let mut count = 0;
    for rule in arr_at(ing, &["spec", "rules"]) {
        let Some(http) = get(rule, &["http"]).filter(|v| v.is_object()) else {
            continue;
        };
        count += 1;
        line(
            w,
            1,
            format!(
                "{}\t\n",
                or_none(str_at(rule, &["host"])).replace("<none>", "*")
            ),
        );
        for path in arr_at(http, &["paths"]) {
            let backend =
                ingress_backend(ns, get(path, &["backend"]).unwrap_or(&Value::Null), source);
            line(w, 2, format!("\t{} \t{backend}\n", str_at(path, &["path"])));
        }
    }
    if count == 0 {
        line(w, 1, format!("*\t*\t{default}\n"));
    }
    w.annotations("Annotations", map_at(ing, &["metadata", "annotations"]));
}

// ---- Configuration and cluster ------------------------------------------------------------

fn namespace_desc(w: &mut Writer, ns: &Value, source: &dyn ObjectSource) {
    line(w, 0, format!("Name:\t{}\n", name(ns)));
    labels_and_annotations(w, ns);
    line(
        w,
        0,
        format!("Status:\t{}\n", str_at(ns, &["status", "phase"])),
    );
    let quotas = source.list("", "resourcequotas", Some(name(ns)));
    line(w, 0, "\n".to_string());
    if quotas.is_empty() {
        line(w, 0, "No resource quota.\n".to_string());
    } else {
        line(w, 0, "Resource Quotas\n".to_string());
        for q in quotas {
            line(w, 1, format!("Name:\t{}\n", name(q)));
            line(w, 1, "Resource\tUsed\tHard\n".to_string());
            line(w, 1, "--------\t---\t---\n".to_string());
            for (k, hard) in super::fields::string_map(map_at(q, &["status", "hard"])) {
                let used = get(q, &["status", "used", &k]).map_or("0".to_string(), scalar_string);
                line(w, 1, format!("{k}\t{used}\t{hard}\n"));
            }
        }
    }
    line(w, 0, "\n".to_string());
    if source.list("", "limitranges", Some(name(ns))).is_empty() {
        line(w, 0, "No LimitRange resource.\n".to_string());
    } else {
        line(w, 0, "Resource Limits\n".to_string());
    }
}

fn config_map(w: &mut Writer, cm: &Value) {
    header(w, cm);
    labels_and_annotations(w, cm);
    line(w, 0, "\nData\n====\n".to_string());
    for (k, v) in super::fields::string_map(map_at(cm, &["data"])) {
        line(w, 0, format!("{k}:\n----\n"));
        line(w, 0, format!("{v}\n"));
    }
    line(w, 0, "\nBinaryData\n====\n".to_string());
    for (k, v) in super::fields::string_map(map_at(cm, &["binaryData"])) {
        line(w, 0, format!("{k}: {} bytes\n", base64_len(&v)));
    }
    line(w, 0, "\n".to_string());
}

/// `describePodDisruptionBudget`: the bound, the selector and the four status counts.
fn pod_disruption_budget(w: &mut Writer, pdb: &Value) {
    line(w, 0, format!("Name:\t{}\n", name(pdb)));
    line(w, 0, format!("Namespace:\t{}\n", namespace(pdb)));
    let bound = |f: &str| get(pdb, &["spec", f]).filter(|v| !v.is_null());
    if let Some(min) = bound("minAvailable") {
        line(w, 0, format!("Min available:\t{}\n", scalar_string(min)));
    } else if let Some(max) = bound("maxUnavailable") {
        line(w, 0, format!("Max unavailable:\t{}\n", scalar_string(max)));
    }
    let selector = label_selector_string(get(pdb, &["spec", "selector"]));
    line(w, 0, format!("Selector:\t{selector}\n"));
    line(w, 0, "Status:\n".to_string());
    let count = |f: &str| int_at(pdb, &["status", f]);
    line(
        w,
        2,
        format!("Allowed disruptions:\t{}\n", count("disruptionsAllowed")),
    );
    line(w, 2, format!("Current:\t{}\n", count("currentHealthy")));
    line(w, 2, format!("Desired:\t{}\n", count("desiredHealthy")));
    line(w, 2, format!("Total:\t{}\n", count("expectedPods")));
}

/// Decoded length of a base64 string (what `len(secret.Data[k])` is).
fn base64_len(s: &str) -> usize {
    let s = s.trim_end_matches('=');
    s.len() * 3 / 4
}

fn secret(w: &mut Writer, s: &Value) {
    header(w, s);
    labels_and_annotations(w, s);
    let kind = str_at(s, &["type"]);
    line(w, 0, format!("\nType:\t{kind}\n"));
    line(w, 0, "\nData\n====\n".to_string());
    for (k, v) in super::fields::string_map(map_at(s, &["data"])) {
        if k == "token" && kind == "kubernetes.io/service-account-token" {
            line(w, 0, format!("{k}:\t{}\n", base64_decode(&v)));
        } else {
            line(w, 0, format!("{k}:\t{} bytes\n", base64_len(&v)));
        }
    }
}

/// A Secret's `data` value as text (invalid characters skipped, as describe needs).
pub(crate) fn base64_decode(s: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut count = 0;
    let mut out = Vec::new();
    for c in s.bytes().filter(|c| *c != b'=') {
        let Some(v) = ALPHABET.iter().position(|a| *a == c) else {
            continue;
        };
        bits = (bits << 6) | v as u32;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn pvc(w: &mut Writer, c: &Value, source: &dyn ObjectSource) {
    header(w, c);
    line(w, 0, format!("StorageClass:\t{}\n", storage_class_of(c)));
    match opt_str(c, &["metadata", "deletionTimestamp"]) {
        Some(ts) => line(
            w,
            0,
            format!("Status:\tTerminating (lasts {})\n", w.since(Some(ts))),
        ),
        None => line(
            w,
            0,
            format!("Status:\t{}\n", str_at(c, &["status", "phase"])),
        ),
    }
    let volume = str_at(c, &["spec", "volumeName"]);
    line(w, 0, format!("Volume:\t{volume}\n"));
    labels_and_annotations(w, c);
    let finalizers: Vec<String> = arr_at(c, &["metadata", "finalizers"])
        .iter()
        .map(scalar_string)
        .collect();
    line(w, 0, format!("Finalizers:\t[{}]\n", finalizers.join(" ")));
    let (capacity, modes) = if volume.is_empty() {
        (String::new(), String::new())
    } else {
        (
            get(c, &["status", "capacity", "storage"])
                .map(scalar_string)
                .unwrap_or_else(|| "0".to_string()),
            access_modes(arr_at(c, &["status", "accessModes"])),
        )
    };
    line(w, 0, format!("Capacity:\t{capacity}\n"));
    line(w, 0, format!("Access Modes:\t{modes}\n"));
    if let Some(mode) = opt_str(c, &["spec", "volumeMode"]) {
        line(w, 0, format!("VolumeMode:\t{mode}\n"));
    }
    let mut users: Vec<&str> = source
        .list("", "pods", Some(namespace(c)))
        .into_iter()
        .filter(|p| {
            arr_at(p, &["spec", "volumes"])
                .iter()
                .any(|v| str_at(v, &["persistentVolumeClaim", "claimName"]) == name(c))
        })
        .map(name)
        .collect();
    users.sort_shared();
    line(w, 0, "Used By:\t".to_string());
    if users.is_empty() {
        line(w, 0, "<none>\n".to_string());
    }
    for (i, u) in users.iter().enumerate() {
        let prefix = if i == 0 { "" } else { "\t" };
        line(w, 0, format!("{prefix}{u}\n"));
    }
}

fn node(w: &mut Writer, n: &Value, source: &dyn ObjectSource) {
    line(w, 0, format!("Name:\t{}\n", name(n)));
    line(w, 0, format!("Roles:\t{}\n", node_roles(n)));
    labels_and_annotations(w, n);
    line(
        w,
        0,
        format!(
            "CreationTimestamp:\t{}\n",
            rfc1123z(opt_str(n, &["metadata", "creationTimestamp"]))
        ),
    );
    let taints: Vec<String> = arr_at(n, &["spec", "taints"])
        .iter()
        .map(|t| {
            let value = str_at(t, &["value"]);
            let kv = if value.is_empty() {
                str_at(t, &["key"]).to_string()
            } else {
                format!("{}={value}", str_at(t, &["key"]))
            };
            format!("{kv}:{}", str_at(t, &["effect"]))
        })
        .collect();
    line(w, 0, "Taints:\t".to_string());
    if taints.is_empty() {
        line(w, 0, "<none>\n".to_string());
    }
    for (i, t) in taints.iter().enumerate() {
        line(w, 0, format!("{}{t}\n", if i == 0 { "" } else { "\t" }));
    }
    line(
        w,
        0,
        format!(
            "Unschedulable:\t{}\n",
            bool_at(n, &["spec", "unschedulable"])
        ),
    );
    if let Some(lease) = source.get("coordination.k8s.io", "leases", "kube-node-lease", name(n)) {
        line(w, 0, "Lease:\n".to_string());
        line(
            w,
            1,
            format!(
                "HolderIdentity:\t{}\n",
                opt_str(lease, &["spec", "holderIdentity"]).unwrap_or("<unset>")
            ),
        );
        let acquire = opt_str(lease, &["spec", "acquireTime"])
            .map_or("<unset>".to_string(), |t| rfc1123z(Some(t)));
        let renew = opt_str(lease, &["spec", "renewTime"])
            .map_or("<unset>".to_string(), |t| rfc1123z(Some(t)));
        line(w, 1, format!("AcquireTime:\t{acquire}\n"));
        line(w, 1, format!("RenewTime:\t{renew}\n"));
    }
    node_conditions(w, n);
    let addresses = arr_at(n, &["status", "addresses"]);
    line(w, 0, "Addresses:\n".to_string());
    for a in addresses {
        line(
            w,
            1,
            format!("{}:\t{}\n", str_at(a, &["type"]), str_at(a, &["address"])),
        );
    }
    for (field, title) in [("capacity", "Capacity"), ("allocatable", "Allocatable")] {
        let pairs = super::fields::string_map(map_at(n, &["status", field]));
        if !pairs.is_empty() {
            line(w, 0, format!("{title}:\n"));
            for (k, v) in pairs {
                line(w, 1, format!("{k}:\t{v}\n"));
            }
        }
    }
    node_system_info(w, n);
    if let Some(cidr) = opt_str(n, &["spec", "podCIDR"]).filter(|s| !s.is_empty()) {
        line(w, 0, format!("PodCIDR:\t{cidr}\n"));
        let cidrs: Vec<String> = arr_at(n, &["spec", "podCIDRs"])
            .iter()
            .map(scalar_string)
            .collect();
        line(w, 0, format!("PodCIDRs:\t{}\n", cidrs.join(",")));
    }
    if let Some(p) = opt_str(n, &["spec", "providerID"]).filter(|s| !s.is_empty()) {
        line(w, 0, format!("ProviderID:\t{p}\n"));
    }
    node_pods(w, n, source);
}

fn node_conditions(w: &mut Writer, n: &Value) {
    let conditions = arr_at(n, &["status", "conditions"]);
    if conditions.is_empty() {
        return;
    }
    line(
        w,
        0,
        "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n"
            .to_string(),
    );
    line(
        w,
        1,
        "----\t------\t-----------------\t------------------\t------\t-------\n".to_string(),
    );
    for c in conditions {
        line(
            w,
            1,
            format!(
                "{} \t{} \t{} \t{} \t{} \t{}\n",
                str_at(c, &["type"]),
                str_at(c, &["status"]),
                rfc1123z(opt_str(c, &["lastHeartbeatTime"])),
                rfc1123z(opt_str(c, &["lastTransitionTime"])),
                str_at(c, &["reason"]),
                str_at(c, &["message"])
            ),
        );
    }
}

fn node_system_info(w: &mut Writer, n: &Value) {
    let info = |f: &str| str_at(n, &["status", "nodeInfo", f]).to_string();
    line(w, 0, "System Info:\n".to_string());
    for (title, field) in [
        ("Machine ID", "machineID"),
        ("System UUID", "systemUUID"),
        ("Boot ID", "bootID"),
        ("Kernel Version", "kernelVersion"),
        ("OS Image", "osImage"),
        ("Operating System", "operatingSystem"),
        ("Architecture", "architecture"),
        ("Container Runtime Version", "containerRuntimeVersion"),
        ("Kubelet Version", "kubeletVersion"),
    ] {
        line(w, 1, format!("{title}:\t{}\n", info(field)));
    }
    if let Some(kp) =
        opt_str(n, &["status", "nodeInfo", "kubeProxyVersion"]).filter(|s| !s.is_empty())
    {
        line(w, 1, format!("Kube-Proxy Version:\t{kp}\n"));
    }
}

/// `describeNodeResource`: the `Non-terminated Pods` table, each pod's requests and
/// limits with their share of the node's allocatable, then the `Allocated resources`
/// totals (percentages truncated, as kubectl's `int64(fraction)` does).
fn node_pods(w: &mut Writer, n: &Value, source: &dyn ObjectSource) {
    let pods: Vec<&Value> = source
        .list("", "pods", None)
        .into_iter()
        .filter(|p| str_at(p, &["spec", "nodeName"]) == name(n))
        .filter(|p| !matches!(str_at(p, &["status", "phase"]), "Succeeded" | "Failed"))
        .collect();
    let allocatable = match get(n, &["status", "allocatable"]) {
        Some(Value::Object(m)) if !m.is_empty() => get(n, &["status", "allocatable"]),
        _ => get(n, &["status", "capacity"]),
    };
    let allocatable_of = |resource: &str| {
        allocatable
            .and_then(|a| a.get(resource))
            .map(scalar_string)
            .and_then(|q| Quantity::parse(&q))
            .map_or(0.0, Quantity::value)
    };
    let share = |q: Quantity, resource: &str| {
        let of = allocatable_of(resource);
        let percent = if of == 0.0 {
            0
        } else {
            (q.value() / of * 100.0) as i64
        };
        format!("{q} ({percent}%)")
    };
    line(
        w,
        0,
        format!("Non-terminated Pods:\t({} in total)\n", pods.len()),
    );
    line(
        w,
        1,
        "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n"
            .to_string(),
    );
    line(
        w,
        1,
        "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n"
            .to_string(),
    );
    for p in &pods {
        let (cpu_req, cpu_lim) = pod_requests_and_limits(p, "cpu");
        let (mem_req, mem_lim) = pod_requests_and_limits(p, "memory");
        line(
            w,
            1,
            format!(
                "{}\t{}\t\t{}\t{}\t{}\t{}\t{}\n",
                namespace(p),
                name(p),
                share(cpu_req, "cpu"),
                share(cpu_lim, "cpu"),
                share(mem_req, "memory"),
                share(mem_lim, "memory"),
                w.since(opt_str(p, &["metadata", "creationTimestamp"]))
            ),
        );
    }
    line(
        w,
        0,
        "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n"
            .to_string(),
    );
    line(w, 1, "Resource\tRequests\tLimits\n".to_string());
    line(w, 1, "--------\t--------\t------\n".to_string());
    let total = |resource: &str| {
        pods.iter()
            .map(|p| pod_requests_and_limits(p, resource))
            .fold((Quantity::zero(), Quantity::zero()), |(r, l), (pr, pl)| {
                (r + pr, l + pl)
            })
    };
    let mut hugepages: Vec<String> = allocatable
        .and_then(Value::as_object)
        .map(|m| {
            m.keys()
                .filter(|k| k.starts_with("hugepages-"))
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    hugepages.sort_shared();
    for resource in ["cpu", "memory", "ephemeral-storage"]
        .into_iter()
        .map(String::from)
        .chain(hugepages)
    {
        let (requests, limits) = total(&resource);
        line(
            w,
            1,
            format!(
                "{resource}\t{}\t{}\n",
                share(requests, &resource),
                share(limits, &resource)
            ),
        );
    }
}

/// `resourcehelper.PodRequestsAndLimits` for one resource: the app containers' sum, or
/// an init container's own value when that is larger.
fn pod_requests_and_limits(pod: &Value, resource: &str) -> (Quantity, Quantity) {
    let of = |c: &Value, kind: &str| {
        get(c, &["resources", kind, resource])
            .map(scalar_string)
            .and_then(|q| Quantity::parse(&q))
            .unwrap_or_else(Quantity::zero)
    };
    let mut requests = Quantity::zero();
    let mut limits = Quantity::zero();
    for c in arr_at(pod, &["spec", "containers"]) {
        requests = requests + of(c, "requests");
        limits = limits + of(c, "limits");
    }
    for c in arr_at(pod, &["spec", "initContainers"]) {
        requests = requests.max(of(c, "requests"));
        limits = limits.max(of(c, "limits"));
    }
    (requests, limits)
}

#[cfg(test)]
mod tests {
    use super::super::describe::{describe, NoObjects};
    use super::*;
    use crate::sim::json::json;
    use crate::sim::resources::Registry;

    struct Objects(Vec<(&'static str, &'static str, Value)>);

    impl ObjectSource for Objects {
        fn get(&self, group: &str, plural: &str, ns: &str, n: &str) -> Option<&Value> {
            self.0
                .iter()
                .find(|(g, p, o)| *g == group && *p == plural && namespace(o) == ns && name(o) == n)
                .map(|(_, _, o)| o)
        }
        fn list(&self, group: &str, plural: &str, ns: Option<&str>) -> Vec<&Value> {
            self.0
                .iter()
                .filter(|(g, p, o)| {
                    *g == group && *p == plural && ns.is_none_or(|ns| namespace(o) == ns)
                })
                .map(|(_, _, o)| o)
                .collect()
        }
    }

    fn rt(plural: &str) -> ResourceType {
        Registry::builtin()
            .all()
            .iter()
            .find(|t| t.plural == plural)
            .cloned()
            .expect("type")
    }

    #[test]
    fn describe_pod() {
        let p = json!({"metadata": {"name": "nginx", "namespace": "default", "uid": "u1", "labels": {"run": "nginx"},
                "ownerReferences": [{"kind": "ReplicaSet", "name": "web-7c5", "controller": true}]},
            "spec": {"nodeName": "worker-1", "priority": 0, "serviceAccountName": "default",
                "containers": [{"name": "nginx", "image": "nginx", "ports": [{"containerPort": 80, "protocol": "TCP"}],
                    "volumeMounts": [{"name": "kube-api-access-x", "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "readOnly": true}]}],
                "tolerations": [{"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}],
                "volumes": [{"name": "kube-api-access-x", "projected": {"sources": [{"serviceAccountToken": {"expirationSeconds": 3607}},
                    {"configMap": {"name": "kube-root-ca.crt"}}, {"downwardAPI": {}}]}}]},
            "status": {"phase": "Running", "hostIP": "172.18.0.3", "podIP": "10.244.1.5", "podIPs": [{"ip": "10.244.1.5"}],
                "startTime": "2026-01-01T00:00:00Z", "qosClass": "BestEffort",
                "conditions": [{"type": "Ready", "status": "True"}],
                "containerStatuses": [{"name": "nginx", "ready": true, "restartCount": 0, "containerID": "containerd://abc",
                    "imageID": "docker.io/library/nginx@sha256:1", "state": {"running": {"startedAt": "2026-01-01T00:00:05Z"}}}]}});
        let ev = json!({"metadata": {"namespace": "default"}, "type": "Normal", "reason": "Scheduled", "message": "Successfully assigned default/nginx to worker-1",
            "involvedObject": {"kind": "Pod", "name": "nginx", "namespace": "default", "uid": "u1"}, "source": {"component": "default-scheduler"},
            "firstTimestamp": "2026-01-01T00:00:00Z", "lastTimestamp": "2026-01-01T00:00:00Z", "count": 1});
        let source = Objects(vec![("", "events", ev)]);
        let out = describe(&rt("pods"), &p, &source, 10_000);
        let want = "\
Name:             nginx
Namespace:        default
Priority:         0
Service Account:  default
Node:             worker-1/172.18.0.3
Start Time:       Thu, 01 Jan 2026 00:00:00 +0000
Labels:           run=nginx
Annotations:      <none>
Status:           Running
IP:               10.244.1.5
IPs:
  IP:           10.244.1.5
Controlled By:  ReplicaSet/web-7c5
Containers:
  nginx:
    Container ID:   containerd://abc
    Image:          nginx
    Image ID:       docker.io/library/nginx@sha256:1
    Port:           80/TCP
    Host Port:      0/TCP
    State:          Running
      Started:      Thu, 01 Jan 2026 00:00:05 +0000
    Ready:          True
    Restart Count:  0
    Environment:    <none>
    Mounts:
      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-x (ro)
Conditions:
  Type    Status
  Ready   True 
Volumes:
  kube-api-access-x:
    Type:                    Projected (a volume that contains injected data from multiple sources)
    TokenExpirationSeconds:  3607
    ConfigMapName:           kube-root-ca.crt
    Optional:                false
    DownwardAPI:             true
QoS Class:                   BestEffort
Node-Selectors:              <none>
Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
Events:
  Type    Reason     Age   From               Message
  ----    ------     ----  ----               -------
  Normal  Scheduled  10s   default-scheduler  Successfully assigned default/nginx to worker-1
";
        assert_eq!(out, want);
    }

    #[test]
    fn describe_deployment_with_replica_sets() {
        let d = json!({"metadata": {"name": "web", "namespace": "default", "uid": "d1", "creationTimestamp": "2026-01-01T00:00:00Z",
                "labels": {"app": "web"}, "annotations": {"deployment.kubernetes.io/revision": "2"}},
            "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}}, "minReadySeconds": 0,
                "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}},
                "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "nginx", "image": "nginx:1.25",
                    "ports": [{"containerPort": 80, "protocol": "TCP"}]}]}}},
            "status": {"replicas": 3, "updatedReplicas": 3, "availableReplicas": 3,
                "conditions": [{"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable"},
                               {"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable"}]}});
        let rs = |n: &str, rev: &str, replicas: i64| {
            json!({"metadata": {"name": n, "namespace": "default", "annotations": {"deployment.kubernetes.io/revision": rev},
            "ownerReferences": [{"uid": "d1", "controller": true, "kind": "Deployment", "name": "web"}]},
            "spec": {"replicas": replicas}, "status": {"replicas": replicas}})
        };
        let source = Objects(vec![
            ("apps", "replicasets", rs("web-old", "1", 0)),
            ("apps", "replicasets", rs("web-new", "2", 3)),
        ]);
        let out = describe(&rt("deployments"), &d, &source, 90_000);
        let want = "\
Name:                   web
Namespace:              default
CreationTimestamp:      Thu, 01 Jan 2026 00:00:00 +0000
Labels:                 app=web
Annotations:            deployment.kubernetes.io/revision: 2
Selector:               app=web
Replicas:               3 desired | 3 updated | 3 total | 3 available | 0 unavailable
StrategyType:           RollingUpdate
MinReadySeconds:        0
RollingUpdateStrategy:  25% max unavailable, 25% max surge
Pod Template:
  Labels:  app=web
  Containers:
   nginx:
    Image:         nginx:1.25
    Port:          80/TCP
    Host Port:     0/TCP
    Environment:   <none>
    Mounts:        <none>
  Volumes:         <none>
  Node-Selectors:  <none>
  Tolerations:     <none>
Conditions:
  Type           Status  Reason
  ----           ------  ------
  Available      True    MinimumReplicasAvailable
  Progressing    True    NewReplicaSetAvailable
OldReplicaSets:  <none>
NewReplicaSet:   web-new (3/3 replicas created)
Events:          <none>
";
        assert_eq!(out, want);
    }

    #[test]
    fn describe_service_configmap_secret() {
        let svc = json!({"metadata": {"name": "web", "namespace": "default"},
            "spec": {"type": "NodePort", "selector": {"app": "web"}, "clusterIP": "10.96.5.5", "clusterIPs": ["10.96.5.5"],
                "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack", "sessionAffinity": "None", "externalTrafficPolicy": "Cluster",
                "internalTrafficPolicy": "Cluster", "ports": [{"port": 80, "targetPort": 80, "nodePort": 30007, "protocol": "TCP"}]}});
        let slice = json!({"metadata": {"name": "web-abc", "namespace": "default", "labels": {"kubernetes.io/service-name": "web"}},
            "ports": [{"port": 80, "name": ""}], "endpoints": [{"addresses": ["10.244.1.5"], "conditions": {"ready": true}},
                                                               {"addresses": ["10.244.2.3"], "conditions": {"ready": false}}]});
        let out = describe(
            &rt("services"),
            &svc,
            &Objects(vec![("discovery.k8s.io", "endpointslices", slice)]),
            0,
        );
        let want = "\
Name:                     web
Namespace:                default
Labels:                   <none>
Annotations:              <none>
Selector:                 app=web
Type:                     NodePort
IP Family Policy:         SingleStack
IP Families:              IPv4
IP:                       10.96.5.5
IPs:                      10.96.5.5
Port:                     <unset>  80/TCP
TargetPort:               80/TCP
NodePort:                 <unset>  30007/TCP
Endpoints:                10.244.1.5:80
Session Affinity:         None
External Traffic Policy:  Cluster
Internal Traffic Policy:  Cluster
Events:                   <none>
";
        assert_eq!(out, want);
        let cm = json!({"metadata": {"name": "cfg", "namespace": "default"}, "data": {"b": "2", "a": "1"}});
        let want = "Name:         cfg\nNamespace:    default\nLabels:       <none>\nAnnotations:  <none>\n\nData\n====\na:\n----\n1\nb:\n----\n2\n\nBinaryData\n====\n\nEvents:  <none>\n";
        assert_eq!(describe(&rt("configmaps"), &cm, &NoObjects, 0), want);
        let secret = json!({"metadata": {"name": "s", "namespace": "default"}, "type": "Opaque", "data": {"password": "czNjcjN0"}});
        let want = "Name:         s\nNamespace:    default\nLabels:       <none>\nAnnotations:  <none>\n\nType:  Opaque\n\nData\n====\npassword:  6 bytes\n";
        assert_eq!(describe(&rt("secrets"), &secret, &NoObjects, 0), want);
    }

    #[test]
    fn any_shape_never_panics() {
        let registry = Registry::builtin();
        for t in registry.all() {
            for v in [
                json!(null),
                json!({}),
                json!({"spec": 1, "status": [], "metadata": {"labels": 3}}),
            ] {
                let _ = describe(t, &v, &NoObjects, 0);
            }
        }
    }
}
