//! The console language (design.md §4): kubectl verbs, shell conveniences and `sim`
//! controls, shared by the browser console and the native CLI so that the same input
//! prints the same bytes in both.
//!
//! A [`Console`] owns one simulated cluster plus the shell state around it (variables,
//! the workspace `-f` reads from). [`Console::execute`] runs one command unit (a line,
//! with its heredoc body if any); [`Console::run_script`] runs a whole script in the
//! `kubesim run` transcript format.

pub mod complete;
pub mod explain;
pub mod files;
pub mod kubectl;
pub mod manifest;
pub mod merge;
pub mod output;
pub mod patch;
pub mod printers;
pub mod shell;
pub mod simctl;
pub mod simnet;
mod sources;
pub mod tools;

use crate::sim::{Cluster, ClusterOptions};
use files::{Files, MemoryFiles};
use output::Output;
use shell::{Connector, ShellHost};
use std::collections::BTreeMap;

/// How deep `$(…)` may nest before we refuse (a runaway substitution would hang the page).
const MAX_SUBSTITUTION_DEPTH: usize = 8;

/// A command unit (`a; b && c`) being run a pipeline at a time ([`Console::run_next`]).
pub struct UnitRun {
    pipelines: std::collections::VecDeque<(shell::RawPipeline, Connector)>,
    /// Whether the last pipeline's connector skips the next one.
    skip: bool,
    out: Output,
    /// How many of `out`'s chunks [`UnitRun::take_text`] has handed out.
    taken: usize,
}

impl UnitRun {
    /// Parses `unit`; a unit that does not parse runs as its error message.
    pub fn new(unit: &str) -> UnitRun {
        let (pipelines, out) = match shell::parse_lazy(unit) {
            Ok(parsed) => (parsed.into(), Output::default()),
            Err(e) => (Default::default(), Output::fail(e)),
        };
        UnitRun {
            pipelines,
            skip: false,
            out,
            taken: 0,
        }
    }

    /// Whether every pipeline has run (or been skipped).
    pub fn is_done(&self) -> bool {
        self.pipelines.is_empty()
    }

    /// What the unit printed since the last call, as a terminal shows it.
    pub fn take_text(&mut self) -> String {
        let text = self.out.chunks[self.taken..]
            .iter()
            .map(|(_, t)| t.as_str())
            .collect();
        self.taken = self.out.chunks.len();
        text
    }
}

/// One console session: a simulated cluster plus the shell state around it.
pub struct Console {
    pub(crate) cluster: Cluster,
    vars: BTreeMap<String, String>,
    pub(crate) files: Box<dyn Files>,
    /// The context's namespace (`kubectl config set-context --current --namespace`).
    pub(crate) namespace: String,
    depth: usize,
    /// The page's mode: a command's closing settle is owed rather than run (see
    /// [`Console::settle_after_command`]); the CLI and the tests settle at once.
    settle_in_slices: bool,
    /// On the page the editor panel is kubectl's editor: `kubectl edit` opens the object
    /// there ([`kubectl::edit`]); natively it fails as kubectl does with no editor.
    pub edit_in_panel: bool,
    pub(crate) edits: kubectl::edit::Edits,
}

/// A fork of the whole session: the cluster (clock, queue, RNG, store, data plane) and
/// the shell state around it. The copy goes on exactly as the original would; stored
/// objects are shared through their `Arc`s, so a fork copies maps of pointers, not the
/// objects (the page's timeline keeps forks as rewind snapshots).
impl Clone for Console {
    fn clone(&self) -> Console {
        Console {
            cluster: self.cluster.clone(),
            vars: self.vars.clone(),
            files: self.files.fork(),
            namespace: self.namespace.clone(),
            depth: self.depth,
            settle_in_slices: self.settle_in_slices,
            edit_in_panel: self.edit_in_panel,
            edits: self.edits.clone(),
        }
    }
}

impl Console {
    /// A fresh default cluster (design.md §3) with the given RNG seed.
    pub fn new(seed: u64) -> Console {
        Console::with_options(
            ClusterOptions {
                seed,
                ..Default::default()
            },
            Box::new(MemoryFiles::default()),
        )
    }

    pub fn with_options(options: ClusterOptions, files: Box<dyn Files>) -> Console {
        Console::on_cluster(Cluster::new(options), files)
    }

    /// A console with no shell state on an existing cluster (a clone of a bootstrapped
    /// one costs far less than bootstrapping again: the fuzzer starts inputs this way).
    pub fn on_cluster(cluster: Cluster, files: Box<dyn Files>) -> Console {
        Console {
            cluster,
            vars: BTreeMap::new(),
            files,
            namespace: "default".to_string(),
            depth: 0,
            settle_in_slices: false,
            edit_in_panel: false,
            edits: Default::default(),
        }
    }

    /// The buffer (file name, text) `kubectl edit` just opened or reopened, for the
    /// page's editor panel.
    pub fn take_edit_to_show(&mut self) -> Option<(String, String)> {
        self.edits.take_to_show()
    }

    pub fn cluster(&self) -> &Cluster {
        &self.cluster
    }

    pub fn cluster_mut(&mut self) -> &mut Cluster {
        &mut self.cluster
    }

    /// The page's mode (see [`Console::settle_after_command`]): on, a command that sets
    /// work in motion returns before the controllers have reacted, and the caller runs
    /// the simulation in slices ([`Cluster::run_until_within`]). The next command still
    /// starts from a settled cluster, so the bytes are those of the CLI.
    pub fn set_settle_in_slices(&mut self, on: bool) {
        self.settle_in_slices = on;
    }

    /// The settle that closes a command, after its last read or write of the cluster:
    /// run now, or (in the page's mode) owed to the next call that runs the simulation.
    pub(crate) fn settle_after_command(&mut self) {
        if self.settle_in_slices {
            self.cluster.settle_later();
        } else {
            self.cluster.settle();
        }
    }

    /// Finishes a settle an earlier command left owed, before this one reads or writes
    /// anything: the same work at the same instant as if it had run at once.
    pub(crate) fn catch_up(&mut self) {
        if self.cluster.is_busy() {
            self.cluster.settle();
        }
    }

    /// Replaces the workspace `-f` reads from (the page's editor buffers).
    pub fn set_files(&mut self, files: Box<dyn Files>) {
        self.files = files;
    }

    /// Runs one command unit and returns what it printed, stdout and stderr
    /// interleaved as a terminal shows them.
    pub fn execute(&mut self, unit: &str) -> String {
        self.run_unit(unit).text()
    }

    /// Runs a whole script in the `kubesim run` transcript format: blank lines and
    /// comments skipped, each command echoed as `$ <command>` and followed by its output.
    pub fn run_script(&mut self, script: &str) -> String {
        let mut out = String::new();
        for unit in shell::split_units(script) {
            let (echo, output) = self.run_echoed(&unit);
            out.push_str(&echo);
            out.push_str(&output);
        }
        out
    }

    /// Runs one unit of a script; returns its transcript echo (`$ <command>` and bash's
    /// warnings) and, apart, what the command printed (scenario expectations read only
    /// the latter, so a command never matches itself).
    pub fn run_echoed(&mut self, unit: &shell::Unit) -> (String, String) {
        let mut echo = format!("$ {}", unit.display);
        if !unit.display.ends_with('\n') {
            echo.push('\n');
        }
        for w in &unit.warnings {
            echo.push_str(w);
            echo.push('\n');
        }
        (echo, self.execute(&unit.text))
    }

    fn run_unit(&mut self, unit: &str) -> Output {
        let mut run = UnitRun::new(unit);
        while self.run_next(&mut run) {}
        run.out
    }

    /// Runs the next pipeline of `run` (pipelines a `&&` or `||` skips are passed over
    /// on the way); says whether any remain. Running a unit this way, a pipeline at a
    /// time, is the same as [`Console::execute`]: the page uses it to let the frame loop
    /// work off one command's owed settle before the next command starts.
    pub fn run_next(&mut self, run: &mut UnitRun) -> bool {
        while let Some((raw, connector)) = run.pipelines.pop_front() {
            if run.skip {
                // A skipped pipeline passes its connector's verdict on.
                run.skip = match connector {
                    Connector::And => true,
                    Connector::Or => false,
                    _ => false,
                };
                continue;
            }
            // Each pipeline is expanded just before it runs, so `export X=1; echo $X` works.
            let pipeline = raw.expand(self);
            let result = self.run_pipeline(&pipeline);
            let failed = result.status != 0;
            run.out.chunks.extend(result.chunks);
            run.out.status = result.status;
            run.skip = match connector {
                Connector::And => failed,
                Connector::Or => !failed,
                _ => false,
            };
            break;
        }
        !run.pipelines.is_empty()
    }

    /// Runs a pipeline: the first command's stdout feeds the next command's stdin;
    /// stderr goes straight to the terminal.
    fn run_pipeline(&mut self, pipeline: &shell::Pipeline) -> Output {
        let mut result = Output::default();
        let mut piped: Option<String> = None;
        for (i, cmd) in pipeline.commands.iter().enumerate() {
            let stdin = cmd.stdin.clone().or_else(|| piped.take());
            let step = if self.is_console_command(&cmd.argv) || shell::is_assignment_only(cmd) {
                self.run_command(cmd, stdin.as_deref())
            } else {
                let tool = shell::run_tool(&cmd.argv, stdin.as_deref().unwrap_or_default());
                let mut o = Output::default();
                o.out(tool.stdout);
                o.err(tool.stderr);
                o.status = tool.status;
                o
            };
            let last = i + 1 == pipeline.commands.len();
            for (stream, text) in step.chunks {
                if stream == output::Stream::Err || last {
                    result.chunks.push((stream, text));
                } else {
                    piped.get_or_insert_with(String::new).push_str(&text);
                }
            }
            if !last && piped.is_none() {
                piped = Some(String::new());
            }
            result.status = step.status;
        }
        result
    }

    fn is_console_command(&self, argv: &[String]) -> bool {
        match argv.first().map(String::as_str) {
            // `cat FILE` reads the workspace; plain `cat` is the shell's filter.
            Some("cat") => argv.len() > 1 && argv[1] != "-",
            Some(program) => !TEXT_TOOLS.contains(&program),
            None => true,
        }
    }

    fn run_command(&mut self, cmd: &shell::SimpleCommand, stdin: Option<&str>) -> Output {
        if shell::is_assignment_only(cmd) {
            for (k, v) in &cmd.assignments {
                self.vars.insert(k.clone(), v.clone());
            }
            return Output::default();
        }
        let argv = &cmd.argv;
        let Some(program) = argv.first() else {
            return Output::default();
        };
        self.catch_up();
        let args = &argv[1..];
        match program.as_str() {
            "kubectl" | "k" => kubectl::run(self, args, stdin),
            "sim" => simctl::run(self, args, stdin),
            "sleep" => self.sleep(args),
            "cat" => self.cat(args),
            "export" => self.export(args),
            "unset" => {
                for a in args {
                    self.vars.remove(a);
                }
                Output::default()
            }
            "clear" | ":" => Output::default(),
            "help" => Output::ok(HELP),
            "curl" => {
                let ua = format!("curl/{}", crate::sim::network::request::LAPTOP_CURL);
                tools::curl::run(
                    &mut self.cluster,
                    &crate::sim::network::Client::Laptop,
                    args,
                    &ua,
                )
            }
            "wget" | "nslookup" | "dig" | "host" | "ping" => Output::fail(format!(
                "kubesim: {program}: on the laptop only curl is simulated; inside the cluster run it in a pod: kubectl exec POD -- {program} …"
            )),
            other => {
                let mut o = Output::fail(format!("bash: {other}: command not found"));
                o.status = 127;
                o
            }
        }
    }

    fn sleep(&mut self, args: &[String]) -> Output {
        let Some(arg) = args.first() else {
            return Output::fail(
                "sleep: missing operand\nTry 'sleep --help' for more information.",
            );
        };
        match crate::sim::time::parse_duration(arg) {
            Some(ms) if ms <= 365 * 24 * crate::sim::time::HOUR => {
                self.cluster.advance(ms);
                Output::default()
            }
            Some(_) => Output::fail(format!(
                "kubesim: sleep {arg}: at most a year of virtual time at once"
            )),
            None => Output::fail(format!(
                "sleep: invalid time interval ‘{arg}’\nTry 'sleep --help' for more information."
            )),
        }
    }

    fn export(&mut self, args: &[String]) -> Output {
        for a in args {
            match a.split_once('=') {
                Some((k, v)) if valid_var_name(k) => {
                    self.vars.insert(k.to_string(), v.to_string());
                }
                Some(_) | None if !valid_var_name(a.split('=').next().unwrap_or_default()) => {
                    return Output::fail(format!("bash: export: `{a}': not a valid identifier"));
                }
                _ => {}
            }
        }
        Output::default()
    }
}

impl Console {
    /// `cat FILE…` over the workspace `-f` reads from.
    fn cat(&mut self, args: &[String]) -> Output {
        let mut out = Output::default();
        for a in args {
            match self.files.read(a) {
                Ok(text) => out.out(text),
                Err(_) => out.error(format!("cat: {a}: No such file or directory")),
            }
        }
        out
    }
}

impl ShellHost for Console {
    fn var(&self, name: &str) -> Option<String> {
        self.vars.get(name).cloned()
    }

    fn substitute(&mut self, command: &str) -> String {
        if self.depth >= MAX_SUBSTITUTION_DEPTH {
            return String::new();
        }
        self.depth += 1;
        let out = self.run_unit(command);
        self.depth -= 1;
        out.stdout()
    }
}

/// Programs the shell layer runs itself (`shell::run_tool`).
const TEXT_TOOLS: &[&str] = &[
    "cat", "echo", "true", "false", ":", "grep", "egrep", "head", "tail", "wc", "sort", "uniq",
    "cut", "awk", "tr", "base64",
];

fn valid_var_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

const HELP: &str = "kubesim console — a simulated Kubernetes cluster.

  kubectl …            get, describe, apply, create, delete, run, expose, scale, label,
                       annotate, set image, rollout, logs, exec, wait, port-forward,
                       api-resources, version, cluster-info, explain
  curl URL             a request from your laptop: node IPs and NodePorts, LoadBalancer
                       addresses, localhost ports opened by kubectl port-forward
  kubectl exec POD -- nslookup|host|dig|wget|curl|cat /etc/resolv.conf …
                       the same from inside a pod, with the tools its image contains
  sim trace            the hops of the last request, each with its rule and why
  sim traffic …        steady load and per-endpoint counters (sim help lists all)
  sim time             the virtual time now
  sim messages [N]     the last N control-plane messages (kubectl → apiserver → etcd …)
  sleep 30s            let 30 seconds of virtual time pass
  export NAME=VALUE    set a variable; $NAME, ${NAME} and $(command) work as in bash
  … | grep X | head    filter output (grep, head, tail, wc -l, sort, uniq, cut, awk, base64 -d)
";
