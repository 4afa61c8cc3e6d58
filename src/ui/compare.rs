//! The side-by-side view of issue 11: the same requests sent through the Ingress
//! controller (ingress-nginx) and through a Gateway (Envoy Gateway), and what each proxy
//! decided at each hop — routed, rejected 401, limited 429, redirected, split 90/10 — so
//! the difference between a router and an API gateway shows in one glance.
//!
//! The requests are console `curl` lines run through the timeline (so rewind replays
//! them); what each side did is read back from the flow log: the flows to each address,
//! their statuses, and the proxy's own hops (those leaving the controller's pod). Bursts
//! add up until the panel is cleared, so different requests can be compared together.
//!
//! The model here is pure (no web crates), so native tests cover it; the panel that
//! draws it is at the end, wasm-only.

use crate::sim::network::{Flow, Outcome, Place};
use crate::sim::object;
use crate::sim::sort::SharedSort;
use crate::sim::Cluster;
use std::collections::BTreeMap;

/// The two front doors: ingress-nginx's load-balancer address and the first Programmed
/// Gateway's.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Targets {
    pub ingress: Option<String>,
    /// (Gateway `namespace/name`, address).
    pub gateway: Option<(String, String)>,
}

pub fn targets(cluster: &Cluster) -> Targets {
    let ingress = cluster
        .registry()
        .resolve("services")
        .and_then(|rt| {
            cluster
                .get(rt, "ingress-nginx", "ingress-nginx-controller")
                .ok()
        })
        .map(|s| object::str_at(s, "/status/loadBalancer/ingress/0/ip").to_string())
        .filter(|ip| !ip.is_empty());
    let gateway = cluster.registry().resolve("gateways").and_then(|rt| {
        cluster.list(rt, None).into_iter().find_map(|g| {
            let ip = object::str_at(g, "/status/addresses/0/value");
            (!ip.is_empty()).then(|| {
                (
                    format!("{}/{}", object::namespace(g), object::name(g)),
                    ip.to_string(),
                )
            })
        })
    });
    Targets { ingress, gateway }
}

/// The request both sides get.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestSpec {
    pub host: String,
    pub path: String,
    /// Extra headers, `Name: value` each.
    pub headers: Vec<String>,
}

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// The console line that sends `spec` to `address` once.
pub fn curl_line(address: &str, spec: &RequestSpec) -> String {
    let mut line = String::from("curl -s -o /dev/null");
    if !spec.host.is_empty() {
        line.push_str(&format!(" -H {}", quote(&format!("Host: {}", spec.host))));
    }
    for h in spec.headers.iter().filter(|h| h.contains(':')) {
        line.push_str(&format!(" -H {}", quote(h)));
    }
    let path = if spec.path.starts_with('/') {
        spec.path.clone()
    } else {
        format!("/{}", spec.path)
    };
    line.push_str(&format!(" http://{address}{path}"));
    line
}

/// `n` rounds of the same request to each side, interleaved (ingress, gateway, …).
pub fn burst(targets: &Targets, spec: &RequestSpec, n: usize) -> Vec<String> {
    let mut lines = vec![];
    for _ in 0..n {
        if let Some(ip) = &targets.ingress {
            lines.push(curl_line(ip, spec));
        }
        if let Some((_, ip)) = &targets.gateway {
            lines.push(curl_line(ip, spec));
        }
    }
    lines
}

/// What one side did with the burst.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Side {
    /// Outcome → how many requests had it, most frequent first ("200 → default/v1").
    pub tallies: Vec<(String, usize)>,
    /// The proxy's own decisions for the last request: (rule, explanation).
    pub hops: Vec<(String, String)>,
    pub requests: usize,
}

/// Both sides, side by side.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Comparison {
    pub ingress: Side,
    pub gateway: Side,
}

/// The proxy's pod in a flow: the first pod the request reaches.
fn proxy_pod(flow: &Flow) -> Option<&Place> {
    flow.hops
        .iter()
        .find(|h| !h.reply && matches!(h.to, Place::Pod { .. }))
        .map(|h| &h.to)
}

/// What a flow came to: "200 → default/v1", "401", "429", "refused".
pub fn outcome_label(flow: &Flow) -> String {
    match &flow.outcome {
        Outcome::Answered { status } => match (&flow.service, proxy_pod(flow)) {
            (Some(svc), Some(Place::Pod { namespace, .. }))
                if !svc.starts_with(&format!("{namespace}/")) =>
            {
                format!("{status} → {svc}")
            }
            _ => status.to_string(),
        },
        Outcome::Refused => "refused".into(),
        Outcome::Dropped => "timed out".into(),
        Outcome::TlsFailed => "TLS failed".into(),
        Outcome::Resolved { .. } | Outcome::NxDomain => "DNS".into(),
    }
}

fn side_of(flows: &[&Flow]) -> Side {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for f in flows {
        *counts.entry(outcome_label(f)).or_default() += 1;
    }
    let mut tallies: Vec<(String, usize)> = counts.into_iter().collect();
    tallies.sort_shared_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let hops = flows
        .last()
        .map(|f| {
            let proxy = proxy_pod(f).cloned();
            f.hops
                .iter()
                .filter(|h| !h.reply && Some(&h.from) == proxy.as_ref())
                .map(|h| (h.rule.clone(), h.explanation.clone()))
                .collect()
        })
        .unwrap_or_default();
    Side {
        tallies,
        hops,
        requests: flows.len(),
    }
}

/// What each side did with the flows after `since` (a flow id).
pub fn compare(cluster: &Cluster, targets: &Targets, since: u64) -> Comparison {
    let flows: Vec<&Flow> = cluster.network().flows().since(since).collect();
    let to = |ip: &Option<String>| -> Vec<&Flow> {
        match ip {
            Some(ip) => flows
                .iter()
                .copied()
                .filter(|f| f.generator.is_none() && f.summary.contains(&format!("://{ip}/")))
                .collect(),
            None => vec![],
        }
    };
    Comparison {
        ingress: side_of(&to(&targets.ingress)),
        gateway: side_of(&to(&targets.gateway.as_ref().map(|g| g.1.clone()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::Console;

    #[test]
    fn the_same_burst_through_both_proxies() {
        let mut console = Console::new(1);
        for line in [
            "kubectl create deployment web --image=nginx:1.27",
            "kubectl expose deployment web --port=80",
        ] {
            console.execute(line);
        }
        console.execute("kubectl apply -f - <<EOF\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\nspec:\n  rules:\n  - http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n          service:\n            name: web\n            port:\n              number: 80\n---\napiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: eg\nspec:\n  gatewayClassName: eg\n  listeners:\n  - name: http\n    protocol: HTTP\n    port: 80\n---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: web\nspec:\n  parentRefs:\n  - name: eg\n  rules:\n  - backendRefs:\n    - name: web\n      port: 80\n---\napiVersion: gateway.envoyproxy.io/v1alpha1\nkind: BackendTrafficPolicy\nmetadata:\n  name: rl\nspec:\n  targetRefs:\n  - group: gateway.networking.k8s.io\n    kind: HTTPRoute\n    name: web\n  rateLimit:\n    type: Local\n    local:\n      rules:\n      - limit:\n          requests: 3\n          unit: Minute\nEOF");
        console.execute("sleep 60");
        let t = targets(console.cluster());
        assert_eq!(t.ingress.as_deref(), Some("172.18.255.250"));
        assert_eq!(
            t.gateway,
            Some(("default/eg".into(), "172.18.255.200".into()))
        );
        let spec = RequestSpec {
            host: String::new(),
            path: "/".into(),
            headers: vec![],
        };
        let since = console.cluster().network().flows().last_id();
        let lines = burst(&t, &spec, 5);
        assert_eq!(lines[0], "curl -s -o /dev/null http://172.18.255.250/");
        for line in &lines {
            console.execute(line);
        }
        let c = compare(console.cluster(), &t, since);
        assert_eq!(
            c.ingress.tallies,
            vec![("200 → default/web".to_string(), 5)]
        );
        assert_eq!(
            c.gateway.tallies,
            vec![("200 → default/web".to_string(), 3), ("429".to_string(), 2)]
        );
        assert!(
            c.gateway.hops[0].0.contains("→ 429"),
            "{:?}",
            c.gateway.hops
        );
        assert!(
            c.ingress.hops[0].0.starts_with("proxy_pass"),
            "{:?}",
            c.ingress.hops
        );
    }
}

#[cfg(target_arch = "wasm32")]
pub use panel::ComparePanel;

/// The Compare tab: a request form, "Send to both", and the two columns.
#[cfg(target_arch = "wasm32")]
mod panel {
    use super::{burst, compare, targets, Comparison, RequestSpec, Side, Targets};
    use crate::ui::live::Live;
    use crate::ui::traffic::{PanelTabs, SideTab};
    use leptos::prelude::*;

    fn column(
        title: &'static str,
        testid: &'static str,
        address: Option<String>,
        side: Option<Side>,
    ) -> impl IntoView {
        let missing = address.is_none();
        let address = address.unwrap_or_else(|| "no address yet".into());
        let side = side.unwrap_or_default();
        let total = side.requests.max(1);
        view! {
            <div class="compare-column" data-testid=testid class:missing=missing>
                <div class="compare-title"><strong>{title}</strong><code>{address}</code></div>
                <ul class="compare-tallies">
                    {side.tallies.into_iter().map(|(label, n)| {
                        let class = match label.chars().next() {
                            Some('2') => "ok",
                            Some('3') => "redirect",
                            Some('4') => "rejected",
                            _ => "failed",
                        };
                        view! {
                            <li class=format!("compare-tally {class}")>
                                <span class="compare-label">{label}</span>
                                <span class="balance-bar"><span class="balance-fill" style:width=format!("{:.1}%", n as f64 * 100.0 / total as f64)></span></span>
                                <span class="compare-count">{format!("{n}×")}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <ol class="compare-hops">
                    {side.hops.into_iter().map(|(rule, why)| view! {
                        <li title=why><code>{rule}</code></li>
                    }).collect_view()}
                </ol>
            </div>
        }
    }

    #[component]
    pub fn ComparePanel(live: Live, tab: RwSignal<SideTab>) -> impl IntoView {
        let visible = move || tab.get() == SideTab::Compare;
        let host = RwSignal::new(String::new());
        let path = RwSignal::new("/".to_string());
        let header = RwSignal::new(String::new());
        let count = RwSignal::new("10".to_string());
        let result: RwSignal<Option<Comparison>> = RwSignal::new(None);
        // The bursts add up until Clear: the flow id the tallies count from.
        let since: RwSignal<Option<u64>> = RwSignal::new(None);
        // A Memo: the addresses change only when the cluster is redrawn, and are read
        // only while the tab shows.
        let doors = Memo::new(move |_| {
            if !visible() {
                return Targets::default();
            }
            live.scene.track();
            live.timeline.with_value(|t| targets(t.console().cluster()))
        });
        let send = move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let t = doors.get_untracked();
            let spec = RequestSpec {
                host: host.get_untracked().trim().to_string(),
                path: path.get_untracked().trim().to_string(),
                headers: header
                    .get_untracked()
                    .split(';')
                    .map(|h| h.trim().to_string())
                    .filter(|h| !h.is_empty())
                    .collect(),
            };
            let n = count
                .get_untracked()
                .trim()
                .parse::<usize>()
                .unwrap_or(10)
                .clamp(1, 50);
            let from = since.get_untracked().unwrap_or_else(|| {
                live.timeline
                    .with_value(|tl| tl.console().cluster().network().flows().last_id())
            });
            since.set(Some(from));
            for line in burst(&t, &spec, n) {
                live.execute(&line);
            }
            let c = live
                .timeline
                .with_value(|tl| compare(tl.console().cluster(), &t, from));
            result.set(Some(c));
        };
        view! {
            <section id="compare" data-testid="compare-panel" class="panel compare-panel" aria-label="Ingress versus Gateway" hidden=move || !visible()>
                <header class="panel-header">
                    <PanelTabs tab=tab />
                </header>
                <div class="compare-body">
                    <form class="compare-form" on:submit=send>
                        <input data-testid="compare-host" aria-label="Host header" placeholder="Host (optional)"
                            prop:value=move || host.get() on:input=move |ev| host.set(event_target_value(&ev)) />
                        <input data-testid="compare-path" aria-label="Path" placeholder="/path"
                            prop:value=move || path.get() on:input=move |ev| path.set(event_target_value(&ev)) />
                        <input data-testid="compare-header" aria-label="Headers" placeholder="x-api-key: …; env: canary"
                            prop:value=move || header.get() on:input=move |ev| header.set(event_target_value(&ev)) />
                        <input data-testid="compare-count" aria-label="Requests" class="compare-n" type="number" min="1" max="50"
                            prop:value=move || count.get() on:input=move |ev| count.set(event_target_value(&ev)) />
                        <button type="submit" data-testid="compare-send">"Send to both"</button>
                        <button type="button" data-testid="compare-clear" class="secondary"
                            on:click=move |_| { since.set(None); result.set(None); }>"Clear"</button>
                    </form>
                    <div class="compare-columns">
                        {move || {
                            let t = doors.get();
                            let r = result.get();
                            let (ingress, gateway) = match r {
                                Some(c) => (Some(c.ingress), Some(c.gateway)),
                                None => (None, None),
                            };
                            view! {
                                {column("Ingress · ingress-nginx", "compare-ingress", t.ingress.clone(), ingress)}
                                {column("Gateway · Envoy Gateway", "compare-gateway", t.gateway.as_ref().map(|g| format!("{} · {}", g.1, g.0)), gateway)}
                            }
                        }}
                    </div>
                </div>
            </section>
        }
    }
}
