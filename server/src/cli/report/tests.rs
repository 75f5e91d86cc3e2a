//! Reporter tests over a hand-built report: three files held in memory (one with CRLF line
//! ends and an emoji before a span, to pin UTF-16 columns) and one whose text is unavailable.

use super::{render, Format, ReportInput};
use crate::analysis::diagnostics::{Diagnostic, Related, Severity};
use crate::base::TextRange;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

const API_TOML: &str = r#"name = "api"
main = "src/index.ts"

[[services]]
binding = "TASKS"
service = "tasks"
entrypoint = "TaskServce"

[[env.staging.services]]
binding = "TASKS"
service = "tasks"
"#;

const TASKS_TS: &str = concat!(
    "// tasks worker\r\n",
    "import { WorkerEntrypoint } from \"cloudflare:workers\";\r\n",
    "\r\n",
    "export class TaskService extends WorkerEntrypoint<Env> {\r\n",
    "  async run() {\r\n",
    "    const tag = \"🚀\"; await this.env.CACHE_KVV.put(tag, \"1\");\r\n",
    "  }\r\n",
    "}\r\n",
);

const TASKS_JSONC: &str = r#"{
  "name": "tasks",
  "main": "src/index.ts",
  // Nobody reads this one.
  "kv_namespaces": [{
    "binding": "OLD_KV",
    "id": "abc"
  }]
}
"#;

fn root() -> PathBuf {
    PathBuf::from("/ws")
}

fn file(rel: &str) -> PathBuf {
    root().join(rel)
}

/// The range of the `nth` (0-based) occurrence of `needle` in `text`.
fn find(text: &str, needle: &str, nth: usize) -> TextRange {
    let start = text
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("{needle:?} #{nth} not in text"))
        .0;
    TextRange::from_usize(start, start + needle.len())
}

fn texts() -> HashMap<PathBuf, Arc<str>> {
    HashMap::from([
        (file("api/wrangler.toml"), Arc::from(API_TOML)),
        (file("tasks/src/index.ts"), Arc::from(TASKS_TS)),
        (file("tasks/wrangler.jsonc"), Arc::from(TASKS_JSONC)),
    ])
}

fn diagnostics() -> Vec<Diagnostic> {
    let obj_start = TASKS_JSONC.find("{\n    \"binding\"").unwrap();
    let obj_end = TASKS_JSONC.find("}]").unwrap() + 1;
    vec![
        Diagnostic {
            code: "unknown-entrypoint",
            severity: Severity::Error,
            file: file("api/wrangler.toml"),
            range: find(API_TOML, "TaskServce", 0),
            message: "worker `tasks` exports no entrypoint `TaskServce`".into(),
            related: vec![Related {
                file: file("tasks/src/index.ts"),
                range: find(TASKS_TS, "TaskService", 0),
                message: "`TaskService` is exported here".into(),
            }],
            suggestions: vec!["TaskService".into()],
        },
        Diagnostic {
            code: "environment-drift",
            severity: Severity::Warning,
            file: file("api/wrangler.toml"),
            range: find(API_TOML, "tasks", 1),
            message: "in environment `staging`, `tasks` is the production worker".into(),
            related: vec![Related {
                file: file("tasks/wrangler.toml"),
                range: TextRange::new(40, 52),
                message: "`tasks` defines environment `staging` here".into(),
            }],
            suggestions: vec!["tasks-staging".into()],
        },
        Diagnostic {
            code: "unknown-binding",
            severity: Severity::Warning,
            file: file("tasks/src/index.ts"),
            range: find(TASKS_TS, "CACHE_KVV", 0),
            message: "worker `tasks` declares no binding `CACHE_KVV`".into(),
            related: vec![],
            suggestions: vec!["CACHE_KV".into(), "CACHE_KV2".into(), "CACHE".into()],
        },
        Diagnostic {
            code: "unused-binding",
            severity: Severity::Hint,
            file: file("tasks/wrangler.jsonc"),
            range: TextRange::from_usize(obj_start, obj_end),
            message: "no source of worker `tasks` reads `OLD_KV`".into(),
            related: vec![],
            suggestions: vec![],
        },
        Diagnostic {
            code: "unreadable-file",
            severity: Severity::Info,
            file: file("web/dist, old/huge:1.js"),
            range: TextRange::empty(0),
            message: "skipped: 100% over the 2 MB limit\nnot analysed".into(),
            related: vec![],
            suggestions: vec![],
        },
    ]
}

fn render_to_string(format: Format, diagnostics: &[Diagnostic], color: bool) -> String {
    let texts = texts();
    let text_of = |p: &Path| texts.get(p).cloned();
    let root = root();
    let input = ReportInput {
        root: &root,
        workers: 3,
        diagnostics,
        text_of: &text_of,
        color,
        quiet: false,
    };
    let mut out = Vec::new();
    render(format, &input, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn json_has_the_documented_shape() {
    let got = render_to_string(Format::Json, &diagnostics(), false);
    let expected = r#"{
  "version": 1,
  "workers": 3,
  "diagnostics": [
    {
      "code": "unknown-entrypoint",
      "severity": "error",
      "file": "api/wrangler.toml",
      "line": 7,
      "column": 15,
      "end_line": 7,
      "end_column": 25,
      "message": "worker `tasks` exports no entrypoint `TaskServce`",
      "related": [
        {
          "file": "tasks/src/index.ts",
          "line": 4,
          "column": 14,
          "message": "`TaskService` is exported here"
        }
      ],
      "suggestions": [
        "TaskService"
      ]
    },
    {
      "code": "environment-drift",
      "severity": "warning",
      "file": "api/wrangler.toml",
      "line": 11,
      "column": 12,
      "end_line": 11,
      "end_column": 17,
      "message": "in environment `staging`, `tasks` is the production worker",
      "related": [
        {
          "file": "tasks/wrangler.toml",
          "line": 1,
          "column": 1,
          "message": "`tasks` defines environment `staging` here"
        }
      ],
      "suggestions": [
        "tasks-staging"
      ]
    },
    {
      "code": "unknown-binding",
      "severity": "warning",
      "file": "tasks/src/index.ts",
      "line": 6,
      "column": 38,
      "end_line": 6,
      "end_column": 47,
      "message": "worker `tasks` declares no binding `CACHE_KVV`",
      "related": [],
      "suggestions": [
        "CACHE_KV",
        "CACHE_KV2",
        "CACHE"
      ]
    },
    {
      "code": "unused-binding",
      "severity": "hint",
      "file": "tasks/wrangler.jsonc",
      "line": 5,
      "column": 21,
      "end_line": 8,
      "end_column": 4,
      "message": "no source of worker `tasks` reads `OLD_KV`",
      "related": [],
      "suggestions": []
    },
    {
      "code": "unreadable-file",
      "severity": "info",
      "file": "web/dist, old/huge:1.js",
      "line": 1,
      "column": 1,
      "end_line": 1,
      "end_column": 1,
      "message": "skipped: 100% over the 2 MB limit\nnot analysed",
      "related": [],
      "suggestions": []
    }
  ]
}
"#;
    pretty_assertions::assert_eq!(got, expected);
}

#[test]
fn json_without_findings() {
    let got = render_to_string(Format::Json, &[], false);
    assert_eq!(
        got,
        "{\n  \"version\": 1,\n  \"workers\": 3,\n  \"diagnostics\": []\n}\n"
    );
}

#[test]
fn columns_are_utf16_and_ignore_crlf() {
    // `    const tag = "🚀"; await this.env.` is 37 UTF-16 units (the emoji counts two) but
    // 36 characters and 39 bytes.
    let line = "    const tag = \"🚀\"; await this.env.";
    assert_eq!(
        (line.encode_utf16().count(), line.chars().count()),
        (37, 36)
    );
    assert_eq!(line.len(), 39);
    let got: serde_json::Value =
        serde_json::from_str(&render_to_string(Format::Json, &diagnostics(), false)).unwrap();
    let d = &got["diagnostics"][2];
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(6), Some(38))
    );
}

#[test]
fn human_report() {
    insta::assert_snapshot!(render_to_string(Format::Human, &diagnostics(), false));
}

#[test]
fn human_report_without_findings() {
    assert_eq!(
        render_to_string(Format::Human, &[], false),
        "No findings in 3 workers.\n"
    );
}

#[test]
fn human_report_colours_only_when_asked() {
    let plain = render_to_string(Format::Human, &diagnostics(), false);
    let coloured = render_to_string(Format::Human, &diagnostics(), true);
    assert!(!plain.contains('\x1b'));
    assert!(coloured.contains("\x1b["));
    // The UTF-16 column fix-up also finds the location between colour codes.
    assert!(coloured.contains("tasks/src/index.ts:6:38"), "{coloured}");
}

#[test]
fn sarif_report() {
    let out = render_to_string(Format::Sarif, &diagnostics(), false);
    let value: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(value["version"], "2.1.0");
    let driver = &value["runs"][0]["tool"]["driver"];
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    // Snapshot the text as written (field order included), the version masked so a release
    // does not churn it.
    let version = format!("\"{}\"", env!("CARGO_PKG_VERSION"));
    insta::assert_snapshot!(out.replace(&version, "\"[version]\""));
}

#[test]
fn sarif_rule_indexes_point_at_their_rules() {
    let out = render_to_string(Format::Sarif, &diagnostics(), false);
    let value: serde_json::Value = serde_json::from_str(&out).unwrap();
    let run = &value["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), crate::analysis::rules::RULES.len());
    for result in run["results"].as_array().unwrap() {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
    }
}

#[test]
fn github_report() {
    insta::assert_snapshot!(render_to_string(Format::Github, &diagnostics(), false));
}

#[test]
fn github_commands_are_one_line_each() {
    let out = render_to_string(Format::Github, &diagnostics(), false);
    assert_eq!(out.lines().count(), diagnostics().len());
    assert!(out.lines().all(|l| l.starts_with("::")));
}

#[test]
fn human_snippets_of_crlf_files_carry_no_carriage_returns() {
    let start = TASKS_TS.find("async").unwrap();
    let end = TASKS_TS.rfind('}').unwrap() + 1;
    let diagnostic = Diagnostic {
        code: "not-a-durable-object",
        severity: Severity::Warning,
        file: file("tasks/src/index.ts"),
        range: TextRange::from_usize(start, end),
        message: "spans lines".into(),
        related: vec![],
        suggestions: vec![],
    };
    let out = render_to_string(Format::Human, &[diagnostic], false);
    assert!(!out.contains('\r'), "{out:?}");
    assert!(out.contains(" --> tasks/src/index.ts:5:3\n"), "{out}");
    assert!(out.contains("8 | | }\n"), "{out}");
}

#[test]
fn locations_are_relative_with_forward_slashes() {
    use super::locate::relative_path;
    let root = Path::new("/ws");
    assert_eq!(relative_path(root, Path::new("/ws/a/b.toml")), "a/b.toml");
    assert_eq!(relative_path(root, Path::new("/ws")), ".");
    assert_eq!(
        relative_path(root, Path::new("/elsewhere/c.ts")),
        "/elsewhere/c.ts"
    );
    let cwd = std::env::current_dir().unwrap();
    assert_eq!(
        relative_path(Path::new("."), &cwd.join("api").join("wrangler.toml")),
        "api/wrangler.toml"
    );
}

#[test]
fn did_you_mean_lists_candidates() {
    use super::locate::did_you_mean;
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(did_you_mean(&[]), None);
    assert_eq!(did_you_mean(&s(&["A"])).unwrap(), "did you mean `A`?");
    assert_eq!(
        did_you_mean(&s(&["A", "B"])).unwrap(),
        "did you mean `A` or `B`?"
    );
    assert_eq!(
        did_you_mean(&s(&["A", "B", "C"])).unwrap(),
        "did you mean `A`, `B` or `C`?"
    );
}

#[test]
fn out_of_range_offsets_do_not_panic() {
    let diagnostic = Diagnostic {
        code: "missing-main",
        severity: Severity::Error,
        file: file("api/wrangler.toml"),
        range: TextRange::new(10_000, 10_005),
        message: "past the end".into(),
        related: vec![],
        suggestions: vec![],
    };
    for format in ALL_FORMATS {
        render_to_string(format, std::slice::from_ref(&diagnostic), false);
    }
    // Inside a multi-byte character.
    let inside_emoji = TASKS_TS.find('🚀').unwrap() + 1;
    let diagnostic = Diagnostic {
        file: file("tasks/src/index.ts"),
        range: TextRange::from_usize(inside_emoji, inside_emoji + 2),
        ..diagnostic
    };
    for format in ALL_FORMATS {
        render_to_string(format, std::slice::from_ref(&diagnostic), false);
    }
}

const ALL_FORMATS: [Format; 6] = [
    Format::Human,
    Format::Json,
    Format::Sarif,
    Format::Github,
    Format::Gitlab,
    Format::Junit,
];

#[test]
fn gitlab_report() {
    let out = render_to_string(Format::Gitlab, &diagnostics(), false);
    let value: serde_json::Value = serde_json::from_str(&out).unwrap();
    let issues = value.as_array().unwrap();
    assert_eq!(issues.len(), diagnostics().len());
    insta::assert_snapshot!(out);
}

#[test]
fn gitlab_fingerprints_are_unique_and_ignore_line_numbers() {
    let mut twice = diagnostics();
    twice.push(twice[2].clone());
    let out = render_to_string(Format::Gitlab, &twice, false);
    let value: serde_json::Value = serde_json::from_str(&out).unwrap();
    let prints: Vec<&str> = value
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    let mut unique = prints.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), prints.len(), "{prints:?}");
    // The same finding moved to another line keeps its fingerprint.
    let mut moved = diagnostics();
    moved[2].range = TextRange::new(0, 2);
    let out = render_to_string(Format::Gitlab, &moved, false);
    let moved: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(moved[2]["fingerprint"], prints[2]);
    assert_ne!(moved[2]["location"]["positions"]["begin"]["line"], 6);
}

#[test]
fn junit_report() {
    insta::assert_snapshot!(render_to_string(Format::Junit, &diagnostics(), false));
}

#[test]
fn junit_without_findings_is_one_passing_case() {
    let out = render_to_string(Format::Junit, &[], false);
    assert!(out.contains("tests=\"1\" failures=\"0\""), "{out}");
    assert!(out.contains("<testcase name=\"no findings\""), "{out}");
}

#[test]
fn sarif_declares_its_base_and_gives_outside_files_absolute_uris() {
    let mut diags = diagnostics();
    diags[0].file = PathBuf::from("/elsewhere/my app.toml");
    let out = render_to_string(Format::Sarif, &diags, false);
    let value: serde_json::Value = serde_json::from_str(&out).unwrap();
    let run = &value["runs"][0];
    assert_eq!(run["originalUriBaseIds"]["%SRCROOT%"]["uri"], "file:///ws/");
    let outside = &run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(outside["uri"], "file:///elsewhere/my%20app.toml");
    assert!(outside.get("uriBaseId").is_none(), "{outside}");
    let inside = &run["results"][1]["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(inside["uri"], "api/wrangler.toml");
    assert_eq!(inside["uriBaseId"], "%SRCROOT%");
}

fn statistics_to_string(format: Format, quiet: bool) -> String {
    let texts = texts();
    let text_of = |p: &Path| texts.get(p).cloned();
    let root = root();
    let mut diags = diagnostics();
    diags.push(diags[2].clone());
    let input = ReportInput {
        root: &root,
        workers: 3,
        diagnostics: &diags,
        text_of: &text_of,
        color: false,
        quiet,
    };
    let mut out = Vec::new();
    super::statistics(format, &input, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn statistics_count_findings_per_rule_most_first() {
    assert_eq!(
        statistics_to_string(Format::Human, false),
        "2  warning  unknown-binding\n\
         1  warning  environment-drift\n\
         1  error    unknown-entrypoint\n\
         1  info     unreadable-file\n\
         1  hint     unused-binding\n\
         6 findings in 3 workers.\n"
    );
    assert!(!statistics_to_string(Format::Human, true).contains("findings in"));
    let json: serde_json::Value =
        serde_json::from_str(&statistics_to_string(Format::Json, false)).unwrap();
    assert_eq!(
        json[0],
        serde_json::json!({"code": "unknown-binding", "severity": "warning", "count": 2})
    );
}

#[test]
fn quiet_human_report_has_no_summary() {
    let texts = texts();
    let text_of = |p: &Path| texts.get(p).cloned();
    let root = root();
    let diags = diagnostics();
    let input = ReportInput {
        root: &root,
        workers: 3,
        diagnostics: &diags,
        text_of: &text_of,
        color: false,
        quiet: true,
    };
    let mut out = Vec::new();
    render(Format::Human, &input, &mut out).unwrap();
    let out = String::from_utf8(out).unwrap();
    assert!(out.contains("error[unknown-entrypoint]"), "{out}");
    assert!(!out.contains("Found "), "{out}");
}

#[test]
fn a_finding_deep_in_a_long_line_renders_a_window_of_it() {
    // One 1 MB line (a minified config) with a finding in the middle: the snippet shows the
    // text around the span, not the whole line, and the column is still exact.
    let mut line = String::from("{\"a\":\"é\",");
    while line.len() < 500_000 {
        line.push_str("\"k\":1,");
    }
    let at = line.len();
    line.push_str("\"TARGET\":2,");
    while line.len() < 1_000_000 {
        line.push_str("\"k\":1,");
    }
    line.push('}');
    let path = file("big/wrangler.jsonc");
    let text: Arc<str> = Arc::from(line.as_str());
    let text_of = |p: &Path| (p == path).then(|| text.clone());
    let diagnostic = Diagnostic {
        code: "unknown-binding",
        severity: Severity::Warning,
        file: path.clone(),
        range: TextRange::from_usize(at, at + 8),
        message: "deep".into(),
        related: vec![],
        suggestions: vec![],
    };
    let root = root();
    let input = ReportInput {
        root: &root,
        workers: 1,
        diagnostics: std::slice::from_ref(&diagnostic),
        text_of: &text_of,
        color: false,
        quiet: true,
    };
    let mut out = Vec::new();
    render(Format::Human, &input, &mut out).unwrap();
    let out = String::from_utf8(out).unwrap();
    // `é` is 2 bytes but 1 UTF-16 unit.
    assert!(
        out.contains(&format!("big/wrangler.jsonc:1:{}", at)),
        "{}",
        &out[..out.len().min(400)]
    );
    assert!(out.contains("\"TARGET\""), "{out}");
    assert!(out.len() < 2_000, "{} bytes", out.len());
}
