//! The native command line (design.md §4):
//!
//! - `kubesim run [--seed N] SCRIPT|-` runs console lines against a fresh default
//!   cluster and prints the transcript (`$ <command>` then its output); `-f PATH` is
//!   relative to the script; exit status 0 when the script ran to its end.
//! - `kubesim run [--seed N] FILE.md` plays a scenario (see [`crate::scenario`]): the
//!   transcript with a `## ` line per step; exit status 1, and the step and line on
//!   standard error, when an expectation is not met.
//! - `kubesim` alone opens an interactive console.

use crate::console::files::Files;
use crate::console::{shell, Console};
use crate::scenario;
use crate::sim::sort::SharedSort;
use crate::sim::ClusterOptions;
use std::io::{BufRead, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

const USAGE: &str = "kubesim — a Kubernetes cluster simulated on your machine

Usage:
  kubesim                          open an interactive console
  kubesim run [--seed N] SCRIPT    run a console script and print its transcript
  kubesim run [--seed N] -         read the script from standard input
  kubesim run [--seed N] FILE.md   play a scenario (a lesson) and check its expectations
  kubesim --version                print the version
";

/// Reads `-f` paths from disk, relative to a base directory.
pub struct DiskFiles {
    base: PathBuf,
}

impl DiskFiles {
    pub fn new(base: impl Into<PathBuf>) -> DiskFiles {
        DiskFiles { base: base.into() }
    }

    fn resolve(&self, path: &str) -> PathBuf {
        let p = Path::new(path);
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            self.base.join(p)
        }
    }
}

impl Files for DiskFiles {
    fn fork(&self) -> Box<dyn Files> {
        Box::new(DiskFiles {
            base: self.base.clone(),
        })
    }

    fn read(&self, path: &str) -> Result<String, String> {
        let full = self.resolve(path);
        if full.is_dir() {
            return Err(format!("the path \"{path}\" is a directory"));
        }
        std::fs::read(&full)
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .map_err(|_| format!("the path \"{path}\" does not exist"))
    }

    fn list_dir(&self, path: &str) -> Option<Vec<String>> {
        let full = self.resolve(path);
        let entries = std::fs::read_dir(&full).ok()?;
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter(|e| e.path().is_file())
            .map(|e| {
                format!(
                    "{}/{}",
                    path.trim_end_matches('/'),
                    e.file_name().to_string_lossy()
                )
            })
            .collect();
        names.sort_shared();
        Some(names)
    }
}

/// Parsed `run` arguments.
#[derive(Debug, PartialEq)]
pub struct RunArgs {
    pub seed: u64,
    pub script: String,
}

pub fn parse_run_args(args: &[String]) -> Result<RunArgs, String> {
    let mut seed = ClusterOptions::default().seed;
    let mut script = None;
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        let seed_value = if a == "--seed" {
            i += 1;
            Some(
                args.get(i - 1)
                    .cloned()
                    .ok_or("kubesim run: --seed needs a number")?,
            )
        } else {
            a.strip_prefix("--seed=").map(String::from)
        };
        if let Some(v) = seed_value {
            seed = v.parse().map_err(|_| {
                format!("kubesim run: invalid seed \"{v}\": expected a whole number")
            })?;
        } else if a.starts_with("--") {
            return Err(format!("kubesim run: unknown flag {a}"));
        } else if script.replace(a.clone()).is_some() {
            return Err("kubesim run: exactly one SCRIPT (or -) is expected".into());
        }
    }
    Ok(RunArgs {
        seed,
        script: script.ok_or("kubesim run: missing SCRIPT (a file, or - for standard input)")?,
    })
}

/// Runs a script text against a fresh cluster and returns its transcript.
pub fn run_script_text(seed: u64, script: &str, base: &Path) -> String {
    let options = ClusterOptions {
        seed,
        ..Default::default()
    };
    let mut console = Console::with_options(options, Box::new(DiskFiles::new(base)));
    console.run_script(script)
}

pub fn main(args: &[String]) -> i32 {
    match args.first().map(String::as_str) {
        None => interactive(),
        Some("run") => match parse_run_args(&args[1..]) {
            Ok(run) => run_command(&run),
            Err(e) => {
                eprintln!("{e}\n\n{USAGE}");
                2
            }
        },
        Some("--version") | Some("version") => {
            println!("kubesim {}", env!("CARGO_PKG_VERSION"));
            0
        }
        Some("--help") | Some("-h") | Some("help") => {
            print!("{USAGE}");
            0
        }
        Some(other) => {
            eprintln!("kubesim: unknown command \"{other}\"\n\n{USAGE}");
            2
        }
    }
}

fn run_command(run: &RunArgs) -> i32 {
    let (text, base) = if run.script == "-" {
        let mut s = String::new();
        if std::io::stdin().read_to_string(&mut s).is_err() {
            eprintln!("kubesim run: standard input is not UTF-8 text");
            return 1;
        }
        (s, std::env::current_dir().unwrap_or_default())
    } else {
        let path = Path::new(&run.script);
        match std::fs::read(path) {
            Ok(b) => (
                String::from_utf8_lossy(&b).into_owned(),
                path.parent().map(Path::to_path_buf).unwrap_or_default(),
            ),
            Err(e) => {
                eprintln!("kubesim run: cannot read {}: {e}", run.script);
                return 1;
            }
        }
    };
    if run.script.ends_with(".md") {
        return play_scenario(run, &text, &base);
    }
    let transcript = run_script_text(run.seed, &text, &base);
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(transcript.as_bytes());
    let _ = stdout.flush();
    0
}

/// Plays a scenario file: prints its transcript; a malformed file or an unmet
/// expectation is reported on standard error with its line (exit status 1). A pending
/// scenario is listed but not played, and says so.
fn play_scenario(run: &RunArgs, text: &str, base: &Path) -> i32 {
    let scenario = match scenario::parse(text) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("kubesim run: {}: {e}", run.script);
            return 1;
        }
    };
    if let Some(reason) = &scenario.pending {
        println!("{}: pending, not played: {reason}", scenario.title);
        return 0;
    }
    let options = ClusterOptions {
        seed: run.seed,
        ..Default::default()
    };
    let mut console = Console::with_options(options, Box::new(DiskFiles::new(base)));
    let played = scenario::play(&scenario, &mut console);
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(played.transcript.as_bytes());
    let _ = stdout.flush();
    match played.failure {
        None => 0,
        Some(failure) => {
            eprintln!("kubesim run: {}: {failure}", run.script);
            1
        }
    }
}

/// A prompt loop; a heredoc or a trailing `\` keeps reading lines until complete.
fn interactive() -> i32 {
    let tty = std::io::stdin().is_terminal();
    let mut console =
        Console::with_options(ClusterOptions::default(), Box::new(DiskFiles::new(".")));
    if tty {
        println!(
            "kubesim {} — a simulated Kubernetes cluster. Type `help`, or Ctrl-D to leave.",
            env!("CARGO_PKG_VERSION")
        );
    }
    let stdin = std::io::stdin();
    let mut pending = String::new();
    loop {
        if tty {
            print!("{}", if pending.is_empty() { "$ " } else { "> " });
            let _ = std::io::stdout().flush();
        }
        let mut line = String::new();
        match stdin.lock().read_line(&mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
        pending.push_str(&line);
        if !is_complete(&pending) {
            continue;
        }
        for unit in shell::split_units(&pending) {
            print!("{}", console.execute(&unit.text));
        }
        pending.clear();
    }
    if !pending.trim().is_empty() {
        for unit in shell::split_units(&pending) {
            print!("{}", console.execute(&unit.text));
        }
    }
    0
}

/// Complete when no heredoc, quote or `$(` is left open and the line does not continue.
fn is_complete(text: &str) -> bool {
    !shell::needs_more_input(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn run_arguments() {
        assert_eq!(
            parse_run_args(&args("--seed 7 s.sh")).unwrap(),
            RunArgs {
                seed: 7,
                script: "s.sh".into()
            }
        );
        assert_eq!(
            parse_run_args(&args("--seed=9 -")).unwrap(),
            RunArgs {
                seed: 9,
                script: "-".into()
            }
        );
        assert!(parse_run_args(&args("--seed x s.sh")).is_err());
        assert!(parse_run_args(&args("")).is_err());
        assert!(parse_run_args(&args("a b")).is_err());
    }
}
