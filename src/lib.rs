//! kubesim: a Kubernetes cluster simulated in the browser.
//!
//! Layers, with one-way dependencies (design.md §1):
//! - [`sim`]: the pure, deterministic cluster model (no web crates, no I/O, no wall clock);
//! - [`console`]: the kubectl-like command language and kubectl's printers, shared by the
//!   page and the native CLI so both print the same bytes;
//! - [`ui`]: the Leptos page (wasm only), plus its pure geometry, compiled natively too
//!   so `cargo test` covers it;
//! - `cli` (native only): `kubesim run` and the interactive prompt.

pub mod console;
pub mod scenario;
pub mod sim;

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;

pub mod ui;
