//! The namespace controller: a namespace being deleted has everything in it deleted, and
//! disappears once it is empty (its `kubernetes` finalizer removed).

use crate::sim::apiserver::DeleteOptions;
use crate::sim::cluster::{Cluster, SimEvent};
use crate::sim::messages::Component;
use crate::sim::object;
use crate::sim::resources::ResourceType;
use crate::sim::time::SECOND;

fn actor() -> Component {
    Component::ControllerManager("namespace".into())
}

pub fn finalize(cluster: &mut Cluster, ns: &str) {
    let ns_type = cluster
        .registry
        .resolve("namespaces")
        .expect("built in")
        .clone();
    let Ok(namespace) = cluster.get(&ns_type, "", ns) else {
        return;
    };
    if !object::is_deleting(namespace) {
        return;
    }
    let namespace = namespace.clone();
    let types: Vec<ResourceType> = cluster
        .registry
        .all()
        .iter()
        .filter(|t| t.namespaced && t.listable)
        .cloned()
        .collect();
    let mut remaining = 0;
    for t in &types {
        let names: Vec<(String, bool)> = cluster
            .list(t, Some(ns))
            .iter()
            .map(|o| (object::name(o).to_string(), object::is_deleting(o)))
            .collect();
        for (name, deleting) in names {
            remaining += 1;
            if !deleting {
                let _ = cluster.delete(
                    t,
                    ns,
                    &name,
                    &DeleteOptions {
                        actor: actor(),
                        ..Default::default()
                    },
                );
            }
        }
    }
    if remaining == 0 {
        cluster.remove(&ns_type, &namespace, &actor());
    } else {
        // The real controller requeues with back-off; look again shortly.
        cluster.schedule(
            cluster.now() + SECOND,
            SimEvent::FinalizeNamespace(ns.to_string()),
        );
    }
}
