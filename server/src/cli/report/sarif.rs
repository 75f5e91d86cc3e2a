//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning accepts it: one run, the full rule
//! catalogue as `tool.driver.rules`, one result per finding with its location relative to
//! `%SRCROOT%` and its related locations. `%SRCROOT%` is the folder `check` ran in, declared
//! in `originalUriBaseIds`; a file outside it gets an absolute `file:` URI.
//!
//! Regions are 1-based with exclusive end columns counted in UTF-16 code units, which the run
//! declares with `columnKind` (see `locate.rs`). When a file's text is unavailable the result
//! points at its first line, since GitHub requires `startLine`.

use super::locate::{message_with_suggestions, Region, Sources};
use super::ReportInput;
use crate::analysis::diagnostics::Severity;
use crate::analysis::rules::RULES;
use serde::Serialize;
use std::io::{self, Write};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const SARIF_VERSION: &str = "2.1.0";
const TOOL_NAME: &str = "workers-lsp";
/// The package's `repository` (or else `homepage`) field; omitted while neither is set.
fn information_uri() -> &'static str {
    [env!("CARGO_PKG_REPOSITORY"), env!("CARGO_PKG_HOMEPAGE")]
        .into_iter()
        .find(|uri| !uri.is_empty())
        .unwrap_or_default()
}
const SRCROOT: &str = "%SRCROOT%";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    /// Where `%SRCROOT%` is: the folder `check` ran in, so viewers and GitHub resolve paths.
    original_uri_base_ids: BaseIds,
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct BaseIds {
    #[serde(rename = "%SRCROOT%")]
    srcroot: BaseUri,
}

#[derive(Serialize)]
struct BaseUri {
    uri: String,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    #[serde(skip_serializing_if = "str::is_empty")]
    information_uri: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: String,
    short_description: Text,
    full_description: Text,
    help: Text,
    help_uri: String,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: [Location; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<RelatedLocation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<ResultProperties<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RelatedLocation {
    id: usize,
    physical_location: PhysicalLocation,
    message: Text,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: SarifRegion,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    /// Absent for a file outside `%SRCROOT%`, whose `uri` is then an absolute `file:` URI.
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifRegion {
    start_line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<u32>,
}

#[derive(Serialize)]
struct ResultProperties<'a> {
    /// "Did you mean" candidates, also named in the message text.
    suggestions: &'a [String],
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
    }
}

fn physical_location(file: &str, region: Option<Region>) -> PhysicalLocation {
    PhysicalLocation {
        artifact_location: if file.starts_with('/') {
            ArtifactLocation {
                uri: format!("file://{}", encode_uri_path(file)),
                uri_base_id: None,
            }
        } else {
            ArtifactLocation {
                uri: encode_uri_path(file),
                uri_base_id: Some(SRCROOT),
            }
        },
        region: match region {
            Some(r) => SarifRegion {
                start_line: r.start.line,
                start_column: Some(r.start.column),
                end_line: Some(r.end.line),
                end_column: Some(r.end.column),
            },
            None => SarifRegion {
                start_line: 1,
                start_column: None,
                end_line: None,
                end_column: None,
            },
        },
    }
}

pub fn render(input: &ReportInput<'_>, out: &mut dyn Write) -> io::Result<()> {
    let mut rules: Vec<Rule> = RULES
        .iter()
        .map(|r| rule(r.code, r.summary, r.default_severity))
        .collect();
    let mut sources = Sources::new(input);
    let mut results = Vec::with_capacity(input.diagnostics.len());
    for diagnostic in input.diagnostics {
        let rule_index = match rules.iter().position(|r| r.id == diagnostic.code) {
            Some(i) => i,
            None => {
                // Not in the catalogue (should not happen): describe it so `ruleIndex` stays
                // valid.
                rules.push(rule(diagnostic.code, diagnostic.code, diagnostic.severity));
                rules.len() - 1
            }
        };
        let located = sources.locate(diagnostic);
        results.push(SarifResult {
            rule_id: diagnostic.code,
            rule_index,
            level: level(diagnostic.severity),
            message: Text {
                text: message_with_suggestions(diagnostic),
            },
            locations: [Location {
                physical_location: physical_location(&located.file, located.region),
            }],
            related_locations: located
                .related
                .iter()
                .enumerate()
                .map(|(id, r)| RelatedLocation {
                    id,
                    physical_location: physical_location(&r.file, r.region),
                    message: Text {
                        text: r.related.message.clone(),
                    },
                })
                .collect(),
            properties: (!diagnostic.suggestions.is_empty()).then_some(ResultProperties {
                suggestions: &diagnostic.suggestions,
            }),
        });
    }
    let log = Log {
        schema: SCHEMA,
        version: SARIF_VERSION,
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: TOOL_NAME,
                    information_uri: information_uri(),
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    rules,
                },
            },
            original_uri_base_ids: BaseIds {
                srcroot: BaseUri {
                    uri: directory_uri(input.root),
                },
            },
            column_kind: "utf16CodeUnits",
            results,
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

fn rule(code: &str, summary: &str, severity: Severity) -> Rule {
    Rule {
        id: code.to_string(),
        short_description: Text {
            text: first_sentence(summary).to_string(),
        },
        full_description: Text {
            text: summary.to_string(),
        },
        help: Text {
            text: crate::analysis::rules::rule(code)
                .map(crate::analysis::rules::render_doc)
                .unwrap_or_else(|| summary.to_string()),
        },
        help_uri: crate::analysis::rules::docs_url(code),
        default_configuration: Configuration {
            level: level(severity),
        },
    }
}

/// The first sentence of a summary: GitHub shows `shortDescription` as the alert's title.
fn first_sentence(summary: &str) -> &str {
    match summary.find(". ") {
        Some(i) => &summary[..=i],
        None => summary,
    }
}

/// The `file:` URI of a folder, ending in `/` as SARIF requires of a base URI.
fn directory_uri(dir: &std::path::Path) -> String {
    let abs = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    let path = super::locate::relative_path(std::path::Path::new(""), &abs);
    let mut uri = format!("file://{}", encode_uri_path(&path));
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

/// Percent-encodes a relative `/`-separated path for a URI reference: everything but RFC 3986
/// unreserved characters and `/`.
fn encode_uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_paths_are_percent_encoded() {
        assert_eq!(encode_uri_path("api/wrangler.toml"), "api/wrangler.toml");
        assert_eq!(encode_uri_path("my app/#1/ü.ts"), "my%20app/%231/%C3%BC.ts");
    }

    #[test]
    fn every_rule_has_a_short_description() {
        for r in RULES {
            let short = first_sentence(r.summary);
            assert!(
                !short.is_empty() && short.len() <= r.summary.len(),
                "{}",
                r.code
            );
        }
    }
}
