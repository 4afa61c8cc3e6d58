//! The InterPodAffinity plugin (pkg/scheduler/framework/plugins/interpodaffinity): a pod's
//! `podAffinity` / `podAntiAffinity` terms against the pods already placed, per topology
//! domain (`topologyKey`: all nodes sharing that label value).
//!
//! PreFilter counts, per (topologyKey, value) pair, the existing pods matching the incoming
//! pod's required terms and the existing pods whose own required anti-affinity matches the
//! incoming pod; Filter then looks a node's labels up in those counts. Scoring sums the
//! preferred terms' weights (both ways) per domain and rescales to 0–100.

use super::{BoundPod, NodeInfo};
use crate::sim::labels::{labels_of, Labels, Selector};
use crate::sim::object;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

pub const AFFINITY_RULES_NOT_MATCH: &str = "node(s) didn't match pod affinity rules";
pub const ANTI_AFFINITY_RULES_NOT_MATCH: &str = "node(s) didn't match pod anti-affinity rules";
pub const EXISTING_ANTI_AFFINITY_NOT_MATCH: &str =
    "node(s) didn't satisfy existing pods anti-affinity rules";

/// `hardPodAffinityWeight` (InterPodAffinityArgs default): what an existing pod's required
/// affinity term matching the incoming pod adds to its domain's score.
const HARD_POD_AFFINITY_WEIGHT: i64 = 1;

/// Namespace name → its labels, for terms with a `namespaceSelector`.
pub type NamespaceLabels = BTreeMap<String, Labels>;

/// A `PodAffinityTerm` ready to match pods (`framework.AffinityTerm`).
#[derive(Debug, Clone)]
pub struct Term {
    namespaces: BTreeSet<String>,
    namespace_selector: Option<Selector>,
    /// A term without a `labelSelector` matches no pod.
    selector: Option<Selector>,
    pub topology_key: String,
    pub weight: i64,
}

impl Term {
    /// `GetNamespacesFromPodAffinityTerm`: no namespaces and no namespaceSelector means the
    /// owning pod's own namespace; `namespaceSelector: {}` means every namespace.
    fn parse(owner: &Value, term: &Value, weight: i64) -> Term {
        let mut namespaces: BTreeSet<String> = term
            .get("namespaces")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|n| n.as_str().map(String::from))
            .collect();
        let namespace_selector = term
            .get("namespaceSelector")
            .filter(|s| !s.is_null())
            .map(Selector::from_label_selector);
        if namespaces.is_empty() && namespace_selector.is_none() {
            namespaces.insert(object::namespace(owner).to_string());
        }
        Term {
            namespaces,
            namespace_selector,
            selector: term
                .get("labelSelector")
                .filter(|s| !s.is_null())
                .map(Selector::from_label_selector),
            topology_key: object::str_at(term, "/topologyKey").to_string(),
            weight,
        }
    }

    /// `AffinityTerm.Matches`: the pod's namespace is one the term names or selects, and
    /// its labels match the term's selector.
    pub fn matches(&self, pod: &Value, namespaces: &NamespaceLabels) -> bool {
        self.matches_parts(object::namespace(pod), &labels_of(pod), namespaces)
    }

    fn matches_bound(&self, pod: &BoundPod, namespaces: &NamespaceLabels) -> bool {
        self.matches_parts(&pod.namespace, &pod.labels, namespaces)
    }

    fn matches_parts(&self, ns: &str, labels: &Labels, namespaces: &NamespaceLabels) -> bool {
        let in_namespace = self.namespaces.contains(ns)
            || self
                .namespace_selector
                .as_ref()
                .is_some_and(|s| namespaces.get(ns).is_some_and(|labels| s.matches(labels)));
        in_namespace && self.selector.as_ref().is_some_and(|s| s.matches(labels))
    }
}

/// The pod's required (`weight` 1) or preferred terms of `kind` (`podAffinity` or
/// `podAntiAffinity`).
pub fn terms(pod: &Value, kind: &str, required: bool) -> Vec<Term> {
    let Some(affinity) = object::at(pod, &format!("/spec/affinity/{kind}")) else {
        return vec![];
    };
    let list = |field: &str| {
        affinity
            .get(field)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    if required {
        list("requiredDuringSchedulingIgnoredDuringExecution")
            .iter()
            .map(|t| Term::parse(pod, t, 1))
            .collect()
    } else {
        list("preferredDuringSchedulingIgnoredDuringExecution")
            .iter()
            .map(|w| {
                let weight = w.get("weight").and_then(Value::as_i64).unwrap_or(0);
                Term::parse(
                    pod,
                    w.get("podAffinityTerm").unwrap_or(&Value::Null),
                    weight,
                )
            })
            .collect()
    }
}

/// A bound pod's own terms (none without inter-pod affinity).
fn bound_terms(pod: &BoundPod, kind: &str, required: bool) -> Vec<Term> {
    pod.affinity
        .as_ref()
        .map(|a| terms(a, kind, required))
        .unwrap_or_default()
}

/// Whether a pod carries any inter-pod affinity at all (`PodsWithAffinity`).
pub fn has_affinity(pod: &Value) -> bool {
    object::at(pod, "/spec/affinity/podAffinity").is_some()
        || object::at(pod, "/spec/affinity/podAntiAffinity").is_some()
}

type Pair = (String, String);

fn add(counts: &mut BTreeMap<Pair, i64>, key: &str, node: &Labels, by: i64) {
    if let Some(value) = node.get(key) {
        *counts.entry((key.to_string(), value.clone())).or_default() += by;
    }
}

/// The PreFilter state: the incoming pod's required terms and the per-domain counts.
pub struct Filter {
    affinity: Vec<Term>,
    anti_affinity: Vec<Term>,
    /// Existing pods matching all of the incoming pod's affinity terms, per domain.
    affinity_counts: BTreeMap<Pair, i64>,
    /// Existing pods matching each of the incoming pod's anti-affinity terms, per domain.
    anti_affinity_counts: BTreeMap<Pair, i64>,
    /// Existing pods whose required anti-affinity matches the incoming pod, per domain.
    existing_anti_affinity_counts: BTreeMap<Pair, i64>,
    /// The incoming pod matches its own affinity terms (the first of a group may start it).
    matches_itself: bool,
}

impl Filter {
    pub fn new(pod: &Value, nodes: &[NodeInfo], namespaces: &NamespaceLabels) -> Filter {
        let affinity = terms(pod, "podAffinity", true);
        let anti_affinity = terms(pod, "podAntiAffinity", true);
        let mut state = Filter {
            matches_itself: !affinity.is_empty()
                && affinity.iter().all(|t| t.matches(pod, namespaces)),
            affinity,
            anti_affinity,
            affinity_counts: BTreeMap::new(),
            anti_affinity_counts: BTreeMap::new(),
            existing_anti_affinity_counts: BTreeMap::new(),
        };
        let incoming_terms = !state.affinity.is_empty() || !state.anti_affinity.is_empty();
        let pod_labels = labels_of(pod);
        for info in nodes {
            // Only nodes holding pods with affinity matter unless the pod has terms itself.
            if !incoming_terms && info.with_affinity == 0 {
                continue;
            }
            let labels = &info.labels;
            for existing in info.bound.values() {
                if !state.affinity.is_empty()
                    && state
                        .affinity
                        .iter()
                        .all(|t| t.matches_bound(existing, namespaces))
                {
                    for t in &state.affinity {
                        add(&mut state.affinity_counts, &t.topology_key, labels, 1);
                    }
                }
                for t in &state.anti_affinity {
                    if t.matches_bound(existing, namespaces) {
                        add(&mut state.anti_affinity_counts, &t.topology_key, labels, 1);
                    }
                }
                for t in bound_terms(existing, "podAntiAffinity", true) {
                    if t.matches_parts(object::namespace(pod), &pod_labels, namespaces) {
                        add(
                            &mut state.existing_anti_affinity_counts,
                            &t.topology_key,
                            labels,
                            1,
                        );
                    }
                }
            }
        }
        state
    }

    /// Nothing to check: no required terms either way.
    pub fn is_trivial(&self) -> bool {
        self.affinity.is_empty()
            && self.anti_affinity.is_empty()
            && self.existing_anti_affinity_counts.is_empty()
    }

    fn count(counts: &BTreeMap<Pair, i64>, key: &str, node: &Labels) -> i64 {
        node.get(key)
            .and_then(|v| counts.get(&(key.to_string(), v.clone())))
            .copied()
            .unwrap_or(0)
    }

    /// `Filter`: Err(reason, resolvable by preemption).
    pub fn check(&self, node: &Labels) -> Result<(), (&'static str, bool)> {
        if !self.satisfies_affinity(node) {
            return Err((AFFINITY_RULES_NOT_MATCH, false));
        }
        if self
            .anti_affinity
            .iter()
            .any(|t| Self::count(&self.anti_affinity_counts, &t.topology_key, node) > 0)
        {
            return Err((ANTI_AFFINITY_RULES_NOT_MATCH, true));
        }
        let blocked = self
            .existing_anti_affinity_counts
            .iter()
            .any(|((key, value), n)| *n > 0 && node.get(key) == Some(value));
        if blocked {
            return Err((EXISTING_ANTI_AFFINITY_NOT_MATCH, true));
        }
        Ok(())
    }

    /// `satisfyPodAffinity`: every term's topology label is on the node and its domain
    /// holds a matching pod — unless no pod anywhere matches and the pod matches its own
    /// terms, so the first pod of a self-affine group is not left Pending forever.
    fn satisfies_affinity(&self, node: &Labels) -> bool {
        let mut pods_exist = true;
        for t in &self.affinity {
            if !node.contains_key(&t.topology_key) {
                return false;
            }
            if Self::count(&self.affinity_counts, &t.topology_key, node) <= 0 {
                pods_exist = false;
            }
        }
        pods_exist || (self.affinity_counts.is_empty() && self.matches_itself)
    }
}

/// Score: per node, the summed weights of the domains it belongs to, rescaled so the
/// lowest feasible node gets 0 and the highest 100 (all 0 when they are equal).
pub fn scores(
    pod: &Value,
    feasible: &[&NodeInfo],
    all: &[NodeInfo],
    namespaces: &NamespaceLabels,
) -> Vec<i64> {
    let preferred = terms(pod, "podAffinity", false);
    let preferred_anti = terms(pod, "podAntiAffinity", false);
    let has_constraints = !preferred.is_empty() || !preferred_anti.is_empty();
    let mut topology: BTreeMap<Pair, i64> = BTreeMap::new();
    let (pod_ns, pod_labels) = (object::namespace(pod), labels_of(pod));
    for info in all {
        if !has_constraints && info.with_affinity == 0 {
            continue;
        }
        let labels = &info.labels;
        if labels.is_empty() {
            continue;
        }
        for existing in info.bound.values() {
            if !has_constraints && existing.affinity.is_none() {
                continue;
            }
            let mut process = |terms: &[Term], ns: &str, target: &Labels, sign: i64| {
                for t in terms {
                    if t.matches_parts(ns, target, namespaces) {
                        add(&mut topology, &t.topology_key, labels, sign * t.weight);
                    }
                }
            };
            let (ns, existing_labels) = (existing.namespace.as_str(), &existing.labels);
            process(&preferred, ns, existing_labels, 1);
            process(&preferred_anti, ns, existing_labels, -1);
            let hard: Vec<Term> = bound_terms(existing, "podAffinity", true)
                .into_iter()
                .map(|t| Term {
                    weight: HARD_POD_AFFINITY_WEIGHT,
                    ..t
                })
                .collect();
            process(&hard, pod_ns, &pod_labels, 1);
            let theirs = bound_terms(existing, "podAffinity", false);
            process(&theirs, pod_ns, &pod_labels, 1);
            let theirs = bound_terms(existing, "podAntiAffinity", false);
            process(&theirs, pod_ns, &pod_labels, -1);
        }
    }
    if topology.is_empty() {
        return vec![0; feasible.len()];
    }
    let raw: Vec<i64> = feasible
        .iter()
        .map(|info| {
            info.labels
                .iter()
                .filter_map(|(k, v)| topology.get(&(k.clone(), v.clone())))
                .sum()
        })
        .collect();
    let (min, max) = (
        raw.iter().copied().min().unwrap_or(0),
        raw.iter().copied().max().unwrap_or(0),
    );
    raw.iter()
        .map(|s| {
            if max > min {
                (100.0 * (s - min) as f64 / (max - min) as f64) as i64
            } else {
                0
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::testing::{node, place, pod};
    use super::*;
    use crate::sim::json::json;

    fn term(kind: &str, app: &str, key: &str) -> Value {
        json!({"affinity": {kind: {"requiredDuringSchedulingIgnoredDuringExecution": [
            {"labelSelector": {"matchLabels": {"app": app}}, "topologyKey": key}]}}})
    }

    /// Three workers (zone-a, zone-a, zone-b), `existing` pods placed on them by index.
    fn cluster(existing: &[(usize, Value)]) -> Vec<NodeInfo> {
        let zones = ["zone-a", "zone-a", "zone-b"];
        let mut nodes: Vec<NodeInfo> = (0..3)
            .map(|i| {
                node(
                    &format!("w{}", i + 1),
                    &[("topology.kubernetes.io/zone", zones[i])],
                )
            })
            .collect();
        for (i, p) in existing {
            place(&mut nodes[*i], p);
        }
        nodes
    }

    #[test]
    fn filter_table() {
        let hostname = "kubernetes.io/hostname";
        let zone = "topology.kubernetes.io/zone";
        let cache = pod("cache", &[("app", "cache")], json!({}));
        let other_ns = {
            let mut p = cache.clone();
            p["metadata"]["namespace"] = json!("other");
            p
        };
        let picky_web = pod(
            "old-web",
            &[("app", "old")],
            term("podAntiAffinity", "web", hostname),
        );
        // (case, existing pods, incoming pod, expected verdict per node w1..w3)
        type Verdict = Result<(), &'static str>;
        type Case = (&'static str, Vec<(usize, Value)>, Value, [Verdict; 3]);
        let ok: Verdict = Ok(());
        let cases: Vec<Case> = vec![
            (
                "anti-affinity on the hostname keeps off the node holding a match",
                vec![(0, cache.clone())],
                pod(
                    "c2",
                    &[("app", "cache")],
                    term("podAntiAffinity", "cache", hostname),
                ),
                [Err(ANTI_AFFINITY_RULES_NOT_MATCH), ok, ok],
            ),
            (
                "anti-affinity per zone keeps off the whole zone",
                vec![(0, cache.clone())],
                pod(
                    "c2",
                    &[("app", "cache")],
                    term("podAntiAffinity", "cache", zone),
                ),
                [
                    Err(ANTI_AFFINITY_RULES_NOT_MATCH),
                    Err(ANTI_AFFINITY_RULES_NOT_MATCH),
                    ok,
                ],
            ),
            (
                "affinity needs a match in the node's domain",
                vec![(1, cache.clone())],
                pod(
                    "web",
                    &[("app", "web")],
                    term("podAffinity", "cache", hostname),
                ),
                [
                    Err(AFFINITY_RULES_NOT_MATCH),
                    ok,
                    Err(AFFINITY_RULES_NOT_MATCH),
                ],
            ),
            (
                "affinity per zone admits every node of that zone",
                vec![(1, cache.clone())],
                pod("web", &[("app", "web")], term("podAffinity", "cache", zone)),
                [ok, ok, Err(AFFINITY_RULES_NOT_MATCH)],
            ),
            (
                "a pod matching its own affinity may start the group",
                vec![],
                pod("db", &[("app", "db")], term("podAffinity", "db", hostname)),
                [ok, ok, ok],
            ),
            (
                "without any match and not matching itself, nothing fits",
                vec![],
                pod(
                    "web",
                    &[("app", "web")],
                    term("podAffinity", "db", hostname),
                ),
                [
                    Err(AFFINITY_RULES_NOT_MATCH),
                    Err(AFFINITY_RULES_NOT_MATCH),
                    Err(AFFINITY_RULES_NOT_MATCH),
                ],
            ),
            (
                "an existing pod's anti-affinity keeps the incoming pod away",
                vec![(2, picky_web)],
                pod("web", &[("app", "web")], json!({})),
                [ok, ok, Err(EXISTING_ANTI_AFFINITY_NOT_MATCH)],
            ),
            (
                "terms look in the pod's own namespace only",
                vec![(0, other_ns)],
                pod(
                    "c2",
                    &[("app", "cache")],
                    term("podAntiAffinity", "cache", hostname),
                ),
                [ok, ok, ok],
            ),
            (
                "a topology key the node lacks fails affinity",
                vec![(0, cache.clone())],
                pod(
                    "web",
                    &[("app", "web")],
                    term("podAffinity", "cache", "example.com/rack"),
                ),
                [
                    Err(AFFINITY_RULES_NOT_MATCH),
                    Err(AFFINITY_RULES_NOT_MATCH),
                    Err(AFFINITY_RULES_NOT_MATCH),
                ],
            ),
        ];
        let namespaces = NamespaceLabels::new();
        for (case, existing, incoming, want) in cases {
            let nodes = cluster(&existing);
            let state = Filter::new(&incoming, &nodes, &namespaces);
            for (i, info) in nodes.iter().enumerate() {
                let got = state.check(&info.labels).map_err(|(r, _)| r);
                assert_eq!(got, want[i], "{case}: node {}", info.name);
            }
        }
    }

    #[test]
    fn preferred_terms_score_both_ways() {
        let web = pod("web-1", &[("app", "web")], json!({}));
        let incoming = pod(
            "web-2",
            &[("app", "web")],
            json!({"affinity": {"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
                {"weight": 100, "podAffinityTerm": {"labelSelector": {"matchLabels": {"app": "web"}},
                 "topologyKey": "kubernetes.io/hostname"}}]}}}),
        );
        let nodes = cluster(&[(0, web)]);
        let feasible: Vec<&NodeInfo> = nodes.iter().collect();
        assert_eq!(
            scores(&incoming, &feasible, &nodes, &NamespaceLabels::new()),
            vec![0, 100, 100]
        );
        // Preferred affinity per zone: the zone of the match scores highest.
        let cache = pod("cache", &[("app", "cache")], json!({}));
        let incoming = pod(
            "web",
            &[("app", "web")],
            json!({"affinity": {"podAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
                {"weight": 10, "podAffinityTerm": {"labelSelector": {"matchLabels": {"app": "cache"}},
                 "topologyKey": "topology.kubernetes.io/zone"}}]}}}),
        );
        let nodes = cluster(&[(2, cache)]);
        let feasible: Vec<&NodeInfo> = nodes.iter().collect();
        assert_eq!(
            scores(&incoming, &feasible, &nodes, &NamespaceLabels::new()),
            vec![0, 0, 100]
        );
        // Nothing with affinity anywhere: the plugin is silent.
        let plain = pod("p", &[], json!({}));
        assert_eq!(
            scores(&plain, &feasible, &nodes, &NamespaceLabels::new()),
            vec![0, 0, 0]
        );
    }
}

#[cfg(test)]
mod properties {
    use super::super::testing::{node, place, pod};
    use super::*;
    use crate::sim::json::json;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]
        /// Required anti-affinity admits a node exactly when no matching pod runs in its
        /// domain.
        #[test]
        fn anti_affinity_admits_exactly_the_clear_domains(
            placed in proptest::collection::vec((0usize..5, any::<bool>()), 0..8),
            zonal in any::<bool>(),
        ) {
            let key = if zonal { "topology.kubernetes.io/zone" } else { "kubernetes.io/hostname" };
            let zones = ["a", "a", "b", "b", "c"];
            let mut nodes: Vec<NodeInfo> = (0..5)
                .map(|i| node(&format!("w{i}"), &[("topology.kubernetes.io/zone", zones[i])]))
                .collect();
            for (k, (i, is_cache)) in placed.iter().enumerate() {
                let app = if *is_cache { "cache" } else { "other" };
                place(&mut nodes[*i], &pod(&format!("p{k}"), &[("app", app)], json!({})));
            }
            let incoming = pod("new", &[("app", "cache")], json!({"affinity": {"podAntiAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": [
                    {"labelSelector": {"matchLabels": {"app": "cache"}}, "topologyKey": key}]}}}));
            let state = Filter::new(&incoming, &nodes, &NamespaceLabels::new());
            for info in &nodes {
                let labels = &info.labels;
                let occupied = nodes.iter().any(|other| {
                    labels_of(&other.node)[key] == labels[key]
                        && other.bound.values().any(|p| p.labels["app"] == "cache")
                });
                prop_assert_eq!(state.check(labels).is_ok(), !occupied, "{}", info.name);
            }
        }
    }
}
