//! Tab completion for the page's console: the word at the end of the line completes
//! against what the console knows — commands, kubectl verbs, resource types (plural,
//! singular and short names from the cluster's registry, CRDs included), object names of
//! the type already typed (in the namespace given by `-n` or the console's), namespaces,
//! nodes, common flags, output formats and the `sim` subcommands.
//!
//! Pure over a `&Console`: nothing runs and nothing changes.

use super::Console;
use crate::sim::object;
use crate::sim::resources::ResourceType;
use crate::sim::sort::SharedSort;

/// What Tab does to a line.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Completion {
    /// The line after completing (unchanged when there is nothing to add).
    pub line: String,
    /// The candidates to list when more than one matches; empty otherwise.
    pub candidates: Vec<String>,
}

impl Completion {
    /// Whether Tab did anything: changed the line or has candidates to list.
    pub fn is_useful(&self, before: &str) -> bool {
        self.line != before || !self.candidates.is_empty()
    }
}

const COMMANDS: &[&str] = &["kubectl", "sim", "sleep", "export", "clear", "cat", "help"];

const SIM: &[&str] = &["time", "messages", "registry", "node"];

/// Verbs that take TYPE [NAME…] (or TYPE/NAME).
const TYPE_THEN_NAMES: &[&str] = &[
    "get", "describe", "delete", "label", "annotate", "scale", "expose", "explain", "edit",
];

const OUTPUTS: &[&str] = &[
    "wide",
    "yaml",
    "json",
    "name",
    "jsonpath=",
    "custom-columns=",
];

/// Flags that take a value as the next word.
const VALUE_FLAGS: &[&str] = &[
    "-n",
    "--namespace",
    "-o",
    "--output",
    "-l",
    "--selector",
    "-f",
    "--filename",
    "-c",
    "--container",
    "--replicas",
    "--image",
    "--port",
    "--sort-by",
    "--field-selector",
    "-L",
];

fn flags_for(verb: &str) -> &'static [&'static str] {
    match verb {
        "get" => &[
            "--all-namespaces",
            "--field-selector",
            "--namespace",
            "--no-headers",
            "--output",
            "--selector",
            "--show-labels",
            "--sort-by",
            "--watch",
        ],
        "describe" => &["--all-namespaces", "--namespace", "--selector"],
        "apply" | "create" => &["--dry-run=client", "--filename", "--namespace"],
        "delete" => &[
            "--all",
            "--cascade=",
            "--filename",
            "--force",
            "--grace-period=",
            "--namespace",
            "--selector",
        ],
        "scale" => &["--namespace", "--replicas="],
        "logs" => &["--container", "--namespace", "--previous", "--tail="],
        "run" => &[
            "--image=",
            "--labels=",
            "--namespace",
            "--port=",
            "--restart=",
        ],
        "expose" => &[
            "--name=",
            "--namespace",
            "--port=",
            "--target-port=",
            "--type=",
        ],
        "drain" => &["--delete-emptydir-data", "--force", "--ignore-daemonsets"],
        "rollout" => &["--namespace", "--to-revision="],
        _ => &["--namespace"],
    }
}

/// Completes the last word of `line` (the cursor is at its end).
pub fn complete(console: &Console, line: &str) -> Completion {
    // Only the last command of `a && b | c` matters.
    let start = ["&&", "||", ";", "|"]
        .iter()
        .filter_map(|sep| line.rfind(sep).map(|i| i + sep.len()))
        .max()
        .unwrap_or(0);
    let command = &line[start..];
    let mut words: Vec<&str> = command.split_whitespace().collect();
    let partial = if command.is_empty() || command.ends_with(char::is_whitespace) {
        ""
    } else {
        words.pop().unwrap_or("")
    };
    let unchanged = Completion {
        line: line.to_string(),
        candidates: vec![],
    };
    if words.is_empty() && partial.is_empty() {
        return unchanged;
    }
    let (prefix, options) = candidates(console, &words, partial);
    let matching: Vec<String> = {
        let mut m: Vec<String> = options
            .into_iter()
            .filter(|o| o.starts_with(partial))
            .collect();
        m.sort_shared();
        m.dedup();
        m
    };
    let head = &line[..line.len() - partial.len()];
    match matching.as_slice() {
        [] => unchanged,
        [only] => {
            // `--flag=` and `type/` wait for more; anything else is a whole word.
            let space = if only.ends_with('=') || only.ends_with('/') {
                ""
            } else {
                " "
            };
            Completion {
                line: format!("{head}{only}{space}"),
                candidates: vec![],
            }
        }
        many => {
            let common = common_prefix(many);
            Completion {
                line: format!("{head}{common}"),
                candidates: many
                    .iter()
                    .map(|c| c.strip_prefix(&prefix).unwrap_or(c).to_string())
                    .collect(),
            }
        }
    }
}

fn common_prefix(words: &[String]) -> String {
    let first = &words[0];
    let mut end = first.len();
    for w in &words[1..] {
        end = end.min(
            first
                .char_indices()
                .zip(w.chars())
                .find(|((_, a), b)| a != b)
                .map_or(first.len().min(w.len()), |((i, _), _)| i),
        );
    }
    first[..end].to_string()
}

/// The words that could stand where `partial` is, after `words`; and a prefix they all
/// share that the listing leaves out (`deploy/` in `deploy/web`).
fn candidates(console: &Console, words: &[&str], partial: &str) -> (String, Vec<String>) {
    let none = (String::new(), vec![]);
    let Some(&program) = words.first() else {
        return (String::new(), strings(COMMANDS));
    };
    match program {
        "kubectl" | "k" => kubectl(console, &words[1..], partial),
        "sim" => (String::new(), sim(console, &words[1..])),
        _ => none,
    }
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn sim(console: &Console, args: &[&str]) -> Vec<String> {
    match args {
        [] => strings(SIM),
        ["registry"] => strings(&["down", "up", "missing"]),
        ["node"] => strings(&["down", "up", "add"]),
        ["node", "down" | "up"] => names(console, "nodes", None),
        ["messages"] => vec![],
        _ => vec![],
    }
}

/// Positional words of a kubectl command line and the namespace it targets.
struct Parsed<'a> {
    positional: Vec<&'a str>,
    namespace: Option<String>,
    /// The flag the partial word is the value of (`-n`, `-o`…).
    value_of: Option<&'a str>,
}

fn parse<'a>(args: &[&'a str]) -> Parsed<'a> {
    let mut parsed = Parsed {
        positional: vec![],
        namespace: None,
        value_of: None,
    };
    let mut i = 0;
    while i < args.len() {
        let a = args[i];
        if let Some(ns) = a.strip_prefix("--namespace=").or_else(|| {
            a.strip_prefix("-n")
                .filter(|v| !v.is_empty() && !v.starts_with('-'))
        }) {
            parsed.namespace = Some(ns.trim_start_matches('=').to_string());
        } else if VALUE_FLAGS.contains(&a) {
            match args.get(i + 1) {
                Some(v) => {
                    if a == "-n" || a == "--namespace" {
                        parsed.namespace = Some(v.to_string());
                    }
                    i += 1;
                }
                None => parsed.value_of = Some(a),
            }
        } else if !a.starts_with('-') {
            parsed.positional.push(a);
        }
        i += 1;
    }
    parsed
}

fn kubectl(console: &Console, args: &[&str], partial: &str) -> (String, Vec<String>) {
    let parsed = parse(args);
    let ns = parsed
        .namespace
        .clone()
        .unwrap_or_else(|| console.namespace.clone());
    let verb = parsed.positional.first().copied();
    match parsed.value_of {
        Some("-n" | "--namespace") => {
            return (String::new(), names(console, "namespaces", None));
        }
        Some("-o" | "--output") => return (String::new(), strings(OUTPUTS)),
        Some(_) => return (String::new(), vec![]),
        None => {}
    }
    if partial.starts_with('-') {
        let mut flags = strings(flags_for(verb.unwrap_or("")));
        flags.extend(strings(&["-n", "--namespace"]));
        if verb == Some("get") {
            flags.extend(strings(&["-A", "-o", "-l", "-w", "-L"]));
        }
        return (String::new(), flags);
    }
    let Some(verb) = verb else {
        return (String::new(), strings(super::kubectl::VERBS));
    };
    let rest = &parsed.positional[1..];
    // TYPE/NAME completes names of TYPE.
    if let Some((typed, _)) = partial.split_once('/') {
        let prefix = format!("{typed}/");
        let list = type_of(console, typed)
            .map(|rt| names_of(console, &rt, Some(&ns)))
            .unwrap_or_default()
            .into_iter()
            .map(|n| format!("{prefix}{n}"))
            .collect();
        return (prefix, list);
    }
    let kinds = || kind_words(console);
    let list = match (verb, rest) {
        (v, []) if TYPE_THEN_NAMES.contains(&v) => kinds(),
        (v, [typed, ..]) if TYPE_THEN_NAMES.contains(&v) && v != "explain" => {
            type_of(console, typed)
                .map(|rt| names_of(console, &rt, Some(&ns)))
                .unwrap_or_default()
        }
        ("rollout", []) => strings(&["history", "pause", "restart", "resume", "status", "undo"]),
        ("rollout", [_]) => strings(&[
            "daemonset",
            "daemonsets",
            "deploy",
            "deployment",
            "deployments",
            "ds",
            "statefulset",
            "statefulsets",
            "sts",
        ]),
        ("rollout", [_, typed]) => type_of(console, typed)
            .map(|rt| names_of(console, &rt, Some(&ns)))
            .unwrap_or_default(),
        ("set", []) => strings(&["image"]),
        ("set", [_]) => kinds(),
        ("set", [_, typed]) => type_of(console, typed)
            .map(|rt| names_of(console, &rt, Some(&ns)))
            .unwrap_or_default(),
        ("logs", []) => names(console, "pods", Some(&ns)),
        ("cordon" | "uncordon" | "drain", []) => names(console, "nodes", None),
        ("create", []) => strings(&[
            "configmap",
            "deployment",
            "job",
            "namespace",
            "secret",
            "service",
            "serviceaccount",
        ]),
        ("config", []) => strings(&["current-context", "get-contexts", "set-context", "view"]),
        _ => vec![],
    };
    (String::new(), list)
}

fn type_of(console: &Console, typed: &str) -> Option<ResourceType> {
    console.cluster.registry().resolve(typed).cloned()
}

/// Every word that names a resource type: plurals, singulars and short names.
fn kind_words(console: &Console) -> Vec<String> {
    let mut words = vec![];
    for t in console.cluster.registry().all() {
        if !t.listable {
            continue;
        }
        words.push(t.plural.clone());
        words.push(t.singular.clone());
        words.extend(t.short_names.iter().cloned());
    }
    words.push("all".to_string());
    words.retain(|w| !w.is_empty());
    words
}

fn names(console: &Console, typed: &str, namespace: Option<&str>) -> Vec<String> {
    type_of(console, typed)
        .map(|rt| names_of(console, &rt, namespace))
        .unwrap_or_default()
}

fn names_of(console: &Console, rt: &ResourceType, namespace: Option<&str>) -> Vec<String> {
    console
        .cluster
        .list(rt, namespace)
        .into_iter()
        .map(|o| object::name(o).to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn console() -> Console {
        let mut c = Console::new(1);
        let out = c.execute(
            "kubectl create deployment web --image=nginx:1.27 --replicas=2 && kubectl create deployment worker --image=busybox:1.36 && kubectl create namespace shop && kubectl create deployment cart --image=nginx -n shop",
        );
        assert!(!out.contains("error"), "{out}");
        c
    }

    #[test]
    fn table() {
        let c = console();
        // (input, completed line, listed candidates)
        let cases: &[(&str, &str, &[&str])] = &[
            // commands and verbs
            ("kub", "kubectl ", &[]),
            ("s", "s", &["sim", "sleep"]),
            ("kubectl ge", "kubectl get ", &[]),
            ("kubectl de", "kubectl de", &["delete", "describe"]),
            ("kubectl ro", "kubectl rollout ", &[]),
            // kinds: plural, singular and short names
            (
                "kubectl get deploy",
                "kubectl get deploy",
                &["deploy", "deployment", "deployments"],
            ),
            (
                "kubectl get deployme",
                "kubectl get deployment",
                &["deployment", "deployments"],
            ),
            (
                "kubectl get statefuls",
                "kubectl get statefulset",
                &["statefulset", "statefulsets"],
            ),
            (
                "kubectl describe nod",
                "kubectl describe node",
                &["node", "nodes"],
            ),
            ("k get svc", "k get svc ", &[]),
            // names of the type typed, in the console's namespace or -n's
            (
                "kubectl get deploy w",
                "kubectl get deploy w",
                &["web", "worker"],
            ),
            ("kubectl get deploy we", "kubectl get deploy web ", &[]),
            (
                "kubectl get deploy -n shop ",
                "kubectl get deploy -n shop cart ",
                &[],
            ),
            (
                "kubectl get deploy --namespace=shop c",
                "kubectl get deploy --namespace=shop cart ",
                &[],
            ),
            ("kubectl get deploy c", "kubectl get deploy c", &[]),
            (
                "kubectl scale deployment wo",
                "kubectl scale deployment worker ",
                &[],
            ),
            (
                "kubectl rollout status deploy/we",
                "kubectl rollout status deploy/web ",
                &[],
            ),
            (
                "kubectl describe node worker-",
                "kubectl describe node worker-",
                &["worker-1", "worker-2", "worker-3"],
            ),
            ("kubectl cordon worker-2", "kubectl cordon worker-2 ", &[]),
            (
                "kubectl rollout restart deployment w",
                "kubectl rollout restart deployment w",
                &["web", "worker"],
            ),
            // namespaces
            ("kubectl get pods -n sh", "kubectl get pods -n shop ", &[]),
            (
                "kubectl get pods -n kube-",
                "kubectl get pods -n kube-",
                &["kube-node-lease", "kube-public", "kube-system"],
            ),
            ("kubectl get ns def", "kubectl get ns default ", &[]),
            // flags and formats
            (
                "kubectl get pods --show",
                "kubectl get pods --show-labels ",
                &[],
            ),
            ("kubectl get pods -o ya", "kubectl get pods -o yaml ", &[]),
            (
                "kubectl scale deploy web --rep",
                "kubectl scale deploy web --replicas=",
                &[],
            ),
            // sim
            ("sim ", "sim ", &["messages", "node", "registry", "time"]),
            ("sim reg", "sim registry ", &[]),
            ("sim node d", "sim node down ", &[]),
            ("sim node down worker-3", "sim node down worker-3 ", &[]),
            // after && only the last command counts
            (
                "kubectl get pods && kubectl get svc kub",
                "kubectl get pods && kubectl get svc kubernetes ",
                &[],
            ),
            // nothing to do
            ("", "", &[]),
            ("kubectl get zzz", "kubectl get zzz", &[]),
            ("kubectl get pods nomatch", "kubectl get pods nomatch", &[]),
            ("echo hi", "echo hi", &[]),
        ];
        for (input, line, listed) in cases {
            let got = complete(&c, input);
            let want: Vec<String> = listed.iter().map(|s| s.to_string()).collect();
            assert_eq!(
                (got.line.as_str(), got.candidates),
                (*line, want),
                "input {input:?}"
            );
        }
    }

    #[test]
    fn uses_the_console_namespace() {
        let mut c = console();
        c.execute("kubectl config set-context --current --namespace=shop");
        assert_eq!(
            complete(&c, "kubectl get deploy ").line,
            "kubectl get deploy cart "
        );
        assert!(!complete(&c, "").is_useful(""));
        assert!(complete(&c, "kubectl get deploy ").is_useful("kubectl get deploy "));
    }
}
