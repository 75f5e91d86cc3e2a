//! Property tests on the syntax layer and position conversion (stable toolchain, bounded: each
//! property runs 256 cases, so CI stays fast). The long, coverage-guided runs of the same
//! invariants are the cargo-fuzz targets in `fuzz/`; both share `fuzz/src/checks.rs`.
//!
//! Properties:
//! - `parse_config` (TOML and JSONC) never panics, on arbitrary text and on mutations of the
//!   bundled families' configs, and every span it records lies inside the text on character
//!   boundaries and spells its value.
//! - `summarize` never panics on arbitrary or mutated TS, and every span it records lies inside
//!   the text on character boundaries and spells the recorded name.
//! - The lexical scan, wherever it accepts a module that parses cleanly, gives exactly the
//!   tree-sitter summary (on modules assembled from import/export/literal/comment pieces).
//! - `LineIndex`: offset -> line/column -> offset round-trips in UTF-8 and UTF-16 with CRLF and
//!   astral characters; `offset()` and `line_col()` never panic on arbitrary input.

// Shared with the fuzz targets, which use the parts these properties do not.
#[allow(dead_code)]
#[path = "../../fuzz/src/checks.rs"]
mod checks;

use proptest::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use workers_lsp::config::ConfigFormat;
use workers_lsp::source::SourceLang;

fn config() -> ProptestConfig {
    ProptestConfig {
        // `PROPTEST_CASES=100000 cargo test --release --test props` for a long run.
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(256),
        // Shrinking a failure is worth it, but must not run away in CI.
        max_shrink_iters: 2048,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Every file under the bundled families, by kind.
struct Seeds {
    toml: Vec<String>,
    jsonc: Vec<String>,
    ts: Vec<String>,
}

fn seeds() -> &'static Seeds {
    static SEEDS: OnceLock<Seeds> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let mut files = Vec::new();
        walk(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("../test-workspaces/families"),
            &mut files,
        );
        files.sort();
        let mut s = Seeds {
            toml: Vec::new(),
            jsonc: Vec::new(),
            ts: Vec::new(),
        };
        for f in files {
            let Ok(text) = std::fs::read_to_string(&f) else {
                continue;
            };
            match ConfigFormat::from_path(&f) {
                Some(ConfigFormat::Toml) => s.toml.push(text),
                Some(_) => s.jsonc.push(text),
                None if SourceLang::from_path(&f).is_some() => s.ts.push(text),
                None => {}
            }
        }
        assert!(!s.toml.is_empty() && !s.jsonc.is_empty() && !s.ts.is_empty());
        s
    })
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// Snippets that mutations insert: the tokens of both config syntaxes and of TS, line ends of
/// every kind, a BOM, multi-byte and astral characters.
const SNIPPETS: &[&str] = &[
    "\"",
    "'",
    "'''",
    "\"\"\"",
    "[",
    "]",
    "[[",
    "]]",
    "{",
    "}",
    "=",
    ":",
    ",",
    ".",
    "#",
    "//",
    "/*",
    "*/",
    "\\",
    "\\u",
    "\n",
    "\r\n",
    "\r",
    "\t",
    " ",
    "\u{FEFF}",
    "é",
    "😀",
    "𝕏",
    "\u{0}",
    "env",
    "env.",
    "Env",
    "export",
    "export default",
    "import",
    "from",
    "class",
    "extends",
    "async",
    "fetch",
    "(",
    ")",
    "=>",
    ";",
    "`",
    "${",
    "name",
    "main",
    "services",
    "binding",
    "[env.x]",
    "[[migrations]]",
    "new_classes",
    "1e400",
    "-",
    "true",
    "null",
    "<",
    ">",
    // Keys spelt with escapes, and comments that hold keys, braces and brackets (what
    // text-searching fix locators got wrong).
    "\"entr\\u0079point\": \"default\", ",
    "/* { [ \"service\": */",
    "# service = \"x\" {\n",
    "// \"migrations\": [\n",
    "entrypoint = \"default\", ",
    "environment = \"staging\", ",
];

#[derive(Clone, Debug)]
enum Mutation {
    Insert(usize, usize),
    Delete(usize, usize),
    Duplicate(usize, usize),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => (any::<usize>(), 0..SNIPPETS.len()).prop_map(|(a, b)| Mutation::Insert(a, b)),
        3 => (any::<usize>(), 1usize..40).prop_map(|(a, b)| Mutation::Delete(a, b)),
        1 => (any::<usize>(), 1usize..80).prop_map(|(a, b)| Mutation::Duplicate(a, b)),
        1 => any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn floor(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn apply(mut text: String, mutations: &[Mutation]) -> String {
    for m in mutations {
        let at = |i: usize| {
            floor(
                &text,
                if text.is_empty() {
                    0
                } else {
                    i % (text.len() + 1)
                },
            )
        };
        match *m {
            Mutation::Insert(i, s) => {
                let i = at(i);
                text.insert_str(i, SNIPPETS[s]);
            }
            Mutation::Delete(i, n) => {
                let i = at(i);
                let j = floor(&text, i + n);
                text.replace_range(i..j, "");
            }
            Mutation::Duplicate(i, n) => {
                let i = at(i);
                let j = floor(&text, i + n);
                let piece = text[i..j].to_string();
                text.insert_str(j, &piece);
            }
            Mutation::Truncate(i) => {
                let i = at(i);
                text.truncate(i);
            }
        }
    }
    text
}

/// Text made of the snippets above and arbitrary characters: closer to the parsers' grammar
/// than uniformly random strings, so more of the parsers is exercised.
fn tokens() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            3 => (0..SNIPPETS.len()).prop_map(|i| SNIPPETS[i].to_string()),
            1 => any::<char>().prop_map(String::from),
            1 => "[a-zA-Z_][a-zA-Z0-9_]{0,8}",
        ],
        0..120,
    )
    .prop_map(|parts| parts.concat())
}

/// Top-level pieces of a module: every import and export form, and bodies whose strings,
/// templates, regexes and comments hold keywords and brackets that must not be taken for
/// statements. Most modules assembled from them parse cleanly, so the scan is compared often.
const MODULE_PIECES: &[&str] = &[
    "import a from \"./a\"",
    "import * as ns from './ns'",
    "import { b, c as d, } from \"./bc\"",
    "import e, { f } from \"./ef\"",
    "import type { T } from \"./t\"",
    "import { type U, v } from \"./uv\"",
    "import \"./side\"",
    "import j from \"./j.json\" with { type: \"json\" }",
    "export * from \"./star\"",
    "export * as star from \"./star2\"",
    "export { p, q as r } from \"./pq\"",
    "export type { W } from \"./w\"",
    "export { a as \"a b\" }",
    "export { e }",
    "export function fn1(x: number): number { return x / 2; }",
    "export async function fn2() { await 0; }",
    "export function* fn3() { yield `t ${1} }`; }",
    "export function ov(a: string): string",
    "export function ov(a: any) { return a; }",
    "export const k1 = 1",
    "export let k2: Array<{ id: number }> = []",
    "export const k3 = (x: number) => x > 1 ? /re[}]/.test('a') : 2",
    "export enum En { A, B = 2 }",
    "export interface If { a: string }",
    "export type Ty = { a: number }",
    "const obj = { a: 1 }",
    "const z = 1, y = 2",
    "let w = z < y",
    "function g() { return 'export const no = 1'; }",
    "// export function commented() {}",
    "/* import x from \"./commented\" */",
    "const t = `import ${\"x\"} from ${`y`}`",
    "const re = /export \"[a-z]/g",
    "if (a) { b(); } else { c(); }",
    "namespace Ns { export const inner = 1; }",
    "export class Cls {}",
    "export default {}",
    "const s = 'it\\'s'",
    "a.export = b.import",
    // Env reads, classes and default exports, which the scan reads where the tokens tell.
    "import { lib } from 'pkg'",
    "import { env } from 'cloudflare:workers'",
    "export function h(env) { return env.A ?? env.B && env.C; }",
    "if (!env.D) { throw new Error('x') }",
    "const v1 = env.E === undefined ? 1 : env.F",
    "env.G.send(1)",
    "env.H.get(id).ping()",
    "const st = env.I.get(id)",
    "st.poke()",
    "const { J } = env",
    "lib(env)",
    "local(env)",
    "typeof env.K === 'string'",
    "export class Room extends DurableObject { constructor(ctx, env) { super(ctx, env) } ping() { return this.env.L } }",
    "export class Svc { constructor(private env: Env) {} get m(): number { return 1 } x = 2; static s = 3; async *g() {} }",
    "export default class extends WorkerEntrypoint { rpc(a: string): string { return this.env.M } }",
    "export default Room",
    "export default function (env) { return env.N }",
    "export default defineConfig({ a: 1 })",
    "const app = new Hono<{ Bindings: Env }>()",
    "const app = new Hono<{ Bindings: Env; Variables: V }>().basePath('/')",
    "export default app",
    "app.get('/', (c) => c.env.DB.prepare('x'))",
    "export function h(c: Context<{ Bindings: Env }>) { return c.env.KV }",
    "type Bindings = { DB: D1Database }",
    "const w = withSentry(opts, app)",
    "export default w",
    "const v = import.meta.env.MODE",
    "run(function* (a, env) { yield env.A })",
    "const [p, q] = token.split('.')",
    "export interface Env { KV: KVNamespace; DB?: D1Database\n Q: Queue<string> }",
    "interface AppEnv extends Base { A: R2Bucket, B: string | undefined }",
    "type Bindings = { C: Ai }",
    "export type WorkerEnv = {\n D: Service<T>;\n}",
    "export class F extends Base { meta = {\n  a: env.A,\n}; x = f(\n  1\n)\n y = 2; }",
    "cloudflare({ remoteBindings: false, fooEnv: 1 })",
    "export default { async fetch(req, env) { return env.A } } satisfies ExportedHandler<Env>",
    "export default { fetch: app.fetch, queue(batch, env) { env.Q.send(1) }, test }",
    "export default { fetch(req, other) { return other.B } }",
    "export default new Hono().basePath('/')",
    "export default withSentry((env) => ({ dsn: env.DSN }), app)",
    "export default Mcp.serve('/mcp')",
    "export default ns.value",
    "export default new Thing",
    "export default make<Opts>(opts)",
    "export default Room.x(a)(b)",
    "export const handlers = { fetch(req, e) { return e.O } }",
    "x = (env.P)",
    "env.Q = 1",
    "a ? env.R : b",
    "x || env.S",
    "await env.T.get(k)",
    "process.env.U",
    "const e2 = this.env",
    "fetch(url)",
    "function test(env) {}",
    "env",
    "`${env.V}`",
    "(a, env) => env.W",
    "null != env.X",
    "-env.Z",
    "props.env.AA.b()",
    "class Inner { m(env: Env) { return env.AB } }",
];

fn modules() -> impl Strategy<Value = String> {
    prop::collection::vec(
        (
            0..MODULE_PIECES.len(),
            prop_oneof![
                Just("\n"),
                Just(";\n"),
                Just("; "),
                Just("\n\n"),
                Just(";"),
                Just(" ")
            ],
        ),
        0..24,
    )
    .prop_map(|parts| {
        parts
            .into_iter()
            .map(|(i, sep)| format!("{}{sep}", MODULE_PIECES[i]))
            .collect()
    })
}

/// The shop family (wrangler configs) and the alchemy-shop family (an `alchemy.run.ts`)
/// copied into a temp folder, and every position of them where something can be renamed (one
/// per item, with the family's root), found once.
struct RenameSeeds {
    _dir: tempfile::TempDir,
    positions: Vec<(PathBuf, PathBuf, u32)>,
}

fn rename_seeds() -> &'static std::sync::Mutex<RenameSeeds> {
    static SEEDS: OnceLock<std::sync::Mutex<RenameSeeds>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        use workers_lsp::analysis::ide::{prepare_rename, FilePosition};
        let dir = tempfile::tempdir().unwrap();
        let mut positions = Vec::new();
        for family in ["shop", "alchemy-shop"] {
            let root = dir.path().canonicalize().unwrap().join(family);
            let src = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../test-workspaces/families")
                .join(family);
            checks::copy_tree(&src, &root);
            let fs = workers_lsp::project::DiskFs::new(&root);
            let ix = workers_lsp::analysis::Index::new(std::sync::Arc::new(
                workers_lsp::analysis::Workspace::load(&root, &fs),
            ));
            let mut files: Vec<PathBuf> = ix.ws.configs.iter().map(|c| c.path.clone()).collect();
            files.extend(ix.ws.sources.keys().cloned());
            files.sort();
            files.dedup();
            let mut found = 0;
            let mut seen = std::collections::HashSet::new();
            for file in files {
                let text = std::fs::read_to_string(&file).unwrap();
                for offset in 0..text.len() as u32 {
                    let pos = FilePosition {
                        file: file.clone(),
                        offset,
                    };
                    if let Ok((range, name)) = prepare_rename(&ix, &pos) {
                        if seen.insert((file.clone(), range, name)) {
                            positions.push((root.clone(), file.clone(), offset));
                            found += 1;
                        }
                    }
                }
            }
            assert!(found > 10, "{found} renamable positions in {family}");
        }
        std::sync::Mutex::new(RenameSeeds {
            _dir: dir,
            positions,
        })
    })
}

/// The saas family (deliberate mistakes, so fixes are offered) copied into a temp folder, and
/// its configs and sources with their texts.
#[allow(clippy::type_complexity)]
fn fix_family() -> &'static std::sync::Mutex<(PathBuf, Vec<(PathBuf, String)>, tempfile::TempDir)> {
    static FAMILY: OnceLock<
        std::sync::Mutex<(PathBuf, Vec<(PathBuf, String)>, tempfile::TempDir)>,
    > = OnceLock::new();
    FAMILY.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap().join("saas");
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../test-workspaces/families/saas");
        checks::copy_tree(&src, &root);
        let files = checks::family_sources(&root);
        assert!(
            checks::check_fixes(&root) > 0,
            "the saas family offers fixes"
        );
        std::sync::Mutex::new((root, files, dir))
    })
}

/// The fix-trap family (`checks::FIX_TRAPS`) written into a temp folder, with its files.
#[allow(clippy::type_complexity)]
fn trap_family() -> &'static std::sync::Mutex<(PathBuf, Vec<(PathBuf, String)>, tempfile::TempDir)>
{
    static FAMILY: OnceLock<
        std::sync::Mutex<(PathBuf, Vec<(PathBuf, String)>, tempfile::TempDir)>,
    > = OnceLock::new();
    FAMILY.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap().join("traps");
        checks::write_fix_traps(&root);
        let files = checks::family_sources(&root);
        std::sync::Mutex::new((root, files, dir))
    })
}

#[test]
fn every_fix_of_the_trap_family_edits_only_its_spans_and_fixes_only_its_finding() {
    let family = trap_family().lock().unwrap_or_else(|e| e.into_inner());
    let checked = checks::check_fixes(&family.0);
    assert!(checked >= 8, "{checked} fixes checked");
}

proptest! {
    // Each case loads a workspace once per fix: fewer cases than the syntax-level properties.
    #![proptest_config(ProptestConfig { cases: config().cases / 4, ..config() })]

    #[test]
    fn fixes_on_a_mutated_family_keep_files_parsing(file in any::<prop::sample::Index>(),
                                                    ms in prop::collection::vec(mutation(), 1..4)) {
        let family = fix_family().lock().unwrap_or_else(|e| e.into_inner());
        let (path, original) = file.get(&family.1).clone();
        std::fs::write(&path, apply(original.clone(), &ms)).unwrap();
        checks::check_fixes(&family.0);
        std::fs::write(&path, original).unwrap();
    }

    #[test]
    fn fixes_on_a_mutated_trap_family_edit_only_their_spans(file in any::<prop::sample::Index>(),
                                                            ms in prop::collection::vec(mutation(), 1..4)) {
        let family = trap_family().lock().unwrap_or_else(|e| e.into_inner());
        let (path, original) = file.get(&family.1).clone();
        std::fs::write(&path, apply(original.clone(), &ms)).unwrap();
        let result = std::panic::catch_unwind(|| checks::check_fixes(&family.0));
        std::fs::write(&path, original).unwrap();
        if let Err(e) = result {
            std::panic::resume_unwind(e);
        }
    }

    #[test]
    fn renames_keep_files_parsing_and_round_trip(at in any::<prop::sample::Index>(),
                                                  name in 0..checks::NEW_NAMES.len()) {
        let seeds = rename_seeds().lock().unwrap_or_else(|e| e.into_inner());
        let (root, file, offset) = at.get(&seeds.positions).clone();
        checks::check_rename(&root, &file, offset, checks::NEW_NAMES[name]);
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn lexical_scan_agrees_with_the_parser(text in modules()) {
        checks::check_lexical(&text, SourceLang::TypeScript);
        checks::check_lexical(&text, SourceLang::Tsx);
    }

    #[test]
    fn lexical_scan_agrees_on_mutated_sources(seed in any::<prop::sample::Index>(),
                                              ms in prop::collection::vec(mutation(), 1..6)) {
        let s = seeds();
        let text = apply(seed.get(&s.ts).clone(), &ms);
        checks::check_lexical(&text, SourceLang::TypeScript);
    }

    #[test]
    fn parse_config_on_arbitrary_text(text in any::<String>()) {
        checks::check_config(ConfigFormat::Toml, &text);
        checks::check_config(ConfigFormat::Jsonc, &text);
    }

    #[test]
    fn every_parser_on_config_and_ts_like_tokens(text in tokens()) {
        checks::check_all(&text);
    }

    #[test]
    fn parse_config_on_mutated_toml(seed in any::<prop::sample::Index>(),
                                    ms in prop::collection::vec(mutation(), 1..6)) {
        let s = seeds();
        let text = apply(seed.get(&s.toml).clone(), &ms);
        checks::check_config(ConfigFormat::Toml, &text);
    }

    #[test]
    fn parse_config_on_mutated_jsonc(seed in any::<prop::sample::Index>(),
                                     ms in prop::collection::vec(mutation(), 1..6)) {
        let s = seeds();
        let text = apply(seed.get(&s.jsonc).clone(), &ms);
        checks::check_config(ConfigFormat::Jsonc, &text);
    }

    #[test]
    fn summarize_on_arbitrary_text(text in any::<String>()) {
        checks::check_summary(&text, SourceLang::TypeScript);
        checks::check_summary(&text, SourceLang::Tsx);
    }

    #[test]
    fn summarize_on_mutated_sources(seed in any::<prop::sample::Index>(),
                                    ms in prop::collection::vec(mutation(), 1..6)) {
        let s = seeds();
        let text = apply(seed.get(&s.ts).clone(), &ms);
        checks::check_summary(&text, SourceLang::TypeScript);
        checks::check_summary(&text, SourceLang::Tsx);
    }

    #[test]
    fn line_index_round_trips(
        text in prop::collection::vec(
            prop_oneof![
                Just("a"), Just("xyz"), Just("é"), Just("😀"), Just("𝕏"), Just("\u{FEFF}"),
                Just("\n"), Just("\r\n"), Just("\r"), Just("\t"),
            ],
            0..60,
        ).prop_map(|p| p.concat()),
        probes in prop::collection::vec((any::<u32>(), any::<u32>()), 0..8),
        small in prop::collection::vec((0u32..12, 0u32..40), 0..16),
    ) {
        let mut all = probes;
        all.extend(small);
        checks::check_line_index(&text, &all);
    }

    #[test]
    fn line_index_on_arbitrary_text(text in any::<String>(),
                                    probes in prop::collection::vec((any::<u32>(), any::<u32>()), 0..8)) {
        checks::check_line_index(&text, &probes);
    }
}

// Regressions found by the properties above and by the fuzz targets, named after what broke.

/// cargo-fuzz `summarize` (2026-12-01): tree-sitter parses `export class default {` as a class
/// named `default`, whose span spells `default`, not the `class` keyword of an anonymous
/// default class; the check took it for a wrong span.
#[test]
fn a_class_spelled_default_keeps_its_own_span() {
    let text = "export class default {\n  constructor(\n    readonly state: DurableObjectState,\n  ) {}\n}\n";
    let s = checks::check_summary(text, SourceLang::TypeScript);
    assert_eq!(s.classes.len(), 1);
    assert_eq!(&text[s.classes[0].name.range.as_usize()], "default");
    checks::check_summary(text, SourceLang::Tsx);
}

/// cargo-fuzz `config_toml` (2026-12-01): a TOML multi-line string reads its CRLF line breaks
/// as LF, so its span (CRLF) cannot spell its value (LF); the span itself is right.
#[test]
fn a_toml_multi_line_string_with_crlf_reads_as_lf() {
    let text = "name = \"w\"\nmain = \"\"\"src/\r\nindex.ts\"\"\"\n";
    let c = checks::check_config(ConfigFormat::Toml, text);
    let main = c.top.main.expect("main is read");
    assert_eq!(main.value, "src/\nindex.ts");
    assert_eq!(&text[main.range.as_usize()], "src/\r\nindex.ts");
}

/// The lexical scan against the parser on every TS/JS file of any folder, e.g. a checkout of a
/// real repository: `WORKERS_LSP_LEXICAL_CORPUS=/path cargo test --release --test props --
/// --ignored lexical_scan_on_a_corpus --nocapture`.
#[test]
#[ignore = "needs WORKERS_LSP_LEXICAL_CORPUS"]
fn lexical_scan_on_a_corpus() {
    let Ok(dir) = std::env::var("WORKERS_LSP_LEXICAL_CORPUS") else {
        return;
    };
    let mut files = Vec::new();
    walk(Path::new(&dir), &mut files);
    let (mut total, mut scanned, mut broken) = (0, 0, 0);
    for f in files {
        if f.components().any(|c| c.as_os_str() == "node_modules") {
            continue;
        }
        let Some(lang) = SourceLang::from_path(&f) else {
            continue;
        };
        let Ok(text) = std::fs::read_to_string(&f) else {
            continue;
        };
        total += 1;
        if checks::check_lexical(&text, lang) {
            scanned += 1;
            if workers_lsp::source::has_syntax_errors(&text, lang) {
                // Compared with nothing: tree-sitter's own summary is best effort there.
                broken += 1;
            }
        }
    }
    println!(
        "{scanned} of {total} modules scanned; every one that parses matched the parser \
         ({broken} scanned modules have tree-sitter syntax errors)"
    );
}
