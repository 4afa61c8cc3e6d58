//! `kubectl replace -f` (a PUT of the whole object, guarded by the resourceVersion it
//! carries) and `kubectl diff -f` (the live object against what `apply` would make of it,
//! printed as `diff -u -N` prints a LIVE and a MERGED directory; exit status 1 when they
//! differ).

use super::apply::{apply_one, read_sources, target_of, DryRun, Sourced, Target, FILE_FLAGS};
use super::flags::{self, switch, Flag};
use super::Errors;
use crate::console::output::Output;
use crate::console::printers;
use crate::console::Console;
use crate::sim::admission::FieldValidation;
use crate::sim::apiserver::{DeleteOptions, WriteOptions};
use crate::sim::errors::ApiError;
use crate::sim::json::json;
use crate::sim::object;
use serde_json::Value;

/// `kubectl replace -f FILE [--force]`.
pub fn replace(console: &mut Console, args: &[String], stdin: Option<&str>) -> Output {
    let mut replace_flags: Vec<Flag> = FILE_FLAGS.to_vec();
    replace_flags.extend([switch("force", None), switch("cascade", None)]);
    let parsed = match flags::parse("replace", args, &replace_flags) {
        Ok(p) => p,
        Err(e) => return Output::fail(e),
    };
    if !parsed.has("filename") {
        return Output::fail("error: must specify --filename to replace");
    }
    let (items, read_errors) = read_sources(console, &parsed, stdin);
    let mut out = Output::default();
    let mut errors = Errors::default();
    for e in read_errors {
        errors.client(e);
    }
    for item in &items {
        let target = match target_of(console, item, &parsed) {
            Ok(t) => t,
            Err(e) => {
                errors.client(e);
                continue;
            }
        };
        let result = if parsed.bool("force") {
            force_replace(console, item, &target, &mut out)
        } else {
            replace_one(console, item, &target)
        };
        match result {
            Ok(obj) => out.out(format!(
                "{}/{} replaced\n",
                target.rt.kind_prefix(),
                object::name(&obj)
            )),
            Err(e) => errors.api(e.with_source("replacing", &item.source)),
        }
    }
    console.settle_after_command();
    errors.write_to(&mut out);
    out
}

fn with_namespace(item: &Sourced, target: &Target) -> Value {
    let mut obj = item.object.clone();
    if target.rt.namespaced {
        object::meta_mut(&mut obj).insert("namespace".into(), json!(target.namespace));
    }
    obj
}

/// A PUT: an object without a resourceVersion replaces whatever is live; one with a
/// resourceVersion must match the live one, else the apiserver answers 409 Conflict.
fn replace_one(console: &mut Console, item: &Sourced, target: &Target) -> Result<Value, ApiError> {
    console
        .cluster
        .get(&target.rt, &target.namespace, &target.name)?;
    let opts = WriteOptions {
        validation: FieldValidation::Strict,
        ..Default::default()
    };
    console
        .cluster
        .update(&target.rt, with_namespace(item, target), &opts)
}

/// `--force`: delete the object, wait until it is gone, create it again.
fn force_replace(
    console: &mut Console,
    item: &Sourced,
    target: &Target,
    out: &mut Output,
) -> Result<Value, ApiError> {
    let (rt, ns, name) = (&target.rt, &target.namespace, &target.name);
    if let Ok(live) = console.cluster.get(rt, ns, name) {
        let uid = object::uid(live).to_string();
        console
            .cluster
            .delete(rt, ns, name, &DeleteOptions::default())?;
        out.out(format!("{}/{name} deleted\n", rt.kind_prefix()));
        let deleted = [(rt.clone(), ns.clone(), name.clone(), uid)];
        super::delete::wait_until_gone(console, &deleted);
    }
    let mut obj = with_namespace(item, target);
    object::meta_mut(&mut obj).remove("resourceVersion");
    console
        .cluster
        .create(rt, obj, ns, &WriteOptions::default())
}

/// `kubectl diff -f FILE`: exit status 0 when equal, 1 when different, 2 on an error
/// (kubectl's `CheckDiffErr` adds one to the usual error status).
pub fn diff(console: &mut Console, args: &[String], stdin: Option<&str>) -> Output {
    // A bad flag is cobra's error, with its usual status.
    if let Err(e) = flags::parse("diff", args, FILE_FLAGS) {
        return Output::fail(e);
    }
    let mut out = diff_or_error(console, args, stdin);
    if out.status == 1 && out.stdout().is_empty() {
        out.status = 2;
    }
    out
}

fn diff_or_error(console: &mut Console, args: &[String], stdin: Option<&str>) -> Output {
    let parsed = match flags::parse("diff", args, FILE_FLAGS) {
        Ok(p) => p,
        Err(e) => return Output::fail(e),
    };
    if !parsed.has("filename") {
        return Output::fail("error: must specify one of -f and -k");
    }
    let (items, read_errors) = read_sources(console, &parsed, stdin);
    if let Some(e) = read_errors.into_iter().next() {
        return Output::fail(format!("error: {e}"));
    }
    let mut out = Output::default();
    let mut text = String::new();
    let dirs = temp_dirs(console);
    for item in &items {
        // The previous item's settle, if owed, runs before this item reads anything.
        console.catch_up();
        let target = match target_of(console, item, &parsed) {
            Ok(t) => t,
            Err(e) => return Output::fail(format!("error: {e}")),
        };
        let live = console
            .cluster
            .get(&target.rt, &target.namespace, &target.name)
            .ok()
            .cloned();
        let merged = match apply_one(
            console,
            item,
            &target,
            FieldValidation::Strict,
            DryRun::Server,
            &mut out,
        ) {
            Ok(Some((_, merged))) => merged,
            Ok(None) => continue,
            Err(e) => {
                out.error(super::check_err(&e));
                return out;
            }
        };
        text.push_str(&file_diff(&dirs, &target, live.as_ref(), &merged, console));
    }
    out.out(text.clone());
    if !text.is_empty() {
        out.status = 1;
    }
    out
}

/// `/tmp/LIVE-123456789` and `/tmp/MERGED-987654321`: Go's MkdirTemp names, drawn
/// from the virtual clock so that a transcript stays deterministic.
fn temp_dirs(console: &Console) -> (String, String) {
    let now = console.cluster.now().to_string();
    let live = crate::sim::hash::fnv(&format!("LIVE-{now}"));
    let merged = crate::sim::hash::fnv(&format!("MERGED-{now}"));
    (format!("/tmp/LIVE-{live}"), format!("/tmp/MERGED-{merged}"))
}

/// One file pair of `diff -u -N LIVE MERGED`; "" when they are equal.
fn file_diff(
    dirs: &(String, String),
    target: &Target,
    live: Option<&Value>,
    merged: &Value,
    console: &Console,
) -> String {
    // kubectl diff omits managedFields on both sides (no --show-managed-fields here).
    let printable = |v: &Value| {
        let mut v = v.clone();
        printers::omit_managed_fields(&mut v);
        printers::yaml::to_yaml(&v)
    };
    let old = live.map(printable).unwrap_or_default();
    let new = printable(merged);
    let hunks = printers::diff::unified(&old, &new);
    if hunks.is_empty() {
        return String::new();
    }
    let api_version = target.rt.api_version();
    let (group, version) = crate::sim::resources::split_api_version(&api_version);
    let group = if group.is_empty() {
        String::new()
    } else {
        format!("{group}.")
    };
    let file = format!(
        "{group}{version}.{}.{}.{}",
        target.rt.kind, target.namespace, target.name
    );
    let (live_dir, merged_dir) = dirs;
    let stamp = crate::sim::time::rfc3339(console.cluster.now());
    let mtime = format!("{} {}.000000000 +0000", &stamp[..10], &stamp[11..19]);
    let live_mtime = if live.is_some() {
        mtime.clone()
    } else {
        "1970-01-01 00:00:00.000000000 +0000".to_string()
    };
    format!(
        "diff -u -N {live_dir}/{file} {merged_dir}/{file}\n--- {live_dir}/{file}\t{live_mtime}\n+++ {merged_dir}/{file}\t{mtime}\n{hunks}"
    )
}

#[cfg(test)]
mod tests {
    use super::diff;
    use crate::console::Console;

    const CONFIG_MAP: &str =
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: \"1\"\n";

    #[test]
    fn diff_exits_zero_when_equal_one_when_different_two_on_errors() {
        let mut console = Console::new(1);
        let args: Vec<String> = ["-f", "-"].iter().map(|s| s.to_string()).collect();
        let status = |c: &mut Console, stdin: &str| diff(c, &args, Some(stdin)).status;
        assert_eq!(
            status(&mut console, CONFIG_MAP),
            1,
            "a new object is a difference"
        );
        console.execute(&format!("kubectl apply -f - <<EOF\n{CONFIG_MAP}EOF"));
        assert_eq!(status(&mut console, CONFIG_MAP), 0);
        assert_eq!(
            status(&mut console, &CONFIG_MAP.replace("\"1\"", "\"2\"")),
            1
        );
        assert_eq!(
            status(
                &mut console,
                "kind: Nope\napiVersion: v9\nmetadata:\n  name: x\n"
            ),
            2
        );
        assert_eq!(diff(&mut console, &[], None).status, 2, "no -f");
        assert_eq!(
            diff(&mut console, &["--bogus".to_string()], None).status,
            1,
            "cobra's flag error"
        );
    }
}
