//! The page shell: app bar, the workspace (editor | cluster view over console |
//! inspector, with draggable dividers) and the transport bar. Panel sizes and which
//! panels are open are presentation state owned here.

use leptos::prelude::*;

use super::cluster_view::ClusterView;
use super::console_panel::{ConsolePanel, Session};
use super::editor::{Editor, EditorText};
use super::inspector::{Inspector, Selection};
use super::lesson::{Guide, LessonIndex, LessonPanel, LessonPicker, LessonRequest};
use super::live::Live;
use super::messages_panel::MessagesPanel;
use super::present::{install_keys, NarrationLine, Stage};
use super::share_link::ShareButton;
use super::splitter::{Grows, Splitter};
use super::theme::ThemeToggle;
use super::traffic::{DnsPanel, SideTab, TrafficPanel};
use super::transport::{install_shortcuts, TransportBar};

/// The first-look demo: a small Deployment and its Service, created at t = 0 so pods
/// are being scheduled and started within the first second (`?demo=0` starts empty).
const DEMO: [&str; 2] = [
    "kubectl create deployment hello --image=nginx:1.27 --replicas=3",
    "kubectl expose deployment hello --port=80",
];

const WELCOME: &str =
    "Welcome to kubesim: a simulated cluster with a control plane and four nodes.\n\
    Type kubectl commands (↑/↓ recall, Tab completes, `clear` empties this view).\n";

const HINT: &str = "Try: kubectl scale deployment hello --replicas=6 · kubectl set image deployment/hello nginx=nginx:1.28 · or open the Editor and Apply";

/// Which panels are open and how big they are, in CSS pixels.
#[derive(Clone, Copy)]
struct PanelLayout {
    editor_open: RwSignal<bool>,
    inspector_open: RwSignal<bool>,
    console_open: RwSignal<bool>,
    editor_width: RwSignal<f64>,
    inspector_width: RwSignal<f64>,
    console_height: RwSignal<f64>,
}

impl PanelLayout {
    /// Defaults for the window the page opens in: on a 1280×720 projector the editor and
    /// the inspector start closed so the cluster view gets the room (the inspector opens
    /// when something is selected); from 1600 px wide both start open. A lesson's
    /// narration takes the editor's column, open at any width, and the inspector starts
    /// closed.
    fn for_window(lesson: bool) -> PanelLayout {
        let window = window();
        let width = window
            .inner_width()
            .ok()
            .and_then(|w| w.as_f64())
            .unwrap_or(1280.0);
        let height = window
            .inner_height()
            .ok()
            .and_then(|h| h.as_f64())
            .unwrap_or(720.0);
        PanelLayout {
            editor_open: RwSignal::new(lesson || width >= 1600.0),
            // During a lesson the cluster needs the room; a selection opens it.
            inspector_open: RwSignal::new(!lesson && width >= 1600.0),
            console_open: RwSignal::new(true),
            editor_width: RwSignal::new((width * 0.22).clamp(300.0, 460.0)),
            inspector_width: RwSignal::new((width * 0.27).clamp(300.0, 440.0)),
            console_height: RwSignal::new((height * 0.26).clamp(150.0, 340.0)),
        }
    }

    /// The workspace grid's columns: editor, divider, centre, divider, inspector.
    fn columns(&self) -> String {
        let side = |open: bool, width: f64| {
            if open {
                format!("{width}px 6px")
            } else {
                "0 0".to_string()
            }
        };
        let editor = side(self.editor_open.get(), self.editor_width.get());
        let inspector = side(self.inspector_open.get(), self.inspector_width.get());
        let inspector: String = inspector.split(' ').rev().collect::<Vec<_>>().join(" ");
        format!("{editor} minmax(0, 1fr) {inspector}")
    }

    /// The centre column's rows: cluster view, divider, console.
    fn rows(&self) -> String {
        if self.console_open.get() {
            format!("minmax(0, 1fr) 6px {}px", self.console_height.get())
        } else {
            "minmax(0, 1fr) 0 auto".to_string()
        }
    }
}

/// An app-bar button that opens and closes a panel.
#[component]
fn PanelToggle(label: &'static str, testid: &'static str, open: RwSignal<bool>) -> impl IntoView {
    view! {
        <button
            class="bar-button"
            class:active=move || open.get()
            type="button"
            data-testid=testid
            aria-pressed=move || open.get().to_string()
            aria-label=format!("Show the {}", label.to_lowercase())
            on:click=move |_| open.update(|o| *o = !*o)
        >
            {label}
        </button>
    }
}

#[component]
pub fn App() -> impl IntoView {
    if super::embed::requested() {
        return view! { <super::embed::EmbedApp demo=&DEMO welcome=WELCOME /> }.into_any();
    }
    let request = LessonRequest::from_url();
    let lesson_mode = !request.is_nothing();
    let first_label = if lesson_mode { "Lesson" } else { "Editor" };
    let panels = PanelLayout::for_window(lesson_mode);
    let (live, cluster_note) = Live::for_page(lesson_mode);
    let editor = EditorText::new();
    provide_context(editor);
    // What a restart after a bug puts back in the editor (see `recovery`).
    Effect::new(move |_| {
        let text = editor.0.get();
        super::recovery::record(|tape| tape.editor = text);
    });
    let shared = super::share_link::link_in_url();
    // A lesson starts from the fresh default cluster its test played on, a share link
    // from the one it was made on.
    let demo =
        !lesson_mode && shared.is_none() && super::query_param("demo").is_none_or(|v| v != "0");
    let session = Session::new(live, WELCOME);
    if let Some(note) = cluster_note {
        session.note(&note);
    }
    let guide = match &request {
        LessonRequest::Found(name, scenario) => {
            Some(Guide::new(name, scenario.clone(), session, live))
        }
        _ => None,
    };
    let stage = Stage::new(super::query_param("present").is_some());
    let magnify = Signal::derive(move || stage.magnify());
    let first_column = match request {
        LessonRequest::Nothing => {
            view! { <Editor session=session open=panels.editor_open /> }.into_any()
        }
        LessonRequest::Found(..) => {
            let guide = guide.expect("a found lesson has its guide");
            view! { <LessonPanel guide=guide open=panels.editor_open /> }.into_any()
        }
        LessonRequest::Picker => {
            view! { <LessonIndex unknown=None open=panels.editor_open /> }.into_any()
        }
        LessonRequest::Unknown(name) => {
            view! { <LessonIndex unknown=Some(name) open=panels.editor_open /> }.into_any()
        }
    };
    install_keys(stage, guide, live);
    if let Some(guide) = guide {
        // The speaker-notes window follows the step shown here.
        Effect::new(move |_| super::notes::publish(guide.name, guide.position.get()));
    }
    if demo {
        for command in DEMO {
            session.run(command, command);
        }
    }
    if let (Some(packed), false) = (shared, lesson_mode) {
        super::share_link::open(live, session, packed);
    }
    let selection = RwSignal::new(Selection::Nothing);
    // Selecting something opens the inspector to show it; closing it again is the
    // user's choice and sticks until the next selection.
    Effect::new(move |_| {
        if selection.with(|s| *s != Selection::Nothing) {
            panels.inspector_open.set(true);
        }
    });
    let side_tab = RwSignal::new(SideTab::Messages);
    install_shortcuts(live, stage.presenting);

    view! {
        <div class="app" id="app" data-testid="app" class:presenting=move || stage.presenting.get()>
            <header class="app-bar" id="app-bar" data-testid="app-bar" role="banner">
                <div class="brand">
                    <svg class="logo" viewBox="0 0 32 32" aria-hidden="true">
                        <path d="M16 2l12.1 7v14L16 30 3.9 23V9z" class="logo-shape" />
                        <circle cx="16" cy="16" r="4.2" class="logo-core" />
                        <path d="M16 6.5v5M16 20.5v5M7.8 11.2l4.3 2.5M19.9 18.3l4.3 2.5M7.8 20.8l4.3-2.5M19.9 13.7l4.3-2.5" class="logo-spokes" />
                    </svg>
                    <h1 class="brand-name">"kubesim"</h1>
                    <span class="brand-tagline">"a Kubernetes cluster, simulated in your browser"</span>
                </div>
                <nav class="bar-actions" aria-label="Panels and theme">
                    <LessonPicker />
                    <ShareButton live=live />
                    <PanelToggle label=first_label testid="toggle-editor" open=panels.editor_open />
                    <PanelToggle label="Console" testid="toggle-console" open=panels.console_open />
                    <PanelToggle label="Inspector" testid="toggle-inspector" open=panels.inspector_open />
                    <ThemeToggle />
                </nav>
            </header>
            <main class="workspace" id="workspace" data-testid="workspace" style:grid-template-columns=move || panels.columns()>
                {first_column}
                <Show when=move || panels.editor_open.get()>
                    <Splitter
                        id="split-editor"
                        label="Resize the editor"
                        size=panels.editor_width
                        min=240.0
                        max=720.0
                        grows=Grows::Right
                    />
                </Show>
                <div class="centre" style:grid-template-rows=move || panels.rows()>
                    <ClusterView live=live selection=selection magnify=magnify />
                    <NarrationLine stage=stage guide=guide live=live />
                    <Show when=move || panels.console_open.get()>
                        <Splitter
                            id="split-console"
                            label="Resize the console"
                            size=panels.console_height
                            min=110.0
                            max=720.0
                            grows=Grows::Up
                        />
                    </Show>
                    <div class="bottom-row" class:collapsed=move || !panels.console_open.get()>
                        <ConsolePanel session=session open=panels.console_open />
                        <div class="side-panels" hidden=move || !panels.console_open.get()>
                            <MessagesPanel live=live selection=selection tab=side_tab />
                            <TrafficPanel live=live tab=side_tab inspect=selection />
                            <DnsPanel live=live tab=side_tab inspect=selection />
                            <super::compare::ComparePanel live=live tab=side_tab />
                        </div>
                    </div>
                </div>
                <Show when=move || panels.inspector_open.get()>
                    <Splitter
                        id="split-inspector"
                        label="Resize the inspector"
                        size=panels.inspector_width
                        min=220.0
                        max=640.0
                        grows=Grows::Left
                    />
                </Show>
                <Inspector live=live selection=selection open=panels.inspector_open />
            </main>
            <p class="hint-line" data-testid="hint" hidden=move || !demo>{HINT}</p>
            <TransportBar live=live />
        </div>
    }
    .into_any()
}
