//! Decoding a manifest the way the apiserver's JSON serializer does
//! (k8s.io/apimachinery `runtime/serializer/json`, sigs.k8s.io/json, apiserver
//! `endpoints/handlers/rest.go` `transformDecodeError`), by walking it against the
//! OpenAPI schema of its kind ([`super::schema`]) instead of through typed structs.
//!
//! One generic walk does what Go's decoder does to the typed object: it reports unknown
//! fields (strict field validation) with their paths (`spec.containers[0].imagee`), fails
//! on the first value of the wrong JSON type with Go's `*json.UnmarshalTypeError` wording
//! (`json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of
//! type int32`), and gives back the normalized object the apiserver would store:
//! quantities canonicalized, times in UTC, `[]byte` re-encoded, unknown fields dropped,
//! empty lists dropped, Secret `stringData` merged.

mod time;

#[cfg(test)]
pub(crate) mod reference;

use super::schema::{self, Ty};
use super::{base64, quantity, Decoded, FieldValidation};
use crate::sim::errors::ApiError;
use crate::sim::resources::ResourceType;
use serde_json::{Map, Value};

pub fn decode(
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
    let table = schema::table();
    let Some(def) = table.kind(&api_version, kind) else {
        // No schema (a custom resource): stored as given.
        return Ok(Decoded {
            object: input,
            warnings: vec![],
        });
    };
    if kind == "Secret" && rt.group.is_empty() {
        // Every `data` value is checked before anything else is decoded.
        check_secret_data(&input).map_err(fail)?;
    }
    let mut walk = Walk {
        table,
        path: vec![],
        fields: vec![],
        unknown: vec![],
        quantity_error: None,
    };
    let mut object = walk.value(&Ty::Struct(def), input).map_err(fail)?;
    // Go parses a Quantity only after the whole object decoded (resource.Quantity's own
    // UnmarshalJSON runs in the same pass, but a type error anywhere wins: it is what
    // the typed decoder stopped at).
    if let Some(e) = walk.quantity_error {
        return Err(fail(e.to_string()));
    }
    let unknown = walk.unknown;
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
    drop_empty_lists(&mut object);
    if kind == "Secret" && rt.group.is_empty() {
        merge_string_data(&mut object);
    }
    Ok(Decoded { object, warnings })
}

/// One step of a path into a JSON value.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
}

/// The walk of one object against the schema.
struct Walk<'t> {
    table: &'t schema::Table,
    /// Where the walk is: every key and index.
    path: Vec<Step>,
    /// The struct fields on the path, with the Go struct that owns each: Go names a
    /// field by these only (`ContainerPort.spec.containers.ports.containerPort`).
    fields: Vec<(&'static str, String)>,
    /// Unknown fields, in the order the decoder meets them.
    unknown: Vec<String>,
    /// The first Quantity that does not parse.
    quantity_error: Option<&'static str>,
}

impl Walk<'_> {
    /// Decodes `value` as a `ty`: the normalized value, or the error message.
    fn value(&mut self, ty: &Ty, value: Value) -> Result<Value, String> {
        if value.is_null() {
            // Go leaves the zero value (nulls inside objects are already gone).
            return Ok(zero(ty));
        }
        match (ty, value) {
            (Ty::Struct(def), Value::Object(map)) => self.object(*def, map),
            (Ty::String, v @ Value::String(_)) | (Ty::Bool, v @ Value::Bool(_)) | (Ty::Any, v) => {
                Ok(v)
            }
            (Ty::Int32, Value::Number(n))
                if n.as_i64().is_some_and(|v| i32::try_from(v).is_ok()) =>
            {
                Ok(Value::from(n.as_i64().unwrap_or_default()))
            }
            (Ty::Int64, Value::Number(n)) if n.as_i64().is_some() => Ok(Value::Number(n)),
            (Ty::Float64, Value::Number(n)) => Ok(Value::from(n.as_f64().unwrap_or_default())),
            (Ty::IntOrString, v @ Value::String(_)) => Ok(v),
            (Ty::IntOrString, Value::Number(n))
                if n.as_i64().is_some_and(|v| i32::try_from(v).is_ok()) =>
            {
                Ok(Value::from(n.as_i64().unwrap_or_default()))
            }
            (Ty::Bytes, Value::String(s)) => base64::decode(&s)
                .map(|bytes| Value::String(base64::encode(&bytes)))
                .map_err(base64::corrupt),
            (Ty::Quantity, Value::String(s)) => Ok(self.quantity(s)),
            (Ty::Quantity, Value::Number(n)) => {
                // resource.Quantity takes a bare number as its decimal text.
                let text = match (n.as_u64(), n.as_i64(), n.as_f64()) {
                    (Some(u), _, _) => u.to_string(),
                    (_, Some(i), _) => i.to_string(),
                    (_, _, f) => f.unwrap_or_default().to_string(),
                };
                Ok(self.quantity(text))
            }
            (Ty::Time, Value::String(s)) => time::normalize(&s, false).map(Value::String),
            (Ty::MicroTime, Value::String(s)) => time::normalize(&s, true).map(Value::String),
            (
                Ty::PropsOrArray(def) | Ty::PropsOrBool(def) | Ty::PropsOrStrings(def),
                Value::Object(map),
            ) => self.object(*def, map),
            (Ty::PropsOrArray(def), v @ Value::Array(_)) => {
                self.value(&Ty::Array(Box::new(Ty::Struct(*def))), v)
            }
            (Ty::PropsOrBool(_), v @ Value::Bool(_)) => Ok(v),
            (Ty::PropsOrStrings(_), v @ Value::Array(_)) => {
                self.value(&Ty::Array(Box::new(Ty::String)), v)
            }
            (Ty::Array(item), Value::Array(items)) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, v) in items.into_iter().enumerate() {
                    self.path.push(Step::Index(i));
                    out.push(self.value(item, v)?);
                    self.path.pop();
                }
                Ok(Value::Array(out))
            }
            (Ty::Map(item), Value::Object(map)) => {
                let mut out = Map::new();
                for (k, v) in map {
                    self.path.push(Step::Key(k.clone()));
                    out.insert(k, self.value(item, v)?);
                    self.path.pop();
                }
                Ok(Value::Object(out))
            }
            (ty, value) => Err(self.type_error(ty, &value)),
        }
    }

    /// A struct: known fields decoded, unknown ones noted and dropped.
    fn object(&mut self, def: usize, map: Map<String, Value>) -> Result<Value, String> {
        let def = self.table.def(def);
        let mut out = Map::new();
        for (k, v) in map {
            self.path.push(Step::Key(k.clone()));
            match def.field(&k) {
                Some(ty) => {
                    self.fields.push((def.name, k.clone()));
                    out.insert(k, self.value(ty, v)?);
                    self.fields.pop();
                }
                None => self.unknown.push(render_path(&self.path)),
            }
            self.path.pop();
        }
        Ok(Value::Object(out))
    }

    /// Canonicalizes a Quantity (`0.5` → `500m`), noting the first that fails to parse.
    fn quantity(&mut self, text: String) -> Value {
        match quantity::canonicalize(&text) {
            Ok(canonical) => Value::String(canonical),
            Err(e) => {
                self.quantity_error.get_or_insert(e);
                Value::String(text)
            }
        }
    }

    /// Go's `*json.UnmarshalTypeError` for `value` where a `ty` belongs.
    fn type_error(&self, ty: &Ty, value: &Value) -> String {
        let go_value = match value {
            Value::String(_) => "string".to_string(),
            Value::Bool(_) => "bool".to_string(),
            Value::Array(_) => "array".to_string(),
            Value::Object(_) => "object".to_string(),
            // Into an integer, Go names the number it could not store.
            Value::Number(n) if matches!(ty, Ty::Int32 | Ty::Int64) => format!("number {n}"),
            _ => "number".to_string(),
        };
        let go_type = self.go_type(ty);
        let Some((owner, _)) = self.fields.last() else {
            return format!("json: cannot unmarshal {go_value} into Go value of type {go_type}");
        };
        let fields: Vec<&str> = self.fields.iter().map(|(_, f)| f.as_str()).collect();
        format!(
            "json: cannot unmarshal {go_value} into Go struct field {owner}.{} of type {go_type}",
            fields.join(".")
        )
    }

    /// How Go's reflect prints the type (`[]v1.Container`, `map[string]string`).
    fn go_type(&self, ty: &Ty) -> String {
        match ty {
            Ty::String => "string".into(),
            Ty::Bool => "bool".into(),
            Ty::Int32 => "int32".into(),
            Ty::Int64 => "int64".into(),
            Ty::Float64 => "float64".into(),
            Ty::Bytes => "[]uint8".into(),
            Ty::Quantity => "resource.Quantity".into(),
            Ty::IntOrString => "intstr.IntOrString".into(),
            Ty::Time => "v1.Time".into(),
            Ty::MicroTime => "v1.MicroTime".into(),
            Ty::Any => "interface {}".into(),
            Ty::PropsOrArray(_) => "v1.JSONSchemaPropsOrArray".into(),
            Ty::PropsOrBool(_) => "v1.JSONSchemaPropsOrBool".into(),
            Ty::PropsOrStrings(_) => "v1.JSONSchemaPropsOrStringArray".into(),
            Ty::Array(item) => format!("[]{}", self.go_type(item)),
            Ty::Map(item) => format!("map[string]{}", self.go_type(item)),
            Ty::Struct(def) => {
                let def = self.table.def(*def);
                format!("{}.{}", def.package, def.name)
            }
        }
    }
}

/// What Go's decoder leaves for a `null` it meets where a `ty` belongs (in a list; an
/// object's null keys were dropped), as the apiserver would write it back.
fn zero(ty: &Ty) -> Value {
    match ty {
        Ty::Struct(_) => Value::Object(Map::new()),
        Ty::String => Value::String(String::new()),
        Ty::Bool => Value::Bool(false),
        Ty::Int32 | Ty::Int64 | Ty::IntOrString => Value::from(0),
        Ty::Float64 => Value::from(0.0),
        Ty::Quantity => Value::String("0".into()),
        _ => Value::Null,
    }
}

/// `spec.template.spec.containers[0].imagePullPolcy`: how the apiserver names a field.
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

/// Go's decoder treats `null` as "leave the zero value": nulls inside objects are
/// dropped up front, so that a `null` field is the same as an absent one.
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

// The differential tests read the golden scripts and the corpus from disk, so they live
// under tests/ (src/sim stays free of I/O, tests/purity.rs); they are unit tests of this
// module all the same, for the reference decoder is private to it.
#[cfg(test)]
#[path = "../../../tests/admission/decode_differential.rs"]
mod differential;
#[cfg(test)]
mod tests;
