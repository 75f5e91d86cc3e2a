//! The rules, one module each.

mod registry;

pub use registry::{rule, RuleInfo, RULES};
