//! The kubelet's prober workers (pkg/kubelet/prober/worker.go, prober.go), one per probe
//! of a running container: a startup probe gates the other two; liveness and startup
//! failures past `failureThreshold` kill the container; readiness decides whether the
//! container (and so the pod, and its endpoints) is Ready.
//!
//! What a probe sees is decided once per container run, from the image and its command
//! (see [`Outcome`]): an exec `cat /tmp/healthy` fails while the file does not exist, an
//! httpGet gets what the image's server answers on that path and port. Probes then tick
//! on the container's grid — at `ceil(initialDelay / period) × period` after the start
//! and every period after — and the state machine below turns ticks into results.

use crate::sim::sort::SharedSort;
use crate::sim::time::{Millis, SECOND};
use serde_json::Value;

/// The three probe types, in the order their workers are run at the same instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Startup,
    Liveness,
    Readiness,
}

impl Kind {
    /// `probeType.String()`: the word in `Unhealthy` events.
    pub fn word(self) -> &'static str {
        match self {
            Kind::Startup => "Startup",
            Kind::Liveness => "Liveness",
            Kind::Readiness => "Readiness",
        }
    }
    /// The container field holding this probe.
    pub fn field(self) -> &'static str {
        match self {
            Kind::Startup => "startupProbe",
            Kind::Liveness => "livenessProbe",
            Kind::Readiness => "readinessProbe",
        }
    }
    /// A worker's result before its first probe (`worker.initialValue`): readiness
    /// starts failed, liveness succeeded, startup unknown.
    fn initial(self) -> Option<bool> {
        match self {
            Kind::Startup => None,
            Kind::Liveness => Some(true),
            Kind::Readiness => Some(false),
        }
    }
}

/// What one probe of a container run sees: the windows (offsets from the container's
/// start) in which it fails, and the output the kubelet reports for a failure.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Outcome {
    pub failing: Vec<(Millis, Option<Millis>)>,
    pub message: String,
}

impl Outcome {
    pub fn passing() -> Outcome {
        Outcome::default()
    }
    pub fn always_failing(message: String) -> Outcome {
        Outcome {
            failing: vec![(0, None)],
            message,
        }
    }
    fn fails_at(&self, offset: Millis) -> bool {
        self.failing
            .iter()
            .any(|(from, to)| offset >= *from && to.is_none_or(|t| offset < t))
    }
    /// The first offset at or after `offset` at which the probe fails.
    fn next_failure(&self, offset: Millis) -> Option<Millis> {
        self.failing
            .iter()
            .filter(|(_, to)| to.is_none_or(|t| t > offset))
            .map(|(from, _)| (*from).max(offset))
            .min()
    }
}

/// One prober worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Worker {
    pub kind: Kind,
    period: Millis,
    /// Offset of the first probe from the container's start.
    first: Millis,
    failure_threshold: u32,
    success_threshold: u32,
    outcome: Outcome,
    /// The next tick not yet looked at (absolute time).
    next: Millis,
    /// The result the kubelet acts on (`results.Manager`).
    result: Option<bool>,
    /// The last raw probe outcome and how many times in a row it came (`resultRun`).
    last: Option<bool>,
    run: u32,
}

/// The probe settings with the API defaults (`SetDefaults_Probe`).
pub fn timing(probe: &Value) -> (Millis, Millis, u32, u32) {
    let secs = |f: &str, d: u64| probe.get(f).and_then(Value::as_u64).unwrap_or(d);
    let period = secs("periodSeconds", 10).max(1) * SECOND;
    let first = (secs("initialDelaySeconds", 0) * SECOND).div_ceil(period) * period;
    (
        first,
        period,
        secs("failureThreshold", 3).max(1) as u32,
        secs("successThreshold", 1).max(1) as u32,
    )
}

impl Worker {
    pub fn new(kind: Kind, probe: &Value, outcome: Outcome, started_at: Millis) -> Worker {
        let (first, period, failure_threshold, success_threshold) = timing(probe);
        Worker {
            kind,
            period,
            first,
            failure_threshold,
            success_threshold,
            outcome,
            next: started_at + first,
            result: kind.initial(),
            last: None,
            run: 0,
        }
    }
    /// The first tick of this worker's grid at or after `t`.
    fn tick_at_or_after(&self, started_at: Millis, t: Millis) -> Millis {
        let base = started_at + self.first;
        if t <= base {
            return base;
        }
        base + (t - base).div_ceil(self.period) * self.period
    }
}

/// What a probe tick changed, for the kubelet to act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// `Warning Unhealthy "<Kind> probe failed: <output>"`.
    Failed {
        kind: Kind,
        at: Millis,
        message: String,
    },
    /// The startup probe succeeded: the container counts as started.
    Started {
        at: Millis,
    },
    Ready {
        at: Millis,
    },
    NotReady {
        at: Millis,
    },
    /// Liveness or startup failed `failureThreshold` times: kill the container.
    Kill {
        kind: Kind,
        at: Millis,
    },
}

/// The prober workers of one container run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probes {
    pub started_at: Millis,
    pub workers: Vec<Worker>,
    /// Whether the startup probe has succeeded (true at once without one).
    pub started: bool,
    /// A kill ended this run: its workers probe no more.
    killed: bool,
}

impl Probes {
    pub fn new(started_at: Millis, workers: Vec<Worker>) -> Probes {
        let mut workers = workers;
        workers.sort_shared_by_key(|w| w.kind);
        let started = !workers.iter().any(|w| w.kind == Kind::Startup);
        Probes {
            started_at,
            workers,
            started,
            killed: false,
        }
    }

    pub fn has(&self, kind: Kind) -> bool {
        self.workers.iter().any(|w| w.kind == kind)
    }

    /// Whether worker `i` probes at all now (`doProbe`'s early returns): startup only
    /// until the container started, the others only after.
    fn active(&self, i: usize) -> bool {
        if self.killed {
            return false;
        }
        let w = &self.workers[i];
        match (w.kind, self.started) {
            (Kind::Startup, started) => !started,
            (_, started) => started,
        }
    }

    /// When worker `i` next has something to do: a failing probe (an event), or a
    /// passing one that can change its result. Passing probes that change nothing are
    /// skipped over, so a healthy container asks for no wake-ups.
    fn due(&self, i: usize) -> Option<Millis> {
        if !self.active(i) {
            return None;
        }
        let w = &self.workers[i];
        let t = w.next;
        let offset = t - self.started_at;
        let settled = w.result == Some(true) && w.last != Some(false);
        if w.outcome.fails_at(offset) || !settled {
            return Some(t);
        }
        let fail = w.outcome.next_failure(offset)?;
        Some(w.tick_at_or_after(self.started_at, self.started_at + fail))
    }

    /// The next time any worker has something to do.
    pub fn next_due(&self) -> Option<Millis> {
        (0..self.workers.len()).filter_map(|i| self.due(i)).min()
    }

    /// Runs every probe due up to and including `until`, in time order, and returns
    /// what changed. Stops at a kill: the container's workers end with it.
    pub fn run_until(&mut self, until: Millis) -> Vec<Effect> {
        let mut effects = vec![];
        loop {
            let next = (0..self.workers.len())
                .filter_map(|i| self.due(i).map(|t| (t, i)))
                .min();
            let Some((at, i)) = next.filter(|(t, _)| *t <= until) else {
                break;
            };
            if let Some(kill) = self.tick(i, at, &mut effects) {
                self.killed = true;
                effects.push(kill);
                break;
            }
        }
        effects
    }

    /// One probe of worker `i` at `at` (`worker.doProbe`).
    fn tick(&mut self, i: usize, at: Millis, effects: &mut Vec<Effect>) -> Option<Effect> {
        let started_at = self.started_at;
        let has_readiness = self.has(Kind::Readiness);
        let w = &mut self.workers[i];
        w.next = at + w.period;
        let passed = !w.outcome.fails_at(at - started_at);
        if w.last == Some(passed) {
            w.run = w.run.saturating_add(1);
        } else {
            w.last = Some(passed);
            w.run = 1;
        }
        if !passed {
            effects.push(Effect::Failed {
                kind: w.kind,
                at,
                message: w.outcome.message.clone(),
            });
        }
        let threshold = if passed {
            w.success_threshold
        } else {
            w.failure_threshold
        };
        if w.run < threshold || w.result == Some(passed) {
            return None;
        }
        w.result = Some(passed);
        let kind = w.kind;
        match (kind, passed) {
            (Kind::Startup, true) => {
                self.started = true;
                // The other workers start probing from their next tick after this one.
                for other in self.workers.iter_mut().filter(|o| o.kind != Kind::Startup) {
                    other.next = other.tick_at_or_after(started_at, at + 1);
                }
                effects.push(Effect::Started { at });
                if !has_readiness {
                    effects.push(Effect::Ready { at });
                }
                None
            }
            (Kind::Readiness, true) => {
                effects.push(Effect::Ready { at });
                None
            }
            (Kind::Readiness, false) => {
                effects.push(Effect::NotReady { at });
                None
            }
            (Kind::Liveness, true) => None,
            (_, false) => Some(Effect::Kill { kind, at }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::json::json;

    fn worker(kind: Kind, probe: Value, outcome: Outcome) -> Worker {
        Worker::new(kind, &probe, outcome, 0)
    }

    fn fail(from: u64, to: Option<u64>) -> Outcome {
        Outcome {
            failing: vec![(from * SECOND, to.map(|t| t * SECOND))],
            message: "boom".into(),
        }
    }

    /// Effects as (what, second) pairs, which read well in a table.
    fn summary(effects: &[Effect]) -> Vec<(&'static str, u64)> {
        effects
            .iter()
            .map(|e| match e {
                Effect::Failed { kind, at, .. } => (kind.word(), at / SECOND),
                Effect::Started { at } => ("Started", at / SECOND),
                Effect::Ready { at } => ("Ready", at / SECOND),
                Effect::NotReady { at } => ("NotReady", at / SECOND),
                Effect::Kill { kind, at } => match kind {
                    Kind::Startup => ("KillStartup", at / SECOND),
                    _ => ("KillLiveness", at / SECOND),
                },
            })
            .collect()
    }

    #[test]
    fn probe_state_machines() {
        struct Case {
            name: &'static str,
            workers: Vec<Worker>,
            until: u64,
            want: Vec<(&'static str, u64)>,
        }
        let period5 = json!({"periodSeconds": 5});
        let cases = vec![
            Case {
                name: "passing readiness is Ready at its first probe",
                workers: vec![worker(Kind::Readiness, json!({}), Outcome::passing())],
                until: 100,
                want: vec![("Ready", 0)],
            },
            Case {
                name: "initialDelaySeconds rounds up to the period grid",
                workers: vec![worker(
                    Kind::Readiness,
                    json!({"initialDelaySeconds": 12, "periodSeconds": 5}),
                    Outcome::passing(),
                )],
                until: 100,
                want: vec![("Ready", 15)],
            },
            Case {
                name: "failing readiness: an event every period, never Ready",
                workers: vec![worker(
                    Kind::Readiness,
                    json!({}),
                    Outcome::always_failing("x".into()),
                )],
                until: 30,
                want: vec![
                    ("Readiness", 0),
                    ("Readiness", 10),
                    ("Readiness", 20),
                    ("Readiness", 30),
                ],
            },
            Case {
                name: "readiness lost after failureThreshold, regained after successThreshold",
                workers: vec![worker(
                    Kind::Readiness,
                    json!({"periodSeconds": 5, "failureThreshold": 2, "successThreshold": 2}),
                    fail(10, Some(20)),
                )],
                until: 40,
                want: vec![
                    ("Ready", 5),
                    ("Readiness", 10),
                    ("Readiness", 15),
                    ("NotReady", 15),
                    ("Ready", 25),
                ],
            },
            Case {
                name: "liveness kills at the third failure (the docs' liveness-exec)",
                workers: vec![worker(
                    Kind::Liveness,
                    json!({"initialDelaySeconds": 5, "periodSeconds": 5}),
                    fail(30, None),
                )],
                until: 100,
                want: vec![
                    ("Liveness", 30),
                    ("Liveness", 35),
                    ("Liveness", 40),
                    ("KillLiveness", 40),
                ],
            },
            Case {
                name: "a liveness failure below the threshold is only an event",
                workers: vec![worker(Kind::Liveness, period5.clone(), fail(10, Some(12)))],
                until: 100,
                want: vec![("Liveness", 10)],
            },
            Case {
                name: "startup gates liveness and readiness until it succeeds",
                workers: vec![
                    worker(
                        Kind::Startup,
                        json!({"periodSeconds": 10, "failureThreshold": 30}),
                        fail(0, Some(25)),
                    ),
                    worker(
                        Kind::Liveness,
                        period5.clone(),
                        Outcome::always_failing("never probed before start".into()),
                    ),
                    worker(Kind::Readiness, period5.clone(), Outcome::passing()),
                ],
                until: 40,
                want: vec![
                    ("Startup", 0),
                    ("Startup", 10),
                    ("Startup", 20),
                    ("Started", 30),
                    ("Liveness", 35),
                    ("Ready", 35),
                    ("Liveness", 40),
                ],
            },
            Case {
                name: "startup failing failureThreshold × period kills",
                workers: vec![
                    worker(
                        Kind::Startup,
                        json!({"periodSeconds": 10, "failureThreshold": 3}),
                        Outcome::always_failing("x".into()),
                    ),
                    worker(Kind::Readiness, json!({}), Outcome::passing()),
                ],
                until: 100,
                want: vec![
                    ("Startup", 0),
                    ("Startup", 10),
                    ("Startup", 20),
                    ("KillStartup", 20),
                ],
            },
            Case {
                name: "startup without readiness makes the container Ready",
                workers: vec![worker(Kind::Startup, period5.clone(), fail(0, Some(3)))],
                until: 100,
                want: vec![("Startup", 0), ("Started", 5), ("Ready", 5)],
            },
        ];
        for case in cases {
            let mut probes = Probes::new(0, case.workers);
            let effects = probes.run_until(case.until * SECOND);
            assert_eq!(summary(&effects), case.want, "{}", case.name);
        }
    }

    #[test]
    fn running_in_steps_is_running_at_once() {
        let make = || {
            Probes::new(
                0,
                vec![
                    worker(
                        Kind::Startup,
                        json!({"periodSeconds": 3, "failureThreshold": 5}),
                        fail(0, Some(7)),
                    ),
                    worker(
                        Kind::Readiness,
                        json!({"periodSeconds": 4}),
                        fail(20, Some(31)),
                    ),
                    worker(Kind::Liveness, json!({"periodSeconds": 5}), fail(50, None)),
                ],
            )
        };
        let all = make().run_until(100 * SECOND);
        let mut stepped = make();
        let mut effects = vec![];
        while let Some(t) = stepped.next_due().filter(|t| *t <= 100 * SECOND) {
            let got = stepped.run_until(t);
            assert!(
                !got.is_empty() || t == 0,
                "a wake-up at {t} that did nothing"
            );
            effects.extend(got);
        }
        assert_eq!(effects, all);
    }

    #[test]
    fn a_healthy_container_asks_for_no_wake_up() {
        let mut p = Probes::new(
            0,
            vec![
                worker(Kind::Liveness, json!({}), Outcome::passing()),
                worker(Kind::Readiness, json!({}), Outcome::passing()),
            ],
        );
        assert_eq!(summary(&p.run_until(0)), vec![("Ready", 0)]);
        assert_eq!(p.next_due(), None);
    }
}
