//! Admission: what the apiserver does to a manifest between the wire and storage.
//!
//! Three steps, in the order the apiserver runs them (k8s.io/apiserver
//! `endpoints/handlers/create.go`):
//! 1. [`decode`]: decoding of the object at its version against its kind's OpenAPI
//!    schema, with strict field validation (unknown fields), Go-worded type errors,
//!    Quantity canonicalization and Secret `stringData` conversion;
//! 2. [`apply_defaults`]: the `SetDefaults_*` functions of the kind plus the defaulting
//!    admission plugins (ServiceAccount, DefaultTolerationSeconds, Priority);
//! 3. [`validate`]: the kind's `Validate*` functions, for create and for update.
//!
//! Everything here is pure: no storage access, randomness only through the context.

mod base64;
pub(crate) mod decode;
mod defaults;
pub mod quantity;
pub(crate) mod schema;
mod validation;

use crate::sim::errors::{ApiError, FieldError};
use crate::sim::resources::ResourceType;
use serde_json::Value;
pub(crate) use validation::{label_value, qualified_name};

/// How unknown fields are treated (kubectl `--validate=strict|warn|false`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldValidation {
    /// Unknown fields are a BadRequest error (kubectl's default).
    Strict,
    /// Unknown fields are dropped and reported as warnings.
    Warn,
    /// Unknown fields are dropped silently.
    Ignore,
}

/// What defaulting may draw on: the simulation's RNG (the `kube-api-access-xxxxx`
/// volume name) and its clock.
pub struct AdmissionContext<'a> {
    pub rng: &'a mut crate::sim::rng::Rng,
    pub now: crate::sim::time::Millis,
}

/// A decoded object: the object as the apiserver would store it, and the warnings to show.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    pub object: Value,
    pub warnings: Vec<String>,
}

/// Decodes a manifest object of a built-in kind at `version` the way the apiserver does.
///
/// Kinds without a schema in the table (custom resources) pass through unchanged.
pub fn decode(
    rt: &ResourceType,
    version: &str,
    raw: Value,
    validation: FieldValidation,
) -> Result<Decoded, ApiError> {
    decode::decode(rt, version, raw, validation)
}

/// `SetDefaults_*` for the kind, plus the defaulting admission plugins.
///
/// Call it on the incoming object only; it fills empty fields and never overwrites.
/// For Jobs, `metadata.uid` must already be set (the selector is built from it).
pub fn apply_defaults(rt: &ResourceType, obj: &mut Value, ctx: &mut AdmissionContext) {
    defaults::apply(rt, obj, ctx)
}

/// Validation for create (`old = None`) and update (`old = Some(live object)`).
pub fn validate(rt: &ResourceType, obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
    validation::validate(rt, obj, old)
}

/// Standard base64 (what Secret `data` holds), for the console's `create secret`.
pub fn encode_base64(data: &[u8]) -> String {
    base64::encode(data)
}

/// Standard base64 decoding (Secret `data`); `None` for malformed input.
pub fn decode_base64(src: &str) -> Option<Vec<u8>> {
    base64::decode(src).ok()
}
