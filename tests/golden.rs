//! Golden console transcripts: each `tests/golden/NAME.sh` is a console script and
//! `NAME.out` its exact expected transcript, produced through the same entry point as
//! `kubesim run` (`cli::run_script_text`). A script may choose its seed with a
//! `# seed: N` line.
//!
//! To accept new output after an intended change: `UPDATE_GOLDEN=1 cargo test --test golden`
//! and review the diff like any other code change.

use kubesim::cli::run_script_text;
use std::path::{Path, PathBuf};

fn scripts() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let mut scripts: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/golden exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "sh"))
        .collect();
    scripts.sort();
    scripts
}

fn seed_of(script: &str) -> u64 {
    script
        .lines()
        .find_map(|l| l.strip_prefix("# seed:"))
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(1)
}

fn transcript(path: &Path) -> String {
    let script = std::fs::read_to_string(path).expect("script is readable");
    run_script_text(
        seed_of(&script),
        &script,
        path.parent().expect("in a directory"),
    )
}

#[test]
fn transcripts_match_their_golden_files() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut failures = vec![];
    for script in scripts() {
        let actual = transcript(&script);
        let golden = script.with_extension("out");
        if update {
            std::fs::write(&golden, &actual).expect("golden file is writable");
            continue;
        }
        let expected = std::fs::read_to_string(&golden).unwrap_or_default();
        if actual != expected {
            failures.push(format!(
                "{}\n{}",
                script.display(),
                first_difference(&expected, &actual)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "transcripts differ from their golden files:\n\n{}",
        failures.join("\n\n")
    );
}

#[test]
fn the_same_script_and_seed_give_the_same_bytes() {
    for script in scripts() {
        assert_eq!(
            transcript(&script),
            transcript(&script),
            "{} is not deterministic",
            script.display()
        );
    }
}

fn first_difference(expected: &str, actual: &str) -> String {
    let (e, a): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    for i in 0..e.len().max(a.len()) {
        let (el, al) = (
            e.get(i).copied().unwrap_or("<end>"),
            a.get(i).copied().unwrap_or("<end>"),
        );
        if el != al {
            return format!("line {}:\n  expected: {el}\n  actual:   {al}", i + 1);
        }
    }
    "only trailing whitespace differs".to_string()
}
