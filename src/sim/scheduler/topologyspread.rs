//! The PodTopologySpread plugin (pkg/scheduler/framework/plugins/podtopologyspread):
//! `topologySpreadConstraints` count the pods their selector matches per domain (the
//! nodes sharing a `topologyKey` value). `DoNotSchedule` constraints filter: placing the
//! pod must not make its domain exceed the least-loaded domain by more than `maxSkew`.
//! `ScheduleAnyway` constraints score: fewer matching pods, higher score.
//!
//! A pod with no constraints of its own gets the scheduler's system defaults (hostname
//! maxSkew 3, zone maxSkew 5, both ScheduleAnyway) over the pods its Services and
//! controller select — which is what spreads a Deployment's replicas across nodes.

use super::NodeInfo;
use crate::sim::labels::{labels_of, Labels, Operator, Requirement, Selector};
use crate::sim::nodematch::{matches_node_selector, tolerates};
use crate::sim::object;
use serde_json::Value;
use std::collections::BTreeMap;

pub const CONSTRAINTS_NOT_MATCH: &str = "node(s) didn't match pod topology spread constraints";
pub const MISSING_LABEL: &str =
    "node(s) didn't match pod topology spread constraints (missing required label)";

const HOSTNAME: &str = "kubernetes.io/hostname";
const ZONE: &str = "topology.kubernetes.io/zone";

/// One `TopologySpreadConstraint`, its selector ready to match.
#[derive(Debug, Clone)]
pub struct Constraint {
    pub max_skew: i64,
    pub topology_key: String,
    pub selector: Selector,
    pub min_domains: i64,
    /// `nodeAffinityPolicy: Honor` (the default): only nodes the pod's node affinity
    /// admits count as domains.
    honor_node_affinity: bool,
    /// `nodeTaintsPolicy: Honor` (default Ignore): only nodes whose taints the pod
    /// tolerates count.
    honor_taints: bool,
    /// When the selector is exactly the pod's controller's, the controller's uid: its
    /// pods are the pods the selector matches (the controller adopts every match), so
    /// the cache's per-controller count answers without looking at each pod.
    owner: Option<String>,
}

impl Constraint {
    fn parse(pod: &Value, c: &Value) -> Constraint {
        let mut selector = c
            .get("labelSelector")
            .filter(|s| !s.is_null())
            .map(Selector::from_label_selector)
            // A constraint without a selector matches no pod.
            .unwrap_or_else(super::scoring::nothing);
        // matchLabelKeys: the pod's own values for those keys narrow the selector.
        let labels = labels_of(pod);
        for key in c
            .get("matchLabelKeys")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if let Some(v) = labels.get(key) {
                selector.requirements.push(Requirement {
                    key: key.to_string(),
                    operator: Operator::In,
                    values: vec![v.clone()],
                });
            }
        }
        Constraint {
            max_skew: c.get("maxSkew").and_then(Value::as_i64).unwrap_or(1),
            topology_key: object::str_at(c, "/topologyKey").to_string(),
            selector,
            min_domains: c.get("minDomains").and_then(Value::as_i64).unwrap_or(1),
            honor_node_affinity: object::str_at(c, "/nodeAffinityPolicy") != "Ignore",
            honor_taints: object::str_at(c, "/nodeTaintsPolicy") == "Honor",
            owner: None,
        }
    }

    /// `matchNodeInclusionPolicies`.
    fn includes(&self, pod: &Value, info: &NodeInfo) -> bool {
        let spec = pod.get("spec").unwrap_or(&Value::Null);
        if self.honor_node_affinity && !matches_node_selector(spec, &info.node) {
            return false;
        }
        if self.honor_taints {
            let tolerations: Vec<&Value> = spec
                .get("tolerations")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .collect();
            return info
                .taints
                .iter()
                .all(|taint| tolerations.iter().any(|t| tolerates(t, taint)));
        }
        true
    }

    /// `countPodsMatchSelector`: pods of the incoming pod's namespace, not terminating.
    fn count(&self, info: &NodeInfo, namespace: &str) -> i64 {
        if let Some(owner) = &self.owner {
            return info.owners.get(owner).copied().unwrap_or(0);
        }
        info.bound
            .values()
            .filter(|p| p.namespace == namespace && !p.deleting && self.selector.matches(&p.labels))
            .count() as i64
    }
}

/// The pod's own constraints with `whenUnsatisfiable` DoNotSchedule (`hard`) or
/// ScheduleAnyway.
pub fn constraints(pod: &Value, hard: bool) -> Vec<Constraint> {
    let want = if hard {
        "DoNotSchedule"
    } else {
        "ScheduleAnyway"
    };
    object::at(pod, "/spec/topologySpreadConstraints")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|c| object::str_at(c, "/whenUnsatisfiable") == want)
        .map(|c| Constraint::parse(pod, c))
        .collect()
}

/// The system default constraints (`systemDefaultConstraints`) over `selector`, the
/// pod's `DefaultSelector`; none when that selects nothing.
pub fn default_constraints(selector: Selector, owner: Option<String>) -> Vec<Constraint> {
    if selector.is_empty() {
        return vec![];
    }
    [(HOSTNAME, 3), (ZONE, 5)]
        .into_iter()
        .map(|(key, skew)| Constraint {
            max_skew: skew,
            topology_key: key.to_string(),
            selector: selector.clone(),
            min_domains: 1,
            honor_node_affinity: true,
            honor_taints: false,
            owner: owner.clone(),
        })
        .collect()
}

fn has_all_keys(labels: &Labels, constraints: &[Constraint]) -> bool {
    constraints
        .iter()
        .all(|c| labels.contains_key(&c.topology_key))
}

/// The PreFilter state for DoNotSchedule constraints: matching pods per domain.
pub struct Filter {
    constraints: Vec<Constraint>,
    /// Per constraint: topology value → matching pods.
    counts: Vec<BTreeMap<String, i64>>,
    self_match: Vec<bool>,
}

impl Filter {
    pub fn new(pod: &Value, nodes: &[NodeInfo]) -> Filter {
        let constraints = constraints(pod, true);
        let mut counts = vec![BTreeMap::new(); constraints.len()];
        if constraints.is_empty() {
            return Filter {
                constraints,
                counts,
                self_match: vec![],
            };
        }
        let namespace = object::namespace(pod);
        for info in nodes {
            let labels = &info.labels;
            if !has_all_keys(labels, &constraints) {
                continue;
            }
            for (i, c) in constraints.iter().enumerate() {
                if !c.includes(pod, info) {
                    continue;
                }
                let value = labels[&c.topology_key].clone();
                *counts[i].entry(value).or_default() += c.count(info, namespace);
            }
        }
        let pod_labels = labels_of(pod);
        Filter {
            self_match: constraints
                .iter()
                .map(|c| c.selector.matches(&pod_labels))
                .collect(),
            constraints,
            counts,
        }
    }

    /// No DoNotSchedule constraints.
    pub fn is_trivial(&self) -> bool {
        self.constraints.is_empty()
    }

    /// `Filter`: Err(reason, resolvable by preemption).
    pub fn check(&self, node: &Labels) -> Result<(), (&'static str, bool)> {
        for (i, c) in self.constraints.iter().enumerate() {
            let Some(value) = node.get(&c.topology_key) else {
                return Err((MISSING_LABEL, false));
            };
            // minDomains: with fewer domains than that, the global minimum counts as 0.
            let min = if (self.counts[i].len() as i64) < c.min_domains {
                0
            } else {
                self.counts[i].values().copied().min().unwrap_or(0)
            };
            let here = self.counts[i].get(value).copied().unwrap_or(0);
            let skew = here + i64::from(self.self_match[i]) - min;
            if skew > c.max_skew {
                return Err((CONSTRAINTS_NOT_MATCH, true));
            }
        }
        Ok(())
    }
}

/// Score for ScheduleAnyway constraints (the pod's own, or the system defaults when it has
/// none at all): per node Σ count × ln(domains + 2) + (maxSkew − 1), then reversed and
/// rescaled so the emptiest node gets 100. `None` when the plugin has nothing to say.
pub fn scores(
    pod: &Value,
    defaults: Vec<Constraint>,
    feasible: &[&NodeInfo],
    all: &[NodeInfo],
) -> Option<Vec<i64>> {
    let own = object::at(pod, "/spec/topologySpreadConstraints")
        .and_then(Value::as_array)
        .is_some_and(|c| !c.is_empty());
    let constraints = if own {
        constraints(pod, false)
    } else {
        defaults
    };
    if constraints.is_empty() {
        return None;
    }
    // System defaults do not require every topology key on a node; own constraints do.
    let require_all = own;
    let namespace = object::namespace(pod);
    let labels: Vec<&Labels> = feasible.iter().map(|i| &i.labels).collect();
    let ignored: Vec<bool> = labels
        .iter()
        .map(|l| require_all && !has_all_keys(l, &constraints))
        .collect();
    let considered = ignored.iter().filter(|i| !**i).count();
    // Per constraint (other than hostname): the domains of the feasible nodes.
    let mut domains: Vec<BTreeMap<String, i64>> = vec![BTreeMap::new(); constraints.len()];
    for (l, _) in labels.iter().zip(&ignored).filter(|(_, ig)| !**ig) {
        for (i, c) in constraints.iter().enumerate() {
            if let Some(value) = l
                .get(&c.topology_key)
                .filter(|_| c.topology_key != HOSTNAME)
            {
                domains[i].entry(value.clone()).or_default();
            }
        }
    }
    let weights: Vec<f64> = constraints
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let size = if c.topology_key == HOSTNAME {
                considered
            } else {
                domains[i].len()
            };
            ((size + 2) as f64).ln()
        })
        .collect();
    // Counted per constraint, over the nodes in one of its feasible domains; the pod's
    // node inclusion policies are asked only of those (most clusters have no zones, and
    // then the zone constraint looks at no node at all).
    for (i, c) in constraints.iter().enumerate() {
        if c.topology_key == HOSTNAME || domains[i].is_empty() {
            continue;
        }
        for info in all {
            let l = &info.labels;
            let Some(n) = l.get(&c.topology_key).and_then(|v| domains[i].get_mut(v)) else {
                continue;
            };
            if (require_all && !has_all_keys(l, &constraints)) || !c.includes(pod, info) {
                continue;
            }
            *n += c.count(info, namespace);
        }
    }
    // A constraint on a key no considered node carries adds nothing to any node's score
    // (an ignored node's is replaced by 0 below): in a cluster without zones, the zone
    // constraint is not looked up on each node.
    let scored: Vec<(usize, &Constraint, bool)> = constraints
        .iter()
        .enumerate()
        .map(|(i, c)| (i, c, c.topology_key == HOSTNAME))
        .filter(|(i, _, hostname)| *hostname || !domains[*i].is_empty())
        .collect();
    let raw: Vec<i64> = feasible
        .iter()
        .zip(&labels)
        .map(|(info, l)| {
            let mut score = 0.0;
            for &(i, c, hostname) in &scored {
                let Some(value) = l.get(&c.topology_key) else {
                    continue;
                };
                let count = if hostname {
                    c.count(info, namespace)
                } else {
                    domains[i].get(value).copied().unwrap_or(0)
                };
                score += count as f64 * weights[i] + (c.max_skew - 1) as f64;
            }
            score.round() as i64
        })
        .collect();
    let kept = || {
        raw.iter()
            .zip(&ignored)
            .filter(|(_, ig)| !**ig)
            .map(|(s, _)| *s)
    };
    let min = kept().min().unwrap_or(0);
    let max = kept().max().unwrap_or(0);
    Some(
        raw.iter()
            .zip(&ignored)
            .map(|(s, ig)| match (ig, max) {
                (true, _) => 0,
                (false, 0) => 100,
                (false, _) => 100 * (max + min - s) / max,
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::super::testing::{node, place, pod};
    use super::*;
    use crate::sim::json::json;

    fn spread(key: &str, skew: i64, when: &str, extra: Value) -> Value {
        let mut c = json!({"maxSkew": skew, "topologyKey": key, "whenUnsatisfiable": when,
            "labelSelector": {"matchLabels": {"app": "web"}}});
        if let (Some(c), Some(extra)) = (c.as_object_mut(), extra.as_object()) {
            c.extend(extra.clone());
        }
        json!({"topologySpreadConstraints": [c]})
    }

    /// Workers w1, w2 in zone-a and w3 in zone-b, with `counts[i]` web pods on worker i.
    fn cluster(counts: [usize; 3]) -> Vec<NodeInfo> {
        let zones = ["zone-a", "zone-a", "zone-b"];
        (0..3)
            .map(|i| {
                let name = format!("w{}", i + 1);
                let mut info = node(&name, &[("topology.kubernetes.io/zone", zones[i])]);
                for k in 0..counts[i] {
                    place(
                        &mut info,
                        &pod(&format!("web-{name}-{k}"), &[("app", "web")], json!({})),
                    );
                }
                info
            })
            .collect()
    }

    #[test]
    fn filter_table() {
        let ok = Ok(());
        let skewed = Err(CONSTRAINTS_NOT_MATCH);
        let zone = "topology.kubernetes.io/zone";
        let host = "kubernetes.io/hostname";
        // (case, pods per worker, constraint, verdict per worker)
        type Case = (
            &'static str,
            [usize; 3],
            Value,
            [Result<(), &'static str>; 3],
        );
        let cases: Vec<Case> = vec![
            (
                "empty cluster: anywhere",
                [0, 0, 0],
                spread(host, 1, "DoNotSchedule", json!({})),
                [ok, ok, ok],
            ),
            (
                "hostname skew 1: only the emptiest",
                [1, 1, 0],
                spread(host, 1, "DoNotSchedule", json!({})),
                [skewed, skewed, ok],
            ),
            (
                "maxSkew 2 allows one more",
                [1, 1, 0],
                spread(host, 2, "DoNotSchedule", json!({})),
                [ok, ok, ok],
            ),
            (
                "zones: zone-a holds 2, zone-b 1",
                [1, 1, 1],
                spread(zone, 1, "DoNotSchedule", json!({})),
                [skewed, skewed, ok],
            ),
            // Two zones exist; minDomains 3 makes the global minimum 0.
            (
                "minDomains above the domain count",
                [1, 0, 1],
                spread(zone, 1, "DoNotSchedule", json!({"minDomains": 3})),
                [skewed, skewed, skewed],
            ),
            (
                "ScheduleAnyway never filters",
                [3, 0, 0],
                spread(host, 1, "ScheduleAnyway", json!({})),
                [ok, ok, ok],
            ),
            (
                "a key no node has",
                [0, 0, 0],
                spread("example.com/rack", 1, "DoNotSchedule", json!({})),
                [Err(MISSING_LABEL), Err(MISSING_LABEL), Err(MISSING_LABEL)],
            ),
        ];
        for (case, counts, constraint, want) in cases {
            let nodes = cluster(counts);
            let incoming = pod("web-new", &[("app", "web")], constraint);
            let state = Filter::new(&incoming, &nodes);
            for (i, info) in nodes.iter().enumerate() {
                let got = state.check(&info.labels).map_err(|(r, _)| r);
                assert_eq!(got, want[i], "{case}: {}", info.name);
            }
        }
    }

    #[test]
    fn default_constraints_score_by_hostname() {
        // One matching pod on w1, none elsewhere; zones are ignored by the defaults'
        // hostname arithmetic: raw scores round(1·ln 5 + 2) = 4, 2, 2 → 50, 100, 100.
        let mut nodes: Vec<NodeInfo> = (1..=3).map(|i| node(&format!("w{i}"), &[])).collect();
        place(&mut nodes[0], &pod("web-1", &[("app", "web")], json!({})));
        let feasible: Vec<&NodeInfo> = nodes.iter().collect();
        let incoming = pod("web-2", &[("app", "web")], json!({}));
        let selector = Selector::from_label_selector(&json!({"matchLabels": {"app": "web"}}));
        assert_eq!(
            scores(
                &incoming,
                default_constraints(selector, None),
                &feasible,
                &nodes
            ),
            Some(vec![50, 100, 100])
        );
        // Nothing selects the pod: the plugin is skipped.
        assert_eq!(
            scores(
                &incoming,
                default_constraints(Selector::default(), None),
                &feasible,
                &nodes
            ),
            None
        );
    }
}

#[cfg(test)]
mod properties {
    use super::super::testing::{node, place, pod};
    use super::*;
    use crate::sim::json::json;
    use proptest::prelude::*;

    /// Five workers over zones a, a, b, b, c, with `counts[i]` matching pods on worker i.
    fn cluster(counts: &[usize]) -> Vec<NodeInfo> {
        let zones = ["a", "a", "b", "b", "c"];
        counts
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let name = format!("w{i}");
                let mut info = node(&name, &[("topology.kubernetes.io/zone", zones[i])]);
                for k in 0..*n {
                    place(
                        &mut info,
                        &pod(&format!("{name}-{k}"), &[("app", "web")], json!({})),
                    );
                }
                info
            })
            .collect()
    }

    fn domain_counts(nodes: &[NodeInfo], key: &str) -> BTreeMap<String, i64> {
        let mut out = BTreeMap::new();
        for info in nodes {
            let value = info.labels[key].clone();
            *out.entry(value).or_default() += info.pods;
        }
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]
        /// From any placement within maxSkew, every node the filter admits keeps the
        /// spread within maxSkew, and some node is always admitted.
        #[test]
        fn admitted_nodes_keep_the_skew(
            counts in proptest::collection::vec(0usize..4, 5),
            skew in 1i64..3,
            zonal in any::<bool>(),
        ) {
            let key = if zonal { "topology.kubernetes.io/zone" } else { HOSTNAME };
            let nodes = cluster(&counts);
            let before = domain_counts(&nodes, key);
            let spread_before = before.values().max().unwrap() - before.values().min().unwrap();
            prop_assume!(spread_before <= skew);
            let incoming = pod("new", &[("app", "web")], json!({"topologySpreadConstraints": [
                {"maxSkew": skew, "topologyKey": key, "whenUnsatisfiable": "DoNotSchedule",
                 "labelSelector": {"matchLabels": {"app": "web"}}}]}));
            let state = Filter::new(&incoming, &nodes);
            let mut admitted = 0;
            for i in 0..nodes.len() {
                if state.check(&labels_of(&nodes[i].node)).is_ok() {
                    admitted += 1;
                    let mut after = nodes.clone();
                    place(&mut after[i], &incoming);
                    let counts = domain_counts(&after, key);
                    let spread = counts.values().max().unwrap() - counts.values().min().unwrap();
                    prop_assert!(spread <= skew, "node {i}: spread {spread} > {skew}");
                }
            }
            prop_assert!(admitted > 0);
        }
    }
}
