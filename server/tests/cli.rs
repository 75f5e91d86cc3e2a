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
        text.starts_with("missing-do-migration (error by default)"),
        "{text}"
    );
    assert!(text.contains("migrations"));
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
    let out = run(&[
        "check",
        root.to_str().unwrap(),
        "--fix",
        "--unsafe-fixes",
        "--format",
        "json",
    ]);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("fixed gateway/wrangler.toml"), "{stderr}");
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
    assert!(stderr.contains("fixed notifier/wrangler.jsonc"), "{stderr}");
    assert!(stderr.contains("fixed tasks/wrangler.toml"), "{stderr}");
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
