//! `--statistics`: how many findings each rule has, most first (ruff's `--statistics`).
//!
//! ```text
//! 3  warning  unknown-binding
//! 1  error    unknown-rpc-method
//! ```
//!
//! With `--output-format json`: `[{"code":"unknown-binding","severity":"warning","count":3}]`.

use super::{Format, ReportInput};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};

#[derive(Serialize)]
struct Row<'a> {
    code: &'a str,
    severity: &'static str,
    count: usize,
}

pub fn render(format: Format, input: &ReportInput<'_>, out: &mut dyn Write) -> io::Result<()> {
    // Per code and severity (a project may set one rule's severity; both are shown as found).
    let mut counts: BTreeMap<(&str, &'static str), usize> = BTreeMap::new();
    for d in input.diagnostics {
        *counts.entry((d.code, d.severity.as_str())).or_default() += 1;
    }
    let mut rows: Vec<Row<'_>> = counts
        .into_iter()
        .map(|((code, severity), count)| Row {
            code,
            severity,
            count,
        })
        .collect();
    rows.sort_by(|a, b| b.count.cmp(&a.count).then(a.code.cmp(b.code)));
    if format == Format::Json {
        serde_json::to_writer_pretty(&mut *out, &rows)?;
        return writeln!(out);
    }
    let width = rows
        .iter()
        .map(|r| r.count.to_string().len())
        .max()
        .unwrap_or(1);
    for r in &rows {
        writeln!(out, "{:>width$}  {:7}  {}", r.count, r.severity, r.code)?;
    }
    if !input.quiet {
        let total: usize = rows.iter().map(|r| r.count).sum();
        let findings = super::locate::plural(total, "finding", "findings");
        let workers = super::locate::plural(input.workers, "worker", "workers");
        writeln!(out, "{findings} in {workers}.")?;
    }
    Ok(())
}
