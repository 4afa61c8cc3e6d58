//! The inspector: explains whatever is selected in the cluster view (later also a flow
//! or a control-plane message). [`Selection`] is the shared presentation state.

use leptos::prelude::*;

use super::default_cluster::{COMPONENTS, NODES, NODE_AGENTS, SERVICES};

/// What the user last clicked. Indexes into the default cluster's tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Selection {
    Nothing,
    Component(usize),
    Service(usize),
    Node(usize),
    /// A node's agent: (node, agent) with agent 0 = kubelet, 1 = kube-proxy.
    Agent(usize, usize),
}

/// What the inspector shows for a selection.
struct Details {
    kind: &'static str,
    title: String,
    fields: Vec<(&'static str, String)>,
    about: String,
}

fn details(selection: Selection) -> Option<Details> {
    Some(match selection {
        Selection::Nothing => return None,
        Selection::Component(i) => {
            let component = COMPONENTS.get(i)?;
            Details {
                kind: "Control plane",
                title: component.name.to_string(),
                fields: vec![
                    ("Runs on", "control-plane (172.18.0.2)".to_string()),
                    ("Namespace", "kube-system".to_string()),
                ],
                about: component.role.to_string(),
            }
        }
        Selection::Service(i) => {
            let service = SERVICES.get(i)?;
            Details {
                kind: "Service",
                title: service.name.to_string(),
                fields: vec![
                    ("Namespace", service.namespace.to_string()),
                    ("Type", "ClusterIP".to_string()),
                    ("Cluster IP", service.cluster_ip.to_string()),
                    ("Ports", service.ports.to_string()),
                ],
                about: "A stable virtual address; kube-proxy on every node sends its \
                        traffic to one of the Service's ready endpoints."
                    .to_string(),
            }
        }
        Selection::Node(i) => {
            let node = NODES.get(i)?;
            let mut fields = vec![
                ("Status", "Ready".to_string()),
                ("Internal IP", node.internal_ip.to_string()),
                ("Pod CIDR", node.pod_cidr.to_string()),
            ];
            if let Some(taint) = node.taint {
                fields.push(("Taint", taint.to_string()));
            }
            Details {
                kind: "Node",
                title: node.name.to_string(),
                fields,
                about: if node.taint.is_some() {
                    "Hosts the control plane. Its taint keeps ordinary pods off it.".to_string()
                } else {
                    "A worker: the scheduler places ordinary pods here.".to_string()
                },
            }
        }
        Selection::Agent(node, agent) => {
            let node = NODES.get(node)?;
            let (name, role) = NODE_AGENTS.get(agent)?;
            Details {
                kind: "Node agent",
                title: format!("{name} on {}", node.name),
                fields: vec![("Node", format!("{} ({})", node.name, node.internal_ip))],
                about: role.to_string(),
            }
        }
    })
}

#[component]
pub fn Inspector(selection: RwSignal<Selection>, open: RwSignal<bool>) -> impl IntoView {
    let body = move || {
        match details(selection.get()) {
        None => view! {
            <p class="inspector-empty">
                "Click a component, Service, node or agent in the cluster view to see what it is and what it does."
            </p>
        }
        .into_any(),
        Some(details) => view! {
            <div class="inspector-details" data-testid="inspector-details">
                <span class="kind-badge">{details.kind}</span>
                <h3 class="inspector-title">{details.title}</h3>
                <dl class="fields">
                    {details
                        .fields
                        .into_iter()
                        .map(|(name, value)| view! { <dt>{name}</dt> <dd>{value}</dd> })
                        .collect_view()}
                </dl>
                <p class="inspector-about">{details.about}</p>
            </div>
        }
        .into_any(),
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
