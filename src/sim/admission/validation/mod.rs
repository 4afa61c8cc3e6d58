//! Validation: the kind's `Validate*` functions (pkg/apis/*/validation) with their real
//! field paths and wording. Object metadata first, then the spec, as the apiserver
//! orders its `field.ErrorList`. Kinds without rules here get the metadata checks only.

mod apps;
mod batch;
mod meta;
mod networking;
mod pod;
mod selector;
mod service;
mod storage;

use crate::sim::errors::FieldError;
use crate::sim::resources::ResourceType;
use meta::{config_map_key, invalid_all, NameRule};
/// Label-syntax checks kubectl also runs client-side (`kubectl taint`).
pub(crate) use meta::{label_value, qualified_name};
use serde_json::Value;

pub fn validate(rt: &ResourceType, obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
    let kind = (rt.group.as_str(), rt.kind.as_str());
    let mut errs = meta::object_meta(obj, name_rule(kind));
    errs.extend(match kind {
        ("", "Pod") => pod_errors(obj, old),
        ("", "Service") => service::service(obj, old),
        ("", "ReplicationController") => apps::replication_controller(obj),
        ("", "ConfigMap") => data_keys(obj, &["data", "binaryData"]),
        ("", "Secret") => data_keys(obj, &["data"]),
        ("", "PersistentVolumeClaim") => match old {
            // The spec is immutable but for a storage increase, which is checked on create.
            Some(_) => vec![],
            None => storage::claim_spec(obj.get("spec").unwrap_or(&Value::Null), "spec"),
        },
        ("apps", "Deployment") => apps::deployment(obj, old),
        ("apps", "ReplicaSet") => apps::replica_set(obj, old),
        ("apps", "DaemonSet") => apps::daemon_set(obj, old),
        ("apps", "StatefulSet") => apps::stateful_set(obj, old),
        ("batch", "Job") => batch::job(obj, old),
        ("batch", "CronJob") => batch::cron_job(obj),
        ("networking.k8s.io", "Ingress") => networking::ingress(obj),
        _ => vec![],
    });
    errs
}

/// Which rule `metadata.name` follows (each kind's `ValidateXName`).
fn name_rule(kind: (&str, &str)) -> NameRule {
    match kind {
        ("", "Service") => NameRule::Dns1035,
        ("", "Namespace") => NameRule::Label,
        ("rbac.authorization.k8s.io", _) => NameRule::PathSegment,
        _ => NameRule::Subdomain,
    }
}

fn pod_errors(obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
    match old {
        Some(old) => pod::pod_update(obj, old),
        None => pod::pod_spec(obj.get("spec").unwrap_or(&Value::Null), "spec"),
    }
}

/// `data` keys of ConfigMaps and Secrets, reported at `data[<key>]`.
fn data_keys(obj: &Value, fields: &[&str]) -> Vec<FieldError> {
    let mut errs = vec![];
    for field in fields {
        for key in obj
            .get(*field)
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(k, _)| k)
        {
            errs.extend(invalid_all(
                &format!("{field}[{key}]"),
                key,
                config_map_key(key),
            ));
        }
    }
    errs
}

#[cfg(test)]
mod tests;
