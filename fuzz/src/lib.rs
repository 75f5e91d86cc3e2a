//! Shared invariants for the fuzz targets; `server/tests/props.rs` includes the same file.

pub mod checks;
