//! TS/JS sources: tree-sitter parses a module into a compact [`FileSummary`]; the tree is
//! dropped afterwards.

pub mod cache;
mod dts;
mod env_walk;
mod lexical;
mod lexical_env;
pub mod model;
mod strings;
mod summarize;

pub use cache::{
    declared_members_of, declared_members_raw, static_strings_with, summarize_with, words_with,
    CachePolicy, SummaryCache,
};
pub use lexical::scan as lexical_scan;
pub use model::*;
pub use strings::{static_strings, words, StaticString};
pub use summarize::{exported_functions, has_syntax_errors, summarize, summarize_parsed};

/// Which grammar a source file needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceLang {
    /// `.ts`, `.mts`, `.cts`
    TypeScript,
    /// `.tsx`, and all JavaScript flavours (`.js`, `.jsx`, `.mjs`, `.cjs`), which the TSX
    /// grammar parses including JSX.
    Tsx,
}

impl SourceLang {
    pub fn from_path(path: &std::path::Path) -> Option<SourceLang> {
        SourceLang::from_name(path.file_name()?.to_str()?)
    }

    /// [`SourceLang::from_path`] of a file name (a listed folder's entry: no path to take
    /// apart). A name's extension is what follows its last dot, unless that dot starts it
    /// (`.ts` is a hidden file without one), as `Path::extension` has it.
    pub fn from_name(name: &str) -> Option<SourceLang> {
        if name.ends_with(".d.ts") || name.ends_with(".d.mts") || name.ends_with(".d.cts") {
            return None;
        }
        let (stem, extension) = name.rsplit_once('.')?;
        if stem.is_empty() {
            return None;
        }
        match extension {
            "ts" | "mts" | "cts" => Some(SourceLang::TypeScript),
            "tsx" | "js" | "jsx" | "mjs" | "cjs" => Some(SourceLang::Tsx),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests;
