//! Light and dark themes. `index.html` sets `<html data-theme>` before first paint (from
//! localStorage, else `prefers-color-scheme`), so there is no flash of the wrong theme;
//! here the toggle flips it and remembers the choice, and while the user has made no
//! choice the page follows the system setting as it changes.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;

/// The localStorage key; `index.html` reads the same key.
const STORAGE_KEY: &str = "kubesim-theme";
const LIGHT_QUERY: &str = "(prefers-color-scheme: light)";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

impl Theme {
    fn as_str(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    fn parse(text: &str) -> Option<Theme> {
        match text {
            "light" => Some(Theme::Light),
            "dark" => Some(Theme::Dark),
            _ => None,
        }
    }

    fn other(self) -> Theme {
        match self {
            Theme::Light => Theme::Dark,
            Theme::Dark => Theme::Light,
        }
    }
}

/// The theme on the page now.
fn applied() -> Theme {
    document()
        .document_element()
        .and_then(|root| root.get_attribute("data-theme"))
        .and_then(|value| Theme::parse(&value))
        .unwrap_or_else(system)
}

fn apply(theme: Theme) {
    if let Some(root) = document().document_element() {
        let _ = root.set_attribute("data-theme", theme.as_str());
    }
}

fn system() -> Theme {
    let light = window()
        .match_media(LIGHT_QUERY)
        .ok()
        .flatten()
        .is_some_and(|query| query.matches());
    if light {
        Theme::Light
    } else {
        Theme::Dark
    }
}

thread_local! {
    /// The choice made in this page, for when localStorage cannot keep it (denied in
    /// sandboxed iframes and some private windows, or full): the choice still holds until
    /// the page is left, and the system setting does not override it meanwhile.
    static CHOSEN: std::cell::Cell<Option<Theme>> = const { std::cell::Cell::new(None) };
}

/// localStorage, if the browser lets the page have it (the getter itself may throw).
fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

fn remembered() -> Option<Theme> {
    let stored = storage().and_then(|storage| storage.get_item(STORAGE_KEY).ok().flatten());
    stored
        .and_then(|value| Theme::parse(&value))
        .or_else(|| CHOSEN.with(|chosen| chosen.get()))
}

fn remember(theme: Theme) {
    CHOSEN.with(|chosen| chosen.set(Some(theme)));
    if let Some(storage) = storage() {
        // A full or denied storage throws: the in-page choice above still holds.
        let _ = storage.set_item(STORAGE_KEY, theme.as_str());
    }
}

/// Follows the system's light/dark setting while the user has not chosen one.
fn follow_system(theme: RwSignal<Theme>) {
    let Some(query) = window().match_media(LIGHT_QUERY).ok().flatten() else {
        return;
    };
    let on_change = Closure::<dyn Fn()>::new(move || {
        if remembered().is_none() {
            let now = system();
            apply(now);
            theme.set(now);
        }
    });
    let _ = query.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
    // The page lives as long as the document: the listener is never removed.
    on_change.forget();
}

/// The theme toggle button for the app bar.
#[component]
pub fn ThemeToggle() -> impl IntoView {
    let theme = RwSignal::new(applied());
    follow_system(theme);
    let toggle = move |_| {
        let next = theme.get_untracked().other();
        apply(next);
        remember(next);
        theme.set(next);
    };
    let label = move || match theme.get() {
        Theme::Dark => "Switch to light theme",
        Theme::Light => "Switch to dark theme",
    };
    view! {
        <button
            id="theme-toggle"
            data-testid="theme-toggle"
            class="bar-button"
            type="button"
            on:click=toggle
            aria-label=label
            title=label
        >
            <span class="icon" aria-hidden="true">
                {move || if theme.get() == Theme::Dark { "☾" } else { "☀" }}
            </span>
            <span class="bar-button-text">
                {move || if theme.get() == Theme::Dark { "Dark" } else { "Light" }}
            </span>
        </button>
    }
}
