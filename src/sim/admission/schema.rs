//! The OpenAPI schema of every built-in kind, as compact data: per definition its Go type
//! name and its fields (JSON name and type). The generic decoder ([`super::decode`])
//! walks a manifest against it, which is what lets the page drop the k8s-openapi types
//! (and their serde code) it used to decode through only to throw away.
//!
//! `schema/table.txt` is generated from k8s-openapi's own schemas by
//! `tests/admission/schema_generate.rs` (a unit test of this module, with k8s-openapi a
//! dev-dependency) and checked up to date on
//! every `cargo test`. It is parsed once, on first use.

use std::collections::HashMap;
use std::sync::OnceLock;

// The generator writes the table file, so it lives under tests/ (src/sim stays free of
// I/O, tests/purity.rs).
#[cfg(test)]
#[path = "../../../tests/admission/schema_generate.rs"]
mod generate;

pub(crate) static TABLE_TEXT: &str = include_str!("schema/table.txt");

/// The type of a field, as the apiserver's Go decoder sees it.
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    String,
    Bool,
    Int32,
    Int64,
    Float64,
    /// `[]byte`: a base64 string.
    Bytes,
    /// `resource.Quantity`: a string or a number, canonicalized.
    Quantity,
    /// `intstr.IntOrString`.
    IntOrString,
    /// `metav1.Time` (RFC 3339, seconds).
    Time,
    /// `metav1.MicroTime` (RFC 3339, microseconds).
    MicroTime,
    /// `runtime.RawExtension`, `apiextensions.JSON`, `FieldsV1`: any JSON, kept as is.
    Any,
    /// `JSONSchemaPropsOrArray`: a schema (the def) or a list of them.
    PropsOrArray(usize),
    /// `JSONSchemaPropsOrBool`: a schema (the def) or a bool.
    PropsOrBool(usize),
    /// `JSONSchemaPropsOrStringArray`: a schema (the def) or a list of strings.
    PropsOrStrings(usize),
    Array(Box<Ty>),
    /// `map[string]T`.
    Map(Box<Ty>),
    /// A struct: an index into [`Table::def`].
    Struct(usize),
}

/// One Go struct.
#[derive(Debug)]
pub struct Def {
    /// The Go type name (`DeploymentSpec`).
    pub name: &'static str,
    /// The Go package's name (`v1`), as Go prints a type: `v1.DeploymentSpec`.
    pub package: &'static str,
    /// Sorted by JSON name.
    fields: Vec<(&'static str, Ty)>,
}

impl Def {
    pub fn field(&self, name: &str) -> Option<&Ty> {
        self.fields
            .binary_search_by(|(n, _)| (*n).cmp(name))
            .ok()
            .map(|i| &self.fields[i].1)
    }
}

#[derive(Debug)]
pub struct Table {
    defs: Vec<Def>,
    kinds: HashMap<(&'static str, &'static str), usize>,
}

impl Table {
    pub fn def(&self, index: usize) -> &Def {
        &self.defs[index]
    }

    /// The struct a built-in kind decodes into, by its apiVersion and kind.
    pub fn kind(&self, api_version: &str, kind: &str) -> Option<usize> {
        self.kinds.get(&(api_version, kind)).copied()
    }
}

/// The table, parsed on first use.
pub fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| parse(TABLE_TEXT).expect("schema/table.txt is generated and tested"))
}

const PROPS: &str = "apiextensions.v1.JSONSchemaProps";

fn parse(text: &'static str) -> Result<Table, String> {
    let lines: Vec<Vec<&'static str>> = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| l.split(' ').collect())
        .collect();
    let index: HashMap<&str, usize> = lines
        .iter()
        .filter(|l| l[0] == "def")
        .enumerate()
        .map(|(i, l)| (l[1], i))
        .collect();
    let struct_of = |key: &str| index.get(key).copied().ok_or(format!("no def {key}"));
    let ty = |code: &str| -> Result<Ty, String> {
        let mut wrappers = Vec::new();
        let mut rest = code;
        while let Some(c) = rest.chars().next().filter(|c| *c == '[' || *c == '{') {
            wrappers.push(c);
            rest = &rest[1..];
        }
        let mut t = match rest {
            "s" => Ty::String,
            "b" => Ty::Bool,
            "i32" => Ty::Int32,
            "i64" => Ty::Int64,
            "f64" => Ty::Float64,
            "y" => Ty::Bytes,
            "q" => Ty::Quantity,
            "n" => Ty::IntOrString,
            "t" => Ty::Time,
            "m" => Ty::MicroTime,
            "*" => Ty::Any,
            "PA" => Ty::PropsOrArray(struct_of(PROPS)?),
            "PB" => Ty::PropsOrBool(struct_of(PROPS)?),
            "PS" => Ty::PropsOrStrings(struct_of(PROPS)?),
            key => Ty::Struct(struct_of(key)?),
        };
        for w in wrappers.into_iter().rev() {
            t = if w == '[' {
                Ty::Array(Box::new(t))
            } else {
                Ty::Map(Box::new(t))
            };
        }
        Ok(t)
    };
    let mut table = Table {
        defs: Vec::with_capacity(index.len()),
        kinds: HashMap::new(),
    };
    for line in &lines {
        match line.as_slice() {
            ["kind", api_version, kind, key] => {
                table.kinds.insert((api_version, kind), struct_of(key)?);
            }
            ["def", key, fields @ ..] => {
                let mut parts = key.rsplitn(3, '.');
                let name = parts.next().unwrap_or_default();
                let package = parts.next().unwrap_or_default();
                let fields = fields
                    .iter()
                    .map(|f| {
                        let (name, code) = f.split_once(':').ok_or(format!("field {f}"))?;
                        Ok((name, ty(code)?))
                    })
                    .collect::<Result<Vec<_>, String>>()?;
                if !fields.is_sorted_by(|a, b| a.0 < b.0) {
                    return Err(format!("{key}: fields not sorted"));
                }
                table.defs.push(Def {
                    name,
                    package,
                    fields,
                });
            }
            other => return Err(format!("bad line {other:?}")),
        }
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_parses_and_knows_the_common_kinds() {
        let t = parse(TABLE_TEXT).unwrap();
        let deployment = t.def(t.kind("apps/v1", "Deployment").unwrap());
        assert_eq!((deployment.name, deployment.package), ("Deployment", "v1"));
        let Some(Ty::Struct(spec)) = deployment.field("spec") else {
            panic!("spec")
        };
        assert_eq!(t.def(*spec).field("replicas"), Some(&Ty::Int32));
        let hpa = t
            .def(t.kind("autoscaling/v2", "HorizontalPodAutoscaler").unwrap())
            .field("spec")
            .cloned();
        let Some(Ty::Struct(hpa_spec)) = hpa else {
            panic!("hpa spec")
        };
        assert_eq!(t.def(hpa_spec).package, "v2");
        assert!(t.kind("v1", "Widget").is_none());
    }
}
