//! `sim …`: simulator controls, kept apart from kubectl so nobody mistakes them for
//! Kubernetes commands (design.md §4).

use super::output::Output;
use super::Console;

const USAGE: &str = "Usage: sim COMMAND

Commands:
  time               print the virtual time
  messages [N]       print the last N control-plane messages (default 20)";

pub fn run(console: &mut Console, args: &[String]) -> Output {
    match args.first().map(String::as_str) {
        Some("time") => Output::ok(format!("{}\n", format_clock(console.cluster.now()))),
        Some("messages") => messages(console, &args[1..]),
        None | Some("help") | Some("--help") | Some("-h") => Output::ok(format!("{USAGE}\n")),
        Some(other) => Output::fail(format!("sim: unknown command \"{other}\"\n{USAGE}")),
    }
}

/// `00:04:12.250 (t=252250ms, 2026-01-01T00:04:12Z)`.
pub fn format_clock(now: crate::sim::time::Millis) -> String {
    let secs = now / 1000;
    format!(
        "{:02}:{:02}:{:02}.{:03} (t={}ms, {})",
        secs / 3600,
        secs / 60 % 60,
        secs % 60,
        now % 1000,
        now,
        crate::sim::time::rfc3339(now)
    )
}

fn messages(console: &Console, args: &[String]) -> Output {
    let n = match args.first() {
        None => 20,
        Some(a) => match a.parse::<usize>() {
            Ok(n) => n,
            Err(_) => return Output::fail(format!("sim messages: invalid count \"{a}\"")),
        },
    };
    let all = console.cluster.messages();
    let start = all.len().saturating_sub(n);
    let text: String = all[start..].iter().map(|m| format!("{m}\n")).collect();
    if text.is_empty() {
        return Output::ok("No control-plane messages yet.\n");
    }
    Output::ok(text)
}
