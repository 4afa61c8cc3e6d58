//! Speaker notes in a second window (`?scenario=NAME&notes`, opened with S while
//! presenting), kept in step as reveal.js keeps its notes: the presenting window writes
//! the step it shows to localStorage, and the browser tells every other window of the
//! page's origin with a `storage` event. The notes window runs no simulation; it shows
//! the step's whole narration, its commands, and what comes next.

use leptos::prelude::*;

use super::lesson::{inline_view, narration_view, LessonRequest};

/// The localStorage key: `NAME\nPOSITION`.
const NOTES_KEY: &str = "kubesim-notes-step";

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// Tells the notes window that lesson `name` shows `position` (0: the introduction).
pub fn publish(name: &str, position: usize) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(NOTES_KEY, &format!("{name}\n{position}"));
    }
}

/// Opens (or brings back) the notes window for lesson `name`.
pub fn open_window(name: &str) {
    let _ = window().open_with_url_and_target(&format!("?scenario={name}&notes"), "kubesim-notes");
}

/// The position a stored value gives for lesson `name`, of `steps` steps. Storage is
/// outside input (another version's lesson, another page of the origin, a hand edit):
/// a position past the last step is no position.
fn position_in(value: Option<String>, name: &str, steps: usize) -> Option<usize> {
    let value = value?;
    let (stored, position) = value.split_once('\n')?;
    let position: usize = (stored == name).then(|| position.parse().ok()).flatten()?;
    (position <= steps).then_some(position)
}

#[component]
pub fn SpeakerNotes() -> impl IntoView {
    let LessonRequest::Found(name, scenario) = LessonRequest::from_url() else {
        return view! {
            <main class="notes" data-testid="speaker-notes">
                <p class="lesson-error">"Speaker notes follow a lesson: press S while presenting ?scenario=NAME&present."</p>
            </main>
        }
        .into_any();
    };
    let stored = storage().and_then(|s| s.get_item(NOTES_KEY).ok().flatten());
    let steps = scenario.steps.len();
    let position = RwSignal::new(position_in(stored, name, steps).unwrap_or(0));
    let handle = window_event_listener(leptos::ev::storage, move |event| {
        if event.key().as_deref() == Some(NOTES_KEY) {
            if let Some(p) = position_in(event.new_value(), name, steps) {
                position.set(p);
            }
        }
    });
    // The window lives as long as its listener.
    std::mem::forget(handle);
    let scenario = StoredValue::new(scenario);
    let current = move || {
        let k = position.get();
        scenario.with_value(|s| {
            let (heading, narration, commands) = match k {
                0 => ("Introduction".to_string(), s.intro.clone(), Vec::new()),
                k => {
                    let step = &s.steps[k - 1];
                    let commands = step.blocks.iter().map(|b| b.script.clone()).collect();
                    (step.title.clone(), step.narration.clone(), commands)
                }
            };
            let next = s
                .steps
                .get(k)
                .map(|step| format!("Next: {}", step.title))
                .unwrap_or_else(|| "Last step".to_string());
            view! {
                // What comes next first: the speaker sees it without scrolling.
                <p class="notes-progress" data-testid="notes-progress">
                    {format!("{k} / {steps}")}
                    <span class="notes-next" data-testid="notes-next">{next}</span>
                </p>
                <h2 class="notes-step" data-testid="notes-step">{inline_view(super::lesson_text::inlines(&heading))}</h2>
                <div class="notes-narration">{narration_view(&narration)}</div>
                {commands.into_iter().map(|c| view! { <pre class="lesson-commands">{c}</pre> }).collect_view()}
            }
        })
    };
    let title = scenario.with_value(|s| s.title.clone());
    view! {
        <main class="notes" data-testid="speaker-notes" aria-label="Speaker notes">
            <h1 class="notes-title">"Speaker notes · "{title}</h1>
            {current}
        </main>
    }
    .into_any()
}
