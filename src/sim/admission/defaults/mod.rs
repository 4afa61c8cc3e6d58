//! Defaulting: `SetDefaults_*` (pkg/apis/*/v1/defaults.go) and the defaulting admission
//! plugins, per kind.

use super::AdmissionContext;
use crate::sim::resources::ResourceType;
use serde_json::Value;

pub fn apply(_rt: &ResourceType, _obj: &mut Value, _ctx: &mut AdmissionContext) {}
