//! `kubectl apply -f` and `kubectl create -f` (plus `create` subcommands): read the
//! manifests, map each object to its resource type, and create it — or, for apply,
//! three-way merge it with the live object — reporting `created` / `configured` /
//! `unchanged` per object and kubectl's errors after all objects were tried.

use super::flags::{self, switch, value, Flag, Parsed};
use super::{namespace_of, Errors};
use crate::console::manifest::{parse_stream, ManifestObject};
use crate::console::merge::{last_applied_value, three_way, LAST_APPLIED};
use crate::console::output::Output;
use crate::console::printers;
use crate::console::Console;
use crate::sim::admission::FieldValidation;
use crate::sim::apiserver::WriteOptions;
use crate::sim::errors::ApiError;
use crate::sim::json::json;
use crate::sim::object;
use crate::sim::resources::ResourceType;
use serde_json::Value;

pub(crate) const FILE_FLAGS: &[Flag] = &[
    value("filename", Some('f')),
    switch("recursive", Some('R')),
    value("output", Some('o')),
    value("dry-run", None),
    value("validate", None),
    switch("save-config", None),
    switch("server-side", None),
    switch("force-conflicts", None),
    value("field-manager", None),
    switch("prune", None),
    value("selector", Some('l')),
    switch("overwrite", None),
    switch("wait", None),
    switch("record", None),
    value("kustomize", Some('k')),
    switch("edit", None),
];

/// Where an object came from: `x.yaml`, or `STDIN` for `-f -`.
pub(crate) struct Sourced {
    pub source: String,
    pub object: Value,
}

/// Reads every `-f` argument. Returns the objects read and the read/parse errors
/// (kubectl keeps the objects decoded before an error).
pub(crate) fn read_sources(
    console: &Console,
    parsed: &Parsed,
    stdin: Option<&str>,
) -> (Vec<Sourced>, Vec<String>) {
    let mut objects = vec![];
    let mut errors = vec![];
    for f in parsed.all("filename") {
        let (name, text) = if f == "-" {
            (
                "STDIN".to_string(),
                Ok(stdin.unwrap_or_default().to_string()),
            )
        } else if f.starts_with("http://") || f.starts_with("https://") {
            errors.push(format!("unable to read URL \"{f}\": kubesim has no internet access; paste the manifest with -f - instead"));
            continue;
        } else if let Some(files) = console.files.list_dir(f) {
            for path in files
                .into_iter()
                .filter(|p| p.ends_with(".yaml") || p.ends_with(".yml") || p.ends_with(".json"))
            {
                read_one(console, &path, &mut objects, &mut errors);
            }
            continue;
        } else {
            (f.to_string(), console.files.read(f))
        };
        match text {
            Ok(text) => push_parsed(&name, &text, &mut objects, &mut errors),
            Err(e) => errors.push(e),
        }
    }
    (objects, errors)
}

fn read_one(console: &Console, path: &str, objects: &mut Vec<Sourced>, errors: &mut Vec<String>) {
    match console.files.read(path) {
        Ok(text) => push_parsed(path, &text, objects, errors),
        Err(e) => errors.push(e),
    }
}

fn push_parsed(source: &str, text: &str, objects: &mut Vec<Sourced>, errors: &mut Vec<String>) {
    let (parsed, err) = parse_stream(text);
    objects.extend(parsed.into_iter().map(|ManifestObject { object }| Sourced {
        source: source.to_string(),
        object,
    }));
    if let Some(e) = err {
        errors.push(format!("error parsing {source}: {e}"));
    }
}

fn validation_of(parsed: &Parsed) -> Result<FieldValidation, String> {
    match parsed.get("validate") {
        None | Some("true") | Some("strict") => Ok(FieldValidation::Strict),
        Some("warn") => Ok(FieldValidation::Warn),
        Some("false") | Some("ignore") => Ok(FieldValidation::Ignore),
        Some(other) => Err(format!("error: invalid - validate option \"{other}\"; must be one of: strict (or true), warn, ignore (or false)")),
    }
}

#[derive(Clone, Copy, PartialEq)]
pub(crate) enum DryRun {
    None,
    Client,
    Server,
}

fn dry_run_of(parsed: &Parsed) -> Result<DryRun, String> {
    match parsed.get("dry-run") {
        None | Some("none") => Ok(DryRun::None),
        Some("client") | Some("true") => Ok(DryRun::Client),
        Some("server") => Ok(DryRun::Server),
        Some(other) => Err(format!(
            "error: Invalid dry-run value ({other}). Must be \"none\", \"server\", or \"client\"."
        )),
    }
}

fn operation_suffix(dry: DryRun) -> &'static str {
    match dry {
        DryRun::None => "",
        DryRun::Client => " (dry run)",
        DryRun::Server => " (server dry run)",
    }
}

/// A manifest object's type, namespace and name, or the client-side error kubectl
/// gives before sending anything.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    pub rt: ResourceType,
    pub namespace: String,
    pub name: String,
}

pub(crate) fn target_of(
    console: &Console,
    item: &Sourced,
    parsed: &Parsed,
) -> Result<Target, String> {
    let obj = &item.object;
    if !obj.is_object() {
        return Err(format!(
            "error validating \"{}\": error validating data: invalid object to validate",
            item.source
        ));
    }
    let kind = object::kind(obj);
    let api_version = object::api_version(obj);
    if kind.is_empty() {
        return Err(format!(
            "unable to decode \"{}\": Object 'Kind' is missing in '{}'",
            item.source,
            printers::json::to_json_compact(obj)
        ));
    }
    let name = object::name(obj).to_string();
    let manifest_ns = object::namespace(obj).to_string();
    let Some(rt) = console.cluster.resource_for(api_version, kind) else {
        return Err(format!(
            "resource mapping not found for name: \"{name}\" namespace: \"{manifest_ns}\" from \"{}\": no matches for kind \"{kind}\" in version \"{api_version}\"\nensure CRDs are installed first",
            item.source
        ));
    };
    let flag_ns = parsed.get("namespace");
    if rt.namespaced && !manifest_ns.is_empty() {
        if let Some(ns) = flag_ns.filter(|ns| *ns != manifest_ns) {
            return Err(format!(
                "the namespace from the provided object \"{manifest_ns}\" does not match the namespace \"{ns}\". You must pass '--namespace={manifest_ns}' to perform this operation."
            ));
        }
    }
    let namespace = if !rt.namespaced {
        String::new()
    } else if manifest_ns.is_empty() {
        namespace_of(console, parsed)
    } else {
        manifest_ns
    };
    Ok(Target {
        rt,
        namespace,
        name,
    })
}

/// `kubectl apply` (client-side).
pub fn apply(console: &mut Console, args: &[String], stdin: Option<&str>) -> Output {
    let parsed = match flags::parse("apply", args, FILE_FLAGS) {
        Ok(p) => p,
        Err(e) => return Output::fail(e),
    };
    if !parsed.has("filename") && !parsed.has("kustomize") {
        return Output::fail(
            "error: must specify one of -f and -k\n\nerror: no objects passed to apply",
        );
    }
    if parsed.has("kustomize") {
        return Output::fail(
            "kubesim: kustomize (-k) is not simulated; apply the rendered manifests with -f",
        );
    }
    let (validation, dry) = match (validation_of(&parsed), dry_run_of(&parsed)) {
        (Ok(v), Ok(d)) => (v, d),
        (Err(e), _) | (_, Err(e)) => return Output::fail(e),
    };
    let server_side = parsed.bool("server-side");
    if parsed.bool("force-conflicts") && !server_side {
        return Output::fail("error: --force-conflicts only works with --server-side");
    }
    if server_side && dry == DryRun::Client {
        return Output::fail("error: --dry-run=client doesn't work with --server-side (did you mean --dry-run=server instead?)");
    }
    let (items, read_errors) = read_sources(console, &parsed, stdin);
    let mut out = Output::default();
    let mut errors = Errors::default();
    for e in read_errors {
        errors.client(e);
    }
    if items.is_empty() && errors.is_empty() {
        return Output::fail("error: no objects passed to apply");
    }
    for item in &items {
        // The previous item's settle, if owed, runs before this item reads anything.
        console.catch_up();
        let target = match target_of(console, item, &parsed) {
            Ok(t) => t,
            Err(e) => {
                errors.client(e);
                continue;
            }
        };
        super::warn_deprecated_once(&target.rt, &mut out);
        if server_side {
            match apply_server_side(console, item, &target, &parsed, validation, dry) {
                Ok(obj) => emit(&parsed, &target, ("serverside-applied", obj), &mut out, dry),
                Err(Ok(e)) => errors.api(e),
                Err(Err(e)) => errors.client(e),
            }
            continue;
        }
        match apply_one(console, item, &target, validation, dry, &mut out) {
            Ok(Some(line)) => emit(&parsed, &target, line, &mut out, dry),
            Ok(None) => {}
            Err(e) => errors.api(e),
        }
    }
    errors.write_to(&mut out);
    out
}

/// kubectl's advice after an apply conflict (apply.go), appended to the server's message.
const CONFLICT_HINT: &str =
    "Please review the fields above--they currently have other managers. Here
are the ways you can resolve this warning:
* If you intend to manage all of these fields, please re-run the apply
  command with the `--force-conflicts` flag.
* If you do not intend to manage all of the fields, please edit your
  manifest to remove references to the fields that should keep their
  current managers.
* You may co-own fields by updating your manifest to match the existing
  value; in this case, you'll become the manager if the other manager(s)
  stop managing the field (remove it from their configuration).
See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts";

/// `kubectl apply --server-side`: the manifest as an apply patch under
/// `--field-manager` (default `kubectl`). A conflict is kubectl's own error (the
/// server's message and the hint), not a server error line.
fn apply_server_side(
    console: &mut Console,
    item: &Sourced,
    target: &Target,
    parsed: &Parsed,
    validation: FieldValidation,
    dry: DryRun,
) -> Result<Value, Result<ApiError, String>> {
    let manager = parsed.get("field-manager").unwrap_or("kubectl");
    let opts = WriteOptions {
        validation,
        dry_run: dry == DryRun::Server,
        ..Default::default()
    };
    let result = console.cluster.server_side_apply(
        &target.rt,
        item.object.clone(),
        &target.namespace,
        manager,
        parsed.bool("force-conflicts"),
        &opts,
    );
    match result {
        Ok(obj) => {
            console.settle_after_command();
            Ok(obj)
        }
        Err(e)
            if e.reason == crate::sim::errors::StatusReason::Conflict
                && e.message.starts_with("Apply failed") =>
        {
            Err(Err(format!("{}\n{CONFLICT_HINT}", e.message)))
        }
        Err(e) => Err(Ok(e)),
    }
}

/// Prints `deployment.apps/web created`, or the object for `-o`.
fn emit(
    parsed: &Parsed,
    target: &Target,
    (operation, obj): (&str, Value),
    out: &mut Output,
    dry: DryRun,
) {
    match parsed.get("output") {
        Some("yaml") => out.out(printers::yaml::to_yaml(&obj)),
        Some("json") => out.out(printers::to_json(&obj)),
        Some("name") => out.out(format!("{}/{}\n", target.rt.kind_prefix(), target.name)),
        _ => out.out(format!(
            "{}/{} {operation}{}\n",
            target.rt.kind_prefix(),
            object::name(&obj),
            operation_suffix(dry)
        )),
    }
}

pub(crate) fn apply_one(
    console: &mut Console,
    item: &Sourced,
    target: &Target,
    validation: FieldValidation,
    dry: DryRun,
    out: &mut Output,
) -> Result<Option<(&'static str, Value)>, ApiError> {
    let mut modified = item.object.clone();
    if target.rt.namespaced {
        object::meta_mut(&mut modified).insert("namespace".into(), json!(target.namespace));
    }
    let annotation = last_applied_value(&modified);
    object::set_annotation(&mut modified, LAST_APPLIED, &annotation);
    let opts = WriteOptions {
        validation,
        dry_run: dry != DryRun::None,
        ..Default::default()
    };
    let live = console
        .cluster
        .get(&target.rt, &target.namespace, &target.name)
        .ok()
        .cloned();
    let Some(live) = live.filter(|_| !target.name.is_empty()) else {
        if dry == DryRun::Client {
            return Ok(Some(("created", modified)));
        }
        let created = console
            .cluster
            .create(&target.rt, modified, &target.namespace, &opts)
            .map_err(|e| e.with_source("creating", &item.source))?;
        console.settle_after_command();
        return Ok(Some(("created", created)));
    };
    let original: Option<Value> =
        object::annotation(&live, LAST_APPLIED).and_then(|a| serde_json::from_str(a).ok());
    if original.is_none() {
        out.err(format!(
            "Warning: resource {}/{} is missing the {LAST_APPLIED} annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.",
            target.rt.plural, target.name
        ));
    }
    let merge = three_way(original.as_ref(), &modified, &live);
    if merge.is_unchanged() {
        return Ok(Some(("unchanged", live)));
    }
    if dry == DryRun::Client {
        return Ok(Some(("configured", merge.result)));
    }
    let updated = console.cluster.update(&target.rt, merge.result, &opts).map_err(|e| {
        let mut e = e;
        if e.reason != crate::sim::errors::StatusReason::Invalid {
            e.message = format!(
                "error when applying patch:\n{}\nto:\nResource: \"{}, Resource={}\", GroupVersionKind: \"{}, Kind={}\"\nName: \"{}\", Namespace: \"{}\"\nfor: \"{}\": error when patching \"{}\": {}",
                printers::json::to_json_compact(&merge.patch),
                target.rt.api_version(),
                target.rt.plural,
                target.rt.api_version(),
                target.rt.kind,
                target.name,
                target.namespace,
                item.source,
                item.source,
                e.message
            );
        }
        e
    })?;
    console.settle_after_command();
    Ok(Some(("configured", updated)))
}

/// `kubectl create -f …`, or one of its generators (`create deployment`, `namespace`, …).
pub fn create(console: &mut Console, args: &[String], stdin: Option<&str>) -> Output {
    if let Some(first) = args.first().filter(|a| !a.starts_with('-')) {
        return super::imperative::create_subcommand(console, first, &args[1..]);
    }
    let parsed = match flags::parse("create", args, FILE_FLAGS) {
        Ok(p) => p,
        Err(e) => return Output::fail(e),
    };
    if !parsed.has("filename") {
        return Output::fail("error: must specify one of -f and -k");
    }
    let (validation, dry) = match (validation_of(&parsed), dry_run_of(&parsed)) {
        (Ok(v), Ok(d)) => (v, d),
        (Err(e), _) | (_, Err(e)) => return Output::fail(e),
    };
    let (items, read_errors) = read_sources(console, &parsed, stdin);
    let mut out = Output::default();
    let mut errors = Errors::default();
    for e in read_errors {
        errors.client(e);
    }
    for item in &items {
        // The previous item's settle, if owed, runs before this item reads anything.
        console.catch_up();
        let target = match target_of(console, item, &parsed) {
            Ok(t) => t,
            Err(e) => {
                errors.client(e);
                continue;
            }
        };
        super::warn_deprecated_once(&target.rt, &mut out);
        let mut obj = item.object.clone();
        if parsed.bool("save-config") {
            let annotation = last_applied_value(&obj);
            object::set_annotation(&mut obj, LAST_APPLIED, &annotation);
        }
        if dry == DryRun::Client {
            emit(&parsed, &target, ("created", obj), &mut out, dry);
            continue;
        }
        let opts = WriteOptions {
            validation,
            dry_run: dry == DryRun::Server,
            ..Default::default()
        };
        match console
            .cluster
            .create(&target.rt, obj, &target.namespace, &opts)
        {
            Ok(created) => {
                console.settle_after_command();
                emit(&parsed, &target, ("created", created), &mut out, dry);
            }
            Err(e) => errors.api(e.with_source("creating", &item.source)),
        }
    }
    errors.write_to(&mut out);
    out
}
