//! The typed decoder that [`super`] replaced, kept for tests only: every built-in kind
//! round-trips through its `k8s-openapi` type (the table at the bottom) via
//! `serde_ignored` (unknown fields) around `serde_path_to_error` (where a type error
//! happened), with type errors reworded as Go's `encoding/json` words them by probing the
//! typed decoder for Go struct and type names (see [`go_type_error`]).
//!
//! It is the oracle of the differential tests (the generic decoder must give the same
//! object, warnings and errors) and lists the kinds and types the schema generator reads.
//! k8s-openapi, serde_ignored and serde_path_to_error are dev-dependencies: none of this
//! reaches the binary or the page.

use crate::sim::admission::{base64, quantity, Decoded, FieldValidation};
use crate::sim::errors::ApiError;
use crate::sim::resources::ResourceType;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

/// One step of a path into a JSON value.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
}

/// Why a typed decode failed: where, and serde's message.
#[derive(Debug)]
pub(crate) struct Failure {
    path: Vec<Step>,
    message: String,
}

/// Deserialize + serialize one typed kind; also reports the unknown fields.
pub(crate) type RoundTrip = fn(&Value) -> Result<(Value, Vec<String>), Failure>;

pub(crate) fn decode(
    rt: &ResourceType,
    version: &str,
    raw: Value,
    validation: FieldValidation,
) -> Result<Decoded, ApiError> {
    let kind = rt.kind.as_str();
    let api_version = rt.api_version_for(version);
    let fail = |detail: String| {
        ApiError::bad_request(format!(
            "{kind} in version {} cannot be handled as a {kind}: {detail}",
            crate::sim::errors::go_quote(version)
        ))
    };
    let mut input = strip_nulls(raw);
    if let Value::Object(map) = &mut input {
        map.insert("apiVersion".into(), Value::String(api_version.clone()));
        map.insert("kind".into(), Value::String(kind.to_string()));
    }
    let Some(round_trip) = typed(&api_version, kind) else {
        // No typed schema (a custom resource): stored as given.
        return Ok(Decoded {
            object: input,
            warnings: vec![],
        });
    };
    if kind == "Secret" && rt.group.is_empty() {
        check_secret_data(&input).map_err(fail)?;
    }
    let (mut object, unknown) = match round_trip(&input) {
        Ok(ok) => ok,
        Err(failure) => return Err(fail(go_type_error(round_trip, &input, &failure))),
    };
    // A CRD's schema uses keys like `default` and `max` for other things.
    if rt.group != "apiextensions.k8s.io" {
        canonicalize_quantities(&mut object, None).map_err(|e| fail(e.to_string()))?;
    }
    let warnings = match validation {
        FieldValidation::Strict if !unknown.is_empty() => {
            let list: Vec<String> = unknown
                .iter()
                .map(|p| format!("unknown field \"{p}\""))
                .collect();
            return Err(fail(format!("strict decoding error: {}", list.join(", "))));
        }
        FieldValidation::Warn => unknown
            .iter()
            .map(|p| format!("unknown field \"{p}\""))
            .collect(),
        _ => vec![],
    };
    prune_absent(&mut object, &input);
    drop_empty_lists(&mut object);
    if kind == "Secret" && rt.group.is_empty() {
        merge_string_data(&mut object);
    }
    Ok(Decoded { object, warnings })
}

/// Go's decoder treats `null` as "leave the zero value"; serde would reject it for
/// required fields, so nulls inside objects are dropped up front.
fn strip_nulls(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, strip_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(strip_nulls).collect()),
        other => other,
    }
}

/// k8s-openapi writes required fields even when the manifest left them out (`selector:
/// {}`); Go would have left a nil pointer. Keys the input did not have are removed so
/// that validation sees what the user sent.
fn prune_absent(out: &mut Value, input: &Value) {
    match (out, input) {
        (Value::Object(out), Value::Object(input)) => {
            out.retain(|k, _| input.contains_key(k));
            for (k, v) in out.iter_mut() {
                if let Some(i) = input.get(k) {
                    prune_absent(v, i);
                }
            }
        }
        (Value::Array(out), Value::Array(input)) => {
            for (o, i) in out.iter_mut().zip(input) {
                prune_absent(o, i);
            }
        }
        _ => {}
    }
}

/// Lists are `omitempty` (and protobuf storage cannot tell empty from nil): `args: []`
/// is not stored. Empty label and annotation maps go the same way.
fn drop_empty_lists(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.retain(|k, v| match v {
                Value::Array(a) => !a.is_empty(),
                Value::Object(o) => !(o.is_empty() && (k == "labels" || k == "annotations")),
                _ => true,
            });
            map.values_mut().for_each(drop_empty_lists);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_empty_lists),
        _ => {}
    }
}

/// Secret `data` values are `[]byte`: Go's JSON decoder base64-decodes them strictly.
fn check_secret_data(input: &Value) -> Result<(), String> {
    let Some(Value::Object(data)) = input.get("data") else {
        return Ok(());
    };
    for value in data.values() {
        if let Value::String(s) = value {
            base64::decode(s).map_err(base64::corrupt)?;
        }
    }
    Ok(())
}

/// v1 → internal conversion of a Secret: `stringData` entries overwrite `data`
/// (pkg/apis/core/v1/conversion.go `Convert_v1_Secret_To_core_Secret`).
fn merge_string_data(object: &mut Value) {
    let Some(Value::Object(map)) = Some(object) else {
        return;
    };
    let Some(Value::Object(string_data)) = map.remove("stringData") else {
        return;
    };
    let data = map
        .entry("data")
        .or_insert_with(|| Value::Object(Map::new()));
    if let Value::Object(data) = data {
        for (k, v) in string_data {
            let text = v.as_str().unwrap_or_default().to_string();
            data.insert(k, Value::String(base64::encode(text.as_bytes())));
        }
    }
}

/// Fields whose values are `resource.Quantity`, by the key that holds them.
const QUANTITY_MAPS: &[&str] = &[
    "limits",
    "requests",
    "capacity",
    "allocatable",
    "hard",
    "used",
    "max",
    "min",
    "default",
    "defaultRequest",
    "maxLimitRequestRatio",
    "overhead",
];
const QUANTITY_FIELDS: &[&str] = &["sizeLimit", "averageValue"];

/// Canonicalizes every Quantity (`0.5` → `500m`), failing like `ParseQuantity`.
fn canonicalize_quantities(value: &mut Value, key: Option<&str>) -> Result<(), &'static str> {
    match value {
        Value::Object(map) => {
            let is_quantity_map = key.is_some_and(|k| QUANTITY_MAPS.contains(&k));
            let is_metric_target = key.is_some_and(|k| k == "target" || k == "current");
            for (k, v) in map.iter_mut() {
                let quantity = (is_quantity_map && v.is_string())
                    || (QUANTITY_FIELDS.contains(&k.as_str()) && v.is_string())
                    || (is_metric_target && k == "value" && v.is_string());
                if quantity {
                    let canonical = quantity::canonicalize(v.as_str().unwrap_or_default())?;
                    *v = Value::String(canonical);
                } else {
                    canonicalize_quantities(v, Some(k))?;
                }
            }
            Ok(())
        }
        Value::Array(items) => items
            .iter_mut()
            .try_for_each(|v| canonicalize_quantities(v, key)),
        _ => Ok(()),
    }
}

fn round_trip_as<T: DeserializeOwned + Serialize>(
    input: &Value,
) -> Result<(Value, Vec<String>), Failure> {
    let mut unknown = Vec::new();
    let mut track = serde_path_to_error::Track::new();
    let result: Result<T, serde_json::Error> = {
        let de = serde_path_to_error::Deserializer::new(input, &mut track);
        serde_ignored::deserialize(de, |path| unknown.push(render_ignored(&path)))
    };
    match result {
        Ok(typed) => match serde_json::to_value(&typed) {
            Ok(value) => Ok((value, unknown)),
            Err(e) => Err(Failure {
                path: vec![],
                message: e.to_string(),
            }),
        },
        Err(e) => {
            let path = track
                .path()
                .iter()
                .filter_map(|s| match s {
                    serde_path_to_error::Segment::Map { key } => Some(Step::Key(key.clone())),
                    serde_path_to_error::Segment::Seq { index } => Some(Step::Index(*index)),
                    _ => None,
                })
                .collect();
            Err(Failure {
                path,
                message: e.to_string(),
            })
        }
    }
}

/// `spec.template.spec.containers[0].imagePullPolcy`: how the apiserver names a field.
fn render_ignored(path: &serde_ignored::Path) -> String {
    let mut steps = Vec::new();
    let mut current = path;
    loop {
        match current {
            serde_ignored::Path::Root => break,
            serde_ignored::Path::Seq { parent, index } => {
                steps.push(Step::Index(*index));
                current = parent;
            }
            serde_ignored::Path::Map { parent, key } => {
                steps.push(Step::Key(key.clone()));
                current = parent;
            }
            serde_ignored::Path::Some { parent }
            | serde_ignored::Path::NewtypeStruct { parent }
            | serde_ignored::Path::NewtypeVariant { parent } => current = parent,
        }
    }
    steps.reverse();
    render_path(&steps)
}

fn render_path(steps: &[Step]) -> String {
    let mut out = String::new();
    for step in steps {
        match step {
            Step::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// Rewords a serde failure as Go's `*json.UnmarshalTypeError`:
/// `json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of
/// type int32`.
///
/// serde only says "expected i32"; the Go struct that owns the field, and the names of
/// struct types, are found by decoding copies of the input with a probe value put at a
/// path: the failure then names the type expected there (`expected DeploymentSpec`).
fn go_type_error(round_trip: RoundTrip, input: &Value, failure: &Failure) -> String {
    let Some(expected) = failure
        .message
        .rsplit_once(", expected ")
        .map(|(_, e)| e.to_string())
    else {
        return failure.message.clone();
    };
    let Some(actual) = value_at(input, &failure.path) else {
        return failure.message.clone();
    };
    let go_value = match actual {
        Value::String(_) => "string".to_string(),
        Value::Bool(_) => "bool".to_string(),
        Value::Array(_) => "array".to_string(),
        Value::Object(_) => "object".to_string(),
        Value::Number(n) if expected.starts_with('i') || expected.starts_with('u') => {
            if n.as_i64().is_some_and(|v| fits(&expected, v)) {
                "number".to_string()
            } else {
                format!("number {n}")
            }
        }
        _ => "number".to_string(),
    };
    let go_type = go_type_name(round_trip, input, &failure.path, &expected);
    // Walk the path: a key is a Go struct field when the value holding it is a struct.
    let mut fields = Vec::new();
    let mut owner = String::new();
    for (i, step) in failure.path.iter().enumerate() {
        if let Step::Key(key) = step {
            if let Some(name) = probe(round_trip, input, &failure.path[..i], Value::Bool(true))
                .filter(|n| is_struct(n))
            {
                fields.push(key.clone());
                owner = name;
            }
        }
    }
    if fields.is_empty() {
        return format!("json: cannot unmarshal {go_value} into Go value of type {go_type}");
    }
    format!(
        "json: cannot unmarshal {go_value} into Go struct field {owner}.{} of type {go_type}",
        fields.join(".")
    )
}

fn fits(expected: &str, v: i64) -> bool {
    match expected {
        "i32" => i32::try_from(v).is_ok(),
        "u32" => u32::try_from(v).is_ok(),
        "u64" | "u16" | "u8" => v >= 0,
        _ => true,
    }
}

fn is_struct(expected: &str) -> bool {
    expected
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_uppercase())
        && !matches!(expected, "IntOrString" | "Quantity" | "Time" | "MicroTime")
}

/// The Go spelling of the type serde expected at `path`.
fn go_type_name(round_trip: RoundTrip, input: &Value, path: &[Step], expected: &str) -> String {
    match expected {
        "i32" => "int32".into(),
        "i64" => "int64".into(),
        "u32" => "uint32".into(),
        "u64" => "uint64".into(),
        "f64" | "f32" => "float64".into(),
        "a boolean" => "bool".into(),
        "a string" | "a borrowed string" => "string".into(),
        "a base64-encoded string" => "[]uint8".into(),
        "IntOrString" => "intstr.IntOrString".into(),
        "Quantity" => "resource.Quantity".into(),
        "Time" | "MicroTime" => format!("v1.{expected}"),
        "a sequence" => {
            let mut element = path.to_vec();
            element.push(Step::Index(0));
            match probe(
                round_trip,
                input,
                path,
                Value::Array(vec![Value::Bool(true)]),
            ) {
                Some(e) if e != "a sequence" => {
                    format!("[]{}", go_type_name(round_trip, input, &element, &e))
                }
                _ => "[]interface {}".into(),
            }
        }
        "a map" => {
            let sample = Value::Object(Map::from_iter([("k".to_string(), Value::Bool(true))]));
            let mut element = path.to_vec();
            element.push(Step::Key("k".into()));
            match probe(round_trip, input, path, sample) {
                Some(e) if e != "a map" => format!(
                    "map[string]{}",
                    go_type_name(round_trip, input, &element, &e)
                ),
                _ => "map[string]interface {}".into(),
            }
        }
        other if is_struct(other) => format!("v1.{other}"),
        other => other.to_string(),
    }
}

/// Decodes a copy of `input` with `replacement` at `path`; returns what serde expected
/// at the first failure (at or under `path`).
fn probe(
    round_trip: RoundTrip,
    input: &Value,
    path: &[Step],
    replacement: Value,
) -> Option<String> {
    let mut copy = input.clone();
    *value_at_mut(&mut copy, path)? = replacement;
    let failure = round_trip(&copy).err()?;
    if !failure.path.starts_with(path) {
        return None;
    }
    failure
        .message
        .rsplit_once(", expected ")
        .map(|(_, e)| e.to_string())
}

fn value_at<'a>(value: &'a Value, path: &[Step]) -> Option<&'a Value> {
    path.iter().try_fold(value, |v, step| match step {
        Step::Key(k) => v.get(k),
        Step::Index(i) => v.get(i),
    })
}

fn value_at_mut<'a>(value: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    path.iter().try_fold(value, |v, step| match step {
        Step::Key(k) => v.get_mut(k),
        Step::Index(i) => v.get_mut(i),
    })
}

/// Every typed built-in kind: matched by the type's own apiVersion and kind.
macro_rules! typed_kinds {
    ($($ty:ty),* $(,)?) => {
        /// The typed round trip of a built-in kind.
        pub(crate) fn typed(api_version: &str, kind: &str) -> Option<RoundTrip> {
            $(
                if api_version == <$ty as k8s_openapi::Resource>::API_VERSION
                    && kind == <$ty as k8s_openapi::Resource>::KIND
                {
                    return Some(round_trip_as::<$ty>);
                }
            )*
            None
        }

        /// Every typed kind: its apiVersion, kind, and the `$ref` schemars gives its type
        /// (the definitions land in `generator`).
        pub(crate) fn schema_roots(
            generator: &mut schemars::SchemaGenerator,
        ) -> Vec<(&'static str, &'static str, schemars::Schema)> {
            vec![$((
                <$ty as k8s_openapi::Resource>::API_VERSION,
                <$ty as k8s_openapi::Resource>::KIND,
                generator.subschema_for::<$ty>(),
            )),*]
        }
    };
}

use k8s_openapi::api::{
    admissionregistration::v1 as admissionregistration, apps::v1 as apps,
    authentication::v1 as authentication, authorization::v1 as authorization,
    autoscaling::v1 as autoscaling_v1, autoscaling::v2 as autoscaling_v2, batch::v1 as batch,
    certificates::v1 as certificates, coordination::v1 as coordination, core::v1 as core,
    discovery::v1 as discovery, events::v1 as events, flowcontrol::v1 as flowcontrol,
    networking::v1 as networking, node::v1 as node, policy::v1 as policy, rbac::v1 as rbac,
    resource::v1 as resource, scheduling::v1 as scheduling, storage::v1 as storage,
};

typed_kinds![
    core::Binding,
    core::ComponentStatus,
    core::ConfigMap,
    core::Endpoints,
    core::Event,
    core::LimitRange,
    core::Namespace,
    core::Node,
    core::PersistentVolumeClaim,
    core::PersistentVolume,
    core::Pod,
    core::PodTemplate,
    core::ReplicationController,
    core::ResourceQuota,
    core::Secret,
    core::ServiceAccount,
    core::Service,
    admissionregistration::MutatingWebhookConfiguration,
    admissionregistration::ValidatingAdmissionPolicy,
    admissionregistration::ValidatingAdmissionPolicyBinding,
    admissionregistration::ValidatingWebhookConfiguration,
    k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition,
    k8s_openapi::kube_aggregator::pkg::apis::apiregistration::v1::APIService,
    apps::ControllerRevision,
    apps::DaemonSet,
    apps::Deployment,
    apps::ReplicaSet,
    apps::StatefulSet,
    authentication::SelfSubjectReview,
    authentication::TokenReview,
    authorization::LocalSubjectAccessReview,
    authorization::SelfSubjectAccessReview,
    authorization::SelfSubjectRulesReview,
    authorization::SubjectAccessReview,
    autoscaling_v2::HorizontalPodAutoscaler,
    autoscaling_v1::HorizontalPodAutoscaler,
    batch::CronJob,
    batch::Job,
    certificates::CertificateSigningRequest,
    coordination::Lease,
    discovery::EndpointSlice,
    events::Event,
    flowcontrol::FlowSchema,
    flowcontrol::PriorityLevelConfiguration,
    networking::IngressClass,
    networking::Ingress,
    networking::IPAddress,
    networking::NetworkPolicy,
    networking::ServiceCIDR,
    node::RuntimeClass,
    policy::PodDisruptionBudget,
    rbac::ClusterRoleBinding,
    rbac::ClusterRole,
    rbac::RoleBinding,
    rbac::Role,
    resource::DeviceClass,
    resource::ResourceClaim,
    resource::ResourceClaimTemplate,
    resource::ResourceSlice,
    scheduling::PriorityClass,
    storage::CSIDriver,
    storage::CSINode,
    storage::CSIStorageCapacity,
    storage::StorageClass,
    storage::VolumeAttachment,
    storage::VolumeAttributesClass,
];
