//! The page (design.md §5): a Leptos 0.8 client-side app mounted into `index.html`.
//!
//! Layout of this module:
//! - [`geometry`], [`default_cluster`], and the editor's [`highlight`], [`markers`] and
//!   [`templates`]: pure helpers (no web crates), compiled natively too so `cargo test`
//!   covers them;
//! - everything else is wasm32-only: `app` (the page shell and panel layout), one module
//!   per region (`cluster_view`, `editor`, `console_panel`, `transport`, `inspector`), and
//!   the page-level services `theme`, `splitter` and `panic_banner`.
//!
//! The UI owns presentation state only; it changes the cluster through
//! [`crate::console::Console`].

pub mod cluster_size;
pub mod compare;
pub mod default_cluster;
pub mod dns_view;
pub mod geometry;
pub mod highlight;
pub mod lesson_text;
pub mod markers;
pub mod packets;
pub mod recovery;
pub mod scene;
pub mod share;
pub mod snapshots;
pub mod story;
pub mod templates;
pub mod timeline;
pub mod transcript;

#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
mod cluster_view;
#[cfg(target_arch = "wasm32")]
mod console_panel;
#[cfg(target_arch = "wasm32")]
mod editor;
#[cfg(target_arch = "wasm32")]
mod embed;
#[cfg(target_arch = "wasm32")]
mod explain_docs;
#[cfg(target_arch = "wasm32")]
mod export;
#[cfg(target_arch = "wasm32")]
mod inspector;
#[cfg(target_arch = "wasm32")]
mod lesson;
#[cfg(target_arch = "wasm32")]
mod live;
#[cfg(target_arch = "wasm32")]
mod messages_panel;
#[cfg(target_arch = "wasm32")]
mod notes;
#[cfg(target_arch = "wasm32")]
mod panic_banner;
#[cfg(target_arch = "wasm32")]
mod per_card;
#[cfg(target_arch = "wasm32")]
mod present;
#[cfg(target_arch = "wasm32")]
mod scroll;
#[cfg(target_arch = "wasm32")]
mod share_link;
#[cfg(target_arch = "wasm32")]
mod splitter;
#[cfg(target_arch = "wasm32")]
mod theme;
#[cfg(target_arch = "wasm32")]
mod traffic;
#[cfg(target_arch = "wasm32")]
mod transport;

/// Mounts the page: installs the panic banner, mounts the app into `<body>` and removes
/// the loading indicator that `index.html` shows until now.
///
/// `?panic-test=1` in the URL panics right after mounting, so the browser tests can prove
/// that a bug shows the error banner instead of a silently dead page.
#[cfg(target_arch = "wasm32")]
pub fn start() {
    panic_banner::install();
    if query_param("notes").is_some() {
        // The speaker-notes window of a presentation: no cluster of its own.
        leptos::mount::mount_to_body(notes::SpeakerNotes);
    } else {
        leptos::mount::mount_to_body(app::App);
    }
    remove_loading_indicator();
    if query_flag("panic-test") {
        // Deferred so the page is fully up first, as for a bug hit while in use.
        gloo_timers::callback::Timeout::new(100, || {
            panic!("panic-test: a deliberate panic requested by ?panic-test=1")
        })
        .forget();
    }
}

#[cfg(target_arch = "wasm32")]
fn remove_loading_indicator() {
    if let Some(loading) = leptos::prelude::document().get_element_by_id("app-loading") {
        loading.remove();
    }
}

/// Whether the page URL has `?NAME=1` (or `NAME=true`).
#[cfg(target_arch = "wasm32")]
fn query_flag(name: &str) -> bool {
    query_param(name).is_some_and(|value| value == "1" || value == "true")
}

/// The value of `?NAME=…` in the page URL.
#[cfg(target_arch = "wasm32")]
fn query_param(name: &str) -> Option<String> {
    let search = leptos::prelude::window()
        .location()
        .search()
        .unwrap_or_default();
    web_sys::UrlSearchParams::new_with_str(&search)
        .ok()
        .and_then(|params| params.get(name))
}
