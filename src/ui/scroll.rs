//! Keeping a growing list's newest line in view without stalling a frame.

use wasm_bindgen::JsCast;

/// Scrolls `element` to its end once the browser has laid the page out. Reading
/// `scrollHeight` while a frame's DOM changes are still being made forces a synchronous
/// layout of the page (on a busy cluster the profile showed it as the largest cost of a
/// long frame after the simulation); in a task of its own, after the frame's own layout,
/// the read is free.
pub fn scroll_to_end_soon(element: &impl JsCast) {
    let element: web_sys::Element = element.unchecked_ref::<web_sys::Element>().clone();
    gloo_timers::callback::Timeout::new(0, move || {
        element.set_scroll_top(element.scroll_height());
    })
    .forget();
}
