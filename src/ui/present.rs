//! Presentation mode (`?present`, or the key P): the cluster alone, drawn large enough
//! to read from the back of a hall, with one narration line under it, and the keys a
//! presenter remote sends — PageDown/→ next step, PageUp/← back, B (or .) for a black
//! screen, S for the speaker notes in a second window (see `notes`), Escape to leave. Everything else on the page is hidden by the `presenting`
//! class (see `www/style.css`), so the regions keep their state for when it ends.

use leptos::prelude::*;

use super::lesson::Guide;
use super::live::Live;
use super::transport::not_a_shortcut;

/// How much larger the cluster is drawn while presenting: the drawing's smallest text
/// (11.5 px) becomes 20 px at this scale.
pub const MAGNIFY: f64 = 1.75;

/// Whether the page is presenting, and whether the screen is blacked out.
#[derive(Clone, Copy)]
pub struct Stage {
    pub presenting: RwSignal<bool>,
    pub black: RwSignal<bool>,
}

impl Stage {
    pub fn new(presenting: bool) -> Stage {
        Stage {
            presenting: RwSignal::new(presenting),
            black: RwSignal::new(false),
        }
    }

    /// The factor the cluster view is drawn at.
    pub fn magnify(&self) -> f64 {
        if self.presenting.get() {
            MAGNIFY
        } else {
            1.0
        }
    }

    fn toggle(&self) {
        let on = !self.presenting.get_untracked();
        self.presenting.set(on);
        self.black.set(false);
        let document = document();
        if on {
            // Allowed here: a key press is a user gesture. Refused (an iframe without
            // allowfullscreen, `?present` at load, a gesture Chrome judges expired) is
            // fine: the page still fills its window. The refusal comes as a rejected
            // promise, which must be caught: left alone it is an uncaught error.
            if let Some(root) = document.document_element() {
                request_fullscreen(&root);
            }
        } else if document.fullscreen_element().is_some() {
            document.exit_fullscreen();
        }
    }
}

/// P toggles presenting; while presenting, the remote's keys drive the lesson.
pub fn install_keys(stage: Stage, guide: Option<Guide>, live: Live) {
    let handler = window_event_listener(leptos::ev::keydown, move |event| {
        if not_a_shortcut(&event) {
            return;
        }
        let key = event.key();
        if key == "p" || key == "P" {
            event.prevent_default();
            stage.toggle();
            return;
        }
        if !stage.presenting.get_untracked() {
            return;
        }
        match key.as_str() {
            "PageDown" | "ArrowRight" | "ArrowDown" => {
                event.prevent_default();
                if let Some(guide) = guide {
                    guide.next();
                } else {
                    live.step();
                }
            }
            "PageUp" | "ArrowLeft" | "ArrowUp" => {
                event.prevent_default();
                if let Some(guide) = guide {
                    guide.back();
                }
            }
            "b" | "B" | "." => stage.black.update(|b| *b = !*b),
            "s" | "S" => {
                if let Some(guide) = guide {
                    super::notes::open_window(guide.name);
                }
            }
            " " => {
                event.prevent_default();
                live.playing.update(|p| *p = !*p);
            }
            // The browser leaves full screen on its own; leave the mode with it.
            "Escape" => stage.presenting.set(false),
            _ => {}
        }
    });
    // The keys last as long as the page.
    std::mem::forget(handler);
}

/// The one line under the cluster while presenting: the lesson's step and its first
/// sentence (or the command being run), else the latest control-plane message.
#[component]
pub fn NarrationLine(stage: Stage, guide: Option<Guide>, live: Live) -> impl IntoView {
    let line = move || match guide {
        Some(guide) => {
            let (title, text) = guide.line();
            let text = guide
                .running
                .get()
                .map(|command| format!("$ {command}"))
                .unwrap_or(text);
            (title, text)
        }
        None => (
            "kubesim".to_string(),
            live.caption
                .with(|c| c.as_ref().map(|m| format!("{}: {}", m.from, m.summary)))
                .unwrap_or_else(|| "A simulated cluster: 1 control-plane node, 3 workers".into()),
        ),
    };
    view! {
        <div class="narration-line" data-testid="narration-line" hidden=move || !stage.presenting.get() aria-live="polite">
            <strong class="narration-title">{move || line().0}</strong>
            <span class="narration-text">{move || line().1}</span>
            <span class="narration-keys">"PgDn next · PgUp back · B black · S notes · Esc leave"</span>
        </div>
        <div class="blackout" data-testid="blackout" hidden=move || !(stage.presenting.get() && stage.black.get())></div>
    }
}

/// `element.requestFullscreen()`, its refusal caught (web-sys drops the promise).
fn request_fullscreen(element: &web_sys::Element) {
    use wasm_bindgen::JsCast;
    let promise = js_sys::Reflect::get(element, &"requestFullscreen".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .and_then(|f| f.call0(element).ok())
        .and_then(|p| p.dyn_into::<js_sys::Promise>().ok());
    if let Some(promise) = promise {
        leptos::task::spawn_local(async move {
            let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
        });
    }
}
