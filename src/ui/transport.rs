//! The transport bar: play/pause, step to the next event, back to the previous command,
//! speed from ¼× to 16×, the virtual clock, and a timeline with a marker per command
//! typed that can be dragged (or arrowed) to any earlier moment — rewinding replays the
//! deterministic simulation (see `timeline`).
//!
//! Keyboard anywhere outside a text field: Space plays/pauses, → steps, ← goes back
//! five seconds, `+`/`-` change speed.

use leptos::prelude::*;

use super::live::Live;
use super::timeline::{clock_text, next_speed, previous_marker, SPEEDS};
use crate::sim::time::Millis;

/// A key typed into a text field, or with a modifier, is not a page shortcut.
pub fn not_a_shortcut(event: &web_sys::KeyboardEvent) -> bool {
    let typing = event
        .target()
        .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
        .is_some_and(|el| {
            matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                || el.get_attribute("contenteditable").is_some()
        });
    typing || event.ctrl_key() || event.meta_key() || event.alt_key()
}

/// Handles the transport's keyboard shortcuts, unless the user is typing somewhere.
/// While `presenting`, the presentation's own keys (see `present`) take over.
pub fn install_shortcuts(live: Live, presenting: RwSignal<bool>) {
    let handler = window_event_listener(leptos::ev::keydown, move |event| {
        if presenting.get_untracked() {
            return;
        }
        if not_a_shortcut(&event) {
            return;
        }
        // Space on a focused button presses the button; only take it elsewhere.
        let on_button = event
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
            .is_some_and(|el| {
                el.tag_name() == "BUTTON" || el.get_attribute("role").as_deref() == Some("button")
            });
        match event.key().as_str() {
            " " if !on_button => {
                event.prevent_default();
                live.playing.update(|p| *p = !*p);
            }
            "ArrowRight" => {
                event.prevent_default();
                live.step();
            }
            "ArrowLeft" => {
                event.prevent_default();
                live.playing.set(false);
                live.seek(live.now.get_untracked().saturating_sub(5_000));
            }
            "+" | "=" => live.set_speed(next_speed(live.speed.get_untracked(), true)),
            "-" | "_" => live.set_speed(next_speed(live.speed.get_untracked(), false)),
            _ => {}
        }
    });
    // The shortcuts last as long as the page.
    std::mem::forget(handler);
}

/// Markers of commands that lie ahead (after a rewind) are drawn hollow.
fn marker_class(ahead: bool) -> &'static str {
    if ahead {
        "marker ahead"
    } else {
        "marker"
    }
}

#[component]
pub fn TransportBar(live: Live) -> impl IntoView {
    let Live {
        playing,
        speed,
        now,
        horizon,
        markers,
        ..
    } = live;
    let play_label = move || {
        if playing.get() {
            "Pause (Space)"
        } else {
            "Play (Space)"
        }
    };
    // The timeline spans the tape, with a little room ahead while live.
    let span = move || horizon.get().max(now.get()).max(10_000) as f64;
    let back = move |_| {
        let commands: Vec<Millis> = markers.with_untracked(|m| m.iter().map(|c| c.at).collect());
        live.playing.set(false);
        live.seek(previous_marker(&commands, now.get_untracked()));
    };
    // One button per recorded command, built when the commands change. Where it sits
    // follows the timeline's span, which grows with the clock on every live frame: the
    // span is one CSS variable on the row (`--span`) and each marker's `left` a `calc`
    // of it, so a frame rewrites one property instead of rebuilding every marker.
    let numbered = move || markers.get().into_iter().enumerate().collect::<Vec<_>>();
    let marker_views = move || {
        view! {
            <For
                each=numbered
                key=|(index, command)| (*index, command.at, command.line.clone())
                children=move |(_, command)| {
                    let at = command.at;
                    let title = format!(
                        "{} — {}",
                        clock_text(at),
                        command.line.lines().next().unwrap_or_default()
                    );
                    view! {
                        <button
                            type="button"
                            class=move || marker_class(at > now.get())
                            data-testid="timeline-marker"
                            style:left=format!("calc(100% * {at} / var(--span))")
                            title=title.clone()
                            aria-label=format!("Go to just before: {title}")
                            on:click=move |_| {
                                live.playing.set(false);
                                live.seek(at);
                            }
                        ></button>
                    }
                }
            />
        }
    };

    view! {
        <footer id="transport" data-testid="transport" class="transport" aria-label="Transport">
            <div class="transport-buttons" role="group" aria-label="Simulation time controls">
                <button
                    class="transport-button"
                    type="button"
                    data-testid="transport-rewind"
                    aria-label="Back to before the previous command"
                    title="Back to before the previous command"
                    on:click=back
                >
                    <svg viewBox="0 0 20 20" aria-hidden="true"><path d="M4 4h2v12H4zM16 4v12L7 10z"/></svg>
                </button>
                <button
                    class="transport-button play"
                    type="button"
                    data-testid="transport-play"
                    aria-label=play_label
                    title=play_label
                    aria-pressed=move || playing.get().to_string()
                    on:click=move |_| playing.update(|p| *p = !*p)
                >
                    {move || if playing.get() {
                        view! { <svg viewBox="0 0 20 20" aria-hidden="true"><path d="M5 4h4v12H5zM11 4h4v12h-4z"/></svg> }.into_any()
                    } else {
                        view! { <svg viewBox="0 0 20 20" aria-hidden="true"><path d="M6 4l10 6-10 6z"/></svg> }.into_any()
                    }}
                </button>
                <button
                    class="transport-button"
                    type="button"
                    data-testid="transport-step"
                    aria-label="Step to the next event (→)"
                    title="Step to the next event (→)"
                    on:click=move |_| live.step()
                >
                    <svg viewBox="0 0 20 20" aria-hidden="true"><path d="M4 4l9 6-9 6zM14 4h2v12h-2z"/></svg>
                </button>
            </div>
            <label class="speed">
                <span class="visually-hidden">"Speed"</span>
                <select
                    data-testid="transport-speed"
                    aria-label="Simulation speed (+/−)"
                    title="Simulation speed (+/−)"
                    prop:value=move || speed.get().to_string()
                    on:change=move |event| {
                        if let Ok(value) = event_target_value(&event).parse() {
                            live.set_speed(value);
                        }
                    }
                >
                    {SPEEDS
                        .iter()
                        .map(|(value, label)| {
                            view! { <option value=value.to_string()>{*label}</option> }
                        })
                        .collect_view()}
                </select>
            </label>
            <output class="clock" data-testid="transport-clock" aria-label="Virtual time">
                {move || clock_text(now.get())}
            </output>
            <div class="timeline">
                <div class="timeline-markers" style:--span=move || span().to_string()>{marker_views}</div>
                <input
                    type="range"
                    class="timeline-range"
                    data-testid="timeline"
                    aria-label="Timeline: drag or use the arrow keys to go back in time"
                    min="0"
                    step="100"
                    prop:max=move || span().to_string()
                    prop:value=move || now.get().to_string()
                    style:--played=move || format!("{:.3}%", now.get() as f64 / span() * 100.0)
                    style:--recorded=move || format!("{:.3}%", horizon.get() as f64 / span() * 100.0)
                    on:change=move |event| {
                        if let Ok(value) = event_target_value(&event).parse::<f64>() {
                            live.playing.set(false);
                            live.seek(value as Millis);
                        }
                    }
                />
            </div>
            <span class="transport-status" data-testid="transport-status" aria-live="polite">
                {move || if playing.get() {
                    if now.get() < horizon.get() { "replaying" } else { "live" }
                } else {
                    "paused"
                }}
            </span>
        </footer>
    }
}
