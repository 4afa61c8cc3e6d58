//! Every lesson in `scenarios/` is played against a fresh default cluster, as `kubesim
//! run FILE.md` plays it, and each of its expectations must be met. A pending lesson is
//! parsed but not played. A deliberately broken expectation must fail, naming its step.

use kubesim::cli::main as cli_main;
use kubesim::console::Console;
use kubesim::scenario::{self, parse, play, Pattern, LESSONS};
use std::path::{Path, PathBuf};

fn scenario_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("scenarios/ exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    files
}

fn name_of(path: &Path) -> String {
    path.file_stem().unwrap().to_string_lossy().into_owned()
}

#[test]
fn every_scenario_plays_and_meets_its_expectations() {
    let mut failures = vec![];
    let mut played = 0;
    for path in scenario_files() {
        let text = std::fs::read_to_string(&path).unwrap();
        let lesson = match parse(&text) {
            Ok(lesson) => lesson,
            Err(e) => {
                failures.push(format!("{}: {e}", path.display()));
                continue;
            }
        };
        if lesson.pending.is_some() {
            continue;
        }
        let outcome = play(&lesson, &mut Console::new(1));
        played += 1;
        if let Some(failure) = outcome.failure {
            failures.push(format!(
                "{}: {failure}\n--- transcript ---\n{}",
                path.display(),
                outcome.transcript
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(played >= 12, "only {played} lessons were played");
}

/// Each lesson's expectations carry its point; playing twice gives the same bytes.
#[test]
fn every_played_step_has_an_expectation_and_replays_byte_for_byte() {
    for lesson in LESSONS {
        let parsed = parse(lesson.text).unwrap();
        if parsed.pending.is_some() {
            continue;
        }
        for step in &parsed.steps {
            assert!(
                step.blocks.iter().any(|b| !b.expect.is_empty()),
                "{}: step \"{}\" has no expectation",
                lesson.name,
                step.title
            );
        }
        let first = play(&parsed, &mut Console::new(1)).transcript;
        let second = play(&parsed, &mut Console::new(1)).transcript;
        assert_eq!(first, second, "{} is not deterministic", lesson.name);
    }
}

/// The page bundles `LESSONS`; a file added to scenarios/ must be listed there.
#[test]
fn the_bundled_list_holds_every_file() {
    let mut bundled: Vec<&str> = LESSONS.iter().map(|l| l.name).collect();
    bundled.sort();
    let mut files: Vec<String> = scenario_files().iter().map(|p| name_of(p)).collect();
    files.sort();
    assert_eq!(bundled, files);
    for path in scenario_files() {
        let on_disk = std::fs::read_to_string(&path).unwrap();
        assert_eq!(scenario::lesson(&name_of(&path)).unwrap().text, on_disk);
    }
}

/// The Ingress-versus-gateway lesson is played now that the gateway is simulated: it
/// is no longer marked pending, and its steps carry expectations.
#[test]
fn the_gateway_lesson_is_played() {
    let lesson = parse(scenario::lesson("ingress-vs-gateway").unwrap().text).unwrap();
    assert_eq!(lesson.pending, None);
    assert!(lesson.steps.len() >= 5);
}

/// Changing one expectation of a real lesson to something its output does not show
/// must fail, naming that step and that line.
#[test]
fn a_broken_expectation_fails_with_its_step_and_line() {
    let mut lesson = parse(scenario::lesson("rolling-update").unwrap().text).unwrap();
    let step = &mut lesson.steps[2];
    let title = step.title.clone();
    let block = step
        .blocks
        .iter_mut()
        .find(|b| !b.expect.is_empty())
        .unwrap();
    // The real line says 10/10 ready: claim 9/10.
    block.expect[0].pattern = Pattern::Regex(r"^web +9/10 ".into());
    let line = block.expect[0].line;
    let failure = play(&lesson, &mut Console::new(1))
        .failure
        .expect("9/10 is never printed with maxUnavailable 0");
    assert_eq!(
        (failure.step, failure.title.as_str(), failure.line),
        (3, title.as_str(), line)
    );
    assert!(failure
        .to_string()
        .starts_with("step 3 \"Step by step\": line "));
}

/// `kubesim run FILE.md`: exit 0 for a lesson that holds, 1 for a broken one or a
/// malformed file, 0 (not played) for a pending one.
#[test]
fn the_cli_runs_a_scenario_file() {
    let dir = std::env::temp_dir().join(format!("kubesim-scenarios-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path.to_string_lossy().into_owned()
    };
    let run = |path: String| cli_main(&["run".to_string(), path]);
    let good = "# T\n## Nodes\n```console\nkubectl get nodes\n```\n```expect\n/^control-plane +Ready +control-plane /\n```\n";
    assert_eq!(run(write("good.md", good)), 0);
    assert_eq!(run(write("bad.md", &good.replace("Ready", "NotReady"))), 1);
    assert_eq!(run(write("broken.md", "# T\n## S\n```console\nls\n")), 1);
    assert_eq!(
        run(write("pending.md", "# T\n> Pending: later.\n## S\n")),
        0
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
