//! A draggable (and keyboard-operable) divider between two panels. It edits one size
//! signal, in CSS pixels, clamped to a range; the panel layout reads that signal.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Which way the divider runs, and which way dragging grows the panel it sizes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grows {
    /// A vertical divider; dragging right grows the panel (it is left of the divider).
    Right,
    /// A vertical divider; dragging left grows the panel (it is right of the divider).
    Left,
    /// A horizontal divider; dragging up grows the panel (it is below the divider).
    Up,
}

impl Grows {
    fn is_vertical(self) -> bool {
        matches!(self, Grows::Right | Grows::Left)
    }

    /// How much the size changes for a pointer move of (dx, dy).
    fn delta(self, dx: f64, dy: f64) -> f64 {
        match self {
            Grows::Right => dx,
            Grows::Left => -dx,
            Grows::Up => -dy,
        }
    }
}

const KEY_STEP: f64 = 24.0;

#[component]
pub fn Splitter(
    /// `id` and `data-testid` of the divider.
    id: &'static str,
    /// What it resizes, for screen readers ("Resize the inspector").
    label: &'static str,
    size: RwSignal<f64>,
    min: f64,
    max: f64,
    grows: Grows,
) -> impl IntoView {
    // (pointer position, size) when the drag started; None when not dragging.
    let drag_start = RwSignal::new(None::<(f64, f64, f64)>);
    let clamp = move |value: f64| value.clamp(min, max);

    let on_pointer_down = move |event: web_sys::PointerEvent| {
        event.prevent_default();
        if let Some(target) = event
            .current_target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        {
            let _ = target.set_pointer_capture(event.pointer_id());
        }
        drag_start.set(Some((
            event.client_x() as f64,
            event.client_y() as f64,
            size.get_untracked(),
        )));
    };
    let on_pointer_move = move |event: web_sys::PointerEvent| {
        if let Some((x, y, start)) = drag_start.get_untracked() {
            let delta = grows.delta(event.client_x() as f64 - x, event.client_y() as f64 - y);
            size.set(clamp(start + delta));
        }
    };
    let on_pointer_up = move |_: web_sys::PointerEvent| drag_start.set(None);
    let on_key = move |event: web_sys::KeyboardEvent| {
        let step = match (event.key().as_str(), grows) {
            ("ArrowRight", Grows::Right) | ("ArrowLeft", Grows::Left) | ("ArrowUp", Grows::Up) => {
                KEY_STEP
            }
            ("ArrowLeft", Grows::Right)
            | ("ArrowRight", Grows::Left)
            | ("ArrowDown", Grows::Up) => -KEY_STEP,
            _ => return,
        };
        event.prevent_default();
        size.update(|value| *value = clamp(*value + step));
    };

    view! {
        <div
            id=id
            data-testid=id
            class="splitter"
            class:vertical=grows.is_vertical()
            class:dragging=move || drag_start.get().is_some()
            role="separator"
            tabindex="0"
            aria-label=label
            aria-orientation=if grows.is_vertical() { "vertical" } else { "horizontal" }
            aria-valuemin=min
            aria-valuemax=max
            aria-valuenow=move || size.get().round()
            on:pointerdown=on_pointer_down
            on:pointermove=on_pointer_move
            on:pointerup=on_pointer_up
            on:pointercancel=on_pointer_up
            on:keydown=on_key
        ></div>
    }
}
