//! The Job controller (pkg/controller/job): runs pods `<job>-<5 chars>` until
//! `completions` succeed, at most `parallelism` at a time, and gives up after
//! `backoffLimit` failures. Finished pods are counted through the
//! `batch.kubernetes.io/job-tracking` finalizer, as the real controller does, so a pod
//! deleted after it finished still counts. After a failure the next pod waits
//! 10 s · 2^(n−1), capped at 6 minutes.

use crate::sim::apiserver::{DeleteOptions, WriteOptions};
use crate::sim::cluster::Cluster;
use crate::sim::events::EventSource;
use crate::sim::json::json;
use crate::sim::messages::Component;
use crate::sim::object;
use crate::sim::resources::ResourceType;
use crate::sim::time::{rfc3339, Millis, MINUTE, SECOND};
use serde_json::Value;
use std::collections::BTreeSet;

const TRACKING_FINALIZER: &str = "batch.kubernetes.io/job-tracking";
const BACKOFF_BASE: Millis = 10 * SECOND;
const BACKOFF_MAX: Millis = 6 * MINUTE;
/// `MaxPodCreateDeletePerSync`: at most this many pod creations per sync.
const MAX_POD_CREATE_DELETE_PER_SYNC: usize = 500;

/// Per-job back-off record (`backoffRecord`): failures since the last success and when
/// the last one happened.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BackoffRecord {
    pub failures_after_last_success: u32,
    pub last_failure: Millis,
}

fn actor() -> Component {
    Component::ControllerManager("job".into())
}

fn rt(cluster: &Cluster, name: &str) -> ResourceType {
    cluster
        .registry
        .resolve(name)
        .expect("built-in resource")
        .clone()
}

pub fn reconcile(cluster: &mut Cluster) {
    let cursor = cluster.controllers.job_cursor;
    let mut dirty: BTreeSet<(String, String)> = BTreeSet::new();
    let mut gone: Vec<String> = vec![];
    for e in cluster.store.events_since(cursor) {
        match (
            e.key.resource.group.as_str(),
            e.key.resource.resource.as_str(),
        ) {
            ("batch", "jobs") => {
                if e.event_type == crate::sim::store::WatchEventType::Deleted {
                    // The Job is gone (a CronJob's history limit, say): so is its
                    // back-off record.
                    gone.push(object::uid(&e.object).to_string());
                }
                dirty.insert((e.key.namespace.clone(), e.key.name.clone()));
            }
            ("", "pods") => {
                if let Some(owner) = object::controller_of(&e.object).filter(|o| o.kind == "Job") {
                    dirty.insert((e.key.namespace.clone(), owner.name));
                }
            }
            _ => {}
        }
    }
    cluster.record_watch(
        cursor,
        Component::ControllerManager("job".into()),
        &[("batch", "jobs")],
        false,
    );
    cluster.controllers.job_cursor = cluster.store.revision();
    for uid in gone {
        cluster.controllers.job_backoff.remove(&uid);
    }
    let any = !dirty.is_empty();
    for (ns, name) in dirty {
        sync(cluster, &ns, &name);
    }
    if any {
        release_orphans(cluster);
    }
}

/// Pods still carrying the tracking finalizer whose Job is gone lose it, so they can go.
fn release_orphans(cluster: &mut Cluster) {
    let job_rt = rt(cluster, "jobs");
    let pods = crate::sim::store::GroupResource::new("", "pods");
    // The finalizer index: only pods still tracked, not every pod in the cluster.
    let orphans: Vec<Value> = cluster
        .store
        .with_finalizer(&pods, TRACKING_FINALIZER)
        .into_iter()
        .filter(
            |p| match object::controller_of(p).filter(|o| o.kind == "Job") {
                Some(o) => cluster
                    .get(&job_rt, object::namespace(p), &o.name)
                    .map_or(true, |j| object::uid(j) != o.uid),
                None => true,
            },
        )
        .cloned()
        .collect();
    for p in orphans {
        remove_finalizer(cluster, &p);
    }
}

pub fn wake(cluster: &mut Cluster, key: &str) {
    if let Some((ns, name)) = key.split_once('/') {
        sync(cluster, ns, name);
    }
}

fn int_at(v: &Value, p: &str) -> Option<i64> {
    object::at(v, p).and_then(Value::as_i64)
}

fn has_condition(job: &Value, type_: &str) -> bool {
    object::at(job, "/status/conditions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|c| object::str_at(c, "/type") == type_ && object::str_at(c, "/status") == "True")
}

/// Whether the Job has finished (Complete or Failed).
pub fn is_finished(job: &Value) -> bool {
    has_condition(job, "Complete") || has_condition(job, "Failed")
}

fn emit(cluster: &mut Cluster, job: &Value, kind: &str, reason: &str, message: &str) {
    cluster.emit_event(
        job,
        kind,
        reason,
        message,
        &EventSource::component("job-controller"),
        actor(),
    );
}

fn condition(type_: &str, reason: &str, message: &str, now: &str) -> Value {
    json!({"lastProbeTime": now, "lastTransitionTime": now, "message": message, "reason": reason, "status": "True", "type": type_})
}

fn remove_finalizer(cluster: &mut Cluster, pod: &Value) {
    let pods = rt(cluster, "pods");
    let mut p = pod.clone();
    let Some(fs) = p
        .pointer_mut("/metadata/finalizers")
        .and_then(Value::as_array_mut)
    else {
        return;
    };
    let before = fs.len();
    fs.retain(|f| f != TRACKING_FINALIZER);
    if fs.len() == before {
        return;
    }
    if fs.is_empty() {
        object::meta_mut(&mut p).remove("finalizers");
    }
    let gone = object::is_deleting(&p)
        && object::at(&p, "/metadata/finalizers").is_none()
        && (pod_terminal(&p) || object::str_at(&p, "/spec/nodeName").is_empty());
    if gone {
        cluster.remove(&pods, &p, &actor());
    } else {
        cluster.write_through_unread(&pods, p, actor());
    }
}

fn pod_terminal(pod: &Value) -> bool {
    matches!(object::str_at(pod, "/status/phase"), "Succeeded" | "Failed")
}

fn sync(cluster: &mut Cluster, ns: &str, name: &str) {
    let job_rt = rt(cluster, "jobs");
    let Ok(job) = cluster.get(&job_rt, ns, name) else {
        return;
    };
    let job = job.clone();
    let uid = object::uid(&job).to_string();
    // The owner index, not a scan of the namespace (same pods, same order).
    let pods = crate::sim::store::GroupResource::new("", "pods");
    let owned: Vec<Value> = cluster
        .store
        .owned_by(&uid, Some(&pods))
        .into_iter()
        .filter(|p| object::namespace(p) == ns)
        .filter(|p| object::controller_of(p).is_some_and(|o| o.uid == uid))
        .cloned()
        .collect();
    let now_s = rfc3339(cluster.now);
    let mut status = job
        .get("status")
        .cloned()
        .filter(Value::is_object)
        .unwrap_or_else(|| json!({}));
    let mut succeeded = int_at(&status, "/succeeded").unwrap_or(0);
    let indexed = object::str_at(&job, "/spec/completionMode") == "Indexed";
    let mut completed = parse_indexes(object::str_at(&status, "/completedIndexes"));
    let mut failed = int_at(&status, "/failed").unwrap_or(0);

    // Count pods that finished since the last turn (those still carrying the finalizer).
    let mut record = cluster
        .controllers
        .job_backoff
        .get(&uid)
        .cloned()
        .unwrap_or_default();
    for p in &owned {
        let tracked = object::at(p, "/metadata/finalizers")
            .and_then(Value::as_array)
            .is_some_and(|f| f.iter().any(|x| x == TRACKING_FINALIZER));
        let phase = object::str_at(p, "/status/phase");
        // A pod deleted before it finished counts as failed (podReplacementPolicy
        // TerminatingOrFailed), once it is gone or terminal.
        if tracked && (phase == "Succeeded" || phase == "Failed") {
            if phase == "Succeeded" {
                succeeded += 1;
                if let Some(i) = completion_index(p) {
                    completed.insert(i);
                }
                record.failures_after_last_success = 0;
            } else {
                failed += 1;
                record.failures_after_last_success += 1;
                record.last_failure = cluster.now;
            }
            remove_finalizer(cluster, p);
        } else if tracked && object::is_deleting(p) {
            failed += 1;
            record.failures_after_last_success += 1;
            record.last_failure = cluster.now;
            remove_finalizer(cluster, p);
        }
    }
    cluster
        .controllers
        .job_backoff
        .insert(uid.clone(), record.clone());

    if indexed {
        succeeded = completed.len() as i64;
    }
    let finished_before = is_finished(&job);
    let active: Vec<&Value> = owned
        .iter()
        .filter(|p| !pod_terminal(p) && !object::is_deleting(p))
        .collect();
    let terminating = owned
        .iter()
        .filter(|p| object::is_deleting(p) && !pod_terminal(p))
        .count() as i64;
    let ready = active
        .iter()
        .filter(|p| super::statefulset::pod_ready(p))
        .count() as i64;
    let completions = int_at(&job, "/spec/completions");
    let parallelism = int_at(&job, "/spec/parallelism").unwrap_or(1).max(0);
    let backoff_limit = int_at(&job, "/spec/backoffLimit").unwrap_or(6);
    let suspended = object::at(&job, "/spec/suspend")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    if status.get("startTime").is_none() && !suspended {
        status["startTime"] = json!(now_s);
    }

    let restarts: i64 = if object::str_at(&job, "/spec/template/spec/restartPolicy") == "OnFailure"
    {
        active
            .iter()
            .flat_map(|p| {
                object::at(p, "/status/containerStatuses")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default()
            })
            .map(|c| c.get("restartCount").and_then(Value::as_i64).unwrap_or(0))
            .sum()
    } else {
        0
    };
    let mut active_count = active.len() as i64;
    if !finished_before {
        let complete = match completions {
            Some(c) => succeeded >= c,
            None => succeeded > 0 && active.is_empty(),
        };
        let past_backoff = failed + restarts > backoff_limit;
        let deadline = int_at(&job, "/spec/activeDeadlineSeconds").and_then(|d| {
            let start = crate::sim::time::parse_rfc3339(object::str_at(&status, "/startTime"))?;
            Some(start.max(0) as u64 + d.max(0) as u64 * SECOND)
        });
        let past_deadline = deadline.is_some_and(|d| cluster.now >= d);
        if complete {
            // Lingering pods (parallel jobs without completions) are removed.
            for p in &active {
                delete_pod(cluster, &job, p);
            }
            active_count = 0;
            let msg = "Reached expected number of succeeded pods";
            status["conditions"] = json!([
                condition("SuccessCriteriaMet", "CompletionsReached", msg, &now_s),
                condition("Complete", "CompletionsReached", msg, &now_s)
            ]);
            status["completionTime"] = json!(now_s);
            emit(cluster, &job, "Normal", "Completed", "Job completed");
        } else if past_backoff || past_deadline {
            for p in &active {
                delete_pod(cluster, &job, p);
            }
            active_count = 0;
            let (reason, msg) = if past_backoff {
                (
                    "BackoffLimitExceeded",
                    "Job has reached the specified backoff limit",
                )
            } else {
                (
                    "DeadlineExceeded",
                    "Job was active longer than specified deadline",
                )
            };
            status["conditions"] = json!([
                condition("FailureTarget", reason, msg, &now_s),
                condition("Failed", reason, msg, &now_s)
            ]);
            emit(cluster, &job, "Warning", reason, msg);
        } else if !suspended {
            if let Some(d) = deadline {
                if d > cluster.now {
                    cluster.wake_after(d - cluster.now, "job", format!("{ns}/{name}"));
                }
            }
            let remaining = completions
                .map(|c| (c - succeeded).max(0))
                .unwrap_or(parallelism);
            let want = parallelism.min(remaining);
            let mut to_create = (want - active_count).max(0);
            // Back-off after failures before replacing pods.
            if to_create > 0 && record.failures_after_last_success > 0 {
                let delay = (BACKOFF_BASE << (record.failures_after_last_success - 1).min(16))
                    .min(BACKOFF_MAX);
                let ready_at = record.last_failure + delay;
                if cluster.now < ready_at {
                    cluster.wake_after(ready_at - cluster.now, "job", format!("{ns}/{name}"));
                    to_create = 0;
                }
            }
            // `MaxPodCreateDeletePerSync`, then slow-start batches; a pod that could not
            // be created is not counted active.
            let to_create = (to_create.max(0) as usize).min(MAX_POD_CREATE_DELETE_PER_SYNC);
            let created = if indexed {
                // The lowest indexes that neither succeeded nor run.
                let running: BTreeSet<i64> =
                    active.iter().filter_map(|p| completion_index(p)).collect();
                let free: Vec<i64> = (0..completions.unwrap_or(1))
                    .filter(|i| !completed.contains(i) && !running.contains(i))
                    .take(to_create)
                    .collect();
                super::slow_start_batch(free.len(), |n| create_pod(cluster, &job, Some(free[n])))
            } else {
                super::slow_start_batch(to_create, |_| create_pod(cluster, &job, None))
            };
            active_count += created as i64;
        }
    }
    status["active"] = json!(active_count);
    if indexed {
        succeeded = completed.len() as i64;
        status["completedIndexes"] = json!(format_indexes(&completed));
    }
    status["succeeded"] = json!(succeeded);
    status["failed"] = json!(failed);
    status["ready"] = json!(ready.min(active_count));
    status["terminating"] = json!(terminating);
    status["uncountedTerminatedPods"] = json!({});
    if let Some(m) = status.as_object_mut() {
        for k in ["active", "succeeded", "failed"] {
            if m.get(k) == Some(&json!(0)) {
                m.remove(k);
            }
        }
    }
    let _ = cluster.update_status(&job_rt, ns, name, status, actor());
}

/// `batch.kubernetes.io/job-completion-index` of an Indexed Job's pod.
fn completion_index(pod: &Value) -> Option<i64> {
    object::annotation(pod, INDEX_KEY)?.parse().ok()
}

/// `0-2,4` → {0, 1, 2, 4}.
fn parse_indexes(s: &str) -> BTreeSet<i64> {
    let mut out = BTreeSet::new();
    for part in s.split(',').filter(|p| !p.is_empty()) {
        match part.split_once('-') {
            Some((a, b)) => {
                if let (Ok(a), Ok(b)) = (a.parse::<i64>(), b.parse::<i64>()) {
                    out.extend(a..=b);
                }
            }
            None => {
                if let Ok(v) = part.parse() {
                    out.insert(v);
                }
            }
        }
    }
    out
}

/// {0, 1, 2, 4} → `0-2,4` (the format of `status.completedIndexes`).
fn format_indexes(set: &BTreeSet<i64>) -> String {
    let mut parts: Vec<String> = vec![];
    let mut iter = set.iter().copied().peekable();
    while let Some(start) = iter.next() {
        let mut end = start;
        while iter.peek() == Some(&(end + 1)) {
            end = iter.next().unwrap_or(end);
        }
        parts.push(if end == start {
            start.to_string()
        } else {
            format!("{start}-{end}")
        });
    }
    parts.join(",")
}

const INDEX_KEY: &str = "batch.kubernetes.io/job-completion-index";

/// Creates one pod of the Job (`index` for an Indexed Job); false when the apiserver
/// refused it.
fn create_pod(cluster: &mut Cluster, job: &Value, index: Option<i64>) -> bool {
    let pods = rt(cluster, "pods");
    let ns = object::namespace(job).to_string();
    let template = object::at(job, "/spec/template")
        .cloned()
        .unwrap_or_else(|| json!({}));
    let mut meta = json!({"generateName": format!("{}-", object::name(job)), "namespace": ns,
        "labels": object::at(&template, "/metadata/labels").cloned().unwrap_or_else(|| json!({})),
        "ownerReferences": [object::controller_ref(job)], "finalizers": [TRACKING_FINALIZER]});
    if let Some(a) = object::at(&template, "/metadata/annotations") {
        meta["annotations"] = a.clone();
    }
    let mut spec = template.get("spec").cloned().unwrap_or_else(|| json!({}));
    if let Some(i) = index {
        // Indexed: `<job>-<index>-xxxxx`, the index as annotation, label, env and hostname.
        meta["generateName"] = json!(format!("{}-{i}-", object::name(job)));
        meta["annotations"][INDEX_KEY] = json!(i.to_string());
        meta["labels"][INDEX_KEY] = json!(i.to_string());
        spec["hostname"] = json!(format!("{}-{i}", object::name(job)));
        if let Some(cs) = spec.get_mut("containers").and_then(Value::as_array_mut) {
            for c in cs {
                let env = c
                    .as_object_mut()
                    .map(|m| m.entry("env").or_insert_with(|| json!([])));
                if let Some(Value::Array(env)) = env {
                    env.push(json!({"name": "JOB_COMPLETION_INDEX", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": format!("metadata.annotations['{INDEX_KEY}']")}}}));
                }
            }
        }
    }
    let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec});
    match cluster.create(
        &pods,
        pod,
        &ns,
        &WriteOptions {
            actor: actor(),
            ..Default::default()
        },
    ) {
        Ok(p) => {
            emit(
                cluster,
                job,
                "Normal",
                "SuccessfulCreate",
                &format!("Created pod: {}", object::name(&p)),
            );
            true
        }
        Err(e) => {
            emit(
                cluster,
                job,
                "Warning",
                "FailedCreate",
                &format!("Error creating: {e}"),
            );
            false
        }
    }
}

fn delete_pod(cluster: &mut Cluster, job: &Value, pod: &Value) {
    let pods = rt(cluster, "pods");
    let opts = DeleteOptions {
        actor: actor(),
        ..Default::default()
    };
    let name = object::name(pod).to_string();
    if cluster
        .delete(&pods, object::namespace(pod), &name, &opts)
        .is_ok()
    {
        emit(
            cluster,
            job,
            "Normal",
            "SuccessfulDelete",
            &format!("Deleted pod: {name}"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::cluster::ClusterOptions;

    /// A cluster whose kubelets are stopped: the test plays the kubelet.
    fn quiet_cluster() -> Cluster {
        let mut c = Cluster::new(ClusterOptions::default());
        for n in ["control-plane", "worker-1", "worker-2", "worker-3"] {
            c.controllers.stopped_kubelets.insert(n.to_string());
        }
        c
    }

    fn pods_of(c: &Cluster) -> Vec<Value> {
        let t = c.registry.resolve("pods").expect("pods").clone();
        c.list(&t, Some("default")).into_iter().cloned().collect()
    }

    fn finish(c: &mut Cluster, pod: &Value, phase: &str) {
        let t = rt(c, "pods");
        let status = json!({"phase": phase});
        c.update_status(
            &t,
            "default",
            object::name(pod),
            status,
            Component::Kubelet("worker-1".into()),
        )
        .expect("pod");
        c.settle();
    }

    fn job(c: &mut Cluster, spec: Value) {
        let t = rt(c, "jobs");
        let mut spec = spec;
        spec["template"] = json!({"spec": {"restartPolicy": "Never", "containers": [{"name": "c", "image": "busybox", "command": ["echo", "hi"]}]}});
        c.create(&t, json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "pi"}, "spec": spec}), "default", &WriteOptions::default()).expect("job");
        c.settle();
    }

    #[test]
    fn creations_run_in_slow_start_batches_and_stop_at_a_failing_one() {
        // (pods the Job wants, whether its pods can be created, FailedCreate Events,
        // pods created, status.active). A refused template costs one request per sync
        // however many pods are wanted (the real controller's first batch of one), and
        // a refused pod is not counted active. The Job syncs twice here: on its creation
        // and on its own status write.
        let cases = [
            (5, true, 0, 5, Some(5)),
            (5, false, 2, 0, None),
            (40, false, 2, 0, None),
        ];
        for (parallelism, creatable, want_failed, want_pods, want_active) in cases {
            let mut c = quiet_cluster();
            let t = rt(&c, "jobs");
            let mut pod_spec = json!({"restartPolicy": "Never", "containers": [{"name": "c", "image": "busybox", "command": ["echo", "hi"]}]});
            if !creatable {
                // The ServiceAccount admission plugin refuses pods naming a missing account.
                pod_spec["serviceAccountName"] = json!("missing");
            }
            let spec = json!({"completions": parallelism, "parallelism": parallelism, "template": {"spec": pod_spec}});
            c.create(&t, json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "pi"}, "spec": spec}), "default", &WriteOptions::default()).expect("job");
            c.settle();
            let events = c.list(&rt(&c, "events"), Some("default"));
            let failed: i64 = events
                .iter()
                .filter(|e| object::str_at(e, "/reason") == "FailedCreate")
                .map(|e| e.get("count").and_then(Value::as_i64).unwrap_or(1))
                .sum();
            let case = format!("parallelism {parallelism}, creatable {creatable}");
            assert_eq!(failed, want_failed, "{case}: FailedCreate");
            assert_eq!(pods_of(&c).len(), want_pods, "{case}: pods");
            let job = c.get(&t, "default", "pi").expect("job");
            let active = job.pointer("/status/active").and_then(Value::as_i64);
            assert_eq!(active, want_active, "{case}: status.active");
        }
    }

    #[test]
    fn completions_with_parallelism() {
        let mut c = quiet_cluster();
        job(&mut c, json!({"completions": 3, "parallelism": 2}));
        let pods = pods_of(&c);
        assert_eq!(pods.len(), 2);
        assert!(object::name(&pods[0]).starts_with("pi-"));
        assert_eq!(object::str_at(&pods[0], "/metadata/labels/job-name"), "pi");
        finish(&mut c, &pods[0], "Succeeded");
        assert_eq!(pods_of(&c).len(), 3);
        for p in pods_of(&c) {
            if object::str_at(&p, "/status/phase") != "Succeeded" {
                finish(&mut c, &p, "Succeeded");
            }
        }
        let j = c
            .get(&rt(&c, "jobs"), "default", "pi")
            .expect("job")
            .clone();
        assert_eq!(j.pointer("/status/succeeded"), Some(&json!(3)));
        assert_eq!(
            j.pointer("/status/conditions/1/type"),
            Some(&json!("Complete"))
        );
        assert!(j.pointer("/status/completionTime").is_some());
        assert_eq!(pods_of(&c).len(), 3);
        assert!(pods_of(&c)
            .iter()
            .all(|p| p.pointer("/metadata/finalizers").is_none()));
    }

    #[test]
    fn indexed_jobs_run_each_index_once() {
        let mut c = quiet_cluster();
        job(
            &mut c,
            json!({"completions": 3, "parallelism": 2, "completionMode": "Indexed"}),
        );
        let pods = pods_of(&c);
        let names: Vec<&str> = pods.iter().map(object::name).collect();
        assert!(
            names[0].starts_with("pi-0-") && names[1].starts_with("pi-1-"),
            "{names:?}"
        );
        assert_eq!(object::str_at(&pods[0], "/spec/hostname"), "pi-0");
        let second = pods
            .iter()
            .find(|p| object::name(p).starts_with("pi-1-"))
            .expect("index 1")
            .clone();
        finish(&mut c, &second, "Succeeded");
        assert!(pods_of(&c)
            .iter()
            .any(|p| object::name(p).starts_with("pi-2-")));
        for p in pods_of(&c) {
            if object::str_at(&p, "/status/phase") != "Succeeded" {
                finish(&mut c, &p, "Succeeded");
            }
        }
        let j = c
            .get(&rt(&c, "jobs"), "default", "pi")
            .expect("job")
            .clone();
        assert_eq!(j.pointer("/status/completedIndexes"), Some(&json!("0-2")));
        assert_eq!(j.pointer("/status/succeeded"), Some(&json!(3)));
        assert_eq!(format_indexes(&parse_indexes("0-2,4,6-7")), "0-2,4,6-7");
    }

    #[test]
    fn backoff_limit_and_delays() {
        let mut c = quiet_cluster();
        job(&mut c, json!({"backoffLimit": 1}));
        let p = pods_of(&c)[0].clone();
        finish(&mut c, &p, "Failed");
        assert_eq!(pods_of(&c).len(), 1, "the replacement waits 10 s");
        c.advance(10 * SECOND);
        assert_eq!(pods_of(&c).len(), 2);
        let p2 = pods_of(&c)
            .into_iter()
            .find(|x| object::str_at(x, "/status/phase") == "Pending")
            .expect("new pod");
        finish(&mut c, &p2, "Failed");
        let j = c
            .get(&rt(&c, "jobs"), "default", "pi")
            .expect("job")
            .clone();
        assert_eq!(j.pointer("/status/failed"), Some(&json!(2)));
        assert_eq!(
            j.pointer("/status/conditions/1/reason"),
            Some(&json!("BackoffLimitExceeded"))
        );
        c.advance(MINUTE);
        assert_eq!(pods_of(&c).len(), 2);
    }
}
