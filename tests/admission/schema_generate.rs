//! The generator of `src/sim/admission/schema/table.txt`, run as a unit test of the
//! `schema` module (declared there with `#[path]`; cargo does not build files in
//! tests/ subfolders on their own): it reads the OpenAPI schema of every
//! built-in kind from k8s-openapi's `schemars` implementations (a dev-dependency, so the
//! page never links them) and writes the compact table [`super`] parses.
//!
//! `schema_table_is_up_to_date` fails when the committed table differs from what the
//! generator gives; `UPDATE_SCHEMA=1 cargo test --lib schema_table` rewrites it.

use crate::sim::admission::decode::reference::schema_roots;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

const REF_PREFIX: &str = "#/$defs/";

/// Definitions that are not structs: they get a scalar code instead of a line.
fn special(name: &str) -> Option<&'static str> {
    Some(match name {
        "io.k8s.apimachinery.pkg.api.resource.Quantity" => "q",
        "io.k8s.apimachinery.pkg.util.intstr.IntOrString" => "n",
        "io.k8s.apimachinery.pkg.apis.meta.v1.Time" => "t",
        "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime" => "m",
        "io.k8s.apimachinery.pkg.runtime.RawExtension"
        | "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1"
        | "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON" => "*",
        "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrArray" => "PA",
        "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrBool" => "PB",
        "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrStringArray" => {
            "PS"
        }
        _ => return None,
    })
}

/// `io.k8s.api.apps.v1.DeploymentSpec` → `apps.v1.DeploymentSpec`: the group's last
/// word, the Go package and the Go type, unique over the built-in kinds.
fn key(name: &str) -> String {
    let parts: Vec<&str> = name.rsplitn(4, '.').collect();
    format!("{}.{}.{}", parts[2], parts[1], parts[0])
}

struct Generator<'a> {
    defs: &'a Map<String, Value>,
    /// key → (schema name, rendered fields)
    out: BTreeMap<String, (String, Vec<String>)>,
    pending: Vec<String>,
}

impl Generator<'_> {
    fn ty(&mut self, schema: &Value, at: &str) -> String {
        if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
            let name = r.strip_prefix(REF_PREFIX).expect("a local $ref");
            if let Some(code) = special(name) {
                return code.to_string();
            }
            self.pending.push(name.to_string());
            return key(name);
        }
        let format = schema.get("format").and_then(Value::as_str);
        match schema.get("type").and_then(Value::as_str) {
            Some("string") if format == Some("byte") => "y".into(),
            Some("string") => "s".into(),
            Some("boolean") => "b".into(),
            Some("integer") if format == Some("int32") => "i32".into(),
            Some("integer") if format == Some("int64") => "i64".into(),
            Some("number") if format == Some("double") => "f64".into(),
            Some("array") => format!("[{}", self.ty(&schema["items"], at)),
            Some("object") if schema.get("additionalProperties").is_some() => {
                format!("{{{}", self.ty(&schema["additionalProperties"], at))
            }
            _ => panic!("{at}: a schema the table has no code for: {schema}"),
        }
    }

    fn definition(&mut self, name: &str) {
        let k = key(name);
        if let Some((other, _)) = self.out.get(&k) {
            assert_eq!(other, name, "two definitions share the key {k}");
            return;
        }
        let schema = self
            .defs
            .get(name)
            .unwrap_or_else(|| panic!("no definition {name}"));
        self.out.insert(k.clone(), (name.to_string(), vec![]));
        // A struct without fields (`CustomResourceSubresourceStatus`) has no properties.
        let empty = Map::new();
        assert_eq!(schema.get("type"), Some(&Value::from("object")), "{name}");
        let properties = match schema.get("properties") {
            Some(p) => p.as_object().expect("properties"),
            None => &empty,
        };
        let mut fields = Vec::new();
        for (field, s) in properties {
            assert!(
                !field.contains([' ', ':']) && !field.is_empty(),
                "{name}: field {field:?}"
            );
            let ty = self.ty(s, &format!("{name}.{field}"));
            fields.push(format!("{field}:{ty}"));
        }
        fields.sort();
        self.out.get_mut(&k).expect("inserted").1 = fields;
    }
}

/// The whole table, as committed.
pub(crate) fn generate() -> String {
    let mut generator = schemars::SchemaGenerator::default();
    let roots = schema_roots(&mut generator);
    let defs = generator.definitions().clone();
    let mut g = Generator {
        defs: &defs,
        out: BTreeMap::new(),
        pending: vec![],
    };
    let mut kinds = BTreeSet::new();
    for (api_version, kind, schema) in &roots {
        let ty = g.ty(schema.as_value(), kind);
        kinds.insert(format!("kind {api_version} {kind} {ty}"));
    }
    while let Some(name) = g.pending.pop() {
        g.definition(&name);
    }
    let mut text = String::from(
        "# The OpenAPI schema of every built-in kind, for the generic decoder (decode.rs).\n\
         # Generated from k8s-openapi (v1_34) by `UPDATE_SCHEMA=1 cargo test --lib schema_table`;\n\
         # do not edit. `kind APIVERSION KIND DEF`; `def KEY FIELD:TYPE...`, where TYPE is\n\
         # s string, b bool, i32, i64, f64, y []byte (base64), q Quantity, n IntOrString,\n\
         # t Time, m MicroTime, * any JSON, PA/PB/PS JSONSchemaProps or array/bool/strings,\n\
         # [T a list of T, {T a map of T, or a def's KEY (group.package.GoType).\n",
    );
    for k in &kinds {
        text.push_str(k);
        text.push('\n');
    }
    for (k, (_, fields)) in &g.out {
        text.push_str("def ");
        text.push_str(k);
        for f in fields {
            text.push(' ');
            text.push_str(f);
        }
        text.push('\n');
    }
    text
}

#[test]
fn schema_table_is_up_to_date() {
    let fresh = generate();
    if fresh == super::TABLE_TEXT {
        return;
    }
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src/sim/admission/schema/table.txt"
        );
        std::fs::write(path, &fresh).expect("write the schema table");
        return;
    }
    panic!(
        "src/sim/admission/schema/table.txt is stale: run `UPDATE_SCHEMA=1 cargo test --lib schema_table` to regenerate it"
    );
}
