//! The pure, deterministic cluster model (design.md §2).
