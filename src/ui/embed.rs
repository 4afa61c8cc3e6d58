//! Embedding (`?embed`): the cluster view, its caption and the transport bar, nothing
//! else, filling whatever iframe it is put in (docs/embedding.md has the snippets).
//!
//! Parameters: `theme=light|dark`, `autoplay=0` (wait for ▶), `speed=0.25…16`,
//! `panels=console` (the console under the cluster), `scenario=NAME` (a lesson, with
//! Back/Next and its narration line), `demo=0` (start empty), `host=ORIGIN` (the origin
//! allowed to drive it; by default the embedding page's own).
//!
//! An embed runs only while on screen: it stays paused until it is scrolled into view
//! and pauses again when it leaves, so five embeds on a page do not run five
//! simulations at once. The embedding page can drive it with `postMessage` (see
//! embed.js): `kubesim:run` a command, `kubesim:play`/`pause`, `kubesim:next`/`back` in
//! a lesson; it hears `kubesim:ready` and `kubesim:step`.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;

use super::cluster_view::ClusterView;
use super::console_panel::{ConsolePanel, Session};
use super::inspector::Selection;
use super::lesson::{Guide, LessonRequest};
use super::live::Live;
use super::transport::TransportBar;

#[wasm_bindgen(module = "/src/ui/embed.js")]
extern "C" {
    #[wasm_bindgen(js_name = observeVisibility)]
    fn observe_visibility(element: &web_sys::Element, visible: &Closure<dyn FnMut(bool)>);
    #[wasm_bindgen(js_name = listenHost)]
    fn listen_host(
        expected: Option<String>,
        handle: &Closure<dyn FnMut(String, String) -> JsValue>,
    );
    #[wasm_bindgen(js_name = tellHost)]
    fn tell_host(expected: Option<String>, message: JsValue);
}

/// The page is an embed.
pub fn requested() -> bool {
    super::query_param("embed").is_some()
}

fn message(pairs: &[(&str, JsValue)]) -> JsValue {
    let object = js_sys::Object::new();
    for (key, value) in pairs {
        let _ = js_sys::Reflect::set(&object, &(*key).into(), value);
    }
    object.into()
}

#[component]
pub fn EmbedApp(demo: &'static [&'static str], welcome: &'static str) -> impl IntoView {
    let param = super::query_param;
    if let Some(theme @ ("light" | "dark")) = param("theme").as_deref() {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-theme", theme);
        }
    }
    let request = LessonRequest::from_url();
    let (live, cluster_note) = Live::for_page(!request.is_nothing());
    // Paused until on screen (see `observe_visibility` below).
    live.playing.set(false);
    if let Some(speed) = param("speed").and_then(|s| s.parse::<f64>().ok()) {
        if speed.is_finite() {
            live.set_speed(speed);
        }
    }
    let autoplay = param("autoplay").is_none_or(|v| v != "0");
    let show_console = param("panels").is_some_and(|p| p.split(',').any(|p| p == "console"));
    let host = param("host");
    let session = Session::new(live, welcome);
    if let Some(note) = cluster_note {
        session.note(&note);
    }
    let guide = match &request {
        LessonRequest::Found(name, scenario) => {
            Some(Guide::new(name, scenario.clone(), session, live))
        }
        _ => None,
    };
    let unknown = match &request {
        LessonRequest::Unknown(name) => Some(name.clone()),
        _ => None,
    };
    if request.is_nothing() && param("demo").is_none_or(|v| v != "0") {
        for command in demo {
            session.run(command, command);
        }
    }
    let selection = RwSignal::new(Selection::Nothing);

    // Run only while on screen; resume on return only if it was running when it left.
    let root = NodeRef::<leptos::html::Div>::new();
    let resume = StoredValue::new(autoplay);
    let on_screen = RwSignal::new(false);
    root.on_load(move |element| {
        let visible = Closure::<dyn FnMut(bool)>::new(move |visible: bool| {
            let was = on_screen.get_untracked();
            on_screen.set(visible);
            if visible {
                if resume.get_value() {
                    live.playing.set(true);
                }
            } else if was {
                // Leaving the screen: resume on return only if it was running.
                resume.set_value(live.playing.get_untracked());
                live.playing.set(false);
            }
        });
        observe_visibility(&element, &visible);
        visible.forget();
    });

    // The embedding page's messages.
    let handle_host = host.clone();
    let handle = Closure::<dyn FnMut(String, String) -> JsValue>::new(
        move |kind: String, command: String| {
            let answer = |ok: bool, text: String| -> JsValue {
                let pair = js_sys::Array::new();
                pair.push(&ok.into());
                pair.push(&text.into());
                pair.into()
            };
            match kind.as_str() {
                "kubesim:run" if !command.trim().is_empty() => {
                    session.run(&command, &command);
                    let output = session.scrollback.with_untracked(|entries| {
                        entries.last().map(|e| e.output.clone()).unwrap_or_default()
                    });
                    answer(true, output)
                }
                "kubesim:run" => answer(false, "kubesim: kubesim:run needs a command".into()),
                "kubesim:play" => {
                    resume.set_value(true);
                    if on_screen.get_untracked() {
                        live.playing.set(true);
                    }
                    answer(true, String::new())
                }
                "kubesim:pause" => {
                    resume.set_value(false);
                    live.playing.set(false);
                    answer(true, String::new())
                }
                "kubesim:next" | "kubesim:back" => match guide {
                    Some(guide) => {
                        if kind == "kubesim:next" {
                            guide.next();
                        } else {
                            guide.back();
                        }
                        answer(true, guide.line().0)
                    }
                    None => answer(
                        false,
                        "kubesim: this embed shows no lesson (add scenario=NAME)".into(),
                    ),
                },
                other => answer(false, format!("kubesim: unknown message type \"{other}\"")),
            }
        },
    );
    listen_host(handle_host, &handle);
    handle.forget();
    tell_host(host.clone(), message(&[("type", "kubesim:ready".into())]));
    if let Some(guide) = guide {
        let host = host.clone();
        Effect::new(move |_| {
            let position = guide.position.get();
            let (title, _) = guide.line();
            tell_host(
                host.clone(),
                message(&[
                    ("type", "kubesim:step".into()),
                    ("step", (position as f64).into()),
                    ("title", title.into()),
                ]),
            );
        });
    }

    let lesson_bar = guide.map(|guide| {
        view! {
            <div class="embed-lesson" data-testid="embed-lesson">
                <button type="button" class="embed-step" data-testid="embed-back" aria-label="Previous step"
                    disabled=move || guide.position.get() == 0 || guide.busy.get() on:click=move |_| guide.back()>"‹"</button>
                <p class="embed-narration" aria-live="polite">
                    <strong>{move || guide.line().0}</strong>
                    " "
                    {move || guide.running.get().map(|c| format!("$ {c}")).unwrap_or_else(|| guide.line().1)}
                </p>
                <button type="button" class="embed-step" data-testid="embed-next" aria-label="Next step"
                    disabled=move || { guide.busy.get() || guide.position.get() >= guide.steps() } on:click=move |_| guide.next()>"›"</button>
            </div>
        }
    });
    let unknown_note = unknown.map(|name| {
        view! { <p class="embed-note" data-testid="embed-note">{format!("There is no lesson called “{name}”.")}</p> }
    });
    let open = RwSignal::new(true);

    view! {
        <div class="app embed" id="app" data-testid="app" node_ref=root
            data-running=move || live.playing.get().to_string()>
            {unknown_note}
            <ClusterView live=live selection=selection magnify=Signal::derive(|| 1.0) />
            {lesson_bar}
            {show_console.then(|| view! { <ConsolePanel session=session open=open /> })}
            <TransportBar live=live />
        </div>
    }
}
