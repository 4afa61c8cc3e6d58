//! A Gateway's Envoy: what it does with a request that reaches its listener — pick the
//! HTTPRoute rule ([`routing`]), run the SecurityPolicy and the local rate limit
//! ([`policy`]), apply the rule's filters, choose a backend by weight (the data plane's
//! own random stream, never the control plane's) and an endpoint of it, and relay the
//! answer ([`envoy`]). Every decision is a hop of the flow.

use super::super::apps::{Peer, Reply};
use super::super::flow::{Hop, Layer, Place};
use super::super::ingress::Proxied;
use super::super::request::{Request, Response};
use super::controller::{self, check_backend, owned_gateways, parents};
use super::routing::{self, Entry, Match, PathMatch, Probe, ValueMatch};
use super::{envoy, policy, ENVOY_IMAGE_REPOSITORY, OWNING_NAME, OWNING_NAMESPACE};
use crate::sim::kubelet::images;
use crate::sim::object;
use crate::sim::time::Millis;
use crate::sim::Cluster;
use serde_json::Value;
use std::collections::BTreeMap;

/// A Gateway listener's compiled routes.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub entries: Vec<Entry>,
    /// The HTTPRoutes by `namespace/name`.
    pub routes: BTreeMap<String, Value>,
}

/// The Gateway (`namespace/name`) and listener port if `pod` is a Gateway's Envoy and
/// `port` one of its listener ports.
pub fn serving(pod: &Value, port: u16) -> Option<(String, u16)> {
    let envoy = pod
        .pointer("/spec/containers")
        .and_then(Value::as_array)?
        .iter()
        .find(|c| {
            images::parse(object::str_at(c, "/image"))
                .is_ok_and(|i| i.repository() == ENVOY_IMAGE_REPOSITORY)
        })?;
    let labels = pod.pointer("/metadata/labels")?;
    let gw = format!(
        "{}/{}",
        labels.get(OWNING_NAMESPACE)?.as_str()?,
        labels.get(OWNING_NAME)?.as_str()?
    );
    let declared = envoy
        .get("ports")
        .and_then(Value::as_array)?
        .iter()
        .any(|p| p.get("containerPort").and_then(Value::as_i64) == Some(port as i64));
    if !declared || port == 19001 {
        return None;
    }
    let listener = if (10000..11024).contains(&port) {
        port - 10000
    } else {
        port
    };
    Some((gw, listener))
}

/// The certificate Gateway `gw`'s Envoy presents on listener `port`, and why (`None`: a
/// plain HTTP listener), or `Err` when the HTTPS listener could not be programmed — Envoy
/// Gateway leaves it out of Envoy's configuration, so nothing listens there.
pub fn certificate(
    cluster: &Cluster,
    gw: &str,
    port: u16,
) -> Result<Option<(crate::sim::network::tls::Certificate, String)>, String> {
    let gateways = owned_gateways(cluster);
    let Some(gateway) = gateways.get(gw) else {
        return Ok(None);
    };
    let Some(listener) = controller::listeners(gateway)
        .into_iter()
        .find(|l| l.port == port as i64)
    else {
        return Ok(None);
    };
    if listener.protocol != "HTTPS" {
        return Ok(None);
    }
    match controller::listener_certificates(cluster, object::namespace(gateway), &listener) {
        Ok(secrets) => Ok(Some((
            crate::sim::network::tls::Certificate::Secret(secrets[0].clone()),
            format!("listener {} of Gateway {gw} terminates TLS", listener.name),
        ))),
        Err((_, reason, message)) => Err(format!(
            "listener {} of Gateway {gw} is not programmed ({reason}: {message}), so Envoy does not listen on its port: connection refused",
            listener.name
        )),
    }
}

fn value_match(v: &Value) -> (String, ValueMatch) {
    let name = object::str_at(v, "/name").to_string();
    let value = object::str_at(v, "/value").to_string();
    let m = if object::str_at(v, "/type") == "RegularExpression" {
        ValueMatch::Regex(value)
    } else {
        ValueMatch::Exact(value)
    };
    (name, m)
}

/// One `matches[]` entry, with the CRD's defaults (`PathPrefix /`).
pub fn parse_match(m: &Value) -> Match {
    let value = m
        .pointer("/path/value")
        .and_then(Value::as_str)
        .unwrap_or("/")
        .to_string();
    let path = match m
        .pointer("/path/type")
        .and_then(Value::as_str)
        .unwrap_or("PathPrefix")
    {
        "Exact" => PathMatch::Exact(value),
        "RegularExpression" => PathMatch::Regex(value),
        _ => PathMatch::Prefix(value),
    };
    let list = |field: &str| -> Vec<(String, ValueMatch)> {
        m.get(field)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(value_match)
            .collect()
    };
    Match {
        path,
        method: m.get("method").and_then(Value::as_str).map(String::from),
        headers: list("headers"),
        query: list("queryParams"),
    }
}

fn build(cluster: &Cluster, gw: &str, port: u16) -> Table {
    let gateways = owned_gateways(cluster);
    let mut table = Table::default();
    let Some(rt) = cluster.registry().resolve("httproutes").cloned() else {
        return table;
    };
    for route in cluster.list(&rt, None) {
        let key = format!("{}/{}", object::namespace(route), object::name(route));
        let created = format!(
            "{} {key}",
            object::str_at(route, "/metadata/creationTimestamp")
        );
        let mut attached = false;
        for p in parents(route, &gateways)
            .into_iter()
            .filter(|p| p.gateway == gw && p.accepted.0)
        {
            for (_, lport, hosts) in p.attached.iter().filter(|(_, l, _)| *l == port as i64) {
                let _ = lport;
                attached = true;
                for (r, rule) in route
                    .pointer("/spec/rules")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .enumerate()
                {
                    let matches: Vec<Match> = match rule.get("matches").and_then(Value::as_array) {
                        Some(ms) if !ms.is_empty() => ms.iter().map(parse_match).collect(),
                        _ => vec![parse_match(&Value::Null)],
                    };
                    for (i, m) in matches.into_iter().enumerate() {
                        for h in hosts {
                            table.entries.push(Entry {
                                hostname: h.clone(),
                                route: key.clone(),
                                created: created.clone(),
                                rule: r,
                                index: i,
                                matcher: m.clone(),
                            });
                        }
                    }
                }
            }
        }
        if attached {
            table.routes.insert(key, route.clone());
        }
    }
    table
}

/// The policy of `plural` for a route: the route's own, else its Gateway's.
fn policy_for(cluster: &Cluster, plural: &str, route: &str, gw: &str) -> Option<Value> {
    let rt = cluster.registry().resolve(plural).cloned()?;
    let find = |ns: &str, kind: &str, name: &str| {
        cluster
            .list(&rt, Some(ns))
            .into_iter()
            .filter(|p| {
                policy::targets(p)
                    .iter()
                    .any(|(k, n, _)| k == kind && n == name)
            })
            .min_by(|a, b| {
                (
                    object::str_at(a, "/metadata/creationTimestamp"),
                    object::name(a),
                )
                    .cmp(&(
                        object::str_at(b, "/metadata/creationTimestamp"),
                        object::name(b),
                    ))
            })
            .cloned()
    };
    let (rns, rname) = route.split_once('/')?;
    let (gns, gname) = gw.split_once('/')?;
    find(rns, "HTTPRoute", rname).or_else(|| find(gns, "Gateway", gname))
}

fn set_header(headers: &mut Vec<(String, String)>, name: &str, value: &str) {
    headers.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
    headers.push((name.to_ascii_lowercase(), value.to_string()));
}

/// A RequestHeaderModifier / ResponseHeaderModifier: set, add, remove.
fn modify_headers(headers: &mut Vec<(String, String)>, spec: &Value) -> Vec<String> {
    let mut done = vec![];
    for h in spec
        .get("set")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        set_header(
            headers,
            object::str_at(h, "/name"),
            object::str_at(h, "/value"),
        );
        done.push(format!("set {}", object::str_at(h, "/name")));
    }
    for h in spec
        .get("add")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        headers.push((
            object::str_at(h, "/name").to_ascii_lowercase(),
            object::str_at(h, "/value").to_string(),
        ));
        done.push(format!("add {}", object::str_at(h, "/name")));
    }
    for h in spec
        .get("remove")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let name = h.as_str().unwrap_or_default();
        headers.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
        done.push(format!("remove {name}"));
    }
    done
}

/// A path modifier (`ReplaceFullPath` / `ReplacePrefixMatch`) applied to `path`.
fn modified_path(modifier: &Value, path: &str, matched: &Match) -> String {
    match object::str_at(modifier, "/type") {
        "ReplaceFullPath" => object::str_at(modifier, "/replaceFullPath").to_string(),
        "ReplacePrefixMatch" => {
            let replacement = object::str_at(modifier, "/replacePrefixMatch");
            let PathMatch::Prefix(prefix) = &matched.path else {
                return path.to_string();
            };
            let rest = &path[prefix.trim_end_matches('/').len().min(path.len())..];
            let joined = format!("{}{}", replacement.trim_end_matches('/'), rest);
            if joined.is_empty() {
                "/".into()
            } else if !joined.starts_with('/') {
                format!("/{joined}")
            } else {
                joined
            }
        }
        _ => path.to_string(),
    }
}

/// What the Envoy of Gateway `gw` in `pod` does with `request` on listener `port`.
#[allow(clippy::too_many_arguments)]
pub fn proxy(
    cluster: &mut Cluster,
    pod: &Value,
    gw: &str,
    port: u16,
    request: &Request,
    peer: &Peer,
    date: &str,
) -> Proxied {
    let at = cluster.now();
    let here = Place::Pod {
        namespace: object::namespace(pod).to_string(),
        name: object::name(pod).to_string(),
    };
    let hop = |to: Place, rule: String, explanation: String| Hop {
        at,
        from: here.clone(),
        to,
        layer: Layer::Http,
        rule,
        explanation,
        reply: false,
    };
    let answer = |hops: Vec<Hop>, response: Response| Proxied {
        hops,
        reply: Reply::Http(response),
        service: None,
        endpoint: None,
        elapsed: 0,
    };
    let table_key = (gw.to_string(), port);
    if !cluster.network.gateway.tables.contains_key(&table_key) {
        let built = build(cluster, gw, port);
        cluster
            .network
            .gateway
            .tables
            .insert(table_key.clone(), built);
    }
    let raw_host = super::super::apps::host_header(request).to_ascii_lowercase();
    let host = raw_host
        .rsplit_once(':')
        .map_or(raw_host.as_str(), |(h, p)| {
            if p.chars().all(|c| c.is_ascii_digit()) {
                h
            } else {
                &raw_host
            }
        })
        .to_string();
    let (path, query_str) = request
        .url
        .path
        .split_once('?')
        .unwrap_or((&request.url.path, ""));
    let path = path.split('#').next().unwrap_or("/").to_string();
    let query = routing::parse_query(query_str);
    let probe = Probe {
        host: &host,
        path: &path,
        query: &query,
        method: &request.method,
        headers: &request.headers,
    };
    let table = &cluster.network.gateway.tables[&table_key];
    let Some(entry) = routing::select(&table.entries, &probe).cloned() else {
        let why = if table.entries.is_empty() {
            format!("no HTTPRoute is attached to Gateway {gw}'s listener on port {port}")
        } else {
            format!(
                "no HTTPRoute rule of Gateway {gw} matches host {host}, {} {path}",
                request.method
            )
        };
        return answer(
            vec![hop(
                here.clone(),
                "no route → 404".into(),
                format!("Envoy ({gw}): {why}: 404 with an empty body (response flag NR)"),
            )],
            envoy::no_route(date),
        );
    };
    let route = table.routes[&entry.route].clone();
    let rule = route
        .pointer(&format!("/spec/rules/{}", entry.rule))
        .cloned()
        .unwrap_or_default();
    let rule_name = format!("HTTPRoute {} rule {}", entry.route, entry.rule + 1);
    let matched = format!(
        "{rule_name}: host {}, {}",
        entry.hostname,
        entry.matcher.describe()
    );
    let mut hops = vec![];

    // SecurityPolicy.
    if let Some(pol) = policy_for(cluster, "securitypolicies", &entry.route, gw) {
        let sec = policy::security(&pol, &|ns, n| controller::secret_data(cluster, ns, n));
        if let Some(error) = &sec.error {
            hops.push(hop(
                here.clone(),
                format!("SecurityPolicy {}: invalid → 500", object::name(&pol)),
                format!("Envoy ({gw}): {matched}; its SecurityPolicy is not accepted ({error}), so Envoy Gateway fails closed: 500"),
            ));
            return answer(hops, envoy::internal_error(date));
        }
        match policy::check(
            &sec,
            request,
            &peer.ip,
            &host,
            &request.url.path,
            &query,
            date,
            crate::sim::time::EPOCH_UNIX_SECONDS + (at / 1000) as i64,
        ) {
            policy::Verdict::Deny {
                rule,
                why,
                response,
            } => {
                hops.push(hop(
                    here.clone(),
                    rule,
                    format!(
                        "Envoy ({gw}): {matched}; {why}: {} {}",
                        response.status, response.reason
                    ),
                ));
                return answer(hops, response);
            }
            policy::Verdict::Pass(why) => hops.push(hop(
                here.clone(),
                why.clone(),
                format!("Envoy ({gw}): {matched}; {why} lets it through"),
            )),
        }
    }

    // BackendTrafficPolicy: the local rate limit, buckets per route rule (and per
    // distinct header value when a rule's selector says so).
    if let Some(pol) = policy_for(cluster, "backendtrafficpolicies", &entry.route, gw) {
        let name = object::name(&pol).to_string();
        for (i, limit) in policy::rate_limits(&pol).iter().enumerate() {
            let Some(which) = limit.bucket(request) else {
                continue;
            };
            let bucket_key = format!(
                "{}/{name}/{i}/{}/{}/{which}",
                object::namespace(&pol),
                entry.route,
                entry.rule
            );
            let bucket = cluster
                .network
                .gateway
                .buckets
                .entry(bucket_key)
                .or_insert_with(|| policy::Bucket {
                    start: at,
                    ..Default::default()
                });
            let allowed = bucket.take(limit, at);
            let used = bucket.used;
            let per = limit.unit.to_lowercase();
            let whose = if which.is_empty() {
                String::new()
            } else {
                format!(" for {}", which.trim_end_matches(';'))
            };
            if !allowed {
                hops.push(hop(
                    here.clone(),
                    format!("BackendTrafficPolicy {name}: {}/{per} used{whose} → 429", limit.requests),
                    format!("Envoy ({gw}): {matched}; the local rate limit's bucket of {} tokens per {per}{whose} is empty: 429 local_rate_limited", limit.requests),
                ));
                return answer(hops, envoy::rate_limited(date));
            }
            hops.push(hop(
                here.clone(),
                format!("BackendTrafficPolicy {name}: {used}/{} this {per}{whose}", limit.requests),
                format!("Envoy ({gw}): {matched}; local rate limit: token {used} of {} this {per}{whose}", limit.requests),
            ));
        }
    }

    // Filters, in order.
    let mut forwarded = request.clone();
    let mut response_filters = vec![];
    let mut filtered = vec![];
    for f in rule
        .get("filters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        match object::str_at(f, "/type") {
            "RequestRedirect" => {
                let r = f.get("requestRedirect").cloned().unwrap_or_default();
                let scheme = r
                    .get("scheme")
                    .and_then(Value::as_str)
                    .unwrap_or(&request.url.scheme)
                    .to_string();
                let hostname = r
                    .get("hostname")
                    .and_then(Value::as_str)
                    .unwrap_or(&host)
                    .to_string();
                let port = match r.get("port").and_then(Value::as_i64) {
                    Some(p) => Some(p),
                    None if r.get("scheme").is_some() => None,
                    None => Some(port as i64),
                };
                let port = port.filter(|p| {
                    !((scheme == "http" && *p == 80) || (scheme == "https" && *p == 443))
                });
                let new_path = r
                    .get("path")
                    .map_or(path.clone(), |m| modified_path(m, &path, &entry.matcher));
                let q = if query_str.is_empty() {
                    String::new()
                } else {
                    format!("?{query_str}")
                };
                let location = match port {
                    Some(p) => format!("{scheme}://{hostname}:{p}{new_path}{q}"),
                    None => format!("{scheme}://{hostname}{new_path}{q}"),
                };
                let status = r.get("statusCode").and_then(Value::as_u64).unwrap_or(302) as u16;
                hops.push(hop(
                    here.clone(),
                    format!("{rule_name}: RequestRedirect → {status}"),
                    format!("Envoy ({gw}): {matched}; its RequestRedirect filter answers {status} with location {location}"),
                ));
                return answer(hops, envoy::redirect(status, &location, date));
            }
            "URLRewrite" => {
                let r = f.get("urlRewrite").cloned().unwrap_or_default();
                if let Some(h) = r.get("hostname").and_then(Value::as_str) {
                    set_header(&mut forwarded.headers, "host", h);
                    filtered.push(format!("host → {h}"));
                }
                if let Some(m) = r.get("path") {
                    let new_path = modified_path(m, &path, &entry.matcher);
                    filtered.push(format!("path {path} → {new_path}"));
                    forwarded.url.path = if query_str.is_empty() {
                        new_path
                    } else {
                        format!("{new_path}?{query_str}")
                    };
                }
            }
            "RequestHeaderModifier" => {
                let done = modify_headers(
                    &mut forwarded.headers,
                    f.get("requestHeaderModifier").unwrap_or(&Value::Null),
                );
                filtered.push(format!("request headers: {}", done.join(", ")));
            }
            "ResponseHeaderModifier" => {
                response_filters.push(f.get("responseHeaderModifier").cloned().unwrap_or_default())
            }
            _ => {}
        }
    }

    // The backend, by weight.
    let backends: Vec<Value> = rule
        .get("backendRefs")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let weight = |b: &Value| b.get("weight").and_then(Value::as_u64).unwrap_or(1);
    let total: u64 = backends.iter().map(weight).sum();
    if total == 0 {
        hops.push(hop(
            here.clone(),
            format!("{rule_name}: no backend → 500"),
            format!(
                "Envoy ({gw}): {matched}; the rule has no backendRef with a weight above 0: 500"
            ),
        ));
        return answer(hops, envoy::internal_error(date));
    }
    let mut pick = cluster.network.proxy.rng.below(total);
    let chosen = backends
        .iter()
        .find(|b| {
            let w = weight(b);
            if pick < w {
                true
            } else {
                pick -= w;
                false
            }
        })
        .cloned()
        .unwrap_or_default();
    let bname = object::str_at(&chosen, "/name").to_string();
    let bns = chosen
        .get("namespace")
        .and_then(Value::as_str)
        .unwrap_or(object::namespace(&route))
        .to_string();
    let bport = chosen.get("port").and_then(Value::as_i64).unwrap_or(0);
    let split = if backends.len() > 1 {
        format!(" (weight {}/{total})", weight(&chosen))
    } else {
        String::new()
    };
    let choice = format!(
        "{rule_name}: {} → {bname}:{bport}{split}",
        entry.matcher.describe()
    );
    if let Err((reason, message)) = check_backend(cluster, &route, &chosen) {
        hops.push(hop(here.clone(), format!("{choice} → 500"), format!("Envoy ({gw}): {matched} → {bname}:{bport}{split}, which does not resolve ({reason}: {message}): 500")));
        return answer(hops, envoy::internal_error(date));
    }
    let svc_key = format!("{bns}/{bname}");
    let Some(svc) = cluster.network.proxy.service(&svc_key).cloned() else {
        hops.push(hop(
            here.clone(),
            format!("{choice} → 500"),
            format!("Envoy ({gw}): service {svc_key} is gone: 500"),
        ));
        return answer(hops, envoy::internal_error(date));
    };
    let sport = svc.ports.iter().find(|p| p.port as i64 == bport).cloned();
    let endpoints: Vec<super::super::proxy::Endpoint> = match &sport {
        Some(sp) => cluster
            .network
            .proxy
            .endpoints(&svc_key)
            .into_iter()
            .filter(|e| e.ready && e.ports.contains_key(&sp.name))
            .cloned()
            .collect(),
        None => vec![],
    };
    if endpoints.is_empty() {
        hops.push(hop(here.clone(), format!("{choice} → 503"), format!("Envoy ({gw}): {matched} → service {svc_key}, which has no ready endpoint: 503 no healthy upstream")));
        return answer(hops, envoy::no_healthy_upstream(date));
    }
    let sport = sport.expect("endpoints imply the port");
    let traffic_policy = policy_for(cluster, "backendtrafficpolicies", &entry.route, gw);
    let retry = traffic_policy.as_ref().and_then(policy::retry);
    let (timeout, timeout_from) = policy::request_timeout(&rule, traffic_policy.as_ref());
    // Virtual time spent so far: slow answers and back-offs, all inside the route timeout.
    let mut elapsed: Millis = 0;
    let filters = if filtered.is_empty() {
        String::new()
    } else {
        format!("; filters: {}", filtered.join("; "))
    };
    let id = cluster.network.proxy.rng.uuid();
    let forwarded = envoy::forwarded_request(&forwarded, &peer.ip, &id);
    let n = endpoints.len();
    let mut attempt = 0;
    loop {
        // Before a retry, Envoy waits a jittered back-off; its randomness is drawn from
        // the request's id, so a retry does not shift the data plane's other draws.
        let back_off = match (&retry, attempt) {
            (Some(r), a) if a > 0 => {
                let interval = r.back_off_interval(a);
                let hash = crate::sim::hash::sha256_hex(format!("{id}/{a}").as_bytes());
                let draw = u64::from_str_radix(&hash[..12], 16).unwrap_or(0);
                Some((draw % interval, interval))
            }
            _ => None,
        };
        if let Some((wait, _)) = back_off {
            elapsed += wait;
        }
        let i = cluster.network.proxy.rng.below(n as u64) as usize;
        let endpoint = endpoints[i].clone();
        let target = endpoint.target_port(&sport);
        let pod_key = endpoint.pod.clone().unwrap_or_default();
        let (ns, name) = pod_key.split_once('/').unwrap_or(("", ""));
        let to = endpoint.place();
        let (rule, what) = if attempt == 0 {
            (
                choice.clone(),
                format!("{matched} → service {svc_key}{split}{filters}"),
            )
        } else {
            let (wait, interval) = back_off.unwrap_or((0, 0));
            (
                format!("retry {attempt} after {wait}ms → {bname}:{bport}"),
                format!(
                    "BackendTrafficPolicy retry {attempt} of {}, after a back-off of {wait}ms (drawn from [0, {interval}ms))",
                    retry.as_ref().map_or(0, |r| r.retries)
                ),
            )
        };
        let mut step = hop(
            to.clone(),
            rule,
            format!(
                "Envoy ({gw}): {what} → endpoint {}:{target} ({} of {n}, from the EndpointSlice: no ClusterIP, no kube-proxy)",
                endpoint.ip,
                i + 1
            ),
        );
        step.at = at + elapsed;
        hops.push(step);
        let rt = super::super::resource(cluster, "pods");
        let Ok(backend_pod) = cluster.get(&rt, ns, name).cloned() else {
            return answer(hops, envoy::no_healthy_upstream(date));
        };
        let envoy_peer = Peer {
            ip: object::str_at(pod, "/status/podIP").to_string(),
            port: 32768 + cluster.network.proxy.rng.below(28_231) as u16,
            user_agent: peer.user_agent.clone(),
        };
        let delay = super::super::apps::delay(&backend_pod, target, &forwarded);
        if let Some(limit) = timeout.filter(|t| elapsed + delay > *t) {
            hops.push(Hop {
                at: at + limit,
                from: to,
                to: here.clone(),
                layer: Layer::Http,
                rule: "upstream request timeout → 504".into(),
                explanation: format!(
                    "{pod_key} takes {} to answer; {timeout_from} ({}) runs out first: Envoy answers 504 (response flag UT)",
                    crate::sim::time::go_duration(delay),
                    crate::sim::time::go_duration(limit)
                ),
                reply: true,
            });
            return Proxied {
                hops,
                reply: Reply::Http(envoy::upstream_timeout(date)),
                service: Some(svc_key),
                endpoint: Some(pod_key),
                elapsed: limit,
            };
        }
        elapsed += delay;
        let reply = super::super::apps::answer(&backend_pod, target, &forwarded, &envoy_peer, date);
        let retries_left = retry.as_ref().is_some_and(|r| attempt < r.retries);
        let reply = match reply {
            Reply::Http(response) => {
                if retries_left && retry.as_ref().is_some_and(|r| r.on_status(response.status)) {
                    hops.push(Hop {
                        at,
                        from: to,
                        to: here.clone(),
                        layer: Layer::Http,
                        rule: format!(
                            "{} {} {} → retry",
                            response.version, response.status, response.reason
                        ),
                        explanation: format!(
                            "{pod_key} answers {}; the BackendTrafficPolicy retries on it",
                            response.status
                        ),
                        reply: true,
                    });
                    attempt += 1;
                    continue;
                }
                let mut response = envoy::relayed(response, 0);
                for spec in &response_filters {
                    modify_headers(&mut response.headers, spec);
                }
                hops.push(Hop {
                    at,
                    from: to,
                    to: here.clone(),
                    layer: Layer::Http,
                    rule: format!("{} {} {}", response.version, response.status, response.reason),
                    explanation: format!(
                        "{pod_key} answers Envoy, which passes it on with x-envoy-upstream-service-time{}",
                        if response_filters.is_empty() { "" } else { " and the rule's response header changes" }
                    ),
                    reply: true,
                });
                Reply::Http(response)
            }
            Reply::Refused | Reply::EmptyReply => {
                let again = retries_left && retry.as_ref().is_some_and(|r| r.connect_failure);
                hops.push(Hop {
                    at,
                    from: to,
                    to: here.clone(),
                    layer: Layer::Tcp,
                    rule: if again { "connection refused → retry".into() } else { "connection refused".into() },
                    explanation: if again {
                        format!("nothing in {pod_key} answers HTTP on port {target}; the BackendTrafficPolicy retries on connect-failure")
                    } else {
                        format!("nothing in {pod_key} answers HTTP on port {target}: Envoy answers 503 (response flag UF)")
                    },
                    reply: true,
                });
                if again {
                    attempt += 1;
                    continue;
                }
                Reply::Http(envoy::connect_failure(attempt > 0, date))
            }
        };
        if let Some(last) = hops.last_mut() {
            last.at = at + elapsed;
        }
        return Proxied {
            hops,
            reply,
            service: Some(svc_key),
            endpoint: Some(pod_key),
            elapsed,
        };
    }
}
