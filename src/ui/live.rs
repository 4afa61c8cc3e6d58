//! The running simulation on the page: the [`Timeline`] (console + recording), the
//! frame loop that maps wall time to virtual time (design.md §2: speed × wall clock),
//! and the signals the regions draw from — the [`Scene`], the clock, the tokens of
//! control-plane messages in flight.
//!
//! Every frame: advance virtual time by `dt × speed` when playing — simulating for at
//! most a few milliseconds, and carrying the rest of the work to the next frames (the
//! clock then shows what has been simulated, not what was asked); when the store has
//! changed, read a new scene; turn the new messages into tokens; retire finished tokens.

use std::cell::Cell;
use std::collections::BTreeSet;
use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;

use crate::sim::messages::Message;
use crate::sim::time::Millis;

use super::scene::Scene;
pub use super::story::{anchor_key, caption_for, is_story, token_class};
use super::timeline::{Recorded, Timeline};
use super::traffic::{Traffic, TrafficNews};

/// The seed of the page's cluster. Fixed so a page load is reproducible.
pub const SEED: u64 = 1;
/// How long a token takes to travel, in wall milliseconds.
pub const FLIGHT_MS: f64 = 650.0;
/// Tokens of one burst leave this far apart, so a burst reads as a sequence.
const STAGGER_MS: f64 = 55.0;
/// At most this many tokens in the air; older bursts are skipped (the log keeps them).
const MAX_TOKENS: usize = 48;
/// While playing, the scene (pods, Services, the message list) is redrawn at most this
/// often, in wall milliseconds: ten times a second reads as continuous, and a busy
/// control plane then does not rebuild hundreds of pods on every frame.
const PUBLISH_MS: f64 = 100.0;
/// While the controllers are still working off a burst over several frames (hundreds of
/// pods created, then bound, a batch a frame), the scene is redrawn at most this often:
/// each partial state can move every node card (the pending band grows and shrinks), and
/// drawing them all cost more than the simulation itself.
const BUSY_PUBLISH_MS: f64 = 400.0;
/// The longest frame counted as elapsed time (a background tab must not jump minutes).
const MAX_FRAME_MS: f64 = 100.0;
/// Wall milliseconds a frame may spend simulating; the rest of the work waits for the
/// next frame, so drawing and typing stay responsive however busy the cluster is.
const SIMULATE_MS: f64 = 6.0;
/// While the simulation is behind and frames are slow anyway (the last one spent more
/// than [`SLOW_FRAME_MS`] besides simulating: drawing a big cluster), a frame may
/// simulate as long as the last one spent on everything else, up to this: the
/// simulation keeps a fair share of the wall time instead of 6 ms of every 150, and no
/// frame holds the page much longer than drawing does. Frames that keep to the display's
/// rate keep the 6 ms.
const MAX_SIMULATE_MS: f64 = 24.0;
const SLOW_FRAME_MS: f64 = 33.4;
/// While busy, the scene is redrawn at most once per this many times what drawing it
/// last cost: on a cluster of thousands of pods a publication costs 100 ms or more, and
/// drawing then keeps to about a fifth of the wall time.
const DRAW_SHARE: f64 = 5.0;
/// Work units (events, controller rounds, writes) per slice between clock checks.
const SLICE_WORK: u64 = 8;

/// A control-plane message travelling between two boxes of the drawing.
#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    pub id: u64,
    /// Box keys (see [`anchor_key`]).
    pub from: String,
    pub to: String,
    /// Animation-clock time it leaves at.
    pub start: f64,
    /// `write` (apiserver → etcd), `event` (an Event object) or `call`.
    pub class: &'static str,
    pub label: String,
}

/// The requestAnimationFrame callback, shared with itself so it can ask for the next.
type FrameCallback = Rc<std::cell::RefCell<Option<Closure<dyn FnMut(f64)>>>>;

/// What one sync reads from the timeline.
struct Snapshot {
    log: u64,
    /// Messages ever recorded (the ring's dropped ones included).
    messages: u64,
    now: Millis,
    horizon: Millis,
    /// `None` when no message arrived: the caption stands.
    caption: Option<Option<Message>>,
    fresh: Vec<Message>,
    markers: Option<Vec<Recorded>>,
    scene: Option<Scene>,
    traffic: TrafficNews,
}

#[derive(Clone, Copy)]
pub struct Live {
    pub timeline: StoredValue<Timeline, LocalStorage>,
    pub scene: RwSignal<Scene>,
    pub playing: RwSignal<bool>,
    pub speed: RwSignal<f64>,
    /// Virtual time now, and the end of the timeline.
    pub now: RwSignal<Millis>,
    pub horizon: RwSignal<Millis>,
    /// The recorded commands, for the timeline's markers.
    pub markers: RwSignal<Vec<Recorded>>,
    /// How many control-plane messages there are (the log itself stays in the timeline).
    pub message_count: RwSignal<u64>,
    /// The latest message worth a caption.
    pub caption: RwSignal<Option<Message>>,
    pub tokens: RwSignal<Vec<Token>>,
    /// The boxes a token is travelling to or from, which light up. A Memo: hundreds of
    /// node agents ask, and a token finishing need not wake them all when the set of
    /// boxes stays the same.
    pub active_boxes: Memo<BTreeSet<String>>,
    /// The data plane: packets in flight, counters, tunnels (see `traffic.rs`).
    pub traffic: Traffic,
    /// Wall milliseconds of animation so far (stands still while paused).
    pub anim_clock: RwSignal<f64>,
    /// The latest frame's timestamp, and when the scene was last published: while
    /// playing, the drawing of pods follows the cluster at most [`PUBLISH_MS`] apart
    /// (tokens still move every frame).
    wall: StoredValue<f64, LocalStorage>,
    published: StoredValue<f64, LocalStorage>,
    /// Bumped on every rewind: the new cluster's messages are not news.
    generation: RwSignal<u64>,
    seen: StoredValue<(u64, u64, u64), LocalStorage>,
    next_token: StoredValue<u64, LocalStorage>,
    /// Animation runs on while paused until this clock time (after a step).
    animate_until: RwSignal<f64>,
    /// The virtual time the frames are simulating toward while the work of reaching it
    /// spans several frames. No time is added meanwhile: the clock shown follows what
    /// has actually been simulated.
    catching_up: StoredValue<Option<Millis>, LocalStorage>,
    /// `prefers-reduced-motion: reduce`: tokens fade in place instead of travelling.
    pub reduced_motion: bool,
    /// Bumped when the console has news from the frame loop: a typed line's later
    /// commands printed something (they run there, see `Timeline::execute`; the console
    /// takes it with [`Live::take_printed`]), or everything owed at this instant has been
    /// worked off (the console runs the next of several pasted commands then).
    pub console_news: RwSignal<u64>,
    /// Whether the timeline was busy at the end of the last frame.
    was_busy: StoredValue<bool, LocalStorage>,
    /// Wall milliseconds the last frame spent simulating, whether it published a scene,
    /// and what the latest published scene cost to draw (its frame's time besides the
    /// simulation): they set the next frames' simulation budget and publishing rate.
    simulated_ms: StoredValue<f64, LocalStorage>,
    drew_scene: StoredValue<bool, LocalStorage>,
    draw_cost_ms: StoredValue<f64, LocalStorage>,
}

impl Live {
    /// The page's simulation on the cluster its URL asks for (`?workers=`; a lesson's
    /// is always the default), and what the console should say about that first.
    pub fn for_page(lesson: bool) -> (Live, Option<String>) {
        let (options, note) = super::cluster_size::for_page(
            SEED,
            super::query_param(super::cluster_size::PARAM).as_deref(),
            lesson,
        );
        (Live::new(options), note)
    }

    /// The page's simulation, on the cluster `options` build (see `cluster_size`).
    pub fn new(options: crate::sim::ClusterOptions) -> Live {
        let timeline = Timeline::on_cluster(options);
        let scene = Scene::read(timeline.console().cluster());
        let tokens = RwSignal::new(Vec::<Token>::new());
        let live = Live {
            timeline: StoredValue::new_local(timeline),
            scene: RwSignal::new(scene),
            playing: RwSignal::new(true),
            speed: RwSignal::new(1.0),
            now: RwSignal::new(0),
            horizon: RwSignal::new(0),
            markers: RwSignal::new(Vec::new()),
            message_count: RwSignal::new(0),
            caption: RwSignal::new(None),
            tokens,
            active_boxes: Memo::new(move |_| {
                tokens.with(|tokens| {
                    tokens
                        .iter()
                        .flat_map(|t| [t.from.clone(), t.to.clone()])
                        .collect()
                })
            }),
            traffic: Traffic::new(),
            anim_clock: RwSignal::new(0.0),
            generation: RwSignal::new(0),
            seen: StoredValue::new_local((0, 0, 0)),
            wall: StoredValue::new_local(0.0),
            published: StoredValue::new_local(f64::NEG_INFINITY),
            next_token: StoredValue::new_local(0),
            animate_until: RwSignal::new(0.0),
            catching_up: StoredValue::new_local(None),
            reduced_motion: window()
                .match_media("(prefers-reduced-motion: reduce)")
                .ok()
                .flatten()
                .is_some_and(|query| query.matches()),
            console_news: RwSignal::new(0),
            was_busy: StoredValue::new_local(false),
            simulated_ms: StoredValue::new_local(0.0),
            drew_scene: StoredValue::new_local(false),
            draw_cost_ms: StoredValue::new_local(0.0),
        };
        live.start_frames();
        live
    }

    /// Runs a console command now, records it, and shows its effects. Around it, the
    /// recovery tape notes the command as running, so a panic in it (or in drawing what
    /// it did) restarts the session without it.
    pub fn execute(&self, line: &str) -> String {
        self.keep_tape(Some(line));
        let output = self
            .timeline
            .try_update_value(|t| t.execute(line))
            .unwrap_or_default();
        self.sync();
        // A line whose later commands still wait stays named on the tape until the frame
        // loop has run them (and worked off what they owe).
        if !self.timeline.with_value(|t| t.is_running()) {
            self.keep_tape(None);
        }
        output
    }

    /// What the running line's later commands printed since the last call.
    pub fn take_printed(&self) -> String {
        self.timeline
            .try_update_value(|t| t.take_printed())
            .unwrap_or_default()
    }

    /// The session a restart would replay (see `recovery`), and the command running.
    fn keep_tape(&self, running: Option<&str>) {
        let session = self.timeline.try_with_value(|t| {
            (
                t.now(),
                super::recovery::recorded_until(t.commands(), t.now()),
                t.workers(),
            )
        });
        if let Some((now, commands, workers)) = session {
            super::recovery::record(|tape| {
                tape.seed = SEED;
                tape.workers = workers;
                tape.now = now;
                tape.commands = commands;
                tape.running = running.map(str::to_string);
            });
        }
    }

    /// The buffer a `kubectl edit` just opened for the editor panel, if any.
    pub fn take_edit_to_show(&self) -> Option<(String, String)> {
        self.timeline
            .try_update_value(|t| t.take_edit_to_show())
            .flatten()
    }

    /// Runs a read-only command for the inspector (not recorded, moves nothing).
    pub fn peek(&self, line: &str) -> String {
        self.timeline
            .try_update_value(|t| t.peek(line))
            .unwrap_or_default()
    }

    /// Pauses and runs up to the next event or recorded command.
    pub fn step(&self) {
        self.playing.set(false);
        self.catching_up.set_value(None);
        self.timeline.update_value(|t| {
            t.step();
        });
        self.animate_until
            .set(self.anim_clock.get_untracked() + FLIGHT_MS + 20.0 * STAGGER_MS);
        self.traffic.after_step();
        self.sync();
    }

    /// Jumps to virtual time `t` (earlier by replay, later by running on).
    pub fn seek(&self, t: Millis) {
        self.catching_up.set_value(None);
        let now = self.now.get_untracked();
        if t >= now {
            self.timeline
                .update_value(|timeline| timeline.advance_to(t));
        } else {
            self.timeline.update_value(|timeline| timeline.rewind_to(t));
            self.generation.update(|g| *g += 1);
            self.tokens.set(Vec::new());
        }
        self.sync();
    }

    pub fn set_speed(&self, speed: f64) {
        self.speed.set(speed.clamp(0.25, 16.0));
    }

    /// Brings every signal up to date with the timeline (at once: after a command, a
    /// step or a seek the learner is waiting for it).
    pub fn sync(&self) {
        self.publish(true);
    }

    /// Brings the signals up to date; unless `now`, the scene only if it is due.
    fn publish(&self, now: bool) {
        let wall = self.wall.get_value();
        let busy =
            self.catching_up.get_value().is_some() || self.timeline.with_value(|t| t.is_busy());
        let interval = if busy {
            BUSY_PUBLISH_MS.max(DRAW_SHARE * self.draw_cost_ms.get_value())
        } else {
            PUBLISH_MS
        };
        let due = now || wall - self.published.get_value() >= interval;
        let generation = self.generation.get_untracked();
        let (seen_generation, seen_log, seen_messages) = self.seen.get_value();
        let rewound = seen_generation != generation;
        // Read everything first, then set signals: effects must never find the timeline
        // borrowed.
        let snapshot = self.timeline.with_value(|timeline| {
            let cluster = timeline.console().cluster();
            let log = cluster.store().revision();
            let messages = cluster.messages();
            let recorded = cluster.messages_recorded();
            // Positions count from the first message ever recorded; the ring may have
            // dropped some unseen ones.
            let fresh = if rewound || recorded < seen_messages {
                &messages[messages.len()..]
            } else {
                let first_new = seen_messages.saturating_sub(cluster.messages_dropped());
                &messages[(first_new as usize).min(messages.len())..]
            };
            // The newest burst matters most: older surplus is only in the log.
            let skip = fresh.len().saturating_sub(MAX_TOKENS);
            let markers_stale = rewound
                || self
                    .markers
                    .with_untracked(|m| m.len() != timeline.commands().len());
            Snapshot {
                log,
                messages: recorded,
                now: timeline.now(),
                horizon: timeline.horizon(),
                // Only new messages can change the caption.
                caption: (rewound || recorded != seen_messages).then(|| caption_for(messages)),
                fresh: fresh[skip..].to_vec(),
                markers: markers_stale.then(|| timeline.commands().to_vec()),
                scene: (rewound || (due && log != seen_log)).then(|| Scene::read(cluster)),
                traffic: self.traffic.read(cluster, rewound, due),
            }
        });
        // Changes not yet drawn stay "unseen" until the next publication.
        let drawn_log = if snapshot.scene.is_some() {
            snapshot.log
        } else {
            seen_log
        };
        if snapshot.scene.is_some() {
            self.published.set_value(wall);
            self.drew_scene.set_value(true);
        }
        self.seen
            .set_value((generation, drawn_log, snapshot.messages));
        if self.now.get_untracked() != snapshot.now {
            self.now.set(snapshot.now);
        }
        if self.horizon.get_untracked() != snapshot.horizon {
            self.horizon.set(snapshot.horizon);
        }
        if let Some(markers) = snapshot.markers {
            self.markers.set(markers);
        }
        if let Some(scene) = snapshot.scene {
            self.scene.set(scene);
        }
        if (due || rewound) && self.message_count.get_untracked() != snapshot.messages {
            self.message_count.set(snapshot.messages);
        }
        if let Some(caption) = snapshot.caption {
            if self.caption.with_untracked(|c| c != &caption) {
                self.caption.set(caption);
            }
        }
        self.traffic.apply(snapshot.traffic);
        let new_tokens = snapshot.fresh;
        if !new_tokens.is_empty() {
            self.launch(&new_tokens);
        }
    }

    /// Turns new messages into tokens, queued behind those still waiting to leave. At
    /// most [`MAX_TOKENS`] wait: in a flood (hundreds of messages a second, more than
    /// the tokens' stagger can show) the newest of a burst take the free places and
    /// the rest are only in the log. (Queuing them all made every frame build dozens of
    /// tokens that were dropped before they left, and dropped those in flight with them.)
    fn launch(&self, messages: &[Message]) {
        let clock = self.anim_clock.get_untracked();
        let (queue_end, waiting) = self.tokens.with_untracked(|tokens| {
            let queue_end = tokens.iter().map(|t| t.start).fold(clock, f64::max);
            (queue_end, tokens.iter().filter(|t| t.start > clock).count())
        });
        let room = MAX_TOKENS.saturating_sub(waiting);
        if room == 0 {
            return;
        }
        let messages = &messages[messages.len().saturating_sub(room)..];
        let mut id = self.next_token.get_value();
        let fresh: Vec<Token> = messages
            .iter()
            .enumerate()
            .map(|(i, message)| {
                id += 1;
                Token {
                    id,
                    from: anchor_key(&message.from),
                    to: anchor_key(&message.to),
                    start: queue_end + i as f64 * STAGGER_MS,
                    class: token_class(message),
                    label: message.summary.clone(),
                }
            })
            .collect();
        self.next_token.set_value(id);
        self.tokens.update(|tokens| tokens.extend(fresh));
    }

    /// One animation frame, `dt` wall milliseconds after the last.
    fn frame(&self, timestamp: f64, dt: f64, carry: &Cell<f64>) {
        self.wall.set_value(timestamp);
        // What the last frame spent besides simulating: drawing, layout, paint, input.
        let elsewhere = (dt - self.simulated_ms.get_value()).max(0.0);
        if self.drew_scene.get_value() {
            self.draw_cost_ms.set_value(elsewhere);
            self.drew_scene.set_value(false);
        }
        let behind =
            self.catching_up.get_value().is_some() || self.timeline.with_value(|t| t.is_busy());
        let budget = if behind && elsewhere > SLOW_FRAME_MS {
            elsewhere.clamp(SIMULATE_MS, MAX_SIMULATE_MS)
        } else {
            SIMULATE_MS
        };
        let started = js_sys::Date::now();
        let dt = dt.clamp(0.0, MAX_FRAME_MS);
        let playing = self.playing.get_untracked();
        if playing {
            let target = match self.catching_up.get_value() {
                Some(target) => Some(target),
                None => {
                    let virtual_ms = carry.get() + dt * self.speed.get_untracked();
                    let whole = virtual_ms.floor();
                    carry.set(virtual_ms - whole);
                    (whole >= 1.0).then(|| self.now.get_untracked() + whole as Millis)
                }
            };
            if let Some(target) = target {
                let reached = self.simulate_toward(target, budget);
                self.catching_up.set_value((!reached).then_some(target));
            }
        } else if self.timeline.with_value(|t| t.is_busy()) {
            // Paused, but a command's work at this instant is still owed: the
            // controllers react without the clock moving, as they would in a real cluster.
            let now = self.timeline.with_value(|t| t.now());
            self.simulate_toward(now, budget);
        }
        self.simulated_ms.set_value(js_sys::Date::now() - started);
        let (busy, printed) = self
            .timeline
            .with_value(|t| (t.is_busy(), !t.printed_is_empty()));
        let settled = self.was_busy.get_value() && !busy;
        self.was_busy.set_value(busy);
        if settled {
            // Nothing runs now: a line the tape named as running has finished.
            self.keep_tape(None);
        }
        if printed || settled {
            self.console_news.update(|n| *n += 1);
        }
        // Also while paused: a change held back by the publishing rate still shows.
        self.publish(false);
        let clock = self.anim_clock.get_untracked();
        self.traffic.tick(dt, playing, self.speed.get_untracked());
        let has_tokens = self.tokens.with_untracked(|t| !t.is_empty());
        if has_tokens && (playing || clock < self.animate_until.get_untracked()) {
            let clock = clock + dt;
            self.anim_clock.set(clock);
            if self
                .tokens
                .with_untracked(|t| t.iter().any(|token| token.start + FLIGHT_MS < clock))
            {
                self.tokens
                    .update(|t| t.retain(|token| token.start + FLIGHT_MS >= clock));
            }
        }
    }

    /// Simulates toward `target` for at most `budget` wall milliseconds, in slices of
    /// [`SLICE_WORK`]; true once the clock reached it.
    fn simulate_toward(&self, target: Millis, budget: f64) -> bool {
        let started = js_sys::Date::now();
        loop {
            let mut work = SLICE_WORK;
            let mut reached = false;
            self.timeline
                .update_value(|t| reached = t.advance_within(target, &mut work));
            if reached {
                return true;
            }
            if js_sys::Date::now() - started >= budget {
                return false;
            }
        }
    }

    /// Starts the requestAnimationFrame loop; it runs as long as the page.
    fn start_frames(&self) {
        let live = *self;
        let carry = Rc::new(Cell::new(0.0));
        let last = Rc::new(Cell::new(None::<f64>));
        let callback: FrameCallback = Rc::new(std::cell::RefCell::new(None));
        let again = callback.clone();
        *callback.borrow_mut() = Some(Closure::new(move |timestamp: f64| {
            let dt = last.get().map_or(0.0, |previous| timestamp - previous);
            last.set(Some(timestamp));
            live.frame(timestamp, dt, &carry);
            if let Some(next) = again.borrow().as_ref() {
                let _ = window().request_animation_frame(next.as_ref().unchecked_ref());
            }
        }));
        if let Some(first) = callback.borrow().as_ref() {
            let _ = window().request_animation_frame(first.as_ref().unchecked_ref());
        }
        // The loop closure keeps itself alive through `again`, for the page's lifetime.
        std::mem::forget(callback);
    }
}
