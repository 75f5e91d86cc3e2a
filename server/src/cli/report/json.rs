//! `--format json`: a stable shape other tools can rely on.
//!
//! ```json
//! {"version":1,"workers":N,"diagnostics":[{"code":"...","severity":"error","file":"api/wrangler.toml",
//!   "line":21,"column":14,"end_line":21,"end_column":26,"message":"...",
//!   "related":[{"file":"...","line":N,"column":N,"message":"..."}],"suggestions":["..."]}]}
//! ```
//!
//! Paths are relative to the checked root with `/` separators; lines and columns are 1-based,
//! columns in UTF-16 code units, `end_column` exclusive (see `locate.rs`). When a file's text
//! is unavailable its positions are reported as line 1, column 1.

use super::locate::{Point, Region, Sources};
use super::ReportInput;
use serde::Serialize;
use std::io::{self, Write};

/// Bumped only when the shape changes incompatibly.
const FORMAT_VERSION: u32 = 1;

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    workers: usize,
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'a str,
    severity: &'a str,
    file: String,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    message: &'a str,
    related: Vec<JsonRelated<'a>>,
    suggestions: &'a [String],
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    file: String,
    line: u32,
    column: u32,
    message: &'a str,
}

const UNKNOWN: Region = Region {
    start: Point { line: 1, column: 1 },
    end: Point { line: 1, column: 1 },
};

pub fn render(input: &ReportInput<'_>, out: &mut dyn Write) -> io::Result<()> {
    let mut sources = Sources::new(input);
    let diagnostics = input
        .diagnostics
        .iter()
        .map(|d| {
            let located = sources.locate(d);
            let region = located.region.unwrap_or(UNKNOWN);
            JsonDiagnostic {
                code: d.code,
                severity: d.severity.as_str(),
                file: located.file,
                line: region.start.line,
                column: region.start.column,
                end_line: region.end.line,
                end_column: region.end.column,
                message: &d.message,
                related: located
                    .related
                    .into_iter()
                    .map(|r| {
                        let start = r.region.unwrap_or(UNKNOWN).start;
                        JsonRelated {
                            file: r.file,
                            line: start.line,
                            column: start.column,
                            message: &r.related.message,
                        }
                    })
                    .collect(),
                suggestions: &d.suggestions,
            }
        })
        .collect();
    let report = Report {
        version: FORMAT_VERSION,
        workers: input.workers,
        diagnostics,
    };
    serde_json::to_writer_pretty(&mut *out, &report)?;
    writeln!(out)
}
