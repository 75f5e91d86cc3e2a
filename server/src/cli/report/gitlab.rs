//! `--output-format gitlab`: a GitLab Code Quality report (a JSON array of issues), for the
//! `artifacts:reports:codequality` of a job.
//!
//! ```json
//! [{"description":"...","check_name":"unknown-entrypoint","fingerprint":"...","severity":"major",
//!   "location":{"path":"api/wrangler.toml","positions":{"begin":{"line":7,"column":15},"end":{"line":7,"column":25}}}}]
//! ```
//!
//! GitLab compares the fingerprints of the base and the merge request to tell new issues from
//! fixed ones, so a fingerprint depends on the code, the file and the message (and on how many
//! identical findings came before it in that file), not on line numbers: a finding that only
//! moves keeps its fingerprint.

use super::locate::{message_with_suggestions, Sources};
use super::ReportInput;
use crate::analysis::diagnostics::Severity;
use serde::Serialize;
use std::collections::HashMap;
use std::io::{self, Write};

#[derive(Serialize)]
struct Issue<'a> {
    description: String,
    check_name: &'a str,
    fingerprint: String,
    severity: &'static str,
    location: Location,
}

#[derive(Serialize)]
struct Location {
    path: String,
    positions: Positions,
}

#[derive(Serialize)]
struct Positions {
    begin: Position,
    end: Position,
}

#[derive(Serialize)]
struct Position {
    line: u32,
    column: u32,
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Info | Severity::Hint => "info",
    }
}

/// 64-bit FNV-1a: stable across runs, platforms and Rust versions (unlike std's hasher).
fn fnv1a(seed: u64, bytes: &[u8]) -> u64 {
    let mut h = seed;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

pub(super) fn fingerprint(code: &str, path: &str, message: &str, occurrence: usize) -> String {
    let key = format!("{code}\0{path}\0{message}\0{occurrence}");
    format!(
        "{:016x}{:016x}",
        fnv1a(0xcbf2_9ce4_8422_2325, key.as_bytes()),
        fnv1a(0x6c62_272e_07bb_0142, key.as_bytes())
    )
}

pub fn render(input: &ReportInput<'_>, out: &mut dyn Write) -> io::Result<()> {
    let mut sources = Sources::new(input);
    let mut seen: HashMap<String, usize> = HashMap::new();
    let issues: Vec<Issue<'_>> = input
        .diagnostics
        .iter()
        .map(|d| {
            let located = sources.locate(d);
            let description = message_with_suggestions(d);
            let key = format!("{}\0{}\0{description}", d.code, located.file);
            let occurrence = seen.entry(key).or_default();
            *occurrence += 1;
            let (begin, end) = match located.region {
                Some(r) => (
                    Position {
                        line: r.start.line,
                        column: r.start.column,
                    },
                    Position {
                        line: r.end.line,
                        column: r.end.column,
                    },
                ),
                None => (
                    Position { line: 1, column: 1 },
                    Position { line: 1, column: 1 },
                ),
            };
            Issue {
                fingerprint: fingerprint(d.code, &located.file, &description, *occurrence),
                description,
                check_name: d.code,
                severity: severity(d.severity),
                location: Location {
                    path: located.file,
                    positions: Positions { begin, end },
                },
            }
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &issues)?;
    writeln!(out)
}
