//! The Endpoints and EndpointSlice controllers (pkg/controller/endpoint,
//! pkg/controller/endpointslice): for every Service with a selector, the IPs of the
//! matching pods with their ports resolved (named target ports looked up in each pod),
//! ready or not, and, in slices, serving and terminating.
//!
//! Objects that already say what the controller would write are left alone, so the
//! bootstrap's `kube-dns` endpoints are not rewritten at startup.

use crate::sim::apiserver::{DeleteOptions, WriteOptions};
use crate::sim::cluster::Cluster;
use crate::sim::json::json;
use crate::sim::labels::Selector;
use crate::sim::messages::Component;
use crate::sim::object;
use crate::sim::resources::ResourceType;
use crate::sim::sort::SharedSort;
use crate::sim::time::rfc3339;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

const MANAGED_BY: &str = "endpointslice-controller.k8s.io";
const TRIGGER_TIME: &str = "endpoints.kubernetes.io/last-change-trigger-time";

fn rt(cluster: &Cluster, name: &str) -> ResourceType {
    cluster
        .registry
        .resolve(name)
        .expect("built-in resource")
        .clone()
}

pub fn reconcile(cluster: &mut Cluster) {
    let cursor = cluster.controllers.endpoints_cursor;
    let mut services: BTreeSet<(String, String)> = BTreeSet::new();
    let mut deleted: BTreeSet<(String, String)> = BTreeSet::new();
    for e in cluster.store.events_since(cursor) {
        match (
            e.key.resource.group.as_str(),
            e.key.resource.resource.as_str(),
        ) {
            ("", "services") | ("", "endpoints") => {
                let key = (e.key.namespace.clone(), e.key.name.clone());
                if e.key.resource.resource == "services"
                    && e.event_type == crate::sim::store::WatchEventType::Deleted
                {
                    deleted.insert(key.clone());
                }
                services.insert(key);
            }
            ("discovery.k8s.io", "endpointslices") => {
                let svc = object::str_at(&e.object, "/metadata/labels/kubernetes.io~1service-name");
                if !svc.is_empty() {
                    services.insert((e.key.namespace.clone(), svc.to_string()));
                }
            }
            // Read in place: a pod write is the commonest entry, and copying each one
            // cost more than the lookup.
            ("", "pods") => services.extend(services_of_pod(cluster, &e.object)),
            _ => {}
        }
    }
    cluster.controllers.endpoints_cursor = cluster.store.revision();
    for (ns, name) in services {
        let gone = deleted.contains(&(ns.clone(), name.clone()));
        sync(cluster, &ns, &name, gone);
    }
}

/// The Services a pod change concerns (`getPodServiceMemberships`): those in its
/// namespace whose selector matches it now, and those whose endpoints held it at their
/// last sync (its labels may have changed since). The others would write nothing.
fn services_of_pod(cluster: &Cluster, pod: &Value) -> Vec<(String, String)> {
    let ns = object::namespace(pod);
    let name = object::name(pod);
    let svc_rt = rt(cluster, "services");
    let members = &cluster.controllers.endpoint_members;
    cluster
        .list(&svc_rt, Some(ns))
        .into_iter()
        .filter(|svc| {
            let svc_name = object::name(svc);
            let was_member = members
                .get(&(ns.to_string(), svc_name.to_string()))
                .is_some_and(|pods| pods.contains(name));
            was_member
                || object::at(svc, "/spec/selector")
                    .and_then(Value::as_object)
                    .is_some_and(|m| !m.is_empty())
                    && Selector::from_map(object::at(svc, "/spec/selector").unwrap_or(&Value::Null))
                        .matches_object(pod)
        })
        .map(|svc| (ns.to_string(), object::name(svc).to_string()))
        .collect()
}

fn actor(which: &str) -> Component {
    Component::ControllerManager(which.into())
}

/// `ShouldSetHostname`.
fn hostname_for(pod: &Value, svc: &Value) -> Option<String> {
    let hostname = object::str_at(pod, "/spec/hostname");
    (!hostname.is_empty()
        && object::str_at(pod, "/spec/subdomain") == object::name(svc)
        && object::namespace(pod) == object::namespace(svc))
    .then(|| hostname.to_string())
}

fn pod_ready(pod: &Value) -> bool {
    super::statefulset::pod_ready(pod)
}

/// `podutil.FindPort`: the container port a service port's targetPort means in `pod`.
fn find_port(pod: &Value, svc_port: &Value) -> Option<i64> {
    let target = svc_port.get("targetPort");
    match target {
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(name)) => {
            if let Ok(n) = name.parse::<i64>() {
                return Some(n);
            }
            let proto = match object::str_at(svc_port, "/protocol") {
                "" => "TCP",
                p => p,
            };
            object::at(pod, "/spec/containers")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .flat_map(|c| {
                    c.get("ports")
                        .and_then(Value::as_array)
                        .cloned()
                        .unwrap_or_default()
                })
                .find(|p| {
                    object::str_at(p, "/name") == name
                        && (object::str_at(p, "/protocol") == proto
                            || (object::str_at(p, "/protocol").is_empty() && proto == "TCP"))
                })
                .and_then(|p| p.get("containerPort").and_then(Value::as_i64))
        }
        _ => svc_port.get("port").and_then(Value::as_i64),
    }
}

/// One pod as an endpoint: the resolved ports (in service port order) and its state.
struct PodEndpoint {
    ip: String,
    pod: Value,
    ports: Vec<Value>,
    ready: bool,
    serving: bool,
    terminating: bool,
    hostname: Option<String>,
}

fn target_ref(pod: &Value) -> Value {
    json!({"kind": "Pod", "name": object::name(pod), "namespace": object::namespace(pod), "uid": object::uid(pod)})
}

fn pod_endpoints(cluster: &Cluster, svc: &Value) -> Vec<PodEndpoint> {
    let ns = object::namespace(svc);
    let selector = Selector::from_map(object::at(svc, "/spec/selector").unwrap_or(&Value::Null));
    let publish_not_ready = object::at(svc, "/spec/publishNotReadyAddresses")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let svc_ports = object::at(svc, "/spec/ports")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let pods_rt = cluster.registry.resolve("pods").expect("built in");
    let mut out = vec![];
    for pod in cluster.list(pods_rt, Some(ns)) {
        let ip = object::str_at(pod, "/status/podIP");
        let phase = object::str_at(pod, "/status/phase");
        if ip.is_empty()
            || phase == "Failed"
            || phase == "Succeeded"
            || !selector.matches_object(pod)
        {
            continue;
        }
        let terminating = object::is_deleting(pod);
        let ready = pod_ready(pod);
        let ports = svc_ports
            .iter()
            .filter_map(|sp| {
                let port = find_port(pod, sp)?;
                let mut p = Map::new();
                p.insert("name".into(), json!(object::str_at(sp, "/name")));
                p.insert("port".into(), json!(port));
                p.insert(
                    "protocol".into(),
                    json!(match object::str_at(sp, "/protocol") {
                        "" => "TCP",
                        other => other,
                    }),
                );
                if let Some(a) = sp.get("appProtocol") {
                    p.insert("appProtocol".into(), a.clone());
                }
                Some(Value::Object(p))
            })
            .collect();
        out.push(PodEndpoint {
            ip: ip.to_string(),
            pod: pod.clone(),
            ports,
            ready: publish_not_ready || (ready && !terminating),
            serving: publish_not_ready || ready,
            terminating,
            hostname: hostname_for(pod, svc),
        });
    }
    out.sort_shared_by(|a, b| a.ip.cmp(&b.ip));
    out
}

fn base_labels(svc: &Value) -> Value {
    let mut labels = object::labels_value(svc);
    if object::str_at(svc, "/spec/clusterIP") == "None" {
        labels["service.kubernetes.io/headless"] = json!("");
    }
    labels
}

fn sync(cluster: &mut Cluster, ns: &str, name: &str, deleted: bool) {
    let svc_rt = rt(cluster, "services");
    let ep_rt = rt(cluster, "endpoints");
    let slot = (ns.to_string(), name.to_string());
    cluster.controllers.endpoint_members.remove(&slot);
    let svc = match cluster.get(&svc_rt, ns, name) {
        Ok(s) => s.clone(),
        Err(_) => {
            // The Service is gone: its Endpoints go too (slices follow their owner).
            if deleted && cluster.get(&ep_rt, ns, name).is_ok() {
                let opts = DeleteOptions {
                    actor: actor("endpoint"),
                    ..Default::default()
                };
                let _ = cluster.delete(&ep_rt, ns, name, &opts);
            }
            return;
        }
    };
    let has_selector = object::at(&svc, "/spec/selector")
        .and_then(Value::as_object)
        .is_some_and(|m| !m.is_empty());
    if !has_selector
        || object::is_deleting(&svc)
        || object::str_at(&svc, "/spec/type") == "ExternalName"
    {
        return;
    }
    let endpoints = pod_endpoints(cluster, &svc);
    let members = endpoints
        .iter()
        .map(|e| object::name(&e.pod).to_string())
        .collect();
    cluster.controllers.endpoint_members.insert(slot, members);
    sync_endpoints(cluster, &svc, &endpoints);
    sync_slices(cluster, &svc, &endpoints);
}

/// Ready addresses, not-ready addresses and ports of one Endpoints subset.
type Subset = (Vec<Value>, Vec<Value>, Vec<Value>);

fn sync_endpoints(cluster: &mut Cluster, svc: &Value, endpoints: &[PodEndpoint]) {
    let (ns, name) = (
        object::namespace(svc).to_string(),
        object::name(svc).to_string(),
    );
    let ep_rt = rt(cluster, "endpoints");
    let publish_not_ready = object::at(svc, "/spec/publishNotReadyAddresses")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    // Subsets grouped by their port set (RepackSubsets), addresses sorted by IP.
    let mut subsets: BTreeMap<String, Subset> = BTreeMap::new();
    let mut order: Vec<String> = vec![];
    for e in endpoints {
        if e.terminating && !publish_not_ready {
            continue;
        }
        let ports: Vec<Value> = e
            .ports
            .iter()
            .map(|p| {
                let mut p = p.clone();
                if p.get("name").and_then(Value::as_str) == Some("") {
                    if let Some(m) = p.as_object_mut() {
                        m.remove("name");
                    }
                }
                p
            })
            .collect();
        if ports.is_empty()
            && !object::at(svc, "/spec/ports")
                .and_then(Value::as_array)
                .is_none_or(|a| a.is_empty())
        {
            continue;
        }
        let key = serde_json::to_string(&ports).unwrap_or_default();
        if !subsets.contains_key(&key) {
            order.push(key.clone());
        }
        let entry = subsets
            .entry(key)
            .or_insert_with(|| (vec![], vec![], ports.clone()));
        let mut a = Map::new();
        if let Some(h) = &e.hostname {
            a.insert("hostname".into(), json!(h));
        }
        a.insert("ip".into(), json!(e.ip));
        let node = object::str_at(&e.pod, "/spec/nodeName");
        if !node.is_empty() {
            a.insert("nodeName".into(), json!(node));
        }
        a.insert("targetRef".into(), target_ref(&e.pod));
        if e.ready {
            entry.0.push(Value::Object(a));
        } else {
            entry.1.push(Value::Object(a));
        }
    }
    let subsets: Vec<Value> = order
        .iter()
        .filter_map(|k| subsets.get(k))
        .map(|(ready, not_ready, ports)| {
            let mut s = Map::new();
            if !ready.is_empty() {
                s.insert("addresses".into(), json!(ready));
            }
            if !not_ready.is_empty() {
                s.insert("notReadyAddresses".into(), json!(not_ready));
            }
            if !ports.is_empty() {
                s.insert("ports".into(), json!(ports));
            }
            Value::Object(s)
        })
        .collect();
    let labels = base_labels(svc);
    let opts = WriteOptions {
        actor: actor("endpoint"),
        ..Default::default()
    };
    match cluster.get(&ep_rt, &ns, &name).cloned() {
        Ok(existing) => {
            let same_subsets = existing
                .get("subsets")
                .cloned()
                .unwrap_or_else(|| json!([]))
                == json!(subsets);
            let same_labels = object::labels_value(&existing) == labels;
            if same_subsets && same_labels {
                return;
            }
            let mut updated = existing;
            object::meta_mut(&mut updated).insert("labels".into(), labels);
            object::set_annotation(&mut updated, TRIGGER_TIME, &rfc3339(cluster.now));
            match updated.as_object_mut() {
                Some(m) if subsets.is_empty() => {
                    m.remove("subsets");
                }
                Some(m) => {
                    m.insert("subsets".into(), json!(subsets));
                }
                None => {}
            }
            let _ = cluster.update(&ep_rt, updated, &opts);
        }
        Err(_) => {
            let mut ep = json!({"apiVersion": "v1", "kind": "Endpoints",
                "metadata": {"name": name, "namespace": ns, "labels": labels, "annotations": {TRIGGER_TIME: rfc3339(cluster.now)}}});
            if !subsets.is_empty() {
                ep["subsets"] = json!(subsets);
            }
            let _ = cluster.create(&ep_rt, ep, &ns, &opts);
        }
    }
}

fn slice_endpoint(e: &PodEndpoint) -> Value {
    let mut m = Map::new();
    m.insert("addresses".into(), json!([e.ip]));
    m.insert(
        "conditions".into(),
        json!({"ready": e.ready, "serving": e.serving, "terminating": e.terminating}),
    );
    if let Some(h) = &e.hostname {
        m.insert("hostname".into(), json!(h));
    }
    let node = object::str_at(&e.pod, "/spec/nodeName");
    if !node.is_empty() {
        m.insert("nodeName".into(), json!(node));
    }
    m.insert("targetRef".into(), target_ref(&e.pod));
    Value::Object(m)
}

fn sync_slices(cluster: &mut Cluster, svc: &Value, endpoints: &[PodEndpoint]) {
    let (ns, name) = (
        object::namespace(svc).to_string(),
        object::name(svc).to_string(),
    );
    let slice_rt = rt(cluster, "endpointslices");
    // Desired slices: one per distinct port set, in first-seen order.
    let mut groups: Vec<(Value, Vec<Value>)> = vec![];
    for e in endpoints {
        let ports = json!(e.ports);
        match groups.iter_mut().find(|(p, _)| *p == ports) {
            Some((_, list)) => list.push(slice_endpoint(e)),
            None => groups.push((ports, vec![slice_endpoint(e)])),
        }
    }
    let mut existing: Vec<Value> = cluster
        .list(&slice_rt, Some(&ns))
        .into_iter()
        .filter(|s| {
            object::str_at(s, "/metadata/labels/kubernetes.io~1service-name") == name
                && object::str_at(
                    s,
                    "/metadata/labels/endpointslice.kubernetes.io~1managed-by",
                ) == MANAGED_BY
        })
        .cloned()
        .collect();
    let mut labels = base_labels(svc);
    labels["kubernetes.io/service-name"] = json!(name);
    labels["endpointslice.kubernetes.io/managed-by"] = json!(MANAGED_BY);
    let opts = WriteOptions {
        actor: actor("endpointslice"),
        ..Default::default()
    };
    let placeholder = groups.is_empty();
    if placeholder {
        groups.push((Value::Null, vec![]));
    }
    for (ports, eps) in groups {
        let endpoints_value = if placeholder { Value::Null } else { json!(eps) };
        // Reuse a slice with the same ports, else any left over.
        let pos = existing
            .iter()
            .position(|s| s.get("ports").cloned().unwrap_or(Value::Null) == ports)
            .or(if existing.is_empty() { None } else { Some(0) });
        match pos.map(|i| existing.remove(i)) {
            Some(slice) => {
                let same = slice.get("endpoints").cloned().unwrap_or(Value::Null)
                    == endpoints_value
                    && slice.get("ports").cloned().unwrap_or(Value::Null) == ports
                    && object::labels_value(&slice) == labels;
                if same {
                    continue;
                }
                let mut updated = slice;
                object::meta_mut(&mut updated).insert("labels".into(), labels.clone());
                object::set_annotation(&mut updated, TRIGGER_TIME, &rfc3339(cluster.now));
                updated["endpoints"] = endpoints_value;
                updated["ports"] = ports;
                let _ = cluster.update(&slice_rt, updated, &opts);
            }
            None => {
                let slice = json!({"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "addressType": "IPv4",
                    "metadata": {"generateName": format!("{name}-"), "namespace": ns, "labels": labels.clone(),
                        "annotations": {TRIGGER_TIME: rfc3339(cluster.now)},
                        "ownerReferences": [object::controller_ref(svc)]},
                    "endpoints": endpoints_value, "ports": ports});
                let _ = cluster.create(&slice_rt, slice, &ns, &opts);
            }
        }
    }
    for s in existing {
        let del = DeleteOptions {
            actor: actor("endpointslice"),
            ..Default::default()
        };
        let _ = cluster.delete(&slice_rt, &ns, object::name(&s), &del);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::cluster::ClusterOptions;

    /// A cluster whose kubelets are stopped: the test plays the kubelet.
    fn quiet_cluster() -> Cluster {
        let mut c = Cluster::new(ClusterOptions::default());
        for n in ["control-plane", "worker-1", "worker-2", "worker-3"] {
            c.controllers.stopped_kubelets.insert(n.to_string());
        }
        c
    }

    #[test]
    fn bootstrap_endpoints_are_left_alone() {
        let c = quiet_cluster();
        let ep = rt(&c, "endpoints");
        let dns = c.get(&ep, "kube-system", "kube-dns").expect("bootstrap");
        assert!(
            object::annotation(dns, TRIGGER_TIME).is_none(),
            "not rewritten: {dns:#}"
        );
        let slices = rt(&c, "endpointslices");
        // kube-dns's and metrics-server's.
        assert_eq!(c.list(&slices, Some("kube-system")).len(), 2);
    }

    #[test]
    fn ready_and_not_ready_pods_with_named_ports_and_hostnames() {
        let mut c = quiet_cluster();
        let svc = rt(&c, "services");
        let opts = WriteOptions::default();
        c.create(&svc, json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "nginx"},
            "spec": {"clusterIP": "None", "selector": {"app": "nginx"}, "ports": [{"name": "web", "port": 80, "targetPort": "http"}]}}), "default", &opts).expect("svc");
        let pods = rt(&c, "pods");
        for (name, ready) in [("web-0", true), ("web-1", false)] {
            c.create(&pods, json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "labels": {"app": "nginx"}},
                "spec": {"hostname": name, "subdomain": "nginx", "containers": [{"name": "c", "image": "nginx", "ports": [{"name": "http", "containerPort": 8080}]}]}}), "default", &opts).expect("pod");
            let ip = if ready { "10.244.1.2" } else { "10.244.2.2" };
            let status = json!({"phase": "Running", "podIP": ip, "conditions": [{"type": "Ready", "status": if ready { "True" } else { "False" }}]});
            c.update_status(
                &pods,
                "default",
                name,
                status,
                Component::Kubelet("worker-1".into()),
            )
            .expect("status");
        }
        c.settle();
        let ep = c
            .get(&rt(&c, "endpoints"), "default", "nginx")
            .expect("endpoints")
            .clone();
        assert_eq!(
            ep.pointer("/subsets/0/addresses/0/ip"),
            Some(&json!("10.244.1.2"))
        );
        assert_eq!(
            ep.pointer("/subsets/0/addresses/0/hostname"),
            Some(&json!("web-0"))
        );
        assert_eq!(
            ep.pointer("/subsets/0/notReadyAddresses/0/ip"),
            Some(&json!("10.244.2.2"))
        );
        assert_eq!(
            ep.pointer("/subsets/0/ports/0"),
            Some(&json!({"name": "web", "port": 8080, "protocol": "TCP"}))
        );
        assert_eq!(
            object::str_at(&ep, "/metadata/labels/service.kubernetes.io~1headless"),
            ""
        );
        let slices = rt(&c, "endpointslices");
        let all: Vec<Value> = c
            .list(&slices, Some("default"))
            .into_iter()
            .filter(|s| object::name(s).starts_with("nginx-"))
            .cloned()
            .collect();
        assert_eq!(all.len(), 1);
        assert_eq!(
            all[0].pointer("/endpoints/1/conditions"),
            Some(&json!({"ready": false, "serving": false, "terminating": false}))
        );
        assert_eq!(all[0].pointer("/ports/0/port"), Some(&json!(8080)));
    }
}
