//! Job and CronJob defaults: `SetDefaults_Job` / `SetDefaults_CronJob`
//! (pkg/apis/batch/v1/defaults.go) and the Job strategy's `generateSelector`
//! (pkg/registry/batch/job/strategy.go), which needs the uid the caller already set.

use super::{child, fill, pod};
use crate::sim::json::json;
use serde_json::{Map, Value};

pub fn job(obj: &mut Value) {
    generate_selector(obj);
    job_spec(child(obj, "spec"));
    // SetDefaults_Job: a Job without labels takes its template's labels.
    let template_labels = obj
        .pointer("/spec/template/metadata/labels")
        .filter(|l| l.as_object().is_some_and(|m| !m.is_empty()))
        .cloned();
    if let Some(labels) = template_labels {
        let metadata = child(obj, "metadata");
        if metadata
            .get("labels")
            .and_then(Value::as_object)
            .is_none_or(|m| m.is_empty())
        {
            metadata["labels"] = labels;
        }
    }
}

/// The spec part of `SetDefaults_Job`.
fn job_spec(spec: &mut Value) {
    if spec.get("completions").is_none() && spec.get("parallelism").is_none() {
        fill(spec, "completions", json!(1));
    }
    fill(spec, "parallelism", json!(1));
    let backoff = if spec.get("backoffLimitPerIndex").is_some() {
        i64::from(i32::MAX)
    } else {
        6
    };
    fill(spec, "backoffLimit", json!(backoff));
    fill(spec, "completionMode", json!("NonIndexed"));
    fill(spec, "suspend", json!(false));
    let replacement = if spec.get("podFailurePolicy").is_some() {
        "Failed"
    } else {
        "TerminatingOrFailed"
    };
    fill(spec, "podReplacementPolicy", json!(replacement));
    pod::template(child(spec, "template"));
}

/// Unless `manualSelector: true`: selector `batch.kubernetes.io/controller-uid=<uid>`, and
/// the template labels the controller and users select on.
fn generate_selector(obj: &mut Value) {
    let uid = obj
        .pointer("/metadata/uid")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let name = obj
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let spec = child(obj, "spec");
    if spec.get("manualSelector") == Some(&json!(true)) || uid.is_empty() {
        return;
    }
    let labels = child(child(child(spec, "template"), "metadata"), "labels");
    for (k, v) in [
        ("batch.kubernetes.io/controller-uid", &uid),
        ("batch.kubernetes.io/job-name", &name),
        ("controller-uid", &uid),
        ("job-name", &name),
    ] {
        fill(labels, k, json!(v));
    }
    if spec.get("selector").is_none() {
        let mut match_labels = Map::new();
        match_labels.insert("batch.kubernetes.io/controller-uid".into(), json!(uid));
        spec["selector"] = json!({ "matchLabels": match_labels });
    }
}

pub fn cron_job(obj: &mut Value) {
    let spec = child(obj, "spec");
    fill(spec, "concurrencyPolicy", json!("Allow"));
    fill(spec, "suspend", json!(false));
    fill(spec, "successfulJobsHistoryLimit", json!(3));
    fill(spec, "failedJobsHistoryLimit", json!(1));
    // SetDefaults_Job takes a Job, so a jobTemplate's spec gets only its pod template's
    // defaults; the Job defaults come when the CronJob controller creates the Job.
    let job_template_spec = child(child(spec, "jobTemplate"), "spec");
    pod::template(child(job_template_spec, "template"));
}
