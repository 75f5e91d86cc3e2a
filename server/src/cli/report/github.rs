//! `--format github`: GitHub Actions workflow commands, one annotation per finding:
//! `::error file=api/wrangler.toml,line=21,endLine=21,col=14,endColumn=26,title=CODE::message`.
//!
//! Lines and columns are 1-based, columns in UTF-16 code units and `endColumn` exclusive (see
//! `locate.rs`). When a file's text is unavailable only `file` is given. Related locations and
//! "did you mean" candidates are appended to the message, which may span several lines.

use super::locate::{message_with_suggestions, Sources};
use super::ReportInput;
use crate::analysis::diagnostics::Severity;
use std::fmt::Write as _;
use std::io::{self, Write};

pub fn render(input: &ReportInput<'_>, out: &mut dyn Write) -> io::Result<()> {
    let mut sources = Sources::new(input);
    for diagnostic in input.diagnostics {
        let located = sources.locate(diagnostic);
        let command = match diagnostic.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info | Severity::Hint => "notice",
        };
        let mut properties = format!("file={}", escape_property(&located.file));
        if let Some(r) = located.region {
            // `write!` into a String cannot fail.
            let _ = write!(
                properties,
                ",line={},endLine={},col={},endColumn={}",
                r.start.line, r.end.line, r.start.column, r.end.column
            );
        }
        let _ = write!(properties, ",title={}", escape_property(diagnostic.code));

        let mut message = message_with_suggestions(diagnostic);
        for related in &located.related {
            let _ = match related.region {
                Some(r) => write!(
                    message,
                    "\n{}:{}:{}: {}",
                    related.file, r.start.line, r.start.column, related.related.message
                ),
                None => write!(message, "\n{}: {}", related.file, related.related.message),
            };
        }
        writeln!(out, "::{command} {properties}::{}", escape_data(&message))?;
    }
    Ok(())
}

/// Escapes the message of a workflow command.
fn escape_data(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes a property value of a workflow command, where `:` and `,` are separators too.
fn escape_property(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' => out.push_str("%3A"),
            ',' => out.push_str("%2C"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_escapes_percent_and_line_breaks_only() {
        assert_eq!(
            escape_data("100% done\r\nnext: a, b"),
            "100%25 done%0D%0Anext: a, b"
        );
    }

    #[test]
    fn properties_also_escape_colon_and_comma() {
        assert_eq!(escape_property("a:b,c%d\ne\rf"), "a%3Ab%2Cc%25d%0Ae%0Df");
    }
}
