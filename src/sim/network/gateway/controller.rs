//! Envoy Gateway's control plane, one pass: accept its GatewayClasses, give each of their
//! Gateways its proxy Deployment and LoadBalancer Service, and write the status of
//! Gateways, HTTPRoutes and policies as its translator does (`internal/gatewayapi`).
//! A pass writes only what differs from what is stored, so it settles.

use super::status::{self, condition, merge};
use super::{install, policy, routing, CONTROLLER_NAME, GROUP, OWNING_NAME, OWNING_NAMESPACE};
use crate::sim::apiserver::{DeleteOptions, WriteOptions};
use crate::sim::json::json;
use crate::sim::messages::Component;
use crate::sim::object;
use crate::sim::resources::ResourceType;
use crate::sim::time::rfc3339;
use crate::sim::Cluster;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

fn actor() -> Component {
    Component::ControllerManager("envoy-gateway".into())
}

fn custom(cluster: &Cluster, plural: &str) -> Option<ResourceType> {
    cluster.registry().resolve(plural).cloned()
}

fn list(cluster: &Cluster, plural: &str) -> Vec<Value> {
    custom(cluster, plural)
        .map(|rt| cluster.list(&rt, None).into_iter().cloned().collect())
        .unwrap_or_default()
}

fn key(obj: &Value) -> String {
    format!("{}/{}", object::namespace(obj), object::name(obj))
}

/// `envoy-<namespace>-<name>-<hash>`: `GetHashedName("namespace/name", 48)` with the
/// `envoy` prefix (`internal/infrastructure/kubernetes/proxy`).
pub fn infra_name(namespace: &str, name: &str) -> String {
    let ns_name = format!("{namespace}/{name}");
    let hash = crate::sim::hash::sha256_hex(ns_name.as_bytes());
    let mut resource = ns_name.replace('/', "-");
    if resource.len() > 48 {
        resource.truncate(48);
        resource = resource.trim_end_matches('-').to_string();
    }
    format!("envoy-{resource}-{}", &hash[..8])
}

/// The container port Envoy listens on for a listener port: Envoy Gateway adds 10000 to
/// privileged ports, so the proxy needs no `NET_BIND_SERVICE`.
pub fn container_port(port: i64) -> i64 {
    if port < 1024 {
        port + 10000
    } else {
        port
    }
}

/// A listener of a Gateway.
#[derive(Debug, Clone)]
pub struct Listener {
    pub name: String,
    pub port: i64,
    pub hostname: Option<String>,
    /// `allowedRoutes.namespaces.from`: Same (default), All.
    pub from_all: bool,
    /// `HTTP`, `HTTPS`, …
    pub protocol: String,
    /// `tls.certificateRefs`, as written.
    pub certificate_refs: Vec<Value>,
}

/// Why an HTTPS listener cannot be programmed: (condition type, reason, message), as
/// Envoy Gateway's `validateTerminateModeAndGetTLSSecrets` words it.
pub type ListenerProblem = (&'static str, &'static str, String);

/// The Secrets (`namespace/name`) an HTTPS listener of a Gateway in `gw_ns` terminates
/// TLS with, or why it cannot. Each bad ref is skipped; only when none is left is the
/// listener invalid (`ResolvedRefs False`, joined messages).
pub fn listener_certificates(
    cluster: &Cluster,
    gw_ns: &str,
    listener: &Listener,
) -> Result<Vec<String>, ListenerProblem> {
    use super::super::tls::{check_secret, SecretProblem};
    if listener.certificate_refs.is_empty() {
        return Err((
            "Programmed",
            "Invalid",
            "Listener must have at least 1 TLS certificate ref".into(),
        ));
    }
    let mut good = vec![];
    let mut errors = vec![];
    let mut all_not_permitted = true;
    for (idx, r) in listener.certificate_refs.iter().enumerate() {
        let name = object::str_at(r, "/name");
        let ns = r
            .get("namespace")
            .and_then(Value::as_str)
            .filter(|n| !n.is_empty())
            .unwrap_or(gw_ns);
        let kind = r.get("kind").and_then(Value::as_str).unwrap_or("Secret");
        let group = object::str_at(r, "/group");
        let problem = if !group.is_empty() {
            Some(format!("certificate refs {idx}: Listener's TLS certificate ref group must be unspecified/empty."))
        } else if kind != "Secret" {
            Some(format!(
                "certificate refs {idx}: Listener's TLS certificate ref kind must be Secret."
            ))
        } else if ns != gw_ns
            && !reference_granted(cluster, ("Gateway", gw_ns), ("Secret", ns, name))
        {
            errors.push(format!("certificate refs {idx}: Certificate ref to secret {ns}/{name} not permitted by any ReferenceGrant."));
            continue;
        } else {
            match check_secret(cluster, ns, name) {
                Ok(()) => None,
                Err(SecretProblem::Missing) => Some(format!(
                    "certificate refs {idx}: Secret {ns}/{name} does not exist."
                )),
                Err(SecretProblem::WrongType) => Some(format!(
                    "certificate refs {idx}: Secret {ns}/{name} must be of type kubernetes.io/tls."
                )),
                Err(SecretProblem::MissingKeys) => Some(format!(
                    "certificate refs {idx}: Secret {ns}/{name} must contain tls.crt and tls.key."
                )),
            }
        };
        match problem {
            Some(p) => {
                all_not_permitted = false;
                errors.push(p);
            }
            None => good.push(format!("{ns}/{name}")),
        }
    }
    if good.is_empty() {
        let reason = if all_not_permitted {
            "RefNotPermitted"
        } else {
            "InvalidCertificateRef"
        };
        // Go's errors.Join: one message a line.
        return Err((
            "ResolvedRefs",
            reason,
            format!("No valid secrets exist: {}", errors.join("\n")),
        ));
    }
    Ok(good)
}

pub fn listeners(gw: &Value) -> Vec<Listener> {
    gw.pointer("/spec/listeners")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|l| Listener {
            name: object::str_at(l, "/name").to_string(),
            port: l.get("port").and_then(Value::as_i64).unwrap_or(0),
            hostname: l.get("hostname").and_then(Value::as_str).map(String::from),
            from_all: object::str_at(l, "/allowedRoutes/namespaces/from") == "All",
            protocol: object::str_at(l, "/protocol").to_string(),
            certificate_refs: l
                .pointer("/tls/certificateRefs")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default(),
        })
        .collect()
}

/// The Gateways this controller owns (their class is accepted and names it), by key.
pub fn owned_gateways(cluster: &Cluster) -> BTreeMap<String, Value> {
    let classes: BTreeSet<String> = list(cluster, "gatewayclasses")
        .iter()
        .filter(|c| object::str_at(c, "/spec/controllerName") == CONTROLLER_NAME)
        .map(|c| object::name(c).to_string())
        .collect();
    list(cluster, "gateways")
        .into_iter()
        .filter(|g| {
            classes.contains(object::str_at(g, "/spec/gatewayClassName")) && !object::is_deleting(g)
        })
        .map(|g| (key(&g), g))
        .collect()
}

/// How one parentRef of a route fared.
#[derive(Debug, Clone)]
pub struct Parent {
    pub parent_ref: Value,
    pub gateway: String,
    /// Listeners it attached to, with the route's hostnames on each.
    pub attached: Vec<(String, i64, Vec<String>)>,
    pub accepted: (bool, &'static str, String),
}

/// The parentRefs of `route` that name a Gateway this controller owns (others are not
/// its business: it writes no status for them, as Envoy Gateway does not).
pub fn parents(route: &Value, gateways: &BTreeMap<String, Value>) -> Vec<Parent> {
    let ns = object::namespace(route);
    let hostnames: Vec<String> = route
        .pointer("/spec/hostnames")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|h| h.as_str().map(str::to_ascii_lowercase))
        .collect();
    let mut out = vec![];
    for p in route
        .pointer("/spec/parentRefs")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let kind = p.get("kind").and_then(Value::as_str).unwrap_or("Gateway");
        let group = p.get("group").and_then(Value::as_str).unwrap_or(GROUP);
        if kind != "Gateway" || group != GROUP {
            continue;
        }
        let gns = p.get("namespace").and_then(Value::as_str).unwrap_or(ns);
        let gkey = format!("{gns}/{}", object::str_at(p, "/name"));
        let Some(gw) = gateways.get(&gkey) else {
            continue;
        };
        let section = p.get("sectionName").and_then(Value::as_str);
        let port = p.get("port").and_then(Value::as_i64);
        let named: Vec<Listener> = listeners(gw)
            .into_iter()
            .filter(|l| section.is_none_or(|s| s == l.name) && port.is_none_or(|p| p == l.port))
            .collect();
        let any_named = !named.is_empty();
        // `allowedRoutes.namespaces.from: Same` (the default) admits routes of the
        // Gateway's own namespace only.
        let selected: Vec<Listener> = named
            .into_iter()
            .filter(|l| l.from_all || gns == ns)
            .collect();
        let mut parent = Parent {
            parent_ref: p.clone(),
            gateway: gkey,
            attached: vec![],
            accepted: (true, "Accepted", "Route is accepted".into()),
        };
        if selected.is_empty() {
            parent.accepted = if any_named {
                (
                    false,
                    "NotAllowedByListeners",
                    "No listeners included by this parent ref allowed this attachment.".into(),
                )
            } else {
                (
                    false,
                    "NoMatchingParent",
                    "No listeners match this parent ref".into(),
                )
            };
            out.push(parent);
            continue;
        }
        for l in &selected {
            let hosts = routing::effective_hostnames(l.hostname.as_deref(), &hostnames);
            if !hosts.is_empty() {
                parent.attached.push((l.name.clone(), l.port, hosts));
            }
        }
        if parent.attached.is_empty() {
            parent.accepted = (
                false,
                "NoMatchingListenerHostname",
                "There were no hostname intersections between the HTTPRoute and this parent ref's Listener(s).".into(),
            );
        }
        out.push(parent);
    }
    out
}

/// A backendRef as the translator checks it: `Err((reason, message))` when it does not
/// resolve.
pub fn check_backend(
    cluster: &Cluster,
    route: &Value,
    backend: &Value,
) -> Result<(), (&'static str, String)> {
    let route_ns = object::namespace(route);
    let kind = backend
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or("Service");
    let group = backend.get("group").and_then(Value::as_str).unwrap_or("");
    if kind != "Service" || !group.is_empty() {
        return Err(("InvalidKind", format!("Kind {kind} is not supported")));
    }
    let name = object::str_at(backend, "/name");
    let ns = backend
        .get("namespace")
        .and_then(Value::as_str)
        .unwrap_or(route_ns);
    if ns != route_ns && !reference_granted(cluster, ("HTTPRoute", route_ns), ("Service", ns, name))
    {
        return Err((
            "RefNotPermitted",
            format!("Backend ref to Service {ns}/{name} not permitted by any ReferenceGrant."),
        ));
    }
    let Some(port) = backend.get("port").and_then(Value::as_i64) else {
        return Err((
            "PortNotSpecified",
            "A valid port number corresponding to a port on the Service must be specified".into(),
        ));
    };
    let rt = super::super::resource(cluster, "services");
    let Ok(svc) = cluster.get(&rt, ns, name) else {
        return Err(("BackendNotFound", format!("service {ns}/{name} not found")));
    };
    let has_port = svc
        .pointer("/spec/ports")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|p| p.get("port").and_then(Value::as_i64) == Some(port));
    if !has_port {
        return Err((
            "PortNotFound",
            format!("TCP Port {port} not found on Service {ns}/{name}"),
        ));
    }
    Ok(())
}

/// Whether a ReferenceGrant in `to_ns` lets the `from_kind` objects (HTTPRoute, Gateway)
/// of `from_ns` name the core-group `to_kind` (Service, Secret) `name`.
fn reference_granted(
    cluster: &Cluster,
    (from_kind, from_ns): (&str, &str),
    (to_kind, to_ns, name): (&str, &str, &str),
) -> bool {
    list(cluster, "referencegrants")
        .iter()
        .filter(|g| object::namespace(g) == to_ns)
        .any(|g| {
            let from_ok = g
                .pointer("/spec/from")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .any(|f| {
                    object::str_at(f, "/group") == GROUP
                        && object::str_at(f, "/kind") == from_kind
                        && object::str_at(f, "/namespace") == from_ns
                });
            let to_ok = g
                .pointer("/spec/to")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .any(|t| {
                    object::str_at(t, "/group").is_empty()
                        && object::str_at(t, "/kind") == to_kind
                        && t.get("name")
                            .and_then(Value::as_str)
                            .is_none_or(|n| n == name)
                });
            from_ok && to_ok
        })
}

/// Every backendRef of a route, the first unresolved one's reason and message.
fn resolved_refs(cluster: &Cluster, route: &Value) -> Result<(), (&'static str, String)> {
    for rule in route
        .pointer("/spec/rules")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        for b in rule
            .get("backendRefs")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            check_backend(cluster, route, b)?;
        }
    }
    Ok(())
}

fn write_status(cluster: &mut Cluster, plural: &str, obj: &Value, status: Value) {
    if obj
        .get("status")
        .is_some_and(|old| status::same(old, &status))
    {
        return;
    }
    let Some(rt) = custom(cluster, plural) else {
        return;
    };
    let _ = cluster.update_status(
        &rt,
        object::namespace(obj),
        object::name(obj),
        status,
        actor(),
    );
}

/// One pass of the controller.
pub fn sync(cluster: &mut Cluster) {
    let now = rfc3339(cluster.now());
    for class in list(cluster, "gatewayclasses") {
        if object::str_at(&class, "/spec/controllerName") == CONTROLLER_NAME {
            let desired = status::class_status(&class, class.get("status"), &now);
            write_status(cluster, "gatewayclasses", &class, desired);
        }
    }
    let gateways = owned_gateways(cluster);
    for gw in gateways.values() {
        ensure_infra(cluster, gw);
    }
    remove_orphaned_infra(cluster, &gateways);
    let mut attached: BTreeMap<(String, String), i64> = BTreeMap::new();
    for route in list(cluster, "httproutes") {
        let parents = parents(&route, &gateways);
        for p in &parents {
            for (listener, _, _) in &p.attached {
                *attached
                    .entry((p.gateway.clone(), listener.clone()))
                    .or_default() += 1;
            }
        }
        let refs = resolved_refs(cluster, &route);
        // A route none of whose parents is ours gets no status from this controller.
        if parents.is_empty() && route.get("status").is_none() {
            continue;
        }
        let desired = route_status(&route, &parents, &refs, &now);
        write_status(cluster, "httproutes", &route, desired);
    }
    for gw in gateways.values() {
        let desired = gateway_status(cluster, gw, &attached, &now);
        write_status(cluster, "gateways", gw, desired);
    }
    policy_statuses(cluster, &gateways, &now);
}

fn route_status(
    route: &Value,
    parents: &[Parent],
    refs: &Result<(), (&'static str, String)>,
    now: &str,
) -> Value {
    let generation = status::generation(route);
    let old: Vec<Value> = route
        .pointer("/status/parents")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let entries: Vec<Value> = parents
        .iter()
        .map(|p| {
            let (ok, reason, message) = &p.accepted;
            let mut conditions = vec![condition("Accepted", *ok, reason, message, generation, now)];
            conditions.push(match refs {
                Ok(()) => condition(
                    "ResolvedRefs",
                    true,
                    "ResolvedRefs",
                    "Resolved all the Object references for the Route",
                    generation,
                    now,
                ),
                Err((reason, message)) => {
                    condition("ResolvedRefs", false, reason, message, generation, now)
                }
            });
            let previous = old
                .iter()
                .find(|o| o.get("parentRef") == Some(&p.parent_ref));
            json!({"conditions": merge(previous.and_then(|o| o.get("conditions")), conditions),
                "controllerName": CONTROLLER_NAME, "parentRef": p.parent_ref})
        })
        .collect();
    json!({"parents": entries})
}

fn gateway_status(
    cluster: &Cluster,
    gw: &Value,
    attached: &BTreeMap<(String, String), i64>,
    now: &str,
) -> Value {
    let generation = status::generation(gw);
    let name = infra_name(object::namespace(gw), object::name(gw));
    let svc_rt = super::super::resource(cluster, "services");
    let ip = cluster
        .get(&svc_rt, install::NAMESPACE, &name)
        .ok()
        .map(|s| object::str_at(s, "/status/loadBalancer/ingress/0/ip").to_string())
        .filter(|ip| !ip.is_empty());
    let deploy_rt = super::super::resource(cluster, "deployments");
    let replicas = cluster
        .get(&deploy_rt, install::NAMESPACE, &name)
        .ok()
        .map(|d| {
            (
                d.pointer("/status/availableReplicas")
                    .and_then(Value::as_i64)
                    .unwrap_or(0),
                d.pointer("/status/replicas")
                    .and_then(Value::as_i64)
                    .unwrap_or(0),
            )
        });
    let programmed = match (&ip, replicas) {
        (None, _) => condition(
            "Programmed",
            false,
            "AddressNotAssigned",
            "No addresses have been assigned to the Gateway",
            generation,
            now,
        ),
        (Some(_), Some((available, total))) if available > 0 => condition(
            "Programmed",
            true,
            "Programmed",
            &format!(
                "Address assigned to the Gateway, {available}/{total} envoy replicas available"
            ),
            generation,
            now,
        ),
        (Some(_), _) => condition(
            "Programmed",
            false,
            "NoResources",
            "Envoy replicas unavailable",
            generation,
            now,
        ),
    };
    let conditions = vec![
        condition(
            "Accepted",
            true,
            "Accepted",
            "The Gateway has been scheduled by Envoy Gateway",
            generation,
            now,
        ),
        programmed,
    ];
    let old_listeners: Vec<Value> = gw
        .pointer("/status/listeners")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let gkey = key(gw);
    let listener_status: Vec<Value> = listeners(gw)
        .iter()
        .map(|l| {
            let problem = (l.protocol == "HTTPS")
                .then(|| listener_certificates(cluster, object::namespace(gw), l).err())
                .flatten();
            let conditions = match problem {
                None => vec![
                    condition("Programmed", true, "Programmed", "Sending translated listener configuration to the data plane", generation, now),
                    condition("Accepted", true, "Accepted", "Listener has been successfully translated", generation, now),
                    condition("ResolvedRefs", true, "ResolvedRefs", "Listener references have been resolved", generation, now),
                ],
                Some(("ResolvedRefs", reason, message)) => vec![
                    condition("ResolvedRefs", false, reason, &message, generation, now),
                    condition("Accepted", true, "Accepted", "Listener has been successfully translated", generation, now),
                    condition("Programmed", false, "Invalid", "Listener is invalid, see other Conditions for details.", generation, now),
                ],
                Some((_, reason, message)) => vec![
                    condition("Programmed", false, reason, &message, generation, now),
                    condition("Accepted", true, "Accepted", "Listener has been successfully translated", generation, now),
                    condition("ResolvedRefs", true, "ResolvedRefs", "Listener references have been resolved", generation, now),
                ],
            };
            let old = old_listeners.iter().find(|o| object::str_at(o, "/name") == l.name);
            json!({"attachedRoutes": attached.get(&(gkey.clone(), l.name.clone())).copied().unwrap_or(0),
                "conditions": merge(old.and_then(|o| o.get("conditions")), conditions),
                "name": l.name,
                "supportedKinds": [{"group": GROUP, "kind": "HTTPRoute"}, {"group": GROUP, "kind": "GRPCRoute"}]})
        })
        .collect();
    let mut out = json!({"conditions": merge(gw.pointer("/status/conditions"), conditions), "listeners": listener_status});
    if let Some(ip) = ip {
        out["addresses"] = json!([{"type": "IPAddress", "value": ip}]);
    }
    out
}

fn infra_labels(gw: &Value) -> Value {
    json!({"app.kubernetes.io/component": "proxy", "app.kubernetes.io/managed-by": "envoy-gateway",
        "app.kubernetes.io/name": "envoy",
        OWNING_NAME: object::name(gw), OWNING_NAMESPACE: object::namespace(gw)})
}

/// Creates the proxy Service and Deployment of `gw` if they are missing.
fn ensure_infra(cluster: &mut Cluster, gw: &Value) {
    let name = infra_name(object::namespace(gw), object::name(gw));
    let labels = infra_labels(gw);
    let opts = WriteOptions {
        actor: actor(),
        ..Default::default()
    };
    let ls = listeners(gw);
    let svc_rt = super::super::resource(cluster, "services");
    if cluster.get(&svc_rt, install::NAMESPACE, &name).is_err() {
        let ports: Vec<Value> = ls
            .iter()
            .map(|l| json!({"name": format!("http-{}", l.port), "port": l.port, "protocol": "TCP", "targetPort": container_port(l.port)}))
            .collect();
        let svc = json!({"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": name, "namespace": install::NAMESPACE, "labels": labels},
            "spec": {"type": "LoadBalancer", "externalTrafficPolicy": "Local", "selector": labels,
                "sessionAffinity": "None", "ports": ports}});
        let _ = cluster.create(&svc_rt, svc, install::NAMESPACE, &opts);
    }
    let deploy_rt = super::super::resource(cluster, "deployments");
    if cluster.get(&deploy_rt, install::NAMESPACE, &name).is_err() {
        let mut ports: Vec<Value> = ls
            .iter()
            .map(|l| json!({"containerPort": container_port(l.port), "name": format!("http-{}", container_port(l.port)), "protocol": "TCP"}))
            .collect();
        ports.push(json!({"containerPort": 19001, "name": "metrics", "protocol": "TCP"}));
        let deploy = json!({"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": name, "namespace": install::NAMESPACE, "labels": labels},
            "spec": {"replicas": 1, "selector": {"matchLabels": labels},
                "template": {"metadata": {"labels": labels},
                    "spec": {"containers": [{"name": "envoy", "image": install::ENVOY_IMAGE, "imagePullPolicy": "IfNotPresent",
                        "args": ["--service-cluster", name, "--service-node", "$(ENVOY_POD_NAME)", "--log-level", "warn",
                            "--cpuset-threads", "--drain-strategy", "immediate", "--drain-time-s", "60"],
                        "env": [{"name": "ENVOY_POD_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}}}],
                        "ports": ports,
                        "resources": {"requests": {"cpu": "100m", "memory": "512Mi"}}}],
                        "serviceAccountName": "default",
                        "terminationGracePeriodSeconds": 360}}}});
        let _ = cluster.create(&deploy_rt, deploy, install::NAMESPACE, &opts);
    }
}

/// A deleted Gateway's proxy goes with it.
fn remove_orphaned_infra(cluster: &mut Cluster, gateways: &BTreeMap<String, Value>) {
    let wanted: BTreeSet<String> = gateways
        .values()
        .map(|g| infra_name(object::namespace(g), object::name(g)))
        .collect();
    for plural in ["deployments", "services"] {
        let rt = super::super::resource(cluster, plural);
        let orphans: Vec<String> = cluster
            .list(&rt, Some(install::NAMESPACE))
            .into_iter()
            .filter(|o| {
                object::str_at(o, "/metadata/labels/app.kubernetes.io~1managed-by")
                    == "envoy-gateway"
            })
            .filter(|o| !wanted.contains(object::name(o)) && !object::is_deleting(o))
            .map(|o| object::name(o).to_string())
            .collect();
        for name in orphans {
            let opts = DeleteOptions {
                actor: actor(),
                ..Default::default()
            };
            let _ = cluster.delete(&rt, install::NAMESPACE, &name, &opts);
        }
    }
}

/// The Gateways a policy's targets lead to (a route's: its accepted parents).
pub fn policy_ancestors(
    cluster: &Cluster,
    pol: &Value,
    gateways: &BTreeMap<String, Value>,
) -> Vec<String> {
    let ns = object::namespace(pol);
    let mut out = vec![];
    let routes = custom(cluster, "httproutes");
    for (kind, name, _) in policy::targets(pol) {
        match kind.as_str() {
            "Gateway" => {
                let k = format!("{ns}/{name}");
                if gateways.contains_key(&k) {
                    out.push(k);
                }
            }
            "HTTPRoute" => {
                if let Some(route) = routes
                    .as_ref()
                    .and_then(|rt| cluster.get(rt, ns, &name).ok())
                {
                    for p in parents(route, gateways) {
                        if p.accepted.0 && !out.contains(&p.gateway) {
                            out.push(p.gateway);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Secret `data` decoded, for policies.
pub fn secret_data(
    cluster: &Cluster,
    namespace: &str,
    name: &str,
) -> Option<BTreeMap<String, String>> {
    let rt = super::super::resource(cluster, "secrets");
    let s = cluster.get(&rt, namespace, name).ok()?;
    let mut out = BTreeMap::new();
    for (k, v) in s
        .get("data")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let bytes = crate::sim::admission::decode_base64(v.as_str().unwrap_or_default())
            .unwrap_or_default();
        out.insert(k.clone(), String::from_utf8_lossy(&bytes).to_string());
    }
    for (k, v) in s
        .get("stringData")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        out.insert(k.clone(), v.as_str().unwrap_or_default().to_string());
    }
    Some(out)
}

fn policy_statuses(cluster: &mut Cluster, gateways: &BTreeMap<String, Value>, now: &str) {
    for plural in ["securitypolicies", "backendtrafficpolicies"] {
        for pol in list(cluster, plural) {
            let error = if plural == "securitypolicies" {
                policy::security(&pol, &|ns, n| secret_data(cluster, ns, n)).error
            } else {
                None
            };
            let generation = status::generation(&pol);
            let old: Vec<Value> = pol
                .pointer("/status/ancestors")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let ancestors: Vec<Value> = policy_ancestors(cluster, &pol, gateways)
                .iter()
                .map(|g| {
                    let (ns, name) = g.split_once('/').unwrap_or(("", g));
                    let ancestor = json!({"group": GROUP, "kind": "Gateway", "name": name, "namespace": ns});
                    let c = match &error {
                        None => condition("Accepted", true, "Accepted", "Policy has been accepted.", generation, now),
                        Some(e) => condition("Accepted", false, "Invalid", e, generation, now),
                    };
                    let previous = old.iter().find(|o| o.get("ancestorRef") == Some(&ancestor));
                    json!({"ancestorRef": ancestor, "conditions": merge(previous.and_then(|o| o.get("conditions")), vec![c]),
                        "controllerName": CONTROLLER_NAME})
                })
                .collect();
            if ancestors.is_empty() && pol.get("status").is_none() {
                continue;
            }
            write_status(cluster, plural, &pol, json!({"ancestors": ancestors}));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proxy_names_follow_get_hashed_name() {
        // sha256("default/eg") starts e41e7b31.
        assert_eq!(infra_name("default", "eg"), "envoy-default-eg-e41e7b31");
        let long = infra_name(
            "a-very-long-namespace-name-for-testing",
            "and-a-long-gateway-name",
        );
        assert!(long.len() <= "envoy-".len() + 48 + 9, "{long}");
        assert!(!long.contains("--"));
    }
}
