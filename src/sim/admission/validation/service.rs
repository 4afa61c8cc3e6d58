//! Service validation (pkg/apis/core/validation/validation.go: `ValidateService`,
//! `validateServicePort`, `ValidateServiceUpdate`, `validateUpgradeDowngradeClusterIPs`).

use super::meta::{dns1123_label, dns1123_subdomain, invalid_all, labels};
use super::pod::{port_name, port_number, protocol};
use crate::sim::errors::FieldError;
use crate::sim::json::json;
use serde_json::Value;
use std::collections::BTreeSet;

const TYPES: [&str; 4] = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];

pub fn service(obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
    let spec = obj.get("spec").unwrap_or(&Value::Null);
    let mut errs = vec![];
    let service_type = spec.get("type").and_then(Value::as_str).unwrap_or_default();
    let headless = spec.get("clusterIP").and_then(Value::as_str) == Some("None");
    let ports = spec
        .get("ports")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    if ports.is_empty() && !headless && service_type != "ExternalName" {
        errs.push(FieldError::required("spec.ports", ""));
    }
    if service_type == "ExternalName" {
        let name = spec
            .get("externalName")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if name.is_empty() {
            errs.push(FieldError::required("spec.externalName", ""));
        } else {
            errs.extend(invalid_all(
                "spec.externalName",
                name,
                dns1123_subdomain(name.trim_end_matches('.')),
            ));
        }
    }
    let mut names = BTreeSet::new();
    let mut node_ports = BTreeSet::new();
    for (i, p) in ports.iter().enumerate() {
        let at = format!("spec.ports[{i}]");
        let name = p.get("name").and_then(Value::as_str).unwrap_or_default();
        if ports.len() > 1 && name.is_empty() {
            errs.push(FieldError::required(format!("{at}.name"), ""));
        } else if !name.is_empty() {
            let messages = dns1123_label(name);
            if !messages.is_empty() {
                errs.extend(invalid_all(&format!("{at}.name"), name, messages));
            } else if !names.insert(name.to_string()) {
                errs.push(FieldError::duplicate(format!("{at}.name"), json!(name)));
            }
        }
        let port = p.get("port").and_then(Value::as_i64).unwrap_or(0);
        for m in port_number(port) {
            errs.push(FieldError::invalid(format!("{at}.port"), json!(port), m));
        }
        errs.extend(protocol(p, &format!("{at}.protocol")));
        match p.get("targetPort") {
            Some(Value::Number(n)) => {
                let n = n.as_i64().unwrap_or(0);
                errs.extend(
                    port_number(n)
                        .into_iter()
                        .map(|m| FieldError::invalid(format!("{at}.targetPort"), json!(n), m)),
                );
            }
            Some(Value::String(s)) => {
                errs.extend(invalid_all(&format!("{at}.targetPort"), s, port_name(s)))
            }
            _ => {}
        }
        let node_port = p.get("nodePort").and_then(Value::as_i64).unwrap_or(0);
        if node_port != 0 {
            if service_type == "ClusterIP" {
                errs.push(FieldError::forbidden(
                    format!("{at}.nodePort"),
                    "may not be used when `type` is 'ClusterIP'",
                ));
            } else if !node_ports.insert((
                node_port,
                p.get("protocol")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
            )) {
                errs.push(FieldError::duplicate(
                    format!("{at}.nodePort"),
                    json!(node_port),
                ));
            }
        }
    }
    if !service_type.is_empty() && !TYPES.contains(&service_type) {
        errs.push(FieldError::not_supported(
            "spec.type",
            json!(service_type),
            &TYPES,
        ));
    }
    if headless && matches!(service_type, "NodePort" | "LoadBalancer") {
        errs.push(FieldError::invalid(
            "spec.clusterIPs[0]",
            json!("None"),
            format!("may not be set to 'None' for {service_type} services"),
        ));
    }
    errs.extend(labels(spec.get("selector"), "spec.selector"));
    if let Some(old) = old {
        errs.extend(cluster_ip_update(
            spec,
            old.get("spec").unwrap_or(&Value::Null),
        ));
    }
    errs
}

/// The primary cluster IP may not change once set (unless to or from ExternalName).
fn cluster_ip_update(new: &Value, old: &Value) -> Vec<FieldError> {
    let ips = |spec: &Value| -> Vec<Value> {
        match spec.get("clusterIPs").and_then(Value::as_array) {
            Some(list) if !list.is_empty() => list.clone(),
            _ => spec
                .get("clusterIP")
                .filter(|v| v.as_str().is_some_and(|s| !s.is_empty()))
                .cloned()
                .into_iter()
                .collect(),
        }
    };
    let external = |spec: &Value| spec.get("type").and_then(Value::as_str) == Some("ExternalName");
    let (new_ips, old_ips) = (ips(new), ips(old));
    if external(new)
        || external(old)
        || new_ips.is_empty()
        || old_ips.is_empty()
        || new_ips[0] == old_ips[0]
    {
        return vec![];
    }
    vec![FieldError::invalid(
        "spec.clusterIPs[0]",
        Value::Array(new_ips),
        "may not change once set",
    )]
}
