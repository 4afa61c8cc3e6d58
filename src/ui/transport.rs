//! The transport bar: play/pause, step, rewind, speed and the virtual clock
//! (design.md §2: the UI maps wall time to virtual time with a speed factor). Until the
//! frame loop drives the simulation, these controls hold presentation state only.

use leptos::prelude::*;

/// The speed factors offered, as (value, label).
const SPEEDS: [(f64, &str); 7] = [
    (0.25, "¼×"),
    (0.5, "½×"),
    (1.0, "1×"),
    (2.0, "2×"),
    (4.0, "4×"),
    (8.0, "8×"),
    (16.0, "16×"),
];

/// Virtual milliseconds as `HH:MM:SS`.
fn clock_text(millis: u64) -> String {
    let seconds = millis / 1000;
    format!(
        "{:02}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

/// The transport's state, for the frame loop to read later.
#[derive(Clone, Copy)]
pub struct Transport {
    pub playing: RwSignal<bool>,
    pub speed: RwSignal<f64>,
    pub virtual_millis: RwSignal<u64>,
}

impl Transport {
    pub fn new() -> Transport {
        Transport {
            playing: RwSignal::new(true),
            speed: RwSignal::new(1.0),
            virtual_millis: RwSignal::new(0),
        }
    }
}

#[component]
pub fn TransportBar(transport: Transport) -> impl IntoView {
    let Transport {
        playing,
        speed,
        virtual_millis,
    } = transport;
    let play_label = move || if playing.get() { "Pause" } else { "Play" };

    view! {
        <footer id="transport" data-testid="transport" class="transport" aria-label="Transport">
            <div class="transport-buttons" role="group" aria-label="Simulation time controls">
                <button
                    class="transport-button"
                    type="button"
                    data-testid="transport-rewind"
                    aria-label="Rewind to the start"
                    title="Rewind to the start"
                    on:click=move |_| virtual_millis.set(0)
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
                    aria-label="Step one event"
                    title="Step one event"
                    on:click=move |_| playing.set(false)
                >
                    <svg viewBox="0 0 20 20" aria-hidden="true"><path d="M4 4l9 6-9 6zM14 4h2v12h-2z"/></svg>
                </button>
            </div>
            <label class="speed">
                <span class="visually-hidden">"Speed"</span>
                <select
                    data-testid="transport-speed"
                    aria-label="Simulation speed"
                    on:change=move |event| {
                        if let Ok(value) = event_target_value(&event).parse() {
                            speed.set(value);
                        }
                    }
                >
                    {SPEEDS
                        .iter()
                        .map(|(value, label)| {
                            view! {
                                <option value=value.to_string() selected=*value == 1.0>
                                    {*label}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <output class="clock" data-testid="transport-clock" aria-label="Virtual time">
                {move || clock_text(virtual_millis.get())}
            </output>
            <div class="timeline" role="presentation">
                <div class="timeline-track"></div>
                <div class="timeline-head"></div>
            </div>
            <span class="transport-status" aria-live="polite">
                {move || if playing.get() { "live" } else { "paused" }}
            </span>
        </footer>
    }
}
