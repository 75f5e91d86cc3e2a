//! The command line: `check` and its reporters.

pub mod report;
