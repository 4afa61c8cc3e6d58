//! The data plane on the page (issue #9): packets travelling hop by hop, per-endpoint
//! counters, port-forward tunnels, the Traffic and DNS panels and a flow in the
//! inspector.
//!
//! [`Traffic`] is the presentation state: the packets in the air (derived from the
//! cluster's flow log by id, see [`packets`](super::packets)), the packet clock, and the
//! counters and tunnels as last published. `live.rs` feeds it from its frame loop in
//! three calls — [`Traffic::read`] (inside the timeline borrow, reads only),
//! [`Traffic::apply`] (sets signals) and [`Traffic::tick`] — so a rewind, which replays
//! the cluster, brings the same flows back.

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::sim::network::{Flow, Outcome};
use crate::sim::Cluster;

use super::dns_view::{dns_cards, recent_lookups, DnsCard};
use super::geometry::{token_position, Rect};
use super::inspector::Selection;
use super::live::Live;
use super::packets::{
    balance, locate, make_room, pace, pod_key, resolve, route, select, service_key, Counters,
    Packet, Segment, Tunnel, LEG_MS, REWIND_WINDOW_MS,
};

/// The page's data-plane state, fed by the frame loop.
#[derive(Clone, Copy)]
pub struct Traffic {
    /// Packets in the air (at most `packets::MAX_PACKETS`).
    pub packets: RwSignal<Vec<Packet>>,
    /// Packet-clock milliseconds: runs with wall time × [`pace`] while playing.
    pub clock: RwSignal<f64>,
    /// Requests answered per pod and per Service, refreshed at the scene's pace.
    pub counters: RwSignal<Counters>,
    /// The flow log's newest id, refreshed at the scene's pace: the panels track it.
    pub last_flow: RwSignal<u64>,
    pub tunnels: RwSignal<Vec<Tunnel>>,
    /// The newest flow already turned into packets (or skipped).
    seen: StoredValue<u64, LocalStorage>,
    last_sample: StoredValue<f64, LocalStorage>,
    /// Packet-clock time still to run while paused, after a step.
    step_budget: StoredValue<f64, LocalStorage>,
}

/// What one frame read from the cluster for [`Traffic::apply`].
pub struct TrafficNews {
    rewound: bool,
    new_packets: Vec<Packet>,
    seen: u64,
    counters: Option<Counters>,
    last_flow: Option<u64>,
    tunnels: Option<Vec<Tunnel>>,
}

impl Traffic {
    pub fn new() -> Traffic {
        Traffic {
            packets: RwSignal::new(Vec::new()),
            clock: RwSignal::new(0.0),
            counters: RwSignal::new(Counters::default()),
            last_flow: RwSignal::new(0),
            tunnels: RwSignal::new(Vec::new()),
            seen: StoredValue::new_local(0),
            last_sample: StoredValue::new_local(f64::NEG_INFINITY),
            step_budget: StoredValue::new_local(0.0),
        }
    }

    /// Reads what changed in the cluster's data plane. Reads signals only (the timeline
    /// is borrowed while this runs); [`Traffic::apply`] sets them.
    pub fn read(&self, cluster: &Cluster, rewound: bool, due: bool) -> TrafficNews {
        let flows = cluster.network().flows();
        let clock = self.clock.get_untracked();
        let mut last_sample = self.last_sample.get_value();
        let new_packets = if rewound {
            // The replayed cluster: what was in the air a moment ago flies again.
            let since = cluster.now().saturating_sub(REWIND_WINDOW_MS);
            select(
                0,
                flows.recent().filter(|f| f.at >= since),
                clock,
                &mut last_sample,
            )
        } else {
            let seen = self.seen.get_value();
            if flows.last_id() > seen {
                let flying = self.packets.with_untracked(Vec::len);
                select(flying, flows.since(seen), clock, &mut last_sample)
            } else {
                Vec::new()
            }
        };
        self.last_sample.set_value(last_sample);
        let fresh = due || rewound;
        let counters = fresh
            .then(|| Counters::from_log(flows.all_endpoint_counts()))
            .filter(|c| self.counters.with_untracked(|old| old != c));
        let last_flow =
            Some(flows.last_id()).filter(|id| fresh && self.last_flow.get_untracked() != *id);
        let tunnels = fresh
            .then(|| {
                cluster
                    .network()
                    .forwards()
                    .iter()
                    .map(|(port, forward)| Tunnel {
                        local_port: *port,
                        namespace: forward.namespace.clone(),
                        pod: forward.pod.clone(),
                        remote_port: forward.remote_port,
                        target: forward.target.clone(),
                    })
                    .collect::<Vec<_>>()
            })
            .filter(|t| self.tunnels.with_untracked(|old| old != t));
        TrafficNews {
            rewound,
            new_packets,
            seen: flows.last_id(),
            counters,
            last_flow,
            tunnels,
        }
    }

    pub fn apply(&self, news: TrafficNews) {
        self.seen.set_value(news.seen);
        if news.rewound || !news.new_packets.is_empty() {
            self.packets.update(|packets| {
                if news.rewound {
                    packets.clear();
                }
                packets.extend(news.new_packets);
                make_room(packets);
            });
        }
        if let Some(counters) = news.counters {
            self.counters.set(counters);
        }
        if let Some(id) = news.last_flow {
            self.last_flow.set(id);
        }
        if let Some(tunnels) = news.tunnels {
            self.tunnels.set(tunnels);
        }
    }

    /// One frame: the packet clock runs `dt` wall milliseconds at the transport's pace
    /// while playing (or for a moment after a step), and arrived packets are retired.
    pub fn tick(&self, dt: f64, playing: bool, speed: f64) {
        if self.packets.with_untracked(Vec::is_empty) {
            return;
        }
        let mut run = dt * pace(speed);
        if !playing {
            let budget = self.step_budget.get_value();
            run = run.min(budget);
            self.step_budget.set_value(budget - run);
        }
        if run <= 0.0 {
            return;
        }
        let clock = self.clock.get_untracked() + run;
        self.clock.set(clock);
        if self
            .packets
            .with_untracked(|p| p.iter().any(|packet| packet.end() < clock))
        {
            self.packets
                .update(|p| p.retain(|packet| packet.end() >= clock));
        }
    }

    /// After a step while paused, packets move on by two hops.
    pub fn after_step(&self) {
        self.step_budget.set_value(2.0 * LEG_MS);
    }
}

/// What the caption line tells while a command's request is in the air: its newest
/// packet's current hop — (number and route, rule and why).
pub fn packet_caption(traffic: Traffic) -> Memo<Option<(String, String)>> {
    // A Memo: read every frame, it changes only when the hop does.
    Memo::new(move |_| {
        let clock = traffic.clock.get();
        traffic.packets.with(|packets| {
            let packet = packets
                .iter()
                .rev()
                .find(|p| p.featured && p.progress(clock).is_some() && clock < p.end())?;
            let (index, _) = packet.progress(clock)?;
            let leg = packet.legs.get(index)?;
            let route = if leg.route.is_empty() {
                format!("{} {} → {}", circled(index + 1), leg.from, leg.to)
            } else {
                format!("{} {}", circled(index + 1), leg.route)
            };
            Some((route, format!(": {} — {}", leg.rule, leg.why)))
        })
    })
}

/// `①`…`⑳` for hop numbers (plain digits beyond).
fn circled(n: usize) -> String {
    char::from_u32(0x2460 + n as u32 - 1)
        .filter(|_| (1..=20).contains(&n))
        .map(String::from)
        .unwrap_or_else(|| format!("{n}."))
}

/// Packets in the air: a dot per packet travelling its legs, coloured by kind (DNS,
/// HTTP, dropped), hollow on its way back. A command's request (not steady traffic) is
/// larger and carries its current hop's rule beside it; clicking any packet shows its
/// flow in the inspector. With reduced motion, packets jump from box to box.
#[component]
pub fn PacketsLayer(
    live: Live,
    anchors: Memo<BTreeMap<String, Rect>>,
    selection: RwSignal<Selection>,
) -> impl IntoView {
    let traffic = live.traffic;
    let reduced = live.reduced_motion;
    view! {
        <g class="layer-packets" data-testid="packets">
            <For
                each=move || traffic.packets.get()
                key=|packet| packet.flow
                children=move |packet| {
                    let flow = packet.flow;
                    let start = packet.start;
                    let segments: std::sync::Arc<Vec<Segment>> =
                        std::sync::Arc::new(anchors.with_untracked(|a| route(&packet, a)));
                    let here_route = segments.clone();
                    // A Memo: the dot, its trail and its label all read the position.
                    let here = Memo::new(move |_| {
                        let elapsed = traffic.clock.get() - start;
                        // Reduced motion: from box to box, no travel in between.
                        let elapsed = if reduced && elapsed >= 0.0 { (elapsed / LEG_MS).floor() * LEG_MS + LEG_MS } else { elapsed };
                        locate(&here_route, elapsed)
                    });
                    let leg = Memo::new(move |_| here.get().map(|(leg, _)| leg));
                    let selected = move || selection.with(|s| s == &Selection::Flow(flow));
                    let featured = packet.featured;
                    let class = format!("packet packet-{}", packet.class);
                    let reply_route = segments.clone();
                    let reply = move || leg.get().is_some_and(|i| reply_route[i].reply);
                    let trail_route = segments.clone();
                    let trail = move || {
                        let show = featured || selected();
                        let i = leg.get()?;
                        let segment = trail_route.get(i)?;
                        show.then(|| arc_points(segment))
                    };
                    // The label's text changes per leg, its place every frame.
                    let label_route = segments.clone();
                    let label_text = move || {
                        let i = leg.get()?;
                        let segment = label_route.get(i)?;
                        Some(if segment.reply && segment.hop.is_none() {
                            format!("↩ {}", segment.rule)
                        } else {
                            format!("{} {}", circled(i + 1), segment.rule)
                        })
                    };
                    let labelled = move || (featured || selected()) && here.with(Option::is_some);
                    let label_x = move || here.get().map(|(_, (x, _))| x + 14.0).unwrap_or_default();
                    let label_y = move || here.get().map(|(_, (_, y))| y - 12.0).unwrap_or_default();
                    let on_click = move |event: web_sys::MouseEvent| {
                        event.stop_propagation();
                        selection.set(Selection::Flow(flow));
                    };
                    view! {
                        <g class=class class:featured=featured class:selected=selected class:reply=reply
                            data-testid="packet" data-flow=flow.to_string()
                            data-leg=move || leg.get().map(|l| l.to_string()).unwrap_or_default()>
                            <polyline class="packet-trail" points=move || trail().unwrap_or_default() />
                            <g class="packet-dot-group"
                                transform=move || here.get().map(|(_, (x, y))| format!("translate({x:.1} {y:.1})")).unwrap_or_default()
                                visibility=move || if here.get().is_some() { "visible" } else { "hidden" }
                                on:click=on_click>
                                <circle class="packet-hit" r="15" />
                                <circle class="packet-dot" r=if featured { "8.5" } else { "5.5" } />
                                <title>{format!("flow #{flow}: click for its hops")}</title>
                            </g>
                            <text class="packet-label" x=label_x y=label_y
                                visibility=move || if labelled() { "visible" } else { "hidden" }>{label_text}</text>
                        </g>
                    }
                }
            />
        </g>
    }
}

/// A segment's arc as SVG polyline points (the path a packet follows on it).
fn arc_points(segment: &Segment) -> String {
    (0..=16)
        .map(|i| {
            let (x, y) = token_position(segment.from, segment.to, i as f64 / 16.0);
            format!("{x:.1},{y:.1}")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Requests answered, as badges on each endpoint pod and on each Service: the balance
/// at a glance (the Traffic panel has the shares).
#[component]
pub fn CountersLayer(live: Live, anchors: Memo<BTreeMap<String, Rect>>) -> impl IntoView {
    let traffic = live.traffic;
    // A Memo: badges are rebuilt only when a count or a box moves.
    let badges = Memo::new(move |_| {
        traffic.counters.with(|counters| {
            anchors.with(|anchors| {
                let mut by_box: BTreeMap<String, (Rect, u64, bool)> = BTreeMap::new();
                for (pod, count) in &counters.pods {
                    let Some((namespace, name)) = pod.split_once('/') else {
                        continue;
                    };
                    if let Some(rect) = anchors.get(&pod_key(namespace, name)) {
                        let entry = by_box
                            .entry(format!("{rect:?}"))
                            .or_insert((*rect, 0, false));
                        entry.1 += count;
                    }
                }
                for (service, count) in &counters.services {
                    let Some((namespace, name)) = service.split_once('/') else {
                        continue;
                    };
                    if let Some(rect) = anchors.get(&service_key(namespace, name)) {
                        by_box.insert(format!("svc {rect:?}"), (*rect, *count, true));
                    }
                }
                by_box.into_values().collect::<Vec<_>>()
            })
        })
    });
    view! {
        <g class="layer-counters" data-testid="counters">
            <For
                each=move || badges.get()
                key=|(rect, count, service)| format!("{rect:?}{count}{service}")
                children=move |(rect, count, service)| {
                    let text = if service { format!("{count} req") } else { count.to_string() };
                    let width = 12.0 + 7.6 * text.chars().count() as f64;
                    let (x, y) = (rect.right() - width + 6.0, rect.y - 9.0);
                    let what = if service { "requests through this Service" } else { "requests answered by this pod" };
                    view! {
                        <g class="counter" class:service-counter=service data-testid="counter" data-count=count.to_string()>
                            <title>{format!("{count} {what}")}</title>
                            <rect class="counter-badge" x=x y=y width=width height="18" rx="9" />
                            <text class="counter-text" x=x + width / 2.0 y=y + 13.0 text-anchor="middle">{text}</text>
                        </g>
                    }
                }
            />
        </g>
    }
}

/// `kubectl port-forward`s as tunnels: laptop → kube-apiserver → kubelet → pod (never
/// through kube-proxy, even for `svc/NAME`).
#[component]
pub fn TunnelsLayer(live: Live, anchors: Memo<BTreeMap<String, Rect>>) -> impl IntoView {
    let traffic = live.traffic;
    let tunnels = move || {
        let tunnels = traffic.tunnels.get();
        anchors.with(|anchors| {
            live.scene.with(|scene| {
                tunnels
                    .iter()
                    .filter_map(|tunnel| {
                        let node = scene.pod(&tunnel.namespace, &tunnel.pod)?.node.clone();
                        let points: Vec<(f64, f64)> = tunnel
                            .stops(&node)
                            .iter()
                            .filter_map(|key| resolve(key, anchors).map(Rect::center))
                            .collect();
                        let first = *points.first()?;
                        let path: Vec<String> = points.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
                        Some(view! {
                            <g class="tunnel" data-testid="tunnel">
                                <polyline class="tunnel-path" points=path.join(" ") />
                                <text class="tunnel-label" x=first.0 + 12.0 y=first.1 + 36.0>{tunnel.label()}</text>
                            </g>
                        })
                    })
                    .collect_view()
            })
        })
    };
    view! { <g class="layer-tunnels" data-testid="tunnels">{tunnels}</g> }
}

/// Text for how a flow ended.
pub fn outcome_text(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Answered { status: 0 } => "answered".to_string(),
        Outcome::Answered { status } => format!("HTTP {status}"),
        Outcome::Resolved { records } => {
            format!("{records} record{}", if *records == 1 { "" } else { "s" })
        }
        Outcome::NxDomain => "NXDOMAIN".to_string(),
        Outcome::Refused => "refused".to_string(),
        Outcome::Dropped => "dropped".to_string(),
        Outcome::TlsFailed => "TLS failed".to_string(),
    }
}

/// A flow in the inspector: its hops as `sim trace` prints them (from → to, the rule,
/// why), the one its packet is on now highlighted.
pub fn flow_details(live: Live, id: u64) -> impl IntoView {
    let traffic = live.traffic;
    let flow = Memo::new(move |_| {
        traffic.last_flow.track();
        live.timeline
            .with_value(|t| t.console().cluster().network().flows().get(id).cloned())
    });
    // The hop the packet is drawing now, if it is in the air.
    let current_hop = Memo::new(move |_| {
        traffic.packets.with(|packets| {
            let packet = packets.iter().find(|p| p.flow == id)?;
            let (leg, _) = packet.progress(traffic.clock.get())?;
            packet.legs.get(leg)?.hop
        })
    });
    // Keep the hop being drawn in view as the packet moves on.
    Effect::new(move |_| {
        if current_hop.get().is_some() {
            if let Ok(Some(hop)) = document().query_selector("#inspector .hop.current") {
                hop.scroll_into_view_with_bool(false);
            }
        }
    });
    move || {
        match flow.get() {
        None => view! {
            <p class="inspector-gone" data-testid="inspector-gone">
                {format!("Flow #{id} is not in the log any more (rewound past it, or older than the newest 256).")}
            </p>
        }
        .into_any(),
        Some(flow) => flow_view(flow, current_hop).into_any(),
    }
    }
}

fn flow_view(flow: Flow, current_hop: Memo<Option<usize>>) -> impl IntoView {
    let class = flow.outcome.class(flow.layer);
    let hops = flow
        .hops
        .iter()
        .enumerate()
        .map(|(i, hop)| {
            view! {
                <li class="hop" class:reply=hop.reply class:current=move || current_hop.get() == Some(i) data-testid="hop">
                    <span class=format!("hop-number packet-{class}")>{circled(i + 1)}</span>
                    <div class="hop-body">
                        <div class="hop-route">
                            {format!("{} → {}", hop.from, hop.to)}
                            <span class="hop-layer">{hop.layer.as_str()}</span>
                        </div>
                        <code class="hop-rule">{hop.rule.clone()}</code>
                        <div class="hop-why">{hop.explanation.clone()}</div>
                    </div>
                </li>
            }
        })
        .collect_view();
    let mut facts = vec![
        ("At", super::timeline::clock_text(flow.at)),
        ("Outcome", outcome_text(&flow.outcome)),
    ];
    if let Some(service) = &flow.service {
        facts.push(("Service", service.clone()));
    }
    if let Some(endpoint) = &flow.endpoint {
        facts.push(("Answered by", endpoint.clone()));
    }
    if let Some(generator) = flow.generator {
        facts.push(("Sent by", format!("sim traffic #{generator}")));
    }
    view! {
        <div class="inspector-details" data-testid="inspector-details">
            <span class=format!("kind-badge flow-badge packet-{class}")>{format!("Flow #{} · {}", flow.id, flow.layer.as_str())}</span>
            <h3 class="inspector-title" data-testid="inspector-title">{flow.summary.clone()}</h3>
            <dl class="fields">
                {facts.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
            </dl>
            <h4 class="section-label">"Hop by hop"</h4>
            <ol class="hops" data-testid="inspector-hops">{hops}</ol>
        </div>
    }
}

/// Which panel the bottom row's right side shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SideTab {
    Messages,
    Traffic,
    Dns,
    Compare,
}

/// The tabs in the bottom panel's header, in place of its title.
#[component]
pub fn PanelTabs(tab: RwSignal<SideTab>) -> impl IntoView {
    let button = move |which: SideTab, label: &'static str, testid: &'static str| {
        view! {
            <button type="button" role="tab" class="panel-tab" data-testid=testid
                class:active=move || tab.get() == which
                aria-selected=move || (tab.get() == which).to_string()
                on:click=move |_| tab.set(which)>
                {label}
            </button>
        }
    };
    view! {
        <div class="panel-tabs" role="tablist" aria-label="Panels">
            {button(SideTab::Messages, "Messages", "tab-messages")}
            {button(SideTab::Traffic, "Traffic", "tab-traffic")}
            {button(SideTab::Dns, "DNS", "tab-dns")}
            {button(SideTab::Compare, "Compare", "tab-compare")}
        </div>
    }
}

/// One Service's balance for the Traffic panel.
#[derive(Clone, Debug, PartialEq)]
struct BalanceView {
    service: String,
    total: u64,
    pods: Vec<(String, u64, f64)>,
}

/// A recent flow for the Traffic panel's list.
#[derive(Clone, Debug, PartialEq)]
struct FlowRow {
    id: u64,
    clock: String,
    class: &'static str,
    summary: String,
    outcome: String,
    endpoint: String,
}

/// How many recent flows the Traffic panel lists.
const FLOW_ROWS: usize = 60;

/// Steady traffic's balance (per Service, each endpoint's share) and the recent flows;
/// click one for its hops.
#[component]
pub fn TrafficPanel(
    live: Live,
    tab: RwSignal<SideTab>,
    inspect: RwSignal<Selection>,
) -> impl IntoView {
    let traffic = live.traffic;
    let visible = move || tab.get() == SideTab::Traffic;
    // Memos, computed only while the panel shows: at most ten times a second.
    let balances = Memo::new(move |_| {
        if !visible() {
            return Vec::new();
        }
        traffic.counters.track();
        live.timeline.with_value(|t| {
            t.console()
                .cluster()
                .network()
                .flows()
                .all_endpoint_counts()
                .iter()
                .map(|(service, pods)| BalanceView {
                    service: service.clone(),
                    total: pods.values().sum(),
                    pods: balance(pods),
                })
                .collect::<Vec<_>>()
        })
    });
    let rows = Memo::new(move |_| {
        if !visible() {
            return Vec::new();
        }
        traffic.last_flow.track();
        live.timeline.with_value(|t| {
            let mut rows: Vec<FlowRow> = t
                .console()
                .cluster()
                .network()
                .flows()
                .recent()
                .rev()
                .take(FLOW_ROWS)
                .map(|flow| FlowRow {
                    id: flow.id,
                    clock: super::timeline::clock_text(flow.at),
                    class: flow.outcome.class(flow.layer),
                    summary: flow.summary.clone(),
                    outcome: outcome_text(&flow.outcome),
                    endpoint: flow
                        .endpoint
                        .as_deref()
                        .map(|e| e.rsplit('/').next().unwrap_or(e).to_string())
                        .unwrap_or_default(),
                })
                .collect();
            rows.reverse();
            rows
        })
    });
    let generators = move || {
        traffic.last_flow.track();
        live.timeline
            .with_value(|t| t.console().cluster().network().generators().len())
    };
    let list_ref = NodeRef::<leptos::html::Ol>::new();
    Effect::new(move |_| {
        rows.track();
        if let Some(list) = list_ref.get() {
            super::scroll::scroll_to_end_soon(&list);
        }
    });
    view! {
        <section id="traffic" data-testid="traffic-panel" class="panel traffic-panel" aria-label="Traffic" hidden=move || !visible()>
            <header class="panel-header">
                <PanelTabs tab=tab />
                <span class="panel-hint">{move || match generators() {
                    0 => "curl · sim traffic start".to_string(),
                    n => format!("{n} generator{} running", if n == 1 { "" } else { "s" }),
                }}</span>
            </header>
            <div class="traffic-body">
                <div class="balances" data-testid="balances">
                    <Show when=move || balances.with(Vec::is_empty)>
                        <p class="message-empty">"No requests yet. Try "<code>"curl http://172.18.0.4:30007/"</code>" or "<code>"sim traffic start --to URL --rate 20"</code>"."</p>
                    </Show>
                    <For
                        each=move || balances.get()
                        key=|b| format!("{}{}", b.service, b.total)
                        children=move |b| {
                            view! {
                                <div class="balance" data-testid="balance" data-service=b.service.clone()>
                                    <div class="balance-title"><strong>{format!("svc/{}", b.service.rsplit('/').next().unwrap_or(&b.service))}</strong>{format!(" · {} requests", b.total)}</div>
                                    {b.pods.into_iter().map(|(pod, count, share)| view! {
                                        <div class="balance-row" data-testid="balance-row" data-pod=pod.clone() data-count=count.to_string()>
                                            <span class="balance-pod">{pod.rsplit('/').next().unwrap_or(&pod).to_string()}</span>
                                            <span class="balance-bar"><span class="balance-fill" style:width=format!("{:.1}%", share * 100.0)></span></span>
                                            <span class="balance-count">{format!("{count} · {:.0}%", share * 100.0)}</span>
                                        </div>
                                    }).collect_view()}
                                </div>
                            }
                        }
                    />
                </div>
                <ol class="message-list flow-list" node_ref=list_ref data-testid="flow-list">
                    <For
                        each=move || rows.get()
                        key=|row| row.id
                        children=move |row| {
                            let item = Selection::Flow(row.id);
                            let selected = item.clone();
                            view! {
                                <li class="message" class:selected=move || inspect.with(|s| s == &selected)>
                                    <button type="button" class="message-button" data-testid="flow" data-flow=row.id.to_string()
                                        on:click=move |_| inspect.set(item.clone())>
                                        <span class=format!("flow-dot packet-{}", row.class) aria-hidden="true"></span>
                                        <span class="message-time">{row.clock}</span>
                                        <span class="message-summary">{row.summary}</span>
                                        <span class=format!("flow-outcome packet-{}", row.class)>{format!(" {}", row.outcome)}</span>
                                        <span class="message-route">{if row.endpoint.is_empty() { String::new() } else { format!(" → {}", row.endpoint) }}</span>
                                    </button>
                                </li>
                            }
                        }
                    />
                </ol>
            </div>
        </section>
    }
}

/// What CoreDNS answers, Service by Service, side by side: a ClusterIP name gets one
/// virtual IP, a headless name every ready pod's IP; and the latest lookups.
#[component]
pub fn DnsPanel(live: Live, tab: RwSignal<SideTab>, inspect: RwSignal<Selection>) -> impl IntoView {
    let visible = move || tab.get() == SideTab::Dns;
    view! {
        <section id="dns" data-testid="dns-panel" class="panel dns-panel" aria-label="DNS" hidden=move || !visible()>
            <header class="panel-header">
                <PanelTabs tab=tab />
                <span class="panel-hint">"CoreDNS · 10.96.0.10"</span>
            </header>
            <DnsAnswers live=live inspect=inspect visible=Signal::derive(visible) />
        </section>
    }
}

/// The DNS comparison itself (the DNS panel, and CoreDNS in the inspector).
#[component]
pub fn DnsAnswers(
    live: Live,
    inspect: RwSignal<Selection>,
    #[prop(into)] visible: Signal<bool>,
) -> impl IntoView {
    // Memos: recomputed when the cluster is redrawn or a flow arrives, and only while shown.
    let cards = Memo::new(move |_| {
        if !visible.get() {
            return Vec::new();
        }
        live.scene.with(|scene| {
            live.timeline
                .with_value(|t| dns_cards(t.console().cluster(), scene))
        })
    });
    let lookups = Memo::new(move |_| {
        if !visible.get() {
            return Vec::new();
        }
        live.traffic.last_flow.track();
        live.timeline
            .with_value(|t| recent_lookups(t.console().cluster(), 4))
    });
    view! {
        <div class="dns-body">
            <div class="dns-cards" data-testid="dns-cards">
                <For each=move || cards.get() key=|card| card.clone() children=dns_card />
            </div>
            <Show when=move || lookups.with(|l| !l.is_empty())>
                <ul class="dns-lookups" data-testid="dns-lookups">
                    <span class="section-label">"Latest lookups"</span>
                    {move || lookups.get().into_iter().map(|(id, summary, answer)| view! {
                        <li><button type="button" class="link-button" on:click=move |_| inspect.set(Selection::Flow(id))>
                            {summary}" → "<strong>{answer}</strong>
                        </button></li>
                    }).collect_view()}
                </ul>
            </Show>
        </div>
    }
}

/// A pod's name short enough to sit beside its address, keeping the suffix that tells
/// pods apart: `example-7d67ddd9df-qn4rz` → `example…qn4rz`.
fn short_pod(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    if chars.len() <= 14 {
        return format!(" {name}");
    }
    let head: String = chars[..7].iter().collect();
    let tail: String = chars[chars.len() - 5..].iter().collect();
    format!(" {head}…{tail}")
}

fn dns_card(card: DnsCard) -> impl IntoView {
    let meaning = card.meaning();
    let kind = if card.headless {
        "headless"
    } else {
        "ClusterIP"
    };
    view! {
        <div class="dns-card" class:headless=card.headless data-testid="dns-card" data-service=card.name.clone()
            data-records=card.records.len().to_string()>
            <div class="dns-card-title"><span class="dns-kind">{kind}</span><strong>{card.name.clone()}</strong></div>
            <div class="dns-fqdn" title=card.fqdn.clone()>{card.fqdn.clone()}</div>
            <ul class="dns-records">
                {card.records.iter().map(|(ip, pod)| view! {
                    <li class="dns-record" data-testid="dns-record"><code>{format!("A {ip}")}</code>
                        <span class="dns-pod" title=pod.clone().unwrap_or_default()>{pod.as_deref().map(short_pod).unwrap_or_default()}</span></li>
                }).collect_view()}
                {card.records.is_empty().then(|| view! { <li class="dns-record none"><code>{if card.nxdomain { "NXDOMAIN" } else { "no records" }}</code></li> })}
            </ul>
            <div class="dns-meaning">{meaning}</div>
        </div>
    }
}
