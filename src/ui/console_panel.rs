//! The console: a terminal onto [`Console`], the same command language as the native
//! CLI. One [`Session`] per page holds the console and its scrollback; the editor's
//! Apply button runs through it too, so everything that changes the cluster shows here.

use leptos::html;
use leptos::prelude::*;

use super::live::Live;

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
}

impl Session {
    pub fn new(live: Live, welcome: &str) -> Session {
        let welcome = Entry {
            id: 0,
            command: None,
            output: welcome.to_string(),
        };
        Session {
            live,
            scrollback: RwSignal::new(vec![welcome]),
            history: RwSignal::new(Vec::new()),
        }
    }

    /// Runs `command` (heredoc lines may follow its first line), shown as `shown`.
    pub fn run(&self, command: &str, shown: &str) {
        let output = self.live.execute(command);
        self.scrollback.update(|entries| {
            let id = entries.last().map_or(0, |e| e.id + 1);
            entries.push(Entry {
                id,
                command: Some(shown.to_string()),
                output,
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
        } else {
            self.run(line, line);
        }
    }
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
    let input = RwSignal::new(String::new());
    let recalled = RwSignal::new(None::<usize>);
    let output_ref = NodeRef::<html::Div>::new();
    let input_ref = NodeRef::<html::Input>::new();

    // Keep the newest output in view.
    Effect::new(move |_| {
        session.scrollback.track();
        if let Some(output) = output_ref.get() {
            output.set_scroll_top(output.scroll_height());
        }
    });

    let on_key = move |event: web_sys::KeyboardEvent| match event.key().as_str() {
        "Enter" => {
            event.prevent_default();
            session.submit(&input.get_untracked());
            input.set(String::new());
            recalled.set(None);
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
    let focus_input = move |_| {
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
                        key=|entry| entry.id
                        children=|entry| {
                            view! {
                                <div class="console-entry">
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
                    />
                </label>
            </div>
        </section>
    }
}
