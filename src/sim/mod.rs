//! The pure, deterministic cluster model (design.md §2).
//!
//! Nothing in here touches a web crate, the wall clock or I/O: the same seed and the same
//! inputs give the same bytes (a test in `tests/purity.rs` keeps it that way).

pub mod admission;
pub mod errors;
pub mod labels;
pub mod messages;
pub mod object;
pub mod queue;
pub mod resources;
pub mod rng;
pub mod store;
pub mod time;
