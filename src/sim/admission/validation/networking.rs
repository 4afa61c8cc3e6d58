//! Ingress validation (pkg/apis/networking/validation/validation.go:
//! `ValidateIngressSpec`, `validateHTTPIngressPath`, `validateIngressBackend`).

use super::meta::{dns1123_subdomain, invalid_all};
use super::pod::port_number;
use crate::sim::errors::FieldError;
use crate::sim::json::json;
use serde_json::Value;

const PATH_TYPES: [&str; 3] = ["Exact", "ImplementationSpecific", "Prefix"];

pub fn ingress(obj: &Value) -> Vec<FieldError> {
    let spec = obj.get("spec").unwrap_or(&Value::Null);
    let mut errs = vec![];
    let rules = spec
        .get("rules")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    if rules.is_empty() && spec.get("defaultBackend").is_none() {
        errs.push(FieldError::invalid(
            "spec",
            spec.get("rules").cloned().unwrap_or(Value::Null),
            "either `defaultBackend` or `rules` must be specified",
        ));
    }
    if let Some(backend) = spec.get("defaultBackend") {
        errs.extend(ingress_backend(backend, "spec.defaultBackend"));
    }
    for (i, rule) in rules.iter().enumerate() {
        let at = format!("spec.rules[{i}]");
        let host = rule.get("host").and_then(Value::as_str).unwrap_or_default();
        if !host.is_empty() {
            let bare = host.strip_prefix("*.").unwrap_or(host);
            errs.extend(invalid_all(
                &format!("{at}.host"),
                host,
                dns1123_subdomain(bare),
            ));
        }
        let Some(http) = rule.get("http") else {
            continue;
        };
        let paths = http
            .get("paths")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        if paths.is_empty() {
            errs.push(FieldError::required(format!("{at}.http.paths"), ""));
        }
        for (j, path) in paths.iter().enumerate() {
            errs.extend(http_path(path, &format!("{at}.http.paths[{j}]")));
        }
    }
    errs
}

fn http_path(path: &Value, at: &str) -> Vec<FieldError> {
    let mut errs = vec![];
    let text = path.get("path").and_then(Value::as_str).unwrap_or_default();
    match path.get("pathType").and_then(Value::as_str) {
        None => errs.push(FieldError::required(
            format!("{at}.pathType"),
            "pathType must be specified",
        )),
        Some("Exact" | "Prefix") => {
            if !text.starts_with('/') {
                errs.push(FieldError::invalid(
                    format!("{at}.path"),
                    json!(text),
                    "must be an absolute path",
                ));
            }
        }
        Some("ImplementationSpecific") => {
            if !text.is_empty() && !text.starts_with('/') {
                errs.push(FieldError::invalid(
                    format!("{at}.path"),
                    json!(text),
                    "must be an absolute path",
                ));
            }
        }
        Some(other) => errs.push(FieldError::not_supported(
            format!("{at}.pathType"),
            json!(other),
            &PATH_TYPES,
        )),
    }
    errs.extend(ingress_backend(
        path.get("backend").unwrap_or(&Value::Null),
        &format!("{at}.backend"),
    ));
    errs
}

fn ingress_backend(backend: &Value, at: &str) -> Vec<FieldError> {
    let service = backend.get("service");
    let resource = backend.get("resource");
    match (service, resource) {
        (Some(_), Some(_)) => vec![FieldError::invalid(
            at,
            backend.clone(),
            "cannot set both resource and service backends",
        )],
        (None, None) => vec![FieldError::invalid(
            at,
            backend.clone(),
            "resource or service backend is required",
        )],
        (None, Some(_)) => vec![],
        (Some(service), None) => {
            let mut errs = vec![];
            let name = service
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default();
            if name.is_empty() {
                errs.push(FieldError::required(format!("{at}.service.name"), ""));
            }
            let port = service.get("port").unwrap_or(&Value::Null);
            let port_name = port.get("name").and_then(Value::as_str).unwrap_or_default();
            let number = port.get("number").and_then(Value::as_i64).unwrap_or(0);
            match (port_name.is_empty(), number) {
                (false, n) if n != 0 => errs.push(FieldError::invalid(
                    format!("{at}.service.port"),
                    port.clone(),
                    "cannot set both port name & port number",
                )),
                (true, 0) => errs.push(FieldError::required(
                    format!("{at}.service.port"),
                    "port name or number is required",
                )),
                (true, n) => errs.extend(port_number(n).into_iter().map(|m| {
                    FieldError::invalid(format!("{at}.service.port.number"), json!(n), m)
                })),
                _ => {}
            }
            errs
        }
    }
}
