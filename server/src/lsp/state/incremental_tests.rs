//! What the server publishes after a sequence of edits equals what a fresh full check of the
//! same texts finds: the server's shortcuts (re-summarising one module, sharing the previous
//! module graph, rerunning the rules over a new index) must never change a diagnostic.

use super::*;
use std::fmt::Write as _;

/// The source modules of every root, sorted: the modules edits are made in.
fn modules(state: &State) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = state
        .roots
        .iter()
        .flat_map(|r| r.ws.sources.keys().cloned())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The published findings, without the files published clean.
fn published(state: &State) -> BTreeMap<PathBuf, Vec<Diagnostic>> {
    state
        .published
        .iter()
        .filter(|(_, d)| !d.is_empty())
        .map(|(f, d)| (f.clone(), d.clone()))
        .collect()
}

/// A fresh state that opens `folder` with `open` already in its overlay: every finding
/// computed from scratch (workspace loaded, index and module graphs built, rules run once).
fn full_check(
    folder: &Path,
    open: &HashMap<PathBuf, OpenDoc>,
) -> BTreeMap<PathBuf, Vec<Diagnostic>> {
    let mut fresh = State::new();
    for (path, doc) in open {
        fresh.overlay.insert(path.clone(), doc.text.clone());
        fresh.open.insert(path.clone(), doc.clone());
    }
    fresh.add_root(folder);
    published(&fresh)
}

/// Edits of a module's text, each applied on top of the previous one: reads of names no
/// config declares (a near miss of a declared one among them), a suppression comment that
/// covers them and one that covers nothing, a method renamed (what other
/// workers call over RPC), an export removed, the module cut in half (syntax errors and lost
/// imports: its module graph changes), and back.
fn edits(original: &str) -> Vec<String> {
    let probe = "\nexport function probeEdit(env: Env) { return [env.NOPE, env.DBB, env.CACHEE, env.AUTHH]; }\n";
    let with_probe = format!("{original}{probe}");
    let renamed = with_probe.replacen("async ", "async renamed_", 1);
    // A suppression that covers the probe's line, then one that covers nothing.
    let suppressed = format!(
        "{original}\n// workers-lsp: ignore[unknown-binding] probe{}",
        probe.trim_start_matches('\n')
    );
    let unused_suppression = format!("{original}\n// workers-lsp: ignore[unknown-binding] gone\n");
    let unexported = with_probe.replacen("export class", "class", 1);
    let mut cut = original.len() / 2;
    while !original.is_char_boundary(cut) {
        cut -= 1;
    }
    vec![
        with_probe.clone(),
        suppressed,
        unused_suppression,
        with_probe.clone(),
        renamed,
        unexported,
        original[..cut].to_string(),
        with_probe,
        original.to_string(),
    ]
}

/// Opens the folder in a server state, edits up to `max_modules` of its modules in turn
/// (spread over the sorted list), and after every edit compares what was published with a full
/// check of the same texts.
fn assert_edits_match_full_check(folder: &Path, max_modules: usize) {
    let mut state = State::new();
    state.add_root(folder);
    assert_eq!(
        published(&state),
        full_check(folder, &HashMap::new()),
        "{}: first check",
        folder.display()
    );
    let all = modules(&state);
    let step = all.len().div_ceil(max_modules.max(1)).max(1);
    let mut version = 1;
    for module in all.iter().step_by(step) {
        let Some(original) = state.text(module) else {
            continue;
        };
        for (i, text) in edits(&original).into_iter().enumerate() {
            version += 1;
            state.document_changed(
                module,
                Some(OpenDoc {
                    text: text.into(),
                    version,
                }),
            );
            assert_eq!(
                published(&state),
                full_check(folder, &state.open),
                "{}: edit {i} of {}",
                folder.display(),
                module.display()
            );
        }
    }
    // Closing every document goes back to the disk's texts.
    for module in state.open.keys().cloned().collect::<Vec<_>>() {
        state.document_changed(&module, None);
    }
    assert_eq!(
        published(&state),
        full_check(folder, &HashMap::new()),
        "{}: after closing",
        folder.display()
    );
}

fn test_workspaces() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../test-workspaces")
}

fn subfolders(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    out.sort();
    out
}

#[test]
fn edits_in_the_bundled_families_publish_what_a_full_check_finds() {
    let families = subfolders(&test_workspaces().join("families"));
    assert!(families.len() >= 5, "{families:?}");
    for family in families {
        assert_edits_match_full_check(&family.canonicalize().unwrap(), 6);
    }
}

#[test]
fn edits_in_the_rule_scenarios_publish_what_a_full_check_finds() {
    let scenarios = subfolders(&test_workspaces().join("rules"));
    assert!(scenarios.len() >= 20, "{scenarios:?}");
    for scenario in scenarios {
        assert_edits_match_full_check(&scenario.canonicalize().unwrap(), 2);
    }
}

/// A family shaped like `cargo xtask gen-family --style realistic` (smaller): workers that
/// call each other's RPC entrypoints, host Durable Objects for each other, and library
/// modules that take `env` and read bindings; every third worker misspells an entrypoint,
/// every fourth calls a method its target lacks.
fn write_generated_family(root: &Path, workers: usize, lib_files: usize) {
    let write = |rel: &str, text: &str| {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write("workers-lsp.toml", "");
    for i in 0..workers {
        let next = (i + 1) % workers;
        let entrypoint = if i % 3 == 0 {
            format!("Svcc{next}")
        } else {
            format!("Svc{next}")
        };
        write(
            &format!("workers/w{i}/wrangler.jsonc"),
            &format!(
                r#"{{
  "name": "w{i}",
  "main": "src/index.ts",
  "services": [{{ "binding": "NEXT", "service": "w{next}", "entrypoint": "{entrypoint}" }}],
  "durable_objects": {{ "bindings": [
    {{ "name": "ROOM", "class_name": "Room{i}" }},
    {{ "name": "PEER", "class_name": "Room{next}", "script_name": "w{next}" }}
  ] }},
  "migrations": [{{ "tag": "v1", "new_sqlite_classes": ["Room{i}"] }}],
  "kv_namespaces": [{{ "binding": "CACHE", "id": "k{i}" }}],
  "d1_databases": [{{ "binding": "DB", "database_name": "d{i}", "database_id": "x{i}" }}],
  "vars": {{ "MODE": "prod" }}
}}
"#
            ),
        );
        let method = if i % 4 == 0 { "lookupp" } else { "lookup" };
        let mut index = String::from(
            "import { WorkerEntrypoint, DurableObject } from \"cloudflare:workers\";\n",
        );
        for m in 0..lib_files {
            let _ = writeln!(index, "import {{ load{m} }} from \"./lib/mod{m}\";");
        }
        let _ = write!(
            index,
            r#"
export class Svc{i} extends WorkerEntrypoint<Env> {{
  async lookup(id: string) {{ return id; }}
}}
export class Room{i} extends DurableObject<Env> {{
  async fetch() {{ return new Response("room"); }}
}}
export default {{
  async fetch(req: Request, env: Env) {{
    const value = await env.NEXT.{method}("x");
    await env.PEER.get(env.PEER.idFromName("a")).fetch(req);
    await load0(env, value);
    return new Response(value);
  }},
}};
"#
        );
        write(&format!("workers/w{i}/src/index.ts"), &index);
        for m in 0..lib_files {
            write(
                &format!("workers/w{i}/src/lib/mod{m}.ts"),
                &format!(
                    r#"export async function load{m}(env: Env, id: string) {{
  const cached = await env.CACHE.get(id);
  if (cached) return cached;
  const row = await env.DB.prepare("SELECT 1").first();
  return String(row) + env.MODE;
}}
"#
                ),
            );
        }
    }
}

#[test]
fn edits_in_a_generated_family_publish_what_a_full_check_finds() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    write_generated_family(&root, 8, 3);
    let mut state = State::new();
    state.add_root(&root);
    // The family has the findings it was made with: the checks below compare real lists.
    let codes: HashSet<&str> = state.published.values().flatten().map(|d| d.code).collect();
    for code in ["unknown-entrypoint", "unknown-rpc-method"] {
        assert!(codes.contains(code), "{code} missing from {codes:?}");
    }
    assert_edits_match_full_check(&root, 12);
}

/// An edit inside one worker's module reruns only the units of work that depend on that
/// worker's sources (its own, and those of the workers that bind it), not every worker's.
#[test]
fn an_edit_in_one_worker_reruns_only_the_work_it_can_change() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    write_generated_family(&root, 12, 2);
    let mut state = State::new();
    state.add_root(&root);
    let full = state.roots[0].rules.units_computed;
    assert_eq!(state.roots[0].rules.units_skipped, 0);
    let module = root.join("workers/w5/src/lib/mod1.ts");
    let text = format!(
        "{}\nexport const probe = 1;\n",
        state.text(&module).unwrap()
    );
    state.document_changed(
        &module,
        Some(OpenDoc {
            text: text.into(),
            version: 2,
        }),
    );
    let rerun = &state.roots[0].rules;
    assert_eq!(rerun.units_computed + rerun.units_skipped, full);
    // w5's own units, and those of w4 (which binds w5): a few of 12 workers' worth.
    assert!(
        rerun.units_computed * 3 < full,
        "{} of {full} units computed again",
        rerun.units_computed
    );
    assert_eq!(published(&state), full_check(&root, &state.open));
}

/// The same comparison on a real repository named by `WORKERS_LSP_INCREMENTAL_REPO` (a
/// folder), editing up to `WORKERS_LSP_INCREMENTAL_MODULES` (default 12) of its modules:
/// `cargo test -p workers-lsp -- --ignored edits_in_a_real_repository`.
#[test]
#[ignore = "needs a real repository: WORKERS_LSP_INCREMENTAL_REPO"]
fn edits_in_a_real_repository_publish_what_a_full_check_finds() {
    let repo = std::env::var_os("WORKERS_LSP_INCREMENTAL_REPO")
        .expect("WORKERS_LSP_INCREMENTAL_REPO names the repository to edit");
    let modules = std::env::var("WORKERS_LSP_INCREMENTAL_MODULES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(12);
    let root = Path::new(&repo).canonicalize().unwrap();
    assert_edits_match_full_check(&root, modules);
}
