//! The cluster view (design.md §5), the page's main region: the control plane at the
//! top, the Services between, the nodes below as cards with their kubelet and
//! kube-proxy. For now it draws the default cluster as a static picture; a later issue
//! makes it live (pods, moving messages and packets).
//!
//! Geometry comes from the pure [`geometry`](super::geometry) module; this component only
//! measures its panel, asks for a layout, and turns rectangles into SVG, one `<g>` per
//! layer. Everything drawn is clickable and keyboard-focusable, and selects itself for
//! the inspector.

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;

use super::default_cluster::{COMPONENTS, NODES, NODE_AGENTS, SERVICES};
use super::geometry::{fit_layout, ClusterLayout, Counts, Rect};
use super::inspector::Selection;

const COUNTS: Counts = Counts {
    components: COMPONENTS.len(),
    services: SERVICES.len(),
    nodes: NODES.len(),
};

/// Watches `target`'s size and writes it (content box, CSS pixels) to `size`.
fn observe_size(target: &web_sys::Element, size: RwSignal<(f64, f64)>) {
    let on_resize = Closure::<dyn Fn(js_sys::Array)>::new(move |entries: js_sys::Array| {
        if let Ok(entry) = entries.get(0).dyn_into::<web_sys::ResizeObserverEntry>() {
            let rect = entry.content_rect();
            size.set((rect.width(), rect.height()));
        }
    });
    if let Ok(observer) = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()) {
        observer.observe(target);
    }
    // The cluster view lives as long as the page: observer and callback are never freed.
    on_resize.forget();
}

/// Event handlers that select `item` on click, Enter or Space.
fn selectable(
    selection: RwSignal<Selection>,
    item: Selection,
) -> (
    impl Fn(web_sys::MouseEvent) + Copy,
    impl Fn(web_sys::KeyboardEvent) + Copy,
) {
    let on_click = move |event: web_sys::MouseEvent| {
        event.stop_propagation();
        selection.set(item);
    };
    let on_key = move |event: web_sys::KeyboardEvent| {
        if matches!(event.key().as_str(), "Enter" | " ") {
            event.prevent_default();
            event.stop_propagation();
            selection.set(item);
        }
    };
    (on_click, on_key)
}

#[component]
pub fn ClusterView(selection: RwSignal<Selection>) -> impl IntoView {
    let canvas = NodeRef::<html::Div>::new();
    let size = RwSignal::new((0.0, 0.0));
    canvas.on_load(move |element| observe_size(&element, size));
    // A Memo: the layout is read by every layer, and recomputed only when the size changes.
    let fitted = Memo::new(move |_| {
        let (width, height) = size.get();
        fit_layout(width, height, COUNTS)
    });

    let drawing = move || {
        let (layout, scale) = fitted.get();
        let ready = size.with(|(width, _)| *width > 0.0);
        ready.then(|| {
            view! {
                <svg
                    class="cluster-svg"
                    data-testid="cluster-svg"
                    viewBox=format!("0 0 {} {}", layout.width, layout.height)
                    width=layout.width * scale
                    height=layout.height * scale
                    role="group"
                    aria-label="The default cluster: control plane, Services and four nodes"
                >
                    {control_plane_layer(&layout, selection)}
                    {services_layer(&layout, selection)}
                    {nodes_layer(&layout, selection)}
                </svg>
            }
        })
    };

    view! {
        <section
            id="cluster-view"
            data-testid="cluster-view"
            class="panel cluster-panel"
            aria-label="Cluster view"
        >
            <header class="cluster-caption" id="cluster-caption" data-testid="cluster-caption">
                <span class="status-dot" aria-hidden="true"></span>
                <span>
                    <strong>"Default cluster"</strong>
                    " — 1 control-plane node, 3 workers, all Ready"
                </span>
                <span class="panel-hint caption-hint">"Click anything to inspect it"</span>
            </header>
            <div class="cluster-canvas" node_ref=canvas on:click=move |_| selection.set(Selection::Nothing)>
                {drawing}
            </div>
        </section>
    }
}

fn control_plane_layer(layout: &ClusterLayout, selection: RwSignal<Selection>) -> impl IntoView {
    let band = layout.control_plane;
    let components = layout
        .components
        .iter()
        .zip(COMPONENTS.iter())
        .enumerate()
        .map(|(i, (rect, component))| {
            let item = Selection::Component(i);
            let (on_click, on_key) = selectable(selection, item);
            view! {
                <g
                    class="component selectable"
                    class:selected=move || selection.get() == item
                    data-testid=format!("component-{}", component.name)
                    role="button"
                    tabindex="0"
                    aria-label=format!("{}: {}", component.name, component.caption)
                    on:click=on_click
                    on:keydown=on_key
                >
                    <rect class="box" x=rect.x y=rect.y width=rect.width height=rect.height rx="8" />
                    <text class="box-name" x=rect.x + 14.0 y=rect.y + 21.0>{component.name}</text>
                    <text class="box-caption" x=rect.x + 14.0 y=rect.y + 39.0>{component.caption}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <g class="layer-control-plane">
            <rect class="band" x=band.x y=band.y width=band.width height=band.height rx="12" />
            <text class="band-title" x=band.x + 16.0 y=band.y + 21.0>
                "CONTROL PLANE"
                <tspan class="band-title-detail">" · control-plane 172.18.0.2"</tspan>
            </text>
            {components}
        </g>
    }
}

fn services_layer(layout: &ClusterLayout, selection: RwSignal<Selection>) -> impl IntoView {
    let band = layout.services_band;
    let pills = layout
        .services
        .iter()
        .zip(SERVICES.iter())
        .enumerate()
        .map(|(i, (rect, service))| {
            let item = Selection::Service(i);
            let (on_click, on_key) = selectable(selection, item);
            view! {
                <g
                    class="service selectable"
                    class:selected=move || selection.get() == item
                    data-testid=format!("service-{}", service.name)
                    role="button"
                    tabindex="0"
                    aria-label=format!("Service {} at {}", service.name, service.cluster_ip)
                    on:click=on_click
                    on:keydown=on_key
                >
                    <rect class="pill" x=rect.x y=rect.y width=rect.width height=rect.height rx=rect.height / 2.0 />
                    <text class="pill-text" x=rect.x + 16.0 y=rect.y + rect.height / 2.0 + 5.0>
                        <tspan class="pill-kind">"svc/"</tspan>
                        <tspan class="pill-name">{service.name}</tspan>
                        <tspan class="pill-detail">{format!("  {} · {}", service.cluster_ip, service.ports)}</tspan>
                    </text>
                </g>
            }
        })
        .collect_view();
    view! {
        <g class="layer-services">
            <text class="band-title" x=band.x + 2.0 y=band.y + 22.0>"SERVICES"</text>
            {pills}
        </g>
    }
}

fn nodes_layer(layout: &ClusterLayout, selection: RwSignal<Selection>) -> impl IntoView {
    layout
        .nodes
        .iter()
        .zip(NODES.iter())
        .enumerate()
        .map(|(i, (card, node))| {
            let item = Selection::Node(i);
            let (on_click, on_key) = selectable(selection, item);
            let rect = card.card;
            let agents = card
                .agents
                .iter()
                .zip(NODE_AGENTS.iter())
                .enumerate()
                .map(|(a, (chip, (name, _)))| agent_chip(*chip, name, node.name, selection, Selection::Agent(i, a)))
                .collect_view();
            let pods = card.pods;
            let pods_note = if node.taint.is_some() { "NoSchedule: system pods only" } else { "no workload pods yet" };
            view! {
                <g class="layer-node" data-testid=format!("node-{}", node.name)>
                    <g
                        class="node selectable"
                        class:selected=move || selection.get() == item
                        role="button"
                        tabindex="0"
                        aria-label=format!("Node {} at {}, Ready", node.name, node.internal_ip)
                        on:click=on_click
                        on:keydown=on_key
                    >
                        <rect class="card" x=rect.x y=rect.y width=rect.width height=rect.height rx="12" />
                        <text class="card-name" x=rect.x + 16.0 y=rect.y + 27.0>{node.name}</text>
                        <circle class="ready-dot" cx=rect.x + 21.0 cy=rect.y + 44.0 r="4" />
                        <text class="card-detail" x=rect.x + 31.0 y=rect.y + 48.5>
                            {format!("Ready · {}", node.internal_ip)}
                        </text>
                    </g>
                    {agents}
                    <g class="pods">
                        <rect class="pod-area" x=pods.x y=pods.y width=pods.width height=pods.height rx="8" />
                        <text class="pod-area-text" x=pods.center_x() y=pods.y + pods.height / 2.0 - 3.0 text-anchor="middle">
                            {format!("pods · {}", node.pod_cidr)}
                        </text>
                        <text class="pod-area-note" x=pods.center_x() y=pods.y + pods.height / 2.0 + 15.0 text-anchor="middle">
                            {pods_note}
                        </text>
                    </g>
                </g>
            }
        })
        .collect_view()
}

fn agent_chip(
    chip: Rect,
    name: &'static str,
    node: &'static str,
    selection: RwSignal<Selection>,
    item: Selection,
) -> impl IntoView {
    let (on_click, on_key) = selectable(selection, item);
    view! {
        <g
            class="agent selectable"
            class:selected=move || selection.get() == item
            data-testid=format!("agent-{node}-{name}")
            role="button"
            tabindex="0"
            aria-label=format!("{name} on {node}")
            on:click=on_click
            on:keydown=on_key
        >
            <rect class="chip" x=chip.x y=chip.y width=chip.width height=chip.height rx="6" />
            <text class="chip-text" x=chip.center_x() y=chip.y + chip.height / 2.0 + 4.5 text-anchor="middle">{name}</text>
        </g>
    }
}
