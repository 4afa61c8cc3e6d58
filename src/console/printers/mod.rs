//! kubectl's printers, as pure functions of API objects (`serde_json::Value`) and the
//! virtual clock: `get` tables, `-o yaml|json|jsonpath|custom-columns`, and `describe`.
//! No cluster state lives here; callers pass the objects in (design.md §1, style.md #6).
//!
//! Entry points:
//! - [`table::print_table`] / [`table::print_tables`] for `kubectl get` tables;
//! - [`json::to_json`], [`yaml::to_yaml`], [`json::list_of`] for `-o json|yaml`;
//! - [`jsonpath::jsonpath`], [`jsonpath::custom_columns`] for `-o jsonpath=`/`custom-columns=`;
//! - [`describe::describe`] with an [`describe::ObjectSource`] for `kubectl describe`;
//! - [`age::human_duration`], [`age::age`] for durations.

pub mod age;
pub mod cluster;
pub mod describe;
pub mod describe_hpa;
pub mod describe_kinds;
pub mod diff;
pub mod fields;
pub mod json;
pub mod jsonpath;
pub mod network;
pub mod pod;
pub mod table;
pub mod tabwriter;
pub mod workloads;
pub mod yaml;

pub use age::{age, human_duration, short_human_duration};
pub use describe::{describe, ObjectSource};
pub use json::{list_of, omit_managed_fields, to_json};
pub use jsonpath::{custom_columns, jsonpath};
pub use table::{print_table, print_tables, PrinterColumn, TableOptions};
pub use yaml::to_yaml;
