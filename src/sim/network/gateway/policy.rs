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
    /// JWT providers' names.
    pub jwt: Option<Vec<String>>,
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
    if let Some(jwt) = policy.pointer("/spec/jwt") {
        let names = jwt
            .get("providers")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|p| object::str_at(p, "/name").to_string())
            .collect();
        out.jwt = Some(names);
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
pub fn check(
    sec: &Security,
    request: &Request,
    host: &str,
    path: &str,
    query: &[(String, String)],
    date: &str,
) -> Verdict {
    let name = sec.key.rsplit('/').next().unwrap_or_default();
    let deny = |rule: String, why: String, response: Response| Verdict::Deny {
        rule,
        why,
        response,
    };
    let realm = format!("http://{host}{path}");
    if sec.jwt.is_some() {
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
        let why = if token.split('.').count() != 3 {
            "Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections"
        } else {
            // The simulated cluster has no route to the providers' JWKS endpoints.
            "Jwks remote fetch is failed"
        };
        return deny(
            format!("SecurityPolicy {name}: JWT rejected → 401"),
            format!("jwt_authn: {why}"),
            envoy::local(
                401,
                why,
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

/// A BackendTrafficPolicy's local rate limit: `requests` per `unit`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimit {
    pub requests: u64,
    pub unit: String,
    pub interval: Millis,
}

pub fn rate_limit(policy: &Value) -> Option<RateLimit> {
    let local = policy.pointer("/spec/rateLimit/local")?;
    let limit = local.pointer("/rules/0/limit")?;
    let unit = object::str_at(limit, "/unit").to_string();
    let interval = match unit.as_str() {
        "Second" => SECOND,
        "Minute" => 60 * SECOND,
        "Hour" => 3600 * SECOND,
        "Day" => 86_400 * SECOND,
        _ => return None,
    };
    Some(RateLimit {
        requests: limit.get("requests").and_then(Value::as_u64)?,
        unit,
        interval,
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
    fn the_bucket_refills_every_interval() {
        let limit = RateLimit {
            requests: 3,
            unit: "Minute".into(),
            interval: 60 * SECOND,
        };
        let mut b = Bucket {
            start: 1_000,
            ..Default::default()
        };
        let got: Vec<bool> = (0..5).map(|i| b.take(&limit, 1_000 + i * SECOND)).collect();
        assert_eq!(got, [true, true, true, false, false]);
        assert!(b.take(&limit, 61_000));
    }
}
