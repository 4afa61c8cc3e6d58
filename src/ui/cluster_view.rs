//! The cluster view (design.md §5), the page's main region: the control plane at the
//! top (with kubectl, the client, first), the Services, pods still waiting for a node,
//! and the nodes as cards with their kubelet, kube-proxy and pods. Control-plane
//! messages fly between the boxes as tokens.
//!
//! Geometry comes from the pure [`geometry`](super::geometry) module and the content from
//! the pure [`Scene`](super::scene::Scene); this component measures its panel, asks for a
//! layout, and turns rectangles into SVG, one `<g>` per layer. Everything drawn is
//! clickable and keyboard-focusable, and selects itself for the inspector.

use std::collections::BTreeMap;

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;

use super::default_cluster::{COMPONENTS, NODE_AGENTS, OUTSIDE};
use super::geometry::{
    drawn_window, fit_layout, token_position, ClusterLayout, Counts, NodeCard, PodMode, Rect,
};
use super::inspector::Selection;
use super::live::{Live, Token, FLIGHT_MS};
use super::packets::{anchors, OUTSIDE_KEYS};
use super::per_card::PerCard;
use super::scene::{groups, PodLook, PodView, Scene, ServiceView};
use super::traffic::{CountersLayer, PacketsLayer, TunnelsLayer};

/// More pods than this and they no longer fade in or pulse while terminating: hundreds
/// of SVG opacity animations restyle and repaint the drawing on every frame (a scale
/// down of 150 pods kept that up for the whole grace period), and in a crowd no single
/// pod's fade is seen anyway. Terminating pods stay dimmed and dashed.
const CROWDED_PODS: usize = 60;

/// Zoom steps offered by the buttons and Ctrl+wheel.
const ZOOM_MIN: f64 = 0.4;
const ZOOM_MAX: f64 = 2.5;

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
    impl Fn(web_sys::MouseEvent) + Clone,
    impl Fn(web_sys::KeyboardEvent) + Clone,
) {
    let clicked = item.clone();
    let on_click = move |event: web_sys::MouseEvent| {
        event.stop_propagation();
        selection.set(clicked.clone());
    };
    let on_key = move |event: web_sys::KeyboardEvent| {
        if matches!(event.key().as_str(), "Enter" | " ") {
            event.prevent_default();
            event.stop_propagation();
            selection.set(item.clone());
        }
    };
    (on_click, on_key)
}

/// A stable colour per workload, so a Deployment's pods share a stripe on every node.
pub fn workload_hue(key: &str) -> u32 {
    let hash = key
        .bytes()
        .fold(2166136261u32, |h, b| (h ^ b as u32).wrapping_mul(16777619));
    // Skip the greens and reds that mean Running and failing.
    [205, 265, 295, 325, 185, 230, 35, 50][(hash % 8) as usize]
}

/// Shortens `text` to about `width` pixels of 12 px text, cutting its end.
fn fit_text(text: &str, width: f64) -> String {
    let max = ((width / 6.9).floor() as usize).max(4);
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let kept: String = text.chars().take(max - 1).collect();
        format!("{kept}…")
    }
}

/// Shortens a generated name in its middle, keeping the random suffix that tells pods
/// apart: `nginx-deployment-5bfcd68959-4q8nc` → `nginx-dep…68959-4q8nc`.
fn fit_name(name: &str, width: f64) -> String {
    let max = ((width / 7.3).floor() as usize).max(6);
    let chars: Vec<char> = name.chars().collect();
    if chars.len() <= max {
        return name.to_string();
    }
    let tail = (max * 3 / 5).min(chars.len());
    let head = max - 1 - tail;
    let start: String = chars[..head].iter().collect();
    let end: String = chars[chars.len() - tail..].iter().collect();
    format!("{start}…{end}")
}

fn counts_of(scene: &Scene) -> Counts {
    Counts {
        components: COMPONENTS.len(),
        services: scene.services.len(),
        nodes: scene
            .nodes
            .iter()
            .map(|n| (n.pods.len(), groups(&n.pods).len()))
            .collect(),
        unscheduled: scene.unscheduled.len(),
    }
}

/// The caption before any message: what the cluster is made of (`?workers=N` boots more
/// than the default three workers).
fn cluster_summary(scene: &Scene) -> String {
    let control = scene.nodes.iter().filter(|n| n.control_plane).count();
    let workers = scene.nodes.len() - control;
    let ready = scene.nodes.iter().filter(|n| n.ready).count();
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let state = if ready == scene.nodes.len() {
        "all Ready".to_string()
    } else {
        format!("{ready} Ready")
    };
    format!(
        " — {}, {}, {state}",
        plural(control, "control-plane node"),
        plural(workers, "worker")
    )
}

/// A one-paragraph text alternative for the drawing.
fn describe_scene(scene: &Scene) -> String {
    let mut by_status: BTreeMap<&str, usize> = BTreeMap::new();
    for pod in scene.pods() {
        *by_status.entry(pod.status.as_str()).or_default() += 1;
    }
    let statuses: Vec<String> = by_status.iter().map(|(s, n)| format!("{n} {s}")).collect();
    let nodes: Vec<String> = scene
        .nodes
        .iter()
        .map(|n| format!("{} ({}, {} pods)", n.name, n.status, n.pods.len()))
        .collect();
    format!(
        "Cluster: {} nodes: {}. {} workload pods{}{}. {} Services.",
        scene.nodes.len(),
        nodes.join(", "),
        scene.pod_count(),
        if statuses.is_empty() { "" } else { ": " },
        statuses.join(", "),
        scene.services.len()
    )
}

#[component]
pub fn ClusterView(
    live: Live,
    selection: RwSignal<Selection>,
    /// Drawn this much larger (presentation mode): laid out for a panel this much
    /// smaller, then scaled up, so every label grows with it.
    magnify: Signal<f64>,
) -> impl IntoView {
    let canvas = NodeRef::<html::Div>::new();
    let size = RwSignal::new((0.0, 0.0));
    let zoom = RwSignal::new(1.0_f64);
    canvas.on_load(move |element| observe_size(&element, size));
    let counts = Memo::new(move |_| live.scene.with(counts_of));
    // A Memo: the layout is read by every layer, and recomputed only when the size or
    // the number of things to place changes.
    // Zoomed out, the drawing is laid out for the larger area it now shows (more node
    // columns); zoomed in, it is the same drawing, bigger.
    let fitted = Memo::new(move |_| {
        let (width, height) = size.get();
        let room = zoom.get().min(1.0) * magnify.get();
        counts.with(|counts| fit_layout(width / room, height / room, counts))
    });
    // A Memo: what each node card's header says, so a card is redrawn only when that
    // changes (status, pods or none), not when a pod lands on it.
    let node_frames = Memo::new(move |_| live.scene.with(node_frames_of));
    // A Memo: the drawing's frame (bands, boxes, node cards) is rebuilt only when one of
    // them moves, not each time a pod lands in a slot; the pods follow `fitted`.
    let skeleton = Memo::new(move |_| fitted.with(|(layout, scale)| (layout.skeleton(), *scale)));
    // Memos: each layer follows only the part of the layout it draws. A burst of pods
    // waiting for a node grows and shrinks the band under the Services, which moves
    // every node card down and up: that rewrites the cards' `transform`s and leaves the
    // control plane, the Services, each card's insides and each pod element as they are.
    let upper = Memo::new(move |_| skeleton.with(|(layout, _)| layout.upper()));
    let corners = Memo::new(move |_| {
        skeleton.with(|(layout, _)| {
            layout
                .nodes
                .iter()
                .map(|n| (n.card.x, n.card.y))
                .collect::<Vec<_>>()
        })
    });
    let cards = Memo::new(move |_| {
        node_frames.with(|frames| {
            skeleton.with(|(layout, _)| {
                layout
                    .nodes
                    .iter()
                    .zip(frames)
                    .enumerate()
                    .map(|(index, (card, frame))| CardItem {
                        index,
                        frame: frame.clone(),
                        shape: card.at_origin(),
                        dense: layout.dense,
                    })
                    .collect::<Vec<_>>()
            })
        })
    });
    let pending_band = Memo::new(move |_| skeleton.with(|(layout, _)| layout.pending_band));
    // Memos: the Services row, the outside world's captions and (below) the pods
    // waiting for a node are redrawn only when what they show changes, not on every
    // publication.
    let services = Memo::new(move |_| live.scene.with(|s| s.services.clone()));
    // A Memo: tokens, packets, counters and tunnels all look boxes up in it.
    let anchor_map = Memo::new(move |_| {
        fitted.with(|(layout, _)| live.scene.with(|scene| anchors(layout, scene)))
    });
    let ready = Memo::new(move |_| size.with(|(width, _)| *width > 0.0));
    // Many pods: they appear and terminate without animating (see style.css).
    let crowded = Memo::new(move |_| {
        counts.with(|c| c.unscheduled + c.nodes.iter().map(|n| n.0).sum::<usize>() > CROWDED_PODS)
    });
    // How far the canvas is scrolled (CSS pixels), and whether every card's pods are
    // drawn (for a saved file) or only those of the cards near the part in sight.
    let scrolled = RwSignal::new((0.0_f64, 0.0_f64));
    let draw_all = RwSignal::new(false);
    // A Memo: per node card, whether its pods are drawn; scrolling or a moved card
    // changes only the cards that come into or go out of the window.
    let window = Memo::new(move |_| {
        (!draw_all.get()).then(|| {
            let pixels = skeleton.with(|(_, scale)| *scale) * zoom.get() * magnify.get();
            drawn_window(scrolled.get(), size.get(), pixels)
        })
    });
    // The pods waiting for a node, those in the window only (a burst leaves thousands).
    let pending = Memo::new(move |_| {
        let window = window.get();
        fitted.with(|(layout, _)| {
            live.scene.with(|s| {
                layout
                    .pending
                    .iter()
                    .zip(&s.unscheduled)
                    .filter(|(slot, _)| window.is_none_or(|w| w.overlaps(slot)))
                    .map(|(slot, pod)| (*slot, pod.clone()))
                    .collect::<Vec<_>>()
            })
        })
    });
    let drawn = Memo::new(move |_| {
        let window = window.get();
        skeleton.with(|(layout, _)| {
            layout
                .nodes
                .iter()
                .map(|n| window.is_none_or(|w| w.overlaps(&n.card)))
                .collect::<Vec<_>>()
        })
    });

    // Each card reads its own corner and whether it is in the window (see `per_card`).
    let corner_of = PerCard::new(corners, (0.0, 0.0));
    let drawn_of = PerCard::new(drawn, true);

    // The <svg> is built once; its size and every layer follow their own memos.
    let drawing = move || {
        ready.get().then(|| {
            let scaled = move |length: fn(&ClusterLayout) -> f64| {
                skeleton.with(|(layout, scale)| length(layout) * scale * zoom.get() * magnify.get())
            };
            view! {
                <svg
                    class="cluster-svg"
                    class:dense=move || upper.with(|layout| layout.dense)
                    class:crowded=crowded
                    data-testid="cluster-svg"
                    viewBox=move || skeleton.with(|(layout, _)| format!("0 0 {} {}", layout.width, layout.height))
                    width=move || scaled(|layout| layout.width)
                    height=move || scaled(|layout| layout.height)
                    role="group"
                    aria-label="The cluster: control plane, Services and nodes with their pods"
                >
                    {move || control_plane_band(&upper.get())}
                    // Under the boxes: a request's dashed route shows only between them.
                    <TrailsLayer live=live anchors=anchor_map />
                    {move || control_plane_layer(&upper.get(), selection, live)}
                    {move || outside_layer(&upper.get(), &services.get(), live, selection)}
                    {move || services_layer(&upper.get(), services.get(), selection)}
                    <PendingLayer band=pending_band pending=pending selection=selection />
                    <NodesLayer cards=cards corners=corner_of drawn=drawn_of live=live fitted=fitted selection=selection />
                    <TunnelsLayer live=live anchors=anchor_map />
                    <CountersLayer live=live anchors=anchor_map />
                    <TokensLayer live=live anchors=anchor_map />
                    <PacketsLayer live=live anchors=anchor_map selection=selection />
                    // Over the tokens: the names they pass stay readable.
                    <g class="labels-overlay" aria-hidden="true">
                        {move || component_labels(&upper.get(), live)}
                        <NodeLabels cards=cards corners=corner_of drawn=drawn_of />
                    </g>
                </svg>
            }
        })
    };

    // Drag to pan (the canvas scrolls); Ctrl+wheel to zoom.
    let drag = StoredValue::new_local(None::<(i32, i32, i32, i32)>);
    let on_pointer_down = move |event: web_sys::PointerEvent| {
        if event.button() != 0 {
            return;
        }
        if let Some(el) = canvas.get() {
            drag.set_value(Some((
                event.client_x(),
                event.client_y(),
                el.scroll_left(),
                el.scroll_top(),
            )));
        }
    };
    let on_pointer_move = move |event: web_sys::PointerEvent| {
        if let (Some((x, y, left, top)), Some(el)) = (drag.get_value(), canvas.get()) {
            if event.buttons() & 1 == 0 {
                drag.set_value(None);
                return;
            }
            el.set_scroll_left(left - (event.client_x() - x));
            el.set_scroll_top(top - (event.client_y() - y));
        }
    };
    let on_pointer_up = move |_| drag.set_value(None);
    let on_wheel = move |event: web_sys::WheelEvent| {
        if event.ctrl_key() || event.meta_key() {
            event.prevent_default();
            let factor = if event.delta_y() < 0.0 {
                1.1
            } else {
                1.0 / 1.1
            };
            zoom.update(|z| *z = (*z * factor).clamp(ZOOM_MIN, ZOOM_MAX));
        }
    };

    let packet_caption = super::traffic::packet_caption(live.traffic);
    let caption = move || {
        if let Some((route, rule)) = packet_caption.get() {
            return view! {
                <span class="caption-text packet-caption" data-testid="cluster-caption-text">
                    <strong>{route}</strong>
                    {rule}
                </span>
            }
            .into_any();
        }
        live.caption.with(|caption| match caption {
            Some(message) => view! {
                <span class="caption-text" data-testid="cluster-caption-text">
                    <strong>{message.from.to_string()}</strong>
                    {format!(": {}", message.summary)}
                </span>
            }
            .into_any(),
            None => view! {
                <span class="caption-text" data-testid="cluster-caption-text">
                    <strong>"Default cluster"</strong>
                    {move || live.scene.with(cluster_summary)}
                </span>
            }
            .into_any(),
        })
    };

    view! {
        <section
            id="cluster-view"
            data-testid="cluster-view"
            class="panel cluster-panel"
            aria-label="Cluster view"
        >
            <header class="cluster-caption" id="cluster-caption" data-testid="cluster-caption" aria-live="polite">
                <span class="status-dot" class:busy=move || !live.tokens.with(Vec::is_empty) aria-hidden="true"></span>
                {caption}
                <div class="zoom-controls export-controls" role="group" aria-label="Save the cluster view">
                    <button type="button" class="zoom-button export-button" data-testid="export-svg" aria-label="Save the cluster view as SVG" title="Save the cluster view as SVG (for docs)"
                        on:click=move |_| export_whole(draw_all, super::export::cluster_as_svg)>"SVG"</button>
                    <button type="button" class="zoom-button export-button" data-testid="export-png" aria-label="Save the cluster view as PNG" title="Save the cluster view as PNG (twice its size, for slides)"
                        on:click=move |_| export_whole(draw_all, super::export::cluster_as_png)>"PNG"</button>
                </div>
                <div class="zoom-controls" role="group" aria-label="Zoom">
                    <button type="button" class="zoom-button" data-testid="zoom-out" aria-label="Zoom out" title="Zoom out (Ctrl+wheel)"
                        on:click=move |_| zoom.update(|z| *z = (*z / 1.25).max(ZOOM_MIN))>"−"</button>
                    <button type="button" class="zoom-button zoom-fit" data-testid="zoom-fit" aria-label="Fit to the panel" title="Fit to the panel"
                        on:click=move |_| zoom.set(1.0)>{move || format!("{:.0}%", zoom.get() * 100.0)}</button>
                    <button type="button" class="zoom-button" data-testid="zoom-in" aria-label="Zoom in" title="Zoom in (Ctrl+wheel)"
                        on:click=move |_| zoom.update(|z| *z = (*z * 1.25).min(ZOOM_MAX))>"+"</button>
                </div>
            </header>
            <div
                class="cluster-canvas"
                data-testid="cluster-canvas"
                node_ref=canvas
                on:click=move |_| selection.set(Selection::Nothing)
                on:scroll=move |_| {
                    if let Some(el) = canvas.get_untracked() {
                        scrolled.set((el.scroll_left() as f64, el.scroll_top() as f64));
                    }
                }
                on:pointerdown=on_pointer_down
                on:pointermove=on_pointer_move
                on:pointerup=on_pointer_up
                on:wheel=on_wheel
            >
                {drawing}
            </div>
            <Legend live=live selection=selection />
            <p class="visually-hidden" data-testid="cluster-description">
                {move || live.scene.with(describe_scene)}
            </p>
        </section>
    }
}

/// Saves the cluster view with every card's pods drawn, not only those near the part in
/// sight: the file is the whole drawing. `save` runs in a task after Leptos has drawn
/// them, and then the page goes back to drawing what is near.
fn export_whole(draw_all: RwSignal<bool>, save: fn()) {
    draw_all.set(true);
    gloo_timers::callback::Timeout::new(0, move || {
        save();
        draw_all.set(false);
    })
    .forget();
}

/// The workloads on the page, each with its colour and pod count: owners at a glance.
#[component]
fn Legend(live: Live, selection: RwSignal<Selection>) -> impl IntoView {
    let workloads = Memo::new(move |_| {
        live.scene.with(|scene| {
            let mut by: BTreeMap<(String, String, String), (usize, usize)> = BTreeMap::new();
            for pod in scene.pods() {
                if let Some(owner) = pod.workload() {
                    let entry = by
                        .entry((
                            pod.namespace.clone(),
                            owner.kind.clone(),
                            owner.name.clone(),
                        ))
                        .or_default();
                    entry.1 += 1;
                    if pod.look == PodLook::Running {
                        entry.0 += 1;
                    }
                }
            }
            by.into_iter().collect::<Vec<_>>()
        })
    });
    view! {
        <div class="legend" data-testid="legend" aria-label="Workloads">
            <span class="legend-title">"Workloads"</span>
            <Show when=move || workloads.with(Vec::is_empty)>
                <span class="legend-empty">"none yet — apply one from the editor or the console"</span>
            </Show>
            <For
                each=move || workloads.get()
                key=|entry| entry.clone()
                children=move |((namespace, kind, name), (running, total))| {
                    let owner = super::scene::Owner { kind: kind.clone(), name: name.clone() };
                    let hue = workload_hue(&owner.short());
                    let item = Selection::Object { kind: kind.clone(), namespace: namespace.clone(), name: name.clone() };
                    let (on_click, on_key) = selectable(selection, item.clone());
                    let label = format!("{}: {running} of {total} pods running", owner.short());
                    view! {
                        <button
                            type="button"
                            class="legend-item"
                            class:selected=move || selection.with(|s| s == &item)
                            data-testid=format!("legend-{}", owner.short().replace('/', "-"))
                            aria-label=label
                            on:click=on_click
                            on:keydown=on_key
                        >
                            <span class="legend-swatch" style:background=format!("hsl({hue} 70% 62%)")></span>
                            {owner.short()}
                            <span class="legend-count">{format!("{running}/{total}")}</span>
                        </button>
                    }
                }
            />
        </div>
    }
}

fn control_plane_layer(
    layout: &ClusterLayout,
    selection: RwSignal<Selection>,
    live: Live,
) -> impl IntoView {
    let dense = layout.dense;
    let components = layout
        .components
        .iter()
        .zip(COMPONENTS.iter())
        .map(|(rect, component)| {
            let item = Selection::Component(component.name);
            let (on_click, on_key) = selectable(selection, item.clone());
            let name = component.name;
            // Lights up while a token is on its way to or from it.
            let active = move || live.active_boxes.with(|boxes| boxes.contains(name));
            // Stopped with `sim … down`: greyed, its name struck through, until `sim … up`.
            let down = move || component_down(live, name);
            let caption = move || component_caption(live, name, component.caption);
            view! {
                <g
                    class="component selectable"
                    class:client=name == "kubectl"
                    class:active=active
                    class:down=down
                    class:selected=move || selection.with(|s| s == &item)
                    data-testid=format!("component-{name}")
                    role="button"
                    tabindex="0"
                    aria-label=format!("{}: {}", name, component.caption)
                    on:click=on_click
                    on:keydown=on_key
                >
                    <rect class="box" x=rect.x y=rect.y width=rect.width height=rect.height rx="8" />
                    <text class="box-name" x=rect.x + 12.0 y=rect.y + if dense { 19.5 } else { 19.0 }>{name}</text>
                    // Dense: one line, the caption in the tooltip and the inspector.
                    {(!dense).then(|| view! { <text class="box-caption" x=rect.x + 12.0 y=rect.y + 36.0>{caption}</text> })}
                    {dense.then(|| view! { <title>{move || format!("{}: {}", name, caption())}</title> })}
                </g>
            }
        })
        .collect_view();
    view! { <g class="layer-control-plane">{components}</g> }
}

fn component_down(live: Live, name: &str) -> bool {
    live.scene.with(|s| s.stopped.contains(&name))
}

/// What a component box says under its name: its role, etcd's revision, or that it is
/// stopped.
fn component_caption(live: Live, name: &str, role: &str) -> String {
    match name {
        _ if component_down(live, name) => "stopped (sim … up)".to_string(),
        "etcd" => format!("revision {}", live.scene.with(|s| s.revision)),
        _ => role.to_string(),
    }
}

/// The control plane's band and title, drawn first: token trails go over it, under the
/// component boxes.
fn control_plane_band(layout: &ClusterLayout) -> impl IntoView {
    let band = layout.control_plane;
    view! {
        <g class="layer-control-plane-band">
            <rect class="band" x=band.x y=band.y width=band.width height=band.height rx="12" />
            <text class="band-title" x=band.x + 16.0 y=band.y + if layout.dense { 17.0 } else { 20.0 }>
                "CONTROL PLANE"
                <tspan class="band-title-detail">{" · control-plane 172.18.0.2 · and you".to_string()}</tspan>
            </text>
        </g>
    }
}

/// The component names again, above everything that moves, each with a halo of its
/// box's colour: a token or packet passes behind a name, never over it. (The boxes
/// underneath keep their own text for tests, search and assistive technology; this copy
/// is hidden from them and lets clicks through.)
fn component_labels(layout: &ClusterLayout, live: Live) -> impl IntoView {
    let dense = layout.dense;
    layout
        .components
        .iter()
        .zip(COMPONENTS.iter())
        .map(|(rect, component)| {
            let name = component.name;
            let caption = move || component_caption(live, name, component.caption);
            view! {
                <g class="overlay-component" class:client=name == "kubectl" class:down=move || component_down(live, name)>
                    <text class="box-name" x=rect.x + 12.0 y=rect.y + if dense { 19.5 } else { 19.0 }>{name}</text>
                    {(!dense).then(|| view! { <text class="box-caption" x=rect.x + 12.0 y=rect.y + 36.0>{caption}</text> })}
                </g>
            }
        })
        .collect_view()
}

/// The node names again, over the tokens (see [`component_labels`]), each placed with
/// its card.
/// Like the cards' insides, only for the cards in the window (see [`node_card`]).
#[component]
fn NodeLabels(
    cards: Memo<Vec<CardItem>>,
    corners: PerCard<(f64, f64)>,
    drawn: PerCard<bool>,
) -> impl IntoView {
    view! {
        <For
            each=move || cards.get()
            key=|card| format!("{}|{}|{}", card.index, card.frame.name, card.dense)
            children=move |card| {
                let in_window = drawn.of(card.index, true);
                let corner = corners.of(card.index, (0.0, 0.0));
                move || in_window.get().then(|| view! {
                    <text class="card-name" x="16" y=if card.dense { 23.0 } else { 25.0 }
                        transform=move || placed(corner)>{card.frame.name.clone()}</text>
                })
            }
        />
    }
}

/// The `transform` that puts a node card in its place on the drawing.
fn placed(corner: RwSignal<(f64, f64)>) -> String {
    let (x, y) = corner.get();
    format!("translate({x} {y})")
}

/// The outside world: your laptop (where the console's `curl` and `kubectl
/// port-forward` run), the internet (`sim traffic --from internet`) and the cloud's load
/// balancer with the addresses it gave LoadBalancer Services.
fn outside_layer(
    layout: &ClusterLayout,
    services: &[ServiceView],
    live: Live,
    selection: RwSignal<Selection>,
) -> impl IntoView {
    let band = layout.outside_band;
    let balancers: Vec<String> = services
        .iter()
        .filter(|svc| !svc.external_ip.is_empty())
        .map(|svc| format!("{} → svc/{}", svc.external_ip, svc.name))
        .collect();
    let boxes = layout
        .outside
        .iter()
        .zip(OUTSIDE.iter())
        .zip(OUTSIDE_KEYS)
        .map(|((rect, place), key)| {
            let item = Selection::Component(place.name);
            let (on_click, on_key) = selectable(selection, item.clone());
            let caption = match key {
                "cloud-lb" if !balancers.is_empty() => {
                    let more = if balancers.len() > 1 { format!(" +{}", balancers.len() - 1) } else { String::new() };
                    format!("{}{more}", balancers[0])
                }
                _ => place.caption.to_string(),
            };
            let rect = *rect;
            let active = move || live.traffic.packets.with(|packets| {
                let clock = live.traffic.clock.get();
                packets.iter().any(|p| {
                    p.progress(clock).and_then(|(leg, _)| p.legs.get(leg)).is_some_and(|leg| leg.from == key || leg.to == key)
                })
            });
            view! {
                <g class="component outside selectable" class:active=active
                    class:selected=move || selection.with(|s| s == &item)
                    data-testid=format!("outside-{key}") role="button" tabindex="0"
                    aria-label=format!("{}: {caption}", place.name)
                    on:click=on_click on:keydown=on_key>
                    <rect class="box" x=rect.x y=rect.y width=rect.width height=rect.height rx="8" />
                    <text class="box-name" x=rect.x + 12.0 y=rect.y + rect.height / 2.0 + 4.5>
                        {place.name}
                        <tspan class="box-caption" dx="8">{fit_text(&caption, rect.width - 32.0 - 8.2 * place.name.len() as f64)}</tspan>
                    </text>
                </g>
            }
        })
        .collect_view();
    view! {
        <g class="layer-outside">
            <text class="band-title" x=band.x + 2.0 y=band.y + 21.0>"OUTSIDE"</text>
            {boxes}
        </g>
    }
}

fn services_layer(
    layout: &ClusterLayout,
    services: Vec<ServiceView>,
    selection: RwSignal<Selection>,
) -> impl IntoView {
    let band = layout.services_band;
    let pills = layout
        .services
        .iter()
        .zip(services)
        .map(|(rect, service)| {
            let item = Selection::Object {
                kind: "Service".to_string(),
                namespace: service.namespace.clone(),
                name: service.name.clone(),
            };
            let (on_click, on_key) = selectable(selection, item.clone());
            let detail = format!(
                "  {} · {} · {} endpoint{}",
                service.cluster_ip,
                service.ports,
                service.endpoints,
                if service.endpoints == 1 { "" } else { "s" }
            );
            let kind = if service.kind == "ClusterIP" { String::new() } else { format!(" {}", service.kind) };
            view! {
                <g
                    class="service selectable"
                    class:selected=move || selection.with(|s| s == &item)
                    data-testid=format!("service-{}", service.name)
                    role="button"
                    tabindex="0"
                    aria-label=format!("Service {}{} at {}, {} endpoints", service.name, kind, service.cluster_ip, service.endpoints)
                    on:click=on_click
                    on:keydown=on_key
                >
                    <title>{format!("svc/{}{kind}{detail}", service.name)}</title>
                    <rect class="pill" x=rect.x y=rect.y width=rect.width height=rect.height rx=rect.height / 2.0 />
                    <text class="pill-text" x=rect.x + 14.0 y=rect.y + rect.height / 2.0 + 4.5>
                        <tspan class="pill-kind">{"svc/".to_string()}</tspan>
                        <tspan class="pill-name">{service.name.clone()}</tspan>
                        <tspan class="pill-detail">{fit_text(&format!("{kind}{detail}"), rect.width - 68.0 - 7.0 * service.name.len() as f64)}</tspan>
                    </text>
                </g>
            }
        })
        .collect_view();
    view! {
        <g class="layer-services">
            <text class="band-title" x=band.x + 2.0 y=band.y + 21.0>"SERVICES"</text>
            {pills}
        </g>
    }
}

/// Pods no node has taken yet, as tiles in a band under the Services. A tile is a keyed
/// row placed by a `transform`: as the scheduler takes pods from the band and the rest
/// close up, tiles move instead of being drawn anew.
#[component]
fn PendingLayer(
    band: Memo<Option<Rect>>,
    pending: Memo<Vec<(Rect, PodView)>>,
    selection: RwSignal<Selection>,
) -> impl IntoView {
    let places = Memo::new(move |_| {
        pending.with(|pods| {
            pods.iter()
                .map(|(slot, pod)| (pod.uid.clone(), (slot.x, slot.y)))
                .collect::<BTreeMap<_, _>>()
        })
    });
    let on_band =
        move |part: fn(&Rect) -> f64| band.with(|band| band.as_ref().map(part).unwrap_or(0.0));
    view! {
        <Show when=move || band.with(Option::is_some)>
            <g class="layer-pending" data-testid="pending-pods">
                <rect class="pending-band" x=move || on_band(|b| b.x) y=move || on_band(|b| b.y)
                    width=move || on_band(|b| b.width) height=move || on_band(|b| b.height) rx="8" />
                <text class="band-title" x=move || on_band(|b| b.x + 10.0) y=move || on_band(|b| b.y + 19.0)>"NO NODE YET"</text>
                <For
                    each=move || pending.get()
                    key=|(slot, pod)| format!("{}|{}|{}|{:.0}", pod.uid, pod.status, pod.ready, slot.width)
                    children=move |(slot, pod)| {
                        let uid = pod.uid.clone();
                        let transform = move || {
                            places.with(|places| {
                                places.get(&uid).map(|(x, y)| format!("translate({x} {y})")).unwrap_or_default()
                            })
                        };
                        let tile = Rect::new(0.0, 0.0, slot.width, slot.height);
                        view! { <g transform=transform>{pod_shape(tile, pod, PodMode::Tiles, selection)}</g> }
                    }
                />
            </g>
        </Show>
    }
}

/// What a node card shows besides its pods; it changes rarely, so the cards are only
/// redrawn when it does.
#[derive(Clone, Debug, PartialEq)]
struct NodeFrame {
    name: String,
    internal_ip: String,
    status: String,
    ready: bool,
    control_plane: bool,
    /// No workload pods: the card says so.
    empty: bool,
}

fn node_frames_of(scene: &Scene) -> Vec<NodeFrame> {
    scene
        .nodes
        .iter()
        .map(|n| NodeFrame {
            name: n.name.clone(),
            internal_ip: n.internal_ip.clone(),
            status: n.status.clone(),
            ready: n.ready,
            control_plane: n.control_plane,
            empty: n.pods.is_empty(),
        })
        .collect()
}

/// One node card as drawn: its header and its shape measured from its own corner (see
/// [`NodeCard::at_origin`]); where it stands on the drawing is a `transform`.
#[derive(Clone, Debug, PartialEq)]
struct CardItem {
    index: usize,
    frame: NodeFrame,
    shape: NodeCard,
    dense: bool,
}

impl CardItem {
    /// Identity for the keyed list: a card that only moved keeps its elements.
    fn key(&self) -> String {
        format!(
            "{}|{:?}|{:?}|{}",
            self.index, self.frame, self.shape, self.dense
        )
    }
}

/// One thing drawn in a node's pod area: a pod, or (crowded) a row per owner.
#[derive(Clone, Debug)]
enum PodItem {
    One(PodView, Rect, PodMode),
    Group(String, Vec<PodView>, Rect),
}

impl PodItem {
    /// Identity for the keyed list: an item whose look and place (from its card's corner)
    /// are unchanged keeps its elements; a changed one is drawn anew (and fades in,
    /// showing the change).
    fn key(&self) -> String {
        let place = |r: &Rect| format!("{:.0},{:.0},{:.0},{:.0}", r.x, r.y, r.width, r.height);
        match self {
            PodItem::One(pod, slot, mode) => format!(
                "{}|{}|{}|{}|{:?}|{}",
                pod.uid,
                pod.status,
                pod.ready,
                pod.ip,
                mode,
                place(slot)
            ),
            // A row stays while its owner's pods on the node are as many and the first
            // (which a click selects) is the same; their looks only recolour its bar.
            PodItem::Group(group, pods, slot) => format!(
                "{group}|{}|{}|{}",
                pods.len(),
                pods.first().map_or("", |p| p.uid.as_str()),
                place(slot)
            ),
        }
    }
}

/// The node cards, each a keyed group placed by a `transform`, with its kubelet,
/// kube-proxy and pods inside, drawn from the card's own corner.
#[component]
fn NodesLayer(
    cards: Memo<Vec<CardItem>>,
    corners: PerCard<(f64, f64)>,
    /// Per card, whether it is drawn in full (see [`drawn_window`]).
    drawn: PerCard<bool>,
    live: Live,
    fitted: Memo<(ClusterLayout, f64)>,
    selection: RwSignal<Selection>,
) -> impl IntoView {
    view! {
        <For
            each=move || cards.get()
            key=CardItem::key
            children=move |card| node_card(card, corners, drawn, live, fitted, selection)
        />
    }
}

fn node_card(
    card: CardItem,
    corners: PerCard<(f64, f64)>,
    drawn: PerCard<bool>,
    live: Live,
    fitted: Memo<(ClusterLayout, f64)>,
    selection: RwSignal<Selection>,
) -> impl IntoView {
    let CardItem {
        index,
        frame: node,
        shape,
        dense,
    } = card;
    let item = Selection::Object {
        kind: "Node".to_string(),
        namespace: String::new(),
        name: node.name.clone(),
    };
    let (on_click, on_key) = selectable(selection, item.clone());
    let rect = shape.card;
    let agents = {
        let (name, chips) = (node.name.clone(), shape.agents);
        move || {
            chips
                .iter()
                .zip(NODE_AGENTS.iter())
                .enumerate()
                .map(|(a, (chip, (agent, _)))| agent_chip(*chip, agent, &name, selection, a, live))
                .collect_view()
        }
    };
    let (name, status) = (node.name.clone(), node.status.clone());
    let pods_area = shape.pods;
    let empty_note = if node.control_plane {
        "tainted NoSchedule"
    } else {
        "no workload pods"
    };
    // The pods' slots are taken from the card's corner too, so they keep their
    // elements when the card moves.
    let in_window = drawn.of(index, true);
    let corner = corners.of(index, (0.0, 0.0));
    let items = move || {
        if !in_window.get() {
            return Vec::new();
        }
        fitted.with(|(layout, _)| {
            live.scene.with(|scene| {
                let (Some(node), Some(card)) = (scene.nodes.get(index), layout.nodes.get(index))
                else {
                    return Vec::new();
                };
                let card = card.at_origin();
                if layout.pod_mode == PodMode::Grouped {
                    groups(&node.pods)
                        .into_iter()
                        .zip(&card.slots)
                        .map(|((group, pods), slot)| {
                            PodItem::Group(group, pods.into_iter().cloned().collect(), *slot)
                        })
                        .collect()
                } else {
                    node.pods
                        .iter()
                        .zip(&card.slots)
                        .map(|(pod, slot)| PodItem::One(pod.clone(), *slot, layout.pod_mode))
                        .collect::<Vec<_>>()
                }
            })
        })
    };
    // A Memo: grouped, the looks of each owner's pods on this node, which the owner's
    // row follows without being built anew (see `group_row`).
    let looks = Memo::new(move |_| {
        // The window first: a card out of it follows nothing else.
        if !in_window.get() || fitted.with(|(layout, _)| layout.pod_mode != PodMode::Grouped) {
            return Vec::new();
        }
        live.scene.with(|scene| {
            scene.nodes.get(index).map_or_else(Vec::new, |node| {
                groups(&node.pods)
                    .into_iter()
                    .map(|(group, pods)| (group, pods.iter().map(|p| p.look).collect()))
                    .collect()
            })
        })
    });
    let status_class = if node.ready { "ready" } else { "notready" };
    // Out of the window, only the card's outline: on a cluster of hundreds of nodes the
    // cards out of sight are most of the drawing, and their names, statuses, agent
    // chips and listeners cost layout, paint and Leptos work on every publication that
    // touched them. A scroll draws the rest when the card comes near, as for pods.
    let insides = move || {
        in_window.get().then(|| {
            let (on_click, on_key) = (on_click.clone(), on_key.clone());
            let item = item.clone();
            view! {
                <g
                    class=format!("node selectable {status_class}")
                    class:selected=move || selection.with(|s| s == &item)
                    role="button"
                    tabindex="0"
                    aria-label=format!("Node {} at {}, {}", node.name, node.internal_ip, node.status)
                    on:click=on_click
                    on:keydown=on_key
                >
                    <rect class="card" x=rect.x y=rect.y width=rect.width height=rect.height rx="12" />
                    <text class="card-name" x=rect.x + 16.0 y=rect.y + if dense { 23.0 } else { 25.0 }>{node.name.clone()}</text>
                    {header_status(rect, dense, &node)}
                </g>
                {agents()}
                <g class="pods">
                    {node.empty.then(|| view! {
                        <text class="pod-area-note" x=pods_area.center_x() y=pods_area.y + 22.0 text-anchor="middle">
                            {empty_note}
                        </text>
                    })}
                    <For
                        each=items
                        key=PodItem::key
                        children=move |item| match item {
                            PodItem::One(pod, slot, mode) => pod_shape(slot, pod, mode, selection).into_any(),
                            PodItem::Group(group, pods, slot) => group_row(slot, group, pods, looks, selection).into_any(),
                        }
                    />
                </g>
            }
        })
    };
    view! {
        <g class="layer-node" data-testid=format!("node-{}", name) data-status=status
            transform=move || placed(corner)>
            <Show when=move || !in_window.get()>
                <rect class=format!("card slim {status_class}") x=rect.x y=rect.y width=rect.width height=rect.height rx="12" />
            </Show>
            {insides}
        </g>
    }
}

/// A node's status and address: under its name, or (dense) on the same line, right-aligned.
fn header_status(rect: Rect, dense: bool, node: &NodeFrame) -> impl IntoView {
    let detail = format!("{} · {}", node.status, node.internal_ip);
    if dense {
        // The name is bold 15 px: about 9.5 px a character.
        let room = rect.width - 32.0 - 9.5 * node.name.chars().count() as f64 - 24.0;
        let text = fit_text(&detail, room);
        // Right-aligned, so the dot is a character of the same text: the text engine
        // puts it just before the status however wide the letters are.
        view! {
            <text class="card-detail" x=rect.right() - 16.0 y=rect.y + 23.0 text-anchor="end">
                // A dynamic child: Leptos would wrap a static one in a <g>, which SVG
                // does not draw inside <text>.
                <tspan class="ready-dot">{"● ".to_string()}</tspan>
                {text}
            </text>
        }
        .into_any()
    } else {
        view! {
            <circle class="ready-dot" cx=rect.x + 21.0 cy=rect.y + 40.0 r="4" />
            <text class="card-detail" x=rect.x + 31.0 y=rect.y + 44.5>{fit_text(&detail, rect.width - 50.0)}</text>
        }
        .into_any()
    }
}

/// One pod, in full (two lines), compact (one line) or as a tile.
fn pod_shape(
    slot: Rect,
    pod: PodView,
    mode: PodMode,
    selection: RwSignal<Selection>,
) -> impl IntoView {
    let item = Selection::Object {
        kind: "Pod".to_string(),
        namespace: pod.namespace.clone(),
        name: pod.name.clone(),
    };
    let (on_click, on_key) = selectable(selection, item.clone());
    let workload = pod.workload().map(|o| o.short()).unwrap_or_default();
    let kin = workload.clone();
    let hue = workload_hue(&workload);
    let look = pod.look;
    let label = pod.describe();
    let title = label.clone();
    let selected_item = item.clone();
    let body = match mode {
        PodMode::Full => {
            let mut second = format!("{} {} {}", look.icon(), pod.ready, pod.status);
            if !pod.claims.is_empty() {
                second.push_str(&format!(" · pvc {}", pod.claims.join(",")));
            } else if !pod.ip.is_empty() && slot.width > 210.0 {
                second.push_str(&format!(" · {}", pod.ip));
            }
            view! {
                <rect class="pod-box" x=slot.x y=slot.y width=slot.width height=slot.height rx="6" />
                <rect class="pod-owner" x=slot.x y=slot.y + 4.0 width="3" height=slot.height - 8.0 rx="1.5"
                    style:fill=format!("hsl({hue} 70% 62%)") visibility=if workload.is_empty() { "hidden" } else { "visible" } />
                <text class="pod-name" x=slot.x + 9.0 y=slot.y + 15.0>{fit_name(&pod.name, slot.width - 14.0)}</text>
                <text class="pod-status" x=slot.x + 9.0 y=slot.y + 30.0>{fit_text(&second, slot.width - 14.0)}</text>
            }
            .into_any()
        }
        PodMode::Compact => view! {
            <rect class="pod-box" x=slot.x y=slot.y width=slot.width height=slot.height rx="5" />
            <rect class="pod-owner" x=slot.x y=slot.y + 4.0 width="3" height=slot.height - 8.0 rx="1.5"
                style:fill=format!("hsl({hue} 70% 62%)") visibility=if workload.is_empty() { "hidden" } else { "visible" } />
            <text class="pod-icon" x=slot.x + 15.0 y=slot.y + 15.5 text-anchor="middle">{look.icon()}</text>
            <text class="pod-name" x=slot.x + 25.0 y=slot.y + 15.5>{fit_name(&pod.name, slot.width - 30.0)}</text>
        }
        .into_any(),
        _ => view! {
            <rect class="pod-box" x=slot.x y=slot.y width=slot.width height=slot.height rx="5"
                style:stroke=if workload.is_empty() { String::new() } else { format!("hsl({hue} 70% 62%)") } />
            <text class="pod-icon" x=slot.x + slot.width / 2.0 y=slot.y + slot.height / 2.0 + 4.5 text-anchor="middle">{look.icon()}</text>
        }
        .into_any(),
    };
    view! {
        <g
            class=format!("pod selectable look-{}", look.class())
            class:selected=move || selection.with(|s| s == &selected_item)
            class:kin=move || !kin.is_empty() && selection.with(|s| s.workload_of() == Some(kin.clone()))
            data-testid="pod"
            data-pod=pod.name.clone()
            data-node=pod.node.clone()
            data-status=pod.status.clone()
            data-ready=pod.ready.clone()
            data-workload=workload.clone()
            data-owner=pod.owners.first().map(|o| o.short()).unwrap_or_default()
            data-image=pod.image.clone()
            role="button"
            tabindex="0"
            aria-label=label
            on:click=on_click
            on:keydown=on_key
        >
            <title>{title}</title>
            {body}
        </g>
    }
}

/// Many pods of one owner on a node: a row with the owner, the count and a status bar.
/// The bar's segments and the count running follow `looks` (the looks of every owner's
/// pods on the node), so a pod changing state recolours a segment instead of the row
/// being built anew.
fn group_row(
    slot: Rect,
    group: String,
    pods: Vec<PodView>,
    looks: Memo<Vec<(String, Vec<PodLook>)>>,
    selection: RwSignal<Selection>,
) -> impl IntoView {
    let total = pods.len();
    let workload = pods[0].workload().map(|o| o.short()).unwrap_or_default();
    let hue = workload_hue(&workload);
    let first = &pods[0];
    let item = Selection::Object {
        kind: "Pod".to_string(),
        namespace: first.namespace.clone(),
        name: first.name.clone(),
    };
    let (on_click, on_key) = selectable(selection, item);
    let initial: Vec<PodLook> = pods.iter().map(|p| p.look).collect();
    let mine = {
        let group = group.clone();
        Memo::new(move |_| {
            looks.with(|looks| {
                looks
                    .iter()
                    .find(|(g, _)| *g == group)
                    .map_or_else(|| initial.clone(), |(_, looks)| looks.clone())
            })
        })
    };
    let look_of =
        move |i: usize| mine.with(|looks| looks.get(i).copied().unwrap_or(PodLook::Pending));
    let bar_x = slot.x + slot.width * 0.58;
    let bar_width = slot.width * 0.42 - 4.0;
    let segment = bar_width / total as f64;
    let segments = (0..total)
        .map(|i| {
            view! {
                <rect class=move || format!("group-segment look-{}", look_of(i).class())
                    x=bar_x + i as f64 * segment y=slot.y + 8.0 width=(segment - 1.0).max(1.0) height=slot.height - 16.0 />
            }
        })
        .collect_view();
    let label = {
        let group = group.clone();
        move || {
            let running =
                mine.with(|looks| looks.iter().filter(|l| **l == PodLook::Running).count());
            format!("{group}: {total} pods, {running} running")
        }
    };
    let title = label.clone();
    view! {
        <g class="pod-group selectable" data-testid="pod-group" data-count=total role="button" tabindex="0"
            aria-label=label on:click=on_click on:keydown=on_key>
            <title>{title}</title>
            <rect class="pod-box" x=slot.x y=slot.y width=slot.width height=slot.height rx="6" />
            <rect class="pod-owner" x=slot.x y=slot.y + 4.0 width="3" height=slot.height - 8.0 rx="1.5" style:fill=format!("hsl({hue} 70% 62%)") />
            <text class="pod-name" x=slot.x + 9.0 y=slot.y + 17.0>{format!("{} ×{total}", fit_name(&group, slot.width * 0.58 - 40.0))}</text>
            {segments}
        </g>
    }
}

fn agent_chip(
    chip: Rect,
    name: &'static str,
    node: &str,
    selection: RwSignal<Selection>,
    agent: usize,
    live: Live,
) -> impl IntoView {
    let item = Selection::Agent {
        node: node.to_string(),
        agent,
    };
    let (on_click, on_key) = selectable(selection, item.clone());
    let key = format!("{name}@{node}");
    let active = move || live.active_boxes.with(|boxes| boxes.contains(&key));
    view! {
        <g
            class="agent selectable"
            class:active=active
            class:selected=move || selection.with(|s| s == &item)
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

/// Where a token leaves from and arrives at: the centres of its two boxes.
fn token_ends(
    anchors: Memo<BTreeMap<String, Rect>>,
    token: &Token,
) -> Option<((f64, f64), (f64, f64))> {
    let centre = |r: &Rect| (r.center_x(), r.y + r.height / 2.0);
    anchors.with_untracked(|a| Some((centre(a.get(&token.from)?), centre(a.get(&token.to)?))))
}

/// A token's flight on the animation clock: how far along (0 to 1), and whether it has
/// yet to leave.
fn flight(live: Live, start: f64) -> (impl Fn() -> f64 + Copy, impl Fn() -> bool + Copy) {
    (
        move || ((live.anim_clock.get() - start) / FLIGHT_MS).clamp(0.0, 1.0),
        move || live.anim_clock.get() < start,
    )
}

/// Requests in flight leave a faint dashed trail of their route, drawn under the boxes
/// (see [`TokensLayer`] for the dots that travel it).
#[component]
fn TrailsLayer(live: Live, anchors: Memo<BTreeMap<String, Rect>>) -> impl IntoView {
    view! {
        <g class="layer-trails" aria-hidden="true">
            <For
                each=move || {
                    live.tokens.with(|tokens| {
                        tokens.iter().filter(|t| t.class == "call" && t.from != t.to).cloned().collect::<Vec<_>>()
                    })
                }
                key=|token| token.id
                children=move |token| {
                    let Some((a, b)) = token_ends(anchors, &token) else {
                        return ().into_any();
                    };
                    if live.reduced_motion {
                        return ().into_any();
                    }
                    let (progress, waiting) = flight(live, token.start);
                    let points: Vec<String> = (0..=12)
                        .map(|i| {
                            let (x, y) = token_position(a, b, i as f64 / 12.0);
                            format!("{x:.1},{y:.1}")
                        })
                        .collect();
                    view! {
                        <polyline class="token-trail" points=points.join(" ")
                            opacity=move || if waiting() { 0.0 } else { 0.5 * (1.0 - progress()) } />
                    }
                    .into_any()
                }
            />
        </g>
    }
}

/// Control-plane messages in flight: a dot travelling along an arc from sender to
/// receiver (a ring at the box for a component talking to itself). With reduced motion
/// the dot appears at the receiver and fades instead (see style.css).
#[component]
fn TokensLayer(live: Live, anchors: Memo<BTreeMap<String, Rect>>) -> impl IntoView {
    view! {
        <g class="layer-tokens" data-testid="tokens" aria-hidden="true">
            <For
                each=move || live.tokens.get()
                key=|token| token.id
                children=move |token| {
                    let Some((a, b)) = token_ends(anchors, &token) else {
                        return ().into_any();
                    };
                    let (progress, waiting) = flight(live, token.start);
                    let class = format!("token token-{}", token.class);
                    if live.reduced_motion {
                        // No travel: the message shows at its receiver and fades.
                        return view! {
                            <circle class=class r="6" cx=b.0 cy=b.1
                                opacity=move || if waiting() { 0.0 } else { 1.0 - progress() } />
                        }
                        .into_any();
                    }
                    if a == b {
                        view! {
                            <circle class=format!("{class} token-self") cx=a.0 cy=a.1
                                r=move || 6.0 + 22.0 * progress()
                                opacity=move || if waiting() { 0.0 } else { 1.0 - progress() } />
                        }
                        .into_any()
                    } else {
                        let radius = if token.class == "call" { "6.5" } else { "4.5" };
                        view! {
                            <circle class=class r=radius
                                transform=move || {
                                    let (x, y) = token_position(a, b, progress());
                                    format!("translate({x:.1} {y:.1})")
                                }
                                opacity=move || if waiting() { 0.0 } else { 1.0 }>
                                <title>{token.label.clone()}</title>
                            </circle>
                        }
                        .into_any()
                    }
                }
            />
        </g>
    }
}
