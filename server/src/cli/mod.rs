//! The command line: `check` and its reporters.

pub mod check;
pub mod fix;
pub mod graph;
pub mod replay;
pub mod report;
