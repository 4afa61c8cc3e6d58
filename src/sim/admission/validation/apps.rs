//! Workload validation (pkg/apis/apps/validation/validation.go: `ValidateDeploymentSpec`,
//! `ValidateRollingUpdateDeployment`, `ValidateReplicaSetSpec`,
//! `ValidatePodTemplateSpecForReplicaSet`, `ValidateDaemonSetSpec`,
//! `ValidateStatefulSetSpec`, and the `*Update` functions; k8s-behaviour §3).

use super::meta::{immutable, non_negative};
use super::pod::pod_spec;
use super::selector::{label_selector, matches};
use super::storage::claim_templates;
use crate::sim::errors::FieldError;
use crate::sim::json::json;
use serde_json::Value;

fn spec(obj: &Value) -> &Value {
    obj.get("spec").unwrap_or(&Value::Null)
}

/// The selector's presence and emptiness checks shared by the workload kinds.
fn required_selector(spec: &Value, kind_word: &str) -> Vec<FieldError> {
    match spec.get("selector") {
        None => vec![FieldError::required("spec.selector", "")],
        Some(selector) => {
            let mut errs = label_selector(selector, "spec.selector");
            let count = selector
                .get("matchLabels")
                .and_then(Value::as_object)
                .map_or(0, |m| m.len())
                + selector
                    .get("matchExpressions")
                    .and_then(Value::as_array)
                    .map_or(0, |m| m.len());
            if count == 0 {
                errs.push(FieldError::invalid(
                    "spec.selector",
                    selector.clone(),
                    format!("empty selector is invalid for {kind_word}"),
                ));
            }
            errs
        }
    }
}

/// `ValidatePodTemplateSpecForReplicaSet`: labels match the selector, the pod spec is
/// valid, restartPolicy is Always and there is no activeDeadlineSeconds.
fn template_for_replicas(spec: &Value) -> Vec<FieldError> {
    let mut errs = vec![];
    let template = spec.get("template").unwrap_or(&Value::Null);
    let labels = template.pointer("/metadata/labels");
    // A nil selector converts to labels.Nothing(), which matches nothing.
    let selector_matches = match spec.get("selector") {
        None => false,
        Some(selector) => matches(selector, labels),
    };
    let selector_empty = spec.get("selector").is_some_and(|s| {
        s.get("matchLabels")
            .and_then(Value::as_object)
            .is_none_or(|m| m.is_empty())
            && s.get("matchExpressions")
                .and_then(Value::as_array)
                .is_none_or(|m| m.is_empty())
    });
    if !selector_empty && !selector_matches {
        errs.push(FieldError::invalid(
            "spec.template.metadata.labels",
            labels.cloned().unwrap_or(Value::Null),
            "`selector` does not match template `labels`",
        ));
    }
    errs.extend(super::meta::labels(labels, "spec.template.metadata.labels"));
    let pod = template.get("spec").unwrap_or(&Value::Null);
    errs.extend(pod_spec(pod, "spec.template.spec"));
    errs.extend(restart_always(pod));
    if pod.get("activeDeadlineSeconds").is_some() {
        errs.push(FieldError::forbidden(
            "spec.template.spec.activeDeadlineSeconds",
            "activeDeadlineSeconds in ReplicaSet is not Supported",
        ));
    }
    errs
}

fn restart_always(pod: &Value) -> Vec<FieldError> {
    let restart = pod
        .get("restartPolicy")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if restart == "Always" || restart.is_empty() {
        // An empty policy is already reported as Required by the pod spec rules.
        return vec![];
    }
    vec![FieldError::not_supported(
        "spec.template.spec.restartPolicy",
        json!(restart),
        &["Always"],
    )]
}

pub fn deployment(obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
    let spec = spec(obj);
    let mut errs = non_negative(spec.get("replicas"), "spec.replicas");
    errs.extend(required_selector(spec, "deployment"));
    errs.extend(template_for_replicas(spec));
    errs.extend(strategy(spec.get("strategy").unwrap_or(&Value::Null)));
    errs.extend(non_negative(
        spec.get("minReadySeconds"),
        "spec.minReadySeconds",
    ));
    errs.extend(non_negative(
        spec.get("revisionHistoryLimit"),
        "spec.revisionHistoryLimit",
    ));
    if let Some(deadline) = spec.get("progressDeadlineSeconds").and_then(Value::as_i64) {
        errs.extend(non_negative(
            spec.get("progressDeadlineSeconds"),
            "spec.progressDeadlineSeconds",
        ));
        let min_ready = spec
            .get("minReadySeconds")
            .and_then(Value::as_i64)
            .unwrap_or(0);
        if deadline <= min_ready {
            errs.push(FieldError::invalid(
                "spec.progressDeadlineSeconds",
                json!(deadline),
                "must be greater than minReadySeconds",
            ));
        }
    }
    errs.extend(selector_update(obj, old));
    errs
}

/// `ValidateDeploymentStrategy` and `ValidateRollingUpdateDeployment`.
fn strategy(strategy: &Value) -> Vec<FieldError> {
    let rolling = strategy.get("rollingUpdate");
    match strategy
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_default()
    {
        "Recreate" if rolling.is_some() => {
            vec![FieldError::forbidden(
                "spec.strategy.rollingUpdate",
                "may not be specified when strategy `type` is 'Recreate'",
            )]
        }
        "Recreate" => vec![],
        "RollingUpdate" => match rolling {
            None => vec![FieldError::required(
                "spec.strategy.rollingUpdate",
                "this should be defaulted and never be nil",
            )],
            Some(r) => rolling_update(r),
        },
        other => vec![FieldError::not_supported(
            "spec.strategy.type",
            json!(other),
            &["Recreate", "RollingUpdate"],
        )],
    }
}

fn rolling_update(r: &Value) -> Vec<FieldError> {
    let path = "spec.strategy.rollingUpdate";
    let unavailable = r.get("maxUnavailable");
    let surge = r.get("maxSurge");
    let mut errs = int_or_percent(unavailable, &format!("{path}.maxUnavailable"));
    errs.extend(int_or_percent(surge, &format!("{path}.maxSurge")));
    if int_or_percent_value(unavailable) == 0 && int_or_percent_value(surge) == 0 {
        errs.push(FieldError::invalid(
            format!("{path}.maxUnavailable"),
            unavailable.cloned().unwrap_or(json!(0)),
            "may not be 0 when `maxSurge` is 0",
        ));
    }
    if let Some(Value::String(s)) = unavailable {
        if s.strip_suffix('%')
            .and_then(|n| n.parse::<i64>().ok())
            .is_some_and(|n| n > 100)
        {
            errs.push(FieldError::invalid(
                format!("{path}.maxUnavailable"),
                json!(s),
                "must not be greater than 100%",
            ));
        }
    }
    errs
}

/// `ValidatePositiveIntOrPercent`.
pub fn int_or_percent(value: Option<&Value>, field: &str) -> Vec<FieldError> {
    match value {
        Some(Value::String(s)) => {
            let ok = s
                .strip_suffix('%')
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|c| c.is_ascii_digit()));
            if ok {
                vec![]
            } else {
                vec![FieldError::invalid(field, json!(s), "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')")]
            }
        }
        Some(v @ Value::Number(_)) => non_negative(Some(v), field),
        _ => vec![],
    }
}

/// `getIntOrPercentValue`: the number, with or without `%` (−1 when unparsable).
fn int_or_percent_value(value: Option<&Value>) -> i64 {
    match value {
        Some(Value::Number(n)) => n.as_i64().unwrap_or(-1),
        Some(Value::String(s)) => s
            .strip_suffix('%')
            .and_then(|n| n.parse().ok())
            .unwrap_or(-1),
        _ => -1,
    }
}

/// `spec.selector` is immutable in apps/v1.
fn selector_update(obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
    match old {
        Some(old) => immutable(
            obj.pointer("/spec/selector"),
            old.pointer("/spec/selector"),
            "spec.selector",
        ),
        None => vec![],
    }
}

pub fn replica_set(obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
    let spec = spec(obj);
    let mut errs = non_negative(spec.get("replicas"), "spec.replicas");
    errs.extend(non_negative(
        spec.get("minReadySeconds"),
        "spec.minReadySeconds",
    ));
    errs.extend(required_selector(spec, "deployment"));
    errs.extend(template_for_replicas(spec));
    errs.extend(selector_update(obj, old));
    errs
}

/// ReplicationController (core): the selector is a plain map and may be defaulted from
/// the template's labels.
pub fn replication_controller(obj: &Value) -> Vec<FieldError> {
    let spec = spec(obj);
    let mut errs = non_negative(spec.get("replicas"), "spec.replicas");
    let selector = spec.get("selector").and_then(Value::as_object);
    if selector.is_none_or(|m| m.is_empty()) {
        errs.push(FieldError::required("spec.selector", ""));
    } else {
        let as_label_selector = json!({"matchLabels": spec.get("selector")});
        let labels = spec.pointer("/template/metadata/labels");
        if !matches(&as_label_selector, labels) {
            errs.push(FieldError::invalid(
                "spec.template.metadata.labels",
                labels.cloned().unwrap_or(Value::Null),
                "`selector` does not match template `labels`",
            ));
        }
    }
    match spec.get("template") {
        None => errs.push(FieldError::required("spec.template", "")),
        Some(t) => {
            let pod = t.get("spec").unwrap_or(&Value::Null);
            errs.extend(pod_spec(pod, "spec.template.spec"));
            errs.extend(restart_always(pod));
        }
    }
    errs
}

pub fn daemon_set(obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
    let spec = spec(obj);
    let mut errs = vec![];
    let labels = spec.pointer("/template/metadata/labels");
    match spec.get("selector") {
        None => errs.push(FieldError::required("spec.selector", "")),
        Some(selector) => {
            errs.extend(label_selector(selector, "spec.selector"));
            if !matches(selector, labels) {
                errs.push(FieldError::invalid(
                    "spec.template.metadata.labels",
                    labels.cloned().unwrap_or(Value::Null),
                    "`selector` does not match template `labels`",
                ));
            }
            let empty = selector
                .get("matchLabels")
                .and_then(Value::as_object)
                .is_none_or(|m| m.is_empty())
                && selector
                    .get("matchExpressions")
                    .and_then(Value::as_array)
                    .is_none_or(|m| m.is_empty());
            if empty {
                errs.push(FieldError::invalid(
                    "spec.selector",
                    selector.clone(),
                    "empty selector is invalid for daemonset",
                ));
            }
        }
    }
    let pod = spec.pointer("/template/spec").unwrap_or(&Value::Null);
    errs.extend(pod_spec(pod, "spec.template.spec"));
    errs.extend(restart_always(pod));
    errs.extend(non_negative(
        spec.get("minReadySeconds"),
        "spec.minReadySeconds",
    ));
    let strategy = spec.get("updateStrategy").unwrap_or(&Value::Null);
    match strategy
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_default()
    {
        "RollingUpdate" | "OnDelete" => {}
        "" => errs.push(FieldError::required("spec.updateStrategy.type", "")),
        other => errs.push(FieldError::not_supported(
            "spec.updateStrategy.type",
            json!(other),
            &["OnDelete", "RollingUpdate"],
        )),
    }
    errs.extend(selector_update(obj, old));
    errs
}

const STATEFULSET_UPDATE_MSG: &str = "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";

pub fn stateful_set(obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
    let spec = spec(obj);
    let mut errs = vec![];
    match spec
        .get("podManagementPolicy")
        .and_then(Value::as_str)
        .unwrap_or_default()
    {
        "OrderedReady" | "Parallel" => {}
        "" => errs.push(FieldError::required("spec.podManagementPolicy", "")),
        other => errs.push(FieldError::not_supported(
            "spec.podManagementPolicy",
            json!(other),
            &["OrderedReady", "Parallel"],
        )),
    }
    errs.extend(non_negative(spec.get("replicas"), "spec.replicas"));
    errs.extend(non_negative(
        spec.get("minReadySeconds"),
        "spec.minReadySeconds",
    ));
    errs.extend(required_selector(spec, "statefulset"));
    if let Some(selector) = spec.get("selector") {
        let labels = spec.pointer("/template/metadata/labels");
        if !matches(selector, labels) && !errs.iter().any(|e| e.field == "spec.selector") {
            errs.push(FieldError::invalid(
                "spec.template.metadata.labels",
                labels.cloned().unwrap_or(Value::Null),
                "`selector` does not match template `labels`",
            ));
        }
    }
    // Mounts may name a volumeClaimTemplate: the controller adds those volumes to each
    // pod, so validate the template as if they were there already.
    let mut pod = spec
        .pointer("/template/spec")
        .cloned()
        .unwrap_or(Value::Null);
    let claims: Vec<String> = spec
        .get("volumeClaimTemplates")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|c| c.pointer("/metadata/name").and_then(Value::as_str))
        .map(str::to_string)
        .collect();
    if let Some(p) = pod.as_object_mut() {
        let volumes = p.entry("volumes").or_insert_with(|| json!([]));
        if let Some(vs) = volumes.as_array_mut() {
            for c in claims {
                if !vs
                    .iter()
                    .any(|v| v.get("name").and_then(Value::as_str) == Some(&c))
                {
                    vs.push(json!({"name": c, "persistentVolumeClaim": {"claimName": c}}));
                }
            }
        }
    }
    let pod = &pod;
    errs.extend(pod_spec(pod, "spec.template.spec"));
    errs.extend(restart_always(pod));
    errs.extend(claim_templates(spec));
    if let Some(old) = old {
        let updatable = [
            "replicas",
            "ordinals",
            "template",
            "updateStrategy",
            "revisionHistoryLimit",
            "persistentVolumeClaimRetentionPolicy",
            "minReadySeconds",
        ];
        let strip = |v: &Value| {
            let mut m = v
                .get("spec")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default();
            m.retain(|k, _| !updatable.contains(&k.as_str()));
            m
        };
        if strip(obj) != strip(old) {
            errs.push(FieldError::forbidden("spec", STATEFULSET_UPDATE_MSG));
        }
    }
    errs
}
