//! The `kubesim` binary: in the browser (wasm32) it mounts the page; natively it is the
//! command-line console (`kubesim run [--seed N] SCRIPT|-`, or an interactive prompt).

#[cfg(target_arch = "wasm32")]
fn main() {
    kubesim::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    std::process::exit(kubesim::cli::main(&args));
}
