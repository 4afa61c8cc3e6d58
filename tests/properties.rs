//! "Bad input never breaks anything" (design.md §6): generated YAML, command lines and
//! hostile names/values are fed to the console. Whatever comes in, the console must not
//! panic, must finish promptly, must say something when it refuses the input, and must
//! leave the cluster exactly as it was when it refused it. A second family checks that the
//! same script with the same seed prints the same bytes.
//!
//! Failure persistence is off (`failure_persistence: None`) so no regression files land in
//! the repository; proptest prints the minimal failing input instead.

use kubesim::console::files::MemoryFiles;
use kubesim::console::Console;
use proptest::prelude::*;
use proptest::test_runner::Config;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

fn config(cases: u32) -> Config {
    Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 2000,
        ..Config::default()
    }
}

/// One unit of console input may take this long at most (a generous bound in debug: the
/// point is to catch runaway loops and quadratic blow-ups, not to benchmark).
const PER_INPUT_LIMIT: Duration = Duration::from_secs(10);

/// What the store holds: its revision plus every object key with its resourceVersion.
/// Any write bumps the revision, so equal fingerprints mean "nothing happened".
#[derive(Debug, Clone, PartialEq, Eq)]
struct Fingerprint {
    revision: u64,
    objects: Vec<String>,
}

fn fingerprint(console: &Console) -> Fingerprint {
    let cluster = console.cluster();
    let mut objects = vec![];
    for rt in cluster.registry().all() {
        for o in cluster.list(rt, None) {
            let meta = &o["metadata"];
            objects.push(format!(
                "{}/{} {}/{} rv={}",
                rt.group,
                rt.plural,
                meta["namespace"].as_str().unwrap_or(""),
                meta["name"].as_str().unwrap_or("?"),
                meta["resourceVersion"].as_str().unwrap_or("?"),
            ));
        }
    }
    objects.sort();
    objects.dedup();
    Fingerprint {
        revision: cluster.store().revision(),
        objects,
    }
}

/// Runs one unit, checking the properties every input must have: no panic (a panic fails
/// the proptest case and gets shrunk), bounded time, no panic text in the output.
fn run(console: &mut Console, unit: &str) -> String {
    let started = Instant::now();
    let out = console.execute(unit);
    let took = started.elapsed();
    assert!(
        took < PER_INPUT_LIMIT,
        "input took {took:?}:\n{}",
        preview(unit)
    );
    assert!(!out.contains("panicked"), "output mentions a panic:\n{out}");
    out
}

thread_local! {
    /// Consoles kept between proptest cases: building a cluster costs ~40 ms in debug, so
    /// properties that leave the store untouched reuse one (see `with_console`).
    static CONSOLES: std::cell::RefCell<BTreeMap<&'static str, (Console, u32)>> =
        const { std::cell::RefCell::new(BTreeMap::new()) };
}

/// Runs `f` on a console kept for `key` across cases, building it with `make` the first
/// time, after `max_uses` cases, or when the previous case changed the store (so every
/// case starts from the same state and a shrunk failure reproduces on a fresh console).
/// The console is taken out while `f` runs: a panicking case never leaves one behind.
type CaseResult = Result<(), TestCaseError>;

fn with_console(
    key: &'static str,
    max_uses: u32,
    make: fn() -> Console,
    f: impl FnOnce(&mut Console) -> CaseResult,
) -> CaseResult {
    with_console_opts(key, max_uses, true, make, f)
}

/// As `with_console`; with `reset_on_change: false` a console that was written to is kept
/// too (for properties that only ask "no panic, no hang", where state piling up from
/// earlier cases is welcome variety).
fn with_console_opts(
    key: &'static str,
    max_uses: u32,
    reset_on_change: bool,
    make: fn() -> Console,
    f: impl FnOnce(&mut Console) -> CaseResult,
) -> CaseResult {
    let taken = CONSOLES.with(|c| c.borrow_mut().remove(key));
    let (mut console, uses) = match taken {
        Some((c, uses)) if uses < max_uses => (c, uses),
        _ => (make(), 0),
    };
    let start = fingerprint(&console);
    let result = f(&mut console);
    if !reset_on_change || fingerprint(&console) == start {
        CONSOLES.with(|c| c.borrow_mut().insert(key, (console, uses + 1)));
    }
    result
}

fn preview(s: &str) -> String {
    let mut p: String = s.chars().take(400).collect();
    if p.len() < s.len() {
        p.push('…');
    }
    p
}

/// Did the output report a successful write (`kind/name created|configured`)?
fn reports_write(out: &str) -> bool {
    out.lines().any(|l| {
        let l = l.trim_end();
        l.ends_with(" created")
            || l.ends_with(" configured")
            || l.ends_with(" deleted")
            || l.ends_with(" serverside-applied")
    })
}

fn reports_error(out: &str) -> bool {
    out.contains("error")
        || out.contains("Error")
        || out.contains("is invalid")
        || out.contains("no matches for kind")
}

/// Applies `text` as the file `fuzz.yaml` of the workspace: bytes reach the YAML reader
/// exactly, without going through the shell.
fn apply_file(console: &mut Console, text: &str) -> String {
    let mut files = BTreeMap::new();
    files.insert("fuzz.yaml".to_string(), text.to_string());
    console.set_files(Box::new(MemoryFiles { files }));
    run(console, "kubectl apply -f fuzz.yaml")
}

const HEREDOC_END: &str = "KUBESIM_FUZZ_END";

/// Applies `text` through a quoted heredoc (no expansion inside), as a pasted tutorial
/// command would. A body line equal to the delimiter would end it early, so such lines are
/// dropped, as is NUL (a terminal cannot paste it; it is covered by `apply_file`).
fn apply_heredoc(console: &mut Console, text: &str) -> String {
    let body: String = text
        .replace('\0', "")
        .lines()
        .filter(|l| l.trim() != HEREDOC_END)
        .map(|l| format!("{l}\n"))
        .collect();
    run(
        console,
        &format!("kubectl apply -f - <<'{HEREDOC_END}'\n{body}{HEREDOC_END}"),
    )
}

/// The "rejected input leaves the cluster alone" check shared by the YAML properties.
fn check_apply_outcome(
    before: &Fingerprint,
    after: &Fingerprint,
    input: &str,
    out: &str,
) -> Result<(), TestCaseError> {
    prop_assert!(
        !out.trim().is_empty(),
        "apply printed nothing for:\n{}",
        preview(input)
    );
    if !reports_write(out) {
        prop_assert_eq!(
            before,
            after,
            "apply reported no write but the store changed.\ninput:\n{}\noutput:\n{}",
            preview(input),
            out
        );
    }
    if reports_error(out) && !reports_write(out) {
        prop_assert_eq!(before.revision, after.revision);
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------

const VALID_MANIFESTS: &[&str] = &[
    "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
        ports:
        - containerPort: 80
",
    "apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 80
    nodePort: 30080
",
    "apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: default
data:
  key: value
  multi: |
    line one
    line two
",
    "apiVersion: v1
kind: Pod
metadata:
  name: box
spec:
  restartPolicy: Never
  containers:
  - name: box
    image: busybox:1.36
    command: [\"sh\", \"-c\", \"echo hi; sleep 3600\"]
    resources:
      limits: {cpu: 500m, memory: 64Mi}
",
    "apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: a}
  data: {x: \"1\"}
- apiVersion: v1
  kind: Secret
  metadata: {name: b}
  data: {password: cGFzc3dvcmQ=}
",
    "{
  \"apiVersion\": \"batch/v1\",
  \"kind\": \"Job\",
  \"metadata\": {\"name\": \"pi\"},
  \"spec\": {\"backoffLimit\": 4, \"template\": {\"spec\": {\"restartPolicy\": \"Never\",
    \"containers\": [{\"name\": \"pi\", \"image\": \"perl:5.34\", \"command\": [\"perl\", \"-e\", \"print 1\"]}]}}}
}
",
    "apiVersion: v1
kind: Namespace
metadata:
  name: team-a
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: robot
  namespace: team-a
---
",
];

/// Garbage that looks a bit like YAML: the tokens YAML and Kubernetes care about, glued
/// together at random.
fn yamlish() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just("\n".to_string()),
        Just("  ".to_string()),
        Just("\t".to_string()),
        Just(": ".to_string()),
        Just("- ".to_string()),
        Just("---\n".to_string()),
        Just("...\n".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just("{".to_string()),
        Just("}".to_string()),
        Just(", ".to_string()),
        Just("\"".to_string()),
        Just("'".to_string()),
        Just("|".to_string()),
        Just(">".to_string()),
        Just("&a ".to_string()),
        Just("*a".to_string()),
        Just("!!binary ".to_string()),
        Just("!!str ".to_string()),
        Just("? ".to_string()),
        Just("# c\n".to_string()),
        Just("%YAML 1.2\n".to_string()),
        Just("<<: *a\n".to_string()),
        Just("apiVersion: v1\n".to_string()),
        Just("apiVersion: apps/v1\n".to_string()),
        Just("kind: Pod\n".to_string()),
        Just("kind: Deployment\n".to_string()),
        Just("kind: List\n".to_string()),
        Just("metadata:\n".to_string()),
        Just("  name: x\n".to_string()),
        Just("spec:\n".to_string()),
        Just("items:\n".to_string()),
        Just("replicas: ".to_string()),
        Just("null".to_string()),
        Just("~".to_string()),
        Just("true".to_string()),
        Just("0x1F".to_string()),
        Just("1e400".to_string()),
        Just(".nan".to_string()),
        Just("-.inf".to_string()),
        Just("99999999999999999999".to_string()),
        Just("-9223372036854775809".to_string()),
        Just("\u{0}".to_string()),
        Just("\u{feff}".to_string()),
        Just("é✓🚀".to_string()),
        Just("\r\n".to_string()),
        "[a-z]{1,8}".prop_map(|s| s),
        "[0-9]{1,25}".prop_map(|s| s),
    ];
    prop::collection::vec(token, 0..60).prop_map(|v| v.concat())
}

/// Real manifests cut at a random point, or with a random slice replaced by garbage.
fn damaged_manifest() -> impl Strategy<Value = String> {
    let pick = prop::sample::select(VALID_MANIFESTS);
    prop_oneof![
        (pick.clone(), any::<prop::sample::Index>()).prop_map(|(m, i)| {
            let cut = i.index(m.len() + 1);
            let cut = (0..=cut)
                .rev()
                .find(|c| m.is_char_boundary(*c))
                .unwrap_or(0);
            m[..cut].to_string()
        }),
        (
            pick.clone(),
            any::<prop::sample::Index>(),
            any::<prop::sample::Index>(),
            ".{0,12}"
        )
            .prop_map(|(m, a, b, junk)| {
                let (mut a, mut b) = (a.index(m.len() + 1), b.index(m.len() + 1));
                if a > b {
                    std::mem::swap(&mut a, &mut b);
                }
                let a = (0..=a).rev().find(|c| m.is_char_boundary(*c)).unwrap_or(0);
                let b = (0..=b)
                    .rev()
                    .find(|c| m.is_char_boundary(*c))
                    .unwrap_or(0)
                    .max(a);
                format!("{}{}{}", &m[..a], junk, &m[b..])
            }),
        // Indentation damage: one line's indentation changed, or a tab put in.
        (
            pick,
            any::<prop::sample::Index>(),
            prop::sample::select(vec!["", " ", "   ", "\t", "      "])
        )
            .prop_map(|(m, i, indent)| {
                let mut lines: Vec<String> = m.lines().map(String::from).collect();
                let n = i.index(lines.len());
                let trimmed = lines[n].trim_start().to_string();
                lines[n] = format!("{indent}{trimmed}");
                lines.join("\n")
            }),
    ]
}

/// Pathological shapes: deep nesting, huge scalars, absurd numbers.
fn pathological() -> impl Strategy<Value = String> {
    prop_oneof![
        (1usize..3_000).prop_map(|n| "[".repeat(n)),
        (1usize..1_000).prop_map(|n| format!("{}{}", "[".repeat(n), "]".repeat(n))),
        (1usize..1_000).prop_map(|n| format!("{}x{}", "{a: ".repeat(n), "}".repeat(n))),
        (1usize..500).prop_map(|n| (0..n).map(|i| format!("{}- \n", " ".repeat(i.min(200)))).collect()),
        (1usize..300).prop_map(|n| (0..n).map(|i| format!("{}k{i}:\n", " ".repeat(i))).collect()),
        (1usize..70_000).prop_map(|n| format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  k: {}\n", "x".repeat(n))),
        (1usize..20_000).prop_map(|n| format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {}\n", "a".repeat(n))),
        (1usize..50).prop_map(|n| format!("a: &a [{}]\nb: {}\n", "x", "*a ".repeat(n))),
        // Billion laughs.
        Just(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"
            .to_string()
        ),
        (
            prop::sample::select(vec![
                "replicas",
                "minReadySeconds",
                "revisionHistoryLimit",
                "progressDeadlineSeconds",
            ]),
            prop::sample::select(vec![
                "99999999999999999999",
                "-99999999999999999999",
                "2147483648",
                "-2147483649",
                "9223372036854775807",
                "-1",
                "-3",
                "1.5",
                "1e3",
                "1e400",
                ".inf",
                "-.inf",
                ".nan",
                "0x10",
                "0o17",
                "\"3\"",
                "three",
                "null",
                "[]",
                "{}",
                "true",
            ]),
        )
            .prop_map(|(field, value)| format!(
                "apiVersion: apps/v1
kind: Deployment
metadata:
  name: absurd
spec:
  {field}: {value}
  selector: {{matchLabels: {{app: absurd}}}}
  template:
    metadata: {{labels: {{app: absurd}}}}
    spec: {{containers: [{{name: a, image: nginx}}]}}
"
            )),
        (
            prop::sample::select(vec!["port", "targetPort", "nodePort"]),
            prop::sample::select(vec!["0", "-1", "65536", "99999999999999999999", "1.5", "\"http\"", "null", "[80]"]),
        )
            .prop_map(|(field, value)| {
                let mut ports = BTreeMap::from([("port", "80"), ("targetPort", "80"), ("nodePort", "30090")]);
                ports.insert(field, value);
                format!(
                    "apiVersion: v1\nkind: Service\nmetadata:\n  name: absurd\nspec:\n  type: NodePort\n  selector: {{app: absurd}}\n  ports:\n  - port: {}\n    targetPort: {}\n    nodePort: {}\n",
                    ports["port"], ports["targetPort"], ports["nodePort"]
                )
            }),
    ]
}

fn any_yaml_input() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => ".{0,300}",
        2 => prop::collection::vec(any::<u8>(), 0..300).prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
        4 => yamlish(),
        4 => damaged_manifest(),
        2 => pathological(),
    ]
}

// ---------------------------------------------------------------------------------------
// 1. Malformed YAML
// ---------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(384))]

    /// Whatever bytes a file holds, `kubectl apply -f` answers, and when it writes
    /// nothing it changes nothing.
    #[test]
    fn malformed_yaml_from_a_file_never_breaks_the_cluster(inputs in prop::collection::vec(any_yaml_input(), 1..5)) {
        with_console("yaml-file", 256, || Console::new(7), |console| {
            for input in &inputs {
                let before = fingerprint(console);
                let out = apply_file(console, input);
                let after = fingerprint(console);
                check_apply_outcome(&before, &after, input, &out)?;
            }
            // The cluster still answers normally afterwards.
            let out = run(console, "kubectl get nodes");
            prop_assert!(out.contains("worker-3"), "kubectl get nodes after the inputs:\n{}", out);
            Ok(())
        })?;
    }

    /// The same through a pasted heredoc (`kubectl apply -f - <<'EOF'`).
    #[test]
    fn malformed_yaml_from_a_heredoc_never_breaks_the_cluster(inputs in prop::collection::vec(any_yaml_input(), 1..5)) {
        with_console("yaml-heredoc", 256, || Console::new(11), |console| {
            for input in &inputs {
                let before = fingerprint(console);
                let out = apply_heredoc(console, input);
                let after = fingerprint(console);
                check_apply_outcome(&before, &after, input, &out)?;
            }
            Ok(())
        })?;
    }
}

/// A few fixed nasty inputs, checked every run regardless of what the generator picks.
#[test]
fn fixed_pathological_yaml_is_rejected_without_a_change() {
    let cases = [
        "[".repeat(20_000),
        "{".repeat(20_000),
        "- ".repeat(10_000),
        "a:\n b:\n".to_string(),
        "\0\0\0".to_string(),
        "\t\tkind: Pod".to_string(),
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: n}\nspec:\n  replicas: 99999999999999999999\n".to_string(),
        "kind: ConfigMap\nmetadata: {name: noversion}\n".to_string(),
        "apiVersion: v1\nmetadata: {name: nokind}\n".to_string(),
        "apiVersion: v1\nkind: ConfigMap\n".to_string(),
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: \"\"}\n".to_string(),
        "apiVersion: 1\nkind: 2\n".to_string(),
        "apiVersion: [v1]\nkind: {a: b}\n".to_string(),
        "apiVersion: v1\nkind: List\nitems: 5\n".to_string(),
        "apiVersion: v1\nkind: List\nitems: [5, \"x\", null, []]\n".to_string(),
        "--- !!binary aGVsbG8=\n".to_string(),
        "just a string".to_string(),
        // A trailing NUL makes go-yaml refuse the whole stream (a heredoc cannot carry it,
        // so through the heredoc this input is a valid Pod: checked via the file only).
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: nginx}]}\n\0".to_string(),
        "42".to_string(),
        "- a\n- b\n".to_string(),
    ];
    let mut console = Console::new(3);
    for input in &cases {
        for via_heredoc in [false, true] {
            if via_heredoc && input.contains('\0') {
                continue;
            }
            let before = fingerprint(&console);
            let out = if via_heredoc {
                apply_heredoc(&mut console, input)
            } else {
                apply_file(&mut console, input)
            };
            let after = fingerprint(&console);
            assert!(!out.trim().is_empty(), "no output for {:?}", preview(input));
            assert!(
                !reports_write(&out),
                "a write was reported for {:?}:\n{out}",
                preview(input)
            );
            assert_eq!(
                before,
                after,
                "store changed for {:?}:\n{out}",
                preview(input)
            );
        }
    }
}

// ---------------------------------------------------------------------------------------
// 2. Random command lines
// ---------------------------------------------------------------------------------------

const READ_WORDS: &[&str] = &[
    "kubectl",
    "kubectl",
    "kubectl",
    "k",
    "get",
    "get",
    "describe",
    "explain",
    "api-resources",
    "api-versions",
    "version",
    "cluster-info",
    "config",
    "view",
    "current-context",
    "get-contexts",
    "rollout",
    "logs",
    "exec",
    "help",
    "--help",
    "-h",
    "pods",
    "pod",
    "po",
    "deployments",
    "deploy",
    "svc",
    "services",
    "nodes",
    "no",
    "ns",
    "namespaces",
    "all",
    "events",
    "configmaps",
    "secrets",
    "crd",
    "endpoints",
    "ingress",
    "pods,svc",
    "deploy/web",
    "pod/",
    "/",
    "nosuchkind",
    "-o",
    "-o",
    "wide",
    "yaml",
    "json",
    "name",
    "jsonpath={.items[*].metadata.name}",
    "jsonpath='{.items[0]}'",
    "-ojsonpath={",
    "go-template={{.}}",
    "custom-columns=N:.metadata.name",
    "-n",
    "kube-system",
    "default",
    "-A",
    "--all-namespaces",
    "-l",
    "app=web",
    "app!=",
    "app in (a,b)",
    "--selector=a=b,c",
    "--show-labels",
    "--no-headers",
    "--sort-by=.metadata.name",
    "--field-selector=status.phase=Running",
    "--recursive",
    "--output",
    "--namespace=",
    "--",
    "-",
    "--=",
    "-x",
    "--no-such-flag",
    "echo",
    "cat",
    "grep",
    "head",
    "-n1",
    "tail",
    "wc",
    "-l",
    "sort",
    "uniq",
    "cut",
    "-d:",
    "-f1",
    "awk",
    "'{print $1}'",
    "tr",
    "a-z",
    "A-Z",
    "base64",
    "-d",
    "export",
    "X=1",
    "$X",
    "${X}",
    "${X:-d}",
    "${",
    "$(",
    "$(kubectl get pods -o name)",
    "$(echo $(echo $(echo hi)))",
    "`",
    "`echo hi`",
    "'",
    "\"",
    "\"unterminated",
    "'unterminated",
    "|",
    "||",
    "&&",
    ";",
    "&",
    ">",
    ">>",
    "2>&1",
    "<",
    "<<",
    "<<EOF",
    "<<-",
    "(",
    ")",
    "{",
    "}",
    "\\",
    "#",
    "!",
    "*",
    "?",
    "~",
    "=",
    "%",
    "true",
    "false",
    "unset",
    "foo",
    "sim",
    "time",
    "trace",
    "sleep",
    "-1",
    "1e9",
    "é✓",
    "\t",
];

const WRITE_WORDS: &[&str] = &[
    "apply",
    "create",
    "delete",
    "run",
    "expose",
    "scale",
    "label",
    "annotate",
    "set",
    "image",
    "deployment",
    "namespace",
    "configmap",
    "secret",
    "generic",
    "--image=nginx",
    "--image",
    "nginx",
    "busybox",
    "web",
    "x",
    "--replicas=3",
    "--replicas=-1",
    "--replicas=99999999999999999999",
    "--port=80",
    "--type=NodePort",
    "--from-literal=a=b",
    "--dry-run=client",
    "--all",
    "--force",
    "--grace-period=0",
    "--overwrite",
    "-f",
    "-",
    "nofile.yaml",
    "app=web",
    "app-",
    "nginx=nginx:1.99",
    "sim",
    "node",
    "down",
    "up",
    "add",
    "worker-2",
    "registry",
    "sleep",
    "30",
    "2m",
    "-w",
    "--watch",
    "cordon",
    "drain",
    "rollout",
    "restart",
    "status",
    "deployment/web",
    "pod/x",
    "--context=x",
];

fn word(pool: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop_oneof![
        8 => prop::sample::select(pool).prop_map(String::from),
        1 => "[ -~]{0,12}",
        1 => ".{0,6}",
        1 => (1usize..5_000).prop_map(|n| "a".repeat(n)),
    ]
}

fn command_line(pool: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop::collection::vec(word(pool), 0..14).prop_map(|w| w.join(" "))
}

fn mixed_pool() -> &'static [&'static str] {
    static POOL: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    POOL.get_or_init(|| READ_WORDS.iter().chain(WRITE_WORDS).copied().collect())
}

fn seeded_console(seed: u64) -> Console {
    let mut c = Console::new(seed);
    for unit in [
        "kubectl create deployment web --image=nginx:1.25 --replicas=2",
        "kubectl expose deployment web --port=80",
        "kubectl create configmap settings --from-literal=a=b",
        "sleep 20",
    ] {
        run(&mut c, unit);
    }
    c
}

proptest! {
    #![proptest_config(config(512))]

    /// Read-only verbs plus shell garbage never change the store, whatever the quoting,
    /// substitutions, pipes and redirections around them.
    #[test]
    fn read_only_command_lines_never_change_the_cluster(lines in prop::collection::vec(command_line(READ_WORDS), 1..8)) {
        with_console("read-only", 1024, || seeded_console(5), |console| {
            for line in &lines {
                let before = fingerprint(console);
                let _ = run(console, line);
                let after = fingerprint(console);
                prop_assert_eq!(before, after, "a read-only line changed the store: {:?}", line);
            }
            Ok(())
        })?;
    }
}

proptest! {
    #![proptest_config(config(384))]

    /// With write verbs allowed, lines may change things, but never panic or hang, and the
    /// console keeps answering afterwards.
    #[test]
    fn any_command_line_terminates_without_a_panic(lines in prop::collection::vec(command_line(mixed_pool()), 1..8)) {
        // Writes are allowed here: the console is kept for 32 cases whatever they did.
        with_console_opts("any-line", 32, false, || seeded_console(6), |console| {
            for line in &lines {
                let _ = run(console, line);
            }
            let out = run(console, "kubectl get nodes -o name");
            prop_assert!(out.contains("node/control-plane"), "kubectl get nodes afterwards:\n{}", out);
            Ok(())
        })?;
    }

    /// Whole scripts (several units, heredocs, continuations, comments) through
    /// `run_script` terminate and never panic.
    #[test]
    fn random_scripts_terminate_without_a_panic(script in prop::collection::vec(
        prop_oneof![
            4 => command_line(mixed_pool()),
            1 => Just("kubectl apply -f - <<EOF".to_string()),
            1 => Just("EOF".to_string()),
            1 => Just("\\".to_string()),
            1 => Just("# comment".to_string()),
            1 => Just(String::new()),
            1 => any_yaml_input(),
        ],
        1..10,
    )) {
        let text = script.join("\n");
        with_console_opts("scripts", 32, false, || Console::new(9), |console| {
            let started = Instant::now();
            let out = console.run_script(&text);
            prop_assert!(started.elapsed() < PER_INPUT_LIMIT * 3, "script took {:?}", started.elapsed());
            prop_assert!(!out.contains("panicked"), "{}", out);
            Ok(())
        })?;
    }
}

// ---------------------------------------------------------------------------------------
// 3. Hostile names and values in otherwise valid manifests
// ---------------------------------------------------------------------------------------

/// RFC 1123 subdomain (what most object names must be).
fn is_dns1123_subdomain(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !part.starts_with('-')
                && !part.ends_with('-')
        })
}

/// RFC 1035 label (Service names).
fn is_dns1035_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && s.as_bytes()[0].is_ascii_lowercase()
        && !s.ends_with('-')
}

/// Label value: empty, or ≤63 of [A-Za-z0-9-_.] starting and ending alphanumeric.
fn is_label_value(s: &str) -> bool {
    s.is_empty()
        || (s.len() <= 63
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
            && s.as_bytes()[0].is_ascii_alphanumeric()
            && s.as_bytes()[s.len() - 1].is_ascii_alphanumeric())
}

/// Whether a JSON-quoted string survives the YAML reader: serde_json leaves DEL, the C1
/// controls and U+FFFE/U+FFFF unescaped, and go-yaml refuses those characters anywhere
/// ("control characters are not allowed") before validation could see the name.
fn yaml_can_carry(s: &str) -> bool {
    !s.chars()
        .any(|c| ('\u{7f}'..='\u{9f}').contains(&c) || c == '\u{fffe}' || c == '\u{ffff}')
}

/// Names a learner might type that are not valid: uppercase, `_`, unicode, spaces,
/// leading/trailing dashes, too long.
fn hostile_name() -> impl Strategy<Value = String> {
    let base = "[a-z][a-z0-9-]{0,20}[a-z0-9]";
    prop_oneof![
        (
            base,
            prop::sample::select(vec![
                "A", "_", "é", "✓", " ", "@", ":", "/", "*", "Ü", "🚀", "\t", "%", "+"
            ]),
            any::<prop::sample::Index>()
        )
            .prop_map(|(b, bad, i)| {
                let at = i.index(b.len() + 1);
                format!("{}{}{}", &b[..at], bad, &b[at..])
            }),
        base.prop_map(|b| format!("-{b}")),
        base.prop_map(|b| format!("{b}-")),
        base.prop_map(|b| format!("{b}..x")),
        base.prop_map(|b| format!(".{b}")),
        "[A-Z][A-Za-z0-9]{0,20}",
        (254usize..400).prop_map(|n| "a".repeat(n)),
        Just("a".repeat(300)),
        ".{1,20}",
    ]
}

fn hostile_label_value() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z]{1,5} [a-z]{1,5}",
        "-[a-z]{1,8}",
        "[a-z]{1,8}-",
        "[a-z]{1,8}[/:@é✓ ][a-z]{1,8}",
        (64usize..200).prop_map(|n| "v".repeat(n)),
    ]
}

fn hostile_label_key() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z]{1,5} [a-z]{1,5}",
        "-[a-z]{1,8}",
        "[a-z]{1,8}/[a-z]{1,8}/[a-z]{1,8}",
        "/[a-z]{1,8}",
        "[a-z]{1,8}/",
        (64usize..100).prop_map(|n| "k".repeat(n)),
        "[A-Z_]{1,5}\\.[a-z]{1,5}/[a-z]{1,5}",
        "[a-z]{1,5}[é✓@:][a-z]{1,5}",
    ]
}

#[derive(Debug, Clone)]
enum Hostile {
    Name(&'static str, String),
    LabelValue(String),
    LabelKey(String),
    AnnotationSize(usize),
    SelectorValue(String),
}

fn manifest_with(h: &Hostile) -> String {
    let q = |s: &str| serde_json::to_string(s).unwrap();
    match h {
        Hostile::Name(kind, name) => match *kind {
            "Service" => format!(
                "apiVersion: v1\nkind: Service\nmetadata:\n  name: {}\nspec:\n  selector: {{app: a}}\n  ports: [{{port: 80}}]\n",
                q(name)
            ),
            "Deployment" => format!(
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {}\nspec:\n  selector: {{matchLabels: {{app: a}}}}\n  template:\n    metadata: {{labels: {{app: a}}}}\n    spec: {{containers: [{{name: a, image: nginx}}]}}\n",
                q(name)
            ),
            "Pod" => format!(
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {}\nspec:\n  containers: [{{name: a, image: nginx}}]\n",
                q(name)
            ),
            "Namespace" => format!("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {}\n", q(name)),
            _ => format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {}\ndata: {{a: b}}\n", q(name)),
        },
        Hostile::LabelValue(v) => {
            format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: labelled\n  labels:\n    app: {}\n", q(v))
        }
        Hostile::LabelKey(k) => {
            format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: labelled\n  labels:\n    {}: x\n", q(k))
        }
        Hostile::AnnotationSize(n) => format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: annotated\n  annotations:\n    big: {}\n",
            q(&"z".repeat(*n))
        ),
        Hostile::SelectorValue(v) => format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: sel\nspec:\n  selector: {{matchLabels: {{app: {v}}}}}\n  template:\n    metadata: {{labels: {{app: {v}}}}}\n    spec: {{containers: [{{name: a, image: nginx}}]}}\n",
            v = q(v)
        ),
    }
}

fn hostile() -> impl Strategy<Value = Hostile> {
    prop_oneof![
        (
            prop::sample::select(vec!["ConfigMap", "Deployment", "Pod", "Namespace"]),
            hostile_name()
        )
            .prop_filter(
                "must be an invalid subdomain",
                |(_, n)| !is_dns1123_subdomain(n) && yaml_can_carry(n)
            )
            .prop_map(|(k, n)| Hostile::Name(k, n)),
        // Namespace and Service names must be labels (≤63 chars): 64..253 is a subdomain
        // but still invalid for them.
        (64usize..253).prop_map(|n| Hostile::Name("Namespace", "n".repeat(n))),
        hostile_name()
            .prop_filter("must be an invalid label", |n| !is_dns1035_label(n)
                && yaml_can_carry(n))
            .prop_map(|n| Hostile::Name("Service", n)),
        "[0-9][a-z0-9]{0,10}".prop_map(|n| Hostile::Name("Service", n)),
        hostile_label_value()
            .prop_filter("invalid", |v| !is_label_value(v))
            .prop_map(Hostile::LabelValue),
        hostile_label_key().prop_map(Hostile::LabelKey),
        // Annotation size over 256 KiB is not yet refused (see
        // `src_bug_annotations_over_256k_are_accepted` below), so not generated here.
        hostile_label_value()
            .prop_filter("invalid", |v| !is_label_value(v))
            .prop_map(Hostile::SelectorValue),
    ]
}

proptest! {
    #![proptest_config(config(384))]

    /// A valid manifest made invalid by one hostile name or value is refused with
    /// kubectl's `is invalid` and leaves the store untouched.
    #[test]
    fn hostile_names_and_values_are_invalid_and_change_nothing(cases in prop::collection::vec(hostile(), 1..6)) {
        with_console("hostile", 1024, || Console::new(13), |console| {
            for h in &cases {
                let manifest = manifest_with(h);
                let before = fingerprint(console);
                let out = apply_file(console, &manifest);
                let after = fingerprint(console);
                prop_assert!(out.contains("is invalid"), "expected `is invalid` for {:?}, got:\n{}", h, out);
                prop_assert!(!reports_write(&out), "a write was reported for {:?}:\n{}", h, out);
                prop_assert_eq!(before, after, "the store changed for {:?}", h);
            }
            Ok(())
        })?;
    }
}

// ---------------------------------------------------------------------------------------
// Known src bugs: reproducers kept out of the properties above so those stay green.
// (Fixed; kept as a regression test.)
// ---------------------------------------------------------------------------------------

/// SRC BUG: annotations totalling more than 256 KiB are stored. The apiserver refuses them
/// (apimachinery `ValidateAnnotationsSize`, `TotalAnnotationSizeLimitB = 256 << 10`):
/// `The ConfigMap "annotated" is invalid: metadata.annotations: Too long: may not be more than 262144 bytes`.
#[test]
fn src_bug_annotations_over_256k_are_accepted() {
    let mut console = Console::new(1);
    let before = fingerprint(&console);
    let out = apply_file(
        &mut console,
        &manifest_with(&Hostile::AnnotationSize(262_145)),
    );
    assert!(
        out.contains("The ConfigMap \"annotated\" is invalid: metadata.annotations: Too long"),
        "{out}"
    );
    assert_eq!(before, fingerprint(&console));
}

// ---------------------------------------------------------------------------------------
// 4. Determinism
// ---------------------------------------------------------------------------------------

fn valid_command() -> impl Strategy<Value = String> {
    let name = prop::sample::select(vec!["web", "api", "db"]);
    let image = prop::sample::select(vec![
        "nginx:1.25",
        "nginx:1.99",
        "ngnix",
        "busybox:1.36",
        "traefik/whoami",
        "redis:7",
    ]);
    prop_oneof![
        (name.clone(), image.clone(), 0u32..5)
            .prop_map(|(n, i, r)| format!("kubectl create deployment {n} --image={i} --replicas={r}")),
        (name.clone(), 0u32..6).prop_map(|(n, r)| format!("kubectl scale deployment {n} --replicas={r}")),
        (name.clone(), image.clone()).prop_map(|(n, i)| format!("kubectl run {n}-pod --image={i}")),
        (name.clone(), image.clone()).prop_map(|(n, i)| format!("kubectl set image deployment/{n} '*={i}'")),
        name.clone().prop_map(|n| format!("kubectl expose deployment {n} --port=80 --type=NodePort")),
        name.clone().prop_map(|n| format!("kubectl label deployment {n} tier=front --overwrite")),
        name.clone().prop_map(|n| format!("kubectl delete deployment {n}")),
        name.clone().prop_map(|n| format!("kubectl describe deployment {n}")),
        name.clone().prop_map(|n| format!(
            "kubectl apply -f - <<EOF\napiVersion: v1\nkind: Service\nmetadata:\n  name: {n}-svc\nspec:\n  selector: {{app: {n}}}\n  ports: [{{port: 80}}]\nEOF"
        )),
        (1u32..120).prop_map(|s| format!("sleep {s}")),
        Just("kubectl get pods -o wide".to_string()),
        Just("kubectl get all".to_string()),
        Just("kubectl get deploy,rs,svc -o wide".to_string()),
        Just("kubectl get pods -o json".to_string()),
        Just("kubectl get events".to_string()),
        Just("kubectl describe pods".to_string()),
        Just("kubectl get endpoints".to_string()),
        prop::sample::select(vec!["worker-1", "worker-2", "worker-3"]).prop_map(|n| format!("sim node down {n}")),
        prop::sample::select(vec!["worker-1", "worker-2", "worker-3"]).prop_map(|n| format!("sim node up {n}")),
        Just("sim registry down".to_string()),
        Just("sim registry up".to_string()),
        Just("sim time".to_string()),
    ]
}

proptest! {
    #![proptest_config(config(64))]

    /// The same script with the same seed prints the same bytes, through `Console` and
    /// through the CLI's entry point alike.
    #[test]
    fn the_same_script_and_seed_give_identical_output(
        commands in prop::collection::vec(valid_command(), 1..12),
        seed in 0u64..1_000,
    ) {
        let script = commands.join("\n") + "\n";
        // Two fresh clusters with the same seed, one through `Console`, one through the
        // CLI's entry point: same bytes.
        let first = Console::new(seed).run_script(&script);
        let via_cli = kubesim::cli::run_script_text(seed, &script, std::path::Path::new("."));
        prop_assert_eq!(&first, &via_cli);
        prop_assert!(!first.contains("panicked"));
    }
}
