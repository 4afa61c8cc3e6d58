//! The inspector: explains whatever is selected — a control-plane component, a node
//! agent, an object (node, pod, Service, workload) or a control-plane message. Objects
//! show their owner chain, their events, and `kubectl describe` and `-o yaml` output,
//! kept live as the cluster changes. [`Selection`] is the shared presentation state.

use leptos::prelude::*;

use crate::sim::object::uid;
use crate::sim::store::ObjectKey;

use super::default_cluster::{COMPONENTS, NODE_AGENTS, OUTSIDE};
use super::live::Live;
use super::scene::{events_for, owner_chain, resource_of_kind, EventView, Owner};

/// What the user last clicked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selection {
    Nothing,
    /// A control-plane component (or kubectl) by name.
    Component(&'static str),
    /// A node's agent: 0 = kubelet, 1 = kube-proxy.
    Agent {
        node: String,
        agent: usize,
    },
    /// An API object by kind (`Pod`, `Node`, `Service`, `Deployment`, …).
    Object {
        kind: String,
        namespace: String,
        name: String,
    },
    /// A control-plane message by its index in the log.
    Message(usize),
    /// A flow (a request, hop by hop) by its id in the flow log.
    Flow(u64),
}

impl Selection {
    /// For a selected workload, its short name (`deploy/web`), to highlight its pods.
    pub fn workload_of(&self) -> Option<String> {
        match self {
            Selection::Object { kind, name, .. }
                if kind != "Pod" && kind != "Node" && kind != "Service" =>
            {
                Some(
                    Owner {
                        kind: kind.clone(),
                        name: name.clone(),
                    }
                    .short(),
                )
            }
            _ => None,
        }
    }
}

/// The object's uid, owner chain and events, read from the store.
fn object_facts(
    live: Live,
    kind: &str,
    namespace: &str,
    name: &str,
) -> Option<(Vec<Owner>, Vec<EventView>)> {
    let resource = resource_of_kind(kind)?;
    live.timeline.with_value(|timeline| {
        let cluster = timeline.console().cluster();
        let key = ObjectKey {
            resource,
            namespace: namespace.to_string(),
            name: name.to_string(),
        };
        let object = cluster.store().get(&key)?;
        Some((
            owner_chain(cluster, object),
            events_for(cluster, uid(object)),
        ))
    })
}

fn kubectl_target(kind: &str, namespace: &str, name: &str) -> String {
    let mut target = format!("{} {name}", kind.to_lowercase());
    if !namespace.is_empty() {
        target.push_str(&format!(" -n {namespace}"));
    }
    target
}

#[component]
fn ObjectDetails(
    live: Live,
    selection: RwSignal<Selection>,
    kind: String,
    namespace: String,
    name: String,
    /// Whether the YAML section is open. It belongs to the inspector, not to one object:
    /// selecting another object of the same kind reuses the `<details>` element, which
    /// stays open, so a per-object signal starting closed left the section empty.
    yaml_open: RwSignal<bool>,
) -> impl IntoView {
    let target = kubectl_target(&kind, &namespace, &name);
    // Recomputed when the cluster changes; the elements stay, only their text changes.
    let (k, ns, n) = (kind.clone(), namespace.clone(), name.clone());
    let facts = Memo::new(move |_| {
        live.scene.track();
        object_facts(live, &k, &ns, &n)
    });
    let describe_target = target.clone();
    let describe = Memo::new(move |_| {
        live.scene.track();
        live.peek(&format!("kubectl describe {describe_target}"))
    });
    let yaml_target = target.clone();
    let yaml = Memo::new(move |_| {
        live.scene.track();
        if yaml_open.get() {
            live.peek(&format!("kubectl get {yaml_target} -o yaml"))
        } else {
            String::new()
        }
    });
    let owner_namespace = namespace.clone();
    let owners = move || {
        facts.with(|facts| {
            let owners = facts.as_ref().map(|f| f.0.clone()).unwrap_or_default();
            if owners.is_empty() {
                return None;
            }
            let namespace = owner_namespace.clone();
            Some(view! {
                <div class="owner-chain" data-testid="inspector-owners">
                    <span class="section-label">"Owned by"</span>
                    {owners
                        .into_iter()
                        .map(|owner| {
                            let item = Selection::Object { kind: owner.kind.clone(), namespace: namespace.clone(), name: owner.name.clone() };
                            view! {
                                <span class="owner-arrow" aria-hidden="true">"←"</span>
                                <button type="button" class="owner-link" on:click=move |_| selection.set(item.clone())>
                                    {owner.short()}
                                </button>
                            }
                        })
                        .collect_view()}
                </div>
            })
        })
    };
    let events = move || {
        facts.with(|facts| match facts {
            None => view! { <p class="inspector-gone" data-testid="inspector-gone">"This object no longer exists."</p> }.into_any(),
            Some((_, events)) if events.is_empty() => view! {
                <p class="inspector-muted">"No events."</p>
            }
            .into_any(),
            Some((_, events)) => view! {
                <table class="events" data-testid="inspector-events">
                    <thead><tr><th>"Type"</th><th>"Reason"</th><th>"From"</th><th>"Message"</th></tr></thead>
                    <tbody>
                        {events
                            .iter()
                            .map(|e| {
                                let count = if e.count > 1 { format!(" (×{})", e.count) } else { String::new() };
                                view! {
                                    <tr class:warning=e.kind == "Warning">
                                        <td>{e.kind.clone()}</td>
                                        <td class="event-reason">{e.reason.clone()}</td>
                                        <td>{e.from.clone()}</td>
                                        <td>{format!("{}{count}", e.message)}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            }
            .into_any(),
        })
    };
    view! {
        <div class="inspector-details" data-testid="inspector-details">
            <span class="kind-badge">{kind.clone()}</span>
            <h3 class="inspector-title" data-testid="inspector-title">{name.clone()}</h3>
            <p class="inspector-muted">{if namespace.is_empty() { "cluster-scoped".to_string() } else { format!("namespace {namespace}") }}</p>
            {owners}
            <h4 class="section-label">"Events"</h4>
            {events}
            <details class="inspector-section" open>
                <summary>{format!("kubectl describe {target}")}</summary>
                <pre class="inspector-pre" data-testid="inspector-describe">{move || describe.get()}</pre>
            </details>
            <details class="inspector-section" prop:open=move || yaml_open.get() on:toggle=move |ev| {
                let open = event_target::<web_sys::HtmlDetailsElement>(&ev).open();
                yaml_open.set(open);
            }>
                <summary>{format!("kubectl get {target} -o yaml")}</summary>
                <pre class="inspector-pre" data-testid="inspector-yaml">{move || yaml.get()}</pre>
            </details>
        </div>
    }
}

fn component_details(
    live: Live,
    selection: RwSignal<Selection>,
    name: &'static str,
) -> impl IntoView {
    let component = COMPONENTS
        .iter()
        .chain(OUTSIDE.iter())
        .find(|c| c.name == name);
    let outside = OUTSIDE.iter().any(|c| c.name == name);
    let role = component.map(|c| c.role).unwrap_or_default();
    let recent = move || {
        live.message_count.track();
        live.timeline.with_value(|timeline| {
            timeline
                .console()
                .cluster()
                .messages()
                .iter()
                .rev()
                .filter(|m| {
                    super::live::anchor_key(&m.from) == name
                        || super::live::anchor_key(&m.to) == name
                })
                .take(8)
                .map(|m| m.to_string())
                .collect::<Vec<_>>()
        })
    };
    view! {
        <div class="inspector-details" data-testid="inspector-details">
            <span class="kind-badge">{if outside { "Outside the cluster" } else if name == "kubectl" { "Client" } else { "Control plane" }}</span>
            <h3 class="inspector-title" data-testid="inspector-title">{name}</h3>
            <p class="inspector-about">{role}</p>
            {(name == "CoreDNS").then(|| view! {
                <h4 class="section-label">"What it answers"</h4>
                <super::traffic::DnsAnswers live=live inspect=selection visible=Signal::derive(|| true) />
            })}
            <Show when=move || !outside>
                <h4 class="section-label">"Latest messages"</h4>
                <ul class="message-list compact">
                    {move || recent().into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}
                </ul>
            </Show>
        </div>
    }
}

fn message_details(live: Live, index: usize) -> impl IntoView {
    let message = live.timeline.with_value(|t| {
        // `index` counts from the first message ever recorded (see the panel).
        let cluster = t.console().cluster();
        let dropped = cluster.messages_dropped() as usize;
        index
            .checked_sub(dropped)
            .and_then(|i| cluster.messages().get(i))
            .cloned()
    });
    match message {
        None => view! { <p class="inspector-gone">"This message is not in the log any more (rewound past it, or dropped as the log filled)."</p> }.into_any(),
        Some(m) => view! {
            <div class="inspector-details" data-testid="inspector-details">
                <span class="kind-badge">"Message"</span>
                <h3 class="inspector-title" data-testid="inspector-title">{format!("{} → {}", m.from, m.to)}</h3>
                <dl class="fields">
                    <dt>"At"</dt><dd>{crate::console::simctl::format_clock(m.at)}</dd>
                    <dt>"Verb"</dt><dd>{m.verb.clone()}</dd>
                    <dt>"Object"</dt><dd>{m.object.clone()}</dd>
                </dl>
                <p class="inspector-about">{m.summary.clone()}</p>
            </div>
        }
        .into_any(),
    }
}

#[component]
pub fn Inspector(
    live: Live,
    selection: RwSignal<Selection>,
    open: RwSignal<bool>,
) -> impl IntoView {
    let yaml_open = RwSignal::new(false);
    let body = move || {
        match selection.get() {
        Selection::Nothing => view! {
            <div class="inspector-empty">
                <p>"Click anything in the cluster view — a pod, a node, a Service, a control-plane component — or a message, to see what it is, its events, and its "<code>"describe"</code>" and YAML."</p>
            </div>
        }
        .into_any(),
        Selection::Component(name) => component_details(live, selection, name).into_any(),
        Selection::Agent { node, agent } => {
            let (name, role) = NODE_AGENTS.get(agent).copied().unwrap_or(("", ""));
            view! {
                <div class="inspector-details" data-testid="inspector-details">
                    <span class="kind-badge">"Node agent"</span>
                    <h3 class="inspector-title" data-testid="inspector-title">{format!("{name} on {node}")}</h3>
                    <p class="inspector-about">{role}</p>
                </div>
            }
            .into_any()
        }
        Selection::Object { kind, namespace, name } => view! {
            <ObjectDetails live=live selection=selection kind=kind namespace=namespace name=name yaml_open=yaml_open />
        }
        .into_any(),
        Selection::Message(index) => message_details(live, index).into_any(),
        Selection::Flow(id) => super::traffic::flow_details(live, id).into_any(),
    }
    };

    view! {
        <aside
            id="inspector"
            data-testid="inspector"
            class="panel inspector-panel"
            aria-label="Inspector"
            hidden=move || !open.get()
        >
            <header class="panel-header">
                <h2 class="panel-title">"Inspector"</h2>
                <button
                    class="panel-button"
                    type="button"
                    aria-label="Close the inspector"
                    on:click=move |_| open.set(false)
                >
                    "✕"
                </button>
            </header>
            <div class="inspector-body">{body}</div>
        </aside>
    }
}
