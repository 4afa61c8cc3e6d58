//! Fuzzing on stable Rust (issue #12), one target per input surface: manifests through
//! admission (and the editor's highlighting and error markers), console lines through the
//! shell and kubectl parsers, jsonpath templates, custom-columns specs, label selectors,
//! field selectors, quantities, URLs, scenario files (with the page's `?scenario=`
//! parameter) and share links' session JSON.
//!
//! Inputs are structure-aware: seeds are real text of each kind (the corpus's manifests,
//! the golden scripts' lines, kubectl's documented templates), mutated by splicing in
//! tokens of the same grammar, other seeds' pieces, hostile characters, repetitions and
//! cuts. Properties: no panic, no hang, and a rejected manifest changes nothing in the
//! store. A hang is measured in work, not time: an input that runs the simulation may do
//! at most [`STEP_LIMIT`] simulation steps (events, controller turns, writes, and each
//! request of steady traffic), and one stopped there without the clock having moved a
//! virtual second is a hang (work piling up in one instant: a runaway loop); stopped with
//! the clock moving on, it is a long sleep, counted apart (its cost is the virtual time it
//! asked for). The parsers, which run no simulation, keep a wall-clock bound.
//!
//! - `cargo test --test fuzz` replays every input kept under `tests/fuzz-regressions/`
//!   (any input that ever failed is kept there, then fixed) and a short run of each target.
//!   An input mutated from a corpus manifest is reduced by hand to a small case of our own
//!   before it is committed: the corpus is not copied into the repository.
//! - `make fuzz` runs `fuzz_every_surface` optimised with `FUZZ_N` inputs in total
//!   (default 1,000,000; `FUZZ_SEED` picks the sequence) and prints, per surface, the
//!   inputs tried, panics and hangs; a failing input is written to the regressions folder.

use kubesim::console::files::MemoryFiles;
use kubesim::console::printers::jsonpath;
use kubesim::console::Console;
use kubesim::scenario;
use kubesim::sim::admission::quantity;
use kubesim::sim::labels::Selector;
use kubesim::sim::network::request;
use kubesim::sim::Cluster;
use kubesim::ui::share::Shared;
use kubesim::ui::timeline::Recorded;
use kubesim::ui::{cluster_size, highlight, markers};
use serde_json::Value;
use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A parser input taking longer than this is reported as a hang (generous: the point is
/// runaway loops, not speed; debug builds are 10–30× slower than `make fuzz`'s).
const HANG_LIMIT: Duration = Duration::from_secs(5);

/// The most simulation steps one input may do (see `Cluster::steps`): ten times the
/// largest command of the golden scripts (`sleep 60` under the HPA scenario's load,
/// 20,786 steps, measured 2026-11-30).
const STEP_LIMIT: u64 = 200_000;

/// An input stopped at [`STEP_LIMIT`] that moved the clock less than this is a hang.
const HANG_CLOCK: u64 = 1_000;

/// What an input that runs the simulation did.
#[derive(Debug, Default, Clone, Copy)]
struct Work {
    steps: u64,
    /// Virtual milliseconds the clock moved.
    moved: u64,
    /// Whether it was stopped at [`STEP_LIMIT`].
    stopped: bool,
}

/// Runs `f` on `console` with at most `limit` steps of simulation.
fn bounded(console: &mut Console, limit: u64, f: impl FnOnce(&mut Console)) -> Work {
    let (steps, now) = (console.cluster().steps(), console.cluster().now());
    console.cluster_mut().set_step_limit(Some(steps + limit));
    f(console);
    let cluster = console.cluster_mut();
    let stopped = cluster.step_limit_reached();
    cluster.set_step_limit(None);
    Work {
        steps: cluster.steps() - steps,
        moved: cluster.now() - now,
        stopped,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Surface {
    Manifest,
    ConsoleLine,
    JsonPath,
    CustomColumns,
    LabelSelector,
    FieldSelector,
    Quantity,
    Url,
    Scenario,
    ShareLink,
}

/// The console lines last: they run the simulation, so they take the longest.
const SURFACES: [Surface; 10] = [
    Surface::Manifest,
    Surface::JsonPath,
    Surface::CustomColumns,
    Surface::LabelSelector,
    Surface::FieldSelector,
    Surface::Quantity,
    Surface::Url,
    Surface::Scenario,
    Surface::ShareLink,
    Surface::ConsoleLine,
];

impl Surface {
    fn dir(self) -> &'static str {
        match self {
            Surface::Manifest => "manifest",
            Surface::ConsoleLine => "console",
            Surface::JsonPath => "jsonpath",
            Surface::CustomColumns => "custom-columns",
            Surface::LabelSelector => "label-selector",
            Surface::FieldSelector => "field-selector",
            Surface::Quantity => "quantity",
            Surface::Url => "url",
            Surface::Scenario => "scenario",
            Surface::ShareLink => "share-link",
        }
    }

    /// Tokens of the surface's grammar, spliced in by the mutator.
    fn dictionary(self) -> &'static [&'static str] {
        match self {
            Surface::Manifest => &[
                "apiVersion: v1\n",
                "kind: Pod\n",
                "kind: Deployment\n",
                "apiVersion: apps/v1\n",
                "metadata:\n",
                "  name: x\n",
                "spec:\n",
                "  replicas: 3\n",
                "---\n",
                "- ",
                ": ",
                "{",
                "}",
                "[",
                "]",
                "&a ",
                "*a",
                "<<: *a\n",
                "!!binary ",
                "|\n",
                ">-\n",
                "'",
                "\"",
                "  containers:\n  - name: c\n    image: nginx\n",
                "null",
                "~",
                "1e309",
                "-1",
                "0x1F",
                "  labels:\n    app: web\n",
                "  selector:\n    matchLabels:\n      app: web\n",
                "kind: List\nitems:\n",
                "    resources:\n      limits:\n        cpu: 1e3\n",
                "\t",
                "\r\n",
                "\u{feff}",
                "\u{202e}",
                "<script>alert(1)</script>",
                "%00",
            ],
            Surface::ConsoleLine => &[
                "kubectl ",
                "get ",
                "pods ",
                "-o ",
                "yaml",
                "jsonpath={.items[*]}",
                "-l ",
                "app=web",
                " | ",
                " && ",
                " || ",
                "; ",
                "$(",
                ")",
                "`",
                "${X}",
                "$X",
                "export X=1",
                "'",
                "\"",
                "<<EOF\n",
                "\nEOF",
                "sim ",
                "node add ",
                "traffic ",
                "trace ",
                "sleep 5",
                "curl ",
                "http://172.18.0.3:30000/",
                "exec ",
                " -- ",
                "nslookup ",
                "describe ",
                "scale ",
                "--replicas=",
                "rollout ",
                "status ",
                "undo ",
                "wait ",
                "--for=",
                "condition=Ready",
                "--timeout=1s",
                "delete ",
                "--all",
                "-n ",
                "kube-system",
                "logs ",
                "-f ",
                "grep ",
                "awk '{print $1}'",
                "base64 -d",
                "\\",
                "\n",
                "#",
                "*",
                "?",
                "~",
                "\u{0}",
            ],
            Surface::Scenario => &[
                "# ",
                "## ",
                "\n",
                "```console\n",
                "```\n",
                "```",
                "expect: ",
                "/.*/",
                "/(a+)+$/",
                "kubectl get pods\n",
                "sleep 10\n",
                "---\n",
                "draft: ",
                "<!-- -->",
                "> ",
                "rolling-update",
                "../",
                "%2e%2e",
            ],
            Surface::ShareLink => &[
                "{",
                "}",
                "[",
                "]",
                ",",
                ":",
                "\"v\":1",
                "\"v\":2",
                "\"seed\":",
                "\"now\":",
                "\"commands\":",
                "\"editor\":",
                "[0,\"kubectl get pods\"]",
                "18446744073709551615",
                "-1",
                "1e400",
                "null",
                "true",
                "\"\\u0000\"",
                "\"\\ud800\"",
                "\"",
            ],
            Surface::JsonPath | Surface::CustomColumns => &[
                "{",
                "}",
                ".",
                "..",
                "[*]",
                "[0]",
                "[-1]",
                "[1:3]",
                "[::-1]",
                "[?(@.name=='x')]",
                "@",
                "$",
                "range ",
                "end",
                "{end}",
                "{range .items[*]}",
                "\\n",
                "\\t",
                "'",
                "\"",
                ".metadata.name",
                ".spec.containers[*].image",
                "NAME:",
                ",",
                "A:.x,B:.y",
                ":",
                "*",
                "[?(@.status==\"True\")]",
                "==",
                "!=",
                "<",
                ">",
                "(",
                ")",
                "..name",
                "{\"x\"}",
            ],
            Surface::LabelSelector => &[
                "app", "=", "==", "!=", ",", " in ", " notin ", "(", ")", "!", "a.b/c", "x_y",
                "in (a,b)", "notin ()", " ", "-", ".", "/", "k8s.io/", "9", "A",
            ],
            Surface::FieldSelector => &[
                "metadata.name",
                "status.phase",
                "spec.nodeName",
                "=",
                "==",
                "!=",
                ",",
                "Running",
                "metadata.namespace",
                ".",
                "..",
                "/",
                "~",
                "worker-1",
                "'",
                " ",
            ],
            Surface::Quantity => &[
                "0",
                "1",
                ".",
                "5",
                "m",
                "k",
                "M",
                "G",
                "T",
                "P",
                "E",
                "Ki",
                "Mi",
                "Gi",
                "Ti",
                "Pi",
                "Ei",
                "e",
                "E",
                "+",
                "-",
                "e-3",
                "9999999999999999999999",
                "n",
                "u",
                " ",
            ],
            Surface::Url => &[
                "http://",
                "https://",
                "ftp://",
                "localhost",
                "172.18.0.3",
                ":",
                "30000",
                "99999",
                "/",
                "?",
                "#",
                "@",
                "[::1]",
                "[",
                "]",
                "%2F",
                "..",
                "user:pw@",
                "a.b.c",
                " ",
            ],
        }
    }
}

// ---------------------------------------------------------------------------------------
// Seeds: real text of each kind
// ---------------------------------------------------------------------------------------

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn files_under(dir: &Path, ext: &[&str], out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files_under(&path, ext, out);
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| ext.contains(&e))
        {
            out.push(path);
        }
    }
}

/// The corpus's manifests (when `../shared/corpus` is there) and the goldens' heredocs.
fn manifest_seeds() -> Vec<String> {
    let mut paths = vec![];
    files_under(
        &repo().join("../shared/corpus"),
        &["yaml", "yml", "json"],
        &mut paths,
    );
    let mut seeds: Vec<String> = paths
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .filter(|t| t.len() < 20_000)
        .collect();
    for script in golden_scripts() {
        for doc in script.split("<<EOF\n").skip(1) {
            if let Some(body) = doc.split("\nEOF").next() {
                seeds.push(body.to_string());
            }
        }
    }
    seeds
}

fn golden_scripts() -> Vec<String> {
    let mut paths = vec![];
    files_under(&repo().join("tests/golden"), &["sh"], &mut paths);
    paths
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect()
}

/// Every command line of the golden scripts (heredocs whole).
fn console_seeds() -> Vec<String> {
    let mut seeds = vec![];
    for script in golden_scripts() {
        let mut lines = script.lines();
        while let Some(line) = lines.next() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let mut unit = line.to_string();
            if line.contains("<<EOF") {
                for body in lines.by_ref() {
                    unit.push('\n');
                    unit.push_str(body);
                    if body == "EOF" {
                        break;
                    }
                }
            }
            seeds.push(unit);
        }
    }
    seeds
}

/// The lessons in `scenarios/` and the names the page's `?scenario=` takes.
fn scenario_seeds() -> Vec<String> {
    let mut paths = vec![];
    files_under(&repo().join("scenarios"), &["md"], &mut paths);
    let mut seeds: Vec<String> = paths
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    seeds.extend(
        paths
            .iter()
            .filter_map(|p| Some(p.file_stem()?.to_str()?.to_string())),
    );
    seeds
}

/// Sessions as the page writes them into `#share=` (before compression): the golden
/// scripts' lines at increasing times.
fn share_seeds() -> Vec<String> {
    console_seeds()
        .chunks(6)
        .enumerate()
        .map(|(i, lines)| {
            Shared {
                seed: i as u64,
                // Now and then a cluster of another size, whose link names it.
                workers: if i % 3 == 0 { 4 + i % 100 } else { 3 },
                now: 60_000 * lines.len() as u64,
                commands: lines
                    .iter()
                    .enumerate()
                    .map(|(j, line)| Recorded {
                        at: 1_000 * j as u64,
                        line: line.clone(),
                    })
                    .collect(),
                editor: lines.first().cloned().unwrap_or_default(),
                // Every few sessions a restart's, which names the command left out.
                crashed: (i % 4 == 0).then(|| lines.last().cloned().unwrap_or_default()),
            }
            .to_json()
        })
        .collect()
}

fn seeds(surface: Surface) -> Vec<String> {
    let fixed: &[&str] = match surface {
        Surface::Manifest => return manifest_seeds(),
        Surface::ConsoleLine => return console_seeds(),
        Surface::Scenario => return scenario_seeds(),
        Surface::ShareLink => return share_seeds(),
        Surface::JsonPath => &[
            "{.metadata.name}",
            "{.items[*].metadata.name}",
            "{range .items[*]}{.metadata.name}{\"\\n\"}{end}",
            "{.spec.containers[?(@.name==\"c\")].image}",
            "{..image}",
            "{.status.conditions[?(@.type==\"Ready\")].status}",
            "{$.kind}",
            "{.items[0:2]}",
            "{.metadata.labels.app\\.kubernetes\\.io/name}",
            "{@}",
        ],
        Surface::CustomColumns => &[
            "NAME:.metadata.name,STATUS:.status.phase",
            "IMAGE:.spec.containers[*].image",
            "NODE:.spec.nodeName,IP:.status.podIP",
            "A:{.metadata.name}",
            "X:.metadata.labels",
        ],
        Surface::LabelSelector => &[
            "app=web",
            "app!=web",
            "env in (prod,qa)",
            "tier notin (front)",
            "!canary",
            "app",
            "app.kubernetes.io/name=x,tier=db",
            "a==b",
            "",
        ],
        Surface::FieldSelector => &[
            "metadata.name=web",
            "status.phase!=Running",
            "spec.nodeName=worker-1",
            "metadata.namespace==default,status.phase=Running",
            "",
        ],
        Surface::Quantity => &[
            "100m",
            "1",
            "0.5",
            "1Gi",
            "512Mi",
            "2e3",
            "1.5k",
            "123456789",
            "1E",
            "8Ei",
            "-1",
            "+1",
        ],
        Surface::Url => &[
            "http://172.18.0.3:30007/",
            "localhost:8080",
            "https://example.com/a?b#c",
            "http://[::1]:80/",
            "172.18.255.250/foo",
            "http://user@172.18.0.2:30000/x",
        ],
    };
    fixed.iter().map(|s| s.to_string()).collect()
}

// ---------------------------------------------------------------------------------------
// A small deterministic generator (no dependency: the same FUZZ_SEED gives the same run)
// ---------------------------------------------------------------------------------------

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // splitmix64
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const HOSTILE: &[&str] = &[
    "\u{0}",
    "\u{7f}",
    "\u{feff}",
    "\u{202e}",
    "\u{200b}",
    "\u{fffd}",
    "\u{1F600}",
    "é",
    "\u{10FFFF}",
    "<img src=x onerror=alert(1)>",
    "\"><svg onload=alert(1)>",
    "javascript:alert(1)",
    "'",
    "\"",
    "\\",
    "\n",
    "\r",
    "\t",
    " ",
    "{{",
    "}}",
    "%s",
    "%n",
    "$(",
    "`",
];

/// A char boundary at or below `i`.
fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// One to four edits of `input`: insert a grammar token, a hostile string or another
/// seed's slice; delete, duplicate or repeat a range; truncate.
fn mutate(rng: &mut Rng, input: &str, dictionary: &[&str], others: &[String]) -> String {
    let mut s = input.to_string();
    for _ in 0..1 + rng.below(4) {
        let at = floor_boundary(&s, rng.below(s.len() + 1));
        let end = floor_boundary(&s, at + rng.below(64));
        match rng.below(8) {
            0 | 1 => {
                let token: &&str = rng.pick(dictionary);
                s.insert_str(at, token)
            }
            2 => {
                let token: &&str = rng.pick(HOSTILE);
                s.insert_str(at, token)
            }
            3 => s.replace_range(at..end, ""),
            4 => {
                let piece = s[at..end].to_string();
                s.insert_str(end, &piece);
            }
            5 => {
                let other = rng.pick(others);
                let from = floor_boundary(other, rng.below(other.len() + 1));
                let to = floor_boundary(other, from + rng.below(200));
                s.insert_str(at, &other[from..to]);
            }
            6 => {
                // A deep or long repetition: parsers' recursion and quadratic paths.
                let token = rng.pick(dictionary).repeat(1 + rng.below(300));
                s.insert_str(at, &token);
            }
            _ => s.truncate(at),
        }
    }
    s
}

// ---------------------------------------------------------------------------------------
// Targets
// ---------------------------------------------------------------------------------------

/// What a target keeps between inputs. Bootstrapping a cluster costs far more than one
/// input, so each is built once and a fresh start is a clone of it.
struct Targets {
    manifest: Console,
    console: Console,
    console_uses: u32,
    /// The bootstrapped cluster the manifest target starts each input from.
    fresh: Cluster,
    /// The cluster with a Deployment and a Service the console target starts from.
    busy: Cluster,
    pod: Value,
    pod_list: Value,
    /// The most steps of simulation an input may do ([`STEP_LIMIT`] but in tests).
    step_limit: u64,
}

impl Targets {
    /// A cluster with something to look at: a Deployment of two pods behind a NodePort.
    fn busy_console() -> Console {
        let mut console = Console::new(1);
        console.execute("kubectl create deployment web --image=nginx:1.27 --replicas=2; kubectl expose deployment web --port=80 --type=NodePort; sleep 30");
        console
    }

    fn new() -> Targets {
        let mut console = Targets::busy_console();
        let pods = console.execute("kubectl get pods -o json");
        let pod_list: Value = serde_json::from_str(&pods).unwrap_or_default();
        let pod = pod_list["items"][0].clone();
        let manifest = Console::new(1);
        Targets {
            fresh: manifest.cluster().clone(),
            busy: console.cluster().clone(),
            manifest,
            console,
            console_uses: 0,
            step_limit: STEP_LIMIT,
            pod,
            pod_list,
        }
    }

    /// A console on a copy of `cluster`, with no shell state.
    fn console_on(cluster: &Cluster) -> Console {
        Console::on_cluster(cluster.clone(), Box::new(MemoryFiles::default()))
    }

    /// Runs one input; for the surfaces that run the simulation, what work it did.
    fn run(&mut self, surface: Surface, input: &str) -> Result<Option<Work>, String> {
        let work = match surface {
            Surface::Manifest => return self.manifest(input).map(Some),
            Surface::ConsoleLine => {
                // Lines pile state up (welcome variety) until a fresh start.
                self.console_uses += 1;
                if self.console_uses > 300 {
                    self.console = Targets::console_on(&self.busy);
                    self.console_uses = 0;
                }
                bounded(&mut self.console, self.step_limit, |c| {
                    c.execute(input);
                })
            }
            Surface::FieldSelector => {
                let quoted = input.replace('\'', "'\\''");
                bounded(&mut self.console, self.step_limit, |c| {
                    c.execute(&format!("kubectl get pods -A --field-selector '{quoted}'"));
                })
            }
            _ => return self.parse(surface, input).map(|()| None),
        };
        if work.stopped {
            // Stopped mid-run: the next input starts from a fresh console.
            self.console = Targets::console_on(&self.busy);
            self.console_uses = 0;
        }
        Ok(Some(work))
    }

    /// The surfaces that only parse (and evaluate against a fixed object).
    fn parse(&mut self, surface: Surface, input: &str) -> Result<(), String> {
        match surface {
            Surface::Manifest | Surface::ConsoleLine | Surface::FieldSelector => {
                unreachable!("{surface:?} runs the simulation")
            }
            Surface::JsonPath => {
                let _ = jsonpath::jsonpath(input, &self.pod_list);
                let _ = jsonpath::find_results(input, &self.pod);
                Ok(())
            }
            Surface::CustomColumns => {
                let _ = jsonpath::custom_columns(input, &[&self.pod], false);
                Ok(())
            }
            Surface::LabelSelector => {
                if let Ok(s) = Selector::parse(input) {
                    let _ = s.matches_object(&self.pod);
                }
                Ok(())
            }
            Surface::Quantity => {
                if let Ok(canonical) = quantity::canonicalize(input) {
                    // Canonical forms are fixed points, as the apiserver's are.
                    let again = quantity::canonicalize(&canonical).map_err(|e| {
                        format!("canonical {canonical:?} of {input:?} rejected: {e}")
                    })?;
                    if again != canonical {
                        return Err(format!(
                            "{input:?} → {canonical:?} → {again:?}: not a fixed point"
                        ));
                    }
                }
                Ok(())
            }
            Surface::Url => {
                let _ = request::parse_url(input);
                // The page's `?workers=N`: any value boots a cluster the pod CIDR holds.
                let (options, _) = cluster_size::for_page(1, Some(input), false);
                if !(1..=cluster_size::MAX_WORKERS).contains(&options.workers) {
                    return Err(format!(
                        "?workers={input:?} boots {} workers",
                        options.workers
                    ));
                }
                Ok(())
            }
            Surface::Scenario => {
                // The page's `?scenario=NAME`, then the file itself; its commands are
                // console lines, fuzzed by that surface.
                let _ = scenario::lesson(input);
                let _ = scenario::parse(input);
                Ok(())
            }
            Surface::ShareLink => {
                // What a link holds must survive the round trip the page makes with it.
                if let Ok(shared) = Shared::from_json(input) {
                    let again = Shared::from_json(&shared.to_json())
                        .map_err(|e| format!("a decoded link does not re-encode: {e}"))?;
                    if again != shared {
                        return Err("a decoded link changes on re-encoding".into());
                    }
                }
                Ok(())
            }
        }
    }

    /// `kubectl apply -f` of the bytes as a file: when nothing was written (no
    /// `created`/`configured` line), the store must be exactly as before.
    fn manifest(&mut self, input: &str) -> Result<Work, String> {
        let before = self.manifest.cluster().store().revision();
        let mut files = BTreeMap::new();
        files.insert("fuzz.yaml".to_string(), input.to_string());
        self.manifest.set_files(Box::new(MemoryFiles { files }));
        let mut out = String::new();
        let work = bounded(&mut self.manifest, self.step_limit, |c| {
            out = c.execute("kubectl apply -f fuzz.yaml");
        });
        // What the editor then draws: the text highlighted, the apiserver's errors marked
        // on their lines (a panic there would abort the page).
        let notes = markers::error_markers(&out, input);
        let _ = highlight::to_html(input, &notes);
        let wrote = out.lines().any(|l| {
            let l = l.trim_end();
            l.ends_with(" created") || l.ends_with(" configured")
        });
        let after = self.manifest.cluster().store().revision();
        if wrote || work.stopped {
            // Start the next input from the same fresh cluster.
            *self.manifest.cluster_mut() = self.fresh.clone();
        } else if after != before {
            return Err(format!(
                "a rejected manifest changed the store (revision {before} → {after}):\n{out}"
            ));
        }
        Ok(work)
    }
}

// ---------------------------------------------------------------------------------------
// The runner
// ---------------------------------------------------------------------------------------

#[derive(Debug, Default)]
struct Tally {
    tried: u64,
    panics: u64,
    hangs: u64,
    broken: u64,
    /// Inputs stopped at the step limit with the clock moving on: long sleeps.
    long: u64,
    /// Wall-clock time spent on the surface (reported, never asserted).
    took: Duration,
}

enum Failure {
    Panic(String),
    Hang(String),
    Broken(String),
}

/// Runs one input: its work if it ran the simulation, or what failed.
fn run_one(targets: &mut Targets, surface: Surface, input: &str) -> Result<Option<Work>, Failure> {
    let started = Instant::now();
    let result = catch_unwind(AssertUnwindSafe(|| targets.run(surface, input)));
    let took = started.elapsed();
    match result {
        Err(payload) => {
            let message = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            // The target may be mid-change: start over from fresh consoles.
            *targets = Targets::new();
            Err(Failure::Panic(message))
        }
        Ok(Err(e)) => Err(Failure::Broken(e)),
        Ok(Ok(Some(work))) if work.stopped && work.moved < HANG_CLOCK => Err(Failure::Hang(
            format!("{} steps in {} virtual ms", work.steps, work.moved),
        )),
        Ok(Ok(None)) if took > HANG_LIMIT => Err(Failure::Hang(format!("{took:?}"))),
        Ok(Ok(work)) => Ok(work),
    }
}

fn regressions_dir(surface: Surface) -> PathBuf {
    repo().join("tests/fuzz-regressions").join(surface.dir())
}

/// FNV-1a: a stable file name for a kept input.
fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    })
}

fn keep(surface: Surface, input: &str) -> PathBuf {
    let dir = regressions_dir(surface);
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join(format!("{:016x}.txt", fnv(input)));
    let _ = std::fs::write(&path, input);
    path
}

/// `target/fuzz-last-SURFACE.txt`, rewritten in place before each input: a stack
/// overflow aborts the process before anything can be caught, and this names the input
/// it died on. One open file, overwritten (no create, no truncate-by-open): creating the
/// file anew for every input had cost more than most inputs themselves.
struct LastInput(Option<std::fs::File>);

impl LastInput {
    fn open(surface: Surface) -> LastInput {
        let path = repo().join(format!("target/fuzz-last-{}.txt", surface.dir()));
        LastInput(std::fs::File::create(path).ok())
    }

    fn record(&mut self, input: &str) {
        use std::io::{Seek, Write};
        if let Some(file) = &mut self.0 {
            let _ = file.seek(std::io::SeekFrom::Start(0));
            let _ = file.write_all(input.as_bytes());
            let _ = file.set_len(input.len() as u64);
        }
    }
}

fn fuzz(total: u64, seed: u64, keep_failures: bool) -> BTreeMap<Surface, Tally> {
    // Panics are counted and kept, not printed one by one.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut rng = Rng(seed);
    let mut targets = Targets::new();
    let mut tallies: BTreeMap<Surface, Tally> = BTreeMap::new();
    let per_surface = total / SURFACES.len() as u64;
    for surface in SURFACES {
        let pool = seeds(surface);
        let dictionary = surface.dictionary();
        let tally = tallies.entry(surface).or_default();
        let mut last_input = LastInput::open(surface);
        let started = Instant::now();
        for n in 1..=per_surface {
            if n % 10_000 == 0 {
                // Progress of a long run, in the report's columns.
                tally.took = started.elapsed();
                eprint!("{}", row(surface, tally));
            }
            let base = rng.pick(&pool);
            let input = mutate(&mut rng, base, dictionary, &pool);
            tally.tried += 1;
            // A stack overflow aborts the process before anything can be caught: the input
            // it died on is left here.
            last_input.record(&input);
            let failure = match run_one(&mut targets, surface, &input) {
                Ok(Some(work)) if work.stopped => {
                    tally.long += 1;
                    eprintln!(
                        "{surface:?}: long (stopped at {} steps, {} virtual s on)\n  input: {:?}",
                        work.steps,
                        work.moved / 1000,
                        preview(&input)
                    );
                    continue;
                }
                Ok(_) => continue,
                Err(failure) => failure,
            };
            let what = match &failure {
                Failure::Panic(m) => {
                    tally.panics += 1;
                    format!("panic: {m}")
                }
                Failure::Hang(what) => {
                    tally.hangs += 1;
                    format!("hang: {what}")
                }
                Failure::Broken(m) => {
                    tally.broken += 1;
                    m.clone()
                }
            };
            let kept = if keep_failures {
                keep(surface, &input).display().to_string()
            } else {
                String::new()
            };
            eprintln!("{surface:?}: {what} {kept}\n  input: {:?}", preview(&input));
        }
        tally.took = started.elapsed();
        eprint!("{}", row(surface, tally));
    }
    std::panic::set_hook(hook);
    tallies
}

fn preview(s: &str) -> String {
    s.chars().take(300).collect()
}

/// One surface's line of the report.
fn row(surface: Surface, t: &Tally) -> String {
    let seconds = t.took.as_secs_f64();
    format!(
        "{:<16} {:>10} {:>7} {:>6} {:>8} {:>5} {:>9.1} {:>9.0}\n",
        surface.dir(),
        t.tried,
        t.panics,
        t.hangs,
        t.broken,
        t.long,
        seconds,
        t.tried as f64 / seconds.max(1e-9)
    )
}

fn report(tallies: &BTreeMap<Surface, Tally>) -> String {
    let mut text = format!(
        "{:<16} {:>10} {:>7} {:>6} {:>8} {:>5} {:>9} {:>9}\n",
        "SURFACE", "INPUTS", "PANICS", "HANGS", "CHANGED", "LONG", "SECONDS", "INPUTS/S"
    );
    for (surface, t) in tallies {
        text.push_str(&row(*surface, t));
    }
    let total: u64 = tallies.values().map(|t| t.tried).sum();
    let bad: u64 = tallies
        .values()
        .map(|t| t.panics + t.hangs + t.broken)
        .sum();
    text.push_str(&format!("total {total} inputs, {bad} failures\n"));
    text
}

fn assert_clean(tallies: &BTreeMap<Surface, Tally>) {
    let text = report(tallies);
    println!("{text}");
    let bad: u64 = tallies
        .values()
        .map(|t| t.panics + t.hangs + t.broken)
        .sum();
    assert_eq!(bad, 0, "fuzzing found failures:\n{text}");
}

/// Every input ever kept is replayed by a normal `cargo test`.
#[test]
fn regressions_replay_cleanly() {
    let mut targets = Targets::new();
    let mut replayed = 0;
    for surface in SURFACES {
        let mut paths = vec![];
        files_under(&regressions_dir(surface), &["txt"], &mut paths);
        for path in paths {
            let input = std::fs::read_to_string(&path).expect("a kept input is UTF-8");
            replayed += 1;
            if let Err(f) = run_one(&mut targets, surface, &input) {
                let what = match f {
                    Failure::Panic(m) => format!("panic: {m}"),
                    Failure::Hang(what) => format!("hang: {what}"),
                    Failure::Broken(m) => m,
                };
                panic!("{} fails again: {what}", path.display());
            }
        }
    }
    println!("{replayed} kept inputs replayed");
}

/// A short run on every `cargo test` (the same generator `make fuzz` runs at length).
#[test]
fn a_short_fuzz_of_every_surface_is_clean() {
    assert_clean(&fuzz(800, 12, false));
}

/// `make fuzz`: `FUZZ_N` inputs in total (default 1,000,000), failures kept.
#[test]
#[ignore = "long: run by `make fuzz`"]
fn fuzz_every_surface() {
    let total = std::env::var("FUZZ_N")
        .ok()
        .and_then(|n| n.replace('_', "").parse().ok())
        .unwrap_or(1_000_000);
    let seed = std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1);
    assert_clean(&fuzz(total, seed, true));
}

/// The hang rule both ways, with a small bound: a day of steady traffic is stopped at
/// the bound with the clock moving on (long, not a failure), and work piling up at one
/// instant (thousands of pods created at once) is stopped with the clock standing (a
/// hang). The next input starts from a fresh console either way.
#[test]
fn the_hang_bound_is_work_with_the_clock_standing() {
    let mut targets = Targets::new();
    targets.step_limit = 5_000;
    let nodeport = targets
        .console
        .execute("kubectl get service web -o jsonpath={.spec.ports[0].nodePort}");
    let started = targets.console.execute(&format!(
        "sim traffic start --from laptop --rate 1000 http://172.18.0.3:{nodeport}/"
    ));
    assert!(started.starts_with("generator 1:"), "{started}");
    match run_one(&mut targets, Surface::ConsoleLine, "sleep 1d") {
        Ok(Some(work)) => {
            assert!(work.stopped, "{work:?}");
            assert!(work.moved >= HANG_CLOCK && work.moved < 60_000, "{work:?}");
        }
        Ok(None) | Err(_) => panic!("a long sleep under traffic is not a hang"),
    }
    assert!(
        targets.console.cluster().network().generators().is_empty(),
        "a fresh console"
    );
    match run_one(
        &mut targets,
        Surface::ConsoleLine,
        "kubectl create deployment big --image=nginx --replicas=3000",
    ) {
        Err(Failure::Hang(what)) => assert!(what.ends_with(" 0 virtual ms"), "{what}"),
        Ok(work) => panic!("work at one instant past the bound is a hang: {work:?}"),
        Err(_) => panic!("not a hang"),
    }
    // Under the bound, nothing is stopped.
    match run_one(&mut targets, Surface::ConsoleLine, "kubectl get pods") {
        Ok(Some(work)) => assert!(!work.stopped && work.steps < 5_000, "{work:?}"),
        _ => panic!("a read is fine"),
    }
}
