//! `kubectl explain`: the documentation of a kind or of a field path below it, rendered
//! as kubectl v1.34's OpenAPI v3 template (`pkg/explain/v2/templates/plaintext.tmpl`)
//! renders it: the GROUP/KIND/VERSION header, `FIELD: name <type>` for a path, the
//! DESCRIPTION (a field's own, then its type's), and FIELDS with their types and
//! `-required-`, or the whole tree as names and types with `--recursive`.

pub mod docs;
mod wrap;

#[cfg(test)]
#[path = "../../../tests/explain/docs_generate.rs"]
mod generate;

use docs::{Docs, FieldDoc};
use wrap::{indent, wrap};

/// What to explain: the resource's group, kind and version, the documentation holding
/// it (its kind is `root`), and the field path below it.
pub struct Request<'a> {
    pub group: &'a str,
    pub kind: &'a str,
    pub version: &'a str,
    pub docs: &'a Docs,
    pub root: usize,
    pub path: &'a [&'a str],
    pub recursive: bool,
}

pub fn explain(request: &Request) -> Result<String, String> {
    let docs = request.docs;
    let mut out = String::new();
    if !request.group.is_empty() {
        out.push_str(&format!("GROUP:      {}\n", request.group));
    }
    out.push_str(&format!(
        "KIND:       {}\nVERSION:    {}\n\n",
        request.kind, request.version
    ));
    let (description, fields, history) = match request.path.last() {
        None => {
            let root = &docs.types[request.root];
            (paragraph(&root.description), Some(request.root), vec![])
        }
        Some(last) => {
            let field = follow(docs, request.root, request.path)
                .ok_or_else(|| format!("error: field \"{last}\" does not exist"))?;
            out.push_str(&format!("FIELD: {} <{}>\n\n\n", field.name, field.ty));
            let mut description = paragraph(&field.description);
            if let Some(target) = field.target {
                description.push_str(&paragraph(&docs.types[target].description));
            }
            (
                description,
                field.target,
                field.target.into_iter().collect(),
            )
        }
    };
    out.push_str("DESCRIPTION:\n");
    let description = if description.is_empty() {
        "<empty>".to_string()
    } else {
        description
    };
    out.push_str(&indent(4, &wrap(&description, 76)));
    out.push('\n');
    if let Some(target) = fields.filter(|t| !docs.types[*t].fields.is_empty()) {
        out.push_str("FIELDS:\n");
        field_list(docs, target, 1, request.recursive, &history, &mut out);
    }
    out.push('\n');
    Ok(out)
}

/// The template's `description`: a schema's description ends with a newline.
fn paragraph(text: &str) -> String {
    if text.is_empty() {
        String::new()
    } else {
        format!("{text}\n")
    }
}

/// The field at the end of `path`, through lists' items and maps' values.
fn follow<'a>(docs: &'a Docs, root: usize, path: &[&str]) -> Option<&'a FieldDoc> {
    let mut current = Some(root);
    let mut field = None;
    for name in path {
        let found = docs.types[current?]
            .fields
            .iter()
            .find(|f| f.name == *name)?;
        current = found.target;
        field = Some(found);
    }
    field
}

/// The template's `fieldList`/`fieldDetail`: each field with its type, then (plain) its
/// description or (recursive) the fields below it, where `history` (the types above, by
/// which the template stops a cycle such as JSONSchemaProps' own) allows.
fn field_list(
    docs: &Docs,
    index: usize,
    level: usize,
    recursive: bool,
    history: &[usize],
    out: &mut String,
) {
    for field in &docs.types[index].fields {
        let indentation = level * 2;
        out.push_str(&indent(indentation, &field.name));
        out.push_str(&format!("\t<{}>", field.ty));
        if field.required {
            out.push_str(" -required-");
        }
        out.push('\n');
        if !recursive {
            let description = if field.description.is_empty() {
                "<no description>"
            } else {
                &field.description
            };
            out.push_str(&indent(
                indentation + 2,
                &wrap(description, 78 - indentation),
            ));
            out.push_str("\n\n");
            continue;
        }
        if let Some(target) = field.target.filter(|t| !history.contains(t)) {
            let mut below = history.to_vec();
            below.push(target);
            field_list(docs, target, level + 1, recursive, &below, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::resources::Registry;

    #[test]
    fn every_built_in_resource_is_documented_at_each_served_version() {
        let docs = Docs::builtin().expect("native builds carry the docs");
        let missing: Vec<String> = Registry::builtin()
            .all()
            .iter()
            .flat_map(|rt| rt.versions.iter().map(move |v| (rt, rt.api_version_for(v))))
            .filter(|(rt, api_version)| docs.kind(api_version, &rt.kind).is_none())
            .map(|(rt, api_version)| format!("{api_version} {}", rt.kind))
            .collect();
        assert!(missing.is_empty(), "undocumented: {missing:?}");
    }

    #[test]
    fn a_field_path_goes_through_lists_and_maps() {
        let docs = Docs::builtin().expect("native builds carry the docs");
        let pod = docs.kind("v1", "Pod").expect("Pod");
        let port = follow(docs, pod, &["spec", "containers", "ports", "containerPort"]);
        assert_eq!(
            port.map(|f| (f.ty.as_str(), f.required)),
            Some(("integer", true))
        );
        let limits = follow(docs, pod, &["spec", "containers", "resources", "limits"]);
        assert_eq!(limits.map(|f| f.ty.as_str()), Some("map[string]Quantity"));
        assert!(follow(docs, pod, &["spec", "containers", "nope"]).is_none());
        assert!(follow(docs, pod, &["spec", "hostname", "deeper"]).is_none());
    }
}
