//! Suppression comments, applied after the rules run (by the CLI and the language server
//! alike, through [`crate::analysis::findings`]).
//!
//! ```toml
//! service = "billing" # workers-lsp: ignore[unknown-service] deployed by another team
//! ```
//! ```ts
//! // workers-lsp: ignore[unknown-binding, unknown-rpc-method] bound by the test harness
//! const v = env.TEST_ONLY.get();
//! /* workers-lsp: ignore-file[unused-binding] */
//! ```
//!
//! - `workers-lsp: ignore[CODE, ...] reason` suppresses those codes' findings that start on
//!   the line it is on, when it follows code there, or else (a comment on a line of its own)
//!   on the next line. A block comment covers each of its lines too.
//! - `workers-lsp: ignore-file[CODE, ...] reason`, anywhere in the file, suppresses them in the
//!   whole file.
//! - Without a bracket (`workers-lsp: ignore`, `workers-lsp: ignore-file`) every code is
//!   suppressed, as ruff's bare `# noqa` does.
//! - The directive must begin the comment (after `#`, `//` or `/*`, spaces and `*`s); a
//!   comment that only mentions it further on is prose. Comments are found by the file's
//!   syntax ([`comments`]): a `//` inside a string is not a comment.
//!
//! A suppression that suppresses nothing is itself reported, as `unused-suppression` (ruff's
//! RUF100): a code whose finding is gone, a code that names no rule, a bare suppression with
//! nothing to suppress, or a `workers-lsp:` comment that is not a well-formed directive.
//! Codes of rules that are off in `workers-lsp.toml` are not judged (they cannot match). An
//! `unused-suppression` finding cannot itself be suppressed by a comment: turn the rule off in
//! `workers-lsp.toml` (or `--ignore unused-suppression`). Each unused suppression comes with
//! the edit that removes it (the unused codes, or the whole comment), which `check --fix`
//! applies.

pub mod comments;

use crate::analysis::diagnostics::Diagnostic;
use crate::analysis::ide::TextEdit;
use crate::analysis::index::Index;
use crate::analysis::rules::rule;
use crate::analysis::workspace::Workspace;
use crate::base::{LineIndex, PositionEncoding, TextRange};
use crate::config::ConfigFormat;
use crate::source::SourceLang;
pub use comments::Syntax;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The rule code of a suppression that suppresses nothing.
pub const UNUSED_SUPPRESSION: &str = "unused-suppression";

/// What every directive starts with.
const MARKER: &str = "workers-lsp:";

/// What a directive covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Findings starting on lines `first..=last` (0-based): a comment's own lines, and the
    /// line after it when nothing but blanks shares its lines.
    Lines {
        first: u32,
        last: u32,
    },
    File,
}

/// One suppression comment, as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    /// The whole comment.
    pub comment: TextRange,
    /// From `workers-lsp:` to the end of the keyword or of its bracket.
    pub span: TextRange,
    pub scope: Scope,
    /// The codes and their spans; `None`: every code.
    pub codes: Option<Vec<(String, TextRange)>>,
    /// The text between the brackets.
    pub codes_range: Option<TextRange>,
    /// Why this is not a well-formed directive (it then suppresses nothing).
    pub malformed: Option<String>,
    /// On lines of its own: it covers the next line.
    pub covers_next_line: bool,
}

/// The syntax of a workspace file's comments, from its name.
pub fn syntax_of(path: &Path) -> Option<Syntax> {
    if let Some(format) = ConfigFormat::from_path(path) {
        return Some(match format {
            ConfigFormat::Toml => Syntax::Toml,
            ConfigFormat::Json | ConfigFormat::Jsonc => Syntax::Jsonc,
            ConfigFormat::TypeScript => Syntax::Script(SourceLang::TypeScript),
        });
    }
    SourceLang::from_path(path).map(Syntax::Script)
}

/// Whether a text holds [`MARKER`] anywhere: no directive can be in a text that does not.
fn mentions_marker(text: &str) -> bool {
    memchr::memmem::find(text.as_bytes(), MARKER.as_bytes()).is_some()
}

/// Every directive of a text.
pub fn directives(text: &str, syntax: Syntax) -> Vec<Directive> {
    if !mentions_marker(text) {
        return Vec::new();
    }
    let index = LineIndex::new(text);
    comments::comments(text, syntax)
        .into_iter()
        .filter_map(|c| parse_directive(text, &index, c))
        .collect()
}

fn is_code_char(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'
}

fn parse_directive(text: &str, index: &LineIndex, comment: comments::Comment) -> Option<Directive> {
    let body = &text[comment.body.as_usize()];
    let lead = body.len()
        - body
            .trim_start_matches(|c: char| c.is_whitespace() || c == '*')
            .len();
    let rest = body[lead..].strip_prefix(MARKER)?;
    let at = comment.body.start as usize + lead;
    let mut pos = at + MARKER.len();
    pos += rest.len() - rest.trim_start_matches([' ', '\t']).len();
    let line = |offset: usize| {
        index
            .line_col(text, offset as u32, PositionEncoding::Utf8)
            .line
    };
    let (first, last) = (
        line(comment.range.start as usize),
        line(comment.range.end as usize),
    );
    // A comment on lines of its own is about the next line; one beside code, about its line.
    let own_lines = {
        let b = text.as_bytes();
        let blank = |c: &u8| *c == b' ' || *c == b'\t';
        let before = &b[..comment.range.start as usize];
        let after = &b[comment.range.end as usize..];
        before.iter().rev().take_while(|c| **c != b'\n').all(blank)
            && after
                .iter()
                .take_while(|c| **c != b'\n')
                .all(|c| blank(c) || *c == b'\r')
    };
    let mut directive = Directive {
        comment: comment.range,
        span: TextRange::from_usize(at, pos),
        scope: Scope::Lines {
            first,
            last: if own_lines { last + 1 } else { last },
        },
        codes: None,
        codes_range: None,
        malformed: None,
        covers_next_line: own_lines,
    };
    let body_end = comment.body.end as usize;
    let after = &text[pos..body_end];
    let keyword_len = if after.starts_with("ignore-file") {
        directive.scope = Scope::File;
        "ignore-file".len()
    } else if after.starts_with("ignore") {
        "ignore".len()
    } else {
        let word: String = after.chars().take_while(|c| !c.is_whitespace()).collect();
        directive.span = TextRange::from_usize(at, pos + word.len());
        directive.malformed = Some(format!(
            "`{MARKER} {word}` is not a suppression: write `{MARKER} ignore[CODE]` or `{MARKER} ignore-file[CODE]`"
        ));
        return Some(directive);
    };
    pos += keyword_len;
    directive.span.end = pos as u32;
    let after = &text[pos..body_end];
    if let Some(inside) = after.strip_prefix('[') {
        let Some(close) = inside.find(']') else {
            directive.malformed = Some("the list of codes has no closing `]`".into());
            return Some(directive);
        };
        let inner_start = pos + 1;
        directive.codes_range = Some(TextRange::from_usize(inner_start, inner_start + close));
        directive.span.end = (inner_start + close + 1) as u32;
        let mut codes = Vec::new();
        let mut offset = inner_start;
        for part in inside[..close].split(',') {
            let lead = part.len() - part.trim_start().len();
            let code = part.trim();
            let start = offset + lead;
            if code.is_empty() || !code.chars().all(is_code_char) {
                directive.malformed = Some(format!(
                    "`[{}]` is not a list of rule codes separated by commas",
                    &inside[..close]
                ));
                return Some(directive);
            }
            codes.push((
                code.to_string(),
                TextRange::from_usize(start, start + code.len()),
            ));
            offset += part.len() + 1;
        }
        directive.codes = Some(codes);
    } else if after.chars().next().is_some_and(|c| !c.is_whitespace()) {
        let word: String = after.chars().take_while(|c| !c.is_whitespace()).collect();
        directive.span.end = (pos + word.len()) as u32;
        directive.malformed = Some(format!(
            "`{}` is not a suppression: write `{MARKER} ignore[CODE]` or `{MARKER} ignore-file[CODE]`",
            &text[at..pos + word.len()]
        ));
    }
    Some(directive)
}

impl Directive {
    /// Where it looks for findings, for messages.
    fn reach(&self) -> &'static str {
        match (self.scope, self.covers_next_line) {
            (Scope::File, _) => "in this file",
            (Scope::Lines { .. }, true) => "on the next line",
            (Scope::Lines { .. }, false) => "on this line",
        }
    }

    fn matches(&self, code: &str) -> bool {
        self.malformed.is_none()
            && match &self.codes {
                None => true,
                Some(codes) => codes.iter().any(|(c, _)| c == code),
            }
    }
}

/// Which texts hold the marker, remembered per text: the language server applies
/// suppressions after every edit, and searching every file of a large family again for a
/// marker that is almost never there would cost more than the edit itself. A text is known by
/// its allocation, held weakly: while the `Weak` upgrades to the same `Arc`, the (immutable)
/// text is the one that was searched, and its address cannot be reused.
type MarkerCache = HashMap<usize, (std::sync::Weak<str>, bool)>;

static MARKER_SEEN: std::sync::LazyLock<std::sync::Mutex<MarkerCache>> =
    std::sync::LazyLock::new(Default::default);

fn holds_marker(seen: &mut MarkerCache, text: &std::sync::Arc<str>) -> bool {
    let key = std::sync::Arc::as_ptr(text) as *const u8 as usize;
    if let Some((weak, holds)) = seen.get(&key) {
        if weak
            .upgrade()
            .is_some_and(|t| std::sync::Arc::ptr_eq(&t, text))
        {
            return *holds;
        }
    }
    let holds = mentions_marker(text);
    if seen.len() >= 4096 && seen.len().is_power_of_two() {
        // Forget texts that are gone (edited, deleted, closed).
        seen.retain(|_, (weak, _)| weak.strong_count() > 0);
    }
    seen.insert(key, (std::sync::Arc::downgrade(text), holds));
    holds
}

/// A file's path and text.
pub type Text = (PathBuf, std::sync::Arc<str>);

/// The configs and sources of a workspace whose text holds a suppression marker: the only
/// files [`apply`] reads.
pub fn marked_texts(ws: &Workspace) -> Vec<Text> {
    let texts = ws
        .configs
        .iter()
        .map(|c| (&c.path, Some(&c.text)))
        .chain(ws.sources.iter().map(|(p, s)| (p, s.text())));
    let mut seen = MARKER_SEEN.lock().unwrap_or_else(|e| e.into_inner());
    texts
        .filter_map(|(path, text)| {
            let text = text?;
            holds_marker(&mut seen, text).then(|| (path.clone(), text.clone()))
        })
        .collect()
}

/// [`marked_texts`] after an edit of the source `edited` alone, from the list before it: one
/// text searched instead of every file's.
pub fn marked_texts_after_edit(ws: &Workspace, previous: &[Text], edited: &Path) -> Vec<Text> {
    let mut out: Vec<Text> = previous
        .iter()
        .filter(|(p, _)| p != edited)
        .cloned()
        .collect();
    if let Some(text) = ws.sources.get(edited).and_then(|s| s.text()) {
        if mentions_marker(text) {
            out.push((edited.to_path_buf(), text.clone()));
        }
    }
    out
}

/// An unused suppression, with the edits that remove it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Removal {
    pub file: PathBuf,
    /// The range of its `unused-suppression` finding.
    pub range: TextRange,
    pub edits: Vec<TextEdit>,
    pub title: String,
}

/// The findings that remain, the `unused-suppression` findings among them, and how to remove
/// each unused suppression.
pub struct Suppressed {
    pub diagnostics: Vec<Diagnostic>,
    pub removals: Vec<Removal>,
}

/// A file's directives and, per directive, whether it was used (whole, and per code).
struct FileState {
    text: std::sync::Arc<str>,
    index: LineIndex,
    directives: Vec<Directive>,
    used: Vec<bool>,
    used_codes: Vec<Vec<bool>>,
    /// Line -> the line-scoped directives covering it.
    by_line: HashMap<u32, Vec<usize>>,
    file_wide: Vec<usize>,
}

/// Drops the findings that a suppression covers and reports the suppressions that cover
/// none. `diagnostics` are sorted by file and position (as [`crate::analysis::rules::run_all`]
/// returns them); so is the result.
pub fn apply(index: &Index, diagnostics: Vec<Diagnostic>) -> Suppressed {
    let ws = &index.ws;
    let mut files: HashMap<PathBuf, FileState> = HashMap::new();
    for (path, text) in index.marked_texts().iter() {
        let Some(syntax) = syntax_of(path) else {
            continue;
        };
        let directives = directives(text, syntax);
        if directives.is_empty() {
            continue;
        }
        let mut by_line: HashMap<u32, Vec<usize>> = HashMap::new();
        let mut file_wide = Vec::new();
        for (i, d) in directives.iter().enumerate() {
            match d.scope {
                Scope::File => file_wide.push(i),
                Scope::Lines { first, last } => {
                    for line in first..=last {
                        by_line.entry(line).or_default().push(i);
                    }
                }
            }
        }
        files.insert(
            path.clone(),
            FileState {
                index: LineIndex::new(text),
                text: text.clone(),
                used: vec![false; directives.len()],
                used_codes: directives
                    .iter()
                    .map(|d| vec![false; d.codes.as_ref().map_or(0, Vec::len)])
                    .collect(),
                directives,
                by_line,
                file_wide,
            },
        );
    }
    if files.is_empty() {
        return Suppressed {
            diagnostics,
            removals: Vec::new(),
        };
    }

    let mut kept = Vec::with_capacity(diagnostics.len());
    for d in diagnostics {
        let Some(state) = files.get_mut(&d.file) else {
            kept.push(d);
            continue;
        };
        let line = state
            .index
            .line_col(&state.text, d.range.start, PositionEncoding::Utf8)
            .line;
        let candidates: Vec<usize> = state
            .by_line
            .get(&line)
            .into_iter()
            .flatten()
            .chain(&state.file_wide)
            .copied()
            .collect();
        let mut suppressed = false;
        for i in candidates {
            let directive = &state.directives[i];
            if !directive.matches(d.code) {
                continue;
            }
            suppressed = true;
            state.used[i] = true;
            if let Some(codes) = &directive.codes {
                for (k, (c, _)) in codes.iter().enumerate() {
                    if c == d.code {
                        state.used_codes[i][k] = true;
                    }
                }
            }
        }
        if !suppressed {
            kept.push(d);
        }
    }

    let severity = ws.settings.severity(UNUSED_SUPPRESSION);
    let mut removals = Vec::new();
    let mut paths: Vec<&PathBuf> = files.keys().collect();
    paths.sort();
    for path in paths {
        let state = &files[path];
        for (i, directive) in state.directives.iter().enumerate() {
            let Some(unused) = unused(ws, state, i) else {
                continue;
            };
            if let Some(severity) = severity {
                kept.push(Diagnostic {
                    code: UNUSED_SUPPRESSION,
                    severity,
                    file: path.clone(),
                    range: directive.span,
                    message: unused.message,
                    related: Vec::new(),
                    suggestions: Vec::new(),
                });
            }
            if let Some(edits) = unused.edits {
                removals.push(Removal {
                    file: path.clone(),
                    range: directive.span,
                    edits,
                    title: unused.title,
                });
            }
        }
    }
    kept.sort_by(|a, b| {
        (&a.file, a.range.start, a.range.end, a.code).cmp(&(
            &b.file,
            b.range.start,
            b.range.end,
            b.code,
        ))
    });
    Suppressed {
        diagnostics: kept,
        removals,
    }
}

struct Unused {
    message: String,
    title: String,
    /// `None` for a malformed directive: what was meant is unclear, so nothing is removed.
    edits: Option<Vec<TextEdit>>,
}

/// Why directive `i` suppresses nothing (or some of its codes nothing), if it does.
fn unused(ws: &crate::analysis::Workspace, state: &FileState, i: usize) -> Option<Unused> {
    let directive = &state.directives[i];
    let text = &state.text;
    if let Some(why) = &directive.malformed {
        return Some(Unused {
            message: format!("{why}; it suppresses nothing"),
            title: String::new(),
            edits: None,
        });
    }
    let whole = || remove_comment(text, directive.comment);
    let Some(codes) = &directive.codes else {
        if state.used[i] {
            return None;
        }
        return Some(Unused {
            message: format!(
                "unused suppression: there is no finding {} to suppress",
                directive.reach()
            ),
            title: "Remove the unused suppression".into(),
            edits: Some(whole()),
        });
    };
    let mut unknown = Vec::new();
    let mut gone = Vec::new();
    let mut keep = Vec::new();
    for (k, (code, _)) in codes.iter().enumerate() {
        if rule(code).is_none() {
            unknown.push(code.as_str());
        } else if state.used_codes[i][k] || ws.settings.severity(code).is_none() {
            // Used, or a rule that is off here (it cannot match, so it is not judged).
            keep.push(code.as_str());
        } else {
            gone.push(code.as_str());
        }
    }
    if unknown.is_empty() && gone.is_empty() {
        return None;
    }
    let list = |v: &[&str]| {
        v.iter()
            .map(|c| format!("`{c}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut parts = Vec::new();
    if !gone.is_empty() {
        parts.push(format!("no {} finding {}", list(&gone), directive.reach()));
    }
    if !unknown.is_empty() {
        parts.push(format!(
            "{} {} no rule",
            list(&unknown),
            if unknown.len() == 1 { "names" } else { "name" }
        ));
    }
    let message = format!("unused suppression: {}", parts.join("; "));
    let removed: Vec<&str> = gone.iter().chain(&unknown).copied().collect();
    let (edits, title) = if keep.is_empty() {
        (whole(), "Remove the unused suppression".to_string())
    } else {
        let range = directive.codes_range.expect("codes have a range");
        (
            vec![TextEdit {
                range,
                new_text: keep.join(", "),
            }],
            format!("Remove {} from the suppression", list(&removed)),
        )
    };
    Some(Unused {
        message,
        title,
        edits: Some(edits),
    })
}

/// The edit that removes a comment: with its whole line when nothing else is on it, else with
/// the blanks before it (or, between two tokens, leaving one space so they stay apart).
fn remove_comment(text: &str, comment: TextRange) -> Vec<TextEdit> {
    let b = text.as_bytes();
    let (start, end) = (comment.start as usize, comment.end as usize);
    let is_blank = |c: u8| c == b' ' || c == b'\t';
    let mut before = start;
    while before > 0 && is_blank(b[before - 1]) {
        before -= 1;
    }
    let mut after = end;
    while after < b.len() && is_blank(b[after]) {
        after += 1;
    }
    let line_begins = before == 0 || b[before - 1] == b'\n';
    let line_ends = after == b.len() || b[after] == b'\n' || b[after..].starts_with(b"\r\n");
    let edit = |s: usize, e: usize, new_text: &str| TextEdit {
        range: TextRange::from_usize(s, e),
        new_text: new_text.into(),
    };
    if line_begins && line_ends {
        // Alone on its line(s): remove them with their terminator.
        let mut e = after;
        if b[e..].starts_with(b"\r\n") {
            e += 2;
        } else if e < b.len() {
            e += 1;
        }
        return vec![edit(before, e, "")];
    }
    if line_ends {
        // Trailing: remove it with the blanks before it.
        return vec![edit(before, after, "")];
    }
    if line_begins {
        // Leading, code follows: remove it with the blanks after it.
        return vec![edit(start, after, "")];
    }
    // Between two tokens: keep them apart.
    vec![edit(before, after, " ")]
}

#[cfg(test)]
mod tests;
