//! The console: a terminal onto [`Console`], the same command language as the native
//! CLI. One [`Session`] per page holds the console and its scrollback; the editor's
//! Apply button runs through it too, so everything that changes the cluster shows here.

use leptos::html;
use leptos::prelude::*;

use super::live::Live;
use crate::console::complete::{complete, Completion};

/// One line of scrollback: a command and what it printed, or a note from the page.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub id: usize,
    /// `None` for a note that was not typed (the welcome line).
    pub command: Option<String>,
    pub output: String,
}

/// The page's console and its scrollback. `Copy`, so components take it by value.
#[derive(Clone, Copy)]
pub struct Session {
    /// The running simulation: commands go through its timeline so rewinding can
    /// replay them.
    live: Live,
    pub scrollback: RwSignal<Vec<Entry>>,
    /// Commands typed, oldest first, for ↑/↓.
    history: RwSignal<Vec<String>>,
    /// The prompt's line being typed (a guided lesson types its commands here too).
    pub input: RwSignal<String>,
    /// A buffer `kubectl edit` opened, (file, text), for the editor panel to show.
    pub edit_opened: RwSignal<Option<(String, String)>>,
    /// The entry of a typed line whose later commands are still running: what they
    /// print is added to it as they run.
    running_entry: StoredValue<Option<usize>>,
    /// Pasted commands (text, as shown) waiting for the ones before them to settle, so
    /// a pasted script runs over frames as a terminal runs it, not inside one.
    queued: StoredValue<std::collections::VecDeque<(String, String)>>,
}

impl Session {
    pub fn new(live: Live, welcome: &str) -> Session {
        let welcome = Entry {
            id: 0,
            command: None,
            output: welcome.to_string(),
        };
        let session = Session {
            live,
            scrollback: RwSignal::new(vec![welcome]),
            history: RwSignal::new(Vec::new()),
            input: RwSignal::new(String::new()),
            edit_opened: RwSignal::new(None),
            running_entry: StoredValue::new(None),
            queued: StoredValue::new(Default::default()),
        };
        Effect::new(move |_| {
            live.console_news.track();
            session.add_printed();
            session.run_queued();
        });
        session
    }

    /// Adds what the running line's later commands printed to its entry.
    fn add_printed(&self) {
        let printed = self.live.take_printed();
        let Some(id) = self.running_entry.get_value() else {
            return;
        };
        if !printed.is_empty() {
            self.scrollback.update(|entries| {
                if let Some(entry) = entries.iter_mut().rev().find(|e| e.id == id) {
                    entry.output.push_str(&printed);
                }
            });
        }
        if !self.live.timeline.with_value(|t| t.is_running()) {
            self.running_entry.set_value(None);
        }
    }

    /// Runs `command` (heredoc lines may follow its first line), shown as `shown`.
    pub fn run(&self, command: &str, shown: &str) {
        let output = self.live.execute(command);
        // The line before may have been running still: this one finished it first.
        self.add_printed();
        if let Some(opened) = self.live.take_edit_to_show() {
            self.edit_opened.set(Some(opened));
        }
        let running = self.live.timeline.with_value(|t| t.is_running());
        self.scrollback.update(|entries| {
            let id = entries.last().map_or(0, |e| e.id + 1);
            entries.push(Entry {
                id,
                command: Some(shown.to_string()),
                output,
            });
            if running {
                self.running_entry.set_value(Some(id));
            }
        });
    }

    /// Runs pasted commands one after another: each waits until the one before it has
    /// been worked off by the frame loop (the same bytes as running them at once).
    pub fn run_in_turn(&self, units: Vec<(String, String)>) {
        self.queued.update_value(|queue| queue.extend(units));
        self.run_queued();
    }

    /// Runs queued commands while the cluster has nothing owed.
    fn run_queued(&self) {
        while !self.live.timeline.with_value(|t| t.is_busy()) {
            let next = self
                .queued
                .try_update_value(|queue| queue.pop_front())
                .flatten();
            let Some((text, shown)) = next else {
                return;
            };
            self.run(&text, &shown);
        }
    }

    /// Adds a note from the page (not a command) to the scrollback.
    pub fn note(&self, text: &str) {
        self.scrollback.update(|entries| {
            let id = entries.last().map_or(0, |e| e.id + 1);
            entries.push(Entry {
                id,
                command: None,
                output: text.to_string(),
            });
        });
    }

    /// Runs a line typed at the prompt and adds it to the history.
    fn submit(&self, line: &str) {
        let line = line.trim();
        if line.is_empty() {
            return;
        }
        self.history.update(|history| {
            if history.last().map(String::as_str) != Some(line) {
                history.push(line.to_string());
            }
        });
        if line == "clear" {
            self.scrollback.set(Vec::new());
            self.running_entry.set_value(None);
        } else if super::explain_docs::wanted_by(line) {
            // `kubectl explain` reads documentation the page fetches on first use.
            let (session, line) = (*self, line.to_string());
            leptos::task::spawn_local(async move {
                if let Err(e) = super::explain_docs::load().await {
                    session.note(&format!(
                        "kubesim: could not load the API documentation ({e})\n"
                    ));
                }
                session.run(&line, &line);
            });
        } else if self.queued.with_value(|queue| !queue.is_empty()) {
            // Typed while a pasted script runs: it waits its turn, as in a terminal.
            self.run_in_turn(vec![(line.to_string(), line.to_string())]);
        } else {
            self.run(line, line);
        }
    }

    /// Like [`Session::run`], and returns what the command printed (the editor reads its
    /// errors to mark lines).
    pub fn run_for_output(&self, command: &str, shown: &str) -> String {
        self.run(command, shown);
        self.scrollback.with_untracked(|entries| {
            entries
                .last()
                .map(|entry| entry.output.clone())
                .unwrap_or_default()
        })
    }

    /// Tab completion of `line` against the console (nothing runs).
    fn complete(&self, line: &str) -> Completion {
        self.live
            .timeline
            .try_with_value(|timeline| complete(timeline.console(), line))
            .unwrap_or_default()
    }

    /// Lists completion candidates in the scrollback, as a shell lists them.
    fn list_candidates(&self, candidates: &[String]) {
        self.note(&format!("{}\n", candidates.join("  ")));
    }
}

/// The plain text of a paste (`event.clipboardData.getData("text")`).
fn pasted_text(event: &web_sys::ClipboardEvent) -> Option<String> {
    use wasm_bindgen::JsCast;
    let data = js_sys::Reflect::get(event, &"clipboardData".into()).ok()?;
    let get_data: js_sys::Function = js_sys::Reflect::get(&data, &"getData".into())
        .ok()?
        .dyn_into()
        .ok()?;
    get_data.call1(&data, &"text".into()).ok()?.as_string()
}

/// Where ↑/↓ has got to in the history: `None` is the line being typed.
fn recall(history: &[String], at: Option<usize>, up: bool) -> Option<usize> {
    match (at, up) {
        (None, true) => history.len().checked_sub(1),
        (Some(i), true) => Some(i.saturating_sub(1)),
        (Some(i), false) if i + 1 < history.len() => Some(i + 1),
        (_, false) => None,
    }
}

#[component]
pub fn ConsolePanel(session: Session, open: RwSignal<bool>) -> impl IntoView {
    let input = session.input;
    let recalled = RwSignal::new(None::<usize>);
    let output_ref = NodeRef::<html::Div>::new();
    let input_ref = NodeRef::<html::Input>::new();

    // Keep the newest output in view, once the frame's DOM changes are laid out: a busy
    // line prints on many frames, and reading the height mid-frame forced a layout of
    // the whole page (the cluster drawing included) each time.
    Effect::new(move |_| {
        session.scrollback.track();
        if let Some(output) = output_ref.get() {
            super::scroll::scroll_to_end_soon(&output);
        }
    });

    let on_key = move |event: web_sys::KeyboardEvent| match event.key().as_str() {
        "Enter" => {
            event.prevent_default();
            session.submit(&input.get_untracked());
            input.set(String::new());
            recalled.set(None);
        }
        "Tab" if !event.shift_key() && !event.ctrl_key() && !event.alt_key() => {
            // Only keep focus when Tab did something: an empty line lets Tab move on.
            let line = input.get_untracked();
            let done = session.complete(&line);
            if done.is_useful(&line) {
                event.prevent_default();
                if !done.candidates.is_empty() {
                    session.list_candidates(&done.candidates);
                }
                input.set(done.line);
                recalled.set(None);
            }
        }
        key @ ("ArrowUp" | "ArrowDown") => {
            event.prevent_default();
            let history = session.history.get_untracked();
            let at = recall(&history, recalled.get_untracked(), key == "ArrowUp");
            recalled.set(at);
            input.set(at.map(|i| history[i].clone()).unwrap_or_default());
        }
        _ => {}
    };
    // Several lines pasted at once (a heredoc, a block of commands from a tutorial) run
    // as a script would: each command with its heredoc, in order. One line pastes as usual.
    let on_paste = move |event: web_sys::ClipboardEvent| {
        let Some(text) = pasted_text(&event) else {
            return;
        };
        if !text.trim_end().contains('\n') {
            return;
        }
        event.prevent_default();
        let typed = input.get_untracked();
        let script = format!("{typed}{text}");
        let units = crate::console::shell::split_units(&script);
        session.history.update(|history| {
            history.extend(units.iter().map(|unit| unit.display.clone()));
        });
        session.run_in_turn(units.into_iter().map(|u| (u.text, u.display)).collect());
        input.set(String::new());
        recalled.set(None);
    };
    let focus_input = move |_| {
        // A click that ends a text selection in the output keeps the selection.
        let selecting = window()
            .get_selection()
            .ok()
            .flatten()
            .is_some_and(|s| !s.is_collapsed());
        if selecting {
            return;
        }
        if let Some(field) = input_ref.get() {
            let _ = field.focus();
        }
    };

    view! {
        <section
            id="console"
            data-testid="console"
            class="panel console-panel"
            class:collapsed=move || !open.get()
            aria-label="Console"
        >
            <header class="panel-header">
                <h2 class="panel-title">"Console"</h2>
                <span class="panel-hint">"kubectl · sim · sleep"</span>
                <button
                    class="panel-button export-transcript"
                    type="button"
                    data-testid="console-export"
                    aria-label="Save the transcript as Markdown"
                    title="Save the transcript as Markdown"
                    on:click=move |_| {
                        let text = session.scrollback.with(|entries| {
                            super::transcript::markdown(entries.iter().map(|e| (e.command.as_deref(), e.output.as_str())))
                        });
                        super::export::save_text(&text, "kubesim-session.md", "text/markdown");
                    }
                >
                    "Save .md"
                </button>
                <button
                    class="panel-button"
                    type="button"
                    data-testid="console-collapse"
                    aria-label=move || if open.get() { "Collapse the console" } else { "Expand the console" }
                    aria-expanded=move || open.get().to_string()
                    on:click=move |_| open.update(|o| *o = !*o)
                >
                    {move || if open.get() { "▾" } else { "▴" }}
                </button>
            </header>
            <div class="console-body" on:click=focus_input>
                <div
                    class="console-output"
                    data-testid="console-output"
                    node_ref=output_ref
                    role="log"
                    aria-live="polite"
                    aria-label="Console output"
                >
                    <For
                        each=move || session.scrollback.get()
                        // The output's length too: a running line's entry grows.
                        key=|entry| (entry.id, entry.output.len())
                        children=|entry| {
                            let copy_text = match &entry.command {
                                Some(command) => format!("$ {command}\n{}", entry.output),
                                None => entry.output.clone(),
                            };
                            view! {
                                <div class="console-entry">
                                    <CopyButton text=copy_text />
                                    {entry.command.map(|command| view! {
                                        <div class="console-command">
                                            <span class="prompt" aria-hidden="true">"$ "</span>
                                            {command}
                                        </div>
                                    })}
                                    <pre class="console-text">{entry.output}</pre>
                                </div>
                            }
                        }
                    />
                </div>
                <label class="console-input-line">
                    <span class="prompt" aria-hidden="true">"$"</span>
                    <input
                        id="console-input"
                        data-testid="console-input"
                        node_ref=input_ref
                        type="text"
                        autocomplete="off"
                        spellcheck="false"
                        aria-label="Console command"
                        placeholder="kubectl get pods -A"
                        prop:value=move || input.get()
                        on:input=move |event| input.set(event_target_value(&event))
                        on:keydown=on_key
                        on:paste=on_paste
                    />
                </label>
            </div>
        </section>
    }
}

/// Copies one entry (the command and its output) to the clipboard, and says so.
#[component]
fn CopyButton(text: String) -> impl IntoView {
    // None: idle; Some(true): copied; Some(false): the browser refused.
    let state = RwSignal::new(None::<bool>);
    let copy = move |event: web_sys::MouseEvent| {
        event.stop_propagation();
        let promise = window().navigator().clipboard().write_text(&text);
        leptos::task::spawn_local(async move {
            let ok = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
            state.set(Some(ok));
            gloo_timers::future::TimeoutFuture::new(1500).await;
            state.set(None);
        });
    };
    view! {
        <button
            type="button"
            class="console-copy"
            class:copied=move || state.get() == Some(true)
            data-testid="console-copy"
            aria-label="Copy this command and its output"
            title="Copy this command and its output"
            on:click=copy
        >
            {move || match state.get() {
                None => "Copy",
                Some(true) => "Copied ✓",
                Some(false) => "Copy failed",
            }}
        </button>
    }
}
