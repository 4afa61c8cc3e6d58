//! Envoy Gateway's policy kinds as its translator reads them and as Envoy's filters then
//! behave: `SecurityPolicy` (API key auth, basic auth, JWT → 401) and
//! `BackendTrafficPolicy` (local rate limit → 429). A policy attaches through
//! `spec.targetRefs` to a Gateway or an HTTPRoute; a route's own policy wins over its
//! Gateway's. A SecurityPolicy whose Secret is missing is `Accepted False` (reason
//! `Invalid`, "APIKeyAuth: secret default/x does not exist.") and its routes answer 500:
//! Envoy Gateway fails closed.

use super::super::request::{Request, Response};
use super::envoy;
use crate::sim::object;
use crate::sim::time::{Millis, SECOND};
use serde_json::Value;
use std::collections::BTreeMap;

/// A policy's `targetRefs` (or the older single `targetRef`): (kind, name, sectionName).
pub fn targets(policy: &Value) -> Vec<(String, String, Option<String>)> {
    let mut refs: Vec<Value> = policy
        .pointer("/spec/targetRefs")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if let Some(one) = policy.pointer("/spec/targetRef") {
        refs.push(one.clone());
    }
    refs.iter()
        .map(|r| {
            (
                object::str_at(r, "/kind").to_string(),
                object::str_at(r, "/name").to_string(),
                r.get("sectionName")
                    .and_then(Value::as_str)
                    .map(String::from),
            )
        })
        .collect()
}

/// A SecurityPolicy resolved against its Secrets.
#[derive(Debug, Clone, Default)]
pub struct Security {
    /// `namespace/name`.
    pub key: String,
    pub api_key: Option<ApiKeyAuth>,
    /// htpasswd users → `{SHA}` hashes.
    pub basic: Option<BTreeMap<String, String>>,
    /// JWT providers.
    pub jwt: Option<Vec<super::jwt::Provider>>,
    pub authorization: Option<Authorization>,
    /// Why the translator rejected it (the `Accepted False` message).
    pub error: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct ApiKeyAuth {
    /// Where the key is read from: header names and query parameters.
    pub headers: Vec<String>,
    pub params: Vec<String>,
    /// (client id, key).
    pub credentials: Vec<(String, String)>,
}

/// Looks a Secret's decoded `data` up by (namespace, name).
pub type SecretLookup<'a> = &'a dyn Fn(&str, &str) -> Option<BTreeMap<String, String>>;

/// `authorization`: rules matched in order, the first match's action wins, else the
/// default action (Deny unless set).
#[derive(Debug, Clone, Default)]
pub struct Authorization {
    pub default_allow: bool,
    /// (name, allow?, client CIDRs).
    pub rules: Vec<(String, bool, Vec<String>)>,
}

/// Whether IPv4 `ip` lies in `cidr` (`10.0.0.0/8`; a bare address is a /32).
pub fn in_cidr(ip: &str, cidr: &str) -> bool {
    fn parse(ip: &str) -> Option<u32> {
        let parts: Vec<u8> = ip
            .split('.')
            .map(|p| p.parse().ok())
            .collect::<Option<_>>()?;
        (parts.len() == 4).then(|| u32::from_be_bytes([parts[0], parts[1], parts[2], parts[3]]))
    }
    let (net, bits) = cidr.split_once('/').unwrap_or((cidr, "32"));
    let (Some(ip), Some(net), Ok(bits)) = (parse(ip), parse(net), bits.parse::<u32>()) else {
        return false;
    };
    let mask = if bits == 0 {
        0
    } else {
        u32::MAX << (32 - bits.min(32))
    };
    ip & mask == net & mask
}

/// Reads a SecurityPolicy against its Secrets.
pub fn security(policy: &Value, secret: SecretLookup) -> Security {
    let ns = object::namespace(policy);
    let mut out = Security {
        key: format!("{ns}/{}", object::name(policy)),
        ..Default::default()
    };
    let missing = |what: &str, r: &Value| {
        let sns = r.get("namespace").and_then(Value::as_str).unwrap_or(ns);
        format!(
            "{what}: secret {sns}/{} does not exist.",
            object::str_at(r, "/name")
        )
    };
    if let Some(auth) = policy.pointer("/spec/apiKeyAuth") {
        let mut a = ApiKeyAuth::default();
        for r in auth
            .get("credentialRefs")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let sns = r.get("namespace").and_then(Value::as_str).unwrap_or(ns);
            match secret(sns, object::str_at(r, "/name")) {
                Some(data) => a.credentials.extend(data),
                None => {
                    out.error.get_or_insert_with(|| missing("APIKeyAuth", r));
                }
            }
        }
        for e in auth
            .get("extractFrom")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let list = |field: &str| -> Vec<String> {
                e.get(field)
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect()
            };
            a.headers.extend(list("headers"));
            a.params.extend(list("params"));
        }
        out.api_key = Some(a);
    }
    if let Some(auth) = policy.pointer("/spec/basicAuth") {
        let r = auth.get("users").cloned().unwrap_or_default();
        let sns = r.get("namespace").and_then(Value::as_str).unwrap_or(ns);
        match secret(sns, object::str_at(&r, "/name")) {
            Some(data) => match data.get(".htpasswd") {
                Some(file) => {
                    let users = file
                        .lines()
                        .filter_map(|l| l.split_once(':'))
                        .map(|(u, h)| (u.to_string(), h.trim().to_string()))
                        .collect();
                    out.basic = Some(users);
                }
                None => {
                    out.error.get_or_insert_with(|| {
                        format!(
                            "BasicAuth: .htpasswd is missing in secret {sns}/{}.",
                            object::str_at(&r, "/name")
                        )
                    });
                }
            },
            None => {
                out.error.get_or_insert_with(|| missing("BasicAuth", &r));
            }
        }
    }
    if let Some(authz) = policy.pointer("/spec/authorization") {
        let rules = authz
            .get("rules")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
            .map(|(i, r)| {
                let cidrs = r
                    .pointer("/principal/clientCIDRs")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(|c| c.as_str().map(String::from))
                    .collect();
                let name = r
                    .get("name")
                    .and_then(Value::as_str)
                    .map_or(format!("rule {}", i + 1), String::from);
                (name, object::str_at(r, "/action") == "Allow", cidrs)
            })
            .collect();
        out.authorization = Some(Authorization {
            default_allow: object::str_at(authz, "/defaultAction") == "Allow",
            rules,
        });
    }
    if let Some(jwt) = policy.pointer("/spec/jwt") {
        let providers = jwt
            .get("providers")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(super::jwt::provider)
            .collect();
        out.jwt = Some(providers);
    }
    out
}

/// What a policy decided: pass on (with why), or answer (rule, why, response).
pub enum Verdict {
    Pass(String),
    Deny {
        rule: String,
        why: String,
        response: Response,
    },
}

fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Runs the policy's filters in Envoy Gateway's order (JWT, basic auth, API key auth).
/// Runs the policy's filters: authentication (JWT, basic auth, API key), then
/// authorization by client address (403 "RBAC: access denied").
#[allow(clippy::too_many_arguments)]
pub fn check(
    sec: &Security,
    request: &Request,
    client_ip: &str,
    host: &str,
    path: &str,
    query: &[(String, String)],
    date: &str,
    now: i64,
) -> Verdict {
    let passed = match authenticate(sec, request, host, path, query, date, now) {
        Verdict::Pass(why) => why,
        deny => return deny,
    };
    let Some(authz) = &sec.authorization else {
        return Verdict::Pass(passed);
    };
    let name = sec.key.rsplit('/').next().unwrap_or_default();
    let hit = authz
        .rules
        .iter()
        .find(|(_, _, cidrs)| cidrs.iter().any(|c| in_cidr(client_ip, c)));
    let (allow, why) = match hit {
        Some((rule, allow, _)) => (
            *allow,
            format!("client {client_ip} matches authorization {rule}"),
        ),
        None => (
            authz.default_allow,
            format!("client {client_ip} matches no authorization rule: the default action"),
        ),
    };
    if allow {
        return Verdict::Pass(format!("{passed}; {why}: Allow"));
    }
    Verdict::Deny {
        rule: match hit {
            Some((rule, _, _)) => {
                format!("SecurityPolicy {name}: authorization {rule} denies {client_ip} → 403")
            }
            None => {
                format!("SecurityPolicy {name}: {client_ip} matches no rule, default Deny → 403")
            }
        },
        why: format!("rbac: {why}: Deny"),
        response: envoy::local(403, "RBAC: access denied", &[], date),
    }
}

fn authenticate(
    sec: &Security,
    request: &Request,
    host: &str,
    path: &str,
    query: &[(String, String)],
    date: &str,
    now: i64,
) -> Verdict {
    let name = sec.key.rsplit('/').next().unwrap_or_default();
    let deny = |rule: String, why: String, response: Response| Verdict::Deny {
        rule,
        why,
        response,
    };
    let realm = format!("http://{host}{path}");
    if let Some(providers) = &sec.jwt {
        let token = header(request, "authorization").and_then(|v| v.strip_prefix("Bearer "));
        let Some(token) = token else {
            return deny(
                format!("SecurityPolicy {name}: no JWT → 401"),
                "jwt_authn: the request carries no Authorization: Bearer token".into(),
                envoy::local(
                    401,
                    "Jwt is missing",
                    &[("www-authenticate", format!("Bearer realm=\"{realm}\""))],
                    date,
                ),
            );
        };
        // Envoy Gateway requires any one provider; the first one's refusal is shown.
        let mut refusal = None;
        for provider in providers {
            match super::jwt::verify(token.trim(), provider, now) {
                Ok(ok) => {
                    let note = ok.note.map(|n| format!(" ({n})")).unwrap_or_default();
                    return Verdict::Pass(format!(
                        "JWT of subject \"{}\" verified by provider {}{note}",
                        ok.subject, ok.provider
                    ));
                }
                Err(r) => {
                    let remote = matches!(provider.jwks, Some(super::jwt::Jwks::Remote(_)));
                    refusal.get_or_insert((r, remote));
                }
            }
        }
        let (refused, remote) = refusal.unwrap_or((
            super::jwt::Refusal {
                status: 401,
                message: "Jwks remote fetch is failed",
            },
            true,
        ));
        let why = if remote && refused.message == "Jwks remote fetch is failed" {
            format!(
                "{} (the simulated cluster has no route to the provider's remoteJWKS)",
                refused.message
            )
        } else {
            refused.message.to_string()
        };
        return deny(
            format!("SecurityPolicy {name}: JWT rejected → {}", refused.status),
            format!("jwt_authn: {why}"),
            envoy::local(
                refused.status,
                refused.message,
                &[(
                    "www-authenticate",
                    format!("Bearer realm=\"{realm}\", error=\"invalid_token\""),
                )],
                date,
            ),
        );
    }
    if let Some(users) = &sec.basic {
        let creds = header(request, "authorization")
            .and_then(|v| v.strip_prefix("Basic "))
            .and_then(|b| crate::sim::admission::decode_base64(b.trim()))
            .and_then(|b| String::from_utf8(b).ok());
        let challenge = [("www-authenticate", format!("Basic realm=\"{realm}\""))];
        let Some(creds) = creds else {
            return deny(
                format!("SecurityPolicy {name}: no credentials → 401"),
                "basic_auth: the request has no Authorization: Basic header".into(),
                envoy::local(
                    401,
                    "User authentication failed. Missing username and password.",
                    &challenge,
                    date,
                ),
            );
        };
        let (user, pass) = creds.split_once(':').unwrap_or((&creds, ""));
        let hash = format!(
            "{{SHA}}{}",
            crate::sim::admission::encode_base64(&crate::sim::hash::sha1(pass.as_bytes()))
        );
        if users.get(user) != Some(&hash) {
            return deny(
                format!("SecurityPolicy {name}: bad credentials → 401"),
                format!("basic_auth: user {user} is not in .htpasswd with that password"),
                envoy::local(
                    401,
                    "User authentication failed. Invalid username/password combination.",
                    &challenge,
                    date,
                ),
            );
        }
        return Verdict::Pass(format!("SecurityPolicy {name}: basic auth user {user}"));
    }
    if let Some(auth) = &sec.api_key {
        let found = auth
            .headers
            .iter()
            .find_map(|h| header(request, h).map(|v| (format!("header {h}"), v.to_string())))
            .or_else(|| {
                auth.params.iter().find_map(|p| {
                    query
                        .iter()
                        .find(|(k, _)| k == p)
                        .map(|(_, v)| (format!("query {p}"), v.clone()))
                })
            });
        let wanted = auth
            .headers
            .first()
            .cloned()
            .unwrap_or_else(|| "x-api-key".into());
        let Some((from, key)) = found else {
            return deny(
                format!("SecurityPolicy {name}: no {wanted} header → 401"),
                format!("api_key_auth: the request carries no {wanted}"),
                envoy::local(401, "Client authentication failed.", &[], date),
            );
        };
        return match auth.credentials.iter().find(|(_, k)| *k == key) {
            Some((client, _)) => Verdict::Pass(format!(
                "SecurityPolicy {name}: API key of client {client} ({from})"
            )),
            None => deny(
                format!("SecurityPolicy {name}: unknown API key → 401"),
                format!("api_key_auth: the key in {from} is none of the Secret's"),
                envoy::local(401, "Client authentication failed.", &[], date),
            ),
        };
    }
    Verdict::Pass(format!("SecurityPolicy {name}"))
}

/// One rule of a BackendTrafficPolicy's local rate limit: `requests` per `unit` for the
/// requests its `clientSelectors` pick (all requests when it has none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimit {
    pub requests: u64,
    pub unit: String,
    pub interval: Millis,
    /// (header name, `Exact` / `Distinct`, value).
    pub headers: Vec<(String, String, String)>,
}

impl RateLimit {
    /// Which bucket of this rule `request` draws from (`Some("")` for the rule's one
    /// bucket, `Some(value)` per distinct header value), or `None` when the rule's
    /// selectors do not pick it.
    pub fn bucket(&self, request: &Request) -> Option<String> {
        let mut key = String::new();
        for (name, kind, value) in &self.headers {
            let got = header(request, name)?;
            match kind.as_str() {
                "Distinct" => key.push_str(&format!("{name}={got};")),
                _ if got == value => {}
                _ => return None,
            }
        }
        Some(key)
    }
}

/// The local rate limit's rules of a BackendTrafficPolicy.
pub fn rate_limits(policy: &Value) -> Vec<RateLimit> {
    let rules = policy
        .pointer("/spec/rateLimit/local/rules")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    rules
        .iter()
        .filter_map(|rule| {
            let limit = rule.get("limit")?;
            let unit = object::str_at(limit, "/unit").to_string();
            let interval = match unit.as_str() {
                "Second" => SECOND,
                "Minute" => 60 * SECOND,
                "Hour" => 3600 * SECOND,
                "Day" => 86_400 * SECOND,
                _ => return None,
            };
            let headers = rule
                .get("clientSelectors")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .flat_map(|c| {
                    c.get("headers")
                        .and_then(Value::as_array)
                        .cloned()
                        .unwrap_or_default()
                })
                .map(|h| {
                    (
                        object::str_at(&h, "/name").to_string(),
                        h.get("type")
                            .and_then(Value::as_str)
                            .unwrap_or("Exact")
                            .to_string(),
                        object::str_at(&h, "/value").to_string(),
                    )
                })
                .collect();
            Some(RateLimit {
                requests: limit.get("requests").and_then(Value::as_u64)?,
                unit,
                interval,
                headers,
            })
        })
        .collect()
}

/// A BackendTrafficPolicy's `retry`: how often, and on what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retry {
    pub retries: u32,
    pub connect_failure: bool,
    /// `retriable-status-codes` with these codes, or every 5xx for the `5xx` trigger.
    pub statuses: Vec<u16>,
    pub any_5xx: bool,
    /// `perRetry.backOff`: base and max interval (Envoy's defaults: 25 ms, 10 × base).
    pub back_off: (Millis, Millis),
}

/// Envoy's route timeout when nothing sets one (`RouteAction.timeout`'s default).
pub const ENVOY_DEFAULT_ROUTE_TIMEOUT: Millis = 15 * SECOND;

/// The route timeout Envoy enforces for an HTTPRoute rule, and where it came from:
/// `timeouts.backendRequest` (when the rule has no `retry`; with one it is the per-try
/// timeout) over `timeouts.request` (Envoy Gateway's `processRouteTimeout`), else the
/// BackendTrafficPolicy's `timeout.http.requestTimeout` (`getEffectiveRequestTimeout`),
/// else Envoy's 15 s default. `None`: disabled (`0s`).
pub fn request_timeout(rule: &Value, traffic_policy: Option<&Value>) -> (Option<Millis>, String) {
    let at = |v: &Value, p: &str| {
        v.pointer(p)
            .and_then(Value::as_str)
            .and_then(crate::sim::time::parse_duration)
    };
    let (timeout, from) = if let Some(d) =
        at(rule, "/timeouts/backendRequest").filter(|_| rule.get("retry").is_none())
    {
        (d, "the rule's timeouts.backendRequest".to_string())
    } else if let Some(d) = at(rule, "/timeouts/request") {
        (d, "the rule's timeouts.request".to_string())
    } else if let Some((d, p)) =
        traffic_policy.and_then(|p| Some((at(p, "/spec/timeout/http/requestTimeout")?, p)))
    {
        (
            d,
            format!(
                "BackendTrafficPolicy {}'s timeout.http.requestTimeout",
                object::name(p)
            ),
        )
    } else {
        (
            ENVOY_DEFAULT_ROUTE_TIMEOUT,
            "Envoy's default route timeout".to_string(),
        )
    };
    ((timeout > 0).then_some(timeout), from)
}

/// Envoy's default retry back-off base interval (`upstream.base_retry_backoff_ms`).
pub const DEFAULT_BACK_OFF_BASE: Millis = 25;

impl Retry {
    pub fn on_status(&self, status: u16) -> bool {
        (self.any_5xx && status >= 500) || self.statuses.contains(&status)
    }

    /// The interval retry `n` (1, 2, …) draws its back-off from: Envoy's
    /// `JitteredExponentialBackOffStrategy` starts at the base and doubles per retry, up to
    /// the max; the back-off itself is `random % interval` ("full jitter").
    pub fn back_off_interval(&self, n: u32) -> Millis {
        let (base, max) = self.back_off;
        let doubled = base.saturating_mul(1u64 << (n.saturating_sub(1)).min(40));
        doubled.min(max).max(1)
    }
}

/// `perRetry.backOff` of a BackendTrafficPolicy's `retry` (Gateway API durations).
fn back_off(r: &Value) -> (Millis, Millis) {
    let at = |p: &str| {
        r.pointer(p)
            .and_then(Value::as_str)
            .and_then(crate::sim::time::parse_duration)
            .filter(|d| *d > 0)
    };
    let base = at("/perRetry/backOff/baseInterval").unwrap_or(DEFAULT_BACK_OFF_BASE);
    let max = at("/perRetry/backOff/maxInterval")
        .unwrap_or(base * 10)
        .max(base);
    (base, max)
}

/// `spec.retry`; without `retryOn`, Envoy Gateway's default triggers (connect-failure,
/// refused-stream, unavailable, cancelled, retriable-status-codes with 503).
pub fn retry(policy: &Value) -> Option<Retry> {
    let r = policy.pointer("/spec/retry")?;
    let retries = r.get("numRetries").and_then(Value::as_u64).unwrap_or(2) as u32;
    let Some(on) = r.get("retryOn") else {
        return Some(Retry {
            retries,
            connect_failure: true,
            statuses: vec![503],
            any_5xx: false,
            back_off: back_off(r),
        });
    };
    let triggers: Vec<&str> = on
        .get("triggers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let codes: Vec<u16> = on
        .get("httpStatusCodes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|c| c.as_u64().map(|c| c as u16))
        .collect();
    Some(Retry {
        retries,
        connect_failure: triggers
            .iter()
            .any(|t| matches!(*t, "connect-failure" | "reset" | "5xx")),
        any_5xx: triggers.contains(&"5xx"),
        statuses: codes,
        back_off: back_off(r),
    })
}

/// Envoy's token bucket: `requests` tokens, all refilled every `interval` (counted from
/// the bucket's first use).
#[derive(Debug, Clone, Default)]
pub struct Bucket {
    pub start: Millis,
    pub fills: u64,
    pub used: u64,
}

impl Bucket {
    /// Takes a token at `now`; false when the bucket is empty.
    pub fn take(&mut self, limit: &RateLimit, now: Millis) -> bool {
        let fills = now.saturating_sub(self.start) / limit.interval;
        if fills != self.fills {
            self.fills = fills;
            self.used = 0;
        }
        if self.used >= limit.requests {
            return false;
        }
        self.used += 1;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distinct_selectors_give_each_value_its_own_bucket() {
        let policy = crate::sim::json::json!({"spec": {"rateLimit": {"type": "Local", "local": {"rules": [
            {"clientSelectors": [{"headers": [{"name": "x-user-id", "type": "Distinct"}]}], "limit": {"requests": 1, "unit": "Hour"}},
            {"clientSelectors": [{"headers": [{"name": "x-org", "value": "acme"}]}], "limit": {"requests": 5, "unit": "Second"}}]}}}});
        let rules = rate_limits(&policy);
        assert_eq!(rules.len(), 2);
        let url = super::super::super::request::parse_url("http://x/").unwrap();
        let mut req = Request::get(url);
        assert_eq!(rules[0].bucket(&req), None);
        req.headers = vec![
            ("X-User-Id".into(), "one".into()),
            ("x-org".into(), "other".into()),
        ];
        assert_eq!(rules[0].bucket(&req), Some("x-user-id=one;".into()));
        assert_eq!(rules[1].bucket(&req), None);
    }

    #[test]
    fn client_cidrs() {
        assert!(in_cidr("172.18.0.1", "172.18.0.0/16"));
        assert!(!in_cidr("10.244.1.2", "172.18.0.0/16"));
        assert!(in_cidr("10.0.0.1", "0.0.0.0/0"));
        assert!(in_cidr("10.0.0.1", "10.0.0.1"));
    }

    #[test]
    fn the_bucket_refills_every_interval() {
        let limit = RateLimit {
            requests: 3,
            unit: "Minute".into(),
            interval: 60 * SECOND,
            headers: vec![],
        };
        let mut b = Bucket {
            start: 1_000,
            ..Default::default()
        };
        let got: Vec<bool> = (0..5).map(|i| b.take(&limit, 1_000 + i * SECOND)).collect();
        assert_eq!(got, [true, true, true, false, false]);
        assert!(b.take(&limit, 61_000));
    }

    #[test]
    fn retry_back_off_doubles_from_the_base_up_to_the_max() {
        let policy = crate::sim::json::json!({"spec": {"retry": {"numRetries": 5,
            "perRetry": {"backOff": {"baseInterval": "100ms", "maxInterval": "1s"}}}}});
        let r = retry(&policy).expect("a retry");
        assert_eq!(r.back_off, (100, 1000));
        let intervals: Vec<u64> = (1..=6).map(|n| r.back_off_interval(n)).collect();
        assert_eq!(intervals, [100, 200, 400, 800, 1000, 1000]);
        // Without perRetry: Envoy's 25 ms base and 10 × base max.
        let plain = retry(&crate::sim::json::json!({"spec": {"retry": {}}})).expect("a retry");
        assert_eq!(plain.back_off, (25, 250));
        assert_eq!(plain.back_off_interval(1), 25);
    }

    #[test]
    fn the_route_timeout_comes_from_the_route_then_the_policy_then_envoy() {
        use crate::sim::json::json;
        let btp = json!({"metadata": {"name": "slow"}, "spec": {"timeout": {"http": {"requestTimeout": "2s"}}}});
        let cases = [
            (json!({}), None, Some(15_000)),
            (json!({}), Some(&btp), Some(2_000)),
            (
                json!({"timeouts": {"request": "5s"}}),
                Some(&btp),
                Some(5_000),
            ),
            (
                json!({"timeouts": {"request": "5s", "backendRequest": "1s"}}),
                None,
                Some(1_000),
            ),
            // With a retry, backendRequest is the per-try timeout, not the route's.
            (
                json!({"timeouts": {"request": "5s", "backendRequest": "1s"}, "retry": {"attempts": 2}}),
                None,
                Some(5_000),
            ),
            (json!({"timeouts": {"request": "0s"}}), None, None),
        ];
        for (rule, policy, want) in cases {
            assert_eq!(request_timeout(&rule, policy).0, want, "{rule} {policy:?}");
        }
    }
}
