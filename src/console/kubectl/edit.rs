//! `kubectl edit` on the page, where the editor panel is the editor: opening writes the
//! object (kubectl's header comment, then its YAML without managedFields) to a
//! `/tmp/kubectl-edit-….yaml` buffer the page shows; saving (the page's Save button runs
//! `sim editor-save FILE` with the buffer as its input) does what kubectl does when the
//! editor exits: nothing changed is `Edit cancelled, no changes made.`, otherwise a
//! two-way strategic merge patch from what was opened to what was saved, sent to the
//! live object under the field manager `kubectl-edit`. An invalid object reopens the
//! buffer with the reasons in its header, as kubectl reopens the editor; a failed patch
//! keeps the edits in the file for `kubectl replace -f`.

use super::apply::Target;
use crate::console::manifest::yaml_to_json;
use crate::console::merge::three_way;
use crate::console::output::Output;
use crate::console::{patch, printers, Console};
use crate::sim::apiserver::WriteOptions;
use crate::sim::errors::StatusReason;
use serde_json::Value;
use std::collections::BTreeMap;

/// kubectl's header (editoptions.go `editHeader.writeTo`, normal edit mode).
const HEADER: &str = "# Please edit the object below. Lines beginning with a '#' will be ignored,
# and an empty file will abort the edit. If an error occurs while saving this file will be
# reopened with the relevant failures.
#
";

/// One open edit: the object as the buffer first showed it.
#[derive(Debug, Clone)]
struct Session {
    target: Target,
    original: Value,
    original_text: String,
}

/// The page's open edits by file, and the buffer the page should show next.
#[derive(Debug, Default, Clone)]
pub struct Edits {
    sessions: BTreeMap<String, Session>,
    opened: u64,
    to_show: Option<(String, String)>,
}

impl Edits {
    /// The buffer (file name, text) an edit just opened or reopened, for the page.
    pub fn take_to_show(&mut self) -> Option<(String, String)> {
        self.to_show.take()
    }
}

/// `/tmp/kubectl-edit-2471934715.yaml`: kubectl's temp file (`os.CreateTemp`'s random
/// digits), numbered here from a counter so a replay opens the same file.
fn file_name(n: u64) -> String {
    let digits = n.wrapping_mul(0x9E37_79B9_7F4A_7C15) % 9_000_000_000 + 1_000_000_000;
    format!("/tmp/kubectl-edit-{digits}.yaml")
}

/// Comments and blank lines out (kubectl's `cmdutil.StripComments`, which compares
/// what was opened with what was saved).
fn strip_comments(text: &str) -> String {
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#') && !l.trim().is_empty())
        .map(|l| format!("{l}\n"))
        .collect()
}

/// Opens `target` in the editor panel (the page's `kubectl edit`).
pub(crate) fn open(console: &mut Console, target: Target, show_managed_fields: bool) -> Output {
    let live = match console
        .cluster
        .get(&target.rt, &target.namespace, &target.name)
    {
        Ok(v) => v.clone(),
        Err(e) => return Output::fail(super::check_err(&e)),
    };
    let mut shown = live.clone();
    if show_managed_fields {
        super::get::with_managed_fields(console, &target.rt, &mut shown);
    } else {
        printers::omit_managed_fields(&mut shown);
    }
    let text = format!("{HEADER}{}", printers::yaml::to_yaml(&shown));
    console.edits.opened += 1;
    let file = file_name(console.edits.opened);
    console.edits.sessions.insert(
        file.clone(),
        Session {
            target,
            original: shown,
            original_text: text.clone(),
        },
    );
    console.edits.to_show = Some((file, text));
    Output::default()
}

/// What kubectl prints and does when the editor exits with `edited` in `file`.
pub fn save(console: &mut Console, file: &str, edited: &str) -> Output {
    let Some(session) = console.edits.sessions.get(file).cloned() else {
        return Output::fail(format!("kubesim: no kubectl edit is open in \"{file}\""));
    };
    if strip_comments(&session.original_text) == strip_comments(edited) {
        console.edits.sessions.remove(file);
        let mut out = Output::default();
        out.err("Edit cancelled, no changes made.");
        return out;
    }
    if strip_comments(edited).is_empty() {
        console.edits.sessions.remove(file);
        let mut out = Output::default();
        out.err("Edit cancelled, saved file was empty.");
        return out;
    }
    let target = &session.target;
    let resource = target.rt.group_resource();
    let edited_object = match yaml_to_json(&strip_comments(edited)) {
        Ok(v) if v.is_object() => v,
        Ok(_) => {
            return reopen(
                console,
                file,
                edited,
                vec![
                "The edited file had a syntax error: error converting YAML to JSON: not an object"
                    .into(),
            ],
                None,
            )
        }
        Err(e) => {
            return reopen(
                console,
                file,
                edited,
                vec![format!("The edited file had a syntax error: {e}")],
                None,
            )
        }
    };
    for key in ["/apiVersion", "/kind", "/metadata/name"] {
        if edited_object.pointer(key) != session.original.pointer(key) {
            return preserved(
                console,
                file,
                edited,
                "error: At least one of apiVersion, kind and name was changed",
            );
        }
    }
    // kubectl's two-way patch: only what the edit changed, applied to the live object.
    let patch_body = three_way(Some(&session.original), &edited_object, &session.original).patch;
    let prefix = target.rt.kind_prefix();
    if patch_body.as_object().is_some_and(|m| m.is_empty()) {
        console.edits.sessions.remove(file);
        return Output::ok(format!("{prefix}/{} skipped\n", target.name));
    }
    let live = match console
        .cluster
        .get(&target.rt, &target.namespace, &target.name)
    {
        Ok(v) => v.clone(),
        Err(_) => {
            let mut out = Output::fail(format!(
                "error: {resource} \"{}\" could not be found on the server",
                target.name
            ));
            out.err(format!(
                "The edits you made on deleted resources have been saved to \"{file}\""
            ));
            console.files.write(file, edited);
            console.edits.sessions.remove(file);
            return out;
        }
    };
    let result = patch::strategic(&target.rt.kind, &live, &patch_body).and_then(|patched| {
        let opts = WriteOptions {
            field_manager: Some("kubectl-edit".into()),
            ..Default::default()
        };
        console.cluster.update(&target.rt, patched, &opts)
    });
    match result {
        Ok(_) => {
            console.settle_after_command();
            console.edits.sessions.remove(file);
            Output::ok(format!("{prefix}/{} edited\n", target.name))
        }
        Err(e) if e.reason == StatusReason::Invalid => {
            let head = format!("{resource} \"{}\" was not valid:", target.name);
            let causes: Vec<String> = e
                .causes
                .iter()
                .map(|c| format!("* {}: {}", c.field, c.body()))
                .collect();
            let mut lines = vec![head];
            lines.extend(causes);
            let error = format!("error: {resource} \"{}\" is invalid", target.name);
            reopen(console, file, edited, lines, Some(error))
        }
        Err(e) => {
            let mut out = Output::fail(format!(
                "error: {resource} \"{}\" could not be patched: {}",
                target.name, e.message
            ));
            out.err(format!(
                "You can run `kubectl replace -f {file}` to try this update again."
            ));
            console.files.write(file, edited);
            console.edits.sessions.remove(file);
            out
        }
    }
}

/// kubectl reopens the editor with the reasons in the header (`# reason` lines, then
/// `#`), above the edited text without its old comments.
fn reopen(
    console: &mut Console,
    file: &str,
    edited: &str,
    reasons: Vec<String>,
    error: Option<String>,
) -> Output {
    let mut header = HEADER.to_string();
    for reason in &reasons {
        header.push_str(&format!("# {reason}\n"));
    }
    header.push_str("#\n");
    let text = format!("{header}{}", strip_comments_keep_blank(edited));
    console.edits.to_show = Some((file.to_string(), text));
    match error {
        Some(e) => Output::fail(e),
        None => Output::default(),
    }
}

/// kubectl's `ManualStrip`: the comment lines out, the rest as it was.
fn strip_comments_keep_blank(text: &str) -> String {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// An error that ends the edit, the changes kept in the file (kubectl's `preservedFile`).
fn preserved(console: &mut Console, file: &str, edited: &str, error: &str) -> Output {
    console.files.write(file, edited);
    console.edits.sessions.remove(file);
    let mut out = Output::default();
    out.err(format!(
        "A copy of your changes has been stored to \"{file}\""
    ));
    out.error(error);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn console_with_deployment() -> Console {
        let mut console = Console::new(1);
        console.edit_in_panel = true;
        console.execute("kubectl create deployment web --image=nginx:1.25 --replicas=2");
        console
    }

    fn open_web(console: &mut Console) -> (String, String) {
        let out = console.execute("kubectl edit deployment web");
        assert_eq!(out, "", "opening prints nothing");
        console.edits.take_to_show().expect("a buffer to show")
    }

    #[test]
    fn an_unchanged_buffer_cancels_the_edit() {
        let mut console = console_with_deployment();
        let (file, text) = open_web(&mut console);
        assert!(text.starts_with("# Please edit the object below."));
        assert!(!text.contains("managedFields"));
        assert!(file.starts_with("/tmp/kubectl-edit-") && file.ends_with(".yaml"));
        let out = save(
            &mut console,
            &file,
            &text.replace("# and an empty", "# and an EMPTY"),
        );
        assert_eq!(out.text(), "Edit cancelled, no changes made.\n");
    }

    #[test]
    fn a_changed_replica_count_is_patched_and_owned_by_kubectl_edit() {
        let mut console = console_with_deployment();
        let (file, text) = open_web(&mut console);
        // The cluster moves on while the buffer is open: status and resourceVersion change.
        console.execute("sleep 10");
        let out = save(
            &mut console,
            &file,
            &text.replace(
                "replicas: 2\n  revisionHistoryLimit",
                "replicas: 4\n  revisionHistoryLimit",
            ),
        );
        assert_eq!(out.text(), "deployment.apps/web edited\n");
        let yaml = console.execute("kubectl get deploy web -o yaml --show-managed-fields");
        assert!(yaml.contains("  replicas: 4\n"), "{yaml}");
        assert!(yaml.contains("manager: kubectl-edit"), "{yaml}");
    }

    #[test]
    fn a_stale_resource_version_is_the_conflict_kubectl_reports() {
        let mut console = console_with_deployment();
        let (file, text) = open_web(&mut console);
        let rv_line = text
            .lines()
            .find(|l| l.trim_start().starts_with("resourceVersion:"))
            .unwrap();
        let edited = text.replace(rv_line, "  resourceVersion: \"1\"").replace(
            "replicas: 2\n  revisionHistoryLimit",
            "replicas: 3\n  revisionHistoryLimit",
        );
        let out = save(&mut console, &file, &edited);
        assert_eq!(
            out.text(),
            format!("error: deployments.apps \"web\" could not be patched: Operation cannot be fulfilled on deployments.apps \"web\": the object has been modified; please apply your changes to the latest version and try again\nYou can run `kubectl replace -f {file}` to try this update again.\n")
        );
        assert_eq!(console.files.read(&file).unwrap(), edited);
    }

    #[test]
    fn an_invalid_edit_reopens_the_buffer_with_the_reasons() {
        let mut console = console_with_deployment();
        let (file, text) = open_web(&mut console);
        let out = save(
            &mut console,
            &file,
            &text.replace(
                "replicas: 2\n  revisionHistoryLimit",
                "replicas: -1\n  revisionHistoryLimit",
            ),
        );
        assert_eq!(out.text(), "error: deployments.apps \"web\" is invalid\n");
        let (again, reopened) = console.edits.take_to_show().expect("reopened");
        assert_eq!(again, file);
        assert!(reopened.contains("# deployments.apps \"web\" was not valid:\n# * spec.replicas: Invalid value: -1: must be greater than or equal to 0\n#\n"), "{reopened}");
    }
}
