//! The horizontal pod autoscaler controller (pkg/controller/podautoscaler/horizontal.go):
//! every `--horizontal-pod-autoscaler-sync-period` (15 s) each HPA reads its target's
//! scale, asks the Metrics API for its pods' usage, computes the desired replicas
//! ([`replicas`]), normalises them (stabilisation, limits) and rescales the target —
//! with the real conditions (AbleToScale, ScalingActive, ScalingLimited) and events
//! (`SuccessfulRescale`, `FailedGetResourceMetric`, `FailedComputeMetricsReplicas`).
//!
//! Like the real work queue (a fixed-interval rate limiter), an HPA added or changed is
//! first looked at one sync period later, then every period while it exists. Both API
//! shapes are read: `autoscaling/v2` (metrics, behavior, conditions) and the
//! `autoscaling/v1` one (`targetCPUUtilizationPercentage`, status without conditions).

pub mod replicas;

use crate::sim::apiserver::WriteOptions;
use crate::sim::cluster::Cluster;
use crate::sim::events::EventSource;
use crate::sim::json::json;
use crate::sim::labels::Selector;
use crate::sim::messages::Component;
use crate::sim::metrics;
use crate::sim::object::{self, str_at};
use crate::sim::resources::ResourceType;
use crate::sim::time::{parse_rfc3339, rfc3339, Millis, SECOND};
use replicas::{PodFacts, Recommendation, Rules, ScaleEvent};
use serde_json::Value;
use std::collections::BTreeMap;

/// `--horizontal-pod-autoscaler-sync-period`.
pub const SYNC_PERIOD: Millis = 15 * SECOND;

const CONTROLLER: &str = "horizontal-pod-autoscaler";

/// Memory the controller keeps between syncs, per HPA (`namespace/name`), as the real
/// one does in its own maps.
#[derive(Debug, Clone, Default)]
pub struct HpaState {
    pub(crate) cursor: u64,
    /// HPAs with a sync queued.
    queued: std::collections::BTreeSet<String>,
    recommendations: BTreeMap<String, Vec<Recommendation>>,
    scale_ups: BTreeMap<String, Vec<ScaleEvent>>,
    scale_downs: BTreeMap<String, Vec<ScaleEvent>>,
}

fn actor() -> Component {
    Component::ControllerManager(CONTROLLER.into())
}

fn hpa_type(cluster: &Cluster) -> ResourceType {
    cluster
        .registry
        .resolve("horizontalpodautoscalers")
        .expect("built-in resource")
        .clone()
}

/// Queues a sync one period after each HPA added or changed (unless one is queued).
pub fn reconcile(cluster: &mut Cluster) {
    let cursor = cluster.controllers.hpa.cursor;
    let mut keys = vec![];
    for e in cluster.store.events_since(cursor) {
        if e.key.resource.group == "autoscaling"
            && e.key.resource.resource == "horizontalpodautoscalers"
        {
            keys.push(format!("{}/{}", e.key.namespace, e.key.name));
        }
    }
    cluster.controllers.hpa.cursor = cluster.store.revision();
    for key in keys {
        enqueue(cluster, key);
    }
}

fn enqueue(cluster: &mut Cluster, key: String) {
    if cluster.controllers.hpa.queued.insert(key.clone()) {
        cluster.wake_after(SYNC_PERIOD, CONTROLLER, key);
    }
}

/// A queued sync is due: reconcile, and queue the next while the HPA exists.
pub fn wake(cluster: &mut Cluster, key: &str) {
    cluster.controllers.hpa.queued.remove(key);
    let Some((ns, name)) = key.split_once('/') else {
        return;
    };
    let rt = hpa_type(cluster);
    let Ok(hpa) = cluster.get(&rt, ns, name).cloned() else {
        let state = &mut cluster.controllers.hpa;
        state.recommendations.remove(key);
        state.scale_ups.remove(key);
        state.scale_downs.remove(key);
        return;
    };
    if !object::is_deleting(&hpa) {
        sync(cluster, &rt, hpa, key);
    }
    enqueue(cluster, key.to_string());
}

/// One metric of the HPA's spec, in the v2 shape.
#[derive(Debug, Clone)]
struct MetricSpec {
    resource: String,
    /// Utilization target in percent, or an average value in thousandths.
    target: Target,
}

#[derive(Debug, Clone, Copy)]
enum Target {
    Utilization(i32),
    AverageValue(i64),
}

/// The spec's Resource metrics (v1: the CPU target, 80% by default); other metric types
/// need an adapter kubesim does not run, and are reported as such.
fn metric_specs(hpa: &Value) -> Vec<Result<MetricSpec, String>> {
    if object::api_version(hpa) == "autoscaling/v1" {
        let target = hpa
            .pointer("/spec/targetCPUUtilizationPercentage")
            .and_then(Value::as_i64)
            .unwrap_or(80) as i32;
        return vec![Ok(MetricSpec {
            resource: "cpu".into(),
            target: Target::Utilization(target),
        })];
    }
    let specs = hpa.pointer("/spec/metrics").and_then(Value::as_array);
    specs
        .into_iter()
        .flatten()
        .map(|m| {
            let kind = str_at(m, "/type");
            if kind != "Resource" {
                return Err(format!("unable to get metric {}: no custom metrics API (kubesim runs only metrics-server)", kind.to_lowercase()));
            }
            let resource = str_at(m, "/resource/name").to_string();
            let target = &m["resource"]["target"];
            if let Some(u) = target.get("averageUtilization").and_then(Value::as_i64) {
                return Ok(MetricSpec { resource, target: Target::Utilization(u as i32) });
            }
            match target
                .get("averageValue")
                .and_then(Value::as_str)
                .and_then(crate::sim::scheduler::parse_milli)
            {
                Some(v) => Ok(MetricSpec { resource, target: Target::AverageValue(v) }),
                None => Err("invalid resource metric source: neither an average utilization target nor an average value (usage) target was set".into()),
            }
        })
        .collect()
}

/// What a reconcile decided about the HPA's status, kept while it runs.
struct Status {
    conditions: Vec<Value>,
    now: Millis,
}

impl Status {
    /// `setCondition`: a changed status moves lastTransitionTime; reason and message are
    /// always the latest.
    fn set(&mut self, type_: &str, status: &str, reason: &str, message: &str) {
        let now = rfc3339(self.now);
        if let Some(c) = self
            .conditions
            .iter_mut()
            .find(|c| str_at(c, "/type") == type_)
        {
            if str_at(c, "/status") != status {
                c["lastTransitionTime"] = json!(now);
            }
            c["status"] = json!(status);
            c["reason"] = json!(reason);
            c["message"] = json!(message);
            return;
        }
        self.conditions.push(json!({"type": type_, "status": status, "lastTransitionTime": now, "reason": reason, "message": message}));
    }
}

fn emit(cluster: &mut Cluster, hpa: &Value, kind: &str, reason: &str, message: &str) {
    cluster.emit_event(
        hpa,
        kind,
        reason,
        message,
        &EventSource::component(CONTROLLER),
        actor(),
    );
}

/// `reconcileAutoscaler`.
fn sync(cluster: &mut Cluster, rt: &ResourceType, hpa: Value, key: &str) {
    let now = cluster.now();
    let ns = object::namespace(&hpa).to_string();
    let mut status = Status {
        conditions: hpa
            .pointer("/status/conditions")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default(),
        now,
    };
    let target_ref = &hpa["spec"]["scaleTargetRef"];
    let (kind, target_name) = (str_at(target_ref, "/kind"), str_at(target_ref, "/name"));
    let (target, target_rt) = match scale_target(cluster, &ns, target_ref) {
        Ok(found) => found,
        Err(e) => {
            emit(cluster, &hpa, "Warning", "FailedGetScale", &e);
            status.set(
                "AbleToScale",
                "False",
                "FailedGetScale",
                &format!("the HPA controller was unable to get the target's current scale: {e}"),
            );
            write_status(cluster, rt, &hpa, &status, None);
            return;
        }
    };
    status.set(
        "AbleToScale",
        "True",
        "SucceededGetScale",
        "the HPA controller was able to get the target's current scale",
    );
    let current = target
        .pointer("/spec/replicas")
        .and_then(Value::as_i64)
        .unwrap_or(1) as i32;
    cluster
        .controllers
        .hpa
        .recommendations
        .entry(key.to_string())
        .or_insert_with(|| vec![(current, now)]);
    let min = hpa
        .pointer("/spec/minReplicas")
        .and_then(Value::as_i64)
        .unwrap_or(1) as i32;
    let max = hpa
        .pointer("/spec/maxReplicas")
        .and_then(Value::as_i64)
        .unwrap_or(1) as i32;
    let mut metric_statuses = vec![];
    let (desired, reason) = if current == 0 && min != 0 {
        status.set(
            "ScalingActive",
            "False",
            "ScalingDisabled",
            "scaling is disabled since the replica count of the target is zero",
        );
        (current, String::new())
    } else if current > max {
        (
            max,
            "Current number of replicas above Spec.MaxReplicas".to_string(),
        )
    } else if current < min {
        (
            min,
            "Current number of replicas below Spec.MinReplicas".to_string(),
        )
    } else {
        let selector = Selector::from_label_selector(&target["spec"]["selector"]);
        let computed = compute_replicas(cluster, &hpa, &ns, current, &selector, &mut status);
        metric_statuses = computed.statuses;
        let Some((proposed, metric)) = computed.proposal else {
            let error = computed.error.unwrap_or_default();
            write_status(
                cluster,
                rt,
                &hpa,
                &status,
                Some(Observed::unscaled(current, &metric_statuses)),
            );
            emit(
                cluster,
                &hpa,
                "Warning",
                "FailedComputeMetricsReplicas",
                &error,
            );
            return;
        };
        let reason = if proposed > current {
            format!("{metric} above target")
        } else {
            "All metrics below target".to_string()
        };
        (
            normalize(cluster, &hpa, key, current, proposed, min, max, &mut status),
            reason,
        )
    };
    let rescale = desired != current;
    if rescale {
        let mut scaled = target.clone();
        scaled["spec"]["replicas"] = json!(desired);
        cluster.record(
            actor(),
            Component::ApiServer,
            "scale",
            format!("{}/{target_name}", target_rt.plural),
            format!(
                "scale {} {target_name} from {current} to {desired}: {reason}",
                kind.to_lowercase()
            ),
        );
        let opts = WriteOptions {
            actor: actor(),
            ..Default::default()
        };
        if let Err(e) = cluster.update(&target_rt, scaled, &opts) {
            emit(
                cluster,
                &hpa,
                "Warning",
                "FailedRescale",
                &format!(
                    "New size: {desired}; reason: {reason}; error: {}",
                    e.message
                ),
            );
            status.set(
                "AbleToScale",
                "False",
                "FailedUpdateScale",
                &format!(
                    "the HPA controller was unable to update the target scale: {}",
                    e.message
                ),
            );
            write_status(
                cluster,
                rt,
                &hpa,
                &status,
                Some(Observed::unscaled(current, &metric_statuses)),
            );
            return;
        }
        status.set(
            "AbleToScale",
            "True",
            "SucceededRescale",
            &format!("the HPA controller was able to update the target scale to {desired}"),
        );
        emit(
            cluster,
            &hpa,
            "Normal",
            "SuccessfulRescale",
            &format!("New size: {desired}; reason: {reason}"),
        );
        store_scale_event(cluster, &hpa, key, current, desired);
    }
    let shown = if rescale { desired } else { current };
    write_status(
        cluster,
        rt,
        &hpa,
        &status,
        Some(Observed {
            current,
            desired: Some(shown),
            rescaled: rescale,
            metrics: &metric_statuses,
        }),
    );
}

/// The scale subresource of `scaleTargetRef`: the target object and its type.
fn scale_target(
    cluster: &Cluster,
    ns: &str,
    target_ref: &Value,
) -> Result<(Value, ResourceType), String> {
    let (api_version, kind) = (
        str_at(target_ref, "/apiVersion"),
        str_at(target_ref, "/kind"),
    );
    let Some(trt) = cluster.registry.for_kind(api_version, kind).cloned() else {
        let group = crate::sim::resources::split_api_version(api_version).0;
        return Err(format!(
            "no matches for kind \"{kind}\" in group \"{group}\""
        ));
    };
    if !matches!(
        trt.plural.as_str(),
        "deployments" | "replicasets" | "statefulsets" | "replicationcontrollers"
    ) {
        return Err(format!(
            "{} \"{}\" could not find the requested resource",
            trt.group_resource(),
            str_at(target_ref, "/name")
        ));
    }
    let target = cluster
        .get(&trt, ns, str_at(target_ref, "/name"))
        .map_err(|e| e.message.clone())?
        .clone();
    Ok((target, trt))
}

/// What `computeReplicasForMetrics` found.
struct Computed {
    /// The highest proposal and the metric that made it, if any metric was valid.
    proposal: Option<(i32, String)>,
    statuses: Vec<Value>,
    error: Option<String>,
}

/// `computeReplicasForMetrics`: each metric's proposal, the largest wins; a failing
/// metric gets its event and condition, and fails the whole computation when all fail.
fn compute_replicas(
    cluster: &mut Cluster,
    hpa: &Value,
    ns: &str,
    current: i32,
    selector: &Selector,
    status: &mut Status,
) -> Computed {
    let specs = metric_specs(hpa);
    let mut statuses = vec![];
    let mut best: Option<(i32, String)> = None;
    let mut first_error: Option<(String, String)> = None;
    let mut invalid = 0;
    for spec in &specs {
        match metric_proposal(cluster, hpa, ns, current, selector, spec) {
            Ok((replicas, metric_status, name)) => {
                statuses.push(metric_status);
                if best.as_ref().is_none_or(|(r, _)| replicas > *r) {
                    best = Some((replicas, name));
                }
            }
            Err(failure) => {
                statuses.push(json!({"type": ""}));
                invalid += 1;
                first_error.get_or_insert(failure);
            }
        }
    }
    let error = first_error.as_ref().map(|(outer, _)| {
        format!(
            "invalid metrics ({invalid} invalid out of {}), first error is: {outer}",
            specs.len()
        )
    });
    let all_failed = invalid >= specs.len();
    let would_shrink = invalid > 0 && best.as_ref().is_some_and(|(r, _)| *r < current);
    if all_failed || would_shrink {
        if let Some((_, inner)) = &first_error {
            status.set(
                "ScalingActive",
                "False",
                "FailedGetResourceMetric",
                &format!("the HPA was unable to compute the replica count: {inner}"),
            );
        }
        return Computed {
            proposal: None,
            statuses,
            error,
        };
    }
    if let Some((_, metric)) = &best {
        status.set(
            "ScalingActive",
            "True",
            "ValidMetricFound",
            &format!("the HPA was able to successfully calculate a replica count from {metric}"),
        );
    }
    Computed {
        proposal: best,
        statuses,
        error,
    }
}

/// One metric's proposal, or its failure as (the error computeReplicasForMetrics returns,
/// the one the condition and the `FailedGetResourceMetric` event carry).
fn metric_proposal(
    cluster: &mut Cluster,
    hpa: &Value,
    ns: &str,
    current: i32,
    selector: &Selector,
    spec: &Result<MetricSpec, String>,
) -> Result<(i32, Value, String), (String, String)> {
    let spec = spec.as_ref().map_err(|e| (e.clone(), e.clone()))?;
    resource_proposal(cluster, ns, current, selector, spec).map_err(|e| {
        let inner = format!("failed to get {} utilization: {e}", spec.resource);
        emit(cluster, hpa, "Warning", "FailedGetResourceMetric", &inner);
        let outer = format!(
            "failed to get {} resource metric value: {inner}",
            spec.resource
        );
        (outer, inner)
    })
}

/// One Resource metric: (replicas, its MetricStatus, the metric's name for reasons).
fn resource_proposal(
    cluster: &mut Cluster,
    ns: &str,
    current: i32,
    selector: &Selector,
    spec: &MetricSpec,
) -> Result<(i32, Value, String), String> {
    let usage = metrics::pod_metrics(cluster, Some(ns), selector)
        .map_err(|_| "unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server is currently unable to handle the request (get pods.metrics.k8s.io)".replace("cpu", &spec.resource))?;
    let pods_rt = cluster.registry.resolve("pods").expect("built in").clone();
    let facts: Vec<PodFacts> = cluster
        .list(&pods_rt, Some(ns))
        .into_iter()
        .filter(|p| selector.matches_object(p))
        .map(|p| pod_facts(p, &usage, spec))
        .collect();
    cluster.record(
        actor(),
        Component::ApiServer,
        "list",
        format!("{ns}/pods.metrics.k8s.io"),
        format!(
            "read {} of {} pods from metrics-server",
            spec.resource,
            facts.len()
        ),
    );
    let (target, name) = match spec.target {
        Target::Utilization(u) => (
            u,
            format!(
                "{} resource utilization (percentage of request)",
                spec.resource
            ),
        ),
        Target::AverageValue(_) => (100, format!("{} resource", spec.resource)),
    };
    let now = cluster.now();
    let proposal = replicas::resource_replicas(&spec.resource, current, target, &facts, now)?;
    let current_status = match spec.target {
        Target::Utilization(_) => {
            json!({"averageUtilization": proposal.utilization, "averageValue": milli_quantity(proposal.raw_average)})
        }
        Target::AverageValue(_) => json!({"averageValue": milli_quantity(proposal.raw_average)}),
    };
    let metric_status =
        json!({"type": "Resource", "resource": {"name": spec.resource, "current": current_status}});
    Ok((proposal.replicas, metric_status, name))
}

/// What the calculator needs of one pod, with its usage (thousandths) if measured.
fn pod_facts(pod: &Value, usage: &[metrics::PodMetrics], spec: &MetricSpec) -> PodFacts {
    let name = object::name(pod).to_string();
    let time = |p: &str| parse_rfc3339(str_at(pod, p)).map(|t| t.max(0) as Millis);
    let ready = pod
        .pointer("/status/conditions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|c| str_at(c, "/type") == "Ready")
        .map(|c| {
            let at =
                parse_rfc3339(str_at(c, "/lastTransitionTime")).map_or(0, |t| t.max(0) as Millis);
            (str_at(c, "/status") == "True", at)
        });
    let metric = usage.iter().find(|m| m.name == name).map(|m| {
        let value = match spec.resource.as_str() {
            "memory" => m.memory_bytes() as i64 * 1000,
            _ => m.cpu_millicores() as i64,
        };
        (value, m.timestamp, m.window)
    });
    let request = match spec.target {
        Target::AverageValue(v) => Ok(v),
        Target::Utilization(_) => container_requests(pod, &spec.resource),
    };
    PodFacts {
        name,
        phase: str_at(pod, "/status/phase").to_string(),
        deleting: object::is_deleting(pod),
        ready,
        start_time: time("/status/startTime"),
        request,
        metric,
    }
}

/// `calculatePodRequestsFromContainers`, in thousandths.
fn container_requests(pod: &Value, resource: &str) -> Result<i64, String> {
    let mut total = 0;
    for c in pod
        .pointer("/spec/containers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        match c
            .pointer(&format!("/resources/requests/{resource}"))
            .and_then(Value::as_str)
            .and_then(crate::sim::scheduler::parse_milli)
        {
            Some(v) => total += v,
            None => {
                return Err(format!(
                    "missing request for {resource} in container {} of Pod {}",
                    str_at(c, "/name"),
                    object::name(pod)
                ))
            }
        }
    }
    Ok(total)
}

/// `resource.NewMilliQuantity(v, DecimalSI).String()`: `240m`, `1`, `11534336`.
fn milli_quantity(v: i64) -> String {
    if v % 1000 != 0 {
        return format!("{v}m");
    }
    let mut n = v / 1000;
    for suffix in ["", "k", "M", "G", "T"] {
        if n % 1000 != 0 || n == 0 || suffix == "T" {
            return format!("{n}{suffix}");
        }
        n /= 1000;
    }
    unreachable!("the loop returns by T")
}

/// `normalizeDesiredReplicas` (no behavior) or `…WithBehaviors`.
#[allow(clippy::too_many_arguments)]
fn normalize(
    cluster: &mut Cluster,
    hpa: &Value,
    key: &str,
    current: i32,
    proposed: i32,
    min: i32,
    max: i32,
    status: &mut Status,
) -> i32 {
    let now = cluster.now();
    let state = &mut cluster.controllers.hpa;
    let recommendations = state.recommendations.entry(key.to_string()).or_default();
    let behavior = hpa.pointer("/spec/behavior").filter(|b| b.is_object());
    let (stabilized, desired, limit_reason, limit_message) = match behavior {
        None => {
            let stabilized = replicas::stabilize(recommendations, proposed, now);
            if stabilized != proposed {
                status.set("AbleToScale", "True", "ScaleDownStabilized", "recent recommendations were higher than current one, applying the highest recent recommendation");
            } else {
                status.set(
                    "AbleToScale",
                    "True",
                    "ReadyForNewScale",
                    "recommended size matches current size",
                );
            }
            let (d, r, m) = replicas::clamp(current, stabilized, min, max);
            (stabilized, d, r, m)
        }
        Some(b) => {
            let (up, down) = (rules(&b["scaleUp"], true), rules(&b["scaleDown"], false));
            let (stabilized, reason, message) = replicas::stabilize_with_behavior(
                recommendations,
                current,
                proposed,
                &up,
                &down,
                now,
            );
            if stabilized != proposed {
                status.set("AbleToScale", "True", reason, message);
            } else {
                status.set(
                    "AbleToScale",
                    "True",
                    "ReadyForNewScale",
                    "recommended size matches current size",
                );
            }
            let ups = state.scale_ups.get(key).cloned().unwrap_or_default();
            let downs = state.scale_downs.get(key).cloned().unwrap_or_default();
            let (d, r, m) = replicas::clamp_with_behavior(
                current,
                stabilized,
                min,
                max,
                &up,
                &down,
                (&ups, &downs),
                now,
            );
            (stabilized, d, r, m)
        }
    };
    let limited = if desired == stabilized {
        "False"
    } else {
        "True"
    };
    status.set("ScalingLimited", limited, limit_reason, limit_message);
    desired
}

/// One `behavior` direction, defaulted as `SetDefaults_HorizontalPodAutoscalerBehavior`
/// does (for objects stored before a default applied).
fn rules(v: &Value, up: bool) -> Rules {
    let window = v
        .get("stabilizationWindowSeconds")
        .and_then(Value::as_u64)
        .unwrap_or(if up { 0 } else { 300 });
    let default_policies = if up {
        vec![
            ("Pods".to_string(), 4, 15 * SECOND),
            ("Percent".to_string(), 100, 15 * SECOND),
        ]
    } else {
        vec![("Percent".to_string(), 100, 15 * SECOND)]
    };
    let policies = v
        .get("policies")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .map(|p| {
                    (
                        str_at(p, "/type").to_string(),
                        p.get("value").and_then(Value::as_i64).unwrap_or(0) as i32,
                        p.get("periodSeconds").and_then(Value::as_u64).unwrap_or(15) * SECOND,
                    )
                })
                .collect()
        })
        .unwrap_or(default_policies);
    Rules {
        stabilization: window * SECOND,
        select: v
            .get("selectPolicy")
            .and_then(Value::as_str)
            .unwrap_or("Max")
            .to_string(),
        policies,
    }
}

/// `storeScaleEvent`: remembered only for HPAs with a behavior (its policies' periods).
fn store_scale_event(cluster: &mut Cluster, hpa: &Value, key: &str, from: i32, to: i32) {
    if hpa.pointer("/spec/behavior").is_none_or(|b| !b.is_object()) {
        return;
    }
    let now = cluster.now();
    let state = &mut cluster.controllers.hpa;
    let list = if to > from {
        state.scale_ups.entry(key.to_string()).or_default()
    } else {
        state.scale_downs.entry(key.to_string()).or_default()
    };
    // Older than the longest policy period (30 min at most) can go.
    list.retain(|(_, at)| *at + 30 * 60 * SECOND > now);
    list.push(((to - from).abs(), now));
}

/// What a sync saw of the target, for the status: its replicas, the desired count (kept
/// from the last sync when the metrics failed), whether it rescaled, the metrics.
struct Observed<'a> {
    current: i32,
    desired: Option<i32>,
    rescaled: bool,
    metrics: &'a [Value],
}

impl<'a> Observed<'a> {
    /// A sync that did not rescale (its metrics or its rescale failed).
    fn unscaled(current: i32, metrics: &'a [Value]) -> Observed<'a> {
        Observed {
            current,
            desired: None,
            rescaled: false,
            metrics,
        }
    }
}

/// Writes the status: conditions, and (when the metrics were looked at) current
/// replicas, desired replicas with whether this sync rescaled, and the current metrics.
/// v1-shaped objects get the v1 status fields.
fn write_status(
    cluster: &mut Cluster,
    rt: &ResourceType,
    hpa: &Value,
    status: &Status,
    observed: Option<Observed>,
) {
    let mut new = hpa.get("status").cloned().unwrap_or_else(|| json!({}));
    if !new.is_object() {
        new = json!({});
    }
    let v1 = object::api_version(hpa) == "autoscaling/v1";
    if let Some(observed) = observed {
        new["currentReplicas"] = json!(observed.current);
        if let Some(desired) = observed.desired {
            new["desiredReplicas"] = json!(desired);
        } else if new.get("desiredReplicas").is_none() {
            new["desiredReplicas"] = json!(0);
        }
        if observed.rescaled {
            new["lastScaleTime"] = json!(rfc3339(status.now));
        }
        let metric_statuses = observed.metrics;
        if v1 {
            let utilization = metric_statuses
                .first()
                .and_then(|m| m.pointer("/resource/current/averageUtilization"))
                .cloned();
            match utilization {
                Some(u) => new["currentCPUUtilizationPercentage"] = u,
                None => {
                    if let Some(m) = new.as_object_mut() {
                        m.remove("currentCPUUtilizationPercentage");
                    }
                }
            }
        } else {
            new["currentMetrics"] = json!(metric_statuses);
        }
    }
    if !v1 {
        new["conditions"] = json!(status.conditions);
    }
    let (ns, name) = (
        object::namespace(hpa).to_string(),
        object::name(hpa).to_string(),
    );
    let _ = cluster.update_status(rt, &ns, &name, new, actor());
}
