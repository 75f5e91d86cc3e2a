use super::*;

fn ts(text: &str) -> FileSummary {
    summarize(text, SourceLang::TypeScript)
}

fn slice<'a>(text: &'a str, s: &Spanned<String>) -> &'a str {
    &text[s.range.as_usize()]
}

fn reads(s: &FileSummary) -> Vec<&str> {
    s.env_accesses
        .iter()
        .map(|a| a.name.value.as_str())
        .collect()
}

fn calls(s: &FileSummary) -> Vec<String> {
    s.env_calls
        .iter()
        .map(|c| format!("{}.{}:{:?}", c.binding.value, c.method.value, c.target))
        .collect()
}

use crate::base::Spanned;

#[test]
fn imports_and_exports_of_every_form() {
    let text = r#"
import def, { A as B, C } from "./a";
import * as ns from "../b";
import { WorkerEntrypoint } from "cloudflare:workers";
export { X } from "./x";
export { Y as Z, default as W } from "./y.js";
export * from "./star";
export * as All from "./all";
export { B as Public, C };
export const k = 1, j = 2;
export function f() {}
export type T = string;
export interface I {}
"#;
    let s = ts(text);
    let imports: Vec<String> = s
        .imports
        .iter()
        .map(|i| format!("{}={}@{}", i.local, i.imported, i.from.value))
        .collect();
    assert_eq!(
        imports,
        vec![
            "def=default@./a",
            "B=A@./a",
            "C=C@./a",
            "ns=*@../b",
            "WorkerEntrypoint=WorkerEntrypoint@cloudflare:workers"
        ]
    );
    let exports: Vec<String> = s
        .exports
        .iter()
        .map(|e| match e {
            Export::Local { exported, local } => format!("{}<-{}", exported.value, local),
            Export::ReExport {
                exported,
                imported,
                from,
            } => format!("{}<-{}@{}", exported.value, imported, from.value),
        })
        .collect();
    assert_eq!(
        exports,
        vec![
            "X<-X@./x",
            "Z<-Y@./y.js",
            "W<-default@./y.js",
            "All<-*@./all",
            "Public<-B",
            "C<-C",
            "k<-k",
            "j<-j",
            "f<-f"
        ]
    );
    assert_eq!(
        s.export_stars
            .iter()
            .map(|s| s.value.as_str())
            .collect::<Vec<_>>(),
        vec!["./star"]
    );
    assert_eq!(slice(text, &s.export_stars[0]), "./star");
}

#[test]
fn classes_with_bases_and_public_members() {
    let text = r#"
import { DurableObject } from "cloudflare:workers";
class Base extends DurableObject<Env> {
  async shared(x: number): Promise<number> { return x; }
}
export class Counter extends Base {
  static create() {}
  #secret() {}
  private hidden() {}
  protected alsoHidden() {}
  constructor(ctx: DurableObjectState, env: Env) { super(ctx, env); }
  value = 1;
  get total() { return 1; }
  async increment(by: number = 1): Promise<number> { return by; }
}
export default class extends ns.WorkerEntrypoint {}
const Mixed = class extends mixin(Base) {};
"#;
    let s = ts(text);
    let names: Vec<&str> = s.classes.iter().map(|c| c.name.value.as_str()).collect();
    assert_eq!(names, vec!["Base", "Counter", "default", "Mixed"]);
    assert_eq!(
        s.classes[0].extends.as_ref().unwrap().value,
        "DurableObject"
    );
    assert_eq!(s.classes[1].extends.as_ref().unwrap().value, "Base");
    assert_eq!(
        s.classes[2].extends.as_ref().unwrap().value,
        "WorkerEntrypoint"
    );
    assert!(s.classes[3].extends.is_none() && s.classes[3].extends_unknown);
    let members: Vec<(&str, MemberKind)> = s.classes[1]
        .members
        .iter()
        .map(|m| (m.name.value.as_str(), m.kind))
        .collect();
    assert_eq!(
        members,
        vec![
            ("value", MemberKind::Field),
            ("total", MemberKind::Getter),
            ("increment", MemberKind::Method)
        ]
    );
    let inc = &s.classes[1].members[2];
    assert_eq!(inc.params, "(by: number = 1)");
    assert_eq!(inc.return_type.as_deref(), Some("Promise<number>"));
    assert_eq!(slice(text, &inc.name), "increment");
    assert!(
        matches!(&s.default_export, Some(DefaultExport::Class { name, .. }) if name == "default")
    );
}

#[test]
fn default_export_forms() {
    let obj = ts("export default { async fetch(req, env) {}, queue: async () => {}, scheduled } satisfies ExportedHandler<Env>;");
    match obj.default_export {
        Some(DefaultExport::Object { handlers, .. }) => {
            assert_eq!(
                handlers
                    .iter()
                    .map(|h| h.value.as_str())
                    .collect::<Vec<_>>(),
                vec!["fetch", "queue", "scheduled"]
            )
        }
        other => panic!("{other:?}"),
    }
    let hono = ts("import { Hono } from 'hono';\nconst app = new Hono();\nexport default app;");
    assert!(matches!(
        hono.default_export,
        Some(DefaultExport::Other { .. })
    ));
    let local_obj = ts("const handler = { fetch() {} };\nexport default handler;");
    assert!(matches!(
        local_obj.default_export,
        Some(DefaultExport::Object { .. })
    ));
    let local_class = ts("class A {}\nexport { A as default };");
    assert!(
        matches!(local_class.default_export, Some(DefaultExport::Class { ref name, .. }) if name == "A")
    );
    let imported = ts("import Worker from './w';\nexport default Worker;");
    assert!(
        matches!(imported.default_export, Some(DefaultExport::Imported { ref local, .. }) if local == "Worker")
    );
    let re = ts("export { default } from './w';");
    assert!(
        matches!(re.default_export, Some(DefaultExport::ReExport { ref imported, .. }) if imported == "default")
    );
    let none = ts("export const x = 1;");
    assert!(none.default_export.is_none());
}

#[test]
fn env_reads_in_every_spelling() {
    let text = r#"
import { env as cfEnv } from "cloudflare:workers";
export default {
  async fetch(request: Request, e, ctx) {
    e.FIRST;
    const { SECOND, THIRD: third, FOURTH = 1 } = e;
    return cfEnv.FIFTH;
  },
};
export class Room extends DurableObject {
  go() { this.env.SIXTH; process.env.NOT_ME; import.meta.env.NOR_ME; }
}
function helper(bindings: Env) { return bindings["SEVENTH"] ?? bindings.EIGHTH?.get("x"); }
app.get("/", (c) => c.env.NINTH);
const other = { env: 1 }; other.unrelated;
"#;
    let s = ts(text);
    assert_eq!(
        reads(&s),
        vec!["FIRST", "SECOND", "THIRD", "FOURTH", "FIFTH", "SIXTH", "SEVENTH", "EIGHTH", "NINTH"]
    );
    let first = &s.env_accesses[0].name;
    assert_eq!(slice(text, first), "FIRST");
    assert!(!s.env_escapes);
}

#[test]
fn rpc_calls_and_durable_object_stubs() {
    let text = r#"
export default {
  async fetch(req: Request, env: Env) {
    await env.AUTH.verifyToken("t");
    await env.ROOMS.get(env.ROOMS.idFromName("a")).join();
    await env.ROOMS.getByName("b").leave();
    const stub = env.ROOMS.getByName("c");
    await stub.say("hi");
    const id = env.ROOMS.newUniqueId();
    notEnv.X.y();
    return new Response();
  },
};
"#;
    let s = ts(text);
    assert_eq!(
        calls(&s),
        vec![
            "AUTH.verifyToken:Direct",
            "ROOMS.get:Direct",
            "ROOMS.join:Stub",
            "ROOMS.idFromName:Direct",
            "ROOMS.getByName:Direct",
            "ROOMS.leave:Stub",
            "ROOMS.getByName:Direct",
            "ROOMS.say:Stub",
            "ROOMS.newUniqueId:Direct",
        ]
    );
    let say = s
        .env_calls
        .iter()
        .find(|c| c.method.value == "say")
        .unwrap();
    assert_eq!(slice(text, &say.method), "say");
}

#[test]
fn env_escapes_only_into_code_the_workspace_cannot_see() {
    assert!(
        !ts("import { h } from './h';\nexport default { fetch(r, env) { return h(r, env); } };")
            .env_escapes
    );
    assert!(
        ts("import { h } from 'pkg';\nexport default { fetch(r, env) { return h(r, env); } };")
            .env_escapes
    );
    assert!(ts("export default { fetch(r, env) { return Object.keys(env); } };").env_escapes);
    assert!(ts("export default { fetch(r, env) { const all = { ...env }; } };").env_escapes);
    assert!(ts("export default { fetch(r, env) { const { A, ...rest } = env; } };").env_escapes);
}

#[test]
fn crlf_and_astral_characters_keep_byte_ranges() {
    let text = "// 😀 emoji\r\nexport default { fetch(r, env) { return env.KEY; } };\r\n";
    let s = ts(text);
    assert_eq!(slice(text, &s.env_accesses[0].name), "KEY");
}

#[test]
fn half_typed_files_give_best_effort_summaries() {
    let s = ts("export class A extends WorkerEntrypoint {\n  async go() {}\n}\nexport default { fetch(r, env) { env.AU");
    assert!(s.has_syntax_errors);
    assert!(s.classes.iter().any(|c| c.name.value == "A"));
    let s = ts("import { x } from \"./unterminated\nexport const");
    assert!(s.has_syntax_errors);
    for text in [
        "",
        "export",
        "export {",
        "export default",
        "class",
        "env.",
        "\0\u{1}\u{2}",
        "export default class extends",
    ] {
        let _ = ts(text);
        let _ = summarize(text, SourceLang::Tsx);
    }
}

#[test]
fn files_without_exports_imports_or_env_are_not_parsed() {
    let s = ts("function f(a: number) { return a + 1; }\n");
    assert_eq!(s, FileSummary::default());
}

#[test]
fn large_and_deeply_nested_input_does_not_crash() {
    let mut big = String::from("export default { fetch(r, env) { return env.A; } };\n");
    while big.len() < 5 * 1024 * 1024 {
        big.push_str("export function f(a: number) { return [a, a + 1, { k: a }]; }\n");
    }
    let s = ts(&big);
    assert_eq!(reads(&s), vec!["A"]);
    let deep = format!(
        "export const x = {}1{};",
        "[".repeat(50_000),
        "]".repeat(50_000)
    );
    let _ = ts(&deep);
    let deep_calls = format!(
        "export const y = {}env.A{};",
        "f(".repeat(2_000),
        ")".repeat(2_000)
    );
    let _ = ts(&deep_calls);
}

#[test]
fn jsx_files_parse_with_the_tsx_grammar() {
    let s = summarize(
        "export default { fetch(r, env) { return render(<App name={env.NAME} />); } };",
        SourceLang::Tsx,
    );
    assert_eq!(reads(&s), vec!["NAME"]);
}

#[test]
fn string_typed_env_members_are_collected() {
    let s = ts(r#"
interface Env { API_KEY: string; MODE: "a" | "b"; CACHE: KVNamespace }
export type Bindings = { TOKEN: string };
declare namespace Cloudflare { interface Env { GENERATED: string } }
type Other = { NOT_ME: string };
export default { fetch() {} };
"#);
    let names: Vec<&str> = s
        .env_type_members
        .iter()
        .filter(|m| m.binding_type.is_none())
        .map(|m| m.name.as_str())
        .collect();
    assert_eq!(names, vec!["API_KEY", "MODE", "TOKEN", "GENERATED"]);
}

/// B3: only a handler's env parameter is env, and only inside its function: another
/// method's second parameter is not (`files.length` is no env read).
#[test]
fn env_parameters_are_scoped_to_their_function() {
    let s = ts(r#"
export const U = {
  m(a: string, files: string[]) { return a; },
  n(files: string[]) { return files.length; },
};
export default {
  fetch(req: Request, bindings: unknown) { return bindings.INSIDE; },
  other(req: Request, notEnv: unknown) { return notEnv.OUTSIDE; },
};
function later() { return bindings.NOT_BOUND_HERE; }
"#);
    assert_eq!(reads(&s), vec!["INSIDE"]);
    let alias = &s.env_aliases[0];
    assert_eq!(alias.name, "bindings");
    assert!(!alias
        .scope
        .touches(s.env_accesses[0].name.range.start + 1000));
}

#[test]
fn env_from_names_types_constructors_and_context_objects() {
    let s = ts(r#"
import { DurableObject } from "cloudflare:workers";
import { env as svelteEnv } from "$env/dynamic/private";
export class Room extends DurableObject {
  constructor(ctx: DurableObjectState, e: Env) { super(ctx, e); e.FROM_CTOR; }
}
class NotWorker extends Error { constructor(message: string, options: any) { super(message); options.length; } }
export const onRequest = ({ env, request }) => env.FROM_CONTEXT;
export const onPost = ({ env: e2 }) => e2.RENAMED_CONTEXT;
function typed(cfg: AppEnv) { return cfg.FROM_TYPE; }
function alchemy(env2: typeof worker.Env) { return env2.FROM_TYPEOF; }
function shadowed() { const env = process.env; return env.NODE_ENV; }
function handler(req, env) { return env.FROM_NAME; }
svelteEnv.NOT_WORKERS;
"#);
    assert_eq!(
        reads(&s),
        vec![
            "FROM_CTOR",
            "FROM_CONTEXT",
            "RENAMED_CONTEXT",
            "FROM_TYPE",
            "FROM_TYPEOF",
            "FROM_NAME"
        ]
    );
}

/// B4: reads that test for presence or supply a default handle absence.
#[test]
fn guarded_reads_are_marked() {
    let text = r#"
export default { fetch(req: Request, env: Env) {
  if (env.A) return new Response(env.A.connectionString);
  const b = env.B ?? "d"; const c = env.C || "d"; const d = env.D?.get("x");
  const e = "E" in env; const f = typeof env.F === "undefined"; const g = env.G ? 1 : 2;
  if (!env.H) throw new Error("no H"); const i = env.I !== undefined;
  const { J = "x", K } = env;
  return env.PLAIN.get("k");
} };
"#;
    let s = ts(text);
    let guarded: Vec<&str> = s
        .env_accesses
        .iter()
        .filter(|a| a.guarded)
        .map(|a| a.name.value.as_str())
        .collect();
    let plain: Vec<&str> = s
        .env_accesses
        .iter()
        .filter(|a| !a.guarded)
        .map(|a| a.name.value.as_str())
        .collect();
    assert_eq!(
        guarded,
        vec!["A", "B", "C", "D", "E", "F", "G", "H", "I", "J"]
    );
    assert_eq!(plain, vec!["A", "K", "PLAIN"]);
}

/// B5, A3: writes are not reads; a computed read hides which bindings are used.
#[test]
fn writes_and_computed_reads() {
    let s = ts("export default { fetch(r, env) { env.SET = false; env.ADD ||= 1; env['Q'] = 2; return env[name] ?? env.SET; } };");
    let writes: Vec<&str> = s.env_writes.iter().map(|w| w.value.as_str()).collect();
    assert_eq!(writes, vec!["SET", "ADD", "Q"]);
    assert_eq!(reads(&s), vec!["SET"]);
    assert!(s.env_dynamic);
    assert!(!ts("export default { fetch(r, env) { return env['A']; } };").env_dynamic);
}

#[test]
fn binding_handles_are_followed_into_calls() {
    let s = ts(r#"
export default { async fetch(req: Request, env: Env) {
  const auth = env.AUTH;
  const { ROOMS } = env;
  await auth.verify("t");
  await ROOMS.getByName("x").join();
  const stub = ROOMS.getByName("y");
  return Response.json(await env.AUTH.who());
} };
"#);
    assert_eq!(
        calls(&s),
        vec![
            "AUTH.verify:Direct",
            "ROOMS.getByName:Direct",
            "ROOMS.join:Stub",
            "ROOMS.getByName:Direct",
            "AUTH.who:Direct"
        ]
    );
}

/// F: type-only imports and exports are not runtime code.
#[test]
fn type_only_imports_and_exports_are_kept_apart() {
    let s = ts(r#"
import type { Public } from "../../db/src/index";
import { type Admin, helper } from "./h";
import type * as T from "./types";
export type { Shape } from "./shape";
export { type Other, value } from "./v";
export type { Local };
export default { fetch() {} };
"#);
    let imports: Vec<&str> = s.imports.iter().map(|i| i.local.as_str()).collect();
    let type_imports: Vec<&str> = s.type_imports.iter().map(|i| i.local.as_str()).collect();
    assert_eq!(imports, vec!["helper"]);
    assert_eq!(type_imports, vec!["Public", "Admin", "T"]);
    let exports: Vec<&str> = s
        .exports
        .iter()
        .map(|e| e.exported().value.as_str())
        .collect();
    let type_exports: Vec<&str> = s
        .type_exports
        .iter()
        .map(|e| e.exported().value.as_str())
        .collect();
    assert_eq!(exports, vec!["value"]);
    assert_eq!(type_exports, vec!["Shape", "Other", "Local"]);
}

/// A2, B2: a default export built by a package (from the module's handlers, or by a class
/// extending a package's class) may read or inject env names; a framework app does not.
#[test]
fn default_exports_built_by_packages() {
    let wrapped = |text: &str| ts(text).default_wrapped;
    assert!(wrapped(
        "import { OAuthProvider } from '@cloudflare/workers-oauth-provider';\nconst h = { fetch() {} };\nexport default new OAuthProvider({ apiHandler: h });"
    ));
    assert!(wrapped(
        "import { McpAgent } from 'agents/mcp';\nexport class MyMCP extends McpAgent { async init() {} }\nexport default MyMCP.serve('/mcp');"
    ));
    assert!(wrapped(
        "import * as Sentry from '@sentry/cloudflare';\nconst h = { fetch() {} };\nexport default Sentry.withSentry(() => ({}), h);"
    ));
    assert!(wrapped(
        "import { withX } from 'x';\nconst app = withX({ fetch() {} });\nexport default app;"
    ));
    assert!(!wrapped(
        "import { Hono } from 'hono';\nconst app = new Hono<{ Bindings: Env }>();\nexport default app;"
    ));
    assert!(!wrapped(
        "import { AutoRouter } from 'itty-router';\nexport default AutoRouter();"
    ));
    assert!(!wrapped(
        "import { make } from './make';\nexport default make();"
    ));
    assert!(!wrapped("export default { fetch() {} };"));
}

#[test]
fn env_type_members_record_binding_types() {
    let s = ts("interface Env { S: string; K: KVNamespace; O?: R2Bucket; D: DurableObjectNamespace<X>; U: \"a\" | \"b\" }\nexport default { fetch() {} };");
    let got: Vec<String> = s
        .env_type_members
        .iter()
        .map(|m| format!("{}:{:?}", m.name, m.binding_type))
        .collect();
    assert_eq!(
        got,
        vec![
            "S:None",
            "K:Some(\"KVNamespace\")",
            "O:None",
            "D:Some(\"DurableObjectNamespace\")",
            "U:None"
        ]
    );
}

/// A file name's language is what its path's would be by `Path::extension`: hidden files,
/// declaration files, several dots and no dot included.
#[test]
fn a_names_language_is_its_paths() {
    let by_extension = |name: &str| {
        if name.ends_with(".d.ts") || name.ends_with(".d.mts") || name.ends_with(".d.cts") {
            return None;
        }
        match std::path::Path::new(name).extension()?.to_str()? {
            "ts" | "mts" | "cts" => Some(SourceLang::TypeScript),
            "tsx" | "js" | "jsx" | "mjs" | "cjs" => Some(SourceLang::Tsx),
            _ => None,
        }
    };
    for name in [
        "a.ts",
        "a.tsx",
        "a.js",
        "a.mjs",
        "a.cjs",
        "a.jsx",
        "a.mts",
        "a.cts",
        ".ts",
        ".js",
        "..ts",
        "a..ts",
        "a.d.ts",
        "a.d.mts",
        "x.d.cts",
        "a.test.ts",
        "a",
        "a.",
        ".",
        "ts",
        "a.json",
        "a.TS",
        "vite.config.mjs",
        ".eslintrc.cjs",
        "a.b.c.tsx",
    ] {
        assert_eq!(SourceLang::from_name(name), by_extension(name), "{name}");
        assert_eq!(
            SourceLang::from_path(&std::path::Path::new("dir").join(name)),
            by_extension(name),
            "dir/{name}"
        );
    }
}
