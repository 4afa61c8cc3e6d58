//! What the DNS panel shows: for each Service, what CoreDNS answers for its name — one
//! virtual IP for a ClusterIP Service, every ready pod's IP for a headless one (the
//! seed's `example` versus `example-headless`) — and the latest DNS lookups from the
//! flow log. Asks CoreDNS's pure [`query`] directly, so the answers are exactly the
//! ones a pod's lookup would get.
//!
//! Pure (no web crates), so native tests cover it.

use crate::sim::network::dns::{query, QType, Rcode, Rdata, CLUSTER_DOMAIN};
use crate::sim::network::{Layer, Outcome};
use crate::sim::sort::SharedSort;
use crate::sim::Cluster;

use super::scene::Scene;

/// One Service's name and what CoreDNS answers for it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DnsCard {
    pub namespace: String,
    pub name: String,
    pub fqdn: String,
    /// `clusterIP: None`.
    pub headless: bool,
    /// The A records: address, and the pod that has it (for a headless Service).
    pub records: Vec<(String, Option<String>)>,
    pub nxdomain: bool,
}

impl DnsCard {
    /// What the answer means, in a line.
    pub fn meaning(&self) -> String {
        match (self.headless, self.records.len()) {
            (_, 0) if self.nxdomain => "NXDOMAIN: no such name".to_string(),
            (true, 0) => "headless, no ready pods: no addresses".to_string(),
            (true, n) => {
                format!("headless: every ready pod's IP ({n}), the client picks — no proxy")
            }
            (false, _) => "one virtual IP: kube-proxy picks a pod per connection".to_string(),
        }
    }
}

/// Namespaces of the cluster's own add-ons, whose Services are not the learner's.
const SYSTEM_NAMESPACES: [&str; 2] = ["kube-system", "ingress-nginx"];

/// The Services worth comparing: those outside the add-ons' namespaces other than `kubernetes`
/// (else those), by namespace and name, so `example` sits beside `example-headless`.
pub fn dns_cards(cluster: &Cluster, scene: &Scene) -> Vec<DnsCard> {
    let ours: Vec<_> = scene
        .services
        .iter()
        .filter(|s| !SYSTEM_NAMESPACES.contains(&s.namespace.as_str()) && s.name != "kubernetes")
        .collect();
    let services = if ours.is_empty() {
        scene.services.iter().collect()
    } else {
        ours
    };
    let mut cards: Vec<DnsCard> = services
        .into_iter()
        .map(|service| {
            let fqdn = format!(
                "{}.{}.svc.{CLUSTER_DOMAIN}",
                service.name, service.namespace
            );
            let answer = query(cluster, &fqdn, QType::A);
            let records = answer
                .records
                .iter()
                .filter_map(|record| match &record.data {
                    Rdata::A(ip) => Some(ip.clone()),
                    _ => None,
                })
                .map(|ip| {
                    let pod = scene.pods().find(|p| p.ip == ip).map(|p| p.name.clone());
                    (ip, pod)
                })
                .collect();
            DnsCard {
                namespace: service.namespace.clone(),
                name: service.name.clone(),
                fqdn,
                headless: service.cluster_ip == "None",
                records,
                nxdomain: answer.rcode == Rcode::NxDomain,
            }
        })
        .collect();
    cards.sort_shared_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
    cards
}

/// One recent DNS lookup: (flow id, summary, what came back).
pub fn recent_lookups(cluster: &Cluster, count: usize) -> Vec<(u64, String, String)> {
    cluster
        .network()
        .flows()
        .recent()
        .rev()
        .filter(|flow| flow.layer == Layer::Dns)
        .take(count)
        .map(|flow| {
            let answer = match &flow.outcome {
                Outcome::Resolved { records } => {
                    format!("{records} record{}", if *records == 1 { "" } else { "s" })
                }
                Outcome::NxDomain => "NXDOMAIN".to_string(),
                Outcome::Refused => "refused".to_string(),
                Outcome::Dropped | Outcome::TlsFailed => "no answer".to_string(),
                Outcome::Answered { .. } => "answered".to_string(),
            };
            (flow.id, flow.summary.clone(), answer)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::Console;

    /// The seed notes' example: a Deployment of three whoami pods, a ClusterIP Service
    /// and a headless one over the same pods.
    const EXAMPLE: &str = "kubectl create deployment example --image=traefik/whoami --replicas=3
kubectl expose deployment example --port=80
kubectl expose deployment example --port=80 --name=example-headless --cluster-ip=None
sleep 30";

    #[test]
    fn a_cluster_ip_name_answers_one_address() {
        let mut console = Console::new(1);
        for line in EXAMPLE.lines() {
            console.execute(line);
        }
        let scene = Scene::read(console.cluster());
        let cards = dns_cards(console.cluster(), &scene);
        let names: Vec<&str> = cards.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["example", "example-headless"]);
        let example = &cards[0];
        assert_eq!(example.fqdn, "example.default.svc.cluster.local");
        assert!(!example.headless);
        let service_ip = &scene
            .services
            .iter()
            .find(|s| s.name == "example")
            .unwrap()
            .cluster_ip;
        assert_eq!(example.records, vec![(service_ip.clone(), None)]);
        assert!(example.meaning().starts_with("one virtual IP"));
        let headless = &cards[1];
        assert!(headless.headless);
        // CoreDNS answers every ready pod's IP for a headless name.
        assert_eq!(headless.records.len(), 3, "{:?}", headless.records);
        assert!(headless
            .records
            .iter()
            .all(|(ip, pod)| ip.starts_with("10.244.")
                && pod.as_deref().is_some_and(|p| p.starts_with("example-"))));
        assert!(headless.meaning().contains("every ready pod"));
    }

    #[test]
    fn with_no_services_of_ours_the_system_ones_are_shown() {
        let console = Console::new(1);
        let scene = Scene::read(console.cluster());
        let cards = dns_cards(console.cluster(), &scene);
        assert!(cards.iter().any(|c| c.name == "kubernetes"));
        assert!(recent_lookups(console.cluster(), 5).is_empty());
    }
}
