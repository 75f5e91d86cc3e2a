//! Suppression comments over real fixture workspaces.

use super::*;
use crate::analysis::{check, Workspace};
use crate::fixture::fixture;
use crate::project::DiskFs;
use std::sync::Arc;

/// `(root-relative path, 1-based line, code)` of every finding.
fn findings(text: &str) -> Vec<(String, u32, &'static str)> {
    let f = fixture(text);
    let ws = Arc::new(Workspace::load(f.root(), &DiskFs::new(f.root())));
    let (_, diags) = check(ws.clone());
    diags
        .iter()
        .map(|d| {
            let t = ws.text(&d.file).unwrap();
            let line = LineIndex::new(&t)
                .line_col(&t, d.range.start, PositionEncoding::Utf8)
                .line
                + 1;
            (crate::project::relative(f.root(), &d.file), line, d.code)
        })
        .collect()
}

fn f(path: &str, line: u32, code: &'static str) -> (String, u32, &'static str) {
    (path.to_string(), line, code)
}

const TOML_UNKNOWN_SERVICE: &str = r#"
//- /api/wrangler.toml
name = "api"
main = "index.ts"
services = [{ binding = "BILLING", service = "billing" }]
//- /api/index.ts
export default { fetch(r: Request, env: Env) { return env.BILLING.fetch(r); } };
"#;

#[test]
fn without_a_comment_the_finding_is_reported() {
    assert_eq!(
        findings(TOML_UNKNOWN_SERVICE),
        vec![f("api/wrangler.toml", 3, "unknown-service")]
    );
}

#[test]
fn a_comment_on_the_line_or_the_line_before_suppresses_it() {
    let same_line = TOML_UNKNOWN_SERVICE.replace(
        "service = \"billing\" }]",
        "service = \"billing\" }] # workers-lsp: ignore[unknown-service] elsewhere",
    );
    assert_eq!(findings(&same_line), vec![]);
    let line_before = TOML_UNKNOWN_SERVICE.replace(
        "services = [",
        "# workers-lsp: ignore[unknown-service] deployed by the billing team\nservices = [",
    );
    assert_eq!(findings(&line_before), vec![]);
}

#[test]
fn a_comment_two_lines_before_or_for_another_code_does_not_and_is_unused() {
    let two_before = TOML_UNKNOWN_SERVICE.replace(
        "services = [",
        "# workers-lsp: ignore[unknown-service]\n\nservices = [",
    );
    assert_eq!(
        findings(&two_before),
        vec![
            f("api/wrangler.toml", 3, "unused-suppression"),
            f("api/wrangler.toml", 5, "unknown-service"),
        ]
    );
    let other_code = TOML_UNKNOWN_SERVICE.replace(
        "services = [",
        "# workers-lsp: ignore[unknown-script]\nservices = [",
    );
    assert_eq!(
        findings(&other_code),
        vec![
            f("api/wrangler.toml", 3, "unused-suppression"),
            f("api/wrangler.toml", 4, "unknown-service"),
        ]
    );
}

#[test]
fn the_marker_inside_a_string_is_not_a_comment() {
    let in_string = TOML_UNKNOWN_SERVICE.replace(
        "name = \"api\"",
        "name = \"api\"\nvars = { NOTE = \"# workers-lsp: ignore[unknown-service]\" }",
    );
    let got = findings(&in_string);
    assert!(
        got.contains(&f("api/wrangler.toml", 4, "unknown-service")),
        "{got:?}"
    );
    assert!(!got.iter().any(|x| x.2 == UNUSED_SUPPRESSION), "{got:?}");
}

const JSONC_AND_TS: &str = r#"
//- /api/wrangler.jsonc
{
  "name": "api",
  "main": "src/index.ts",
  // workers-lsp: ignore[unused-binding] read by a script outside the worker
  "kv_namespaces": [{ "binding": "CACHE", "id": "x" }],
  "$schema": "// workers-lsp: ignore[unknown-binding]"
}
//- /api/src/index.ts
export default {
  fetch(r: Request, env: Env) {
    const url = "// workers-lsp: ignore[unknown-binding]";
    env.NOPE; /* workers-lsp: ignore[unknown-binding] */
    return env.MISSING.fetch(r);
  },
};
"#;

#[test]
fn a_comment_beside_code_covers_its_own_line_only() {
    // `env.NOPE` carries its own suppression; `env.MISSING` on the next line is reported.
    let got = findings(JSONC_AND_TS);
    assert_eq!(got, vec![f("api/src/index.ts", 5, "unknown-binding")]);
}

#[test]
fn jsonc_and_script_comments_found_by_syntax() {
    assert_eq!(
        findings(JSONC_AND_TS),
        vec![f("api/src/index.ts", 5, "unknown-binding")]
    );
}

#[test]
fn file_level_suppressions_with_and_without_codes() {
    let with_code = JSONC_AND_TS.replace(
        "export default {",
        "// workers-lsp: ignore-file[unknown-binding]\nexport default {",
    );
    // The line suppression is now redundant but still used; nothing else is left.
    assert_eq!(findings(&with_code), vec![]);
    let bare = JSONC_AND_TS.replace(
        "    return env.MISSING",
        "    // workers-lsp: ignore-file\n    return env.MISSING",
    );
    assert_eq!(findings(&bare), vec![]);
    let bare_unused = TOML_UNKNOWN_SERVICE.replace(
        "export default",
        "/* workers-lsp: ignore-file */\nexport default",
    );
    assert_eq!(
        findings(&bare_unused),
        vec![
            f("api/index.ts", 1, "unused-suppression"),
            f("api/wrangler.toml", 3, "unknown-service"),
        ]
    );
}

#[test]
fn several_codes_unknown_codes_and_malformed_directives() {
    let text = TOML_UNKNOWN_SERVICE.replace(
        "services = [",
        "# workers-lsp: ignore[unknown-script, unknown-service, no-such-rule]\nservices = [",
    );
    let f_ = fixture(&text);
    let ws = Arc::new(Workspace::load(f_.root(), &DiskFs::new(f_.root())));
    let (_, diags) = check(ws);
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0].code, UNUSED_SUPPRESSION);
    assert_eq!(
        diags[0].message,
        "unused suppression: no `unknown-script` finding on the next line; `no-such-rule` names no rule"
    );
    for bad in [
        "# workers-lsp: ignroe[unknown-service]",
        "# workers-lsp: ignore[unknown-service",
        "# workers-lsp: ignore[Unknown Service]",
        "# workers-lsp: ignored",
    ] {
        let text = TOML_UNKNOWN_SERVICE.replace("services = [", &format!("{bad}\nservices = ["));
        assert_eq!(
            findings(&text),
            vec![
                f("api/wrangler.toml", 3, "unused-suppression"),
                f("api/wrangler.toml", 4, "unknown-service"),
            ],
            "{bad}"
        );
    }
    // Prose that mentions the marker later in the comment is not a directive.
    let prose = TOML_UNKNOWN_SERVICE.replace(
        "services = [",
        "# see workers-lsp: ignore[unknown-service]\nservices = [",
    );
    assert_eq!(
        findings(&prose),
        vec![f("api/wrangler.toml", 4, "unknown-service")]
    );
}

#[test]
fn codes_of_rules_that_are_off_are_not_judged() {
    let text = format!(
        "{}\n//- /workers-lsp.toml\n[rules]\nunknown-script = \"off\"\n",
        TOML_UNKNOWN_SERVICE.replace(
            "services = [",
            "# workers-lsp: ignore[unknown-script, unknown-service]\nservices = [",
        )
    );
    assert_eq!(findings(&text), vec![]);
    // And the unused-suppression rule itself can be turned off.
    let text = format!(
        "{}\n//- /workers-lsp.toml\n[rules]\nunused-suppression = \"off\"\n",
        TOML_UNKNOWN_SERVICE.replace(
            "services = [",
            "# workers-lsp: ignore[unknown-script]\nservices = [",
        )
    );
    assert_eq!(
        findings(&text),
        vec![f("api/wrangler.toml", 4, "unknown-service")]
    );
}

fn removal_of(text: &str, syntax: Syntax, found: &[&str]) -> String {
    // Mark `found` codes as used by hand: build the state the way `apply` does.
    let directives = directives(text, syntax);
    assert_eq!(directives.len(), 1, "{directives:?}");
    let d = &directives[0];
    let used_codes: Vec<bool> = d
        .codes
        .iter()
        .flatten()
        .map(|(c, _)| found.contains(&c.as_str()))
        .collect();
    let state = FileState {
        text: Arc::from(text),
        index: LineIndex::new(text),
        used: vec![used_codes.iter().any(|u| *u)],
        used_codes: vec![used_codes],
        directives: directives.clone(),
        by_line: HashMap::new(),
        file_wide: Vec::new(),
    };
    let ws = Workspace::new(Path::new("/w"));
    let edits = unused(&ws, &state, 0).unwrap().edits.unwrap();
    crate::analysis::ide::apply_edits(text, &edits)
}

#[test]
fn removal_edits_keep_the_rest_of_the_file() {
    let toml = "a = 1\n# workers-lsp: ignore[unknown-service] why\nb = 2\n";
    assert_eq!(removal_of(toml, Syntax::Toml, &[]), "a = 1\nb = 2\n");
    let crlf = "a = 1\r\n  # workers-lsp: ignore[unknown-service]\r\nb = 2\r\n";
    assert_eq!(removal_of(crlf, Syntax::Toml, &[]), "a = 1\r\nb = 2\r\n");
    let trailing = "b = 2 # workers-lsp: ignore[unknown-service]\nc = 3\n";
    assert_eq!(removal_of(trailing, Syntax::Toml, &[]), "b = 2\nc = 3\n");
    let partial = "b = 2 # workers-lsp: ignore[unknown-script, unknown-service] why\n";
    assert_eq!(
        removal_of(partial, Syntax::Toml, &["unknown-service"]),
        "b = 2 # workers-lsp: ignore[unknown-service] why\n"
    );
    let ts = Syntax::Script(SourceLang::TypeScript);
    let between = "f(a,/* workers-lsp: ignore[unknown-binding] */b);\n";
    assert_eq!(removal_of(between, ts, &[]), "f(a, b);\n");
    let leading = "/* workers-lsp: ignore[unknown-binding] */ env.X;\n";
    assert_eq!(removal_of(leading, ts, &[]), "env.X;\n");
    let last_line = "x;\n// workers-lsp: ignore[unknown-binding]";
    assert_eq!(removal_of(last_line, ts, &[]), "x;\n");
}

#[test]
fn block_comments_cover_all_their_lines_and_the_next() {
    let text = JSONC_AND_TS.replace(
        "    return env.MISSING",
        "    /*\n     * workers-lsp: ignore[unknown-binding]\n     */\n    return env.MISSING",
    );
    assert_eq!(findings(&text), vec![]);
}
