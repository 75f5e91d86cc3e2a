//! The `workers-lsp check` command line, run as a process: exit codes, flags, formats.

use std::path::PathBuf;
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_workers-lsp"))
}

fn families() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../test-workspaces/families")
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("runs")
}

#[test]
fn clean_family_exits_zero_and_says_so() {
    let out = run(&[
        "check",
        families().join("shop").to_str().unwrap(),
        "--color",
        "never",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("No findings in 7 workers."), "{stdout}");
}

#[test]
fn errors_exit_one() {
    let out = run(&["check", families().join("saas").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn deny_warnings_turns_warnings_into_failures() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../test-workspaces/rules/unknown-service/fires");
    let dir = dir.to_str().unwrap();
    assert_eq!(run(&["check", dir]).status.code(), Some(0));
    assert_eq!(
        run(&["check", dir, "--deny", "warnings"]).status.code(),
        Some(1)
    );
}

#[test]
fn unreadable_root_and_bad_usage_exit_two() {
    assert_eq!(
        run(&["check", "/definitely/not/here"]).status.code(),
        Some(2)
    );
    assert_eq!(run(&["check", "--format", "xml"]).status.code(), Some(2));
    assert_eq!(
        run(&["check", "--explain", "no-such-rule"]).status.code(),
        Some(2)
    );
}

#[test]
fn explain_prints_the_rule() {
    let out = run(&["check", "--explain", "missing-do-migration"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("# missing-do-migration\n\nDefault severity: **error**."),
        "{text}"
    );
    for section in [
        "## What it checks",
        "## Why it matters",
        "Wrong:",
        "Right:",
        "## How to fix",
    ] {
        assert!(text.contains(section), "{section}: {text}");
    }
    // The same page as docs/rules/<code>.md.
    let page = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/rules/missing-do-migration.md"),
    )
    .unwrap();
    assert_eq!(text, page);
}

#[test]
fn json_format_is_parseable_with_relative_paths() {
    let out = run(&[
        "check",
        families().join("saas").to_str().unwrap(),
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid json");
    assert_eq!(v["version"], 1);
    assert_eq!(v["workers"], 6);
    let diags = v["diagnostics"].as_array().unwrap();
    assert!(!diags.is_empty());
    for d in diags {
        let file = d["file"].as_str().unwrap();
        assert!(!file.starts_with('/') && !file.contains('\\'), "{file}");
        assert!(d["line"].as_u64().unwrap() >= 1 && d["column"].as_u64().unwrap() >= 1);
    }
}

#[test]
fn default_path_is_the_current_folder() {
    let out = bin()
        .args(["check", "--format", "json"])
        .current_dir(families().join("saas"))
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["workers"], 6);
}

#[test]
fn graph_draws_the_family_with_broken_edges() {
    let saas = families().join("saas");
    let out = run(&["graph", saas.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let mermaid = String::from_utf8(out.stdout).unwrap();
    insta::assert_snapshot!("graph_saas_mermaid", mermaid);
    let out = run(&[
        "graph",
        saas.to_str().unwrap(),
        "--env",
        "staging",
        "--format",
        "dot",
    ]);
    let dot = String::from_utf8(out.stdout).unwrap();
    // Staging's gateway calls production auth: drawn broken.
    assert!(
        dot.contains(
            "n_gateway_staging -> n_auth [label=\"AUTH (AuthService)\", style=dashed, color=red"
        ),
        "{dot}"
    );
    insta::assert_snapshot!("graph_saas_staging_dot", dot);
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

#[test]
fn fix_applies_only_safe_fixes_and_unsafe_ones_with_unsafe_fixes() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("saas");
    copy_dir(&families().join("saas"), &root);
    let before = std::fs::read_to_string(root.join("gateway/wrangler.toml")).unwrap();
    // The saas family's fixes are guessed names and rewiring: `--fix` alone leaves them.
    let out = run(&["check", root.to_str().unwrap(), "--fix", "--format", "json"]);
    assert_eq!(
        std::fs::read_to_string(root.join("gateway/wrangler.toml")).unwrap(),
        before
    );
    assert_eq!(out.status.code(), Some(1));
    // The notes name files relative to the current folder, like the report.
    let out = bin()
        .args([
            "check",
            "saas",
            "--fix",
            "--unsafe-fixes",
            "--format",
            "json",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("fixed saas/gateway/wrangler.toml"),
        "{stderr}"
    );
    let after = std::fs::read_to_string(root.join("gateway/wrangler.toml")).unwrap();
    assert_eq!(
        after,
        before
            .replace("entrypoint = \"TaskServce\"", "entrypoint = \"TaskService\"")
            .replace("binding = \"AUTH\"\nservice = \"auth\"\nentrypoint = \"AuthService\"\n\n[[env.staging.services]]", "binding = \"AUTH\"\nservice = \"auth-staging\"\nentrypoint = \"AuthService\"\n\n[[env.staging.services]]")
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    // The copied staging var too (notifier), and the Reminder migration (tasks).
    assert_eq!(codes, vec!["unknown-rpc-method"]);
    assert!(
        stderr.contains("fixed saas/notifier/wrangler.jsonc"),
        "{stderr}"
    );
    assert!(
        stderr.contains("fixed saas/tasks/wrangler.toml"),
        "{stderr}"
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn diff_prints_the_fixes_writes_nothing_and_exits_1_only_with_changes() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("w");
    std::fs::create_dir_all(&root).unwrap();
    let config = "name = \"api\"\nmain = \"index.ts\"\nservices = [{ binding = \"A\", service = \"api\", entrypoint = \"default\" }]\n";
    std::fs::write(root.join("wrangler.toml"), config).unwrap();
    std::fs::write(
        root.join("index.ts"),
        "export default { fetch(r, env) { return env.A.fetch(r); } };\n",
    )
    .unwrap();
    let out = run(&["check", root.to_str().unwrap(), "--diff"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "--- a/wrangler.toml\n+++ b/wrangler.toml\n@@ -1,3 +1,3 @@\n name = \"api\"\n main = \"index.ts\"\n-services = [{ binding = \"A\", service = \"api\", entrypoint = \"default\" }]\n+services = [{ binding = \"A\", service = \"api\" }]\n"
    );
    assert_eq!(
        std::fs::read_to_string(root.join("wrangler.toml")).unwrap(),
        config
    );
    // Once applied, there is nothing left to show: exit 0, no output.
    run(&["check", root.to_str().unwrap(), "--fix"]);
    let out = run(&["check", root.to_str().unwrap(), "--diff"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
}

#[test]
fn diff_shows_unsafe_fixes_only_with_unsafe_fixes() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("saas");
    copy_dir(&families().join("saas"), &root);
    let out = run(&["check", root.to_str().unwrap(), "--diff"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    let out = run(&["check", root.to_str().unwrap(), "--diff", "--unsafe-fixes"]);
    assert_eq!(out.status.code(), Some(1));
    let diff = String::from_utf8(out.stdout).unwrap();
    assert!(diff.contains("+++ b/gateway/wrangler.toml"), "{diff}");
    assert!(diff.contains("+entrypoint = \"TaskService\""), "{diff}");
}

#[test]
fn fix_never_writes_through_a_symlink() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.toml");
    std::fs::write(&real, "name = \"api\"\nmain = \"index.ts\"\nservices = [{ binding = \"A\", service = \"auth\", entrypoint = \"default\" }]\n").unwrap();
    let root = dir.path().join("root");
    std::fs::create_dir_all(root.join("api")).unwrap();
    std::os::unix::fs::symlink(&real, root.join("api/wrangler.toml")).unwrap();
    std::fs::write(
        root.join("api/index.ts"),
        "export default { fetch(r, env) { return env.A.fetch(r); } };\n",
    )
    .unwrap();
    let before = std::fs::read_to_string(&real).unwrap();
    run(&["check", root.to_str().unwrap(), "--fix"]);
    assert_eq!(std::fs::read_to_string(&real).unwrap(), before);
}

#[test]
fn columns_after_emoji_count_utf16_units_in_a_bom_crlf_workspace() {
    let dir =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../test-workspaces/bad-input/bom-crlf");
    let out = run(&["check", dir.to_str().unwrap(), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = &v["diagnostics"][0];
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(4), Some(36)),
        "{v}"
    );
}

#[test]
fn oversized_sources_are_skipped_with_an_info() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("wrangler.toml"),
        "name = \"big\"\nmain = \"index.ts\"\n",
    )
    .unwrap();
    let mut big = String::from("export default { fetch() { return new Response(); } };\n");
    while big.len() < 5 * 1024 * 1024 {
        big.push_str("export const x = [1, 2, 3];\n");
    }
    std::fs::write(dir.path().join("index.ts"), big).unwrap();
    let out = run(&["check", dir.path().to_str().unwrap(), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["diagnostics"][0]["code"], "unreadable-file", "{v}");
    assert!(v["diagnostics"][0]["message"]
        .as_str()
        .unwrap()
        .contains("over the 2 MB limit"));
    assert_eq!(out.status.code(), Some(0));
}

fn saas() -> PathBuf {
    families().join("saas")
}

fn json_codes(out: &Output) -> Vec<(String, String)> {
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                format!("{}:{}", d["file"].as_str().unwrap(), d["line"]),
                d["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn stdout_of(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stderr_of(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

/// A temporary copy of the saas family.
fn saas_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("saas");
    copy_dir(&saas(), &root);
    (dir, root)
}

#[test]
fn output_format_is_the_flag_and_format_its_alias() {
    let s = saas();
    let a = run(&["check", s.to_str().unwrap(), "--output-format", "json"]);
    let b = run(&["check", s.to_str().unwrap(), "--format", "json"]);
    assert_eq!(json_codes(&a), json_codes(&b));
    assert_eq!(json_codes(&a).len(), 6);
}

#[test]
fn human_github_and_sarif_paths_are_relative_to_the_current_folder() {
    let out = bin()
        .args(["check", "saas", "--output-format", "github"])
        .current_dir(families())
        .output()
        .unwrap();
    let text = stdout_of(&out);
    assert!(
        text.lines()
            .all(|l| l.contains(" file=saas/") || l.starts_with("::notice")),
        "{text}"
    );
    let out = bin()
        .args(["check", "saas", "--color", "never"])
        .current_dir(families())
        .output()
        .unwrap();
    assert!(
        stdout_of(&out).contains(" --> saas/gateway/wrangler.toml:19:15"),
        "{}",
        stdout_of(&out)
    );
    let out = bin()
        .args(["check", "saas", "--output-format", "sarif"])
        .current_dir(families())
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let run = &v["runs"][0];
    let base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap();
    let families = families().canonicalize().unwrap();
    assert_eq!(base, format!("file://{}/", families.display()));
    let uri = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        .as_str()
        .unwrap();
    assert!(uri.starts_with("saas/"), "{uri}");
    // JSON keeps its documented root-relative paths.
    let out = bin()
        .args(["check", "saas", "--output-format", "json"])
        .current_dir(families)
        .output()
        .unwrap();
    assert!(json_codes(&out)
        .iter()
        .all(|(f, _)| !f.starts_with("saas/")));
}

#[test]
fn a_folder_without_workers_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("README.md"), "no workers here\n").unwrap();
    let out = run(&["check", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr_of(&out);
    assert!(
        err.contains("no wrangler, Devflare, Alchemy or cloudflare.config.ts worker found under"),
        "{err}"
    );
    assert!(stdout_of(&out).is_empty());
    // A folder named like a config is not one.
    let folder = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../test-workspaces/bad-input/config-is-folder");
    assert_eq!(
        run(&["check", folder.to_str().unwrap()]).status.code(),
        Some(2)
    );
}

#[test]
fn files_are_checked_with_their_family_and_only_their_findings_are_reported() {
    // As pre-commit passes them: relative paths from the repository root.
    let out = bin()
        .args([
            "check",
            "saas/gateway/wrangler.toml",
            "saas/notifier/wrangler.jsonc",
            "--output-format",
            "json",
        ])
        .current_dir(families())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    assert_eq!(
        json_codes(&out),
        vec![
            (
                "gateway/wrangler.toml:19".into(),
                "unknown-entrypoint".into()
            ),
            (
                "gateway/wrangler.toml:35".into(),
                "environment-drift".into()
            ),
            (
                "notifier/wrangler.jsonc:24".into(),
                "binding-not-inherited".into()
            ),
        ]
    );
    // The whole family was read: `tasks` is known, so there is no unknown-service.
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["workers"], 6);
    // A file with warnings only exits 0.
    let out = bin()
        .args(["check", "saas/notifier/wrangler.jsonc"])
        .current_dir(families())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    // A file that does not exist is a usage error.
    let out = bin()
        .args(["check", "saas/nope.toml"])
        .current_dir(families())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn select_and_ignore_filter_findings_and_reject_unknown_codes() {
    let s = saas();
    let s = s.to_str().unwrap();
    let out = run(&[
        "check",
        s,
        "--format",
        "json",
        "--select",
        "missing-do-migration,environment-drift",
    ]);
    let codes: Vec<String> = json_codes(&out).into_iter().map(|c| c.1).collect();
    assert_eq!(
        codes,
        vec![
            "environment-drift",
            "missing-do-migration",
            "missing-do-migration"
        ]
    );
    let out = run(&[
        "check",
        s,
        "--format",
        "json",
        "--ignore",
        "missing-do-migration",
        "--ignore",
        "unknown-rpc-method",
        "--ignore",
        "unknown-entrypoint",
    ]);
    let codes: Vec<String> = json_codes(&out).into_iter().map(|c| c.1).collect();
    assert_eq!(codes, vec!["environment-drift", "binding-not-inherited"]);
    // Only warnings are left: exit 0.
    assert_eq!(out.status.code(), Some(0));
    let out = run(&["check", s, "--select", "no-such-rule"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_of(&out).contains("unknown rule `no-such-rule`"));
}

#[test]
fn env_checks_one_environment() {
    let s = saas();
    let out = run(&[
        "check",
        s.to_str().unwrap(),
        "--format",
        "json",
        "--env",
        "staging",
    ]);
    assert_eq!(
        json_codes(&out),
        vec![
            (
                "gateway/src/middleware/auth.ts:9".into(),
                "unknown-rpc-method".into()
            ),
            (
                "gateway/wrangler.toml:35".into(),
                "environment-drift".into()
            ),
            (
                "notifier/wrangler.jsonc:24".into(),
                "binding-not-inherited".into()
            ),
            (
                "tasks/wrangler.toml:41".into(),
                "missing-do-migration".into()
            ),
        ]
    );
    let out = run(&["check", s.to_str().unwrap(), "--env", "stagin"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out).contains("no worker defines environment `stagin`"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn config_replaces_the_project_settings() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("strict.toml");
    std::fs::write(
        &cfg,
        "[rules]\nenvironment-drift = \"error\"\nunknown-rpc-method = \"off\"\n",
    )
    .unwrap();
    let s = saas();
    let out = run(&[
        "check",
        s.to_str().unwrap(),
        "--format",
        "json",
        "--config",
        cfg.to_str().unwrap(),
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let diags = v["diagnostics"].as_array().unwrap();
    assert!(
        diags.iter().all(|d| d["code"] != "unknown-rpc-method"),
        "{v}"
    );
    let drift = diags
        .iter()
        .find(|d| d["code"] == "environment-drift")
        .unwrap();
    assert_eq!(drift["severity"], "error");
    // A broken --config is a usage error naming the position.
    std::fs::write(&cfg, "[rules]\nno-such-rule = \"off\"\n").unwrap();
    let out = run(&[
        "check",
        s.to_str().unwrap(),
        "--config",
        cfg.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out).contains("strict.toml:2:"),
        "{}",
        stderr_of(&out)
    );
    let out = run(&[
        "check",
        s.to_str().unwrap(),
        "--config",
        "/no/such/file.toml",
    ]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn quiet_statistics_and_exit_zero() {
    let s = saas();
    let s = s.to_str().unwrap();
    let out = run(&["check", s, "--quiet", "--color", "never"]);
    let text = stdout_of(&out);
    assert!(text.contains("error[unknown-entrypoint]"), "{text}");
    assert!(!text.contains("Found "), "{text}");
    let out = run(&["check", s, "--statistics"]);
    assert_eq!(
        stdout_of(&out),
        "2  error    missing-do-migration\n\
         1  warning  binding-not-inherited\n\
         1  warning  environment-drift\n\
         1  error    unknown-entrypoint\n\
         1  error    unknown-rpc-method\n\
         6 findings in 6 workers.\n"
    );
    assert_eq!(out.status.code(), Some(1));
    let out = run(&["check", s, "--statistics", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["code"], "missing-do-migration");
    assert_eq!(v[0]["count"], 2);
    assert_eq!(
        run(&["check", s, "--statistics", "--format", "sarif"])
            .status
            .code(),
        Some(2)
    );
    let out = run(&["check", s, "--exit-zero"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout_of(&out).contains("Found 4 errors, 2 warnings"));
    // Usage errors still exit 2.
    assert_eq!(
        run(&["check", "/no/such/dir", "--exit-zero"]).status.code(),
        Some(2)
    );
}

#[test]
fn gitlab_and_junit_reporters() {
    let s = saas();
    let out = run(&["check", s.to_str().unwrap(), "--output-format", "gitlab"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let issues = v.as_array().unwrap();
    assert_eq!(issues.len(), 6);
    assert!(issues
        .iter()
        .all(|i| i["fingerprint"].as_str().unwrap().len() == 32));
    let out = run(&["check", s.to_str().unwrap(), "--output-format", "junit"]);
    let xml = stdout_of(&out);
    assert!(xml.starts_with("<?xml"), "{xml}");
    assert_eq!(xml.matches("<testcase ").count(), 6);
    assert_eq!(xml.matches("<failure ").count(), 6);
}

#[test]
fn suppression_comments_and_fix_removes_the_unused_ones() {
    let (_dir, root) = saas_copy();
    let gateway = root.join("gateway/wrangler.toml");
    let text = std::fs::read_to_string(&gateway).unwrap();
    // Suppress the entrypoint finding on the line before it, and add a stale suppression.
    let text = text
        .replace(
            "entrypoint = \"TaskServce\"",
            "# workers-lsp: ignore[unknown-entrypoint] renamed next release\nentrypoint = \"TaskServce\"",
        )
        .replacen("[[services]]", "[[services]] # workers-lsp: ignore[unknown-service]", 1);
    std::fs::write(&gateway, &text).unwrap();
    let out = run(&["check", root.to_str().unwrap(), "--format", "json"]);
    let codes = json_codes(&out);
    assert!(
        !codes.iter().any(|c| c.1 == "unknown-entrypoint"),
        "{codes:?}"
    );
    assert_eq!(
        codes.iter().filter(|c| c.1 == "unused-suppression").count(),
        1,
        "{codes:?}"
    );
    let out = run(&[
        "check",
        root.to_str().unwrap(),
        "--fix",
        "--select",
        "unused-suppression",
    ]);
    assert!(
        stderr_of(&out).contains("Remove the unused suppression"),
        "{}",
        stderr_of(&out)
    );
    let after = std::fs::read_to_string(&gateway).unwrap();
    assert!(!after.contains("ignore[unknown-service]"), "{after}");
    // Only the selected rule was fixed: the used suppression and the misspelt entrypoint stay.
    assert!(after.contains("ignore[unknown-entrypoint]") && after.contains("TaskServce"));
    assert_eq!(
        after,
        text.replace(" # workers-lsp: ignore[unknown-service]", "")
    );
}

#[test]
fn explain_and_rules() {
    let out = run(&["explain", "unknown-service"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stdout_of(&out),
        stdout_of(&run(&["check", "--explain", "unknown-service"]))
    );
    assert_eq!(run(&["explain", "nope"]).status.code(), Some(2));
    let out = run(&["rules"]);
    let table = stdout_of(&out);
    assert_eq!(
        table.lines().count(),
        workers_lsp::analysis::rules::RULES.len()
    );
    assert!(table
        .lines()
        .any(|l| l.starts_with("unused-suppression ") && l.contains("warning")));
}

#[test]
fn bare_command_in_a_terminal_prints_help() {
    // `script` gives the child a pseudo-terminal as stdin.
    let out = Command::new("script")
        .args(["-qec", env!("CARGO_BIN_EXE_workers-lsp"), "/dev/null"])
        .stdin(std::process::Stdio::null())
        .output()
        .expect("script (util-linux) runs");
    // Drop the terminal's colour codes.
    let raw = String::from_utf8_lossy(&out.stdout);
    let mut text = String::new();
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            text.push(c);
        }
    }
    assert!(text.contains("Usage: workers-lsp [COMMAND]"), "{text}");
    assert!(text.contains("check"), "{text}");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn bare_command_with_piped_stdin_serves_lsp() {
    use std::io::{Read, Write};
    let mut child = bin()
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let body = r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#;
    let mut stdin = child.stdin.take().unwrap();
    write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
    stdin.flush().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    while !String::from_utf8_lossy(&got).contains("\"serverInfo\"") {
        let n = stdout.read(&mut buf).unwrap();
        assert!(n > 0, "server closed: {}", String::from_utf8_lossy(&got));
        got.extend_from_slice(&buf[..n]);
    }
    drop(stdin);
    let _ = child.kill();
    let _ = child.wait();
    assert!(String::from_utf8_lossy(&got).contains("\"name\":\"workers-lsp\""));
}

/// A `cloudflare.config.ts` whose worker depends on the mode (a factory that branches) is a
/// worker the checker cannot read statically: nothing to report, and no "no worker found".
#[test]
fn a_typescript_declaration_that_cannot_be_read_is_no_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("cloudflare.config.ts"),
        "import { defineConfig } from \"cf/config\";\nexport default defineConfig(({ mode }) => { switch (mode) { default: return { worker: { name: \"w\" } }; } });\n",
    )
    .unwrap();
    let out = run(&["check", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    // A module that only looks like one (no cf/config import) is no declaration.
    let other = tempfile::tempdir().unwrap();
    std::fs::write(
        other.path().join("cloudflare.config.ts"),
        "export default { worker: { name: \"w\" } };\n",
    )
    .unwrap();
    assert_eq!(
        run(&["check", other.path().to_str().unwrap()])
            .status
            .code(),
        Some(2)
    );
}

/// Two examples that share a worker name and one that binds a worker of another example.
fn examples(dir: &std::path::Path) {
    for (name, extra) in [
        ("a", ""),
        ("b", ""),
        (
            "c",
            "services = [{ binding = \"S\", service = \"same\" }]\n",
        ),
    ] {
        let d = dir.join("fixtures").join(name);
        std::fs::create_dir_all(d.join("src")).unwrap();
        let worker = if name == "c" { "other" } else { "same" };
        std::fs::write(
            d.join("wrangler.toml"),
            format!("name = \"{worker}\"\nmain = \"src/index.ts\"\n{extra}"),
        )
        .unwrap();
        let read = if name == "c" {
            "env.S.fetch(r)"
        } else {
            "new Response()"
        };
        std::fs::write(
            d.join("src/index.ts"),
            format!("export default {{ fetch(r, env) {{ return {read}; }} }};\n"),
        )
        .unwrap();
    }
}

fn codes_in(dir: &std::path::Path) -> Vec<(String, String)> {
    let out = bin()
        .args(["check", "fixtures", "--format", "json"])
        .current_dir(dir)
        .output()
        .unwrap();
    json_codes(&out)
}

/// Issue 14.3: `[workspace] members` makes each member a family of its own: no
/// `duplicate-worker-name` between unrelated examples, and a binding never reaches a worker
/// of another member.
#[test]
fn workspace_members_are_separate_families() {
    let dir = tempfile::tempdir().unwrap();
    examples(dir.path());
    let together: Vec<String> = codes_in(dir.path()).into_iter().map(|c| c.1).collect();
    assert!(
        together.contains(&"duplicate-worker-name".into()),
        "{together:?}"
    );
    assert!(
        !together.contains(&"unknown-service".into()),
        "{together:?}"
    );
    std::fs::write(
        dir.path().join("workers-lsp.toml"),
        "[workspace]\nmembers = [\"fixtures/*\"]\n",
    )
    .unwrap();
    let apart = codes_in(dir.path());
    assert_eq!(
        apart,
        vec![("c/wrangler.toml:3".into(), "unknown-service".into())]
    );
}

/// Issue 14.3: without `members`, folders that each hold a `package.json` and a lockfile
/// (none a workspace member of another) are separate families by default; listed by the
/// root's package-manager workspace, they are one.
#[test]
fn independent_locked_packages_are_separate_families_by_default() {
    let dir = tempfile::tempdir().unwrap();
    examples(dir.path());
    for name in ["a", "b", "c"] {
        let d = dir.path().join("fixtures").join(name);
        std::fs::write(
            d.join("package.json"),
            format!("{{\"name\": \"{name}\"}}\n"),
        )
        .unwrap();
        std::fs::write(d.join("package-lock.json"), "{}\n").unwrap();
    }
    let apart: Vec<String> = codes_in(dir.path()).into_iter().map(|c| c.1).collect();
    assert_eq!(apart, vec!["unknown-service"]);
    std::fs::write(
        dir.path().join("pnpm-workspace.yaml"),
        "packages:\n  - \"fixtures/*\"\n",
    )
    .unwrap();
    let together: Vec<String> = codes_in(dir.path()).into_iter().map(|c| c.1).collect();
    assert!(
        together.contains(&"duplicate-worker-name".into()),
        "{together:?}"
    );
}

/// Issue 14.2: checking a folder inside a project reads the whole family (no false
/// `unknown-service` for `gateway`'s bindings to its siblings) and reports that folder's
/// findings only.
#[test]
fn a_folder_is_checked_with_its_whole_family() {
    let out = bin()
        .args(["check", "saas/gateway", "--output-format", "json"])
        .current_dir(families())
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["workers"], 6, "{v}");
    let codes = json_codes(&out);
    assert!(!codes.is_empty());
    // Paths are relative to the folder named; only its findings are reported.
    assert!(codes.iter().all(|(p, _)| !p.starts_with("..")), "{codes:?}");
    assert!(
        codes.iter().any(|(p, _)| p == "wrangler.toml:19"),
        "{codes:?}"
    );
    assert!(
        codes
            .iter()
            .all(|(_, c)| c != "unknown-service" && c != "unused-binding"),
        "{codes:?}"
    );
}

/// `workers-lsp root PATH` prints the project root that `check` and the server use, for
/// editor clients: the nearest workers-lsp.toml, else the package-manager workspace.
#[test]
fn root_prints_the_project_root_of_a_path() {
    let saas = saas().canonicalize().unwrap();
    let out = bin()
        .args(["root", "gateway/src/index.ts"])
        .current_dir(&saas)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        saas.display().to_string()
    );

    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().canonicalize().unwrap();
    std::fs::write(ws.join("pnpm-workspace.yaml"), "packages: ['apps/*']\n").unwrap();
    std::fs::create_dir_all(ws.join("apps/api/src")).unwrap();
    std::fs::write(ws.join("apps/api/package.json"), "{}").unwrap();
    let out = bin()
        .arg("root")
        .arg(ws.join("apps/api/src/index.ts"))
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        ws.display().to_string()
    );
    // A workers-lsp.toml nearer the file wins.
    std::fs::write(ws.join("apps/api/workers-lsp.toml"), "").unwrap();
    let out = bin()
        .arg("root")
        .arg(ws.join("apps/api/src/index.ts"))
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        ws.join("apps/api").display().to_string()
    );
}

/// Runs `check --format json` on `root` with extra arguments and environment.
fn check_json(root: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = bin();
    cmd.args(["check", root.to_str().unwrap(), "--format", "json"])
        .args(args)
        .env_remove("WORKERS_LSP_NO_CACHE")
        .env_remove("WORKERS_LSP_CACHE_DIR");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("runs")
}

/// Which file is at `path` (a rename over it makes another one).
fn file_identity(path: &std::path::Path) -> Option<u64> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some(std::fs::metadata(path).unwrap().ino())
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// The files named `*.{ext}` in folder `sub` of a cache folder.
fn files_of(dir: &std::path::Path, sub: &str, ext: &str) -> Vec<PathBuf> {
    let Ok(list) = std::fs::read_dir(dir.join(sub)) else {
        return Vec::new();
    };
    list.map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect()
}

/// The summary cache files in a cache folder.
fn cache_files(dir: &std::path::Path) -> Vec<PathBuf> {
    files_of(dir, "summaries-v1", "summaries")
}

#[test]
fn the_summary_cache_is_reused_invalidated_by_content_and_never_trusted_when_damaged() {
    let (_keep, root) = saas_copy();
    let cache = tempfile::tempdir().unwrap();
    let dir = cache.path().to_str().unwrap();
    let uncached = check_json(&root, &["--no-cache"], &[]);
    assert_eq!(uncached.status.code(), Some(1));
    assert!(cache_files(cache.path()).is_empty());

    let first = check_json(&root, &["--cache-dir", dir], &[]);
    assert_eq!(stdout_of(&first), stdout_of(&uncached));
    let files = cache_files(cache.path());
    assert_eq!(files.len(), 1, "one file for the root");
    let written = file_identity(&files[0]);

    // Unchanged sources: every summary comes from the cache, so the file is not rewritten
    // (a save renames a new file over it).
    let second = check_json(&root, &["--cache-dir", dir], &[]);
    assert_eq!(stdout_of(&second), stdout_of(&uncached));
    assert_eq!(file_identity(&files[0]), written);

    // An edited module is summarised afresh: the new finding is reported.
    let billing = root.join("gateway/src/routes/billing.ts");
    let text = std::fs::read_to_string(&billing).unwrap();
    std::fs::write(&billing, text.replace(".charge(", ".chargeTwice(")).unwrap();
    let edited_uncached = check_json(&root, &["--no-cache"], &[]);
    assert!(
        stdout_of(&edited_uncached).contains("chargeTwice"),
        "{}",
        stdout_of(&edited_uncached)
    );
    let edited = check_json(&root, &["--cache-dir", dir], &[]);
    assert_eq!(stdout_of(&edited), stdout_of(&edited_uncached));

    // A damaged file is ignored (and replaced).
    std::fs::write(&files[0], b"WLSPSUM1 not a cache").unwrap();
    let damaged = check_json(&root, &["--cache-dir", dir], &[]);
    assert_eq!(stdout_of(&damaged), stdout_of(&edited_uncached));
    assert!(std::fs::read(&files[0]).unwrap().len() > 100);

    // A cache folder that cannot be made (below a regular file) leaves the run uncached.
    let blocker = cache.path().join("blocker");
    std::fs::write(&blocker, "").unwrap();
    let blocked = blocker.join("cache");
    let unwritable = check_json(&root, &["--cache-dir", blocked.to_str().unwrap()], &[]);
    assert_eq!(
        unwritable.status.code(),
        Some(1),
        "{}",
        stderr_of(&unwritable)
    );
    assert_eq!(stdout_of(&unwritable), stdout_of(&edited_uncached));
}

#[test]
fn the_cache_folder_comes_from_the_environment_and_no_cache_wins() {
    let s = saas();
    let cache = tempfile::tempdir().unwrap();
    let dir = cache.path().join("from-env");
    let env_dir = dir.to_str().unwrap();
    check_json(
        &s,
        &[],
        &[
            ("WORKERS_LSP_CACHE_DIR", env_dir),
            ("WORKERS_LSP_NO_CACHE", "1"),
        ],
    );
    assert!(cache_files(&dir).is_empty());
    let flagged = check_json(&s, &["--no-cache"], &[("WORKERS_LSP_CACHE_DIR", env_dir)]);
    assert_eq!(flagged.status.code(), Some(1));
    assert!(cache_files(&dir).is_empty());
    check_json(&s, &[], &[("WORKERS_LSP_CACHE_DIR", env_dir)]);
    assert_eq!(cache_files(&dir).len(), 1);
    assert!(dir.join("summaries-v1/CACHEDIR.TAG").is_file());
}

/// The run records in a cache folder.
fn run_records(dir: &std::path::Path) -> Vec<PathBuf> {
    files_of(dir, "runs-v1", "run")
}

#[test]
fn an_unchanged_tree_replays_the_last_check_and_a_changed_one_is_checked() {
    let (_keep, root) = saas_copy();
    let cache = tempfile::tempdir().unwrap();
    let dir = cache.path().to_str().unwrap();
    // A run is recorded only when every file it saw had settled (3 s after its last change).
    std::thread::sleep(std::time::Duration::from_millis(3200));
    let uncached = check_json(&root, &["--no-cache"], &[]);
    assert!(
        run_records(cache.path()).is_empty(),
        "--no-cache records nothing"
    );
    let first = check_json(&root, &["--cache-dir", dir], &[]);
    assert_eq!(first.status.code(), uncached.status.code());
    assert_eq!(stdout_of(&first), stdout_of(&uncached));
    let records = run_records(cache.path());
    assert_eq!(records.len(), 1, "{}", stderr_of(&first));
    let written = file_identity(&records[0]);

    // Replayed: the same report and exit code, the record not written again (a run that
    // checks writes a new one over it).
    let second = check_json(&root, &["--cache-dir", dir], &[]);
    assert_eq!(second.status.code(), uncached.status.code());
    assert_eq!(stdout_of(&second), stdout_of(&uncached));
    assert_eq!(file_identity(&records[0]), written);

    // An edited module is seen: the new finding is reported (and the run, its module not
    // settled yet, leaves the record as it was).
    let billing = root.join("gateway/src/routes/billing.ts");
    let text = std::fs::read_to_string(&billing).unwrap();
    std::fs::write(&billing, text.replace(".charge(", ".chargeTwice(")).unwrap();
    let edited_uncached = check_json(&root, &["--no-cache"], &[]);
    assert!(stdout_of(&edited_uncached).contains("chargeTwice"));
    let edited = check_json(&root, &["--cache-dir", dir], &[]);
    assert_eq!(stdout_of(&edited), stdout_of(&edited_uncached));
    assert_eq!(file_identity(&records[0]), written);
}
