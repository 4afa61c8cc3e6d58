//! DefaultPreemption (pkg/scheduler/framework/plugins/defaultpreemption and
//! framework/preemption): when a pod fits nowhere, find the nodes where deleting
//! lower-priority pods would let it fit, keep as few victims as possible on each (most
//! important pods are reprieved first), pick the node whose victims matter least, delete
//! them — each gets the `DisruptionTarget` condition and a `Preempted` event — and
//! nominate that node in the pod's `status.nominatedNodeName`. The pod is bound there on a
//! later attempt, once its victims are gone.
//!
//! Not modelled: PodDisruptionBudgets among the candidate criteria (the real scheduler
//! prefers nodes whose victims violate fewer budgets, but still preempts), and the
//! "latest start time" tie-break; ties go to the first candidate from a random offset.

use super::{filter, BoundPod, Cycle, NamespaceLabels, NodeInfo, Rejection};
use crate::sim::apiserver::DeleteOptions;
use crate::sim::cluster::Cluster;
use crate::sim::events::EventSource;
use crate::sim::json::json;
use crate::sim::messages::Component;
use crate::sim::object;
use crate::sim::sort::SharedSort;
use crate::sim::time::rfc3339;
use serde_json::Value;
use std::collections::BTreeMap;

pub const NO_VICTIMS: &str = "No preemption victims found for incoming pod";
pub const NOT_HELPFUL: &str = "Preemption is not helpful for scheduling";

/// What the PostFilter step came to.
pub enum Outcome {
    /// Victims were deleted on this node; the pod waits for them.
    Nominated(String),
    /// Why preemption cannot help (the text after `preemption: `).
    Failed(String),
}

/// `corev1helpers.PodPriority`.
pub fn priority(pod: &Value) -> i64 {
    object::at(pod, "/spec/priority")
        .and_then(Value::as_i64)
        .unwrap_or(0)
}

/// `DefaultPreemption.PostFilter` for a pod the filters rejected everywhere; `rejected`
/// holds each node's index in `infos` and why it was filtered out.
pub fn preempt(
    cluster: &mut Cluster,
    pod: &Value,
    infos: &[NodeInfo],
    rejected: &[(usize, Rejection)],
    namespaces: &NamespaceLabels,
) -> Outcome {
    if let Some(why) = not_eligible(pod, infos) {
        return Outcome::Failed(why.to_string());
    }
    let mut statuses: BTreeMap<String, usize> = BTreeMap::new();
    let potential: Vec<usize> = rejected
        .iter()
        .filter(|(_, r)| r.resolvable)
        .map(|(i, _)| *i)
        .collect();
    *statuses.entry(NOT_HELPFUL.to_string()).or_default() += rejected.len() - potential.len();
    statuses.retain(|_, n| *n > 0);
    // DryRunPreemption starts at a random offset among the nodes worth trying.
    let offset = if potential.len() > 1 {
        cluster.rng.below(potential.len() as u64) as usize
    } else {
        0
    };
    let mut candidates: Vec<(usize, Vec<Victim>)> = vec![];
    for k in 0..potential.len() {
        let index = potential[(offset + k) % potential.len()];
        match select_victims(pod, infos, index, namespaces) {
            Ok(victims) => candidates.push((index, victims)),
            Err(reasons) => {
                for r in reasons {
                    *statuses.entry(r).or_default() += 1;
                }
            }
        }
    }
    let Some((index, victims)) = pick(candidates) else {
        let mut parts: Vec<String> = statuses.iter().map(|(r, n)| format!("{n} {r}")).collect();
        parts.sort_shared();
        return Outcome::Failed(format!(
            "0/{} nodes are available: {}.",
            infos.len(),
            parts.join(", ")
        ));
    };
    let node = infos[index].name.clone();
    evict_victims(cluster, pod, &node, &victims);
    Outcome::Nominated(node)
}

/// `PodEligibleToPreemptOthers`.
fn not_eligible(pod: &Value, infos: &[NodeInfo]) -> Option<&'static str> {
    if object::str_at(pod, "/spec/preemptionPolicy") == "Never" {
        return Some("not eligible due to preemptionPolicy=Never.");
    }
    // A pod that already preempted waits while its victims on the nominated node finish.
    let nominated = object::str_at(pod, "/status/nominatedNodeName");
    let terminating = infos.iter().filter(|i| i.name == nominated).any(|i| {
        i.bound
            .values()
            .any(|p| p.deleting && p.priority < priority(pod))
    });
    terminating.then_some("not eligible due to a terminating pod on the nominated node.")
}

/// A victim: its uid and what the scheduler knew of it.
type Victim = (String, BoundPod);

/// `SelectVictimsOnNode`: remove every lower-priority pod; if the pod then fits, add them
/// back most important first (higher priority, then earlier start), keeping as victims
/// only those whose return would make it not fit.
fn select_victims(
    pod: &Value,
    infos: &[NodeInfo],
    index: usize,
    namespaces: &NamespaceLabels,
) -> Result<Vec<Victim>, Vec<String>> {
    let mut lower: Vec<Victim> = infos[index]
        .bound
        .iter()
        .filter(|(_, p)| p.priority < priority(pod))
        .map(|(uid, p)| (uid.clone(), p.clone()))
        .collect();
    if lower.is_empty() {
        return Err(vec![NO_VICTIMS.to_string()]);
    }
    let mut nodes = infos.to_vec();
    for (uid, _) in &lower {
        nodes[index].remove(uid);
    }
    let fits = |nodes: &[NodeInfo]| filter(&Cycle::new(pod, nodes, namespaces), &nodes[index]);
    if let Err(rejection) = fits(&nodes) {
        return Err(rejection.reasons);
    }
    lower.sort_shared_by(|(_, a), (_, b)| {
        b.priority
            .cmp(&a.priority)
            .then_with(|| a.start_time.cmp(&b.start_time))
    });
    let mut victims = vec![];
    for (uid, p) in lower {
        nodes[index].add(&uid, p.clone());
        if fits(&nodes).is_err() {
            nodes[index].remove(&uid);
            victims.push((uid, p));
        }
    }
    Ok(victims)
}

/// `pickOneNodeForPreemption`: the lowest highest-priority victim, then the lowest sum
/// of priorities, then the fewest victims, then the first candidate.
fn pick(candidates: Vec<(usize, Vec<Victim>)>) -> Option<(usize, Vec<Victim>)> {
    // Priorities are shifted by MaxInt32 + 1 before summing, so negative ones still add.
    let key = |victims: &Vec<Victim>| {
        let highest = victims
            .iter()
            .map(|(_, p)| p.priority)
            .max()
            .unwrap_or(i64::MIN);
        let sum: i64 = victims
            .iter()
            .map(|(_, p)| p.priority + i64::from(i32::MAX) + 1)
            .sum();
        (highest, sum, victims.len())
    };
    let best = candidates.iter().map(|(_, v)| key(v)).min()?;
    candidates.into_iter().find(|(_, v)| key(v) == best)
}

/// `prepareCandidate`: each victim gets `DisruptionTarget` (PreemptionByScheduler), is
/// deleted gracefully, and gets the `Preempted` event.
fn evict_victims(cluster: &mut Cluster, pod: &Value, node: &str, victims: &[Victim]) {
    let rt = cluster.registry.resolve("pods").expect("built in").clone();
    let scheduler = match object::str_at(pod, "/spec/schedulerName") {
        "" => "default-scheduler",
        s => s,
    };
    let names: Vec<&str> = victims.iter().map(|(_, v)| v.name.as_str()).collect();
    cluster.record(
        Component::Scheduler,
        Component::ApiServer,
        "preempt",
        format!("pod/{}", object::name(pod)),
        format!(
            "preempting {} on {node} for {} (priority {})",
            names.join(", "),
            object::name(pod),
            priority(pod)
        ),
    );
    for (uid, victim) in victims {
        let (ns, name) = (victim.namespace.as_str(), victim.name.as_str());
        let Some(current) = cluster
            .get(&rt, ns, name)
            .ok()
            .filter(|p| object::uid(p) == uid)
            .cloned()
        else {
            continue;
        };
        {
            let mut status = current.get("status").cloned().unwrap_or(json!({}));
            super::set_condition(
                &mut status,
                json!({"lastProbeTime": null, "lastTransitionTime": rfc3339(cluster.now),
                    "message": format!("{scheduler}: preempting to accommodate a higher priority pod"),
                    "reason": "PreemptionByScheduler", "status": "True", "type": "DisruptionTarget"}),
            );
            let _ = cluster.update_status(&rt, ns, name, status, Component::Scheduler);
        }
        let opts = DeleteOptions {
            actor: Component::Scheduler,
            ..Default::default()
        };
        if cluster.delete(&rt, ns, name, &opts).is_ok() {
            cluster.emit_event(
                &current,
                "Normal",
                "Preempted",
                &format!("Preempted by pod {} on node {node}", object::uid(pod)),
                &EventSource::component(scheduler),
                Component::Scheduler,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{node, place, pod};
    use super::*;
    use crate::sim::json::json;

    fn with(priority: i64, cpu: &str) -> Value {
        json!({"priority": priority, "containers": [{"name": "c", "image": "nginx",
            "resources": {"requests": {"cpu": cpu}}}]})
    }

    fn sized(name: &str, priority: i64, cpu: &str) -> Value {
        let mut p = pod(name, &[], json!({}));
        p["spec"] = with(priority, cpu);
        p
    }

    #[test]
    fn victims_are_the_fewest_lower_priority_pods() {
        // A 4-CPU node holding 1 + 1 + 2 CPUs at priorities 10, 20, 30; the incoming pod
        // (priority 100) needs 2 CPUs: removing the 2-CPU pod alone would do, but it is the
        // most important, so it is reprieved first and the two 1-CPU pods go.
        let mut info = node("w1", &[]);
        for p in [
            sized("a", 10, "1"),
            sized("b", 20, "1"),
            sized("c", 30, "2"),
        ] {
            place(&mut info, &p);
        }
        let incoming = sized("vip", 100, "2");
        let nodes = vec![info];
        let victims = select_victims(&incoming, &nodes, 0, &NamespaceLabels::new())
            .expect("preemption helps");
        let names: Vec<&str> = victims.iter().map(|(_, v)| v.name.as_str()).collect();
        // (In reprieve order: most important first.)
        assert_eq!(names, ["b", "a"]);
        // Equal priority is never preempted.
        let peer = sized("peer", 10, "4");
        assert_eq!(
            select_victims(&peer, &nodes, 0, &NamespaceLabels::new()).err(),
            Some(vec![NO_VICTIMS.to_string()])
        );
        // Even with every lower pod gone the pod does not fit: the filter's reason.
        let giant = sized("giant", 100, "8");
        assert_eq!(
            select_victims(&giant, &nodes, 0, &NamespaceLabels::new()).err(),
            Some(vec!["Insufficient cpu".to_string()])
        );
    }

    #[test]
    fn pick_prefers_the_least_important_victims() {
        let victim = |name: &str, priority: i64| {
            (name.to_string(), BoundPod::of(&sized(name, priority, "1")))
        };
        let candidates = vec![
            (0, vec![victim("x", 50)]),
            (1, vec![victim("y", 10), victim("z", 10)]),
            (2, vec![victim("w", 10)]),
        ];
        // Lowest highest-priority first (10 beats 50), then the smaller sum (one pod).
        assert_eq!(pick(candidates).map(|(i, _)| i), Some(2));
    }

    #[test]
    fn eligibility() {
        let mut never = sized("p", 100, "1");
        never["spec"]["preemptionPolicy"] = json!("Never");
        assert_eq!(
            not_eligible(&never, &[]),
            Some("not eligible due to preemptionPolicy=Never.")
        );
        let mut info = node("w1", &[]);
        let mut going = sized("old", 1, "1");
        going["metadata"]["deletionTimestamp"] = json!("2026-01-01T00:00:30Z");
        place(&mut info, &going);
        let mut waiting = sized("p", 100, "1");
        waiting["status"] = json!({"nominatedNodeName": "w1"});
        assert_eq!(
            not_eligible(&waiting, &[info]),
            Some("not eligible due to a terminating pod on the nominated node.")
        );
    }
}
