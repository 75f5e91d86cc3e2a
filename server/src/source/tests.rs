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
fn every_query_compiles_against_both_grammars() {
    for lang in [
        tree_sitter_typescript::LANGUAGE_TYPESCRIPT,
        tree_sitter_typescript::LANGUAGE_TSX,
    ] {
        let lang: tree_sitter::Language = lang.into();
        for (name, src) in QUERIES {
            if let Err(e) = tree_sitter::Query::new(&lang, src) {
                panic!("queries/{name} does not compile: {e}");
            }
        }
    }
    // And every .scm file in queries/ is one of them.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("queries");
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name.ends_with(".scm") {
            assert!(
                QUERIES.iter().any(|(n, _)| *n == name),
                "queries/{name} is not embedded"
            );
        }
    }
}

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
    assert_eq!(
        s.env_type_members,
        vec!["API_KEY", "MODE", "TOKEN", "GENERATED"]
    );
}
