//! Runs `check` on every fixture workspace under `test-workspaces/` and compares the findings
//! with the `expected.txt` beside it (`path:line code`, sorted).

use std::path::{Path, PathBuf};
use workers_lsp::base::{LineIndex, PositionEncoding};
use workers_lsp::cli::check::run_check;
use workers_lsp::project::relative;

fn workspaces_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../test-workspaces")
}

/// Every folder holding an `expected.txt`.
fn fixture_dirs() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![workspaces_root()];
    while let Some(dir) = stack.pop() {
        if dir.join("expected.txt").is_file() {
            out.push(dir);
            continue;
        }
        if let Ok(entries) = std::fs::read_dir(&dir) {
            for e in entries.flatten() {
                if e.file_type().is_ok_and(|t| t.is_dir()) {
                    stack.push(e.path());
                }
            }
        }
    }
    out.sort();
    out
}

/// `path:line code severity` for every finding, sorted and distinct.
pub fn findings(dir: &Path) -> Vec<String> {
    let run = match run_check(&[dir.to_path_buf()]) {
        Ok(run) => run,
        // A workspace without workers (`bad-input/config-is-folder`) has nothing to list; the
        // CLI tests check that `check` reports it as an error.
        Err(e)
            if e.starts_with(
                "no wrangler, Devflare, Alchemy or cloudflare.config.ts worker found",
            ) =>
        {
            return Vec::new()
        }
        Err(e) => panic!("check runs: {e}"),
    };
    let mut lines: Vec<String> = run
        .diagnostics
        .iter()
        .map(|d| {
            let text = run.text_of(&d.file).unwrap_or_default();
            let line = LineIndex::new(&text)
                .line_col(&text, d.range.start, PositionEncoding::Utf16)
                .line
                + 1;
            format!(
                "{}:{} {} {}",
                relative(&run.base, &d.file),
                line,
                d.code,
                d.severity.as_str()
            )
        })
        .collect();
    lines.sort();
    lines.dedup();
    lines
}

/// The findings in the form an `expected.txt` uses: its lines name a severity when the
/// workspace is about severities (`src/index.ts:3 unknown-binding info`), else only the code.
fn comparable(got: &[String], with_severity: bool) -> Vec<String> {
    let mut out: Vec<String> = got
        .iter()
        .map(|l| {
            if with_severity {
                l.clone()
            } else {
                l.rsplit_once(' ')
                    .map_or(l.as_str(), |(head, _)| head)
                    .to_string()
            }
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

fn expected(dir: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(dir.join("expected.txt")).unwrap();
    let mut lines: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect();
    lines.sort();
    lines
}

#[test]
fn every_fixture_workspace_matches_its_expected_findings() {
    let dirs = fixture_dirs();
    assert!(
        dirs.len() >= 60,
        "expected a fires/ok pair per rule, found {} workspaces",
        dirs.len()
    );
    let mut failures = Vec::new();
    for dir in &dirs {
        let want = expected(dir);
        let with_severity = want.iter().any(|l| l.split(' ').count() == 3);
        let got = comparable(&findings(dir), with_severity);
        if got != want {
            failures.push(format!(
                "{}:\n  expected:\n    {}\n  got:\n    {}",
                relative(&workspaces_root(), dir),
                want.join("\n    "),
                got.join("\n    ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} workspaces differ:\n{}",
        failures.len(),
        dirs.len(),
        failures.join("\n")
    );
}

/// A `fires` workspace must show its rule, an `ok` workspace must not: the expected files
/// themselves are checked so that no rule is tested vacuously.
#[test]
fn rule_fixtures_pair_up_with_their_rule() {
    let rules_dir = workspaces_root().join("rules");
    for rule in workers_lsp::analysis::rules::RULES {
        let fires = rules_dir.join(rule.code).join("fires");
        let ok = rules_dir.join(rule.code).join("ok");
        assert!(
            fires.join("expected.txt").is_file(),
            "no fires workspace for {}",
            rule.code
        );
        assert!(
            ok.join("expected.txt").is_file(),
            "no ok workspace for {}",
            rule.code
        );
        let suffix = format!(" {}", rule.code);
        assert!(
            expected(&fires).iter().any(|l| l.ends_with(&suffix)),
            "{}/fires/expected.txt does not list the rule",
            rule.code
        );
        assert!(
            !expected(&ok).iter().any(|l| l.ends_with(&suffix)),
            "{}/ok/expected.txt lists the rule",
            rule.code
        );
    }
}

/// The rule fixtures of a TypeScript front-end (`test-workspaces/<system>/<rule>/{fires,ok}`):
/// each names a rule of the catalogue, its `fires` lists the rule and its `ok` does not.
#[test]
fn system_rule_fixtures_pair_up_with_their_rule() {
    for (system, required) in [(
        "devflare",
        &[
            "unknown-service",
            "unknown-entrypoint",
            "unknown-do-class",
            "missing-do-migration",
            "unknown-rpc-method",
            "unknown-binding",
            "duplicate-queue-consumer",
            "environment-drift",
        ][..],
    )] {
        let dir = workspaces_root().join(system);
        let mut rules: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        rules.sort();
        for code in required {
            assert!(
                rules.iter().any(|r| r == code),
                "no {system}/{code} fixtures"
            );
        }
        for code in &rules {
            assert!(
                workers_lsp::analysis::rules::RULES
                    .iter()
                    .any(|r| r.code == code),
                "{system}/{code} is no rule"
            );
            let suffix = format!(" {code}");
            let (fires, ok) = (dir.join(code).join("fires"), dir.join(code).join("ok"));
            assert!(
                expected(&fires).iter().any(|l| l.ends_with(&suffix)),
                "{system}/{code}/fires/expected.txt does not list the rule"
            );
            assert!(
                !expected(&ok).iter().any(|l| l.ends_with(&suffix)),
                "{system}/{code}/ok/expected.txt lists the rule"
            );
        }
    }
}

/// Every reporter's output on the family with deliberate mistakes, snapshot-tested.
#[test]
fn reporters_on_the_saas_family() {
    use workers_lsp::cli::report::{render, Format, ReportInput};
    let dir = workspaces_root().join("families/saas");
    let run = run_check(&[dir]).expect("check runs");
    let text_of = |p: &Path| run.text_of(p);
    for (format, name) in [
        (Format::Human, "human"),
        (Format::Json, "json"),
        (Format::Sarif, "sarif"),
        (Format::Github, "github"),
        (Format::Gitlab, "gitlab"),
        (Format::Junit, "junit"),
    ] {
        let input = ReportInput {
            root: &run.base,
            workers: run.workers,
            diagnostics: &run.diagnostics,
            text_of: &text_of,
            color: false,
            quiet: false,
        };
        let mut out = Vec::new();
        render(format, &input, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let text = text.replace(env!("CARGO_PKG_VERSION"), "[version]");
        // SARIF names the folder its paths are relative to: this checkout's, wherever it is.
        let base_uri = format!("\"file://{}/\"", run.base.display());
        let text = text.replace(&base_uri, "\"file://[root]/\"");
        insta::assert_snapshot!(format!("saas_{name}"), text);
    }
}
