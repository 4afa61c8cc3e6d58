//! The pure, deterministic cluster model (design.md §2).
//!
//! Nothing in here touches a web crate, the wall clock or I/O: the same seed and the same
//! inputs give the same bytes (a test in `tests/purity.rs` keeps it that way).

pub mod admission;
pub mod apiserver;
pub mod bootstrap;
pub mod cluster;
pub mod controllers;
pub mod crd;
pub mod errors;
pub mod events;
pub mod eviction;
pub mod fieldmanager;
pub mod gc;
pub mod hash;
pub mod housekeeping;
pub mod invariants;
pub mod ipam;
pub mod json;
pub mod kubelet;
pub mod labels;
pub mod list_types;
pub mod messages;
pub mod metrics;
pub mod network;
pub mod nodematch;
pub mod object;
pub mod packed;
pub mod pods;
pub mod queue;
pub mod regex;
pub mod resources;
pub mod rng;
pub mod scheduler;
pub mod sort;
pub mod store;
pub mod text;
pub mod time;
pub mod timezone;

pub use cluster::{Cluster, ClusterOptions};
