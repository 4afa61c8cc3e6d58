//! Pod and pod-template defaults: `SetDefaults_Pod`, `SetDefaults_PodSpec`,
//! `SetDefaults_Container`, probes, ports, volumes (pkg/apis/core/v1/defaults.go), and,
//! for bare Pods only, the admission plugins: ServiceAccount
//! (plugin/pkg/admission/serviceaccount), DefaultTolerationSeconds and Priority.

use super::{child, each, fill, str_at, AdmissionContext};
use crate::sim::json::json;
use serde_json::Value;

const SERVICE_ACCOUNT_MOUNT_PATH: &str = "/var/run/secrets/kubernetes.io/serviceaccount";

/// A bare Pod: spec defaults plus `SetDefaults_Pod` plus the admission plugins.
pub fn pod(obj: &mut Value, ctx: &mut AdmissionContext) {
    // The ServiceAccount plugin leaves mirror pods (static pods) alone.
    let mirror = obj
        .pointer("/metadata/annotations/kubernetes.io~1config.mirror")
        .is_some();
    let spec = child(obj, "spec");
    pod_spec(spec);
    requests_from_limits(spec);
    fill(spec, "enableServiceLinks", json!(true));
    if !mirror {
        service_account_admission(spec, ctx);
    }
    default_toleration_seconds(spec);
    // Priority admission: no priorityClassName and no global default class.
    fill(spec, "priority", json!(0));
    fill(spec, "preemptionPolicy", json!("PreemptLowerPriority"));
}

/// A `PodTemplateSpec` inside a workload: spec defaults only (no admission plugins).
pub fn template(template: &mut Value) {
    pod_spec(child(template, "spec"));
}

/// `SetDefaults_PodSpec` and everything nested in it.
pub fn pod_spec(spec: &mut Value) {
    fill(spec, "dnsPolicy", json!("ClusterFirst"));
    fill(spec, "restartPolicy", json!("Always"));
    fill(spec, "terminationGracePeriodSeconds", json!(30));
    fill(spec, "schedulerName", json!("default-scheduler"));
    fill(spec, "securityContext", json!({}));
    // v1 conversion keeps the deprecated `serviceAccount` in step with the name.
    let name = str_at(spec, "serviceAccountName").to_string();
    let deprecated = str_at(spec, "serviceAccount").to_string();
    if !name.is_empty() {
        fill(spec, "serviceAccount", json!(name));
    } else if !deprecated.is_empty() {
        fill(spec, "serviceAccountName", json!(deprecated));
    }
    let host_network = spec
        .get("hostNetwork")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    for list in ["initContainers", "containers", "ephemeralContainers"] {
        for c in each(spec, list) {
            container(c, host_network);
        }
    }
    for v in each(spec, "volumes") {
        volume(v);
    }
}

/// `SetDefaults_Container` plus ports, probes, env and lifecycle handlers.
fn container(c: &mut Value, host_network: bool) {
    if str_at(c, "imagePullPolicy").is_empty() {
        let policy = image_pull_policy(str_at(c, "image"));
        fill(c, "imagePullPolicy", json!(policy));
    }
    fill(c, "terminationMessagePath", json!("/dev/termination-log"));
    fill(c, "terminationMessagePolicy", json!("File"));
    fill(c, "resources", json!({}));
    for port in each(c, "ports") {
        fill(port, "protocol", json!("TCP"));
        // SetDefaults_Pod/defaultHostNetworkPorts: hostPort = containerPort.
        if host_network {
            if let Some(p) = port.get("containerPort").cloned() {
                fill(port, "hostPort", p);
            }
        }
    }
    for probe_key in ["livenessProbe", "readinessProbe", "startupProbe"] {
        if let Some(p) = c.get_mut(probe_key).filter(|p| p.is_object()) {
            probe(p);
        }
    }
    if let Some(lifecycle) = c.get_mut("lifecycle").filter(|l| l.is_object()) {
        for hook in ["postStart", "preStop"] {
            if let Some(h) = lifecycle.get_mut(hook).filter(|h| h.is_object()) {
                http_get(h);
            }
        }
    }
    for env in each(c, "env") {
        if let Some(field_ref) = env.get_mut("valueFrom").and_then(|v| v.get_mut("fieldRef")) {
            fill(field_ref, "apiVersion", json!("v1"));
        }
    }
}

/// §1: `Always` for `:latest` or no tag and no digest; else `IfNotPresent`
/// (`parsers.ParseImageName`).
pub fn image_pull_policy(image: &str) -> &'static str {
    let (name, digest) = match image.split_once('@') {
        Some((n, d)) => (n, d),
        None => (image, ""),
    };
    // A tag follows the last ':' after the last '/' (a ':' before it is a registry port).
    let last_segment = name.rsplit('/').next().unwrap_or(name);
    let tag = last_segment.split_once(':').map(|(_, t)| t).unwrap_or("");
    if tag == "latest" || (tag.is_empty() && digest.is_empty()) {
        "Always"
    } else {
        "IfNotPresent"
    }
}

/// `SetDefaults_Probe` and `SetDefaults_HTTPGetAction`.
fn probe(p: &mut Value) {
    fill(p, "timeoutSeconds", json!(1));
    fill(p, "periodSeconds", json!(10));
    fill(p, "successThreshold", json!(1));
    fill(p, "failureThreshold", json!(3));
    http_get(p);
}

fn http_get(handler: &mut Value) {
    if let Some(h) = handler.get_mut("httpGet").filter(|h| h.is_object()) {
        fill(h, "path", json!("/"));
        fill(h, "scheme", json!("HTTP"));
    }
}

/// `SetDefaults_Volume` and the volume sources' `defaultMode` (0644 = 420).
fn volume(v: &mut Value) {
    let has_source = v.as_object().is_some_and(|m| m.keys().any(|k| k != "name"));
    if !has_source {
        fill(v, "emptyDir", json!({}));
    }
    for source in ["secret", "configMap", "downwardAPI", "projected"] {
        if let Some(s) = v.get_mut(source).filter(|s| s.is_object()) {
            fill(s, "defaultMode", json!(420));
        }
    }
    if let Some(projected) = v.get_mut("projected") {
        for source in each(projected, "sources") {
            if let Some(token) = source
                .get_mut("serviceAccountToken")
                .filter(|t| t.is_object())
            {
                fill(token, "expirationSeconds", json!(3600));
            }
        }
    }
    for source in ["downwardAPI"] {
        if let Some(s) = v.get_mut(source) {
            for item in each(s, "items") {
                if let Some(field_ref) = item.get_mut("fieldRef") {
                    fill(field_ref, "apiVersion", json!("v1"));
                }
            }
        }
    }
    if let Some(host_path) = v.get_mut("hostPath").filter(|h| h.is_object()) {
        fill(host_path, "type", json!(""));
    }
    if let Some(iscsi) = v.get_mut("iscsi").filter(|h| h.is_object()) {
        fill(iscsi, "iscsiInterface", json!("default"));
    }
}

/// `SetDefaults_Pod`: a container with limits but no requests for a resource requests
/// the limit.
fn requests_from_limits(spec: &mut Value) {
    for list in ["initContainers", "containers"] {
        for c in each(spec, list) {
            let Some(limits) = c
                .pointer("/resources/limits")
                .and_then(Value::as_object)
                .cloned()
            else {
                continue;
            };
            let requests = child(child(c, "resources"), "requests");
            for (k, v) in limits {
                fill(requests, &k, v);
            }
        }
    }
}

/// The ServiceAccount admission plugin: `serviceAccountName: default` and the projected
/// `kube-api-access-<5>` volume mounted read-only in every container.
fn service_account_admission(spec: &mut Value, ctx: &mut AdmissionContext) {
    fill(spec, "serviceAccountName", json!("default"));
    fill(spec, "serviceAccount", json!("default"));
    if spec.get("automountServiceAccountToken") == Some(&json!(false)) {
        return;
    }
    let already_mounted = ["initContainers", "containers"].iter().any(|list| {
        spec.get(*list)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .any(|c| {
                c.get("volumeMounts")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .any(|m| str_at(m, "mountPath") == SERVICE_ACCOUNT_MOUNT_PATH)
            })
    });
    if already_mounted {
        return;
    }
    let volume_name = format!("kube-api-access-{}", ctx.rng.name_suffix(5));
    push(spec, "volumes", service_account_volume(&volume_name));
    for list in ["initContainers", "containers"] {
        for c in each(spec, list) {
            let mount = json!({"mountPath": SERVICE_ACCOUNT_MOUNT_PATH, "name": volume_name, "readOnly": true});
            push(c, "volumeMounts", mount);
        }
    }
}

fn service_account_volume(name: &str) -> Value {
    json!({
        "name": name,
        "projected": {
            "defaultMode": 420,
            "sources": [
                {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}},
                {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}, "path": "namespace"}]}},
            ]
        }
    })
}

/// DefaultTolerationSeconds (§11): tolerate not-ready and unreachable for 300s unless the
/// pod already tolerates them (a toleration with that key or no key, and effect
/// NoExecute or none).
fn default_toleration_seconds(spec: &mut Value) {
    let existing: Vec<Value> = spec
        .get("tolerations")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for key in [
        "node.kubernetes.io/not-ready",
        "node.kubernetes.io/unreachable",
    ] {
        let tolerated = existing.iter().any(|t| {
            let k = str_at(t, "key");
            let effect = str_at(t, "effect");
            (k == key || k.is_empty()) && (effect == "NoExecute" || effect.is_empty())
        });
        if !tolerated {
            let toleration = json!({"effect": "NoExecute", "key": key, "operator": "Exists", "tolerationSeconds": 300});
            push(spec, "tolerations", toleration);
        }
    }
}

fn push(obj: &mut Value, key: &str, item: Value) {
    let Value::Object(map) = obj else { return };
    let list = map
        .entry(key.to_string())
        .or_insert_with(|| Value::Array(vec![]));
    if !list.is_array() {
        *list = Value::Array(vec![]);
    }
    if let Value::Array(items) = list {
        items.push(item);
    }
}
