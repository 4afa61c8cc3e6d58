//! The panic hook: a panic is a bug (design.md §6), and the page must say so instead of
//! going silently dead. The hook logs to the browser console (with
//! `console_error_panic_hook`) and fills in the `#error-banner` that `index.html` ships,
//! using plain DOM calls — the reactive runtime may be in any state after a panic.
//!
//! The module aborts right after the hook, so the banner offers a restart instead: the
//! session replayed from the recovery tape without the command that crashed it (see
//! `recovery`), by a share link the banner's Restart button loads.

use std::panic::PanicHookInfo;
use std::sync::atomic::{AtomicBool, Ordering};

use wasm_bindgen::JsCast;

use super::recovery::Tape;
use super::share::MAX_LINK;

pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        // Only the first panic is the bug. The browser keeps calling into the aborted
        // module (animation frames, events), and those calls find its state half-way
        // through the first panic and panic in turn ("a reactive value that has already
        // been disposed"): logged, but the banner keeps naming the first.
        if !REPORTED.swap(true, Ordering::Relaxed) {
            show(info);
        }
    }));
}

static REPORTED: AtomicBool = AtomicBool::new(false);

fn show(info: &PanicHookInfo<'_>) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let banner = document
        .get_element_by_id("error-banner")
        .or_else(|| create_banner(&document));
    let Some(banner) = banner else {
        return;
    };
    let _ = banner.set_attribute("data-kind", "panic");
    // A lesson and an embed start from their own state, not from a share link.
    let tape = super::recovery::tape().filter(|tape| {
        tape.worth_restarting()
            && super::query_param("scenario").is_none()
            && !super::embed::requested()
    });
    let title = match &tape {
        Some(Tape {
            running: Some(line),
            ..
        }) => format!(
            "kubesim hit a bug running “{line}” and stopped. Restart to replay the session without that command, or reload to start over."
        ),
        Some(_) => "kubesim hit a bug and stopped. Restart to replay the session, or reload to start over.".to_string(),
        None => "kubesim hit a bug and stopped. Reload to start over.".to_string(),
    };
    if let Some(element) = document.get_element_by_id("error-banner-title") {
        element.set_text_content(Some(&title));
    }
    if let Some(tape) = &tape {
        if let Some(button) = document.get_element_by_id("error-banner-restart") {
            let label = if tape.running.is_some() {
                "Restart without it"
            } else {
                "Restart"
            };
            button.set_text_content(Some(label));
        }
        super::share_link::offer_restart(&tape.restart().to_json(), MAX_LINK as f64);
    }
    if let Some(detail) = document.get_element_by_id("error-banner-detail") {
        detail.set_text_content(Some(&describe(info)));
    }
    if let Ok(banner) = banner.dyn_into::<web_sys::HtmlElement>() {
        banner.set_hidden(false);
    }
}

/// The panic message and where it happened, e.g. "index out of bounds (src/ui/app.rs:12)".
fn describe(info: &PanicHookInfo<'_>) -> String {
    let message = info
        .payload()
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| info.payload().downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string());
    match info.location() {
        Some(at) => format!("{message} ({}:{})", at.file(), at.line()),
        None => message,
    }
}

/// A bare banner for pages that embed kubesim without our `index.html`.
fn create_banner(document: &web_sys::Document) -> Option<web_sys::Element> {
    let banner = document.create_element("div").ok()?;
    banner.set_id("error-banner");
    let _ = banner.set_attribute("role", "alert");
    let _ = banner.set_attribute("data-testid", "error-banner");
    let title = document.create_element("strong").ok()?;
    title.set_id("error-banner-title");
    let detail = document.create_element("p").ok()?;
    detail.set_id("error-banner-detail");
    banner.append_child(&title).ok()?;
    banner.append_child(&detail).ok()?;
    document.body()?.prepend_with_node_1(&banner).ok()?;
    Some(banner)
}
