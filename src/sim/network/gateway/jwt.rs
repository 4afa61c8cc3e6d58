//! Envoy's `jwt_authn` filter as a SecurityPolicy's `jwt.providers` configure it: take the
//! Bearer token apart, check its issuer, its time window and its audiences, find the
//! provider's key, check the signature — in that order (`authenticator.cc`), each failure
//! with jwt_verify_lib's own words (`status.cc`).
//!
//! Keys come from `localJWKS` (inline). HS256 tokens are verified for real against an
//! `oct` key (HMAC-SHA256, `sim::hash`). RSA and EC signatures are not computed — the
//! page carries no big-number arithmetic — and the flow hop says so. A `remoteJWKS` would
//! be fetched over the network, which the simulated cluster has no route to: Envoy answers
//! "Jwks remote fetch is failed".

use serde_json::Value;

/// Where a provider's keys come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Jwks {
    /// `localJWKS.inline`, as written.
    Local(String),
    /// `remoteJWKS.uri`.
    Remote(String),
}

/// One `jwt.providers[]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provider {
    pub name: String,
    pub issuer: Option<String>,
    pub audiences: Vec<String>,
    pub jwks: Option<Jwks>,
}

/// A provider from its spec.
pub fn provider(spec: &Value) -> Provider {
    let text = |p: &str| spec.pointer(p).and_then(Value::as_str).map(String::from);
    let jwks = match (text("/localJWKS/inline"), text("/remoteJWKS/uri")) {
        (Some(inline), _) => Some(Jwks::Local(inline)),
        (None, Some(uri)) => Some(Jwks::Remote(uri)),
        _ => None,
    };
    Provider {
        name: text("/name").unwrap_or_default(),
        issuer: text("/issuer").filter(|i| !i.is_empty()),
        audiences: spec
            .get("audiences")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|a| a.as_str().map(String::from))
            .collect(),
        jwks,
    }
}

/// Why a token was refused: the status line's code and Envoy's body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// 401, or 403 for an audience that is not allowed.
    pub status: u16,
    pub message: &'static str,
}

fn refuse(message: &'static str) -> Refusal {
    Refusal {
        status: 401,
        message,
    }
}

/// A token that passed: its subject, and a note on what was not checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    pub provider: String,
    pub subject: String,
    pub note: Option<String>,
}

/// jwt_verify_lib's allowed clock skew (`clock_skew_seconds` default).
const CLOCK_SKEW: i64 = 60;

/// Base64url without padding, as JWTs use it.
fn base64url(part: &str) -> Option<Vec<u8>> {
    let mut standard: String = part
        .chars()
        .map(|c| match c {
            '-' => '+',
            '_' => '/',
            c => c,
        })
        .collect();
    if part.contains(['+', '/', '=']) {
        return None;
    }
    while !standard.len().is_multiple_of(4) {
        standard.push('=');
    }
    crate::sim::admission::decode_base64(&standard)
}

/// Verifies `token` for `provider` at `now` (Unix seconds).
pub fn verify(token: &str, provider: &Provider, now: i64) -> Result<Accepted, Refusal> {
    let parts: Vec<&str> = token.split('.').collect();
    if parts.len() != 3 {
        return Err(refuse(
            "Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections",
        ));
    }
    let header = base64url(parts[0]).ok_or(refuse("Jwt header is an invalid Base64url encoded"))?;
    let header: Value =
        serde_json::from_slice(&header).map_err(|_| refuse("Jwt header is an invalid JSON"))?;
    let alg = header
        .get("alg")
        .and_then(Value::as_str)
        .ok_or(refuse(
            "Jwt header [alg] field is required and must be a string",
        ))?
        .to_string();
    let payload =
        base64url(parts[1]).ok_or(refuse("Jwt payload is an invalid Base64url encoded"))?;
    let payload: Value =
        serde_json::from_slice(&payload).map_err(|_| refuse("Jwt payload is an invalid JSON"))?;
    let signature =
        base64url(parts[2]).ok_or(refuse("Jwt signature is an invalid Base64url encoded"))?;
    let claim = |name: &str| {
        payload
            .get(name)
            .and_then(Value::as_str)
            .unwrap_or_default()
    };
    // 1. The issuer, when the provider names one.
    if let Some(issuer) = &provider.issuer {
        if claim("iss") != issuer {
            return Err(refuse("Jwt issuer is not configured"));
        }
    }
    // 2. The time window, with the clock skew.
    if let Some(exp) = payload.get("exp").and_then(Value::as_i64) {
        if now > exp + CLOCK_SKEW {
            return Err(refuse("Jwt is expired"));
        }
    }
    if let Some(nbf) = payload.get("nbf").and_then(Value::as_i64) {
        if now + CLOCK_SKEW < nbf {
            return Err(refuse("Jwt not yet valid"));
        }
    }
    // 3. The audiences: one of the token's must be allowed (403, not 401).
    if !provider.audiences.is_empty() {
        let token_audiences: Vec<String> = match payload.get("aud") {
            Some(Value::String(a)) => vec![a.clone()],
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect(),
            _ => vec![],
        };
        if !token_audiences
            .iter()
            .any(|a| provider.audiences.contains(a))
        {
            return Err(Refusal {
                status: 403,
                message: "Audiences in Jwt are not allowed",
            });
        }
    }
    // 4. The key, then the signature.
    let jwks = match &provider.jwks {
        Some(Jwks::Local(inline)) => inline,
        Some(Jwks::Remote(_)) | None => return Err(refuse("Jwks remote fetch is failed")),
    };
    let jwks: Value = serde_json::from_str(jwks).map_err(|_| refuse("Jwks is an invalid JSON"))?;
    let keys = jwks
        .get("keys")
        .ok_or(refuse("Jwks does not have [keys] field"))?
        .as_array()
        .ok_or(refuse("[keys] in Jwks is not an array"))?;
    let kid = header.get("kid").and_then(Value::as_str);
    let family = match alg.as_str() {
        "HS256" | "HS384" | "HS512" => "oct",
        a if a.starts_with("RS") || a.starts_with("PS") => "RSA",
        a if a.starts_with("ES") => "EC",
        _ => "",
    };
    let key = keys.iter().find(|k| {
        let kid_ok = match (kid, k.get("kid").and_then(Value::as_str)) {
            (Some(want), Some(have)) => want == have,
            _ => true,
        };
        let alg_ok = k
            .get("alg")
            .and_then(Value::as_str)
            .is_none_or(|a| a == alg);
        kid_ok && alg_ok && k.get("kty").and_then(Value::as_str) == Some(family)
    });
    let Some(key) = key else {
        return Err(refuse("Jwks doesn't have key to match kid or alg from Jwt"));
    };
    let accepted = |note: Option<String>| Accepted {
        provider: provider.name.clone(),
        subject: claim("sub").to_string(),
        note,
    };
    if alg != "HS256" {
        return Ok(accepted(Some(format!(
            "its {alg} signature is not computed (kubesim carries no RSA or EC arithmetic)"
        ))));
    }
    let secret = key
        .get("k")
        .and_then(Value::as_str)
        .and_then(base64url)
        .ok_or(refuse("Jwks Oct key is an invalid Base64"))?;
    let signed = format!("{}.{}", parts[0], parts[1]);
    let mac = crate::sim::hash::hmac_sha256(&secret, signed.as_bytes());
    if mac.as_slice() != signature.as_slice() {
        return Err(refuse("Jwt verification fails"));
    }
    Ok(accepted(None))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `{"alg":"HS256","typ":"JWT"}` / `{"sub":"alice","iss":"https://issuer.example",
    /// "aud":"shop","exp":1893456000}` signed with the key "kubesim-shared-secret" (made
    /// with Python's hmac module, independently of this code).
    const TOKEN: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSIsImlzcyI6Imh0dHBzOi8vaXNzdWVyLmV4YW1wbGUiLCJhdWQiOiJzaG9wIiwiZXhwIjoxODkzNDU2MDAwfQ.zI7nVrRi8I6HYblar6bOwFcBDslbZDKUgEvPYM0mgsM";
    /// base64url("kubesim-shared-secret").
    const KEY: &str = "a3ViZXNpbS1zaGFyZWQtc2VjcmV0";
    const NOW: i64 = 1_767_225_600;

    fn provider_with(key: &str) -> Provider {
        Provider {
            name: "example".into(),
            issuer: Some("https://issuer.example".into()),
            audiences: vec!["shop".into()],
            jwks: Some(Jwks::Local(format!(
                r#"{{"keys":[{{"kty":"oct","alg":"HS256","k":"{key}"}}]}}"#
            ))),
        }
    }

    #[test]
    fn a_token_signed_with_the_key_passes_and_names_its_subject() {
        let ok = verify(TOKEN, &provider_with(KEY), NOW).expect("valid");
        assert_eq!(ok.subject, "alice");
        assert_eq!(ok.note, None);
    }

    #[test]
    fn each_check_fails_with_envoys_words_in_envoys_order() {
        let p = provider_with(KEY);
        let cases: Vec<(String, Provider, i64, u16, &str)> = vec![
            (
                "abc".into(),
                p.clone(),
                NOW,
                401,
                "Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections",
            ),
            (
                TOKEN.into(),
                provider_with("b3RoZXIta2V5"),
                NOW,
                401,
                "Jwt verification fails",
            ),
            (
                TOKEN.into(),
                p.clone(),
                1_893_456_000 + 61,
                401,
                "Jwt is expired",
            ),
            (
                TOKEN.into(),
                Provider {
                    issuer: Some("https://other".into()),
                    ..p.clone()
                },
                NOW,
                401,
                "Jwt issuer is not configured",
            ),
            (
                TOKEN.into(),
                Provider {
                    audiences: vec!["admin".into()],
                    ..p.clone()
                },
                NOW,
                403,
                "Audiences in Jwt are not allowed",
            ),
            (
                TOKEN.into(),
                Provider {
                    jwks: Some(Jwks::Remote("https://x/jwks.json".into())),
                    ..p.clone()
                },
                NOW,
                401,
                "Jwks remote fetch is failed",
            ),
            // The issuer is checked before the signature: a wrong key does not show.
            (
                TOKEN.into(),
                Provider {
                    issuer: Some("https://other".into()),
                    ..provider_with("b3RoZXIta2V5")
                },
                NOW,
                401,
                "Jwt issuer is not configured",
            ),
        ];
        for (token, provider, now, status, message) in cases {
            let got = verify(&token, &provider, now).expect_err(message);
            assert_eq!((got.status, got.message), (status, message));
        }
        // Within the 60 s clock skew the token still passes.
        assert!(verify(TOKEN, &p, 1_893_456_000 + 60).is_ok());
    }
}
