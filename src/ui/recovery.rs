//! Recovery after a bug. A panic aborts the WebAssembly module (the page is built with
//! `panic = "abort"`, and Leptos has no panic boundary), so nothing in Rust can run after
//! it: the page survives by restarting. This keeps, outside the reactive runtime, what a
//! restart needs — the session as the timeline recorded it and the command running, if
//! any — so the panic hook can offer a share link (see [`super::share`]) that replays the
//! session without the command that crashed it. A presenter loses only that line.
//!
//! Pure (no web crates) so native tests can check what a restart replays.

use std::cell::RefCell;

use super::share::Shared;
use super::timeline::Recorded;
use crate::sim::time::Millis;

/// What the page would restart with.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tape {
    pub seed: u64,
    /// The cluster's worker nodes (`?workers=`).
    pub workers: usize,
    /// The moment to restart at: when the running command was typed, else the moment of
    /// the last command.
    pub now: Millis,
    /// The commands recorded up to `now`, the running one not among them.
    pub commands: Vec<Recorded>,
    pub editor: String,
    /// The command being run, until it returns.
    pub running: Option<String>,
}

impl Tape {
    /// The session to restart with, as a share link holds it: everything recorded, and
    /// the command that was running left out and named.
    pub fn restart(&self) -> Shared {
        Shared {
            seed: self.seed,
            workers: self.workers,
            now: self.now,
            commands: self.commands.clone(),
            editor: self.editor.clone(),
            crashed: self.running.clone(),
        }
    }

    /// Whether a restart would bring anything back (else Reload does as well).
    pub fn worth_restarting(&self) -> bool {
        self.running.is_some() || !self.commands.is_empty()
    }
}

/// The commands a timeline holds up to `now`: what replaying to `now` runs again (those
/// ahead of a rewind are left out, as a share link leaves them).
pub fn recorded_until(commands: &[Recorded], now: Millis) -> Vec<Recorded> {
    commands.iter().filter(|c| c.at <= now).cloned().collect()
}

thread_local! {
    static TAPE: RefCell<Tape> = RefCell::new(Tape::default());
}

/// Updates the tape. Never panics itself: if the tape is somehow in use, the update is
/// skipped (a restart then replays slightly less, which is still better than nothing).
pub fn record(update: impl FnOnce(&mut Tape)) {
    TAPE.with(|tape| {
        if let Ok(mut tape) = tape.try_borrow_mut() {
            update(&mut tape);
        }
    });
}

/// The tape as it stands, for the panic hook.
pub fn tape() -> Option<Tape> {
    TAPE.with(|tape| tape.try_borrow().ok().map(|t| t.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::ClusterOptions;
    use crate::ui::timeline::Timeline;

    fn at(at: Millis, line: &str) -> Recorded {
        Recorded {
            at,
            line: line.to_string(),
        }
    }

    #[test]
    fn a_restart_leaves_out_the_running_command_and_names_it() {
        let tape = Tape {
            seed: 1,
            workers: 3,
            now: 5_000,
            commands: vec![at(0, "kubectl create deployment web --image=nginx")],
            editor: "kind: Namespace\n".to_string(),
            running: Some("sim debug panic".to_string()),
        };
        let shared = tape.restart();
        assert_eq!(shared.crashed.as_deref(), Some("sim debug panic"));
        assert_eq!(shared.commands, tape.commands);
        assert_eq!(shared.now, 5_000);
        // What the link carries comes back whole when the restarted page opens it.
        assert_eq!(Shared::from_json(&shared.to_json()), Ok(shared));
        assert!(tape.worth_restarting());
        assert!(!Tape::default().worth_restarting());
    }

    #[test]
    fn commands_ahead_of_a_rewind_are_not_replayed() {
        let commands = [at(0, "a"), at(3_000, "b"), at(9_000, "c")];
        assert_eq!(recorded_until(&commands, 3_000), commands[..2].to_vec());
        assert_eq!(recorded_until(&commands, 0), commands[..1].to_vec());
    }

    /// The promise of the restart: replaying the tape reaches the very cluster the crash
    /// interrupted, as the command before it left it.
    #[test]
    fn replaying_the_tape_reaches_the_cluster_before_the_crash() {
        // Five workers, not the default three: a restart comes back on the same cluster.
        let cluster = ClusterOptions {
            seed: 1,
            workers: 5,
        };
        let mut timeline = Timeline::on_cluster(cluster);
        timeline.execute("kubectl create deployment web --image=nginx:1.27 --replicas=3");
        timeline.advance_to(20_000);
        timeline.execute("kubectl scale deployment web --replicas=5");
        timeline.advance_to(45_000);
        let before = timeline.peek("kubectl get pods -o name");
        let tape = Tape {
            seed: 1,
            workers: 5,
            now: timeline.now(),
            commands: recorded_until(timeline.commands(), timeline.now()),
            editor: String::new(),
            running: Some("sim debug panic".to_string()),
        };
        let shared = tape.restart();
        let shared = Shared::from_json(&shared.to_json()).unwrap();
        let mut replay = Timeline::on_cluster(ClusterOptions {
            seed: shared.seed,
            workers: shared.workers,
        });
        for command in &shared.commands {
            replay.advance_to(command.at);
            replay.execute(&command.line);
        }
        replay.advance_to(shared.now);
        assert_eq!(replay.peek("kubectl get pods -o name"), before);
        assert_eq!(before.lines().count(), 5, "{before}");
        assert_eq!(
            replay.peek("kubectl get nodes -o name"),
            timeline.peek("kubectl get nodes -o name")
        );
        assert!(replay
            .peek("kubectl get nodes -o name")
            .contains("node/worker-5\n"));
    }
}
