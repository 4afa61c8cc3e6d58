//! PersistentVolumeClaim validation (pkg/apis/core/validation:
//! `ValidatePersistentVolumeClaimSpec`), used for PVCs themselves and, since Kubernetes
//! 1.34 (kubernetes#132212), for a StatefulSet's `volumeClaimTemplates`: a template the
//! controller could never turn into a PVC is refused when the StatefulSet is written,
//! instead of surfacing later as a FailedCreate event on every pod.

use crate::sim::admission::quantity;
use crate::sim::errors::FieldError;
use serde_json::Value;

const READ_WRITE_ONCE_POD: &str = "ReadWriteOncePod";
/// `supportedAccessModes`, in the sorted order Go's `sets.List` prints.
const ACCESS_MODES: &[&str] = &[
    "ReadOnlyMany",
    "ReadWriteMany",
    "ReadWriteOnce",
    READ_WRITE_ONCE_POD,
];

/// The checks of `ValidatePersistentVolumeClaimSpec` at `path` (`spec`, or
/// `spec.volumeClaimTemplates[0].spec`): access modes and the storage request.
pub fn claim_spec(spec: &Value, path: &str) -> Vec<FieldError> {
    let mut errs = vec![];
    let modes: Vec<&Value> = spec
        .get("accessModes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .collect();
    if modes.is_empty() {
        errs.push(FieldError::required(
            format!("{path}.accessModes"),
            "at least 1 access mode is required",
        ));
    }
    for mode in &modes {
        if !mode.as_str().is_some_and(|m| ACCESS_MODES.contains(&m)) {
            errs.push(FieldError::not_supported(
                format!("{path}.accessModes"),
                (*mode).clone(),
                ACCESS_MODES,
            ));
        }
    }
    let once_pod = modes
        .iter()
        .any(|m| m.as_str() == Some(READ_WRITE_ONCE_POD));
    if once_pod && modes.len() > 1 {
        errs.push(FieldError::forbidden(
            format!("{path}.accessModes"),
            "may not use ReadWriteOncePod with other access modes",
        ));
    }
    let storage_path = format!("{path}.resources[storage]");
    match spec.pointer("/resources/requests/storage") {
        None | Some(Value::Null) => errs.push(FieldError::required(storage_path, "")),
        Some(value) => {
            let text = match value {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            // A malformed quantity is refused by the decoder before validation runs.
            if let Ok(canonical) = quantity::canonicalize(&text) {
                if canonical == "0" || canonical.starts_with('-') {
                    errs.push(FieldError::invalid(
                        storage_path,
                        Value::String(canonical),
                        "must be greater than zero",
                    ));
                }
            }
        }
    }
    errs
}

/// `volumeClaimTemplates[i].spec` of a StatefulSet.
pub fn claim_templates(spec: &Value) -> Vec<FieldError> {
    spec.get("volumeClaimTemplates")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
        .flat_map(|(i, claim)| {
            claim_spec(
                claim.get("spec").unwrap_or(&Value::Null),
                &format!("spec.volumeClaimTemplates[{i}].spec"),
            )
        })
        .collect()
}
