//! The simulation stays pure (design.md §1): nothing under `src/sim` may use a web crate,
//! the wall clock, randomness from the OS, or I/O. This test reads the sources and fails
//! on any such use, so the rule cannot erode unnoticed.

use std::path::Path;

const FORBIDDEN: &[&str] = &[
    "leptos",
    "web_sys",
    "js_sys",
    "wasm_bindgen",
    "gloo",
    "std::time::Instant",
    "std::time::SystemTime",
    "Instant::now",
    "SystemTime::now",
    "std::fs",
    "std::io",
    "std::net",
    "std::env",
    "std::thread",
    "rand::",
    "getrandom",
    "println!",
    "eprintln!",
];

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir)
        .expect("source dir is readable")
        .flatten()
    {
        let p = entry.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn the_simulation_imports_no_web_crates_clock_or_io() {
    let mut files = vec![];
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src/sim"),
        &mut files,
    );
    assert!(
        files.len() > 10,
        "expected the simulation sources, found {}",
        files.len()
    );
    let mut offences = vec![];
    for f in files {
        let text = std::fs::read_to_string(&f).expect("readable");
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            for word in FORBIDDEN {
                if code.contains(word) {
                    offences.push(format!("{}:{}: {}", f.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        offences.is_empty(),
        "src/sim must stay pure:\n{}",
        offences.join("\n")
    );
}
