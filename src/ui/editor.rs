//! The YAML editor: one manifest buffer and an Apply button that sends it to the
//! console as `kubectl apply -f -` with a heredoc, exactly as a learner could type it.
//!
//! Highlighting is the classic overlay: a transparent `<textarea>` (which keeps native
//! editing, selection, undo and accessibility) over a `<pre>` holding the highlighted
//! text ([`super::highlight`]), scrolled together, with line numbers in a gutter. When
//! an Apply fails, [`super::markers`] turns the console's error into line markers; they
//! clear as soon as the text changes.

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::console_panel::Session;
use super::highlight::{to_html, LineNote};
use super::markers::error_markers;
use super::templates::{self, TEMPLATES};

const FILE_NAME: &str = "web.yaml";

/// The editor's buffer, shared through context with the page (a share link carries it
/// and restores it).
#[derive(Clone, Copy)]
pub struct EditorText(pub RwSignal<String>);

impl EditorText {
    pub fn new() -> EditorText {
        EditorText(RwSignal::new(sample().to_string()))
    }
}

/// What the buffer holds on first load: the Deployment-and-Service template.
fn sample() -> &'static str {
    templates::find("service").map_or("", |t| t.text)
}

/// The console command that applies `manifest` exactly as written.
fn apply_command(manifest: &str) -> String {
    crate::console::shell::quoted_heredoc("kubectl apply -f -", manifest)
}

/// A buffer `kubectl edit` opened (kubectl's temp file name): Save finishes the edit.
fn is_edit_buffer(name: &str) -> bool {
    name.starts_with("/tmp/kubectl-edit-")
}

/// Whether console output reports a failure (kubectl's errors all say so).
fn failed(output: &str) -> bool {
    output.contains("error") || output.contains("Error") || output.contains(" is invalid")
}

/// What the last Apply said, shown under the text until it changes.
#[derive(Clone, Debug, PartialEq)]
enum Outcome {
    Applied,
    /// A `kubectl edit` save that did not fail: what kubectl said (`… edited`, `Edit
    /// cancelled, no changes made.`).
    Saved(String),
    /// Failed, and no line could be named: the console's first line.
    Failed(String),
}

/// The UTF-16 offset (what the textarea counts in) where 1-based `line` starts.
fn line_start_utf16(text: &str, line: usize) -> u32 {
    text.split('\n')
        .take(line.saturating_sub(1))
        .map(|l| l.encode_utf16().count() as u32 + 1)
        .sum()
}

#[component]
pub fn Editor(session: Session, open: RwSignal<bool>) -> impl IntoView {
    let text = use_context::<EditorText>()
        .map(|shared| shared.0)
        .unwrap_or_else(|| RwSignal::new(sample().to_string()));
    let file = RwSignal::new(FILE_NAME.to_string());
    let notes = RwSignal::new(Vec::<LineNote>::new());
    let outcome = RwSignal::new(None::<Outcome>);
    let line_count = Memo::new(move |_| text.with(|t| t.split('\n').count()));
    let textarea_ref = NodeRef::<html::Textarea>::new();
    let pre_ref = NodeRef::<html::Pre>::new();
    let gutter_ref = NodeRef::<html::Div>::new();
    let apply_ref = NodeRef::<html::Button>::new();

    let sync_scroll = move || {
        let Some(area) = textarea_ref.get_untracked() else {
            return;
        };
        let (top, left) = (area.scroll_top(), area.scroll_left());
        if let Some(pre) = pre_ref.get_untracked() {
            pre.set_scroll_top(top);
            pre.set_scroll_left(left);
        }
        if let Some(gutter) = gutter_ref.get_untracked() {
            gutter.set_scroll_top(top);
        }
    };
    // After the text is replaced (a template), the textarea may have scrolled.
    Effect::new(move |_| {
        text.track();
        request_animation_frame(sync_scroll);
    });

    let set_text = move |value: String| {
        text.set(value);
        if !notes.with_untracked(Vec::is_empty) {
            notes.set(vec![]);
        }
        if outcome.with_untracked(Option::is_some) {
            outcome.set(None);
        }
    };

    // `kubectl edit` opened (or reopened, with its reasons) a buffer: show it here.
    Effect::new(move |_| {
        if let Some((name, buffer)) = session.edit_opened.get() {
            session.edit_opened.set(None);
            file.set(name);
            set_text(buffer);
            open.set(true);
        }
    });
    let editing = move || is_edit_buffer(&file.get());

    let apply = move || {
        let manifest = text.get_untracked();
        let name = file.get_untracked();
        if is_edit_buffer(&name) {
            // Saving is kubectl's editor exiting: the console finishes the edit.
            let command = crate::console::shell::quoted_heredoc(
                &format!("sim editor-save {name}"),
                &manifest,
            );
            let output = session.run_for_output(&command, &format!("sim editor-save {name}"));
            let reopened = session.edit_opened.with_untracked(Option::is_some);
            if !reopened {
                file.set(FILE_NAME.to_string());
            }
            let first = output.lines().next().unwrap_or("").to_string();
            outcome.set(Some(if failed(&output) {
                Outcome::Failed(first)
            } else {
                Outcome::Saved(first)
            }));
            return;
        }
        let output = session.run_for_output(
            &apply_command(&manifest),
            &format!("kubectl apply -f {}", file.get_untracked()),
        );
        if failed(&output) {
            let found = error_markers(&output, &manifest);
            let first = output
                .lines()
                .find(|l| l.contains("rror") || l.contains("invalid"))
                .unwrap_or("")
                .to_string();
            outcome.set(Some(Outcome::Failed(first)));
            notes.set(found);
        } else {
            notes.set(vec![]);
            outcome.set(Some(Outcome::Applied));
        }
    };

    // Puts the caret at the start of `line` and scrolls it into view.
    let go_to_line = move |line: usize| {
        let Some(area) = textarea_ref.get_untracked() else {
            return;
        };
        let at = text.with_untracked(|t| line_start_utf16(t, line));
        let _ = area.focus();
        let _ = area.set_selection_range(at, at);
        if let Some(row) = pre_ref
            .get_untracked()
            .and_then(|pre| pre.children().item(line as u32 - 1))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            area.set_scroll_top(row.offset_top() - area.client_height() / 3);
        }
        sync_scroll();
    };

    let insert_spaces = move || {
        let Some(area) = textarea_ref.get_untracked() else {
            return;
        };
        // execCommand keeps the browser's undo history and fires `input`.
        let done = document()
            .dyn_into::<web_sys::HtmlDocument>()
            .ok()
            .and_then(|d| {
                d.exec_command_with_show_ui_and_value("insertText", false, "  ")
                    .ok()
            })
            .unwrap_or(false);
        if !done {
            let start = area.selection_start().ok().flatten().unwrap_or(0);
            let end = area.selection_end().ok().flatten().unwrap_or(start);
            let _ = area.set_range_text_with_start_and_end_and_mode("  ", start, end, "end");
            set_text(area.value());
        }
    };

    let on_key = move |event: web_sys::KeyboardEvent| {
        let modified = event.ctrl_key() || event.meta_key() || event.alt_key();
        match event.key().as_str() {
            "Tab" if !event.shift_key() && !modified => {
                event.prevent_default();
                insert_spaces();
            }
            "Escape" => {
                // Leave the text for the Apply button: Tab no longer indents there.
                if let Some(button) = apply_ref.get_untracked() {
                    let _ = button.focus();
                }
            }
            "Enter" if event.ctrl_key() || event.meta_key() => {
                event.prevent_default();
                apply();
            }
            _ => {}
        }
    };

    let gutter = move || {
        let marked = notes.get();
        (1..=line_count.get())
            .map(|n| {
                let here: Vec<&LineNote> = marked.iter().filter(|m| m.line == n).collect();
                if here.is_empty() {
                    view! { <div class="gutter-line">{n}</div> }.into_any()
                } else {
                    let message = here
                        .iter()
                        .map(|m| m.message.as_str())
                        .collect::<Vec<_>>()
                        .join("; ");
                    view! {
                        <div
                            class="gutter-line error"
                            data-testid="editor-error-line"
                            data-line=n.to_string()
                            title=format!("Line {n}: {message}")
                            aria-label=format!("Error on line {n}: {message}")
                        >
                            {n}
                        </div>
                    }
                    .into_any()
                }
            })
            .collect_view()
    };

    let (kinds, seeds): (Vec<_>, Vec<_>) =
        TEMPLATES.iter().partition(|t| !t.id.starts_with("seed-"));
    let options = |list: Vec<&'static templates::Template>| {
        list.into_iter()
            .map(|t| view! { <option value=t.id>{t.label}</option> })
            .collect_view()
    };

    view! {
        <aside
            id="editor"
            data-testid="editor"
            class="panel editor-panel"
            aria-label="YAML editor"
            hidden=move || !open.get()
        >
            <header class="panel-header">
                <h2 class="panel-title">"Editor"</h2>
                <span class="file-tab" data-testid="editor-file">{move || file.get()}</span>
                <button
                    class="panel-button"
                    type="button"
                    aria-label="Close the editor"
                    on:click=move |_| open.set(false)
                >
                    "✕"
                </button>
            </header>
            <div class="editor-body">
                <div class="editor-gutter" node_ref=gutter_ref>
                    {gutter}
                </div>
                <div class="editor-code">
                    <pre
                        class="editor-highlight"
                        aria-hidden="true"
                        node_ref=pre_ref
                        inner_html=move || text.with(|t| notes.with(|n| to_html(t, n)))
                    ></pre>
                    <textarea
                        id="editor-text"
                        data-testid="editor-text"
                        class="editor-text"
                        node_ref=textarea_ref
                        spellcheck="false"
                        autocomplete="off"
                        autocapitalize="off"
                        wrap="off"
                        aria-label=move || format!("Manifest {}", file.get())
                        aria-describedby="editor-keys"
                        prop:value=move || text.get()
                        on:input=move |event| set_text(event_target_value(&event))
                        on:scroll=move |_| sync_scroll()
                        on:keydown=on_key
                    ></textarea>
                </div>
            </div>
            <div class="editor-errors" role="status" aria-live="polite">
                {move || match outcome.get() {
                    None => ().into_any(),
                    Some(Outcome::Applied) => view! {
                        <p class="editor-ok">"✓ Applied"</p>
                    }
                    .into_any(),
                    Some(Outcome::Saved(said)) => view! {
                        <p class="editor-ok" data-testid="editor-saved">{said}</p>
                    }
                    .into_any(),
                    Some(Outcome::Failed(first)) => {
                        let list = notes.get();
                        if list.is_empty() {
                            view! {
                                <p class="editor-error" data-testid="editor-error-message">
                                    <span class="editor-error-where">"Not applied: "</span>
                                    {first}
                                </p>
                            }
                            .into_any()
                        } else {
                            list.into_iter()
                                .map(|note| {
                                    let line = note.line;
                                    view! {
                                        <button
                                            type="button"
                                            class="editor-error"
                                            data-testid="editor-error-message"
                                            data-line=line.to_string()
                                            title="Go to this line"
                                            on:click=move |_| go_to_line(line)
                                        >
                                            <span class="editor-error-where">{format!("Line {line}")}</span>
                                            {note.message}
                                        </button>
                                    }
                                })
                                .collect_view()
                                .into_any()
                        }
                    }
                }}
            </div>
            <footer class="panel-footer editor-footer">
                <p class="panel-hint editor-keys" id="editor-keys">
                    <kbd>"Tab"</kbd>" indents · "<kbd>"Shift+Tab"</kbd>" or "<kbd>"Esc"</kbd>
                    " leaves the text · "<kbd>"Ctrl+Enter"</kbd>" applies"
                </p>
                <div class="editor-actions">
                    <select
                        class="editor-template"
                        data-testid="editor-template"
                        aria-label="Replace the text with a template"
                        title="Replace the text with a template"
                        on:change=move |event| {
                            if let Some(t) = templates::find(&event_target_value(&event)) {
                                file.set(t.file.to_string());
                                set_text(t.text.to_string());
                                if let Some(area) = textarea_ref.get_untracked() {
                                    area.set_scroll_top(0);
                                    area.set_scroll_left(0);
                                }
                            }
                        }
                    >
                        <option value="" selected disabled>"Templates…"</option>
                        <optgroup label="Kinds">{options(kinds)}</optgroup>
                        <optgroup label="From the notes">{options(seeds)}</optgroup>
                    </select>
                    <button
                        id="editor-apply"
                        data-testid="editor-apply"
                        class="primary-button"
                        type="button"
                        node_ref=apply_ref
                        on:click=move |_| apply()
                    >
                        {move || if editing() { "Save" } else { "Apply" }}
                    </button>
                </div>
            </footer>
        </aside>
    }
}
