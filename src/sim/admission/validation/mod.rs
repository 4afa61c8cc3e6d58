//! Validation: the kind's `Validate*` functions (pkg/apis/*/validation), per kind.

use crate::sim::errors::FieldError;
use crate::sim::resources::ResourceType;
use serde_json::Value;

pub fn validate(_rt: &ResourceType, _obj: &Value, _old: Option<&Value>) -> Vec<FieldError> {
    vec![]
}
