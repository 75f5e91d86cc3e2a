//! `--output-format junit`: JUnit XML, which CI systems (GitLab, Jenkins, Azure) show as test
//! results: one test suite per file, one failing test case per finding. A clean run is one
//! passing test case, so that the report is never empty.
//!
//! ```xml
//! <testsuites name="workers-lsp" tests="1" failures="1" errors="0">
//!   <testsuite name="api/wrangler.toml" tests="1" failures="1" errors="0">
//!     <testcase name="unknown-entrypoint" classname="api/wrangler.toml" file="api/wrangler.toml" line="7" column="15">
//!       <failure message="worker `tasks` exports no entrypoint `TaskServce`" type="error">api/wrangler.toml:7:15: ...</failure>
//! ```

use super::locate::{message_with_suggestions, Sources};
use super::ReportInput;
use std::io::{self, Write};

/// Escapes text for XML attributes and content; drops characters XML 1.0 cannot hold.
pub(super) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

pub fn render(input: &ReportInput<'_>, out: &mut dyn Write) -> io::Result<()> {
    let mut sources = Sources::new(input);
    // Findings are sorted by file: group consecutive runs.
    let mut suites: Vec<(String, Vec<String>)> = Vec::new();
    for d in input.diagnostics {
        let located = sources.locate(d);
        let file = escape(&located.file);
        let message = message_with_suggestions(d);
        let (line, column) = located
            .region
            .map_or((1, 1), |r| (r.start.line, r.start.column));
        let case = format!(
            "    <testcase name=\"{code}\" classname=\"{file}\" file=\"{file}\" line=\"{line}\" column=\"{column}\">\n      <failure message=\"{msg}\" type=\"{severity}\">{file}:{line}:{column}: {msg}</failure>\n    </testcase>\n",
            code = escape(d.code),
            msg = escape(&message),
            severity = d.severity.as_str(),
        );
        match suites.last_mut() {
            Some((name, cases)) if *name == file => cases.push(case),
            _ => suites.push((file, vec![case])),
        }
    }
    let failures = input.diagnostics.len();
    writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    if suites.is_empty() {
        writeln!(
            out,
            "<testsuites name=\"workers-lsp\" tests=\"1\" failures=\"0\" errors=\"0\">"
        )?;
        writeln!(
            out,
            "  <testsuite name=\"workers-lsp\" tests=\"1\" failures=\"0\" errors=\"0\">"
        )?;
        writeln!(
            out,
            "    <testcase name=\"no findings\" classname=\"workers-lsp\"/>"
        )?;
        writeln!(out, "  </testsuite>")?;
        return writeln!(out, "</testsuites>");
    }
    writeln!(
        out,
        "<testsuites name=\"workers-lsp\" tests=\"{failures}\" failures=\"{failures}\" errors=\"0\">"
    )?;
    for (name, cases) in &suites {
        writeln!(
            out,
            "  <testsuite name=\"{name}\" tests=\"{n}\" failures=\"{n}\" errors=\"0\">",
            n = cases.len()
        )?;
        for case in cases {
            out.write_all(case.as_bytes())?;
        }
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_markup_and_drops_what_xml_cannot_hold() {
        assert_eq!(
            escape("a<b>&\"c\"'d'\n\u{1}\u{7}e"),
            "a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;&#10;e"
        );
    }
}
