//! The control-plane message log beside the console: every message the cluster
//! recorded, newest last, filterable by component and by object. Clicking one shows it
//! in the inspector.

use leptos::html;
use leptos::prelude::*;

use super::inspector::Selection;
use super::live::{anchor_key, Live};
use super::traffic::{PanelTabs, SideTab};

/// How many matching messages the list shows (the newest).
const SHOWN: usize = 200;

/// The component filter's choices: (value, label). Node agents match on any node.
const COMPONENTS: [(&str, &str); 9] = [
    ("", "all components"),
    ("kubectl", "kubectl"),
    ("kube-apiserver", "kube-apiserver"),
    ("etcd", "etcd"),
    ("kube-scheduler", "kube-scheduler"),
    ("kube-controller-manager", "kube-controller-manager"),
    ("kubelet", "kubelet (any node)"),
    ("kube-proxy", "kube-proxy (any node)"),
    ("cloud-controller-manager", "cloud-controller-manager"),
];

/// The line above the oldest message once the ring has dropped some.
fn dropped_note(dropped: u64) -> String {
    match dropped {
        1 => "1 older message dropped".to_string(),
        n => format!("{n} older messages dropped"),
    }
}

/// Whether a box key (`kubelet@worker-1`) matches the component filter (`kubelet`).
fn matches_component(key: &str, filter: &str) -> bool {
    filter.is_empty() || key == filter || key.split('@').next() == Some(filter)
}

/// A row of the list: the message's number (from the first ever recorded), its time,
/// route and summary, and whether it is part of the story (not plumbing).
type Row = (usize, String, String, String, bool);

/// The message a click in the list landed on: the `data-index` of its row's button.
fn clicked_row(event: &web_sys::MouseEvent) -> Option<usize> {
    use wasm_bindgen::JsCast;
    let target = event.target()?.dyn_into::<web_sys::Element>().ok()?;
    let button = target.closest("[data-index]").ok()??;
    button.get_attribute("data-index")?.parse().ok()
}

#[component]
pub fn MessagesPanel(
    live: Live,
    selection: RwSignal<Selection>,
    tab: RwSignal<SideTab>,
) -> impl IntoView {
    let component = RwSignal::new(String::new());
    let object = RwSignal::new(String::new());
    // etcd writes and Event objects double the log; shown on request.
    let plumbing = RwSignal::new(false);
    let list_ref = NodeRef::<html::Ol>::new();
    let rows = Memo::new(move |_| {
        live.message_count.track();
        // Hidden behind another tab: nothing to filter and draw until it is shown.
        if tab.get() != SideTab::Messages {
            return Vec::new();
        }
        let component = component.get();
        let object = object.get().to_lowercase();
        let plumbing = plumbing.get();
        live.timeline.with_value(|timeline| {
            let cluster = timeline.console().cluster();
            // Rows are numbered from the first message ever recorded, so a selection
            // keeps pointing at its message while the ring drops older ones.
            let dropped = cluster.messages_dropped() as usize;
            let mut rows: Vec<Row> = cluster
                .messages()
                .iter()
                .enumerate()
                .map(|(i, m)| (dropped + i, m))
                .rev()
                .filter(|(_, m)| {
                    (plumbing || super::live::is_story(m))
                        && (matches_component(&anchor_key(&m.from), &component)
                            || matches_component(&anchor_key(&m.to), &component))
                        && (object.is_empty()
                            || m.object.to_lowercase().contains(&object)
                            || m.summary.to_lowercase().contains(&object))
                })
                .take(SHOWN)
                .map(|(i, m)| {
                    let time = m.to_string();
                    let clock = time.split(' ').next().unwrap_or_default().to_string();
                    (
                        i,
                        clock,
                        format!("{} → {}", m.from, m.to),
                        m.summary.clone(),
                        super::live::is_story(m),
                    )
                })
                .collect();
            rows.reverse();
            rows
        })
    });
    // The ring keeps the newest messages; say how many older ones it let go.
    let dropped = Memo::new(move |_| {
        live.message_count.track();
        live.timeline
            .with_value(|timeline| timeline.console().cluster().messages_dropped())
    });
    // Keep the newest message in view.
    Effect::new(move |_| {
        rows.track();
        if let Some(list) = list_ref.get() {
            super::scroll::scroll_to_end_soon(&list);
        }
    });
    // The list is [`SHOWN`] row slots built once; slot `i` shows the `i`th row, its
    // texts, class and index following `rows` (a slot past the end is hidden). In a
    // burst every publication brings more than [`SHOWN`] new messages: a keyed list
    // built 200 rows anew each time, and even rebuilt in place a type-erased element
    // re-sets every attribute; here only the texts and classes that changed are
    // written. Clicks are taken by the list (see `clicked_row`).
    let slots = (0..SHOWN)
        .map(|slot| {
            let row = move |part: fn(&Row) -> String| {
                rows.with(|rows| rows.get(slot).map(part).unwrap_or_default())
            };
            let class = move || {
                let selected = selection.with(|s| match s {
                    Selection::Message(index) => Some(*index),
                    _ => None,
                });
                rows.with(|rows| match rows.get(slot) {
                    Some(row) => match (row.4, selected == Some(row.0)) {
                        (true, false) => "message",
                        (true, true) => "message selected",
                        (false, false) => "message plumbing",
                        (false, true) => "message plumbing selected",
                    },
                    None => "message",
                })
            };
            let filled = move || rows.with(|rows| slot < rows.len());
            view! {
                <li class=class hidden=move || !filled()>
                    // Only a filled slot is a message to tests and assistive technology.
                    <button type="button" class="message-button" data-testid=move || filled().then_some("message")
                        data-index=move || row(|r| r.0.to_string())>
                        <span class="message-time">{move || row(|r| r.1.clone())}</span>
                        <span class="message-route">{move || row(|r| r.2.clone())}</span>
                        <span class="message-summary">{move || row(|r| r.3.clone())}</span>
                    </button>
                </li>
            }
        })
        .collect_view();
    view! {
        <section id="messages" data-testid="messages" class="panel messages-panel" aria-label="Control-plane messages"
            hidden=move || tab.get() != SideTab::Messages>
            <header class="panel-header">
                <PanelTabs tab=tab />
                <label class="filter-check" title="Also show the API server's writes to etcd and the Event objects components create">
                    <input type="checkbox" data-testid="messages-plumbing" prop:checked=move || plumbing.get()
                        on:change=move |ev| plumbing.set(event_target_checked(&ev)) />
                    "etcd, events"
                </label>
                <select class="filter" data-testid="messages-component" aria-label="Filter by component"
                    on:change=move |ev| component.set(event_target_value(&ev))>
                    {COMPONENTS.iter().map(|(value, label)| view! { <option value=*value>{*label}</option> }).collect_view()}
                </select>
                <input class="filter filter-object" data-testid="messages-object" type="search" placeholder="object, e.g. deployment/web"
                    aria-label="Filter by object" prop:value=move || object.get()
                    on:input=move |ev| object.set(event_target_value(&ev)) />
            </header>
            <ol class="message-list" node_ref=list_ref data-testid="messages-list" aria-live="off"
                on:click=move |event| {
                    if let Some(index) = clicked_row(&event) {
                        selection.set(Selection::Message(index));
                    }
                }>
                <Show when=move || { dropped.get() > 0 }>
                    <li class="message-dropped" data-testid="messages-dropped">
                        {move || dropped_note(dropped.get())}
                    </li>
                </Show>
                <Show when=move || rows.with(Vec::is_empty)>
                    <li class="message-empty">"No messages yet: apply something and watch the components talk."</li>
                </Show>
                {slots}
            </ol>
        </section>
    }
}
