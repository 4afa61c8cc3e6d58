//! The generator of `www/explain-docs.txt`, the field documentation `kubectl explain`
//! prints, run as a unit test of `console::explain` (declared there with `#[path]`, as
//! the schema table's generator is): it reads every built-in kind's OpenAPI schema from
//! k8s-openapi's `schemars` implementations (a dev-dependency) and writes, per type, its
//! description and its fields with the type kubectl's template would print for them.
//!
//! `explain_docs_are_up_to_date` fails when the committed file differs from what the
//! generator gives; `UPDATE_SCHEMA=1 cargo test --lib explain_docs` rewrites it.

use crate::sim::admission::decode::reference::schema_roots;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

const REF_PREFIX: &str = "#/$defs/";

/// `io.k8s.api.apps.v1.DeploymentSpec` → `apps.v1.DeploymentSpec` (as the schema table
/// keys its definitions).
fn key(name: &str) -> String {
    let parts: Vec<&str> = name.rsplitn(4, '.').collect();
    format!("{}.{}.{}", parts[2], parts[1], parts[0])
}

/// A description on one line: backslashes and newlines escaped.
fn escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('\n', "\\n")
}

struct Generator<'a> {
    defs: &'a Map<String, Value>,
    /// key → rendered lines (the `def` line and its `field` lines)
    out: BTreeMap<String, Vec<String>>,
    pending: Vec<String>,
}

impl Generator<'_> {
    fn referenced<'d>(&self, schema: &Value) -> Option<(String, &'d Value)>
    where
        Self: 'd,
    {
        let r = schema.get("$ref").and_then(Value::as_str)?;
        let name = r.strip_prefix(REF_PREFIX).expect("a local $ref");
        let def = self
            .defs
            .get(name)
            .unwrap_or_else(|| panic!("no definition {name}"));
        Some((name.to_string(), def))
    }

    /// kubectl's `typeGuess` (plaintext.tmpl) and the definition whose description and
    /// fields stand behind the field: `[]Container` → `core.v1.Container`.
    fn guess(&mut self, schema: &Value) -> (String, Option<String>) {
        if let Some(items) = schema.get("items") {
            let (ty, target) = self.guess(items);
            return (format!("[]{ty}"), target);
        }
        if let Some(values) = schema.get("additionalProperties").filter(|v| v.is_object()) {
            let (ty, target) = self.guess(values);
            return (format!("map[string]{ty}"), target);
        }
        if let Some((name, def)) = self.referenced(schema) {
            self.pending.push(name.clone());
            let ty = match def.get("type").and_then(Value::as_str) {
                None | Some("object") => name.rsplit('.').next().expect("a name").to_string(),
                Some(other) => other.to_string(),
            };
            return (ty, Some(key(&name)));
        }
        let ty = match schema.get("type").and_then(Value::as_str) {
            None | Some("object") => "Object",
            Some(other) => other,
        };
        (ty.to_string(), None)
    }

    fn definition(&mut self, name: &str) {
        let k = key(name);
        if self.out.contains_key(&k) {
            return;
        }
        self.out.insert(k.clone(), vec![]);
        let schema = self.defs[name].clone();
        let description = schema
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or("");
        let mut lines = vec![format!("def {k} {}", escape(description))];
        let required: BTreeSet<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let empty = Map::new();
        let properties = schema
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        for (field, s) in properties {
            let (ty, target) = self.guess(s);
            assert!(!ty.contains(' ') && !field.contains(' '), "{name}.{field}");
            let description = s.get("description").and_then(Value::as_str).unwrap_or("");
            lines.push(format!(
                "field {field} {ty} {} {} {}",
                // k8s-openapi requires every resource's `metadata` (its Rust field is
                // not optional); the apiserver's schema does not.
                if required.contains(field.as_str()) && field != "metadata" {
                    "!"
                } else {
                    "-"
                },
                target.as_deref().unwrap_or("-"),
                escape(description)
            ));
        }
        self.out.insert(k, lines);
    }
}

/// The whole file, as committed.
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
        let (_, target) = g.guess(schema.as_value());
        let target = target.expect("a kind is a definition");
        kinds.insert(format!("kind {api_version} {kind} {target}"));
    }
    while let Some(name) = g.pending.pop() {
        g.definition(&name);
    }
    let mut text = String::from(
        "# The field documentation of every built-in kind, for `kubectl explain`.\n\
         # Generated from k8s-openapi (v1_34) by `UPDATE_SCHEMA=1 cargo test --lib explain_docs`;\n\
         # do not edit. `kind APIVERSION KIND DEF`; `def KEY DESCRIPTION` and its\n\
         # `field NAME TYPE REQUIRED(!|-) DEF|- DESCRIPTION` lines (descriptions with \\n escaped).\n",
    );
    for k in &kinds {
        text.push_str(k);
        text.push('\n');
    }
    for lines in g.out.values() {
        for line in lines {
            text.push_str(line);
            text.push('\n');
        }
    }
    text
}

#[test]
fn explain_docs_are_up_to_date() {
    let fresh = generate();
    if fresh == super::docs::DOCS_TEXT {
        return;
    }
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/www/explain-docs.txt");
        std::fs::write(path, &fresh).expect("write the explain docs");
        return;
    }
    panic!("www/explain-docs.txt is stale: run `UPDATE_SCHEMA=1 cargo test --lib explain_docs` to regenerate it");
}
