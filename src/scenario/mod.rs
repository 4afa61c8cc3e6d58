//! Scenarios: lessons that run (issue #14). A scenario is a Markdown file in
//! `scenarios/` — headings are steps, paragraphs narration, ```` ```console ```` blocks
//! the commands, ```` ```expect ```` blocks what their output must show — read by
//! [`parse`], played against a fresh cluster by [`play`] (the native CLI's `kubesim run
//! FILE.md` and `tests/scenarios.rs`), and stepped through by the page's guided lesson.
//!
//! No web crates here: the CLI and the page share it (design.md §1).

mod parse;
#[cfg(not(target_arch = "wasm32"))]
mod play;

pub use parse::{parse, Block, Expectation, ParseError, Pattern, Scenario, Step};
#[cfg(not(target_arch = "wasm32"))]
pub use play::{play, Failure, Played};

/// A bundled lesson: its file name without `.md`, and its text.
pub struct Lesson {
    pub name: &'static str,
    pub text: &'static str,
}

/// A [`Lesson`] read from `scenarios/NAME.md` at compile time.
macro_rules! lesson {
    ($name:literal) => {
        Lesson {
            name: $name,
            text: include_str!(concat!("../../scenarios/", $name, ".md")),
        }
    };
}

/// Every file in `scenarios/`, in the order the lesson picker lists them (the order of
/// the seed notes). `tests/scenarios.rs` checks that none is missing from this list.
pub const LESSONS: &[Lesson] = &[
    lesson!("image-pull-policy"),
    lesson!("image-pull-backoff"),
    lesson!("rolling-update"),
    lesson!("rollout-restart"),
    lesson!("replicaset-reapply"),
    lesson!("daemonset"),
    lesson!("statefulset"),
    lesson!("secret-single-pod-service"),
    lesson!("control-plane-tour"),
    lesson!("service-types"),
    lesson!("headless-dns"),
    lesson!("port-forward"),
    lesson!("ingress"),
    lesson!("ingress-vs-gateway"),
    lesson!("autoscaling"),
];

/// The bundled lesson called `name`.
pub fn lesson(name: &str) -> Option<&'static Lesson> {
    LESSONS.iter().find(|l| l.name == name)
}

/// Whether `regex` compiles; the reason when not. Only the native build carries a regex
/// engine (the page plays lessons but does not check them), and `cargo test` parses
/// every bundled lesson natively, so a broken expression never reaches the page.
#[cfg(not(target_arch = "wasm32"))]
fn check_regex(regex: &str) -> Result<(), String> {
    regex::Regex::new(regex).map(|_| ()).map_err(|e| {
        // The crate's message ends with its summary line ("error: unclosed group").
        e.to_string()
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("invalid")
            .trim()
            .trim_start_matches("error: ")
            .to_string()
    })
}

#[cfg(target_arch = "wasm32")]
fn check_regex(_regex: &str) -> Result<(), String> {
    Ok(())
}
