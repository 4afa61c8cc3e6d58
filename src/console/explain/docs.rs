//! The field documentation `kubectl explain` prints: per type its description and its
//! fields (name, the type kubectl's template prints, `-required-`, description, and the
//! type behind the field). Built-in kinds come from `www/explain-docs.txt`, generated from
//! k8s-openapi's schemas; a CustomResourceDefinition's kinds from its
//! `openAPIV3Schema`, converted to the same shape when explained.

use crate::sim::sort::SharedSort;
use serde_json::Value;
use std::collections::HashMap;

/// The generated text (see `tests/explain/docs_generate.rs`). The page does not carry
/// it (107 KiB brotli, more than the rest of the console): it fetches the file the first
/// time `explain` is typed and hands it to [`install`].
#[cfg(not(target_arch = "wasm32"))]
pub(crate) static DOCS_TEXT: &str = include_str!("../../../www/explain-docs.txt");

static BUILTIN: std::sync::OnceLock<Docs> = std::sync::OnceLock::new();

/// Whether the built-in kinds' documentation is at hand (always, natively).
pub fn loaded() -> bool {
    Docs::builtin().is_some()
}

/// The page: the documentation it fetched (a no-op once installed).
pub fn install(text: &str) -> Result<(), String> {
    if BUILTIN.get().is_none() {
        let _ = BUILTIN.set(parse(text)?);
    }
    Ok(())
}

#[derive(Debug, Default)]
pub struct TypeDoc {
    pub description: String,
    /// Sorted by name (Go's templates range over a map's keys in order).
    pub fields: Vec<FieldDoc>,
}

#[derive(Debug)]
pub struct FieldDoc {
    pub name: String,
    /// What kubectl's `typeGuess` prints: `string`, `[]Container`, `map[string]Quantity`.
    pub ty: String,
    pub required: bool,
    pub description: String,
    /// The type behind the field (of its items or values, for a list or a map), whose
    /// description follows the field's and whose fields it has.
    pub target: Option<usize>,
}

/// Types by index; kinds by (apiVersion, kind).
#[derive(Debug, Default)]
pub struct Docs {
    pub types: Vec<TypeDoc>,
    kinds: HashMap<(String, String), usize>,
}

impl Docs {
    pub fn kind(&self, api_version: &str, kind: &str) -> Option<usize> {
        self.kinds
            .get(&(api_version.to_string(), kind.to_string()))
            .copied()
    }

    /// The built-in kinds' documentation, parsed on first use; on the page, `None`
    /// until it has been fetched.
    pub fn builtin() -> Option<&'static Docs> {
        #[cfg(not(target_arch = "wasm32"))]
        return Some(
            BUILTIN.get_or_init(|| {
                parse(DOCS_TEXT).expect("explain-docs.txt is generated and tested")
            }),
        );
        #[cfg(target_arch = "wasm32")]
        BUILTIN.get()
    }

    /// The documentation of a custom resource from its CRD's `openAPIV3Schema`, with
    /// `apiVersion`, `kind` and `metadata` as the apiserver publishes them for every
    /// custom resource; the kind is type 0.
    pub fn custom(schema: &Value, builtin: &Docs) -> Docs {
        let mut docs = Docs::default();
        docs.types.push(TypeDoc::default());
        let mut root = custom_type(&mut docs, schema);
        let pod = &builtin.types[builtin.kind("v1", "Pod").expect("Pod is documented")];
        let mut copied = HashMap::new();
        for common in ["apiVersion", "kind", "metadata"] {
            root.fields.retain(|f| f.name != common);
            let field = pod
                .fields
                .iter()
                .find(|f| f.name == common)
                .expect("common field");
            let target = field
                .target
                .map(|t| copy_type(&mut docs, builtin, t, &mut copied));
            root.fields.push(FieldDoc {
                name: field.name.clone(),
                ty: field.ty.clone(),
                required: false,
                description: field.description.clone(),
                target,
            });
        }
        root.fields.sort_shared_by(|a, b| a.name.cmp(&b.name));
        docs.types[0] = root;
        docs
    }
}

/// A built-in type and the types below it, copied into a custom resource's docs
/// (`copied` maps built-in indices to local ones, so shared types are copied once).
fn copy_type(
    docs: &mut Docs,
    builtin: &Docs,
    index: usize,
    copied: &mut HashMap<usize, usize>,
) -> usize {
    if let Some(local) = copied.get(&index) {
        return *local;
    }
    let local = docs.types.len();
    copied.insert(index, local);
    docs.types.push(TypeDoc::default());
    let source = &builtin.types[index];
    let fields = source
        .fields
        .iter()
        .map(|f| FieldDoc {
            name: f.name.clone(),
            ty: f.ty.clone(),
            required: f.required,
            description: f.description.clone(),
            target: f.target.map(|t| copy_type(docs, builtin, t, copied)),
        })
        .collect();
    docs.types[local] = TypeDoc {
        description: source.description.clone(),
        fields,
    };
    local
}

/// One object of a structural schema as a type; nested objects become types of their own.
fn custom_type(docs: &mut Docs, schema: &Value) -> TypeDoc {
    let description = text(schema, "description");
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut fields = vec![];
    if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
        for (name, field) in properties {
            let (ty, target) = custom_field(docs, field);
            fields.push(FieldDoc {
                name: name.clone(),
                ty,
                required: required.contains(&name.as_str()),
                description: text(field, "description"),
                target,
            });
        }
    }
    fields.sort_shared_by(|a, b| a.name.cmp(&b.name));
    TypeDoc {
        description,
        fields,
    }
}

/// A CRD field's printed type (`typeGuess` on an inline schema: `Object`, `[]Object`,
/// `map[string]string`) and the type its properties make, if any.
fn custom_field(docs: &mut Docs, schema: &Value) -> (String, Option<usize>) {
    if let Some(items) = schema.get("items").filter(|i| i.is_object()) {
        let (ty, target) = custom_field(docs, items);
        return (format!("[]{ty}"), target);
    }
    if let Some(values) = schema.get("additionalProperties").filter(|v| v.is_object()) {
        let (ty, target) = custom_field(docs, values);
        return (format!("map[string]{ty}"), target);
    }
    let ty = match schema.get("type").and_then(Value::as_str) {
        None | Some("object") => "Object".to_string(),
        Some(other) => other.to_string(),
    };
    if schema.get("properties").is_none() {
        return (ty, None);
    }
    let index = docs.types.len();
    docs.types.push(TypeDoc::default());
    let doc = custom_type(docs, schema);
    // The nested type's description is the field's own: the template prints a field's
    // description, then its type's, and an inline schema is both.
    docs.types[index] = TypeDoc {
        description: String::new(),
        fields: doc.fields,
    };
    (ty, Some(index))
}

fn text(schema: &Value, key: &str) -> String {
    schema
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string()
}

fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match (c, c == '\\') {
            (_, true) => match chars.next() {
                Some('n') => out.push('\n'),
                Some(other) => out.push(other),
                None => {}
            },
            (c, false) => out.push(c),
        }
    }
    out
}

pub fn parse(text: &str) -> Result<Docs, String> {
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect();
    let keys: HashMap<&str, usize> = lines
        .iter()
        .filter_map(|l| l.strip_prefix("def "))
        .enumerate()
        .map(|(i, l)| (l.split(' ').next().unwrap_or_default(), i))
        .collect();
    let index = |key: &str| keys.get(key).copied().ok_or(format!("no def {key}"));
    let mut docs = Docs::default();
    for line in lines {
        let (tag, rest) = line.split_once(' ').ok_or(format!("bad line {line:?}"))?;
        match tag {
            "kind" => {
                let parts: Vec<&str> = rest.split(' ').collect();
                let [api_version, kind, key] = parts[..] else {
                    return Err(format!("bad kind line {line:?}"));
                };
                docs.kinds
                    .insert((api_version.into(), kind.into()), index(key)?);
            }
            "def" => {
                let description = rest.split_once(' ').map(|(_, d)| d).unwrap_or("");
                docs.types.push(TypeDoc {
                    description: unescape(description),
                    fields: vec![],
                });
            }
            "field" => {
                let parts: Vec<&str> = rest.splitn(5, ' ').collect();
                let [name, ty, required, target, description] = parts[..] else {
                    return Err(format!("bad field line {line:?}"));
                };
                let field = FieldDoc {
                    name: name.into(),
                    ty: ty.into(),
                    required: required == "!",
                    description: unescape(description),
                    target: match target {
                        "-" => None,
                        key => Some(index(key)?),
                    },
                };
                docs.types
                    .last_mut()
                    .ok_or("a field before any def")?
                    .fields
                    .push(field);
            }
            other => return Err(format!("bad line tag {other:?}")),
        }
    }
    for t in &mut docs.types {
        t.fields.sort_shared_by(|a, b| a.name.cmp(&b.name));
    }
    Ok(docs)
}
