//! Packets: how the page draws the data plane's flows (design.md §5 "packets travel hop
//! by hop"). Every packet is derived from a [`Flow`] in the cluster's flow log, by its
//! id, so rewinding (deterministic replay) brings the same flows and the same packets
//! back; nothing here is state the replay could not rebuild.
//!
//! - [`place_key`] names the box of the drawing a [`Place`] is drawn as, and [`anchors`]
//!   says where every such box is for a layout;
//! - [`Packet::from_flow`] turns a flow's hops into legs (one per hop; the way back is
//!   drawn too), and [`admit`] decides which new flows become packets: every command's
//!   request, and a sample of steady traffic, so at most [`MAX_PACKETS`] fly at once
//!   while the counters count everything;
//! - [`route`] and [`locate`] put a packet on the drawing at a moment: all hops of one
//!   request share one virtual millisecond, so each leg takes [`LEG_MS`] of the packet
//!   clock, which runs with wall time scaled by the transport speed ([`pace`]).
//!
//! Pure (no web crates), so native tests cover it.

use std::collections::BTreeMap;

use crate::sim::network::{Flow, Layer, Outcome, Place};

use super::default_cluster::COMPONENTS;
use super::geometry::{token_position, ClusterLayout, PodMode, Rect};
use super::scene::{groups, Scene};

/// How long one hop takes on the packet clock (at 1× this is wall milliseconds).
pub const LEG_MS: f64 = 650.0;
/// A packet rests this long at its last stop before it disappears.
pub const LINGER_MS: f64 = 350.0;
/// At most this many packets in the air; steady traffic is sampled to stay under it.
pub const MAX_PACKETS: usize = 50;
/// Steady traffic (`sim traffic`): at most one new packet per this much packet clock.
/// At 100 requests/s that draws about one request in twelve; the counters count all.
pub const SAMPLE_SPACING_MS: f64 = 120.0;
/// A command that sent many requests at once shows its newest few.
pub const MAX_COMMAND_PACKETS: usize = 8;
/// After a rewind, flows this recent (virtual ms) are shown flying again.
pub const REWIND_WINDOW_MS: u64 = 1_000;

/// The boxes of the outside world, by key.
pub const LAPTOP: &str = "laptop";
pub const INTERNET: &str = "internet";
pub const CLOUD_LB: &str = "cloud-lb";
/// In the order [`ClusterLayout::outside`] places them.
pub const OUTSIDE_KEYS: [&str; 3] = [LAPTOP, INTERNET, CLOUD_LB];

/// How fast the packet clock runs for a transport speed: slowed with the transport bar
/// (¼× makes a hop last 2.6 s), but never faster than 4×, so a packet stays visible.
pub fn pace(speed: f64) -> f64 {
    speed.clamp(0.25, 4.0)
}

/// The drawing's box for a place: a component's name, `kubelet@NODE`, `kube-proxy@NODE`,
/// `node@NODE`, `pod@NAMESPACE/NAME` or one of the outside boxes.
pub fn place_key(place: &Place) -> String {
    match place {
        Place::Laptop => LAPTOP.to_string(),
        Place::Internet => INTERNET.to_string(),
        Place::CloudLb(_) => CLOUD_LB.to_string(),
        Place::Node(node) => format!("node@{node}"),
        Place::KubeProxy(node) => format!("kube-proxy@{node}"),
        Place::Pod { namespace, name } => pod_key(namespace, name),
        Place::ApiServer => "kube-apiserver".to_string(),
        Place::Kubelet(node) => format!("kubelet@{node}"),
    }
}

pub fn pod_key(namespace: &str, name: &str) -> String {
    format!("pod@{namespace}/{name}")
}

pub fn service_key(namespace: &str, name: &str) -> String {
    format!("svc@{namespace}/{name}")
}

/// Where every box a packet can visit is drawn, by [`place_key`]; Services too
/// (`svc@NAMESPACE/NAME`, for their counters). A crowded node's pods share their
/// owner's row.
pub fn anchors(layout: &ClusterLayout, scene: &Scene) -> BTreeMap<String, Rect> {
    let mut anchors = BTreeMap::new();
    for (rect, component) in layout.components.iter().zip(COMPONENTS.iter()) {
        anchors.insert(component.name.to_string(), *rect);
    }
    for (rect, key) in layout.outside.iter().zip(OUTSIDE_KEYS) {
        anchors.insert(key.to_string(), *rect);
    }
    for (rect, service) in layout.services.iter().zip(&scene.services) {
        anchors.insert(service_key(&service.namespace, &service.name), *rect);
    }
    for (card, node) in layout.nodes.iter().zip(&scene.nodes) {
        let header = Rect::new(card.card.x, card.card.y, card.card.width, 48.0);
        anchors.insert(format!("node@{}", node.name), header);
        anchors.insert(format!("kubelet@{}", node.name), card.agents[0]);
        anchors.insert(format!("kube-proxy@{}", node.name), card.agents[1]);
        if layout.pod_mode == PodMode::Grouped {
            for ((_, pods), slot) in groups(&node.pods).into_iter().zip(&card.slots) {
                for pod in pods {
                    anchors.insert(pod_key(&pod.namespace, &pod.name), *slot);
                }
            }
        } else {
            for (pod, slot) in node.pods.iter().zip(&card.slots) {
                anchors.insert(pod_key(&pod.namespace, &pod.name), *slot);
            }
        }
    }
    for (pod, slot) in scene.unscheduled.iter().zip(&layout.pending) {
        anchors.insert(pod_key(&pod.namespace, &pod.name), *slot);
    }
    anchors
}

/// The box a key is drawn as: itself, or for a pod the page does not draw (kube-system
/// pods), what stands for it (CoreDNS's pods are the CoreDNS box).
pub fn resolve<'a>(key: &str, anchors: &'a BTreeMap<String, Rect>) -> Option<&'a Rect> {
    anchors.get(key).or_else(|| {
        key.strip_prefix("pod@kube-system/coredns")
            .and_then(|_| anchors.get("CoreDNS"))
    })
}

/// One hop of a packet's way, between two boxes.
#[derive(Clone, Debug, PartialEq)]
pub struct Leg {
    pub from: String,
    pub to: String,
    /// Going back to the client (a response).
    pub reply: bool,
    /// The flow's hop this leg draws (its index in `Flow::hops`), or `None` for a way
    /// back the data plane did not record hop by hop.
    pub hop: Option<usize>,
    /// The hop's rule, short: `DNAT 10.96.114.63:80 → 10.244.3.7:80`.
    pub rule: String,
    /// Where it goes and why, as `sim trace` words it: `kube-proxy@worker-2 → node
    /// worker-3`, `endpoint 3 of 3 …`.
    pub route: String,
    pub why: String,
}

/// A flow drawn as a dot travelling its hops.
#[derive(Clone, Debug, PartialEq)]
pub struct Packet {
    /// The flow's id in the cluster's flow log.
    pub flow: u64,
    /// `dns`, `http` or `dropped` ([`Outcome::class`]).
    pub class: &'static str,
    pub legs: Vec<Leg>,
    /// Packet-clock time it leaves at.
    pub start: f64,
    /// A request a command sent (curl, exec, port-forward), not steady traffic: drawn
    /// larger, with its current hop's rule beside it.
    pub featured: bool,
}

impl Packet {
    pub fn from_flow(flow: &Flow, start: f64) -> Packet {
        let mut legs: Vec<Leg> = flow
            .hops
            .iter()
            .enumerate()
            .map(|(index, hop)| Leg {
                from: place_key(&hop.from),
                to: place_key(&hop.to),
                reply: hop.reply,
                hop: Some(index),
                rule: if hop.rule.is_empty() {
                    hop.explanation.clone()
                } else {
                    hop.rule.clone()
                },
                route: format!("{} → {}", hop.from, hop.to),
                why: hop.explanation.clone(),
            })
            .filter(|leg| leg.from != leg.to)
            .collect();
        // A request that never left its box (nothing routes there): a dot where it
        // stopped, for the length of one hop.
        if legs.is_empty() {
            if let Some(hop) = flow.hops.last() {
                let here = place_key(&hop.to);
                legs.push(Leg {
                    from: here.clone(),
                    to: here,
                    reply: false,
                    hop: Some(flow.hops.len() - 1),
                    rule: hop.rule.clone(),
                    route: hop.to.to_string(),
                    why: hop.explanation.clone(),
                });
            }
        }
        let answered = matches!(
            flow.outcome,
            Outcome::Answered { .. } | Outcome::Resolved { .. }
        );
        // "…and back": when the data plane recorded only the way there, the answer
        // retraces it.
        if answered && !legs.is_empty() && !legs.iter().any(|leg| leg.reply) {
            let back: Vec<Leg> = legs
                .iter()
                .rev()
                .map(|leg| Leg {
                    from: leg.to.clone(),
                    to: leg.from.clone(),
                    reply: true,
                    hop: None,
                    rule: answer_text(flow),
                    route: String::new(),
                    why: "the answer retraces the request's way".to_string(),
                })
                .collect();
            legs.extend(back);
        }
        Packet {
            flow: flow.id,
            class: flow.outcome.class(flow.layer),
            legs,
            start,
            featured: flow.generator.is_none(),
        }
    }

    /// Packet-clock time it has arrived and rested at its last stop.
    pub fn end(&self) -> f64 {
        self.start + self.legs.len() as f64 * LEG_MS + LINGER_MS
    }

    /// The leg it is on at `clock` and how far along (0 to 1); `None` before it leaves.
    /// After its last leg it stays at the end of that leg.
    pub fn progress(&self, clock: f64) -> Option<(usize, f64)> {
        if clock < self.start || self.legs.is_empty() {
            return None;
        }
        let elapsed = (clock - self.start) / LEG_MS;
        let leg = (elapsed.floor() as usize).min(self.legs.len() - 1);
        Some((leg, (elapsed - leg as f64).clamp(0.0, 1.0)))
    }
}

/// What the answer says, for a way back drawn without recorded hops.
fn answer_text(flow: &Flow) -> String {
    match (&flow.outcome, flow.layer) {
        (Outcome::Answered { status }, Layer::Http) => format!("answer: HTTP {status}"),
        (Outcome::Resolved { records }, _) => {
            format!(
                "answer: {records} record{}",
                if *records == 1 { "" } else { "s" }
            )
        }
        _ => "answer".to_string(),
    }
}

/// Turns newly recorded flows into packets at packet-clock `clock`, adding them to
/// `flying` (see [`select`] and [`make_room`]). Returns how many were added.
pub fn admit<'a>(
    flying: &mut Vec<Packet>,
    flows: impl Iterator<Item = &'a Flow>,
    clock: f64,
    last_sample: &mut f64,
) -> usize {
    let new = select(flying.len(), flows, clock, last_sample);
    let added = new.len();
    flying.extend(new);
    make_room(flying);
    added
}

/// Which of the newly recorded flows become packets, with `flying` packets in the air.
/// Every flow a command sent (its newest [`MAX_COMMAND_PACKETS`]), one after another so
/// a lookup lands before the request it resolved leaves; steady traffic is sampled, one
/// packet per [`SAMPLE_SPACING_MS`] since `last_sample`, while fewer than
/// [`MAX_PACKETS`] fly.
pub fn select<'a>(
    flying: usize,
    flows: impl Iterator<Item = &'a Flow>,
    clock: f64,
    last_sample: &mut f64,
) -> Vec<Packet> {
    let (commands, traffic): (Vec<&Flow>, Vec<&Flow>) =
        flows.partition(|flow| flow.generator.is_none());
    let mut new = Vec::new();
    let skip = commands.len().saturating_sub(MAX_COMMAND_PACKETS);
    let mut next_start = clock;
    for flow in &commands[skip..] {
        let packet = Packet::from_flow(flow, next_start);
        if packet.legs.is_empty() {
            continue;
        }
        next_start = packet.end() - LINGER_MS;
        new.push(packet);
    }
    for flow in traffic {
        if flying + new.len() >= MAX_PACKETS || clock - *last_sample < SAMPLE_SPACING_MS {
            break;
        }
        let packet = Packet::from_flow(flow, clock);
        if packet.legs.is_empty() {
            continue;
        }
        *last_sample = clock;
        new.push(packet);
    }
    new
}

/// Keeps at most [`MAX_PACKETS`]: the oldest sampled packets give way to commands'.
pub fn make_room(flying: &mut Vec<Packet>) {
    while flying.len() > MAX_PACKETS {
        let oldest = flying.iter().position(|p| !p.featured).unwrap_or(0);
        flying.remove(oldest);
    }
}

/// One leg placed on the drawing.
#[derive(Clone, Debug, PartialEq)]
pub struct Segment {
    pub from: (f64, f64),
    pub to: (f64, f64),
    pub reply: bool,
    pub rule: String,
    /// The flow's hop it draws, as in [`Leg::hop`].
    pub hop: Option<usize>,
}

/// A packet's legs on the drawing, one segment per leg; a leg whose boxes are not drawn
/// (a pod gone, a node scrolled away in a future layout) keeps its time but stands
/// still at the nearest box drawn.
pub fn route(packet: &Packet, anchors: &BTreeMap<String, Rect>) -> Vec<Segment> {
    let point = |key: &str| resolve(key, anchors).map(Rect::center);
    let mut last = packet.legs.iter().find_map(|leg| point(&leg.from));
    packet
        .legs
        .iter()
        .filter_map(|leg| {
            let from = point(&leg.from).or(last)?;
            let to = point(&leg.to).unwrap_or(from);
            last = Some(to);
            Some(Segment {
                from,
                to,
                reply: leg.reply,
                rule: leg.rule.clone(),
                hop: leg.hop,
            })
        })
        .collect()
}

/// Where a packet on `route` is after `elapsed` packet-clock milliseconds: the segment
/// it is on and its position along a gentle arc (the tokens' arc), or `None` before it
/// leaves. It rests at the end of its last segment.
pub fn locate(route: &[Segment], elapsed: f64) -> Option<(usize, (f64, f64))> {
    if elapsed < 0.0 || route.is_empty() {
        return None;
    }
    let along = elapsed / LEG_MS;
    let index = (along.floor() as usize).min(route.len() - 1);
    let segment = &route[index];
    let t = (along - index as f64).clamp(0.0, 1.0);
    Some((index, token_position(segment.from, segment.to, t)))
}

/// Requests answered per pod (`namespace/name`, summed over Services) and per Service.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counters {
    pub pods: BTreeMap<String, u64>,
    pub services: BTreeMap<String, u64>,
}

impl Counters {
    pub fn from_log(all: &BTreeMap<String, BTreeMap<String, u64>>) -> Counters {
        let mut counters = Counters::default();
        for (service, pods) in all {
            for (pod, count) in pods {
                *counters.pods.entry(pod.clone()).or_default() += count;
                *counters.services.entry(service.clone()).or_default() += count;
            }
        }
        counters
    }
}

/// One Service's balance: its endpoints' shares of the answered requests, biggest first
/// by name order (stable as counts change): (pod, count, share 0–1).
pub fn balance(pods: &BTreeMap<String, u64>) -> Vec<(String, u64, f64)> {
    let total: u64 = pods.values().sum();
    pods.iter()
        .map(|(pod, count)| {
            let share = if total == 0 {
                0.0
            } else {
                *count as f64 / total as f64
            };
            (pod.clone(), *count, share)
        })
        .collect()
}

/// A running port-forward drawn as a tunnel: laptop → kube-apiserver → kubelet → pod.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tunnel {
    pub local_port: u16,
    pub namespace: String,
    pub pod: String,
    pub remote_port: u16,
    /// What the user named (`svc/mongodb`).
    pub target: String,
}

impl Tunnel {
    /// The boxes the tunnel passes, in order (the pod's kubelet is on its node).
    pub fn stops(&self, node: &str) -> Vec<String> {
        vec![
            LAPTOP.to_string(),
            "kube-apiserver".to_string(),
            format!("kubelet@{node}"),
            pod_key(&self.namespace, &self.pod),
        ]
    }

    pub fn label(&self) -> String {
        format!(
            "port-forward :{} → {}:{}",
            self.local_port, self.target, self.remote_port
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::network::Hop;

    fn pod(name: &str) -> Place {
        Place::Pod {
            namespace: "default".into(),
            name: name.into(),
        }
    }

    fn hop(from: Place, to: Place, rule: &str, reply: bool) -> Hop {
        Hop {
            at: 5_000,
            from,
            to,
            layer: Layer::Http,
            rule: rule.into(),
            explanation: format!("because {rule}"),
            reply,
        }
    }

    /// The laptop's `curl http://172.18.0.4:30007/` landing on a pod on worker-3.
    fn node_port_flow(id: u64, generator: Option<u32>) -> Flow {
        Flow {
            id,
            at: 5_000,
            summary: "GET http://172.18.0.4:30007/".into(),
            layer: Layer::Http,
            hops: vec![
                hop(
                    Place::Laptop,
                    Place::Node("worker-2".into()),
                    "to 172.18.0.4:30007",
                    false,
                ),
                hop(
                    Place::Node("worker-2".into()),
                    Place::KubeProxy("worker-2".into()),
                    "NodePort 30007",
                    false,
                ),
                hop(
                    Place::KubeProxy("worker-2".into()),
                    pod("web-3"),
                    "DNAT → 10.244.3.7:80",
                    false,
                ),
            ],
            outcome: Outcome::Answered { status: 200 },
            service: Some("default/web".into()),
            endpoint: Some("default/web-3".into()),
            generator,
        }
    }

    #[test]
    fn places_map_to_the_boxes_drawn() {
        assert_eq!(place_key(&Place::Laptop), "laptop");
        assert_eq!(
            place_key(&Place::CloudLb("172.18.255.200".into())),
            "cloud-lb"
        );
        assert_eq!(place_key(&Place::Node("worker-2".into())), "node@worker-2");
        assert_eq!(
            place_key(&Place::KubeProxy("worker-2".into())),
            "kube-proxy@worker-2"
        );
        assert_eq!(place_key(&pod("web-3")), "pod@default/web-3");
        assert_eq!(place_key(&Place::ApiServer), "kube-apiserver");
        assert_eq!(
            place_key(&Place::Kubelet("worker-1".into())),
            "kubelet@worker-1"
        );
        let mut anchors = BTreeMap::new();
        anchors.insert("CoreDNS".to_string(), Rect::new(1.0, 2.0, 3.0, 4.0));
        assert_eq!(
            resolve("pod@kube-system/coredns-6d4b75-2pk8w", &anchors),
            anchors.get("CoreDNS")
        );
        assert_eq!(
            resolve("pod@kube-system/etcd-control-plane", &anchors),
            None
        );
    }

    #[test]
    fn a_request_goes_there_and_back() {
        let packet = Packet::from_flow(&node_port_flow(7, None), 100.0);
        assert_eq!(
            (packet.flow, packet.class, packet.featured),
            (7, "http", true)
        );
        let stops: Vec<(&str, &str, bool)> = packet
            .legs
            .iter()
            .map(|l| (l.from.as_str(), l.to.as_str(), l.reply))
            .collect();
        assert_eq!(
            stops,
            [
                ("laptop", "node@worker-2", false),
                ("node@worker-2", "kube-proxy@worker-2", false),
                ("kube-proxy@worker-2", "pod@default/web-3", false),
                ("pod@default/web-3", "kube-proxy@worker-2", true),
                ("kube-proxy@worker-2", "node@worker-2", true),
                ("node@worker-2", "laptop", true),
            ]
        );
        assert_eq!(packet.legs[2].hop, Some(2));
        assert_eq!(packet.legs[2].rule, "DNAT → 10.244.3.7:80");
        assert_eq!(packet.legs[5].rule, "answer: HTTP 200");
        assert_eq!(packet.end(), 100.0 + 6.0 * LEG_MS + LINGER_MS);
        assert_eq!(packet.progress(50.0), None);
        assert_eq!(packet.progress(100.0 + 2.5 * LEG_MS), Some((2, 0.5)));
        assert_eq!(packet.progress(packet.end()), Some((5, 1.0)));
    }

    #[test]
    fn recorded_replies_are_drawn_as_recorded_and_failures_do_not_come_back() {
        let mut flow = node_port_flow(1, None);
        flow.hops
            .push(hop(pod("web-3"), Place::Laptop, "reply", true));
        assert_eq!(Packet::from_flow(&flow, 0.0).legs.len(), 4);
        let mut refused = node_port_flow(2, None);
        refused.outcome = Outcome::Refused;
        let packet = Packet::from_flow(&refused, 0.0);
        assert_eq!((packet.legs.len(), packet.class), (3, "dropped"));
        // A hop that stays in one box is not a leg…
        let mut stuck = node_port_flow(3, None);
        stuck.hops.insert(
            1,
            hop(
                Place::Node("worker-2".into()),
                Place::Node("worker-2".into()),
                "",
                false,
            ),
        );
        assert_eq!(Packet::from_flow(&stuck, 0.0).legs.len(), 6);
        // …unless it is all there is: the dot stays where the request stopped.
        let mut local = node_port_flow(4, None);
        local.outcome = Outcome::Dropped;
        local.hops = vec![hop(
            Place::Laptop,
            Place::Laptop,
            "no route to 10.96.0.1",
            false,
        )];
        let legs = Packet::from_flow(&local, 0.0).legs;
        assert_eq!(legs.len(), 1);
        assert_eq!(
            (legs[0].from.as_str(), legs[0].to.as_str()),
            ("laptop", "laptop")
        );
        assert!(Packet::from_flow(
            &Flow {
                hops: vec![],
                ..local
            },
            0.0
        )
        .legs
        .is_empty());
    }

    #[test]
    fn steady_traffic_is_sampled_and_commands_always_fly() {
        let mut flying = Vec::new();
        let mut last = f64::NEG_INFINITY;
        // 100 requests/s for one second, in frames of 10 requests every 100 ms.
        let mut id = 0;
        let mut clock = 0.0;
        for _frame in 0..10 {
            let flows: Vec<Flow> = (0..10)
                .map(|_| {
                    id += 1;
                    node_port_flow(id, Some(1))
                })
                .collect();
            admit(&mut flying, flows.iter(), clock, &mut last);
            clock += 100.0;
        }
        // One per 120 ms of clock: frames at 0, 200, 400, … (100 ms apart, so every
        // other frame).
        assert_eq!(flying.len(), 5);
        assert!(flying.iter().all(|p| !p.featured));
        // A command's lookup and request: both fly, the request after the lookup.
        let mut dns = node_port_flow(1_000, None);
        dns.layer = Layer::Dns;
        dns.outcome = Outcome::Resolved { records: 1 };
        let http = node_port_flow(1_001, None);
        assert_eq!(admit(&mut flying, [dns, http].iter(), clock, &mut last), 2);
        let n = flying.len();
        assert_eq!(flying[n - 2].class, "dns");
        assert_eq!(flying[n - 1].start, flying[n - 2].end() - LINGER_MS);
    }

    #[test]
    fn never_more_than_the_cap_and_sampled_packets_make_room_for_commands() {
        let mut flying: Vec<Packet> = (0..MAX_PACKETS as u64)
            .map(|id| Packet::from_flow(&node_port_flow(id, Some(1)), 0.0))
            .collect();
        let mut last = f64::NEG_INFINITY;
        let more = node_port_flow(99, Some(1));
        assert_eq!(admit(&mut flying, [more].iter(), 500.0, &mut last), 0);
        let command = node_port_flow(100, None);
        assert_eq!(admit(&mut flying, [command].iter(), 500.0, &mut last), 1);
        assert_eq!(flying.len(), MAX_PACKETS);
        assert_eq!(flying[0].flow, 1, "the oldest sampled packet gave way");
        assert!(flying.last().unwrap().featured);
        // A script's burst of commands shows its newest few.
        let burst: Vec<Flow> = (200..230).map(|id| node_port_flow(id, None)).collect();
        let mut empty = Vec::new();
        assert_eq!(
            admit(&mut empty, burst.iter(), 0.0, &mut last),
            MAX_COMMAND_PACKETS
        );
        assert_eq!(empty[0].flow, 222);
    }

    #[test]
    fn a_packet_travels_its_route_leg_by_leg() {
        let packet = Packet::from_flow(&node_port_flow(7, None), 0.0);
        let mut anchors = BTreeMap::new();
        anchors.insert("laptop".to_string(), Rect::new(0.0, 0.0, 100.0, 40.0));
        anchors.insert(
            "node@worker-2".to_string(),
            Rect::new(300.0, 300.0, 200.0, 48.0),
        );
        anchors.insert(
            "kube-proxy@worker-2".to_string(),
            Rect::new(400.0, 350.0, 100.0, 26.0),
        );
        // The pod is not drawn (say, deleted meanwhile): its legs stand still.
        let route = route(&packet, &anchors);
        assert_eq!(route.len(), 6);
        assert_eq!(route[0].from, (50.0, 20.0));
        assert_eq!(route[0].to, (400.0, 324.0));
        assert_eq!(route[2].from, route[2].to);
        assert_eq!(locate(&route, -1.0), None);
        assert_eq!(locate(&route, 0.0), Some((0, (50.0, 20.0))));
        assert_eq!(locate(&route, LEG_MS), Some((1, (400.0, 324.0))));
        let (leg, end) = locate(&route, 100.0 * LEG_MS).unwrap();
        assert_eq!((leg, end), (5, (50.0, 20.0)));
        assert!(route[3].reply && !route[2].reply);
    }

    #[test]
    fn the_transport_speed_paces_packets_within_limits() {
        assert_eq!(pace(0.25), 0.25);
        assert_eq!(pace(1.0), 1.0);
        assert_eq!(pace(16.0), 4.0);
    }

    #[test]
    fn counters_add_up_per_pod_and_per_service() {
        let mut all = BTreeMap::new();
        all.insert(
            "default/web".to_string(),
            BTreeMap::from([
                ("default/web-1".to_string(), 3),
                ("default/web-2".to_string(), 1),
            ]),
        );
        all.insert(
            "default/web-headless".to_string(),
            BTreeMap::from([("default/web-1".to_string(), 2)]),
        );
        let counters = Counters::from_log(&all);
        assert_eq!(counters.pods["default/web-1"], 5);
        assert_eq!(counters.services["default/web"], 4);
        let shares = balance(&all["default/web"]);
        assert_eq!(shares[0], ("default/web-1".to_string(), 3, 0.75));
        assert_eq!(balance(&BTreeMap::new()), vec![]);
    }

    #[test]
    fn the_drawing_has_a_box_for_every_place() {
        use crate::console::Console;
        let mut console = Console::new(1);
        console.execute("kubectl create deployment web --image=nginx --replicas=3");
        console.execute("kubectl expose deployment web --port=80 --type=NodePort");
        console.execute("sleep 20");
        let scene = Scene::read(console.cluster());
        let counts = super::super::geometry::Counts {
            components: COMPONENTS.len(),
            services: scene.services.len(),
            nodes: scene.nodes.iter().map(|n| (n.pods.len(), 1)).collect(),
            unscheduled: scene.unscheduled.len(),
        };
        let layout = super::super::geometry::layout_cluster(1200.0, 0.0, &counts);
        let anchors = anchors(&layout, &scene);
        for key in [
            "laptop",
            "internet",
            "cloud-lb",
            "kube-apiserver",
            "CoreDNS",
        ] {
            assert!(anchors.contains_key(key), "{key}");
        }
        for node in &scene.nodes {
            for prefix in ["node", "kubelet", "kube-proxy"] {
                assert!(anchors.contains_key(&format!("{prefix}@{}", node.name)));
            }
        }
        let pods: Vec<_> = scene.pods().collect();
        assert_eq!(pods.len(), 3);
        for pod in pods {
            let slot = anchors[&pod_key(&pod.namespace, &pod.name)];
            let card = anchors[&format!("node@{}", pod.node)];
            assert!(slot.y > card.y && (slot.x - card.x).abs() < card.width);
        }
        assert!(anchors.contains_key(&service_key("default", "web")));
    }
}
