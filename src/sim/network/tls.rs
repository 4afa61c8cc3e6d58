//! TLS at the edge: which certificate an ingress controller or a Gateway's Envoy presents,
//! whether the client accepts it, and what HTTP/2 (negotiated by ALPN on every TLS
//! connection here) does to the answer.
//!
//! No cryptography is simulated. A certificate is where it came from — a
//! `kubernetes.io/tls` Secret, or ingress-nginx's self-signed "Kubernetes Ingress
//! Controller Fake Certificate" — and the laptop trusts neither: the Secrets learners make
//! come from `openssl req -x509 …` (self-signed) and no public CA signs anything in a
//! simulated cluster. So a client that verifies (curl without `-k`) refuses every one, with
//! OpenSSL's reason for a self-signed certificate, and a client that does not verify
//! (`curl -k`, busybox wget, which cannot) goes on.

use super::request::Response;
use crate::sim::Cluster;
use serde_json::Value;

/// ingress-nginx's default certificate (`internal/net/ssl/ssl.go`, `GetFakeSSLCert`).
pub const FAKE_CERTIFICATE_CN: &str = "Kubernetes Ingress Controller Fake Certificate";

/// The certificate a server presents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Certificate {
    /// A `kubernetes.io/tls` Secret, `namespace/name`.
    Secret(String),
    /// ingress-nginx's self-signed default, when no Secret serves the host.
    IngressFake,
}

impl Certificate {
    /// How a flow hop names it.
    pub fn describe(&self) -> String {
        match self {
            Certificate::Secret(key) => format!("the certificate of Secret {key}"),
            Certificate::IngressFake => {
                format!("its default certificate \"{FAKE_CERTIFICATE_CN}\"")
            }
        }
    }
}

/// Why a Secret cannot serve as a certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretProblem {
    Missing,
    /// Its `type` is not `kubernetes.io/tls`.
    WrongType,
    /// `tls.crt` or `tls.key` is missing or empty.
    MissingKeys,
}

/// Whether Secret `namespace/name` holds a usable certificate and key.
pub fn check_secret(cluster: &Cluster, namespace: &str, name: &str) -> Result<(), SecretProblem> {
    let rt = super::resource(cluster, "secrets");
    let secret = cluster
        .get(&rt, namespace, name)
        .map_err(|_| SecretProblem::Missing)?;
    secret_shape(secret)
}

/// The checks of [`check_secret`] on the object itself.
pub fn secret_shape(secret: &Value) -> Result<(), SecretProblem> {
    if crate::sim::object::str_at(secret, "/type") != "kubernetes.io/tls" {
        return Err(SecretProblem::WrongType);
    }
    let present = |key: &str| {
        ["data", "stringData"].iter().any(|field| {
            secret
                .get(*field)
                .and_then(|d| d.get(key))
                .and_then(Value::as_str)
                .is_some_and(|v| !v.is_empty())
        })
    };
    if present("tls.crt") && present("tls.key") {
        Ok(())
    } else {
        Err(SecretProblem::MissingKeys)
    }
}

/// How a TLS handshake ended, from the client's side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Handshake {
    /// The server answered the ClientHello with plain HTTP (nothing speaks TLS there).
    NotTls,
    /// The client does not trust the certificate (curl without `-k`).
    Untrusted(Certificate),
    /// Encrypted, HTTP/2 by ALPN.
    Established(Certificate),
}

/// The handshake of a client that verifies certificates (`verify`) or not, with a server
/// presenting `certificate` (`None`: the port does not speak TLS).
pub fn handshake(certificate: Option<Certificate>, verify: bool) -> Handshake {
    match certificate {
        None => Handshake::NotTls,
        Some(c) if verify => Handshake::Untrusted(c),
        Some(c) => Handshake::Established(c),
    }
}

/// A response as the client reads it over HTTP/2: `HTTP/2`, no reason phrase, header
/// names in lower case, and none of HTTP/1.1's connection-specific headers (RFC 9113
/// §8.2.2 forbids them).
pub fn over_http2(mut response: Response) -> Response {
    response.version = "HTTP/2".into();
    response.reason = String::new();
    response.headers = response
        .headers
        .into_iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v))
        .filter(|(k, _)| {
            !matches!(
                k.as_str(),
                "connection" | "keep-alive" | "transfer-encoding" | "upgrade" | "proxy-connection"
            )
        })
        .collect();
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::json::json;

    #[test]
    fn a_tls_secret_needs_its_type_and_both_keys() {
        let ok = json!({"type": "kubernetes.io/tls", "data": {"tls.crt": "Y2VydA==", "tls.key": "a2V5"}});
        assert_eq!(secret_shape(&ok), Ok(()));
        let opaque = json!({"type": "Opaque", "data": {"tls.crt": "Y2VydA==", "tls.key": "a2V5"}});
        assert_eq!(secret_shape(&opaque), Err(SecretProblem::WrongType));
        let no_key =
            json!({"type": "kubernetes.io/tls", "data": {"tls.crt": "Y2VydA==", "tls.key": ""}});
        assert_eq!(secret_shape(&no_key), Err(SecretProblem::MissingKeys));
    }

    #[test]
    fn a_verifying_client_refuses_every_certificate_and_no_client_gets_tls_from_plain_http() {
        let cert = Certificate::Secret("default/web-tls".into());
        assert_eq!(handshake(None, false), Handshake::NotTls);
        assert_eq!(handshake(None, true), Handshake::NotTls);
        assert_eq!(
            handshake(Some(cert.clone()), true),
            Handshake::Untrusted(cert.clone())
        );
        assert_eq!(
            handshake(Some(Certificate::IngressFake), false),
            Handshake::Established(Certificate::IngressFake)
        );
    }

    #[test]
    fn http2_drops_the_reason_and_connection_headers_and_lowers_names() {
        let r = Response {
            version: "HTTP/1.1".into(),
            status: 200,
            reason: "OK".into(),
            headers: vec![
                ("Date".into(), "d".into()),
                ("Content-Type".into(), "text/plain".into()),
                ("Connection".into(), "keep-alive".into()),
                ("Transfer-Encoding".into(), "chunked".into()),
                ("ETag".into(), "x".into()),
            ],
            body: "hi".into(),
        };
        let h2 = over_http2(r);
        assert_eq!((h2.version.as_str(), h2.reason.as_str()), ("HTTP/2", ""));
        let names: Vec<&str> = h2.headers.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, ["date", "content-type", "etag"]);
    }
}
