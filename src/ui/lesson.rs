//! The guided lesson (`?scenario=NAME`): a scenario's narration beside the cluster,
//! Back/Next, and each step's commands typed into the console for everyone to see.
//!
//! A step's commands run with the clock paused, one after the other, so the typing
//! animation adds no virtual time between them (as in `cargo test`'s play; the time a
//! learner spends between steps does pass, the clock playing on). Back rewinds to the
//! moment the previous step was complete (the timeline replays the simulation, so it is
//! exactly as it was); Next after Back plays the tape forward to where the step ended,
//! unless the learner typed something meanwhile, which starts a new branch — then the
//! step's commands run again from there.

use leptos::prelude::*;

use super::console_panel::Session;
use super::lesson_text::{paragraphs, Inline, Paragraph};
use super::live::Live;
use crate::console::shell;
use crate::scenario::{self, Scenario, LESSONS};
use crate::sim::time::Millis;

/// Longer names are cut when echoed back in the "no such lesson" message.
const SHOWN_NAME_MAX: usize = 60;
/// Wall milliseconds between two keystrokes of a command being typed.
const KEY_MS: u32 = 28;
/// A command is typed in at most this many keystrokes, however long it is.
const MOST_KEYSTROKES: usize = 36;
/// A pause after each command, so its output can be seen arriving.
const AFTER_COMMAND_MS: u32 = 350;

/// What `?scenario=` asks for.
pub enum LessonRequest {
    /// No `scenario` parameter: the ordinary page.
    Nothing,
    /// `?scenario=` with no name: the list of lessons.
    Picker,
    /// A name no bundled lesson has.
    Unknown(String),
    /// The lesson's name and its parsed text.
    Found(&'static str, Scenario),
}

impl LessonRequest {
    pub fn from_url() -> LessonRequest {
        match super::query_param("scenario") {
            None => LessonRequest::Nothing,
            Some(name) if name.trim().is_empty() => LessonRequest::Picker,
            Some(name) => match scenario::lesson(name.trim()) {
                // Bundled lessons are parsed by `cargo test`; a failure here is a bug.
                Some(lesson) => LessonRequest::Found(
                    lesson.name,
                    scenario::parse(lesson.text).expect("bundled lessons parse"),
                ),
                None => LessonRequest::Unknown(name),
            },
        }
    }

    pub fn is_nothing(&self) -> bool {
        matches!(self, LessonRequest::Nothing)
    }
}

/// A lesson being followed. `Copy`, so components and key handlers take it by value.
#[derive(Clone, Copy)]
pub struct Guide {
    pub name: &'static str,
    scenario: StoredValue<Scenario>,
    /// 0: the introduction; k: step k, played.
    pub position: RwSignal<usize>,
    /// A step's commands are being typed and run: Back and Next wait.
    pub busy: RwSignal<bool>,
    /// The command being typed or run, for the presentation's narration line.
    pub running: RwSignal<Option<String>>,
    /// For each position reached: the virtual time it was complete at and how many
    /// commands the timeline had recorded then (the tape is unchanged while that holds).
    reached: StoredValue<Vec<(Millis, usize)>>,
    session: Session,
    live: Live,
}

impl Guide {
    pub fn new(name: &'static str, scenario: Scenario, session: Session, live: Live) -> Guide {
        Guide {
            name,
            scenario: StoredValue::new(scenario),
            position: RwSignal::new(0),
            busy: RwSignal::new(false),
            running: RwSignal::new(None),
            reached: StoredValue::new(vec![(live.now.get_untracked(), 0)]),
            session,
            live,
        }
    }

    /// Whether Next has a step to play now (reactive). A pending lesson has none: it
    /// is written ahead of the simulator and is not played.
    fn can_go_on(&self) -> bool {
        !self.busy.get() && self.position.get() < self.steps() && self.pending().is_none()
    }

    fn pending(&self) -> Option<String> {
        self.scenario.with_value(|s| s.pending.clone())
    }

    pub fn steps(&self) -> usize {
        self.scenario.with_value(|s| s.steps.len())
    }

    pub fn title(&self) -> String {
        self.scenario.with_value(|s| s.title.clone())
    }

    /// The narration line for the presentation: the step's title and first paragraph.
    pub fn line(&self) -> (String, String) {
        let position = self.position.get();
        self.scenario.with_value(|s| match position {
            0 => (
                s.title.clone(),
                super::lesson_text::first_sentence_line(&s.intro),
            ),
            k => (
                format!("{k}/{} · {}", s.steps.len(), s.steps[k - 1].title),
                super::lesson_text::first_sentence_line(&s.steps[k - 1].narration),
            ),
        })
    }

    fn tape_length(&self) -> usize {
        self.live
            .timeline
            .try_with_value(|t| t.commands().len())
            .unwrap_or_default()
    }

    /// The next step: replayed from the tape if this lesson already ran it on the
    /// current branch, else typed and run.
    pub fn next(&self) {
        let position = self.position.get_untracked();
        if self.busy.get_untracked() || position >= self.steps() || self.pending().is_some() {
            return;
        }
        let target = position + 1;
        let reached = self.reached.get_value();
        let tape_unchanged = reached
            .last()
            .is_some_and(|&(_, n)| n == self.tape_length());
        if let (Some(&(at, _)), true) = (reached.get(target), tape_unchanged) {
            self.live.seek(at);
            self.position.set(target);
            self.live.playing.set(true);
            return;
        }
        self.reached.update_value(|r| r.truncate(target));
        self.position.set(target);
        self.play_step(target);
    }

    /// Back to the moment the previous step was complete.
    pub fn back(&self) {
        let position = self.position.get_untracked();
        if self.busy.get_untracked() || position == 0 {
            return;
        }
        let Some(&(at, _)) = self
            .reached
            .with_value(|r| r.get(position - 1).copied())
            .as_ref()
        else {
            return;
        };
        self.live.playing.set(false);
        self.live.seek(at);
        self.position.set(position - 1);
    }

    /// Types and runs step `k`'s commands, the clock paused, then plays on.
    fn play_step(&self, k: usize) {
        let units: Vec<shell::Unit> = self.scenario.with_value(|s| {
            s.steps[k - 1]
                .blocks
                .iter()
                .flat_map(|b| shell::split_units(&b.script))
                .collect()
        });
        let guide = *self;
        guide.busy.set(true);
        guide.live.playing.set(false);
        leptos::task::spawn_local(async move {
            for unit in units {
                let first_line = unit.display.lines().next().unwrap_or_default().to_string();
                guide.running.set(Some(first_line.clone()));
                type_into(guide.session.input, &first_line).await;
                guide.session.run(&unit.text, &unit.display);
                guide.session.input.set(String::new());
                gloo_timers::future::TimeoutFuture::new(AFTER_COMMAND_MS).await;
            }
            let done = (guide.live.now.get_untracked(), guide.tape_length());
            guide.reached.update_value(|r| r.push(done));
            guide.running.set(None);
            guide.busy.set(false);
            guide.live.playing.set(true);
        });
    }
}

/// Shows `text` arriving in the console's input a few characters at a time.
async fn type_into(input: RwSignal<String>, text: &str) {
    let chars: Vec<char> = text.chars().collect();
    let per_key = chars.len().div_ceil(MOST_KEYSTROKES).max(1);
    for end in (per_key..chars.len() + per_key).step_by(per_key) {
        input.set(chars[..end.min(chars.len())].iter().collect());
        gloo_timers::future::TimeoutFuture::new(KEY_MS).await;
    }
}

/// Each bundled lesson's name, title and whether it is pending, for the pickers.
fn catalogue() -> Vec<(&'static str, String, bool)> {
    LESSONS
        .iter()
        .filter_map(|l| {
            let s = scenario::parse(l.text).ok()?;
            Some((l.name, s.title, s.pending.is_some()))
        })
        .collect()
}

/// The lessons as links (`?scenario=NAME`); a pending one is listed, not linked.
#[component]
fn LessonList() -> impl IntoView {
    view! {
        <ul class="lesson-list" data-testid="lesson-list">
            {catalogue()
                .into_iter()
                .map(|(name, title, pending)| {
                    if pending {
                        view! {
                            <li class="pending">
                                <span>{title}</span>
                                <span class="lesson-badge">"pending"</span>
                            </li>
                        }
                        .into_any()
                    } else {
                        view! {
                            <li><a href=format!("?scenario={name}") data-lesson=name>{title}</a></li>
                        }
                        .into_any()
                    }
                })
                .collect_view()}
        </ul>
    }
}

/// The app bar's "Lessons" menu.
#[component]
pub fn LessonPicker() -> impl IntoView {
    view! {
        <details class="lesson-picker" data-testid="lesson-picker">
            <summary class="bar-button">"Lessons"</summary>
            <div class="lesson-menu">
                <LessonList />
            </div>
        </details>
    }
}

pub(super) fn inline_view(parts: Vec<Inline>) -> impl IntoView {
    parts
        .into_iter()
        .map(|part| match part {
            Inline::Text(text) => view! { <span>{text}</span> }.into_any(),
            Inline::Code(code) => view! { <code>{code}</code> }.into_any(),
        })
        .collect_view()
}

pub(super) fn narration_view(text: &str) -> impl IntoView {
    paragraphs(text)
        .into_iter()
        .map(|p| match p {
            Paragraph::Text(parts) => view! { <p>{inline_view(parts)}</p> }.into_any(),
            Paragraph::Item(parts) => {
                view! { <p class="item">"• "{inline_view(parts)}</p> }.into_any()
            }
            Paragraph::Code(code) => view! { <pre class="lesson-code">{code}</pre> }.into_any(),
        })
        .collect_view()
}

/// The lesson column: the narration of the step on screen, its commands, Back/Next.
#[component]
pub fn LessonPanel(guide: Guide, open: RwSignal<bool>) -> impl IntoView {
    let steps = guide.steps();
    let body = move || {
        let position = guide.position.get();
        guide.scenario.with_value(|s| {
            if position == 0 {
                let outline = s
                    .steps
                    .iter()
                    .map(|step| view! { <li>{inline_view(super::lesson_text::inlines(&step.title))}</li> })
                    .collect_view();
                let pending = s.pending.clone().map(|why| view! {
                    <p class="lesson-error" role="status" data-testid="lesson-pending">
                        "Pending, not played: "{why}
                    </p>
                });
                view! {
                    <div class="lesson-narration" data-testid="lesson-narration">
                        {pending}
                        {narration_view(&s.intro)}
                        <ol class="lesson-outline">{outline}</ol>
                    </div>
                }
                .into_any()
            } else {
                let step = &s.steps[position - 1];
                let commands = step
                    .blocks
                    .iter()
                    .map(|b| view! { <pre class="lesson-commands">{b.script.clone()}</pre> })
                    .collect_view();
                view! {
                    <div class="lesson-narration" data-testid="lesson-narration">
                        <h4 class="lesson-step-title" data-testid="lesson-step-title">
                            {inline_view(super::lesson_text::inlines(&step.title))}
                        </h4>
                        {narration_view(&step.narration)}
                        {(!step.blocks.is_empty()).then(|| view! { <p class="lesson-runs">"Runs in the console:"</p> })}
                        {commands}
                    </div>
                }
                .into_any()
            }
        })
    };
    view! {
        <aside
            id="lesson"
            data-testid="lesson"
            class="panel editor-panel lesson-panel"
            aria-label="Lesson"
            hidden=move || !open.get()
        >
            <header class="panel-header">
                <h2 class="panel-title">"Lesson"</h2>
                <span class="panel-hint" data-testid="lesson-progress">
                    {move || match guide.position.get() {
                        0 => format!("{steps} steps"),
                        k => format!("step {k} of {steps}"),
                    }}
                </span>
            </header>
            <div class="lesson-body">
                <h3 class="lesson-title" data-testid="lesson-title">{inline_view(super::lesson_text::inlines(&guide.title()))}</h3>
                {body}
            </div>
            <footer class="lesson-nav">
                <button
                    type="button"
                    class="lesson-button"
                    data-testid="lesson-back"
                    disabled=move || guide.busy.get() || guide.position.get() == 0
                    on:click=move |_| guide.back()
                >
                    "← Back"
                </button>
                <span class="lesson-dots" aria-hidden="true">
                    {move || format!("{} / {steps}", guide.position.get())}
                </span>
                <button
                    type="button"
                    class="lesson-button primary"
                    data-testid="lesson-next"
                    disabled=move || !guide.can_go_on()
                    on:click=move |_| guide.next()
                >
                    {move || match (guide.busy.get(), guide.position.get()) {
                        (true, _) => "Running…",
                        (false, 0) => "Start →",
                        _ => "Next →",
                    }}
                </button>
            </footer>
        </aside>
    }
}

/// The lesson column when the URL asked for the list, or for a lesson that is not
/// there. The name asked for is shown as text, shortened, and nothing runs.
#[component]
pub fn LessonIndex(unknown: Option<String>, open: RwSignal<bool>) -> impl IntoView {
    let message = unknown.map(|name| {
        let mut shown: String = name.chars().take(SHOWN_NAME_MAX).collect();
        if name.chars().count() > SHOWN_NAME_MAX {
            shown.push('…');
        }
        view! {
            <p class="lesson-error" role="alert" data-testid="lesson-error">
                "There is no lesson called “"{shown}"”. Nothing was run; choose one of these:"
            </p>
        }
    });
    view! {
        <aside
            id="lesson"
            data-testid="lesson"
            class="panel editor-panel lesson-panel"
            aria-label="Lessons"
            hidden=move || !open.get()
        >
            <header class="panel-header">
                <h2 class="panel-title">"Lessons"</h2>
            </header>
            <div class="lesson-body">
                {message}
                <LessonList />
            </div>
        </aside>
    }
}
