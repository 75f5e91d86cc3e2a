//! IDE features as plain functions over an immutable [`Index`] snapshot. No protocol types:
//! positions are byte offsets, results are byte ranges in files. The LSP layer converts.
//!
//! Every function must tolerate half-typed files: the config or source at the cursor may not
//! parse (then the last good model is in the index and the text at hand is `text`).

use crate::analysis::diagnostics::Diagnostic;
use crate::base::TextRange;
use std::collections::BTreeMap;
use std::path::PathBuf;

mod actions;
mod completion;
mod config_keys;
mod context;
mod edits;
mod hover;
mod idents;
mod lens;
mod links;
mod navigation;
mod rename;
mod resolve;
mod symbols;

pub use actions::{code_actions, fixes_for};
// `Applicability` is defined below, beside `Assist`.
pub use completion::completions;
pub use hover::hover;
pub use lens::{code_lenses, inlay_hints, InlayHint, Lens};
pub use links::document_links;
pub use navigation::{goto_definition, references};
pub use rename::{prepare_rename, rename};
pub use symbols::{document_symbols, workspace_symbols};

/// A cursor: a file and a byte offset into its current text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FilePosition {
    pub file: PathBuf,
    pub offset: u32,
}

/// A place to jump to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NavTarget {
    pub file: PathBuf,
    /// The whole item (e.g. the class declaration).
    pub full_range: TextRange,
    /// The name to select (e.g. the class identifier).
    pub focus_range: TextRange,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompletionKind {
    /// A worker name.
    Worker,
    /// A class (entrypoint, Durable Object, workflow).
    Class,
    /// An `env.X` binding, var or secret.
    Binding,
    /// An RPC method.
    Method,
    /// A queue name.
    Queue,
    /// A config key.
    Key,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompletionItem {
    pub label: String,
    pub kind: CompletionKind,
    /// E.g. `service binding -> auth (TokenService)` or `(token: string): Promise<boolean>`.
    pub detail: Option<String>,
    /// Markdown.
    pub documentation: Option<String>,
    /// The range the completion replaces (the partial word at the cursor, without quotes).
    pub replace: TextRange,
    /// Text to insert when it differs from `label`.
    pub insert_text: Option<String>,
    /// Lower sorts first; items of the current environment before others.
    pub sort_priority: u8,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HoverResult {
    /// Markdown.
    pub markdown: String,
    /// The hovered word.
    pub range: TextRange,
}

/// A link from a range of a file to another file (`main`, `.dev.vars`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentLink {
    pub range: TextRange,
    pub target: PathBuf,
    pub tooltip: String,
}

/// A replacement of `range` (bytes of the file's current text) by `new_text`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct TextEdit {
    pub range: TextRange,
    pub new_text: String,
}

/// Edits across files. Edits of one file never overlap and are sorted by range.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SourceChange {
    pub edits: BTreeMap<PathBuf, Vec<TextEdit>>,
}

impl SourceChange {
    pub fn insert(&mut self, file: PathBuf, edit: TextEdit) {
        let edits = self.edits.entry(file).or_default();
        if !edits.contains(&edit) {
            edits.push(edit);
            edits.sort();
        }
    }
    pub fn is_empty(&self) -> bool {
        self.edits.values().all(Vec::is_empty)
    }
}

/// Applies edits (sorted, non-overlapping) to a text.
pub fn apply_edits(text: &str, edits: &[TextEdit]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0usize;
    for e in edits {
        let (s, t) = (e.range.start as usize, e.range.end as usize);
        if s < last || t > text.len() || !text.is_char_boundary(s) || !text.is_char_boundary(t) {
            continue;
        }
        out.push_str(&text[last..s]);
        out.push_str(&e.new_text);
        last = t;
    }
    out.push_str(&text[last..]);
    out
}

/// Whether a fix may be applied without a person looking at it (ruff's `Applicability`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Applicability {
    /// Cannot change what is deployed or stored (removing `entrypoint = "default"`,
    /// rewriting a deprecated form to its equal): `check --fix` applies it.
    Safe,
    /// May change meaning (a guessed name, a new migration, environment rewiring, a worker
    /// rename): offered in the editor, applied headless only with `--unsafe-fixes`.
    Unsafe,
    /// Shown in the editor, never applied headless: one of several alternatives, or an edit
    /// that destroys stored data.
    DisplayOnly,
}

/// A quick fix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assist {
    pub title: String,
    pub edit: SourceChange,
    /// The diagnostic this fixes, if any.
    pub fixes: Option<Diagnostic>,
    pub applicability: Applicability,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymbolKind {
    Worker,
    Environment,
    Binding,
    Migration,
    Entrypoint,
    DurableObject,
    Workflow,
    Class,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Symbol {
    pub name: String,
    pub kind: SymbolKind,
    pub detail: Option<String>,
    pub file: PathBuf,
    pub full_range: TextRange,
    pub focus_range: TextRange,
    pub children: Vec<Symbol>,
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod fix_tests;
