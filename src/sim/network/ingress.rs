//! ingress-nginx, the Ingress controller of the default cluster (design.md §2; k8s-behaviour.md
//! §9). Its behaviour belongs to its image, `registry.k8s.io/ingress-nginx/controller`: any
//! pod running it — the one the default cluster ships in namespace `ingress-nginx`, or one
//! from ingress-nginx's own `deploy.yaml` — routes what reaches its port 80 or 443.
//!
//! Like the real controller it keeps its own index from the watch (Ingresses,
//! IngressClasses, its own pods) and turns it into nginx servers and locations
//! ([`matching`]); a request costs one lookup by host and a scan of that host's
//! locations, whatever else the cluster holds. The table is rebuilt once after a change,
//! not per request.
//!
//! What it does, as the real one does:
//! - It serves the Ingresses of its class: `spec.ingressClassName` naming an IngressClass
//!   whose `spec.controller` is its `--controller-class` (`k8s.io/ingress-nginx`), the
//!   legacy annotation `kubernetes.io/ingress.class: nginx`, or — no class at all — when a
//!   default IngressClass of its controller exists. An Ingress naming a class that does not
//!   exist is ignored: no address, no events.
//! - Every add or update of an Ingress it serves is recorded as a `Sync` event, "Scheduled
//!   for sync", from `nginx-ingress-controller`.
//! - Its status syncer writes `status.loadBalancer.ingress` — the addresses of its
//!   `--publish-service` — on every Ingress it serves, every 60 s (`--status-update-interval`).
//! - It proxies straight to the endpoints of the backend Service, read from its
//!   EndpointSlices (never the ClusterIP, so kube-proxy plays no part after it), round-robin.
//! - Its own answers: 404 from the default backend when nothing matches, 503 when the
//!   backend Service is missing or has no ready endpoint, 502 when the endpoint refuses.

pub mod install;
pub mod matching;
pub mod nginx;

use super::apps::{Peer, Reply};
use super::flow::{Hop, Layer, Place};
use super::request::Request;
use crate::sim::events::EventSource;
use crate::sim::json::json;
use crate::sim::kubelet::images;
use crate::sim::messages::Component;
use crate::sim::object;
use crate::sim::sort::SharedSort;
use crate::sim::store::WatchEventType;
use crate::sim::time::{Millis, SECOND};
use crate::sim::Cluster;
use matching::{Backend, Location, PathType, Route, Server, ServerTls, CATCH_ALL};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// The controller's image repository.
pub const IMAGE_REPOSITORY: &str = "registry.k8s.io/ingress-nginx/controller";
/// What the controller calls itself in events.
pub const EVENT_SOURCE: &str = "nginx-ingress-controller";
/// `--controller-class`'s default.
pub const CONTROLLER_CLASS: &str = "k8s.io/ingress-nginx";
/// How often the status syncer runs (`--status-update-interval`, seconds).
pub const STATUS_INTERVAL: Millis = 60 * SECOND;
/// The annotation that marks the default IngressClass.
pub const DEFAULT_CLASS_ANNOTATION: &str = "ingressclass.kubernetes.io/is-default-class";
/// The legacy class annotation.
pub const CLASS_ANNOTATION: &str = "kubernetes.io/ingress.class";
/// How long nginx waits for the backend's answer (`proxy-read-timeout`, 60 s by default).
pub const READ_TIMEOUT_ANNOTATION: &str = "nginx.ingress.kubernetes.io/proxy-read-timeout";
const DEFAULT_READ_TIMEOUT: Millis = 60 * SECOND;
/// Paths are regexes (`use-regex`), and what `rewrite-target` implies for the host.
pub const USE_REGEX_ANNOTATION: &str = "nginx.ingress.kubernetes.io/use-regex";
pub const REWRITE_TARGET_ANNOTATION: &str = "nginx.ingress.kubernetes.io/rewrite-target";
/// `proxy-next-upstream-tries`' default.
const NEXT_UPSTREAM_TRIES: u32 = 3;

/// An annotation of `obj`, if set.
fn annotation<'a>(obj: &'a Value, name: &str) -> Option<&'a str> {
    obj.pointer("/metadata/annotations")
        .and_then(|a| a.get(name))
        .and_then(Value::as_str)
}

/// One controller's configuration, from its container's arguments.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Config {
    /// `--controller-class`.
    pub controller_class: String,
    /// `--ingress-class` (the legacy annotation's value).
    pub ingress_class: String,
    /// `--watch-ingress-without-class`.
    pub without_class: bool,
    /// `--publish-service`, `namespace/name`.
    pub publish_service: Option<String>,
}

/// An Ingress as the controller indexes it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct IngressInfo {
    namespace: String,
    class_name: Option<String>,
    annotation_class: Option<String>,
    /// creationTimestamp and the order it was first seen, for "oldest wins".
    rank: (String, u64),
    default_backend: Option<Backend>,
    /// (host or "", path, pathType, backend)
    paths: Vec<(String, String, PathType, Backend)>,
    has_rules: bool,
    /// `spec.tls`: (hosts, secretName) per entry.
    tls: Vec<(Vec<String>, String)>,
    /// `nginx.ingress.kubernetes.io/proxy-read-timeout` (seconds), else the default.
    read_timeout: Millis,
    /// `use-regex: "true"`, or a `rewrite-target` (which implies it).
    regex: bool,
    /// `nginx.ingress.kubernetes.io/rewrite-target`.
    rewrite_target: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct ClassInfo {
    controller: String,
    is_default: bool,
}

/// The controller's state: its watch cursor, its index, and the tables built from it.
#[derive(Debug, Clone, Default)]
pub struct IngressState {
    pub(crate) cursor: u64,
    seen: u64,
    ingresses: BTreeMap<String, IngressInfo>,
    classes: BTreeMap<String, ClassInfo>,
    /// Running controller pods (`namespace/name`) and their configuration.
    controllers: BTreeMap<String, Config>,
    /// Routing tables per configuration; dropped on any change, rebuilt on the next request.
    tables: BTreeMap<Config, BTreeMap<String, Server>>,
    /// Round-robin position per upstream (`namespace-service-port`).
    round_robin: BTreeMap<String, usize>,
    /// A status sync is scheduled.
    status_pending: bool,
}

impl IngressState {
    /// Whether any running controller serves this Ingress (`namespace/name`).
    pub fn served(&self, key: &str) -> bool {
        self.ingresses
            .get(key)
            .is_some_and(|i| self.controllers.values().any(|c| self.serves(c, i)))
    }

    fn serves(&self, config: &Config, ing: &IngressInfo) -> bool {
        match (&ing.class_name, &ing.annotation_class) {
            (Some(name), _) => self
                .classes
                .get(name)
                .is_some_and(|c| c.controller == config.controller_class),
            (None, Some(annotation)) => *annotation == config.ingress_class,
            (None, None) => {
                config.without_class
                    || self
                        .classes
                        .values()
                        .any(|c| c.is_default && c.controller == config.controller_class)
            }
        }
    }

    /// The nginx servers `config` has built from the Ingresses it serves.
    fn table(&mut self, config: &Config) -> &BTreeMap<String, Server> {
        if !self.tables.contains_key(config) {
            let built = self.build(config);
            self.tables.insert(config.clone(), built);
        }
        &self.tables[config]
    }

    /// ingress-nginx's `createServers` + `updateServerLocations`, oldest Ingress first.
    fn build(&self, config: &Config) -> BTreeMap<String, Server> {
        let mut ordered: Vec<(&String, &IngressInfo)> = self
            .ingresses
            .iter()
            .filter(|(_, i)| self.serves(config, i))
            .collect();
        ordered.sort_shared_by(|a, b| a.1.rank.cmp(&b.1.rank));
        let mut servers: BTreeMap<String, Server> = BTreeMap::new();
        for (key, ing) in ordered {
            if !ing.has_rules {
                if let Some(b) = &ing.default_backend {
                    let catch_all = servers.entry(CATCH_ALL.to_string()).or_default();
                    catch_all
                        .fallback
                        .get_or_insert_with(|| (b.clone(), key.clone()));
                }
            }
            for (host, path, path_type, backend) in &ing.paths {
                let name = if host.is_empty() { CATCH_ALL } else { host };
                let server = servers.entry(name.to_string()).or_default();
                server.regex |= ing.regex;
                if name != CATCH_ALL && server.fallback.is_none() {
                    if let Some(b) = &ing.default_backend {
                        server.fallback = Some((b.clone(), key.clone()));
                    }
                }
                if name != CATCH_ALL && server.tls.is_none() && !ing.tls.is_empty() {
                    server.tls = Some(ServerTls {
                        secret: matching::tls_secret_for(&ing.tls, host)
                            .map(|s| format!("{}/{s}", ing.namespace)),
                        ingress: key.clone(),
                    });
                }
                server.locations.push(Location {
                    path: path.clone(),
                    path_type: *path_type,
                    backend: backend.clone(),
                    ingress: key.clone(),
                    rank: ing.rank.clone(),
                });
            }
        }
        servers
    }
}

fn backend_of(namespace: &str, v: &Value) -> Option<Backend> {
    let svc = v.get("service")?;
    let name = object::str_at(svc, "/name");
    if name.is_empty() {
        return None;
    }
    let port = match svc.pointer("/port/number").and_then(Value::as_i64) {
        Some(n) => n.to_string(),
        None => object::str_at(svc, "/port/name").to_string(),
    };
    Some(Backend {
        namespace: namespace.to_string(),
        service: name.to_string(),
        port,
    })
}

fn ingress_info(ing: &Value, seen: u64) -> IngressInfo {
    let ns = object::namespace(ing).to_string();
    let mut paths = vec![];
    let rules = ing
        .pointer("/spec/rules")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for rule in &rules {
        let host = object::str_at(rule, "/host").to_ascii_lowercase();
        for p in rule
            .pointer("/http/paths")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let Some(backend) = p.get("backend").and_then(|b| backend_of(&ns, b)) else {
                continue;
            };
            let path_type = PathType::parse(object::str_at(p, "/pathType"))
                .unwrap_or(PathType::ImplementationSpecific);
            let path = match object::str_at(p, "/path") {
                "" => "/".to_string(),
                other => other.to_string(),
            };
            paths.push((host.clone(), path, path_type, backend));
        }
    }
    let class_name = ing
        .pointer("/spec/ingressClassName")
        .and_then(Value::as_str)
        .map(str::to_string);
    let annotation_class = ing
        .pointer("/metadata/annotations")
        .and_then(|a| a.get(CLASS_ANNOTATION))
        .and_then(Value::as_str)
        .map(str::to_string);
    IngressInfo {
        namespace: ns.clone(),
        class_name,
        annotation_class,
        rank: (
            object::str_at(ing, "/metadata/creationTimestamp").to_string(),
            seen,
        ),
        default_backend: ing
            .pointer("/spec/defaultBackend")
            .and_then(|b| backend_of(&ns, b)),
        paths,
        has_rules: !rules.is_empty(),
        regex: annotation(ing, USE_REGEX_ANNOTATION) == Some("true")
            || annotation(ing, REWRITE_TARGET_ANNOTATION).is_some(),
        rewrite_target: annotation(ing, REWRITE_TARGET_ANNOTATION).map(String::from),
        read_timeout: annotation(ing, READ_TIMEOUT_ANNOTATION)
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map_or(DEFAULT_READ_TIMEOUT, |secs| secs * SECOND),
        tls: ing
            .pointer("/spec/tls")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|t| {
                let hosts = t
                    .get("hosts")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(|h| h.as_str().map(str::to_ascii_lowercase))
                    .collect();
                (hosts, object::str_at(t, "/secretName").to_string())
            })
            .collect(),
    }
}

/// The `DefaultIngressClass` admission plugin (kube-apiserver
/// `plugin/pkg/admission/network/defaultingressclass`): an Ingress created without
/// `spec.ingressClassName` and without the legacy annotation gets the IngressClass marked
/// `ingressclass.kubernetes.io/is-default-class: "true"` (the newest, if several are).
pub fn admit_default_class(cluster: &Cluster, ing: &mut Value) {
    let named = ing
        .pointer("/spec/ingressClassName")
        .is_some_and(|v| !v.is_null());
    let annotated = ing
        .pointer("/metadata/annotations")
        .and_then(|a| a.get(CLASS_ANNOTATION))
        .is_some();
    if named || annotated {
        return;
    }
    let Some(rt) = cluster.registry().resolve("ingressclasses").cloned() else {
        return;
    };
    let default = cluster
        .list(&rt, None)
        .into_iter()
        .filter(|c| {
            c.pointer("/metadata/annotations")
                .and_then(|a| a.get(DEFAULT_CLASS_ANNOTATION))
                .and_then(Value::as_str)
                == Some("true")
        })
        .max_by(|a, b| {
            object::str_at(a, "/metadata/creationTimestamp")
                .cmp(object::str_at(b, "/metadata/creationTimestamp"))
        })
        .map(|c| object::name(c).to_string());
    if let (Some(name), Some(spec)) = (default, ing.get_mut("spec")) {
        if let Some(spec) = spec.as_object_mut() {
            spec.insert("ingressClassName".into(), json!(name));
        }
    }
}

/// The running ingress-nginx container of `pod`, if it has one, and its configuration.
pub fn controller_config(pod: &Value) -> Option<Config> {
    let containers = pod.pointer("/spec/containers").and_then(Value::as_array)?;
    let container = containers.iter().find(|c| {
        images::parse(object::str_at(c, "/image")).is_ok_and(|i| i.repository() == IMAGE_REPOSITORY)
    })?;
    let namespace = object::namespace(pod);
    let args: Vec<String> = ["/command", "/args"]
        .iter()
        .filter_map(|p| container.pointer(p).and_then(Value::as_array))
        .flatten()
        .filter_map(|a| a.as_str().map(|s| s.replace("$(POD_NAMESPACE)", namespace)))
        .collect();
    let flag = |name: &str| {
        args.iter().find_map(|a| {
            a.strip_prefix(&format!("--{name}="))
                .map(|v| v.trim_matches('"').to_string())
        })
    };
    Some(Config {
        controller_class: flag("controller-class").unwrap_or_else(|| CONTROLLER_CLASS.into()),
        ingress_class: flag("ingress-class").unwrap_or_else(|| "nginx".into()),
        without_class: args.iter().any(|a| {
            a == "--watch-ingress-without-class" || a == "--watch-ingress-without-class=true"
        }),
        publish_service: flag("publish-service"),
    })
}

fn running(pod: &Value) -> bool {
    object::str_at(pod, "/status/phase") == "Running"
        && !object::str_at(pod, "/status/podIP").is_empty()
        && !object::is_deleting(pod)
}

fn actor() -> Component {
    Component::ControllerManager("nginx-ingress".into())
}

/// Reads what changed since the last turn: the informers' event handlers.
pub fn reconcile(cluster: &mut Cluster) {
    let cursor = cluster.network.ingress.cursor;
    let end = cluster.store.revision();
    if cursor >= end {
        return;
    }
    let mut synced: Vec<String> = vec![];
    let mut status_may_change = false;
    let state = &mut cluster.network.ingress;
    for e in cluster.store.events_since(cursor) {
        let (group, resource) = (
            e.key.resource.group.as_str(),
            e.key.resource.resource.as_str(),
        );
        let key = format!("{}/{}", e.key.namespace, e.key.name);
        let deleted = e.event_type == WatchEventType::Deleted;
        match (group, resource) {
            ("networking.k8s.io", "ingresses") => {
                state.tables.clear();
                status_may_change = true;
                if deleted {
                    state.ingresses.remove(&key);
                    synced.retain(|k| *k != key);
                    continue;
                }
                let seen = match state.ingresses.get(&key) {
                    Some(old) => old.rank.1,
                    None => {
                        state.seen += 1;
                        state.seen
                    }
                };
                state
                    .ingresses
                    .insert(key.clone(), ingress_info(&e.object, seen));
                synced.push(key);
            }
            ("networking.k8s.io", "ingressclasses") => {
                state.tables.clear();
                status_may_change = true;
                if deleted {
                    state.classes.remove(&e.key.name);
                } else {
                    let is_default = e
                        .object
                        .pointer("/metadata/annotations")
                        .and_then(|a| a.get(DEFAULT_CLASS_ANNOTATION))
                        .and_then(Value::as_str)
                        == Some("true");
                    state.classes.insert(
                        e.key.name.clone(),
                        ClassInfo {
                            controller: object::str_at(&e.object, "/spec/controller").to_string(),
                            is_default,
                        },
                    );
                }
            }
            ("", "pods") => {
                let config = (!deleted && running(&e.object))
                    .then(|| controller_config(&e.object))
                    .flatten();
                let before = state.controllers.get(&key).cloned();
                match config {
                    Some(c) => {
                        state.controllers.insert(key.clone(), c);
                    }
                    None => {
                        state.controllers.remove(&key);
                    }
                }
                if before != state.controllers.get(&key).cloned() {
                    state.tables.clear();
                    status_may_change = true;
                }
            }
            ("", "services")
                if state
                    .controllers
                    .values()
                    .any(|c| c.publish_service.as_deref() == Some(key.as_str())) =>
            {
                status_may_change = true;
            }
            _ => {}
        }
    }
    cluster.network.ingress.cursor = end;
    for key in synced {
        record_sync(cluster, &key);
    }
    if status_may_change && !cluster.network.ingress.status_pending {
        cluster.network.ingress.status_pending = true;
        let now = cluster.now();
        let next = (now / STATUS_INTERVAL + 1) * STATUS_INTERVAL;
        cluster.wake_after(next - now, "ingress", "status");
    }
}

/// The URI nginx's `rewrite … TARGET break;` leaves: the whole path replaced by the
/// target, the query kept. A target with `$1`-style captures is left alone (not
/// simulated; the hop says so).
fn rewritten(path_and_query: &str, target: &str) -> String {
    if target.contains('$') {
        return path_and_query.to_string();
    }
    match path_and_query.split_once('?') {
        Some((_, query)) => format!("{target}?{query}"),
        None => target.to_string(),
    }
}

/// The `Sync` event each controller pod records for an Ingress it serves.
fn record_sync(cluster: &mut Cluster, key: &str) {
    let state = &cluster.network.ingress;
    let Some(info) = state.ingresses.get(key) else {
        return;
    };
    let pods: Vec<String> = state
        .controllers
        .iter()
        .filter(|(_, c)| state.serves(c, info))
        .map(|(p, _)| p.clone())
        .collect();
    if pods.is_empty() {
        return;
    }
    let (ns, name) = key.split_once('/').unwrap_or(("", key));
    let rt = super::resource(cluster, "ingresses");
    let Ok(ing) = cluster.get(&rt, ns, name).cloned() else {
        return;
    };
    for _ in pods {
        cluster.emit_event(
            &ing,
            "Normal",
            "Sync",
            "Scheduled for sync",
            &EventSource::component(EVENT_SOURCE),
            actor(),
        );
    }
}

/// The status syncer's turn: every Ingress gets the addresses of the controller that
/// serves it (its publish-service's load-balancer addresses), or none.
pub fn wake(cluster: &mut Cluster, _key: &str) {
    cluster.network.ingress.status_pending = false;
    let state = &cluster.network.ingress;
    let mut wanted: Vec<(String, Vec<String>)> = vec![];
    for (key, info) in &state.ingresses {
        let publish: BTreeSet<String> = state
            .controllers
            .values()
            .filter(|c| state.serves(c, info))
            .filter_map(|c| c.publish_service.clone())
            .collect();
        let mut ips: Vec<String> = publish
            .iter()
            .filter_map(|svc| cluster.network.proxy.service(svc))
            .flat_map(|s| s.load_balancer_ips.iter().cloned())
            .collect();
        ips.sort_shared();
        ips.dedup();
        wanted.push((key.clone(), ips));
    }
    let rt = super::resource(cluster, "ingresses");
    for (key, ips) in wanted {
        let (ns, name) = key.split_once('/').unwrap_or(("", &key));
        let Ok(ing) = cluster.get(&rt, ns, name).cloned() else {
            continue;
        };
        let current: Vec<String> = ing
            .pointer("/status/loadBalancer/ingress")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .map(|i| object::str_at(i, "/ip").to_string())
                    .collect()
            })
            .unwrap_or_default();
        if current == ips {
            continue;
        }
        let list: Vec<Value> = ips.iter().map(|ip| json!({"ip": ip})).collect();
        let status = if list.is_empty() {
            json!({"loadBalancer": {}})
        } else {
            json!({"loadBalancer": {"ingress": list}})
        };
        let _ = cluster.update_status(&rt, ns, name, status, actor());
    }
}

/// A request handled by the controller: the hops it added, what the client gets back,
/// and (when it proxied) the backend Service and pod.
pub struct Proxied {
    pub hops: Vec<Hop>,
    pub reply: Reply,
    pub service: Option<String>,
    pub endpoint: Option<String>,
    /// Virtual time the answer took (a slow backend, timeouts, retry back-off).
    pub elapsed: Millis,
}

/// The controller's configuration if `pod` runs ingress-nginx and `port` is its HTTP or
/// HTTPS port.
pub fn serving(pod: &Value, port: u16) -> Option<Config> {
    if port != 80 && port != 443 {
        return None;
    }
    let (_, image) = super::apps::listener(pod, port)?;
    if image.repository() != IMAGE_REPOSITORY {
        return None;
    }
    controller_config(pod)
}

/// The certificate choice of the server that serves `host` by name (not the catch-all).
fn host_tls(cluster: &mut Cluster, config: &Config, host: &str) -> Option<ServerTls> {
    let table = cluster.network.ingress.table(config);
    match matching::server_for(table, host) {
        (server, Some(s)) if server != CATCH_ALL => s.tls.clone(),
        _ => None,
    }
}

/// The certificate the controller presents on its HTTPS port to a client that asked for
/// `server_name` (SNI; curl sends the URL's host unless it is an address), and why.
///
/// Like ingress-nginx's Lua `certificate.call()`: the certificate configured for that
/// host (or its `*.parent` wildcard), else the default one — which, without
/// `--default-ssl-certificate`, is the self-signed fake.
pub fn certificate(
    cluster: &mut Cluster,
    config: &Config,
    server_name: Option<&str>,
) -> (super::tls::Certificate, String) {
    use super::tls::{Certificate, SecretProblem};
    let Some(name) = server_name else {
        return (
            Certificate::IngressFake,
            "the client sent no server name (SNI)".into(),
        );
    };
    let Some(tls) = host_tls(cluster, config, name) else {
        return (
            Certificate::IngressFake,
            format!("no Ingress with a tls section serves host {name}"),
        );
    };
    let Some(key) = tls.secret else {
        return (
            Certificate::IngressFake,
            format!(
                "ingress {} lists no secretName for host {name}",
                tls.ingress
            ),
        );
    };
    let (ns, secret) = key.split_once('/').unwrap_or(("", &key));
    match super::tls::check_secret(cluster, ns, secret) {
        Ok(()) => (
            Certificate::Secret(key.clone()),
            format!("host {name} is in the tls section of ingress {}", tls.ingress),
        ),
        // The controller's own warning (`controller.go`, createServers).
        Err(SecretProblem::Missing) => (
            Certificate::IngressFake,
            format!("Error getting SSL certificate \"{key}\": local SSL certificate {key} was not found. Using default certificate"),
        ),
        Err(_) => (
            Certificate::IngressFake,
            format!("SSL certificate \"{key}\" does not contain a valid SSL certificate for server \"{name}\". Using default certificate"),
        ),
    }
}

/// What the controller in `pod` does with `request`: redirect plain HTTP to HTTPS for a
/// host with a certificate, else route it and proxy it to an endpoint of the chosen
/// Service (or answer itself); over HTTPS every answer carries HSTS.
pub fn proxy(
    cluster: &mut Cluster,
    pod: &Value,
    config: &Config,
    request: &Request,
    peer: &Peer,
    date: &str,
) -> Proxied {
    if request.url.scheme == "http" {
        if let Some(redirect) = ssl_redirect(cluster, pod, config, request, date) {
            return redirect;
        }
    }
    let mut proxied = route_and_proxy(cluster, pod, config, request, peer, date);
    if request.url.scheme == "https" {
        if let Reply::Http(response) = &mut proxied.reply {
            response
                .headers
                .push(("Strict-Transport-Security".into(), nginx::HSTS.into()));
        }
    }
    proxied
}

/// ingress-nginx's `ssl-redirect` (on by default): a plain-HTTP request for a host that
/// has a certificate configured — any host of an Ingress with a `spec.tls`, even one whose
/// Secret is missing (the default certificate counts) — is answered with a 308 to
/// `https://` and the same URI, its trailing slash dropped (`lua_ingress.lua`).
fn ssl_redirect(
    cluster: &mut Cluster,
    pod: &Value,
    config: &Config,
    request: &Request,
    date: &str,
) -> Option<Proxied> {
    let host = matching::normalize_host(&super::apps::host_header(request));
    let tls = host_tls(cluster, config, &host)?;
    let uri = request
        .url
        .path
        .strip_suffix('/')
        .unwrap_or(&request.url.path);
    let location = format!("https://{host}{uri}");
    let here = Place::Pod {
        namespace: object::namespace(pod).to_string(),
        name: object::name(pod).to_string(),
    };
    Some(Proxied {
        hops: vec![Hop {
            at: cluster.now(),
            from: here.clone(),
            to: here,
            layer: Layer::Http,
            rule: "ssl-redirect → 308".into(),
            explanation: format!(
                "ingress-nginx: host {host} has a certificate (the tls section of ingress {}), so plain HTTP is redirected: 308 to {location}",
                tls.ingress
            ),
            reply: false,
        }],
        reply: nginx::redirect(308, &location, date),
        service: None,
        endpoint: None,
        elapsed: 0,
    })
}

/// Routes `request` and proxies it to an endpoint of the chosen Service (or answers
/// itself).
fn route_and_proxy(
    cluster: &mut Cluster,
    pod: &Value,
    config: &Config,
    request: &Request,
    peer: &Peer,
    date: &str,
) -> Proxied {
    let at = cluster.now();
    let here = Place::Pod {
        namespace: object::namespace(pod).to_string(),
        name: object::name(pod).to_string(),
    };
    let host = super::apps::host_header(request);
    let path = request
        .url
        .path
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .to_string();
    let route = {
        let table = cluster.network.ingress.table(config);
        matching::route(table, &host, &path)
    };
    let shown_host = matching::normalize_host(&host);
    let hop = |to: Place, rule: String, explanation: String, reply: bool| Hop {
        at,
        from: here.clone(),
        to,
        layer: Layer::Http,
        rule,
        explanation,
        reply,
    };
    let matched_ingress = match &route {
        Route::Location { location, .. } => location.ingress.clone(),
        Route::DefaultBackend { ingress, .. } => ingress.clone(),
        Route::NotFound { .. } => String::new(),
    };
    let (backend, why) = match &route {
        Route::NotFound { server } => {
            let why = if server == CATCH_ALL {
                format!("no Ingress rule names host {shown_host} and no Ingress without host matches {path}")
            } else {
                format!("host {shown_host} has rules, but none matches {path}, and its Ingress has no defaultBackend")
            };
            return Proxied {
                hops: vec![hop(
                    here.clone(),
                    "default backend → 404".into(),
                    format!("ingress-nginx: {why}: the controller's default backend answers 404"),
                    false,
                )],
                reply: nginx::not_found(date),
                service: None,
                endpoint: None,
                elapsed: 0,
            };
        }
        Route::Location {
            location, regex, ..
        } => {
            (
                location.backend.clone(),
                format!(
                    "host {}, path {} of ingress {}",
                    if shown_host.is_empty() {
                        "*"
                    } else {
                        &shown_host
                    },
                    if *regex {
                        format!("~* \"^{}\" (a regex location: use-regex or rewrite-target on this host)", location.path)
                    } else {
                        format!("{} ({})", location.path, location.path_type.as_str())
                    },
                    location.ingress
                ),
            )
        }
        Route::DefaultBackend {
            server,
            backend,
            ingress,
            ..
        } => (
            backend.clone(),
            if server == CATCH_ALL {
                format!("no rule matches host {shown_host}{path}: the defaultBackend of ingress {ingress} (an Ingress without rules) catches it")
            } else {
                format!("host {shown_host} has no rule for {path}: the defaultBackend of ingress {ingress} serves it")
            },
        ),
    };
    let svc_key = format!("{}/{}", backend.namespace, backend.service);
    let upstream = format!("{}-{}-{}", backend.namespace, backend.service, backend.port);
    let unavailable = |cause: String| Proxied {
        hops: vec![hop(
            here.clone(),
            format!("upstream {upstream} → 503"),
            format!(
                "ingress-nginx: {why} → service {}, but {cause}: nginx answers 503",
                backend.shown()
            ),
            false,
        )],
        reply: nginx::unavailable(date),
        service: None,
        endpoint: None,
        elapsed: 0,
    };
    let Some(svc) = cluster.network.proxy.service(&svc_key).cloned() else {
        return unavailable(format!("service {svc_key} does not exist"));
    };
    let sport = svc
        .ports
        .iter()
        .find(|p| {
            p.port.to_string() == backend.port || (!p.name.is_empty() && p.name == backend.port)
        })
        .cloned();
    let Some(sport) = sport else {
        return unavailable(format!("service {svc_key} has no port {}", backend.port));
    };
    let endpoints: Vec<super::proxy::Endpoint> = cluster
        .network
        .proxy
        .endpoints(&svc_key)
        .into_iter()
        .filter(|e| e.ready && e.ports.contains_key(&sport.name))
        .cloned()
        .collect();
    if endpoints.is_empty() {
        return unavailable(format!("service {svc_key} has no ready endpoints"));
    }
    // proxy-read-timeout of the Ingress the request matched, and how often nginx tries
    // again on a timeout (`proxy_next_upstream error timeout`, 3 tries; never for a
    // non-idempotent request).
    let read_timeout = cluster
        .network
        .ingress
        .ingresses
        .get(&matched_ingress)
        .map_or(DEFAULT_READ_TIMEOUT, |i| i.read_timeout);
    let tries = if matches!(request.method.as_str(), "POST" | "PATCH" | "LOCK") {
        1
    } else {
        NEXT_UPSTREAM_TRIES
    };
    let n = endpoints.len();
    let mut hops = vec![];
    let mut elapsed: Millis = 0;
    // `rewrite-target`: nginx's `rewrite "(?i)^PATH" TARGET break;`.
    let rewrite = cluster
        .network
        .ingress
        .ingresses
        .get(&matched_ingress)
        .filter(|_| matches!(route, Route::Location { .. }))
        .and_then(|i| i.rewrite_target.clone());
    let why = match &rewrite {
        Some(t) if t.contains('$') => format!("{why}; rewrite-target {t} refers to capture groups, which kubesim does not substitute: the path goes upstream unchanged"),
        Some(t) => format!("{why}; rewrite-target: the path becomes {}", rewritten(&request.url.path, t)),
        None => why.clone(),
    };
    let mut attempt = 1;
    loop {
        // The Lua balancer's round_robin, starting at a random place the first time.
        let state = &mut cluster.network.ingress;
        let next = match state.round_robin.get(&upstream) {
            Some(i) => i + 1,
            None => cluster.network.proxy.rng.below(n as u64) as usize,
        };
        state.round_robin.insert(upstream.clone(), next);
        let endpoint = endpoints[next % n].clone();
        let target = endpoint.target_port(&sport);
        let pod_key = endpoint.pod.clone().unwrap_or_default();
        let (ns, name) = pod_key.split_once('/').unwrap_or(("", ""));
        let to = endpoint.place();
        let from_node = object::str_at(pod, "/spec/nodeName");
        let across = if endpoint.node.is_empty() || endpoint.node == from_node {
            format!("pod-to-pod on {from_node}")
        } else {
            format!("pod-to-pod from {from_node} to {}", endpoint.node)
        };
        let (rule, what) = if attempt == 1 {
            (
                format!("proxy_pass {upstream} → {}:{target}", endpoint.ip),
                why.clone(),
            )
        } else {
            (
                format!("proxy_next_upstream → {}:{target}", endpoint.ip),
                format!("try {attempt} of {tries} after the timeout"),
            )
        };
        let mut step = hop(
                to.clone(),
                rule,
                format!(
                    "ingress-nginx: {what} → service {} → endpoint {}:{target} (round-robin, {} of {n}); {across}, straight to the endpoint from the EndpointSlice, no ClusterIP, no kube-proxy",
                    backend.shown(),
                    endpoint.ip,
                    next % n + 1
                ),
                false,
        );
        step.at = at + elapsed;
        hops.push(step);
        let rt = super::resource(cluster, "pods");
        let Ok(backend_pod) = cluster.get(&rt, ns, name).cloned() else {
            return unavailable(format!("endpoint pod {pod_key} is gone"));
        };
        let mut forwarded = nginx::forwarded_request(
            request,
            &peer.ip,
            cluster.network.proxy.rng.next_u64(),
            cluster.network.proxy.rng.next_u64(),
        );
        if let Some(target) = &rewrite {
            forwarded.url.path = rewritten(&forwarded.url.path, target);
        }
        let controller_peer = Peer {
            ip: object::str_at(pod, "/status/podIP").to_string(),
            port: 32768 + cluster.network.proxy.rng.below(28_231) as u16,
            user_agent: peer.user_agent.clone(),
        };
        let delay = super::apps::delay(&backend_pod, target, &forwarded);
        if delay > read_timeout {
            elapsed += read_timeout;
            let again = attempt < tries;
            hops.push(Hop {
                at: at + elapsed,
                from: to,
                to: here.clone(),
                layer: Layer::Http,
                rule: if again { "upstream timed out → next upstream".into() } else { "upstream timed out → 504".into() },
                explanation: format!(
                    "{pod_key} takes {} to answer, longer than proxy-read-timeout {}s: \"upstream timed out (110: Connection timed out) while reading response header from upstream\"{}",
                    crate::sim::time::go_duration(delay),
                    read_timeout / SECOND,
                    if again { "; nginx tries the next upstream" } else { "; nginx answers 504" }
                ),
                reply: true,
            });
            if again {
                attempt += 1;
                continue;
            }
            return Proxied {
                hops,
                reply: nginx::gateway_timeout(date),
                service: Some(svc_key),
                endpoint: Some(pod_key),
                elapsed,
            };
        }
        elapsed += delay;
        let answer = super::apps::answer(&backend_pod, target, &forwarded, &controller_peer, date);
        let reply = match answer {
            Reply::Http(response) => {
                hops.push(Hop {
                    at: at + elapsed,
                    from: to,
                    to: here.clone(),
                    layer: Layer::Http,
                    rule: format!("{} {} {}", response.version, response.status, response.reason),
                    explanation: format!(
                        "{pod_key} answers the controller; nginx passes it on with its own Date and without the backend's Server header"
                    ),
                    reply: true,
                });
                Reply::Http(nginx::relayed(response, date))
            }
            Reply::Refused | Reply::EmptyReply => {
                hops.push(Hop {
                    at: at + elapsed,
                    from: to,
                    to: here.clone(),
                    layer: Layer::Tcp,
                    rule: "no HTTP answer".into(),
                    explanation: format!(
                        "nothing in {pod_key} answers HTTP on port {target}: nginx answers 502 Bad Gateway"
                    ),
                    reply: true,
                });
                nginx::bad_gateway(date)
            }
        };
        return Proxied {
            hops,
            reply,
            service: Some(svc_key),
            endpoint: Some(pod_key),
            elapsed,
        };
    }
}
