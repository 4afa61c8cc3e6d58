//! `sim …`: simulator controls, kept apart from kubectl so nobody mistakes them for
//! Kubernetes commands (design.md §4).

use super::kubectl::check_err;
use super::output::Output;
use super::Console;
use crate::sim::controllers::faults::Part;

const USAGE_HEAD: &str = "Usage: sim COMMAND

Commands:
  time               print the virtual time
  messages [N]       print the last N control-plane messages (default 20)
  registry down|up   make every image pull fail (registry unreachable) or work again
  registry missing IMAGE  make the registry answer \"not found\" for IMAGE
  node down NAME     stop the node's kubelet (it stops posting status)
  node up NAME       start the node's kubelet again
  node add [NAME]    join a new worker node
  apiserver down|up  stop or start kube-apiserver (kubectl's connection is refused)
  etcd down|up       stop or start etcd (the apiserver times out)
  scheduler down|up  stop or start kube-scheduler (new pods stay Pending)
  controller-manager down|up  stop or start kube-controller-manager (nothing reconciles)
  debug panic        crash the page on purpose, to try its recovery (the page only)
";

fn usage() -> String {
    format!("{USAGE_HEAD}\n{}", super::simnet::USAGE)
}

pub fn run(console: &mut Console, args: &[String], stdin: Option<&str>) -> Output {
    match args.first().map(String::as_str) {
        // The page's Save button in a `kubectl edit` buffer: the editor exiting.
        Some("editor-save") => match args.get(1) {
            Some(file) => super::kubectl::edit::save(console, file, stdin.unwrap_or_default()),
            None => Output::fail("sim editor-save: a file name is required"),
        },
        Some("time") if args.len() > 1 => {
            Output::fail(format!("sim time: unexpected argument \"{}\"", args[1]))
        }
        Some("time") => Output::ok(format!("{}\n", format_clock(console.cluster.now()))),
        Some("messages") => messages(console, &args[1..]),
        Some("registry") => {
            match crate::sim::kubelet::registry_command(&mut console.cluster, &args[1..]) {
                Ok(text) => Output::ok(text),
                Err(e) => Output::fail(e),
            }
        }
        Some("node") => node(console, &args[1..]),
        Some(word) if Part::parse(word).is_some() => part(console, word, &args[1..]),
        Some("trace") => super::simnet::trace(console, &args[1..]),
        Some("traffic") => super::simnet::traffic(console, &args[1..]),
        Some("forwards") => super::simnet::forwards(console, &args[1..]),
        Some("debug") => debug(&args[1..]),
        None | Some("help") | Some("--help") | Some("-h") => Output::ok(format!("{}\n", usage())),
        Some(other) => Output::fail(format!("sim: unknown command \"{other}\"\n{}", usage())),
    }
}

/// `sim debug panic`: a diagnostics tool. The page must survive its own bugs (its
/// banner restarts the session without the command that crashed it), and a release
/// build has no other way to show that this works, so this panics there, on purpose.
/// Natively there is nothing to recover, and a panic would only end the CLI: a message.
fn debug(args: &[String]) -> Output {
    match args {
        [what] if what == "panic" => {
            #[cfg(target_arch = "wasm32")]
            panic!("sim debug panic: a deliberate panic, to try the page's crash recovery");
            #[cfg(not(target_arch = "wasm32"))]
            Output::fail("sim debug panic: only the page panics on purpose (to try its crash recovery); the CLI has nothing to recover")
        }
        [what, extra, ..] if what == "panic" => {
            Output::fail(format!("sim debug panic: unexpected argument \"{extra}\""))
        }
        [] => Output::fail("sim debug: expected `panic`"),
        [other, ..] => Output::fail(format!(
            "sim debug: unknown command \"{other}\" (expected `panic`)"
        )),
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
    if let Some(extra) = args.get(1) {
        return Output::fail(format!("sim messages: unexpected argument \"{extra}\""));
    }
    let n = match args.first() {
        None => 20,
        Some(a) => match a.parse::<usize>() {
            Ok(n) => n,
            Err(_) => return Output::fail(format!("sim messages: invalid count \"{a}\"")),
        },
    };
    let all = console.cluster.messages();
    let start = all.len().saturating_sub(n);
    let mut text = String::new();
    let dropped = console.cluster.messages_dropped();
    if n > all.len() && dropped > 0 {
        // The log is a ring: say that the story goes back further than it can show.
        text.push_str(&format!("({dropped} older messages dropped)\n"));
    }
    text.extend(all[start..].iter().map(|m| format!("{m}\n")));
    if text.is_empty() {
        return Output::ok("No control-plane messages yet.\n");
    }
    Output::ok(text)
}

/// `sim node down|up NAME`, `sim node add [NAME]`.
fn node(console: &mut Console, args: &[String]) -> Output {
    use crate::sim::controllers::nodelifecycle::{self, JoinError};
    let cluster = &mut console.cluster;
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["down", name] => nodelifecycle::stop_kubelet(cluster, name),
        ["up", name] => nodelifecycle::start_kubelet(cluster, name),
        ["add"] | ["add", _] => match nodelifecycle::add_node(cluster, args.get(1).copied()) {
            Ok(text) => Ok(text),
            // What `kubectl create` of the same Node would print.
            Err(JoinError::Rejected(e)) => return Output::fail(check_err(&e)),
            Err(JoinError::NoRoom) => Err("the cluster has no room for another node".into()),
        },
        _ => Err(format!(
            "expected `down NAME`, `up NAME` or `add [NAME]`\n{}",
            usage()
        )),
    };
    cluster.settle();
    match result {
        Ok(text) => Output::ok(format!("{text}\n")),
        Err(e) => Output::fail(format!("sim node: {e}")),
    }
}

/// `sim apiserver|etcd|scheduler|controller-manager down|up`.
fn part(console: &mut Console, word: &str, args: &[String]) -> Output {
    let part = Part::parse(word).expect("checked by the caller");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let up = match args.as_slice() {
        ["up"] => true,
        ["down"] => false,
        _ => return Output::fail(format!("sim {word}: expected `down` or `up`")),
    };
    let text = console.cluster.set_part(part, up);
    console.cluster.settle();
    Output::ok(format!("{text}\n"))
}
