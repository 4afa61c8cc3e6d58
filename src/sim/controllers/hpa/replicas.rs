//! The arithmetic of the HorizontalPodAutoscaler, ported from
//! pkg/controller/podautoscaler: `GetResourceReplicas` and `groupPods`
//! (replica_calculator.go), `GetResourceUtilizationRatio` (metrics/utilization.go), and
//! the normalisation of horizontal.go — the 5-minute downscale stabilisation, the
//! scale-up limit (`max(2 × current, 4)`) and min/max clamps, or the `behavior` policies.
//! Pure functions over plain values, so the table tests below pin every edge.
//!
//! Worked example (the walkthrough): 2 pods requesting 200m use 240m each against a 50%
//! target: utilization = 480 × 100 / 400 = 120%, ratio 120 / 50 = 2.4, outside the 10%
//! tolerance, so desired = ceil(2.4 × 2) = 5.

use crate::sim::time::{Millis, SECOND};

/// `--horizontal-pod-autoscaler-tolerance`.
pub const TOLERANCE: f64 = 0.1;
/// `--horizontal-pod-autoscaler-cpu-initialization-period`.
pub const CPU_INITIALIZATION_PERIOD: Millis = 5 * 60 * SECOND;
/// `--horizontal-pod-autoscaler-initial-readiness-delay`.
pub const INITIAL_READINESS_DELAY: Millis = 30 * SECOND;
/// `--horizontal-pod-autoscaler-downscale-stabilization`.
pub const DOWNSCALE_STABILISATION: Millis = 5 * 60 * SECOND;

/// What the calculator needs to know of one pod the HPA's selector matches.
#[derive(Debug, Clone, PartialEq)]
pub struct PodFacts {
    pub name: String,
    /// `Pending`, `Running`, `Succeeded`, `Failed`.
    pub phase: String,
    pub deleting: bool,
    /// The Ready condition: (is it True, its lastTransitionTime).
    pub ready: Option<(bool, Millis)>,
    pub start_time: Option<Millis>,
    /// The sum of the containers' requests for the resource, or the container missing one.
    pub request: Result<i64, String>,
    /// The pod's usage from the Metrics API: (value, timestamp, window).
    pub metric: Option<(i64, Millis, Millis)>,
}

/// The calculator's answer: replicas, current utilization (percent) and raw average.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Proposal {
    pub replicas: i32,
    pub utilization: i32,
    pub raw_average: i64,
}

fn within_tolerance(ratio: f64) -> bool {
    ((1.0 - TOLERANCE)..=(1.0 + TOLERANCE)).contains(&ratio)
}

/// `GetResourceUtilizationRatio`: (ratio, utilization %, average raw value).
fn utilization_ratio(samples: &[(i64, i64)], target: i32) -> Result<(f64, i32, i64), String> {
    let metrics: i64 = samples.iter().map(|(v, _)| v).sum();
    let requests: i64 = samples.iter().map(|(_, r)| r).sum();
    if requests == 0 {
        return Err("no metrics returned matched known pods".to_string());
    }
    let utilization = (metrics * 100 / requests) as i32;
    Ok((
        f64::from(utilization) / f64::from(target),
        utilization,
        metrics / samples.len() as i64,
    ))
}

/// `GetResourceReplicas` for a utilization target, the resource being CPU (whose samples
/// from pods still starting up are set aside).
pub fn resource_replicas(
    resource: &str,
    current: i32,
    target: i32,
    pods: &[PodFacts],
    now: Millis,
) -> Result<Proposal, String> {
    if pods.iter().all(|p| p.metric.is_none()) {
        return Err(format!(
            "unable to get metrics for resource {resource}: no metrics returned from resource metrics API"
        ));
    }
    if pods.is_empty() {
        return Err("no pods returned by selector while calculating replica count".to_string());
    }
    let (mut ready_count, mut unready, mut missing) = (0usize, vec![], vec![]);
    let mut metrics: Vec<(&PodFacts, i64)> = vec![];
    for p in pods {
        if p.deleting || p.phase == "Failed" {
            continue; // ignored
        }
        if p.phase == "Pending" {
            unready.push(p);
            continue;
        }
        let Some((value, timestamp, window)) = p.metric else {
            missing.push(p);
            continue;
        };
        if resource == "cpu" && cpu_sample_unready(p, timestamp, window, now) {
            unready.push(p);
            continue;
        }
        ready_count += 1;
        metrics.push((p, value));
    }
    if metrics.is_empty() {
        return Err(
            "did not receive metrics for targeted pods (pods might be unready)".to_string(),
        );
    }
    // `calculateRequests` runs over every pod the selector matched.
    for p in pods {
        if let Err(e) = &p.request {
            return Err(e.clone());
        }
    }
    let request = |p: &PodFacts| p.request.clone().unwrap_or(0);
    let samples: Vec<(i64, i64)> = metrics.iter().map(|(p, v)| (*v, request(p))).collect();
    let (ratio, utilization, raw_average) = utilization_ratio(&samples, target)?;
    let answer = |replicas: i32| Proposal {
        replicas,
        utilization,
        raw_average,
    };
    let scale_up_with_unready = !unready.is_empty() && ratio > 1.0;
    if !scale_up_with_unready && missing.is_empty() {
        if within_tolerance(ratio) {
            return Ok(answer(current));
        }
        return Ok(answer((ratio * ready_count as f64).ceil() as i32));
    }
    let mut samples = samples;
    if ratio < 1.0 {
        // On a scale-down, a pod without metrics counts as using its whole request
        // (or the target, if that is above 100%).
        let fallback = i64::from(target.max(100));
        samples.extend(
            missing
                .iter()
                .map(|p| (request(p) * fallback / 100, request(p))),
        );
    } else if ratio > 1.0 {
        // On a scale-up, as using nothing.
        samples.extend(missing.iter().map(|p| (0, request(p))));
    }
    if scale_up_with_unready {
        samples.extend(unready.iter().map(|p| (0, request(p))));
    }
    let (new_ratio, _, _) = utilization_ratio(&samples, target)?;
    if within_tolerance(new_ratio)
        || (ratio < 1.0 && new_ratio > 1.0)
        || (ratio > 1.0 && new_ratio < 1.0)
    {
        return Ok(answer(current));
    }
    let replicas = (new_ratio * samples.len() as f64).ceil() as i32;
    if (new_ratio < 1.0 && replicas > current) || (new_ratio > 1.0 && replicas < current) {
        return Ok(answer(current));
    }
    Ok(answer(replicas))
}

/// `groupPods` for CPU: a sample is not trusted while the pod is unready, or (within
/// the initialisation period) before a full window has passed since it became ready.
fn cpu_sample_unready(p: &PodFacts, timestamp: Millis, window: Millis, now: Millis) -> bool {
    let (Some((ready, transition)), Some(start)) = (p.ready, p.start_time) else {
        return true;
    };
    if start + CPU_INITIALIZATION_PERIOD > now {
        !ready || timestamp < transition + window
    } else {
        !ready && start + INITIAL_READINESS_DELAY > transition
    }
}

/// A recommendation and when it was made.
pub type Recommendation = (i32, Millis);

/// `stabilizeRecommendation`: the highest recommendation of the window (this one
/// included), recording this one in place of the oldest expired sample.
pub fn stabilize(recommendations: &mut Vec<Recommendation>, desired: i32, now: Millis) -> i32 {
    let mut max = desired;
    let mut old = None;
    for (i, (rec, at)) in recommendations.iter().enumerate() {
        if *at + DOWNSCALE_STABILISATION < now {
            old = Some(i);
        } else if *rec > max {
            max = *rec;
        }
    }
    match old {
        Some(i) => recommendations[i] = (desired, now),
        None => recommendations.push((desired, now)),
    }
    max
}

/// `convertDesiredReplicasWithRules`: (replicas, condition reason, message).
pub fn clamp(current: i32, desired: i32, min: i32, max: i32) -> (i32, &'static str, &'static str) {
    let scale_up_limit = (2 * current).max(4);
    let (maximum, reason, message) = if max > scale_up_limit {
        (
            scale_up_limit,
            "ScaleUpLimit",
            "the desired replica count is increasing faster than the maximum scale rate",
        )
    } else {
        (
            max,
            "TooManyReplicas",
            "the desired replica count is more than the maximum replica count",
        )
    };
    if desired < min {
        return (
            min,
            "TooFewReplicas",
            "the desired replica count is less than the minimum replica count",
        );
    }
    if desired > maximum {
        return (maximum, reason, message);
    }
    (
        desired,
        "DesiredWithinRange",
        "the desired count is within the acceptable range",
    )
}

/// One `behavior` direction (`scaleUp`/`scaleDown`), defaulted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rules {
    pub stabilization: Millis,
    /// `Max`, `Min` or `Disabled`.
    pub select: String,
    /// (`Pods` or `Percent`, value, period).
    pub policies: Vec<(String, i32, Millis)>,
}

/// A replica change made at a time (positive either way; the direction is the list's).
pub type ScaleEvent = (i32, Millis);

fn changed_within(events: &[ScaleEvent], period: Millis, now: Millis) -> i32 {
    events
        .iter()
        .filter(|(_, at)| *at + period > now)
        .map(|(n, _)| n)
        .sum()
}

/// `stabilizeRecommendationWithBehaviors`: (replicas, reason, message).
pub fn stabilize_with_behavior(
    recommendations: &mut Vec<Recommendation>,
    current: i32,
    desired: i32,
    up: &Rules,
    down: &Rules,
    now: Millis,
) -> (i32, &'static str, &'static str) {
    let (mut up_rec, mut down_rec) = (desired, desired);
    let mut old = None;
    for (i, (rec, at)) in recommendations.iter().enumerate() {
        if *at + up.stabilization > now {
            up_rec = up_rec.min(*rec);
        }
        if *at + down.stabilization > now {
            down_rec = down_rec.max(*rec);
        }
        if *at + up.stabilization < now && *at + down.stabilization < now {
            old = Some(i);
        }
    }
    let recommendation = current.max(up_rec).min(down_rec);
    match old {
        Some(i) => recommendations[i] = (desired, now),
        None => recommendations.push((desired, now)),
    }
    if desired >= current {
        (recommendation, "ScaleUpStabilized", "recent recommendations were lower than current one, applying the lowest recent recommendation")
    } else {
        (recommendation, "ScaleDownStabilized", "recent recommendations were higher than current one, applying the highest recent recommendation")
    }
}

/// `convertDesiredReplicasWithBehaviorRate`: the policies' limit on one step.
#[allow(clippy::too_many_arguments)]
pub fn clamp_with_behavior(
    current: i32,
    desired: i32,
    min: i32,
    max: i32,
    up: &Rules,
    down: &Rules,
    (ups, downs): (&[ScaleEvent], &[ScaleEvent]),
    now: Millis,
) -> (i32, &'static str, &'static str) {
    let limit = |rules: &Rules, growing: bool| -> i32 {
        if rules.select == "Disabled" {
            return current;
        }
        let pick_min = (rules.select == "Min") == growing;
        let mut result = if pick_min { i32::MAX } else { i32::MIN };
        for (kind, value, period) in &rules.policies {
            let start =
                current - changed_within(ups, *period, now) + changed_within(downs, *period, now);
            let proposed = match (kind.as_str(), growing) {
                ("Pods", true) => start + value,
                ("Percent", true) => {
                    (f64::from(start) * (1.0 + f64::from(*value) / 100.0)).ceil() as i32
                }
                ("Pods", false) => start - value,
                _ => (f64::from(start) * (1.0 - f64::from(*value) / 100.0)) as i32,
            };
            result = if pick_min {
                result.min(proposed)
            } else {
                result.max(proposed)
            };
        }
        result
    };
    if desired > current {
        let up_limit = limit(up, true).max(current);
        let (maximum, reason, message) = if max > up_limit {
            (
                up_limit,
                "ScaleUpLimit",
                "the desired replica count is increasing faster than the maximum scale rate",
            )
        } else {
            (
                max,
                "TooManyReplicas",
                "the desired replica count is more than the maximum replica count",
            )
        };
        if desired > maximum {
            return (maximum, reason, message);
        }
    } else if desired < current {
        let down_limit = limit(down, false).min(current);
        let (minimum, reason, message) = if min < down_limit {
            (
                down_limit,
                "ScaleDownLimit",
                "the desired replica count is decreasing faster than the maximum scale rate",
            )
        } else {
            (
                min,
                "TooFewReplicas",
                "the desired replica count is less than the minimum replica count",
            )
        };
        if desired < minimum {
            return (minimum, reason, message);
        }
    }
    (
        desired,
        "DesiredWithinRange",
        "the desired count is within the acceptable range",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::time::MINUTE;

    /// A Running, long-ready pod requesting `request` and using `usage` (None: no metrics).
    fn pod(name: &str, request: i64, usage: Option<i64>) -> PodFacts {
        PodFacts {
            name: name.into(),
            phase: "Running".into(),
            deleting: false,
            ready: Some((true, 0)),
            start_time: Some(0),
            request: Ok(request),
            metric: usage.map(|u| (u, 20 * MINUTE, 15 * SECOND)),
        }
    }

    fn replicas(current: i32, target: i32, pods: &[PodFacts]) -> Result<i32, String> {
        resource_replicas("cpu", current, target, pods, 20 * MINUTE).map(|p| p.replicas)
    }

    #[test]
    fn desired_is_ceil_of_current_times_ratio_outside_the_tolerance() {
        // (usage per pod of a 200m request, pods, target %) → desired.
        let cases = [
            (240, 2, 50, 5), // 120% / 50% = 2.4 → ceil(4.8)
            (100, 2, 50, 2), // exactly on target
            (110, 2, 50, 2), // 55%: ratio 1.1, the tolerance's edge, stays
            (112, 2, 50, 3), // 56%: ratio 1.12 → ceil(2.24)
            (90, 4, 50, 4),  // 45%: ratio 0.9, the lower edge, stays
            (88, 4, 50, 4),  // 44%: ratio 0.88 → ceil(3.52) = 4
            (60, 4, 50, 3),  // 30%: ratio 0.6 → ceil(2.4)
            (0, 5, 50, 0),   // idle: the clamps raise it to minReplicas later
            (500, 1, 50, 5), // 250% → 5
        ];
        for (usage, n, target, want) in cases {
            let pods: Vec<PodFacts> = (0..n)
                .map(|i| pod(&format!("p{i}"), 200, Some(usage)))
                .collect();
            assert_eq!(
                replicas(n, target, &pods),
                Ok(want),
                "usage {usage} × {n} at {target}%"
            );
        }
    }

    #[test]
    fn utilization_is_integer_percent_of_the_summed_requests() {
        let pods = [pod("a", 200, Some(241)), pod("b", 200, Some(240))];
        let p = resource_replicas("cpu", 2, 50, &pods, 20 * MINUTE).unwrap();
        assert_eq!((p.utilization, p.raw_average, p.replicas), (120, 240, 5));
    }

    #[test]
    fn missing_pods_count_as_idle_on_scale_up_and_full_on_scale_down() {
        // Scale up: 2 measured pods at 150%, one new pod without metrics counts as 0:
        // (300+300+0)/600 = 100% of request → ratio 2.0 → ceil(2.0 × 3) = 6.
        let up = [
            pod("a", 200, Some(300)),
            pod("b", 200, Some(300)),
            pod("c", 200, None),
        ];
        assert_eq!(replicas(3, 50, &up), Ok(6));
        // Scale down: measured at 10%, the missing pod counts as 100%: (20+20+200)/600 =
        // 40% → ratio 0.8 → ceil(2.4) = 3, which is not below current: stays 3.
        let down = [
            pod("a", 200, Some(20)),
            pod("b", 200, Some(20)),
            pod("c", 200, None),
        ];
        assert_eq!(replicas(3, 50, &down), Ok(3));
    }

    #[test]
    fn starting_pods_are_set_aside_for_cpu() {
        let mut fresh = pod("new", 200, Some(400));
        fresh.start_time = Some(19 * MINUTE);
        fresh.ready = Some((true, 20 * MINUTE - 5 * SECOND)); // ready 5 s ago, window 15 s
        let pods = [pod("a", 200, Some(240)), fresh];
        // "new" is unready: 240/200 = 120% → ratio 2.4 > 1, so it counts as 0:
        // (240 + 0)/400 = 60% → ratio 1.2 → ceil(1.2 × 2) = 3.
        assert_eq!(replicas(2, 50, &pods), Ok(3));
    }

    #[test]
    fn errors_are_worded_as_the_controller_words_them() {
        assert_eq!(
            replicas(2, 50, &[pod("a", 200, None)]),
            Err("unable to get metrics for resource cpu: no metrics returned from resource metrics API".into())
        );
        let mut no_request = pod("web-1", 0, Some(10));
        no_request.request = Err("missing request for cpu in container nginx of Pod web-1".into());
        assert_eq!(
            replicas(1, 50, &[no_request]),
            Err("missing request for cpu in container nginx of Pod web-1".into())
        );
        let mut pending = pod("a", 200, Some(10));
        pending.phase = "Pending".into();
        assert_eq!(
            replicas(1, 50, &[pending]),
            Err("did not receive metrics for targeted pods (pods might be unready)".into())
        );
    }

    #[test]
    fn clamps_apply_min_max_and_the_scale_up_rate() {
        let cases = [
            // (current, desired, min, max) → (replicas, reason)
            ((2, 5, 1, 10), (4, "ScaleUpLimit")), // max(2×2, 4) = 4
            ((3, 5, 1, 10), (5, "DesiredWithinRange")),
            ((5, 12, 1, 10), (10, "TooManyReplicas")), // 2×5 = 10 is not below max
            ((5, 0, 2, 10), (2, "TooFewReplicas")),
            ((1, 30, 1, 50), (4, "ScaleUpLimit")),
        ];
        for ((current, desired, min, max), (want, reason)) in cases {
            let (got, r, _) = clamp(current, desired, min, max);
            assert_eq!(
                (got, r),
                (want, reason),
                "{current} → {desired} in [{min}, {max}]"
            );
        }
    }

    #[test]
    fn downscale_waits_for_the_highest_recommendation_of_five_minutes() {
        let mut recs = vec![(2, 0)];
        assert_eq!(stabilize(&mut recs, 5, 15 * SECOND), 5);
        // The load goes: recommendations drop to 1, but the 5 made at 15 s holds for
        // five minutes.
        for t in (30..=315).step_by(15) {
            assert_eq!(stabilize(&mut recs, 1, t * SECOND), 5, "at {t}s");
        }
        assert_eq!(stabilize(&mut recs, 1, 330 * SECOND), 1);
    }

    fn defaults() -> (Rules, Rules) {
        let up = Rules {
            stabilization: 0,
            select: "Max".into(),
            policies: vec![
                ("Pods".into(), 4, 15 * SECOND),
                ("Percent".into(), 100, 15 * SECOND),
            ],
        };
        let down = Rules {
            stabilization: 300 * SECOND,
            select: "Max".into(),
            policies: vec![("Percent".into(), 100, 15 * SECOND)],
        };
        (up, down)
    }

    #[test]
    fn behavior_policies_limit_each_step() {
        let (up, down) = defaults();
        // From 2: max(2 + 4, 2 × 2) = 6.
        assert_eq!(
            clamp_with_behavior(2, 9, 1, 10, &up, &down, (&[], &[]), 0).0,
            6
        );
        // Having added 4 in the last 15 s (6 now, 2 at the period's start): max(6, 4) = 6.
        assert_eq!(
            clamp_with_behavior(6, 9, 1, 10, &up, &down, (&[(4, 0)], &[]), 10 * SECOND),
            (
                6,
                "ScaleUpLimit",
                "the desired replica count is increasing faster than the maximum scale rate"
            )
        );
        let one_pod = Rules {
            policies: vec![("Pods".into(), 1, 60 * SECOND)],
            ..down.clone()
        };
        assert_eq!(
            clamp_with_behavior(5, 1, 1, 10, &up, &one_pod, (&[], &[]), 0).0,
            4
        );
        let disabled = Rules {
            select: "Disabled".into(),
            ..down
        };
        assert_eq!(
            clamp_with_behavior(5, 1, 1, 10, &up, &disabled, (&[], &[]), 0).0,
            5
        );
    }

    #[test]
    fn behavior_stabilization_keeps_the_window_extreme() {
        let (up, down) = defaults();
        let mut recs = vec![(5, 0)];
        let (r, reason, _) = stabilize_with_behavior(&mut recs, 5, 1, &up, &down, 60 * SECOND);
        assert_eq!((r, reason), (5, "ScaleDownStabilized"));
        let (r, _, _) = stabilize_with_behavior(&mut recs, 5, 1, &up, &down, 400 * SECOND);
        assert_eq!(r, 1);
    }
}
