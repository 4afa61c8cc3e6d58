//! The Share button and opening a share link (see [`super::share`] for what a link holds).

use leptos::prelude::*;
use wasm_bindgen::prelude::*;

use super::console_panel::Session;
use super::editor::EditorText;
use super::live::{Live, SEED};
use super::share::{Shared, MAX_LINK, MAX_TEXT, PREFIX};
use super::timeline::clock_text;

#[wasm_bindgen(module = "/src/ui/share.js")]
extern "C" {
    /// After a panic: packs the session and shows the banner's Restart button (plain
    /// JavaScript from here on: the module is about to abort).
    #[wasm_bindgen(js_name = offerRestart)]
    pub fn offer_restart(json: &str, limit: f64);
    #[wasm_bindgen(catch)]
    async fn pack(text: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch)]
    async fn unpack(packed: &str, limit: f64) -> Result<JsValue, JsValue>;
}

/// The share link in the page's URL (`#share=…`), if there is one.
pub fn link_in_url() -> Option<String> {
    let hash = window().location().hash().ok()?;
    hash.strip_prefix(PREFIX).map(str::to_string)
}

fn js_message(error: &JsValue) -> String {
    js_sys::Reflect::get(error, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .unwrap_or_else(|| "it is damaged".to_string())
}

async fn read(packed: &str, workers: usize) -> Result<Shared, String> {
    if packed.len() > MAX_LINK {
        return Err(format!(
            "it is {} KiB long, more than the {} KiB a link may be",
            packed.len() / 1024,
            MAX_LINK / 1024
        ));
    }
    let text = unpack(packed, (MAX_TEXT * 4) as f64)
        .await
        .map_err(|e| js_message(&e))?
        .as_string()
        .unwrap_or_default();
    let shared = Shared::from_json(&text)?;
    if shared.seed != SEED {
        return Err(format!(
            "it was made with seed {}, and this page runs seed {SEED}",
            shared.seed
        ));
    }
    if shared.workers != workers {
        // The link's page address carries `?workers=`; this one was opened without it.
        return Err(format!(
            "it was made on a cluster of {} workers, and this page runs {workers} (open it with ?{}={} in the address)",
            shared.workers,
            super::cluster_size::PARAM,
            shared.workers
        ));
    }
    Ok(shared)
}

/// Opens a share link: replays its commands at their virtual times (they show in the
/// console as they run), restores the editor, and stops, paused, at its moment. A link
/// that cannot be read is a note in the console and an empty cluster.
pub fn open(live: Live, session: Session, packed: String) {
    let editor = use_context::<EditorText>();
    let workers = live.timeline.with_value(|t| t.workers());
    leptos::task::spawn_local(async move {
        match read(&packed, workers).await {
            Ok(shared) => {
                live.playing.set(false);
                for command in &shared.commands {
                    live.seek(command.at);
                    session.run(&command.line, &command.line);
                }
                live.seek(shared.now);
                if let (Some(editor), false) = (editor, shared.editor.is_empty()) {
                    editor.0.set(shared.editor);
                }
                session.note(&match &shared.crashed {
                    Some(line) => format!(
                        "kubesim restarted after a bug: the session is back at {} ({} commands replayed) without the command that crashed it:\n  {line}\n",
                        clock_text(shared.now),
                        shared.commands.len()
                    ),
                    None => format!(
                        "Opened a shared session at {} ({} commands replayed); ▶ plays on.\n",
                        clock_text(shared.now),
                        shared.commands.len()
                    ),
                });
            }
            Err(reason) => session.note(&format!(
                "This share link cannot be opened: {reason}. The cluster starts empty.\n"
            )),
        }
    });
}

/// The link for this moment: every command typed so far with its time, the moment, and
/// the editor's buffer.
async fn make(live: Live, editor: Option<EditorText>) -> Result<String, String> {
    let (now, commands, workers) = live.timeline.with_value(|t| {
        (
            t.now(),
            super::recovery::recorded_until(t.commands(), t.now()),
            t.workers(),
        )
    });
    let shared = Shared {
        seed: SEED,
        workers,
        now,
        commands,
        editor: editor.map(|e| e.0.get_untracked()).unwrap_or_default(),
        crashed: None,
    };
    let packed = pack(&shared.to_json())
        .await
        .map_err(|e| js_message(&e))?
        .as_string()
        .unwrap_or_default();
    if packed.len() > MAX_LINK {
        return Err(format!(
            "This session is too long for a link ({} KiB, the limit is {} KiB): save the transcript instead (the console's Save .md button).",
            packed.len() / 1024,
            MAX_LINK / 1024
        ));
    }
    let location = window().location();
    let base = format!(
        "{}{}{}",
        location.origin().unwrap_or_default(),
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    );
    Ok(format!("{base}{PREFIX}{packed}"))
}

/// The app bar's Share button and the link it makes, copied to the clipboard.
#[component]
pub fn ShareButton(live: Live) -> impl IntoView {
    let editor = use_context::<EditorText>();
    let link = RwSignal::new(None::<Result<String, String>>);
    let at = RwSignal::new(0);
    let share = move |_| {
        at.set(live.now.get_untracked());
        leptos::task::spawn_local(async move {
            let made = make(live, editor).await;
            if let Ok(url) = &made {
                // Best effort: a page without clipboard access still shows the link.
                let _ = window().navigator().clipboard().write_text(url);
            }
            link.set(Some(made));
        });
    };
    let body = move || {
        link.get().map(|made| match made {
            Ok(url) => view! {
                <input class="share-link" data-testid="share-link" type="text" readonly prop:value=url aria-label="Share link"
                    on:focus=move |ev| {
                        use wasm_bindgen::JsCast;
                        if let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                            input.select();
                        }
                    } />
                <p class="share-note">{format!("Copied. Opening it replays this session to {}: the same pods, the same names.", clock_text(at.get()))}</p>
            }
            .into_any(),
            Err(error) => view! { <p class="share-note share-error" data-testid="share-error">{error}</p> }.into_any(),
        })
    };
    view! {
        <button class="bar-button" type="button" data-testid="share" aria-label="Share a link to this moment" title="A link that replays this session to this moment" on:click=share>
            "Share"
        </button>
        <Show when=move || link.with(Option::is_some)>
            <div class="share-popover" data-testid="share-popover" role="dialog" aria-label="Share link">
                {body}
                <button type="button" class="bar-button" data-testid="share-close" on:click=move |_| link.set(None)>"Close"</button>
            </div>
        </Show>
    }
}
