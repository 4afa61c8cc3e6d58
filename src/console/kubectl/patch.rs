//! `kubectl patch` (strategic merge, JSON merge and JSON patch, `-p` or `--patch-file`,
//! by `TYPE NAME`, `TYPE/NAME` or `-f`) and `kubectl edit`, which in a console without an
//! editor fails as kubectl does when it cannot launch one.

use super::apply::{read_sources, target_of, Target};
use super::flags::{self, switch, value, Flag, Parsed};
use super::resources::parse_requests;
use super::{namespace_of, Errors};
use crate::console::manifest::yaml_to_json;
use crate::console::output::Output;
use crate::console::{patch, printers, Console};
use crate::sim::admission::FieldValidation;
use crate::sim::apiserver::WriteOptions;
use crate::sim::errors::{go_quote, ApiError};
use crate::sim::object;
use crate::sim::resources::is_builtin;
use serde_json::Value;

const PATCH_FLAGS: &[Flag] = &[
    value("patch", Some('p')),
    value("patch-file", None),
    value("type", None),
    value("filename", Some('f')),
    switch("recursive", Some('R')),
    value("output", Some('o')),
    value("dry-run", None),
    switch("local", None),
    value("subresource", None),
    value("field-manager", None),
    switch("record", None),
    switch("allow-missing-template-keys", None),
];

/// Which format the patch is in (`--type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatchType {
    Strategic,
    Merge,
    Json,
}

impl PatchType {
    fn parse(word: Option<&str>) -> Result<PatchType, String> {
        match word.map(str::to_ascii_lowercase).as_deref() {
            None | Some("strategic") => Ok(PatchType::Strategic),
            Some("merge") => Ok(PatchType::Merge),
            Some("json") => Ok(PatchType::Json),
            Some(_) => Err(format!(
                "error: --type must be one of [json merge strategic], not \"{}\"",
                word.unwrap_or_default()
            )),
        }
    }

    /// The Content-Type kubectl sends, as Go prints a `types.PatchType`.
    fn media_type(self) -> &'static str {
        match self {
            PatchType::Strategic => "application/strategic-merge-patch+json",
            PatchType::Merge => "application/merge-patch+json",
            PatchType::Json => "application/json-patch+json",
        }
    }
}

/// Applies `patch` to `live` as the apiserver does for the given type and kind.
pub fn apply_patch(
    kind: &str,
    live: &Value,
    patch_type: PatchType,
    patch: &Value,
) -> Result<Value, ApiError> {
    match patch_type {
        PatchType::Strategic => patch::strategic(kind, live, patch),
        PatchType::Merge => Ok(patch::merge(live, patch)),
        PatchType::Json => patch::json_patch(live, patch),
    }
}

/// `kubectl patch`.
pub fn patch(console: &mut Console, args: &[String]) -> Output {
    let parsed = match flags::parse("patch", args, PATCH_FLAGS) {
        Ok(p) => p,
        Err(e) => return Output::fail(e),
    };
    let (text, patch_type) = match patch_text(console, &parsed) {
        Ok(t) => t,
        Err(e) => return Output::fail(e),
    };
    let body = match yaml_to_json(&text) {
        Ok(v) if !v.is_null() => v,
        Ok(_) => crate::sim::json::json!({}),
        Err(e) => {
            let shown = go_quote(parsed.get("patch").unwrap_or_default());
            return Output::fail(format!("error: unable to parse {shown}: {e}"));
        }
    };
    let targets = match targets_of(console, &parsed) {
        Ok(t) => t,
        Err(e) => return Output::fail(e),
    };
    let client_dry_run = matches!(parsed.get("dry-run"), Some("client") | Some("true"));
    let mut out = Output::default();
    let mut errors = Errors::default();
    for target in &targets {
        match patch_one(console, target, patch_type, &body, client_dry_run) {
            Ok((changed, obj)) => print_patched(&parsed, target, changed, &obj, &mut out),
            Err(PatchError::Api(e)) => errors.api(e),
            Err(PatchError::Client(e)) => errors.client(e),
        }
    }
    console.settle_after_command();
    errors.write_to(&mut out);
    out
}

/// The patch's text and type, after kubectl's `Validate` checks in its order.
fn patch_text(console: &Console, parsed: &Parsed) -> Result<(String, PatchType), String> {
    let (inline, file) = (parsed.get("patch"), parsed.get("patch-file"));
    if inline.is_some_and(|p| !p.is_empty()) && file.is_some_and(|f| !f.is_empty()) {
        return Err("error: cannot specify --patch and --patch-file together".into());
    }
    let patch_type = PatchType::parse(parsed.get("type"))?;
    let text =
        match (
            inline.filter(|p| !p.is_empty()),
            file.filter(|f| !f.is_empty()),
        ) {
            (Some(p), _) => p.to_string(),
            (None, Some(f)) => console
                .files
                .read(f)
                .map_err(|e| format!("error: unable to read patch file: {e}"))?,
            (None, None) => return Err(
                "error: must specify --patch or --patch-file containing the contents of the patch"
                    .into(),
            ),
        };
    Ok((text, patch_type))
}

/// The objects named on the command line (`TYPE NAME…`, `TYPE/NAME…`) or in `-f` files.
fn targets_of(console: &Console, parsed: &Parsed) -> Result<Vec<Target>, String> {
    if parsed.has("filename") {
        let (items, errors) = read_sources(console, parsed, None);
        if let Some(e) = errors.into_iter().next() {
            return Err(format!("error: {e}"));
        }
        return items
            .iter()
            .map(|item| target_of(console, item, parsed).map_err(|e| format!("error: {e}")))
            .collect();
    }
    let requests = parse_requests(console.cluster.registry(), &parsed.positional)?;
    if requests.is_empty() {
        return Err(NO_RESOURCES.to_string());
    }
    let namespace = namespace_of(console, parsed);
    let mut targets = vec![];
    for req in requests {
        let Some(names) = req.names else {
            return Err("error: resource(s) were provided, but no name was specified".into());
        };
        for name in names {
            targets.push(Target {
                rt: req.rt.clone(),
                namespace: if req.rt.namespaced {
                    namespace.clone()
                } else {
                    String::new()
                },
                name,
            });
        }
    }
    Ok(targets)
}

/// The resource builder's error when neither arguments nor files name anything.
pub(crate) const NO_RESOURCES: &str =
    "error: You must provide one or more resources by argument or filename.
Example resource specifications include:
   '-f rsrc.yaml'
   '--filename=rsrc.json'
   '<resource> <name>'
   '<resource>'";

enum PatchError {
    Api(ApiError),
    Client(String),
}

/// Patches one object; returns whether it changed and the object after the patch.
fn patch_one(
    console: &mut Console,
    target: &Target,
    patch_type: PatchType,
    body: &Value,
    client_dry_run: bool,
) -> Result<(bool, Value), PatchError> {
    let live = console
        .cluster
        .get(&target.rt, &target.namespace, &target.name)
        .map_err(PatchError::Api)?
        .clone();
    let builtin = is_builtin(&target.rt.group, &target.rt.plural);
    if patch_type == PatchType::Strategic && !builtin {
        return Err(PatchError::Client(format!(
            "{} is not supported by {}, Kind={}: the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml",
            patch_type.media_type(),
            target.rt.api_version(),
            target.rt.kind
        )));
    }
    let patched = apply_patch(&target.rt.kind, &live, patch_type, body).map_err(PatchError::Api)?;
    if client_dry_run {
        return Ok((patched != live, patched));
    }
    // The apiserver applies the patch to the object at its current resourceVersion.
    let mut sent = patched;
    object::meta_mut(&mut sent).insert(
        "resourceVersion".into(),
        Value::String(object::str_at(&live, "/metadata/resourceVersion").to_string()),
    );
    let opts = WriteOptions {
        validation: FieldValidation::Warn,
        ..Default::default()
    };
    let updated = console
        .cluster
        .update(&target.rt, sent, &opts)
        .map_err(PatchError::Api)?;
    Ok((updated != live, updated))
}

fn print_patched(parsed: &Parsed, target: &Target, changed: bool, obj: &Value, out: &mut Output) {
    let operation = if changed {
        "patched"
    } else {
        "patched (no change)"
    };
    let dry = match parsed.get("dry-run") {
        Some("client") | Some("true") => " (dry run)",
        Some("server") => " (server dry run)",
        _ => "",
    };
    match parsed.get("output") {
        Some("yaml") => out.out(printers::yaml::to_yaml(obj)),
        Some("json") => out.out(printers::to_json(obj)),
        Some("name") => out.out(format!("{}/{}\n", target.rt.kind_prefix(), target.name)),
        _ => out.out(format!(
            "{}/{} {operation}{dry}\n",
            target.rt.kind_prefix(),
            target.name
        )),
    }
}

/// `kubectl edit`: kubectl fetches the object, then launches `$KUBE_EDITOR`, `$EDITOR`
/// or `vi`. On the page the editor panel is the editor ([`super::edit`]); the native
/// console has no editor program, so after the lookup it fails as kubectl does when the
/// editor cannot be started.
pub fn edit(console: &mut Console, args: &[String], editor: &str) -> Output {
    let edit_flags = [
        value("filename", Some('f')),
        value("output", Some('o')),
        switch("windows-line-endings", None),
        switch("save-config", None),
        value("validate", None),
        value("field-manager", None),
        value("subresource", None),
        switch("record", None),
        switch("show-managed-fields", None),
    ];
    let parsed = match flags::parse("edit", args, &edit_flags) {
        Ok(p) => p,
        Err(e) => return Output::fail(e),
    };
    let targets = match targets_of(console, &parsed) {
        Ok(t) => t,
        Err(e) => return Output::fail(e),
    };
    for target in &targets {
        if let Err(e) = console
            .cluster
            .get(&target.rt, &target.namespace, &target.name)
        {
            return Output::fail(super::check_err(&e));
        }
    }
    if console.edit_in_panel {
        // The panel holds one object; kubectl would edit several as a List.
        let target = targets
            .into_iter()
            .next()
            .expect("parse_requests names one at least");
        return super::edit::open(console, target, parsed.bool("show-managed-fields"));
    }
    Output::fail(format!("error: unable to launch the editor \"{editor}\""))
}
