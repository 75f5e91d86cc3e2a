//! `--format human` (the default): a rustc/ruff-style report rendered with annotate-snippets.
//!
//! ```text
//! error[unknown-entrypoint]: ...
//!   --> api/wrangler.toml:21:14
//!    |
//! 21 | entrypoint = "TaskServce"
//!    |               ^^^^^^^^^^
//!    |
//!   ::: tasks/src/index.ts:3:14
//!    |
//!  3 | export class TaskService extends WorkerEntrypoint {
//!    |              ----------- exported here
//!    = help: did you mean `TaskService`?
//! ```
//!
//! Locations are given as `path:line:column`, 1-based, the column in UTF-16 code units like
//! every other format (see `locate.rs`): we write them ourselves as `Origin`s instead of letting
//! annotate-snippets count characters. Only the lines a span covers are handed to the renderer,
//! so large files cost nothing per finding. A finding whose file text is unavailable still
//! gets its header and location.

use super::locate::{did_you_mean, plural, Counts, SourceFile, Sources};
use super::ReportInput;
use crate::analysis::diagnostics::Severity;
use crate::base::{PositionEncoding, TextRange};
use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{
    Annotation, AnnotationKind, Element, Group, Level, Origin, Renderer, Snippet,
};
use std::io::{self, Write};

pub fn render(input: &ReportInput<'_>, out: &mut dyn Write) -> io::Result<()> {
    let renderer = if input.color {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
    .decor_style(DecorStyle::Ascii);
    let mut sources = Sources::new(input);

    for diagnostic in input.diagnostics {
        let path = sources.relative_path(&diagnostic.file);
        let file = sources.file(&diagnostic.file);
        let mut elements: Vec<Element<'_>> = Vec::new();
        let mut fixes = Vec::new();
        push_location(
            &mut elements,
            &mut fixes,
            &path,
            file.as_deref(),
            diagnostic.range,
            AnnotationKind::Primary,
            None,
        );
        for related in &diagnostic.related {
            let related_path = sources.relative_path(&related.file);
            let related_file = sources.file(&related.file);
            if related_file.is_some() {
                push_location(
                    &mut elements,
                    &mut fixes,
                    &related_path,
                    related_file.as_deref(),
                    related.range,
                    AnnotationKind::Context,
                    Some(&related.message),
                );
            } else {
                elements.push(
                    Level::NOTE
                        .message(format!("{related_path}: {}", related.message))
                        .into(),
                );
            }
        }
        if let Some(help) = did_you_mean(&diagnostic.suggestions) {
            elements.push(Level::HELP.message(help).into());
        }
        let title = level(diagnostic.severity)
            .primary_title(diagnostic.message.as_str())
            .id(diagnostic.code);
        let report = [Group::with_title(title).elements(elements)];
        let rendered = apply_column_fixes(renderer.render(&report), &fixes);
        writeln!(out, "{rendered}")?;
        writeln!(out)?;
    }

    if input.quiet {
        return Ok(());
    }
    let summary = summary(input);
    if input.color {
        writeln!(out, "\x1b[1m{summary}\x1b[0m")
    } else {
        writeln!(out, "{summary}")
    }
}

fn level(severity: Severity) -> Level<'static> {
    match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
        Severity::Hint => Level::HELP.with_name("hint"),
    }
}

/// Appends `path:line:col` and, when the text is known, the lines of `range` with the span
/// underlined.
fn push_location<'a>(
    elements: &mut Vec<Element<'a>>,
    fixes: &mut Vec<ColumnFix>,
    path: &str,
    file: Option<&SourceFile>,
    range: TextRange,
    kind: AnnotationKind,
    label: Option<&str>,
) {
    let Some(file) = file else {
        elements.push(Origin::path(path.to_string()).into());
        return;
    };
    let region = file.region(range);
    let (lines, span) = covering_lines(file, range);
    // annotate-snippets writes the location itself, counting the column in characters from
    // the start of the span's first line; remember where that differs from the UTF-16 column.
    let char_column = lines[..span.start]
        .rsplit('\n')
        .next()
        .unwrap_or("")
        .chars()
        .count()
        + 1;
    if char_column != region.start.column as usize {
        let at = format!("{path}:{}:", region.start.line);
        fixes.push(ColumnFix {
            from: format!("{at}{char_column}"),
            to: format!("{at}{}", region.start.column),
        });
    }
    let mut annotation: Annotation<'_> = kind.span(span);
    if let Some(label) = label {
        annotation = annotation.label(label.to_string());
    }
    elements.push(
        Snippet::source(lines.to_string())
            .path(path.to_string())
            .line_start(region.start.line as usize)
            .annotation(annotation)
            .into(),
    );
}

/// A location annotate-snippets will print with a character column that must show the
/// UTF-16 column instead.
struct ColumnFix {
    from: String,
    to: String,
}

/// Rewrites the locations in `rendered` in order. Only location lines are touched: the title
/// line is skipped and each fix searches after the previous one.
fn apply_column_fixes(rendered: String, fixes: &[ColumnFix]) -> String {
    if fixes.is_empty() {
        return rendered;
    }
    let mut out = String::with_capacity(rendered.len());
    let mut rest = rendered.as_str();
    if let Some(nl) = rest.find('\n') {
        out.push_str(&rest[..=nl]);
        rest = &rest[nl + 1..];
    }
    for fix in fixes {
        if let Some(i) = rest.find(&fix.from) {
            out.push_str(&rest[..i]);
            out.push_str(&fix.to);
            rest = &rest[i + fix.from.len()..];
        }
    }
    out.push_str(rest);
    out
}

/// How much of a span's first and last line is shown around it, in bytes: more than the
/// renderer's width, so its own `...` trimming shows the same text as with the whole line.
const CONTEXT_BYTES: usize = 1024;

/// The lines that `range` touches (without the last line's terminator), cut to
/// [`CONTEXT_BYTES`] before and after the span, and the range relative to them, clamped to the
/// text and to character boundaries. Lines are found through the line index and only the
/// window is copied, so a minified one-line file with thousands of findings costs each finding
/// its own span, not the whole line.
fn covering_lines(file: &SourceFile, range: TextRange) -> (&str, std::ops::Range<usize>) {
    let text: &str = &file.text;
    let floor = |mut i: usize| {
        i = i.min(text.len());
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let ceil = |mut i: usize| {
        i = i.min(text.len());
        while !text.is_char_boundary(i) {
            i += 1;
        }
        i
    };
    let start = floor(range.start as usize);
    let end = floor(range.end as usize).max(start);
    let line_of = |offset: usize| {
        let line = file
            .index
            .line_col(text, offset as u32, PositionEncoding::Utf8)
            .line;
        let (from, to) = file.index.line_range(text, line);
        (from as usize, to as usize)
    };
    let line_start = line_of(start).0;
    let line_end = line_of(end).1.max(end);
    let from = line_start.max(floor(start.saturating_sub(CONTEXT_BYTES)));
    let to = line_end.min(ceil(end + CONTEXT_BYTES));
    (&text[from..to], start - from..end - from)
}

/// `Found 3 errors, 2 warnings in 5 workers.` or `No findings in 5 workers.`
fn summary(input: &ReportInput<'_>) -> String {
    let counts = Counts::of(input.diagnostics);
    let workers = plural(input.workers, "worker", "workers");
    let parts: Vec<String> = [
        (counts.errors, "error", "errors"),
        (counts.warnings, "warning", "warnings"),
        (counts.infos, "info", "infos"),
        (counts.hints, "hint", "hints"),
    ]
    .into_iter()
    .filter(|(n, _, _)| *n > 0)
    .map(|(n, one, many)| plural(n, one, many))
    .collect();
    if parts.is_empty() {
        format!("No findings in {workers}.")
    } else {
        format!("Found {} in {workers}.", parts.join(", "))
    }
}
