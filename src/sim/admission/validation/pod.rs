//! Pod spec validation (pkg/apis/core/validation/validation.go: `ValidatePodSpec`,
//! `validateContainers`, `validateContainerPorts`, `ValidateVolumes`,
//! `validateRestartPolicy`, `ValidatePodUpdate`). Paths are built from a prefix so the
//! same rules serve `spec.` of a Pod and `spec.template.spec.` of a workload.

use super::meta::{dns1123_label, invalid_all};
use crate::sim::errors::FieldError;
use crate::sim::json::json;
use serde_json::Value;
use std::collections::BTreeSet;

const PORT_RANGE_MSG: &str = "must be between 1 and 65535, inclusive";

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

fn list<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
}

/// `ValidatePodSpec` for the spec at `path` (`spec` or `spec.template.spec`).
pub fn pod_spec(spec: &Value, path: &str) -> Vec<FieldError> {
    let mut errs = vec![];
    let volumes = volumes(spec, path, &mut errs);
    let containers = list(spec, "containers");
    if containers.is_empty() {
        errs.push(FieldError::required(format!("{path}.containers"), ""));
    }
    let mut names = BTreeSet::new();
    for (list_name, items) in [
        ("containers", containers),
        ("initContainers", list(spec, "initContainers")),
    ] {
        for (i, c) in items.iter().enumerate() {
            errs.extend(container(
                c,
                &format!("{path}.{list_name}[{i}]"),
                &volumes,
                &mut names,
            ));
        }
    }
    let restart = s(spec, "restartPolicy");
    if restart.is_empty() {
        errs.push(FieldError::required(format!("{path}.restartPolicy"), ""));
    } else if !["Always", "OnFailure", "Never"].contains(&restart) {
        errs.push(FieldError::not_supported(
            format!("{path}.restartPolicy"),
            json!(restart),
            &["Always", "OnFailure", "Never"],
        ));
    }
    let dns = s(spec, "dnsPolicy");
    let dns_values = ["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"];
    if dns.is_empty() {
        errs.push(FieldError::required(format!("{path}.dnsPolicy"), ""));
    } else if !dns_values.contains(&dns) {
        errs.push(FieldError::not_supported(
            format!("{path}.dnsPolicy"),
            json!(dns),
            &dns_values,
        ));
    }
    if let Some(n) = spec.get("activeDeadlineSeconds").and_then(Value::as_i64) {
        if n < 1 {
            errs.push(FieldError::invalid(
                format!("{path}.activeDeadlineSeconds"),
                json!(n),
                "must be between 1 and 2147483647, inclusive",
            ));
        }
    }
    errs
}

/// `ValidateVolumes`: names required, DNS labels, unique. Returns the valid names.
fn volumes(spec: &Value, path: &str, errs: &mut Vec<FieldError>) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for (i, v) in list(spec, "volumes").iter().enumerate() {
        let name = s(v, "name");
        let field = format!("{path}.volumes[{i}].name");
        if name.is_empty() {
            errs.push(FieldError::required(field, ""));
        } else if !dns1123_label(name).is_empty() {
            errs.extend(invalid_all(&field, name, dns1123_label(name)));
        } else if !names.insert(name.to_string()) {
            errs.push(FieldError::duplicate(field, json!(name)));
        }
    }
    names
}

fn container(
    c: &Value,
    path: &str,
    volumes: &BTreeSet<String>,
    names: &mut BTreeSet<String>,
) -> Vec<FieldError> {
    let mut errs = vec![];
    let name = s(c, "name");
    if name.is_empty() {
        errs.push(FieldError::required(format!("{path}.name"), ""));
    } else if !dns1123_label(name).is_empty() {
        errs.extend(invalid_all(
            &format!("{path}.name"),
            name,
            dns1123_label(name),
        ));
    } else if !names.insert(name.to_string()) {
        errs.push(FieldError::duplicate(format!("{path}.name"), json!(name)));
    }
    let image = s(c, "image");
    if image.is_empty() {
        errs.push(FieldError::required(format!("{path}.image"), ""));
    }
    errs.extend(ports(c, path));
    for (i, m) in list(c, "volumeMounts").iter().enumerate() {
        let mount_name = s(m, "name");
        if mount_name.is_empty() {
            errs.push(FieldError::required(
                format!("{path}.volumeMounts[{i}].name"),
                "",
            ));
        } else if !volumes.contains(mount_name) {
            errs.push(FieldError::not_found(
                format!("{path}.volumeMounts[{i}].name"),
                json!(mount_name),
            ));
        }
        if s(m, "mountPath").is_empty() {
            errs.push(FieldError::required(
                format!("{path}.volumeMounts[{i}].mountPath"),
                "",
            ));
        }
    }
    let termination = s(c, "terminationMessagePolicy");
    if termination.is_empty() {
        errs.push(FieldError::required(
            format!("{path}.terminationMessagePolicy"),
            "",
        ));
    } else if !["File", "FallbackToLogsOnError"].contains(&termination) {
        errs.push(FieldError::not_supported(
            format!("{path}.terminationMessagePolicy"),
            json!(termination),
            &["File", "FallbackToLogsOnError"],
        ));
    }
    let pull = s(c, "imagePullPolicy");
    if pull.is_empty() {
        errs.push(FieldError::required(format!("{path}.imagePullPolicy"), ""));
    } else if !["Always", "IfNotPresent", "Never"].contains(&pull) {
        errs.push(FieldError::not_supported(
            format!("{path}.imagePullPolicy"),
            json!(pull),
            &["Always", "IfNotPresent", "Never"],
        ));
    }
    errs
}

/// `validateContainerPorts`.
fn ports(c: &Value, path: &str) -> Vec<FieldError> {
    let mut errs = vec![];
    let mut names = BTreeSet::new();
    for (i, p) in list(c, "ports").iter().enumerate() {
        let at = format!("{path}.ports[{i}]");
        let name = s(p, "name");
        if !name.is_empty() {
            let messages = port_name(name);
            if !messages.is_empty() {
                errs.extend(invalid_all(&format!("{at}.name"), name, messages));
            } else if !names.insert(name.to_string()) {
                errs.push(FieldError::duplicate(format!("{at}.name"), json!(name)));
            }
        }
        match p.get("containerPort").and_then(Value::as_i64) {
            None | Some(0) => errs.push(FieldError::required(format!("{at}.containerPort"), "")),
            Some(n) if !(1..=65535).contains(&n) => errs.push(FieldError::invalid(
                format!("{at}.containerPort"),
                json!(n),
                PORT_RANGE_MSG,
            )),
            _ => {}
        }
        if let Some(n) = p
            .get("hostPort")
            .and_then(Value::as_i64)
            .filter(|n| *n != 0)
        {
            if !(1..=65535).contains(&n) {
                errs.push(FieldError::invalid(
                    format!("{at}.hostPort"),
                    json!(n),
                    PORT_RANGE_MSG,
                ));
            }
        }
        errs.extend(protocol(p, &format!("{at}.protocol")));
    }
    errs
}

/// `SCTP`, `TCP` or `UDP` (sorted, as `sets.List` prints them).
pub fn protocol(port: &Value, field: &str) -> Vec<FieldError> {
    match s(port, "protocol") {
        "" => vec![FieldError::required(field, "")],
        "TCP" | "UDP" | "SCTP" => vec![],
        other => vec![FieldError::not_supported(
            field,
            json!(other),
            &["SCTP", "TCP", "UDP"],
        )],
    }
}

/// `IsValidPortName` (IANA_SVC_NAME).
pub fn port_name(name: &str) -> Vec<String> {
    let mut errs = vec![];
    if name.len() > 15 {
        errs.push("must be no more than 15 characters".to_string());
    }
    if !name
        .bytes()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
    {
        errs.push(
            "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)".to_string(),
        );
    }
    if !name.bytes().any(|c| c.is_ascii_lowercase()) {
        errs.push("must contain at least one letter (a-z)".to_string());
    }
    if name.contains("--") {
        errs.push("must not contain consecutive hyphens".to_string());
    }
    if name.starts_with('-') || name.ends_with('-') {
        errs.push("must not begin or end with a hyphen".to_string());
    }
    errs
}

/// `IsValidPortNum`.
pub fn port_number(n: i64) -> Vec<String> {
    if (1..=65535).contains(&n) {
        vec![]
    } else {
        vec![PORT_RANGE_MSG.to_string()]
    }
}

const POD_UPDATE_MSG: &str = "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

/// `ValidatePodUpdate`: only images, activeDeadlineSeconds, toleration additions and
/// terminationGracePeriodSeconds may change. The real message ends with a Go `cmp.Diff`
/// of the internal PodSpec; here it is a `-`/`+` list of the changed spec fields.
pub fn pod_update(new: &Value, old: &Value) -> Vec<FieldError> {
    let empty = Value::Null;
    let new_spec = new.get("spec").unwrap_or(&empty);
    let old_spec = old.get("spec").unwrap_or(&empty);
    let mut munged = new_spec.clone();
    if let (Value::Object(m), Value::Object(o)) = (&mut munged, old_spec) {
        for list_name in ["containers", "initContainers"] {
            if let (Some(Value::Array(new_list)), Some(Value::Array(old_list))) =
                (m.get_mut(list_name), o.get(list_name))
            {
                if new_list.len() == old_list.len() {
                    for (n, o) in new_list.iter_mut().zip(old_list) {
                        if let (Some(n), Some(image)) = (n.as_object_mut(), o.get("image")) {
                            n.insert("image".into(), image.clone());
                        }
                    }
                }
            }
        }
        for key in ["activeDeadlineSeconds", "terminationGracePeriodSeconds"] {
            match o.get(key) {
                Some(v) => m.insert(key.into(), v.clone()),
                None => m.remove(key),
            };
        }
        let old_tolerations = list(old_spec, "tolerations");
        let new_tolerations = list(new_spec, "tolerations");
        if old_tolerations.iter().all(|t| new_tolerations.contains(t)) {
            match o.get("tolerations") {
                Some(v) => m.insert("tolerations".into(), v.clone()),
                None => m.remove("tolerations"),
            };
        }
    }
    if &munged == old_spec {
        return vec![];
    }
    vec![FieldError::forbidden(
        "spec",
        format!("{POD_UPDATE_MSG}\n{}", spec_diff(old_spec, &munged)),
    )]
}

fn spec_diff(old: &Value, new: &Value) -> String {
    let mut keys: BTreeSet<&String> = BTreeSet::new();
    keys.extend(old.as_object().into_iter().flat_map(|m| m.keys()));
    keys.extend(new.as_object().into_iter().flat_map(|m| m.keys()));
    let mut out = String::from("  v1.PodSpec{\n");
    for k in keys {
        let (o, n) = (old.get(k.as_str()), new.get(k.as_str()));
        if o != n {
            if let Some(o) = o {
                out.push_str(&format!("- \t{k}: {o},\n"));
            }
            if let Some(n) = n {
                out.push_str(&format!("+ \t{k}: {n},\n"));
            }
        }
    }
    out.push_str("  }\n");
    out
}
