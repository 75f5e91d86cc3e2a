//! IDE feature tests: multi-file fixtures with a `$0` cursor.

use super::*;
use crate::analysis::{check, Index, Workspace};
use crate::fixture::{fixture, Fixture};
use crate::project::{relative, DiskFs};
use std::sync::Arc;

struct Setup {
    f: Fixture,
    ix: Index,
    pos: FilePosition,
    text: String,
}

fn setup(text: &str) -> Setup {
    let f = fixture(text);
    let fs = DiskFs::new(f.root());
    let ws = Arc::new(Workspace::load(f.root(), &fs));
    let ix = Index::new(ws);
    let (file, offset) = f.cursor.clone().expect("fixture has a $0 cursor");
    let text = std::fs::read_to_string(&file).unwrap();
    Setup {
        f,
        ix,
        pos: FilePosition { file, offset },
        text,
    }
}

fn labels(items: &[CompletionItem]) -> Vec<&str> {
    let mut v: Vec<&str> = items.iter().map(|c| c.label.as_str()).collect();
    v.sort();
    v
}

fn nav(s: &Setup, targets: &[NavTarget]) -> Vec<String> {
    targets
        .iter()
        .map(|t| {
            let text = std::fs::read_to_string(&t.file).unwrap();
            format!(
                "{}:{}",
                relative(s.f.root(), &t.file),
                &text[t.focus_range.as_usize()]
            )
        })
        .collect()
}

const FAMILY: &str = r#"
//- /auth/wrangler.toml
name = "auth"
main = "src/index.ts"
[env.staging]
//- /auth/src/index.ts
export { TokenService } from "./tokens";
export { Sessions } from "./sessions";
export default { fetch() { return new Response(); } };
//- /auth/src/tokens.ts
import { WorkerEntrypoint } from "cloudflare:workers";
export class TokenService extends WorkerEntrypoint {
  async verify(token: string): Promise<boolean> { return token.length > 0; }
  async revoke(id: string) {}
}
//- /auth/src/sessions.ts
import { DurableObject } from "cloudflare:workers";
export class Sessions extends DurableObject {
  async touch(user: string) {}
}
"#;

#[test]
fn completes_worker_names_in_an_unterminated_toml_string() {
    let s = setup(&format!(
        "{FAMILY}{}",
        "//- /api/wrangler.toml\nname = \"api\"\nmain = \"src/index.ts\"\nservices = [{ binding = \"AUTH\", service = \"au$0"
    ));
    let items = completions(&s.ix, &s.pos, &s.text);
    // The config being typed does not parse, so its own name is not known yet.
    assert_eq!(labels(&items), vec!["auth", "auth-staging"]);
    let auth = items.iter().find(|i| i.label == "auth").unwrap();
    assert_eq!(&s.text[auth.replace.as_usize()], "au");
}

#[test]
fn staging_names_rank_first_inside_an_env() {
    let s = setup(&format!(
        "{FAMILY}{}",
        "//- /api/wrangler.toml\nname = \"api\"\nmain = \"src/index.ts\"\n[env.staging]\nservices = [{ binding = \"AUTH\", service = \"$0\" }]\n"
    ));
    let items = completions(&s.ix, &s.pos, &s.text);
    let staging = items.iter().find(|i| i.label == "auth-staging").unwrap();
    let prod = items.iter().find(|i| i.label == "auth").unwrap();
    assert!(staging.sort_priority < prod.sort_priority);
}

#[test]
fn completes_entrypoints_and_do_classes_of_the_target_in_jsonc() {
    let s = setup(&format!(
        "{FAMILY}{}",
        "//- /api/wrangler.jsonc\n{\n  \"name\": \"api\",\n  \"main\": \"src/index.ts\",\n  // comment\n  \"services\": [{ \"binding\": \"AUTH\", \"service\": \"auth\", \"entrypoint\": \"$0\" }],\n}\n"
    ));
    assert_eq!(
        labels(&completions(&s.ix, &s.pos, &s.text)),
        vec!["TokenService"]
    );
    let s = setup(&format!(
        "{FAMILY}{}",
        "//- /api/wrangler.toml\nname = \"api\"\nmain = \"src/index.ts\"\n[[durable_objects.bindings]]\nname = \"S\"\nscript_name = \"auth\"\nclass_name = \"Se$0\"\n"
    ));
    assert_eq!(
        labels(&completions(&s.ix, &s.pos, &s.text)),
        vec!["Sessions"]
    );
}

#[test]
fn completes_unmigrated_classes_in_migrations() {
    let s = setup(
        r#"
//- /w/wrangler.toml
name = "w"
main = "index.ts"
[[migrations]]
tag = "v1"
new_sqlite_classes = ["A"]
[[migrations]]
tag = "v2"
new_sqlite_classes = ["$0"]
//- /w/index.ts
import { DurableObject } from "cloudflare:workers";
export class A extends DurableObject {}
export class B extends DurableObject {}
export default { fetch() {} };
"#,
    );
    assert_eq!(labels(&completions(&s.ix, &s.pos, &s.text)), vec!["B"]);
}

const API: &str = r#"
//- /api/wrangler.toml
name = "api"
main = "src/index.ts"
services = [{ binding = "AUTH", service = "auth", entrypoint = "TokenService" }]
durable_objects.bindings = [{ name = "SESSIONS", class_name = "Sessions", script_name = "auth" }]
kv_namespaces = [{ binding = "CACHE", id = "x" }]
"#;

#[test]
fn completes_env_bindings_rpc_methods_and_stub_methods() {
    let s = setup(&format!(
        "{FAMILY}{API}{}",
        "//- /api/src/index.ts\nexport default {\n  async fetch(req: Request, env: Env) {\n    env.$0\n  },\n};\n"
    ));
    let items = completions(&s.ix, &s.pos, &s.text);
    assert_eq!(labels(&items), vec!["AUTH", "CACHE", "SESSIONS"]);
    assert_eq!(
        items
            .iter()
            .find(|i| i.label == "AUTH")
            .unwrap()
            .detail
            .as_deref(),
        Some("service binding → auth (TokenService)")
    );
    assert_eq!(
        items
            .iter()
            .find(|i| i.label == "SESSIONS")
            .unwrap()
            .detail
            .as_deref(),
        Some("Durable Object binding → Sessions in auth")
    );

    let s = setup(&format!(
        "{FAMILY}{API}{}",
        "//- /api/src/index.ts\nexport default {\n  async fetch(req: Request, e: Env) {\n    await e.AUTH.ve$0\n  },\n};\n"
    ));
    let items = completions(&s.ix, &s.pos, &s.text);
    assert!(
        labels(&items).contains(&"verify") && labels(&items).contains(&"revoke"),
        "{items:?}"
    );
    let verify = items.iter().find(|i| i.label == "verify").unwrap();
    assert_eq!(
        verify.detail.as_deref(),
        Some("(token: string): Promise<boolean>")
    );

    let s = setup(&format!(
        "{FAMILY}{API}{}",
        "//- /api/src/index.ts\nexport default {\n  async fetch(req: Request, env: Env) {\n    const stub = env.SESSIONS.getByName(\"a\");\n    stub.$0\n  },\n};\n"
    ));
    assert!(labels(&completions(&s.ix, &s.pos, &s.text)).contains(&"touch"));
}

#[test]
fn definition_hover_and_references_across_workers() {
    let s = setup(&format!(
        "{FAMILY}{API}{}",
        "//- /api/src/index.ts\nexport default {\n  async fetch(req: Request, env: Env) {\n    await env.AUTH.ver$0ify(\"t\");\n    return new Response(String(env.CACHE));\n  },\n};\n"
    ));
    let defs = goto_definition(&s.ix, &s.pos);
    assert_eq!(nav(&s, &defs), vec!["auth/src/tokens.ts:verify"]);
    let h = hover(&s.ix, &s.pos).unwrap();
    assert!(
        h.markdown
            .contains("TokenService.verify(token: string): Promise<boolean>"),
        "{}",
        h.markdown
    );
    let refs = references(&s.ix, &s.pos, true);
    assert_eq!(
        nav(&s, &refs),
        vec!["api/src/index.ts:verify", "auth/src/tokens.ts:verify"]
    );

    // From the config string to the class in the other worker, through the re-export.
    let s = setup(&format!(
        "{FAMILY}{}",
        "//- /api/wrangler.toml\nname = \"api\"\nmain = \"src/index.ts\"\nservices = [{ binding = \"AUTH\", service = \"auth\", entrypoint = \"Token$0Service\" }]\n//- /api/src/index.ts\nexport default { fetch(r: Request, env: Env) { return env.AUTH.fetch(r); } };\n"
    ));
    assert_eq!(
        nav(&s, &goto_definition(&s.ix, &s.pos)),
        vec!["auth/src/tokens.ts:TokenService"]
    );
}

#[test]
fn env_access_goes_to_the_binding_and_hovers_its_target() {
    let s = setup(&format!(
        "{FAMILY}{API}{}",
        "//- /api/src/index.ts\nexport default {\n  async fetch(req: Request, env: Env) {\n    return env.AU$0TH.fetch(req);\n  },\n};\n"
    ));
    let defs = goto_definition(&s.ix, &s.pos);
    assert_eq!(nav(&s, &defs), vec!["api/wrangler.toml:AUTH"]);
    let h = hover(&s.ix, &s.pos).unwrap();
    assert!(
        h.markdown.contains(
            "service binding → worker `auth`, entrypoint `TokenService` — `auth/src/tokens.ts`"
        ),
        "{}",
        h.markdown
    );
}

#[test]
fn service_name_goes_to_the_target_config_and_renames_everywhere() {
    let s = setup(&format!(
        "{FAMILY}{}",
        "//- /api/wrangler.toml\nname = \"api\"\nmain = \"src/index.ts\"\nservices = [{ binding = \"AUTH\", service = \"a$0uth\" }]\n[env.staging]\nservices = [{ binding = \"AUTH\", service = \"auth-staging\" }]\n//- /api/src/index.ts\nexport default { fetch(r: Request, env: Env) { return env.AUTH.fetch(r); } };\n"
    ));
    assert_eq!(
        nav(&s, &goto_definition(&s.ix, &s.pos)),
        vec!["auth/wrangler.toml:auth"]
    );
    let (range, name) = prepare_rename(&s.ix, &s.pos).unwrap();
    assert_eq!((name.as_str(), &s.text[range.as_usize()]), ("auth", "auth"));
    let change = rename(&s.ix, &s.pos, "identity").unwrap();
    let api = std::fs::read_to_string(s.f.path("api/wrangler.toml")).unwrap();
    let new_api = apply_edits(&api, &change.edits[&s.f.path("api/wrangler.toml")]);
    assert!(
        new_api.contains("service = \"identity\" }")
            && new_api.contains("service = \"identity-staging\""),
        "{new_api}"
    );
    let auth = std::fs::read_to_string(s.f.path("auth/wrangler.toml")).unwrap();
    assert_eq!(
        apply_edits(&auth, &change.edits[&s.f.path("auth/wrangler.toml")]),
        auth.replace("name = \"auth\"", "name = \"identity\"")
    );
    assert!(rename(&s.ix, &s.pos, "Not Valid").is_err());
}

#[test]
fn binding_rename_touches_config_and_every_use() {
    let s = setup(&format!(
        "{FAMILY}{API}{}",
        "//- /api/src/index.ts\nimport { helper } from \"./helper\";\nexport default {\n  async fetch(req: Request, env: Env) {\n    helper();\n    return env.CA$0CHE;\n  },\n};\n//- /api/src/helper.ts\nimport { env } from \"cloudflare:workers\";\nexport function helper() { return env.CACHE; }\n"
    ));
    let change = rename(&s.ix, &s.pos, "STORE").unwrap();
    let files: Vec<String> = change
        .edits
        .keys()
        .map(|p| relative(s.f.root(), p))
        .collect();
    assert_eq!(
        files,
        vec!["api/src/helper.ts", "api/src/index.ts", "api/wrangler.toml"]
    );
    let originals: Vec<(std::path::PathBuf, String)> = change
        .edits
        .keys()
        .map(|p| (p.clone(), std::fs::read_to_string(p).unwrap()))
        .collect();
    apply_to_disk(&change);
    for (file, _) in &originals {
        let after = std::fs::read_to_string(file).unwrap();
        assert!(
            after.contains("STORE") && !after.contains("CACHE"),
            "{after}"
        );
    }
    // Rename back: every file returns to its bytes.
    let (ix, diags) = reload(&s.f);
    assert!(
        diags.iter().all(|d| d.code != "unknown-binding"),
        "{diags:?}"
    );
    let helper = s.f.path("api/src/helper.ts");
    let text = std::fs::read_to_string(&helper).unwrap();
    let offset = text.find("env.STORE").unwrap() as u32 + 5;
    let back = rename(
        &ix,
        &FilePosition {
            file: helper,
            offset,
        },
        "CACHE",
    )
    .unwrap();
    apply_to_disk(&back);
    for (file, original) in originals {
        assert_eq!(std::fs::read_to_string(&file).unwrap(), original);
    }
}

#[test]
fn quick_fixes_replace_unknown_names_and_add_migrations() {
    let f = fixture(&format!(
        "{FAMILY}{}",
        r#"
//- /api/wrangler.toml
name = "api"
main = "src/index.ts"
services = [{ binding = "AUTH", service = "auth", entrypoint = "TokenServce" }]
[[durable_objects.bindings]]
name = "ROOM"
class_name = "Room"
//- /api/src/index.ts
import { DurableObject } from "cloudflare:workers";
export class Room extends DurableObject {}
export default { fetch(r: Request, env: Env) { env.ROOM; return env.AUTH.fetch(r); } };
"#
    ));
    let fs = DiskFs::new(f.root());
    let ws = Arc::new(Workspace::load(f.root(), &fs));
    let (ix, diags) = check(ws);
    let codes: Vec<&str> = diags.iter().map(|d| d.code).collect();
    assert_eq!(codes, vec!["unknown-entrypoint", "missing-do-migration"]);
    let config = f.path("api/wrangler.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    let mut fixed = text.clone();
    for d in diags.iter().rev() {
        let fixes = fixes_for(&ix, d);
        assert_eq!(fixes.len(), 1, "{fixes:?}");
        assert_eq!(fixes[0].applicability, Applicability::Unsafe);
        fixed = apply_edits(&fixed, &fixes[0].edit.edits[&config]);
    }
    assert!(fixed.contains("entrypoint = \"TokenService\""));
    assert!(
        fixed.ends_with("[[migrations]]\ntag = \"v1\"\nnew_sqlite_classes = [\"Room\"]\n"),
        "{fixed}"
    );
    // Applied, the workspace comes out clean.
    std::fs::write(&config, &fixed).unwrap();
    let ws = Arc::new(Workspace::load(f.root(), &fs));
    assert!(check(ws).1.is_empty());
}

#[test]
fn removes_default_entrypoint_and_rewrites_deprecated_environment() {
    let f = fixture(&format!(
        "{FAMILY}{}",
        r#"
//- /api/wrangler.jsonc
{
  "name": "api",
  "main": "src/index.ts",
  "services": [
    { "binding": "A", "service": "auth", "entrypoint": "default" },
    { "binding": "B", "service": "auth", "environment": "staging" },
  ],
}
//- /api/src/index.ts
export default { fetch(r: Request, env: Env) { env.A.fetch(r); return env.B.fetch(r); } };
"#
    ));
    let fs = DiskFs::new(f.root());
    let (ix, diags) = check(Arc::new(Workspace::load(f.root(), &fs)));
    let config = f.path("api/wrangler.jsonc");
    let mut text = std::fs::read_to_string(&config).unwrap();
    let codes: Vec<&str> = diags.iter().map(|d| d.code).collect();
    assert_eq!(
        codes,
        vec![
            "default-entrypoint-string",
            "deprecated-service-environment"
        ]
    );
    for d in diags.iter().rev() {
        let fixes = fixes_for(&ix, d);
        assert_eq!(fixes.len(), 1, "{d:?}");
        let fix = &fixes[0];
        text = apply_edits(&text, &fix.edit.edits[&config]);
    }
    assert!(
        text.contains("{ \"binding\": \"A\", \"service\": \"auth\" },"),
        "{text}"
    );
    assert!(
        text.contains("{ \"binding\": \"B\", \"service\": \"auth-staging\" },"),
        "{text}"
    );
    std::fs::write(&config, &text).unwrap();
    assert!(check(Arc::new(Workspace::load(f.root(), &fs))).1.is_empty());
}

#[test]
fn symbols() {
    let s = setup(&format!("{FAMILY}{API}{}", "//- /api/src/index.ts\nexport default { fetch(r: Request, env: Env) { $0env.AUTH; env.SESSIONS; env.CACHE; } };\n"));
    let doc = document_symbols(&s.ix, &s.f.path("api/wrangler.toml"));
    assert_eq!(doc.len(), 1);
    let children: Vec<&str> = doc[0].children.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(children, vec!["AUTH", "SESSIONS", "CACHE"]);
    let names: Vec<String> = workspace_symbols(&s.ix, "tok")
        .iter()
        .map(|s| s.name.clone())
        .collect();
    assert_eq!(names, vec!["TokenService"]);
}

#[test]
fn no_position_panics() {
    let s = setup(&format!("{FAMILY}{API}{}", "//- /api/src/index.ts\nexport default { fetch(r: Request, env: Env) { env.AUTH.verify(\"😀\"); $0 } };\n"));
    for file in [
        s.f.path("api/src/index.ts"),
        s.f.path("api/wrangler.toml"),
        s.f.path("auth/src/tokens.ts"),
    ] {
        let text = std::fs::read_to_string(&file).unwrap();
        for offset in 0..=text.len() as u32 + 3 {
            let pos = FilePosition {
                file: file.clone(),
                offset,
            };
            let _ = completions(&s.ix, &pos, &text);
            let _ = hover(&s.ix, &pos);
            let _ = goto_definition(&s.ix, &pos);
            let _ = references(&s.ix, &pos, true);
            let _ = prepare_rename(&s.ix, &pos);
        }
    }
}

#[test]
fn definition_of_an_rpc_call_through_hono_context_in_the_saas_family() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../test-workspaces/families/saas")
        .canonicalize()
        .unwrap();
    let fs = DiskFs::new(&root);
    let ix = Index::new(Arc::new(Workspace::load(&root, &fs)));
    let file = root.join("gateway/src/middleware/auth.ts");
    let text = std::fs::read_to_string(&file).unwrap();
    let offset = (text.find("AUTH.verifyToken").unwrap() + 6) as u32;
    let defs = goto_definition(&ix, &FilePosition { file, offset });
    let got: Vec<String> = defs
        .iter()
        .map(|t| format!("{}:{:?}", relative(&root, &t.file), t.focus_range))
        .collect();
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(got[0].starts_with("auth/src/service.ts"), "{got:?}");
}

/// Applies a change to the files on disk.
fn apply_to_disk(change: &SourceChange) {
    for (file, edits) in &change.edits {
        let text = std::fs::read_to_string(file).unwrap();
        std::fs::write(file, apply_edits(&text, edits)).unwrap();
    }
}

fn reload(f: &Fixture) -> (Index, Vec<crate::analysis::Diagnostic>) {
    let fs = DiskFs::new(f.root());
    check(Arc::new(Workspace::load(f.root(), &fs)))
}

#[test]
fn renaming_an_entrypoint_class_follows_reexports_and_configs_and_round_trips() {
    let s = setup(&format!(
        "{}{}",
        FAMILY.replace("export class TokenService", "export class Token$0Service"),
        "//- /api/wrangler.toml\nname = \"api\"\nmain = \"src/index.ts\"\nservices = [{ binding = \"AUTH\", service = \"auth\", entrypoint = \"TokenService\" }]\n//- /api/src/index.ts\nexport default { fetch(r: Request, env: Env) { return env.AUTH.verify(\"x\"); } };\n"
    ));
    let originals: Vec<(std::path::PathBuf, String)> = [
        "auth/src/tokens.ts",
        "auth/src/index.ts",
        "api/wrangler.toml",
    ]
    .iter()
    .map(|p| (s.f.path(p), std::fs::read_to_string(s.f.path(p)).unwrap()))
    .collect();
    let (range, name) = prepare_rename(&s.ix, &s.pos).unwrap();
    assert_eq!(
        (&s.text[range.as_usize()], name.as_str()),
        ("TokenService", "TokenService")
    );
    let change = rename(&s.ix, &s.pos, "Tokens").unwrap();
    let files: Vec<String> = change
        .edits
        .keys()
        .map(|p| relative(s.f.root(), p))
        .collect();
    assert_eq!(
        files,
        vec![
            "api/wrangler.toml",
            "auth/src/index.ts",
            "auth/src/tokens.ts"
        ]
    );
    apply_to_disk(&change);
    let (ix, diags) = reload(&s.f);
    assert!(diags.is_empty(), "{diags:?}");
    // And back: every file returns to its bytes.
    let tokens = s.f.path("auth/src/tokens.ts");
    let text = std::fs::read_to_string(&tokens).unwrap();
    let offset = text.find("class Tokens").unwrap() as u32 + 7;
    let back = rename(
        &ix,
        &FilePosition {
            file: tokens,
            offset,
        },
        "TokenService",
    )
    .unwrap();
    apply_to_disk(&back);
    for (path, original) in originals {
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            original,
            "{}",
            path.display()
        );
    }
}

#[test]
fn renaming_a_durable_object_adds_a_renamed_classes_migration() {
    let s = setup(
        r#"
//- /host/wrangler.toml
# The room host.
name = "host"
main = "index.ts"
[[durable_objects.bindings]]
name = "ROOM"
class_name = "Room"
[[migrations]]
tag = "v1"
new_sqlite_classes = ["Room"]
//- /host/index.ts
import { DurableObject } from "cloudflare:workers";
export class Ro$0om extends DurableObject { async join() {} }
export default { fetch(r: Request, env: Env) { return env.ROOM.getByName("a").join(); } };
//- /client/wrangler.jsonc
{
  "name": "client",
  "main": "index.ts",
  // Bound across workers.
  "durable_objects": { "bindings": [{ "name": "ROOM", "class_name": "Room", "script_name": "host" }] },
}
//- /client/index.ts
export default { fetch(r: Request, env: Env) { return env.ROOM.getByName("b").join(); } };
"#,
    );
    let change = rename(&s.ix, &s.pos, "ChatRoom").unwrap();
    apply_to_disk(&change);
    let host = std::fs::read_to_string(s.f.path("host/wrangler.toml")).unwrap();
    assert_eq!(
        host,
        "# The room host.\nname = \"host\"\nmain = \"index.ts\"\n[[durable_objects.bindings]]\nname = \"ROOM\"\nclass_name = \"ChatRoom\"\n[[migrations]]\ntag = \"v1\"\nnew_sqlite_classes = [\"Room\"]\n\n[[migrations]]\ntag = \"v2\"\nrenamed_classes = [{ from = \"Room\", to = \"ChatRoom\" }]\n"
    );
    let client = std::fs::read_to_string(s.f.path("client/wrangler.jsonc")).unwrap();
    assert!(
        client.contains("\"class_name\": \"ChatRoom\", \"script_name\": \"host\""),
        "{client}"
    );
    let (_, diags) = reload(&s.f);
    assert!(diags.is_empty(), "{diags:?}");
}

#[test]
fn renaming_a_durable_object_in_a_jsonc_host_extends_its_migrations_array() {
    let s = setup(
        r#"
//- /host/wrangler.jsonc
{
  "name": "host",
  "main": "index.ts",
  "durable_objects": { "bindings": [{ "name": "ROOM", "class_name": "Room" }] },
  "migrations": [
    { "tag": "v1", "new_sqlite_classes": ["Room"] }
  ]
}
//- /host/index.ts
import { DurableObject } from "cloudflare:workers";
export class Ro$0om extends DurableObject {}
export default { fetch(r: Request, env: Env) { return env.ROOM; } };
"#,
    );
    apply_to_disk(&rename(&s.ix, &s.pos, "Hall").unwrap());
    let host = std::fs::read_to_string(s.f.path("host/wrangler.jsonc")).unwrap();
    assert!(
        host.contains("{ \"tag\": \"v1\", \"new_sqlite_classes\": [\"Room\"] },\n    { \"tag\": \"v2\", \"renamed_classes\": [{ \"from\": \"Room\", \"to\": \"Hall\" }] }\n  ]"),
        "{host}"
    );
    let (_, diags) = reload(&s.f);
    assert!(diags.is_empty(), "{diags:?}");
}

/// Applies the (single) `binding-not-inherited` fix of a fixture and checks the finding goes.
fn apply_the_env_fix(text: &str) -> Vec<String> {
    let f = fixture(text);
    let (ix, diags) = reload(&f);
    let d = diags
        .iter()
        .find(|d| d.code == "binding-not-inherited")
        .expect("the fixture has the finding");
    let fixes = fixes_for(&ix, d);
    assert_eq!(fixes.len(), 1, "{d:?}");
    assert_eq!(fixes[0].applicability, Applicability::Unsafe);
    let mut out = Vec::new();
    for (file, edits) in &fixes[0].edit.edits {
        let t = std::fs::read_to_string(file).unwrap();
        let new = apply_edits(&t, edits);
        std::fs::write(file, &new).unwrap();
        out.push(new);
    }
    let (_, after) = reload(&f);
    assert!(
        after.iter().all(|d| d.code != "binding-not-inherited"),
        "{after:?}"
    );
    out
}

#[test]
fn copies_missing_bindings_into_the_environment() {
    let out = apply_the_env_fix(
        "//- /w/wrangler.toml\nname = \"w\"\nmain = \"i.ts\"\nkv_namespaces = [{ binding = \"KV\", id = \"1\" }]\n[env.staging]\nname = \"w-st\"\n//- /w/i.ts\nexport default { fetch(r: Request, env: Env) { return env.KV; } };\n",
    );
    assert_eq!(out[0], "name = \"w\"\nmain = \"i.ts\"\nkv_namespaces = [{ binding = \"KV\", id = \"1\" }]\n[env.staging]\nname = \"w-st\"\nkv_namespaces = [{ binding = \"KV\", id = \"1\" }]\n");
    let out = apply_the_env_fix(
        "//- /w/wrangler.toml\nname = \"w\"\nmain = \"i.ts\"\n[[d1_databases]]\nbinding = \"DB\"\ndatabase_id = \"x\"\n[env.staging]\n//- /w/i.ts\nexport default { fetch(r: Request, env: Env) { return env.DB; } };\n",
    );
    assert!(out[0].ends_with("[env.staging]\n\n[[env.staging.d1_databases]]\nbinding = \"DB\"\ndatabase_id = \"x\"\n"), "{}", out[0]);
    let out = apply_the_env_fix(
        "//- /w/wrangler.jsonc\n{\n  \"name\": \"w\",\n  \"main\": \"i.ts\",\n  \"vars\": { \"MODE\": \"prod\" },\n  \"env\": {\n    \"staging\": {\n      \"name\": \"w-st\"\n    }\n  }\n}\n//- /w/i.ts\nexport default { fetch(r: Request, env: Env) { return env.MODE; } };\n",
    );
    assert!(
        out[0].contains(
            "\"staging\": {\n      \"vars\": { \"MODE\": \"prod\" },\n      \"name\": \"w-st\""
        ),
        "{}",
        out[0]
    );
}

#[test]
fn adds_missing_migrations_to_jsonc_configs() {
    for (migrations, expected) in [
        ("", "{\n  \"migrations\": [{ \"tag\": \"v1\", \"new_sqlite_classes\": [\"Room\"] }],\n  \"name\": \"w\","),
        (
            "\n  \"migrations\": [\n    { \"tag\": \"v1\", \"new_sqlite_classes\": [\"Old\"] }\n  ],",
            "{ \"tag\": \"v1\", \"new_sqlite_classes\": [\"Old\"] },\n    { \"tag\": \"v2\", \"new_sqlite_classes\": [\"Room\"] }\n  ],",
        ),
    ] {
        let f = fixture(&format!(
            "//- /w/wrangler.jsonc\n{{\n  \"name\": \"w\",\n  \"main\": \"i.ts\",{migrations}\n  \"durable_objects\": {{ \"bindings\": [{{ \"name\": \"R\", \"class_name\": \"Room\" }}] }},\n}}\n//- /w/i.ts\nimport {{ DurableObject }} from \"cloudflare:workers\";\nexport class Room extends DurableObject {{}}\nexport class Old extends DurableObject {{}}\nexport default {{ fetch(r: Request, env: Env) {{ return env.R; }} }};\n"
        ));
        let (ix, diags) = reload(&f);
        let d = diags.iter().find(|d| d.code == "missing-do-migration").expect("finding");
        let fixes = fixes_for(&ix, d);
        assert_eq!(fixes.len(), 1);
        apply_to_disk(&fixes[0].edit);
        let text = std::fs::read_to_string(f.path("w/wrangler.jsonc")).unwrap();
        assert!(text.contains(expected), "{text}");
        let (_, after) = reload(&f);
        assert!(after.is_empty(), "{after:?}");
    }
}

/// Reads every file of a fixture, for byte-for-byte comparisons.
fn snapshot(f: &Fixture) -> Vec<(std::path::PathBuf, String)> {
    let mut out = Vec::new();
    let mut stack = vec![f.root().to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.clone(), std::fs::read_to_string(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

fn position_of(f: &Fixture, path: &str, needle: &str, plus: u32) -> FilePosition {
    let file = f.path(path);
    let text = std::fs::read_to_string(&file).unwrap();
    let offset = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} in {path}")) as u32
        + plus;
    FilePosition { file, offset }
}

const RENAME_FAMILY: &str = r#"
//- /auth/wrangler.toml
name = "auth"
main = "src/index.ts"
[env.staging]
vars = { MODE = "staging" }
//- /auth/src/index.ts
export default { fetch(r: Request, env: Env) { return new Response(env.MODE); } };
//- /api/wrangler.jsonc
{
  // Calls auth.
  "name": "api",
  "main": "src/index.ts",
  "services": [{ "binding": "AUTH", "service": "auth" }],
  "tail_consumers": [{ "service": "auth" }],
  "env": {
    "staging": {
      "services": [{ "binding": "AUTH", "service": "auth-staging" }],
      "tail_consumers": [{ "service": "auth-staging" }]
    }
  }
}
//- /api/src/index.ts
export default { fetch(r: Request, env: Env) { return env.AUTH.fetch(r); } };
"#;

#[test]
fn worker_rename_round_trips_byte_for_byte_with_derived_names() {
    let f = fixture(RENAME_FAMILY);
    let before = snapshot(&f);
    let (ix, _) = reload(&f);
    let pos = position_of(&f, "auth/wrangler.toml", "\"auth\"", 1);
    let change = rename(&ix, &pos, "identity").unwrap();
    apply_to_disk(&change);
    let api = std::fs::read_to_string(f.path("api/wrangler.jsonc")).unwrap();
    assert_eq!(api.matches("\"identity\"").count(), 2, "{api}");
    assert_eq!(api.matches("\"identity-staging\"").count(), 2, "{api}");
    assert!(api.contains("// Calls auth."), "comments stay: {api}");
    let (ix, diags) = reload(&f);
    assert!(diags.is_empty(), "{diags:?}");
    let pos = position_of(&f, "api/wrangler.jsonc", "\"identity\"", 3);
    apply_to_disk(&rename(&ix, &pos, "auth").unwrap());
    assert_eq!(snapshot(&f), before);
}

#[test]
fn worker_rename_refuses_existing_and_derived_names() {
    let f = fixture(RENAME_FAMILY);
    let (ix, _) = reload(&f);
    let pos = position_of(&f, "auth/wrangler.toml", "\"auth\"", 1);
    let err = rename(&ix, &pos, "api").unwrap_err();
    assert!(err.contains("already exists"), "{err}");
    // `api` is free, but `api-staging`... is not taken either; a name whose staging twin is:
    let pos = position_of(&f, "api/wrangler.jsonc", "\"api\"", 1);
    let err = rename(&ix, &pos, "auth").unwrap_err();
    assert!(err.contains("`auth`"), "{err}");
    let pos = position_of(&f, "api/wrangler.jsonc", "auth-staging", 2);
    let err = rename(&ix, &pos, "identity-staging").unwrap_err();
    assert!(err.contains("derived"), "{err}");
    assert!(prepare_rename(&ix, &pos).unwrap_err().contains("derived"));
}

#[test]
fn binding_rename_refuses_a_name_the_worker_already_has() {
    let s = setup(&format!(
        "{FAMILY}{API}{}",
        "//- /api/src/index.ts\nexport default { fetch(r: Request, env: Env) { return env.CA$0CHE; } };\n"
    ));
    let err = rename(&s.ix, &s.pos, "AUTH").unwrap_err();
    assert!(err.contains("already a binding"), "{err}");
    assert!(rename(&s.ix, &s.pos, "not-an-identifier").is_err());
}

#[test]
fn binding_rename_follows_a_module_shared_by_two_workers() {
    let s = setup(
        r#"
//- /a/wrangler.toml
name = "a"
main = "../shared/index.ts"
kv_namespaces = [{ binding = "KV", id = "1" }]
//- /b/wrangler.toml
name = "b"
main = "../shared/index.ts"
kv_namespaces = [{ binding = "KV", id = "2" }]
//- /shared/index.ts
export default { fetch(r: Request, env: Env) { return env.K$0V.get("x"); } };
"#,
    );
    let change = rename(&s.ix, &s.pos, "STORE").unwrap();
    let files: Vec<String> = change
        .edits
        .keys()
        .map(|p| relative(s.f.root(), p))
        .collect();
    assert_eq!(
        files,
        vec!["a/wrangler.toml", "b/wrangler.toml", "shared/index.ts"]
    );
    let refs = nav(&s, &references(&s.ix, &s.pos, true));
    assert_eq!(
        refs,
        vec![
            "a/wrangler.toml:KV",
            "b/wrangler.toml:KV",
            "shared/index.ts:KV"
        ]
    );
    apply_to_disk(&change);
    assert!(reload(&s.f).1.is_empty());
}

#[test]
fn completes_workflow_classes_of_the_host() {
    let s = setup(
        r#"
//- /w/wrangler.toml
name = "w"
main = "index.ts"
[[workflows]]
binding = "FLOW"
name = "flow"
class_name = "$0"
//- /w/index.ts
import { WorkflowEntrypoint, DurableObject } from "cloudflare:workers";
export class Onboarding extends WorkflowEntrypoint { async run() {} }
export class Room extends DurableObject {}
export default { fetch() {} };
"#,
    );
    assert_eq!(
        labels(&completions(&s.ix, &s.pos, &s.text)),
        vec!["Onboarding"]
    );
}

#[test]
fn completes_queue_names_known_to_the_workspace() {
    let s = setup(
        r#"
//- /p/wrangler.toml
name = "p"
main = "index.ts"
[[queues.producers]]
binding = "JOBS"
queue = "jobs"
//- /p/index.ts
export default { fetch() {} };
//- /c/wrangler.json
{ "name": "c", "main": "index.ts", "queues": { "consumers": [{ "queue": "jo$0
//- /c/index.ts
export default { queue() {} };
"#,
    );
    let items = completions(&s.ix, &s.pos, &s.text);
    assert_eq!(labels(&items), vec!["jobs"]);
    assert_eq!(&s.text[items[0].replace.as_usize()], "jo");
}

#[test]
fn completes_worker_names_in_an_unterminated_json_string() {
    let s = setup(&format!(
        "{FAMILY}{}",
        "//- /api/wrangler.json\n{\n  \"name\": \"api\",\n  \"main\": \"src/index.ts\",\n  \"env\": { \"staging\": { \"services\": [{ \"binding\": \"A\", \"service\": \"au$0"
    ));
    let items = completions(&s.ix, &s.pos, &s.text);
    assert_eq!(labels(&items), vec!["auth", "auth-staging"]);
    let first = items.iter().min_by_key(|i| i.sort_priority).unwrap();
    assert_eq!(first.label, "auth-staging");
}

#[test]
fn completes_env_bindings_on_this_env_and_hono_context() {
    for body in [
        "import { WorkerEntrypoint } from \"cloudflare:workers\";\nexport class E extends WorkerEntrypoint<Env> { go() { return this.env.$0 } }\nexport default { fetch() {} };\n",
        "import { Hono } from \"hono\";\nconst app = new Hono<{ Bindings: Env }>();\napp.get(\"/\", (c) => c.env.CA$0);\nexport default app;\n",
    ] {
        let s = setup(&format!("{FAMILY}{API}//- /api/src/index.ts\n{body}"));
        assert_eq!(
            labels(&completions(&s.ix, &s.pos, &s.text)),
            vec!["AUTH", "CACHE", "SESSIONS"],
            "{body}"
        );
    }
}

#[test]
fn completes_stub_methods_on_a_get_call() {
    let s = setup(&format!(
        "{FAMILY}{API}{}",
        "//- /api/src/index.ts\nexport default { fetch(r: Request, env: Env) { return env.SESSIONS.get(env.SESSIONS.idFromName(\"a\")).$0 } };\n"
    ));
    let items = completions(&s.ix, &s.pos, &s.text);
    let touch = items.iter().find(|i| i.label == "touch").unwrap();
    assert_eq!(touch.detail.as_deref(), Some("(user: string)"));
    assert!(labels(&items).contains(&"fetch"));
}

#[test]
fn completes_live_classes_in_renamed_classes_from() {
    let s = setup(
        r#"
//- /w/wrangler.toml
name = "w"
main = "index.ts"
[[migrations]]
tag = "v1"
new_sqlite_classes = ["Room", "Lobby"]
[[migrations]]
tag = "v2"
renamed_classes = [{ from = "$0", to = "Hall" }]
//- /w/index.ts
import { DurableObject } from "cloudflare:workers";
export class Hall extends DurableObject {}
export class Lobby extends DurableObject {}
export default { fetch() {} };
"#,
    );
    let items = completions(&s.ix, &s.pos, &s.text);
    // The migrations as saved replay v2 with an empty `from`; both v1 classes are live, and the
    // one no longer exported comes first.
    assert_eq!(labels(&items), vec!["Lobby", "Room"]);
    let first = items.iter().min_by_key(|i| i.sort_priority).unwrap();
    assert_eq!(first.label, "Room");
}

#[test]
fn hover_on_a_class_lists_the_workers_binding_it() {
    let s = setup(&format!(
        "{}{API}//- /api/src/index.ts\nexport default {{ fetch(r: Request, env: Env) {{ return env.AUTH.fetch(r); }} }};\n",
        FAMILY.replace("export class Sessions", "export class Sess$0ions")
    ));
    let h = hover(&s.ix, &s.pos).unwrap();
    assert!(
        h.markdown.contains("class extends `DurableObject`"),
        "{}",
        h.markdown
    );
    assert!(
        h.markdown
            .contains("- `api` as `SESSIONS` (Durable Object binding, production)"),
        "{}",
        h.markdown
    );
}

#[test]
fn hover_on_a_worker_name_lists_every_kind_of_binding() {
    let s = setup(&format!(
        "{}{API}//- /api/src/index.ts\nexport default {{ fetch(r: Request, env: Env) {{ return env.AUTH.fetch(r); }} }};\n",
        FAMILY.replace("name = \"auth\"", "name = \"au$0th\"")
    ));
    let h = hover(&s.ix, &s.pos).unwrap();
    assert!(
        h.markdown
            .contains("- `api` as `AUTH` (service binding, production)"),
        "{}",
        h.markdown
    );
    assert!(
        h.markdown
            .contains("- `api` as `SESSIONS` (Durable Object binding, production)"),
        "{}",
        h.markdown
    );
}

#[test]
fn environment_drift_is_fixed_to_the_environments_worker_name() {
    let f = fixture(&format!(
        "{FAMILY}{}",
        "//- /api/wrangler.toml\nname = \"api\"\nmain = \"src/index.ts\"\nservices = [{ binding = \"AUTH\", service = \"auth\" }]\n[env.staging]\nservices = [{ binding = \"AUTH\", service = \"auth\" }]\n//- /api/src/index.ts\nexport default { fetch(r: Request, env: Env) { return env.AUTH.fetch(r); } };\n"
    ));
    let (ix, diags) = reload(&f);
    let d = diags
        .iter()
        .find(|d| d.code == "environment-drift")
        .unwrap_or_else(|| panic!("{diags:?}"));
    let fixes = fixes_for(&ix, d);
    assert_eq!(fixes.len(), 1, "{fixes:?}");
    assert_eq!(fixes[0].applicability, Applicability::Unsafe);
    apply_to_disk(&fixes[0].edit);
    let text = std::fs::read_to_string(f.path("api/wrangler.toml")).unwrap();
    assert!(
        text.ends_with(
            "[env.staging]\nservices = [{ binding = \"AUTH\", service = \"auth-staging\" }]\n"
        ),
        "{text}"
    );
    assert!(reload(&f).1.iter().all(|d| d.code != "environment-drift"));
}

#[test]
fn no_position_panics_in_broken_configs_with_multibyte_text() {
    let f = fixture(
        r#"
//- /a/wrangler.toml
name = "a" # é😀
main = "i.ts"
services = [{ binding = "😀", service = "b
[env.ü]
durable_objects.bindings = [{ name = "X", class_name = "Ü
[[migrations]]
tag = "v1"
new_classes = ["é
//- /b/wrangler.jsonc
{ "name": "b", /* 😀 */ "services": [{ "service": "é", "entrypoint": "
  "env": { "ü": { "workflows": [{ "class_name": "😀
//- /a/i.ts
export default { fetch(r: Request, env: Env) { env.😀; env.X.get("é").; } };
"#,
    );
    let (ix, _) = reload(&f);
    for path in ["a/wrangler.toml", "b/wrangler.jsonc", "a/i.ts"] {
        let file = f.path(path);
        let text = std::fs::read_to_string(&file).unwrap();
        for offset in 0..=text.len() as u32 + 2 {
            let pos = FilePosition {
                file: file.clone(),
                offset,
            };
            let _ = completions(&ix, &pos, &text);
            let _ = hover(&ix, &pos);
            let _ = goto_definition(&ix, &pos);
            let _ = references(&ix, &pos, true);
            let _ = prepare_rename(&ix, &pos);
            let _ = rename(&ix, &pos, "Z");
            // Text cut at the cursor: what the editor holds while typing.
            if let Some(cut) = text.get(..offset as usize) {
                let _ = completions(&ix, &pos, cut);
            }
        }
        let _ = document_symbols(&ix, &file);
    }
    let _ = workspace_symbols(&ix, "😀");
}

const IMPORTED_ENTRYPOINT: &str = r#"
//- /auth/wrangler.toml
name = "auth"
main = "src/index.ts"
//- /auth/src/index.ts
import { TokenService } from "./tokens";
import type { TokenService as Tokens } from "./tokens";
export { TokenService };
export type Alias = Tokens;
export default { fetch(r: Request) { return new Response(String(new TokenService() instanceof TokenService)); } };
//- /auth/src/tokens.ts
import { WorkerEntrypoint } from "cloudflare:workers";
export class Token$0Service extends WorkerEntrypoint {
  // TokenService stays in comments.
  static make(): TokenService { return new TokenService(); }
  async verify(token: string) { return token === "TokenService"; }
}
//- /api/wrangler.toml
name = "api"
main = "src/index.ts"
services = [{ binding = "AUTH", service = "auth", entrypoint = "TokenService" }]
//- /api/src/index.ts
export default { fetch(r: Request, env: Env) { return env.AUTH.verify("x"); } };
"#;

#[test]
fn class_rename_follows_imports_and_uses_and_round_trips() {
    let s = setup(IMPORTED_ENTRYPOINT);
    let before = snapshot(&s.f);
    let change = rename(&s.ix, &s.pos, "Tokens2").unwrap();
    apply_to_disk(&change);
    let index = std::fs::read_to_string(s.f.path("auth/src/index.ts")).unwrap();
    assert_eq!(
        index,
        "import { Tokens2 } from \"./tokens\";\nimport type { Tokens2 as Tokens } from \"./tokens\";\nexport { Tokens2 };\nexport type Alias = Tokens;\nexport default { fetch(r: Request) { return new Response(String(new Tokens2() instanceof Tokens2)); } };\n"
    );
    let tokens = std::fs::read_to_string(s.f.path("auth/src/tokens.ts")).unwrap();
    assert!(
        tokens.contains("// TokenService stays in comments."),
        "{tokens}"
    );
    assert!(tokens.contains("token === \"TokenService\""), "{tokens}");
    assert!(
        tokens.contains("static make(): Tokens2 { return new Tokens2(); }"),
        "{tokens}"
    );
    let (ix, diags) = reload(&s.f);
    assert!(diags.is_empty(), "{diags:?}");
    let pos = position_of(&s.f, "api/wrangler.toml", "Tokens2", 1);
    apply_to_disk(&rename(&ix, &pos, "TokenService").unwrap());
    assert_eq!(snapshot(&s.f), before);
}

#[test]
fn class_references_include_source_uses_across_modules() {
    let s = setup(IMPORTED_ENTRYPOINT);
    let refs = nav(&s, &references(&s.ix, &s.pos, false));
    assert_eq!(
        refs,
        vec![
            "api/wrangler.toml:TokenService",
            "auth/src/index.ts:TokenService",
            "auth/src/index.ts:TokenService",
            "auth/src/index.ts:TokenService",
            "auth/src/index.ts:TokenService",
            "auth/src/index.ts:TokenService",
            "auth/src/tokens.ts:TokenService",
            "auth/src/tokens.ts:TokenService",
        ]
    );
}

#[test]
fn class_rename_keeps_names_given_by_an_export_alias() {
    let s = setup(
        r#"
//- /auth/wrangler.toml
name = "auth"
main = "index.ts"
//- /auth/index.ts
import { WorkerEntrypoint } from "cloudflare:workers";
class Impl$0 extends WorkerEntrypoint { async ping() {} }
export { Impl as Public };
export default { fetch() { return new Response(); } };
//- /api/wrangler.toml
name = "api"
main = "index.ts"
services = [{ binding = "AUTH", service = "auth", entrypoint = "Public" }]
//- /api/index.ts
export default { fetch(r: Request, env: Env) { return env.AUTH.ping(); } };
"#,
    );
    let change = rename(&s.ix, &s.pos, "Inner").unwrap();
    let files: Vec<String> = change
        .edits
        .keys()
        .map(|p| relative(s.f.root(), p))
        .collect();
    assert_eq!(files, vec!["auth/index.ts"]);
    apply_to_disk(&change);
    assert!(std::fs::read_to_string(s.f.path("auth/index.ts"))
        .unwrap()
        .contains("export { Inner as Public };"));
    assert!(reload(&s.f).1.is_empty());
}

#[test]
fn class_rename_refuses_a_taken_name_and_shorthand_properties() {
    let s = setup(IMPORTED_ENTRYPOINT);
    let err = rename(&s.ix, &s.pos, "Tokens").unwrap_err();
    assert!(err.contains("already used in auth/src/index.ts"), "{err}");
    assert!(rename(&s.ix, &s.pos, "1abc").is_err());
    let s = setup(&IMPORTED_ENTRYPOINT.replace(
        "export type Alias = Tokens;",
        "export const all = { TokenService };",
    ));
    let err = rename(&s.ix, &s.pos, "Other").unwrap_err();
    assert!(err.contains("shorthand"), "{err}");
}

#[test]
fn durable_object_rename_through_an_entry_module_that_imports_it() {
    let s = setup(
        r#"
//- /host/wrangler.toml
name = "host"
main = "src/index.ts"
durable_objects.bindings = [{ name = "ROOM", class_name = "Room" }]
[[migrations]]
tag = "v1"
new_sqlite_classes = ["Room"]
//- /host/src/index.ts
import { Room } from "./room";
export { Room };
export default { fetch(r: Request, env: { ROOM: DurableObjectNamespace<Room> }) { return env.ROOM.getByName("a").join(); } };
//- /host/src/room.ts
import { DurableObject } from "cloudflare:workers";
export class Ro$0om extends DurableObject { async join() {} }
"#,
    );
    apply_to_disk(&rename(&s.ix, &s.pos, "Hall").unwrap());
    let index = std::fs::read_to_string(s.f.path("host/src/index.ts")).unwrap();
    assert!(
        index.contains("import { Hall } from \"./room\";\nexport { Hall };"),
        "{index}"
    );
    assert!(index.contains("DurableObjectNamespace<Hall>"), "{index}");
    let config = std::fs::read_to_string(s.f.path("host/wrangler.toml")).unwrap();
    assert!(config.contains("class_name = \"Hall\""), "{config}");
    assert!(
        config.ends_with("[[migrations]]\ntag = \"v2\"\nrenamed_classes = [{ from = \"Room\", to = \"Hall\" }]\n"),
        "{config}"
    );
    assert!(reload(&s.f).1.is_empty());
}

#[test]
fn invalid_worker_name_fix_renames_every_reference() {
    let f = fixture(
        r#"
//- /auth/wrangler.toml
name = "Auth_Service"
main = "i.ts"
//- /auth/i.ts
export default { fetch() { return new Response(); } };
//- /api/wrangler.toml
name = "api"
main = "i.ts"
services = [{ binding = "AUTH", service = "Auth_Service" }]
//- /api/i.ts
export default { fetch(r: Request, env: Env) { return env.AUTH.fetch(r); } };
"#,
    );
    let (ix, diags) = reload(&f);
    let d = diags
        .iter()
        .find(|d| d.code == "invalid-worker-name")
        .unwrap_or_else(|| panic!("{diags:?}"));
    let fixes = fixes_for(&ix, d);
    assert_eq!(fixes.len(), 1, "{fixes:?}");
    assert_eq!(fixes[0].applicability, Applicability::Unsafe);
    apply_to_disk(&fixes[0].edit);
    let api = std::fs::read_to_string(f.path("api/wrangler.toml")).unwrap();
    assert!(api.contains("service = \"auth_service\""), "{api}");
    let (_, after) = reload(&f);
    assert!(after.is_empty(), "{after:?}");
}

#[test]
fn unexported_live_class_gets_a_rename_migration_offered_not_auto_applied() {
    let f = fixture(
        r#"
//- /w/wrangler.toml
name = "w"
main = "i.ts"
durable_objects.bindings = [{ name = "R", class_name = "ChatRoom" }]
[[migrations]]
tag = "v1"
new_sqlite_classes = ["Room"]
//- /w/i.ts
import { DurableObject } from "cloudflare:workers";
export class ChatRoom extends DurableObject {}
export default { fetch(r: Request, env: Env) { return env.R; } };
"#,
    );
    let (ix, diags) = reload(&f);
    let d = diags
        .iter()
        .find(|d| d.code == "migration-class-not-exported")
        .unwrap_or_else(|| panic!("{diags:?}"));
    let fixes = fixes_for(&ix, d);
    let titles: Vec<&str> = fixes.iter().map(|a| a.title.as_str()).collect();
    assert_eq!(
        titles,
        vec![
            "Add a migration renaming `Room` to `ChatRoom` (keeps its objects)",
            "Add a migration deleting `Room` (deletes its stored objects)"
        ]
    );
    assert_eq!(fixes[0].applicability, Applicability::Unsafe);
    apply_to_disk(&fixes[0].edit);
    let (_, after) = reload(&f);
    assert!(after.is_empty(), "{after:?}");
}

#[test]
fn stub_methods_come_from_the_nearest_typed_declaration() {
    let s = setup(&format!(
        "{FAMILY}{API}{}",
        "//- /api/src/index.ts\nfunction a(env: Env) { const stub = env.AUTH.get(\"x\"); }\nexport default { fetch(r: Request, env: Env) {\n  const stub: DurableObjectStub = await env.SESSIONS.get(env.SESSIONS.idFromName(\"a\"));\n  stub.to$0\n} };\n"
    ));
    let items = completions(&s.ix, &s.pos, &s.text);
    assert!(labels(&items).contains(&"touch"), "{items:?}");
    assert!(!labels(&items).contains(&"verify"));
}

#[test]
fn workspace_symbols_rank_prefix_matches_before_subsequences() {
    let s = setup(&format!(
        "{FAMILY}{API}//- /api/src/index.ts\nexport default {{ fetch() {{ $0 }} }};\n"
    ));
    let names: Vec<String> = workspace_symbols(&s.ix, "se")
        .iter()
        .map(|s| s.name.clone())
        .collect();
    assert_eq!(names, vec!["Sessions", "TokenService"]);
    let names: Vec<String> = workspace_symbols(&s.ix, "")
        .iter()
        .map(|s| s.name.clone())
        .collect();
    assert_eq!(
        names,
        vec!["Sessions", "TokenService", "api", "auth", "auth-staging"]
    );
}

#[test]
fn unknown_binding_in_source_is_replaced_by_the_single_suggestion() {
    let f = fixture(&format!(
        "{FAMILY}{API}//- /api/src/index.ts\nexport default {{ fetch(r: Request, env: Env) {{ env.SESSIONS; env.AUTH; return env.CACHEE; }} }};\n"
    ));
    let (ix, diags) = reload(&f);
    let d = diags
        .iter()
        .find(|d| d.code == "unknown-binding")
        .unwrap_or_else(|| panic!("{diags:?}"));
    let fixes = fixes_for(&ix, d);
    assert_eq!(fixes.len(), 1);
    assert_eq!(fixes[0].applicability, Applicability::Unsafe);
    apply_to_disk(&fixes[0].edit);
    let text = std::fs::read_to_string(f.path("api/src/index.ts")).unwrap();
    assert!(text.contains("return env.CACHE;"), "{text}");
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let (src, dst) = (e.path(), to.join(e.file_name()));
        if e.file_type().unwrap().is_dir() {
            copy_dir(&src, &dst);
        } else {
            std::fs::copy(&src, &dst).unwrap();
        }
    }
}

/// Whether a file's new text parses (configs) or summarises without syntax errors (sources).
fn reparses(path: &std::path::Path, text: &str) -> bool {
    if let Some(format) = crate::config::ConfigFormat::from_path(path) {
        crate::config::parse_config(format, text)
            .syntax_errors
            .is_empty()
    } else if let Some(lang) = crate::source::SourceLang::from_path(path) {
        !crate::source::has_syntax_errors(text, lang)
    } else {
        true
    }
}

/// Every renamable item of a bundled family, renamed and renamed back: each edited file
/// re-parses, the findings stay what they were, and (but for Durable Object classes, whose
/// rename adds a migration on purpose) every file comes back byte for byte.
fn every_rename_round_trips(family: &str) -> usize {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../test-workspaces/families")
        .join(family);
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap().join(family);
    copy_dir(&src, &root);
    let load = || {
        let fs = DiskFs::new(&root);
        check(Arc::new(Workspace::load(&root, &fs)))
    };
    let codes = |d: &[crate::analysis::Diagnostic]| {
        let mut c: Vec<&str> = d.iter().map(|d| d.code).collect();
        c.sort_unstable();
        c.join(" ")
    };
    let (ix, diags) = load();
    let findings = codes(&diags);
    let mut files: Vec<std::path::PathBuf> = ix.ws.configs.iter().map(|c| c.path.clone()).collect();
    files.extend(ix.ws.sources.keys().cloned());
    files.sort();
    // One cursor per distinct item.
    let mut items: Vec<(String, FilePosition, TextRange, String)> = Vec::new();
    let mut refusals: Vec<String> = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for offset in 0..text.len() as u32 {
            let pos = FilePosition {
                file: file.clone(),
                offset,
            };
            let Some((item, _)) = super::resolve::item_at(&ix, file, offset) else {
                continue;
            };
            let key = format!("{item:?}");
            if items.iter().any(|(k, ..)| *k == key) || refusals.iter().any(|r| r.starts_with(&key))
            {
                continue;
            }
            match prepare_rename(&ix, &pos) {
                Ok((range, name)) => items.push((key, pos, range, name)),
                Err(e) => refusals.push(format!("{key}: {e}")),
            }
        }
    }
    assert!(items.len() > 20, "only {} renamable items", items.len());
    // What cannot be renamed: RPC methods, queues and secrets, each saying so.
    for r in &refusals {
        assert!(
            r.contains("RPC methods")
                || r.contains("queues")
                || r.contains("is a secret")
                || r.contains("is derived from"),
            "{r}"
        );
    }
    let originals: Vec<(std::path::PathBuf, String)> = files
        .iter()
        .map(|f| (f.clone(), std::fs::read_to_string(f).unwrap()))
        .collect();
    let mut renamed = 0;
    for (key, pos, range, old) in &items {
        let is_worker = key.starts_with("Worker");
        let new = if is_worker {
            format!("{old}-next")
        } else {
            format!("{old}Next")
        };
        let change = match rename(&ix, pos, &new) {
            Ok(c) => c,
            Err(e) => {
                // Refusals must say why; none of them may be for a clean family's plain names.
                panic!("{key}: {e}");
            }
        };
        for (file, edits) in &change.edits {
            let text = std::fs::read_to_string(file).unwrap();
            let new_text = apply_edits(&text, edits);
            assert!(
                reparses(file, &new_text),
                "{key}: {} no longer parses:\n{new_text}",
                file.display()
            );
        }
        apply_to_disk(&change);
        let (ix2, after) = load();
        assert_eq!(codes(&after), findings, "{key} -> {new}: {after:?}");
        // The cursor's name, after the edits before it in its file.
        let delta: i64 = change.edits[&pos.file]
            .iter()
            .filter(|e| e.range.end <= range.start)
            .map(|e| e.new_text.len() as i64 - e.range.len() as i64)
            .sum();
        let back_pos = FilePosition {
            file: pos.file.clone(),
            offset: (range.start as i64 + delta) as u32,
        };
        let back = rename(&ix2, &back_pos, old).unwrap_or_else(|e| panic!("{key} back: {e}"));
        apply_to_disk(&back);
        let durable_object = change
            .edits
            .values()
            .flatten()
            .any(|e| e.new_text.contains("renamed_classes"));
        for (file, original) in &originals {
            let now = std::fs::read_to_string(file).unwrap();
            if !durable_object {
                assert_eq!(&now, original, "{key}: {} changed", file.display());
            }
            std::fs::write(file, original).unwrap();
        }
        renamed += 1;
    }
    assert_eq!(renamed, items.len());
    renamed
}

#[test]
fn every_rename_in_the_shop_family_reparses_keeps_it_clean_and_round_trips() {
    assert!(every_rename_round_trips("shop") >= 28);
}

#[test]
fn every_rename_in_the_saas_family_reparses_keeps_its_findings_and_round_trips() {
    assert!(every_rename_round_trips("saas") > 20);
}

/// Every fix of every finding in the bundled workspaces leaves parsing files; each safe one,
/// applied alone, removes a finding of its code and brings no new kind of finding.
#[test]
fn every_fix_of_the_bundled_workspaces_reparses_and_safe_fixes_fix() {
    let base = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../test-workspaces");
    let mut roots = Vec::new();
    for rule in std::fs::read_dir(base.join("rules")).unwrap().flatten() {
        for side in ["fires", "ok"] {
            roots.push(rule.path().join(side));
        }
    }
    for family in ["saas", "shop"] {
        roots.push(base.join("families").join(family));
    }
    roots.sort();
    let (mut offered, mut applied) = (0, 0);
    for src in roots.iter().filter(|r| r.is_dir()) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap().join("w");
        copy_dir(src, &root);
        let load = || {
            let fs = DiskFs::new(&root);
            check(Arc::new(Workspace::load(&root, &fs)))
        };
        let (ix, diags) = load();
        let count = |d: &[crate::analysis::Diagnostic], code: &str| {
            d.iter().filter(|d| d.code == code).count()
        };
        for d in &diags {
            for fix in fixes_for(&ix, d) {
                offered += 1;
                let mut saved = Vec::new();
                for (file, edits) in &fix.edit.edits {
                    let text = std::fs::read_to_string(file).unwrap();
                    let new = apply_edits(&text, edits);
                    assert!(
                        reparses(file, &new),
                        "{}: {} breaks {}",
                        src.display(),
                        fix.title,
                        file.display()
                    );
                    saved.push((file.clone(), text));
                }
                if fix.applicability == Applicability::DisplayOnly {
                    continue;
                }
                applied += 1;
                apply_to_disk(&fix.edit);
                let (_, after) = load();
                assert!(
                    count(&after, d.code) < count(&diags, d.code),
                    "{}: `{}` did not fix {}: {after:?}",
                    src.display(),
                    fix.title,
                    d.code
                );
                for a in &after {
                    assert!(
                        count(&diags, a.code) > 0,
                        "{}: `{}` brought {a:?}",
                        src.display(),
                        fix.title
                    );
                }
                for (file, text) in saved {
                    std::fs::write(file, text).unwrap();
                }
            }
        }
    }
    assert!(
        offered > 20 && applied > 10,
        "{offered} offered, {applied} applied"
    );
}

#[test]
fn no_fix_or_feature_panics_on_the_bad_input_corpus() {
    let base =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../test-workspaces/bad-input");
    for entry in std::fs::read_dir(&base).unwrap().flatten() {
        let root = entry.path();
        if !root.is_dir() {
            continue;
        }
        let fs = DiskFs::new(&root);
        let (ix, diags) = check(Arc::new(Workspace::load(&root, &fs)));
        for d in &diags {
            let _ = fixes_for(&ix, d);
        }
        let mut files: Vec<std::path::PathBuf> =
            ix.ws.configs.iter().map(|c| c.path.clone()).collect();
        files.extend(ix.ws.sources.keys().cloned());
        for file in files {
            let text = ix.ws.text(&file).map(|t| t.to_string()).unwrap_or_default();
            let _ = document_symbols(&ix, &file);
            for offset in (0..=text.len() as u32 + 1).step_by(3) {
                let pos = FilePosition {
                    file: file.clone(),
                    offset,
                };
                let _ = completions(&ix, &pos, &text);
                let _ = hover(&ix, &pos);
                let _ = goto_definition(&ix, &pos);
                let _ = references(&ix, &pos, false);
                let _ = rename(&ix, &pos, "Renamed");
            }
        }
        let _ = workspace_symbols(&ix, "a");
    }
}

#[test]
fn hover_on_a_durable_object_binding_names_the_class_file_in_the_host() {
    let s = setup(&format!(
        "{FAMILY}{API}{}",
        "//- /api/src/index.ts\nexport default { fetch(r: Request, env: Env) { return env.SESS$0IONS.getByName(\"a\").touch(\"u\"); } };\n"
    ));
    let h = hover(&s.ix, &s.pos).unwrap();
    assert!(
        h.markdown.contains(
            "production: Durable Object binding → class `Sessions` hosted by `auth` — `auth/src/sessions.ts`"
        ),
        "{}",
        h.markdown
    );
}

#[test]
fn completes_entrypoints_in_a_toml_services_block() {
    let s = setup(&format!(
        "{FAMILY}{}",
        "//- /api/wrangler.toml\nname = \"api\"\nmain = \"src/index.ts\"\n[[services]]\nbinding = \"AUTH\"\nservice = \"auth\"\nentrypoint = \"T$0"
    ));
    let items = completions(&s.ix, &s.pos, &s.text);
    assert_eq!(labels(&items), vec!["TokenService"]);
    assert_eq!(&s.text[items[0].replace.as_usize()], "T");
}

#[test]
fn completes_tail_consumers_and_deprecated_environments() {
    let s = setup(&format!(
        "{FAMILY}{}",
        "//- /api/wrangler.toml\nname = \"api\"\nmain = \"src/index.ts\"\ntail_consumers = [{ service = \"a$0\" }]\n"
    ));
    assert!(labels(&completions(&s.ix, &s.pos, &s.text)).contains(&"auth"));
    let s = setup(&format!(
        "{FAMILY}{}",
        "//- /api/wrangler.toml\nname = \"api\"\nmain = \"src/index.ts\"\nservices = [{ binding = \"A\", service = \"auth\", environment = \"$0\" }]\n"
    ));
    let items = completions(&s.ix, &s.pos, &s.text);
    assert_eq!(labels(&items), vec!["staging"]);
    assert_eq!(
        items[0].detail.as_deref(),
        Some("environment (worker `auth-staging`)")
    );
}

#[test]
fn a_module_no_entry_imports_yet_belongs_to_the_worker_of_its_folder() {
    let s = setup(&format!(
        "{FAMILY}{API}{}",
        "//- /api/src/index.ts\nexport default { fetch() {} };\n//- /api/src/new-file.ts\nexport function f(env: Env) { return env.$0 }\n"
    ));
    assert_eq!(
        labels(&completions(&s.ix, &s.pos, &s.text)),
        vec!["AUTH", "CACHE", "SESSIONS"]
    );
}

/// The completion labels at the fixture's cursor, sorted.
fn labels_at(s: &Setup) -> Vec<String> {
    let items = completions(&s.ix, &s.pos, &s.text);
    labels(&items).into_iter().map(str::to_string).collect()
}

fn has(labels: &[String], label: &str) -> bool {
    labels.iter().any(|l| l == label)
}

const KEYS_WORKER: &str =
    "//- /w/src/index.ts\nexport default { fetch() { return new Response(); } };\n";

#[test]
fn completes_the_keys_of_the_table_at_the_cursor_in_a_half_typed_toml() {
    // `comm` alone on its line does not parse: the table comes from the text.
    let s = setup(&format!(
        "{KEYS_WORKER}//- /w/wrangler.toml\nname = \"w\"\nmain = \"src/index.ts\"\n[build]\ncomm$0\n"
    ));
    let items = completions(&s.ix, &s.pos, &s.text);
    assert_eq!(labels(&items), vec!["command", "cwd", "watch_dir"]);
    let command = items.iter().find(|i| i.label == "command").unwrap();
    assert_eq!(command.kind, CompletionKind::Key);
    assert_eq!(&s.text[command.replace.as_usize()], "comm");
    assert_eq!(command.insert_text, None);
    assert_eq!(command.detail.as_deref(), Some("string"));
    assert!(command
        .documentation
        .as_deref()
        .unwrap()
        .contains("wrangler"));
    // At the top level: every top-level key, `compatibility_date` among them.
    let s = setup(&format!(
        "{KEYS_WORKER}//- /w/wrangler.toml\nname = \"w\"\ncompat$0\n[build]\ncommand = \"x\"\n"
    ));
    let items = completions(&s.ix, &s.pos, &s.text);
    let top = labels(&items);
    assert!(top.contains(&"compatibility_date"), "{top:?}");
    assert!(top.contains(&"keep_vars"));
    assert!(!top.contains(&"command"));
    // Quoted where TOML needs it.
    let schema = items.iter().find(|i| i.label == "$schema").unwrap();
    assert_eq!(schema.insert_text.as_deref(), Some("\"$schema\""));
}

#[test]
fn completes_environment_keys_and_table_headers() {
    let s = setup(&format!(
        "{KEYS_WORKER}//- /w/wrangler.toml\nname = \"w\"\n[env.staging]\n$0\n"
    ));
    let env = labels_at(&s).join(" ");
    assert!(
        env.contains("r2_buckets") && env.contains("routes"),
        "{env}"
    );
    // Top-level only keys are not offered in an environment.
    assert!(
        !env.split(' ').any(|k| k == "keep_vars" || k == "env"),
        "{env}"
    );
    // `[` offers tables, `[[` arrays of tables.
    let s = setup(&format!(
        "{KEYS_WORKER}//- /w/wrangler.toml\nname = \"w\"\n[$0\n"
    ));
    let tables = labels_at(&s);
    assert!(has(&tables, "build") && has(&tables, "vars"), "{tables:?}");
    assert!(!has(&tables, "name") && !has(&tables, "migrations"));
    let s = setup(&format!(
        "{KEYS_WORKER}//- /w/wrangler.toml\nname = \"w\"\n[[mig$0\n"
    ));
    let arrays = labels_at(&s);
    assert!(has(&arrays, "migrations") && has(&arrays, "r2_buckets"));
    assert!(!has(&arrays, "build") && !has(&arrays, "compatibility_flags"));
    // Inside `[[migrations]]`, the keys of one migration.
    let s = setup(&format!(
        "{KEYS_WORKER}//- /w/wrangler.toml\nname = \"w\"\n[[migrations]]\ntag = \"v1\"\nnew$0\n"
    ));
    let migration = labels_at(&s);
    assert!(has(&migration, "new_sqlite_classes") && has(&migration, "tag"));
    let tag = completions(&s.ix, &s.pos, &s.text)
        .into_iter()
        .find(|i| i.label == "tag")
        .unwrap();
    // Required keys sort first.
    assert_eq!(tag.sort_priority, 0);
}

#[test]
fn completes_keys_in_jsonc_with_and_without_quotes() {
    let s = setup(&format!(
        "{KEYS_WORKER}//- /w/wrangler.jsonc\n{{\n  \"name\": \"w\",\n  // comment\n  \"services\": [{{ \"binding\": \"A\", \"$0\" }}],\n}}\n"
    ));
    let items = completions(&s.ix, &s.pos, &s.text);
    let got = labels(&items);
    assert!(
        got.contains(&"service") && got.contains(&"entrypoint"),
        "{got:?}"
    );
    assert!(items.iter().all(|i| i.insert_text.is_none()));
    let s = setup(&format!(
        "{KEYS_WORKER}//- /w/wrangler.jsonc\n{{\n  \"name\": \"w\",\n  compat$0\n"
    ));
    let items = completions(&s.ix, &s.pos, &s.text);
    let date = items
        .iter()
        .find(|i| i.label == "compatibility_date")
        .unwrap();
    assert_eq!(date.insert_text.as_deref(), Some("\"compatibility_date\""));
    assert_eq!(&s.text[date.replace.as_usize()], "compat");
}

#[test]
fn value_completion_is_unchanged_where_a_value_is_typed() {
    // Inside a string value, worker names, not keys.
    let s = setup(&format!(
        "{FAMILY}{}",
        "//- /api/wrangler.toml\nname = \"api\"\nmain = \"src/index.ts\"\nservices = [{ binding = \"AUTH\", service = \"$0\" }]\n"
    ));
    let items = completions(&s.ix, &s.pos, &s.text);
    assert!(items.iter().all(|i| i.kind == CompletionKind::Worker));
    // After `=`, nothing.
    let s = setup(&format!(
        "{KEYS_WORKER}//- /w/wrangler.toml\nname = \"w\"\nworkers_dev = $0\n"
    ));
    assert!(completions(&s.ix, &s.pos, &s.text).is_empty());
}

#[test]
fn hover_on_a_key_shows_the_schema_docs() {
    let s = setup(&format!(
        "{KEYS_WORKER}//- /w/wrangler.toml\nname = \"w\"\nmain = \"src/index.ts\"\ncompatibility_d$0ate = \"2025-01-01\"\n"
    ));
    let h = hover(&s.ix, &s.pos).unwrap();
    assert_eq!(&s.text[h.range.as_usize()], "compatibility_date");
    assert!(
        h.markdown.starts_with("**`compatibility_date`** · string"),
        "{}",
        h.markdown
    );
    assert!(
        h.markdown.contains("version of the Workers runtime"),
        "{}",
        h.markdown
    );
    assert!(h
        .markdown
        .contains(crate::config::schema::wrangler_version()));
    let s = setup(&format!(
        "{KEYS_WORKER}//- /w/wrangler.toml\nname = \"w\"\nma$0in = \"src/index.ts\"\n"
    ));
    let h = hover(&s.ix, &s.pos).unwrap();
    assert!(h.markdown.starts_with("**`main`**"), "{}", h.markdown);
    // The worker name's value still hovers as the worker.
    let s = setup(&format!(
        "{KEYS_WORKER}//- /w/wrangler.toml\nname = \"w$0\"\nmain = \"src/index.ts\"\n"
    ));
    assert!(hover(&s.ix, &s.pos)
        .unwrap()
        .markdown
        .contains("worker `w`"));
    // A key in a table, in JSONC, and a deprecated one.
    let s = setup(&format!(
        "{KEYS_WORKER}//- /w/wrangler.jsonc\n{{ \"name\": \"w\", \"site\": {{ \"bucket\": \"./public\", \"entry-p$0oint\": \"x\" }} }}\n"
    ));
    let h = hover(&s.ix, &s.pos).unwrap();
    assert!(h.markdown.contains("**Deprecated:**"), "{}", h.markdown);
    // No hover on an unknown key or on an environment's name.
    let s = setup(&format!(
        "{KEYS_WORKER}//- /w/wrangler.toml\nname = \"w\"\nnot_a_k$0ey = 1\n[env.staging]\n"
    ));
    assert!(hover(&s.ix, &s.pos).is_none());
}

fn links(s: &Setup, file: &str) -> Vec<String> {
    let path = s.f.path(file);
    let text = std::fs::read_to_string(&path).unwrap();
    document_links(&s.ix, &path)
        .iter()
        .map(|l| {
            format!(
                "{} -> {}",
                &text[l.range.as_usize()],
                relative(s.f.root(), &l.target)
            )
        })
        .collect()
}

#[test]
fn main_and_dev_vars_are_links() {
    let s = setup(
        r#"
//- /w/wrangler.toml
# Local secrets live in .dev.vars (see ./.dev.vars.staging for staging).
name = "w"
main = "src/index.ts$0"
[vars]
A = "1"
[env.staging]
main = "src/missing.ts"
vars = { A = "2" }
secrets = { required = ["TOKEN"] }
//- /w/.dev.vars
A=local
//- /w/.dev.vars.staging
TOKEN=t
//- /w/src/index.ts
export default { fetch() { return new Response(); } };
"#,
    );
    assert_eq!(
        links(&s, "w/wrangler.toml"),
        vec![
            ".dev.vars -> w/.dev.vars",
            ".dev.vars.staging -> w/.dev.vars.staging",
            "src/index.ts -> w/src/index.ts",
            // `[vars]`: the top level reads `.dev.vars`.
            "vars -> w/.dev.vars",
            // Staging reads `.dev.vars.staging`; its `main` does not exist, so it is no
            // link (`missing-main` reports it).
            "vars -> w/.dev.vars.staging",
            "secrets -> w/.dev.vars.staging",
        ]
    );
}

#[test]
fn links_in_jsonc_and_without_secrets_files() {
    let s = setup(
        r#"
//- /w/wrangler.jsonc
{
  // no .dev.vars here, so no link to one
  "name": "w",
  "main": "./src/index.ts$0",
  "vars": { "A": "1" }
}
//- /w/src/index.ts
export default { fetch() { return new Response(); } };
"#,
    );
    assert_eq!(
        links(&s, "w/wrangler.jsonc"),
        vec!["./src/index.ts -> w/src/index.ts"]
    );
    // `.env` is the fallback when there is no `.dev.vars`; a source file has no links.
    let s = setup(
        r#"
//- /w/wrangler.toml
name = "w"
main = "index.ts$0"
vars = { A = "1" }
//- /w/.env
A=1
//- /w/index.ts
export default { fetch() { return new Response(); } };
"#,
    );
    assert_eq!(
        links(&s, "w/wrangler.toml"),
        vec!["index.ts -> w/index.ts", "vars -> w/.env"]
    );
    assert!(document_links(&s.ix, &s.f.path("w/index.ts")).is_empty());
}

/// A family declared with `cloudflare.config.ts`: the carts worker hosts `Cart`; the web
/// worker binds it by the worker object and names its class by string.
const CF_FAMILY: &str = r#"
//- /carts/cloudflare.config.ts
import { bindings, defineConfig, defineWorker, exports } from "cf/config";
import * as entrypoint from "./src/index.ts" with { type: "cf-worker" };
export const cartsWorker = defineWorker({
  name: "shop-carts",
  entrypoint,
  env: { CART: bindings.durableObject({ worker: "shop-carts", exportName: "Cart" }) },
  exports: { Cart: exports.durableObject({ storage: "sqlite" }), Api: exports.worker() },
});
export default defineConfig({ worker: cartsWorker });
//- /carts/src/index.ts
import { DurableObject, WorkerEntrypoint } from "cloudflare:workers";
export class Cart extends DurableObject { async add(item: string) {} }
export class CartLock extends DurableObject {}
export class Api extends WorkerEntrypoint { async total() { return 0; } }
export default { async fetch(r: Request, env: any) { env.CART; return new Response(""); } };
"#;

fn cf_web(cursor_config: &str) -> String {
    format!(
        "{CF_FAMILY}//- /web/cloudflare.config.ts\nimport {{ bindings, defineConfig }} from \"cf/config\";\nimport {{ cartsWorker }} from \"../carts/cloudflare.config.ts\";\nexport default defineConfig({{ worker: {{\n  name: \"shop-web\",\n  entrypoint: \"src/index.ts\",\n  env: {{\n{cursor_config}\n  }},\n}} }});\n//- /web/src/index.ts\nexport default {{ async fetch(r: Request, env: any) {{ await env.CARTS.getByName(\"x\").add(\"i\"); await env.API.total(); return new Response(\"\"); }} }};\n"
    )
}

#[test]
fn completes_classes_and_workers_inside_strings_of_a_typescript_declaration() {
    let s = setup(&cf_web(
        "    CARTS: bindings.durableObject({ worker: cartsWorker, exportName: \"C$0\" }),\n    API: bindings.worker({ worker: \"shop-carts\", exportName: \"Api\" }),",
    ));
    let items = completions(&s.ix, &s.pos, &s.text);
    assert_eq!(labels(&items), vec!["Cart", "CartLock"]);
    let s = setup(&cf_web(
        "    CARTS: bindings.durableObject({ worker: cartsWorker, exportName: \"Cart\" }),\n    API: bindings.worker({ worker: \"shop-$0\", exportName: \"Api\" }),",
    ));
    let items = completions(&s.ix, &s.pos, &s.text);
    assert!(labels(&items).contains(&"shop-carts"), "{items:?}");
    let s = setup(&cf_web(
        "    CARTS: bindings.durableObject({ worker: cartsWorker, exportName: \"Cart\" }),\n    API: bindings.worker({ worker: \"shop-carts\", exportName: \"A$0\" }),",
    ));
    assert_eq!(labels(&completions(&s.ix, &s.pos, &s.text)), vec!["Api"]);
}

#[test]
fn definition_and_rename_from_a_typescript_declaration() {
    let s = setup(&cf_web(
        "    CARTS: bindings.durableObject({ worker: cartsWorker, exportName: \"Cart\" }),\n    API: bindings.worker({ worker: \"shop-carts\", exportName: \"A$0pi\" }),",
    ));
    assert_eq!(
        nav(&s, &goto_definition(&s.ix, &s.pos)),
        vec!["carts/src/index.ts:Api"]
    );
    // Renaming the entrypoint renames it in code, in the string naming it and in the host's
    // `exports`, keeping the quotes.
    let change = rename(&s.ix, &s.pos, "Checkout").unwrap();
    let web = s.f.path("web/cloudflare.config.ts");
    let new_web = apply_edits(&s.text, &change.edits[&web]);
    assert!(new_web.contains("exportName: \"Checkout\""), "{new_web}");
    let carts = s.f.path("carts/cloudflare.config.ts");
    let carts_text = std::fs::read_to_string(&carts).unwrap();
    let new_carts = apply_edits(&carts_text, &change.edits[&carts]);
    assert!(
        new_carts.contains("Checkout: exports.worker()"),
        "{new_carts}"
    );
    let code = s.f.path("carts/src/index.ts");
    let code_text = std::fs::read_to_string(&code).unwrap();
    assert!(apply_edits(&code_text, &change.edits[&code]).contains("class Checkout extends"));
    // A live Durable Object declared in `exports` is not renamed behind its data's back.
    let s = setup(&cf_web(
        "    CARTS: bindings.durableObject({ worker: cartsWorker, exportName: \"Ca$0rt\" }),",
    ));
    let err = rename(&s.ix, &s.pos, "Basket").unwrap_err();
    assert!(err.contains("exports"), "{err}");
}

#[test]
fn worker_rename_leaves_references_by_identity_alone() {
    let s = setup(&cf_web(
        "    CARTS: bindings.durableObject({ worker: cartsWorker, exportName: \"Cart\" }),\n    API: bindings.worker({ worker: \"shop-ca$0rts\", exportName: \"Api\" }),",
    ));
    let change = rename(&s.ix, &s.pos, "shop-baskets").unwrap();
    let web = s.f.path("web/cloudflare.config.ts");
    let new_web = apply_edits(&s.text, &change.edits[&web]);
    // The string is renamed; `worker: cartsWorker` follows by identity, untouched.
    assert!(new_web.contains("worker: \"shop-baskets\""), "{new_web}");
    assert!(new_web.contains("worker: cartsWorker"), "{new_web}");
    let carts = s.f.path("carts/cloudflare.config.ts");
    let carts_text = std::fs::read_to_string(&carts).unwrap();
    let new_carts = apply_edits(&carts_text, &change.edits[&carts]);
    assert!(new_carts.contains("name: \"shop-baskets\""), "{new_carts}");
    // The reference by identity itself cannot be renamed in place.
    let at_ref = s.text.find("cartsWorker, exportName").unwrap() as u32 + 2;
    let pos = FilePosition {
        file: web,
        offset: at_ref,
    };
    assert!(prepare_rename(&s.ix, &pos).is_err());
}

/// An Alchemy program: carts hosts `Cart` (default name, stage unknown), web binds it
/// cross-script by a literal `scriptName` and calls carts' entrypoint through the worker
/// object.
const ALCHEMY_FAMILY: &str = r#"
//- /src/carts.ts
import { DurableObject, WorkerEntrypoint } from "cloudflare:workers";
export class Cart extends DurableObject { async add(item: string) {} }
export class CartLock extends DurableObject {}
export default class CartsApi extends WorkerEntrypoint { async total() { return 0; } }
//- /src/web.ts
import type { web } from "../alchemy.run.ts";
export default {
  async fetch(r: Request, env: typeof web.Env) {
    await env.CARTS.getByName("x").add("i");
    await env.API.total();
    return new Response("");
  },
};
"#;

fn alchemy_program(cursor_bindings: &str) -> String {
    format!(
        "{ALCHEMY_FAMILY}//- /alchemy.run.ts\nimport alchemy from \"alchemy\";\nimport {{ DurableObjectNamespace, Worker }} from \"alchemy/cloudflare\";\nimport type {{ Cart }} from \"./src/carts.ts\";\nconst app = await alchemy(\"shop\");\nconst cartDo = DurableObjectNamespace(\"carts\", {{ className: \"Cart\" }});\nexport const carts = await Worker(\"carts\", {{\n  name: \"shop-carts\",\n  entrypoint: \"./src/carts.ts\",\n  bindings: {{ CARTS: cartDo }},\n}});\nexport const web = await Worker(\"web\", {{\n  name: \"shop-web\",\n  entrypoint: \"./src/web.ts\",\n  bindings: {{\n{cursor_bindings}\n    API: carts,\n  }},\n}});\n"
    )
}

#[test]
fn completes_classes_and_workers_inside_strings_of_an_alchemy_program() {
    let s = setup(&alchemy_program(
        "    CARTS: DurableObjectNamespace(\"web-carts\", { className: \"C$0\", scriptName: \"shop-carts\" }),",
    ));
    let items = completions(&s.ix, &s.pos, &s.text);
    assert_eq!(labels(&items), vec!["Cart", "CartLock"]);
    let cart = items.iter().find(|i| i.label == "Cart").unwrap();
    assert_eq!(&s.text[cart.replace.as_usize()], "C");
    let s = setup(&alchemy_program(
        "    CARTS: DurableObjectNamespace(\"web-carts\", { className: \"Cart\", scriptName: \"shop-$0\" }),",
    ));
    let items = completions(&s.ix, &s.pos, &s.text);
    assert!(labels(&items).contains(&"shop-carts"), "{items:?}");
    assert!(labels(&items).iter().all(|l| !l.contains('<')), "{items:?}");
}

#[test]
fn definition_and_rename_from_an_alchemy_program() {
    let s = setup(&alchemy_program(
        "    CARTS: DurableObjectNamespace(\"web-carts\", { className: \"Ca$0rt\", scriptName: \"shop-carts\" }),",
    ));
    assert_eq!(
        nav(&s, &goto_definition(&s.ix, &s.pos)),
        vec!["src/carts.ts:Cart"]
    );
    // Renaming the class renames it in code and in every className string naming it (the
    // host's, in a const, and the cross-script one), keeping the quotes.
    let change = rename(&s.ix, &s.pos, "Basket").unwrap();
    let run = s.f.path("alchemy.run.ts");
    let new_run = apply_edits(&s.text, &change.edits[&run]);
    assert!(
        new_run.contains("DurableObjectNamespace(\"carts\", { className: \"Basket\" })"),
        "{new_run}"
    );
    assert!(
        new_run.contains("{ className: \"Basket\", scriptName: \"shop-carts\" }"),
        "{new_run}"
    );
    // The type the program imports the class as follows, so it still type-checks.
    assert!(
        new_run.contains("import type { Basket } from \"./src/carts.ts\";"),
        "{new_run}"
    );
    let code = s.f.path("src/carts.ts");
    let code_text = std::fs::read_to_string(&code).unwrap();
    assert!(apply_edits(&code_text, &change.edits[&code]).contains("class Basket extends"));
    // The module still parses as it did.
    assert!(
        !crate::declare::expr::read_module(&new_run, crate::source::SourceLang::TypeScript)
            .has_syntax_errors
    );
}

#[test]
fn binding_keys_of_an_alchemy_program_define_env_reads() {
    let s = setup(&alchemy_program(
        "$0    CARTS: DurableObjectNamespace(\"web-carts\", { className: \"Cart\", scriptName: \"shop-carts\" }),",
    ));
    // From `env.API` in web's code to the key in the program.
    let web = s.f.path("src/web.ts");
    let web_text = std::fs::read_to_string(&web).unwrap();
    let pos = FilePosition {
        file: web.clone(),
        offset: web_text.find("API.total").unwrap() as u32 + 1,
    };
    let run = s.f.path("alchemy.run.ts");
    let run_text = std::fs::read_to_string(&run).unwrap();
    let defs = goto_definition(&s.ix, &pos);
    assert_eq!(defs.len(), 1);
    assert_eq!(defs[0].file, run);
    assert_eq!(&run_text[defs[0].focus_range.as_usize()], "API");
    assert!(run_text[..defs[0].focus_range.start as usize].ends_with("    "));
    // Renaming the key renames `env.API` in the worker's code.
    let change = rename(&s.ix, &pos, "CARTS_API").unwrap();
    let new_run = apply_edits(&run_text, &change.edits[&run]);
    assert!(new_run.contains("    CARTS_API: carts,"), "{new_run}");
    // The worker object it binds is a reference by identity: untouched.
    assert!(new_run.contains("API: carts,") && !new_run.contains("CARTS_API: CARTS_API"));
    let new_web = apply_edits(&web_text, &change.edits[&web]);
    assert!(new_web.contains("env.CARTS_API.total()"), "{new_web}");
    // The same from the key itself.
    let key = run_text.find("API: carts").unwrap() as u32;
    let pos = FilePosition {
        file: run.clone(),
        offset: key + 1,
    };
    let change = rename(&s.ix, &pos, "BACKEND").unwrap();
    let new_web = apply_edits(&web_text, &change.edits[&web]);
    assert!(new_web.contains("env.BACKEND.total()"), "{new_web}");
    // `carts` in `API: carts` is the worker by identity: it cannot be renamed in place.
    let pos = FilePosition {
        file: run,
        offset: key + 6,
    };
    assert!(prepare_rename(&s.ix, &pos).is_err());
}

/// A module that imports the class only as a type (`import type { Room }`, `import { type
/// Room }`) names it too: renaming the class renames those uses, or the module's types break.
#[test]
fn renaming_a_class_follows_type_only_imports() {
    let s = setup(
        r#"
//- /host/wrangler.toml
name = "host"
main = "index.ts"
//- /host/index.ts
import { first } from "./other.ts";
import { none } from "./types.ts";
export { Room } from "./room.ts";
export default { fetch() { return new Response(String([first, none])); } };
//- /host/room.ts
import { WorkerEntrypoint } from "cloudflare:workers";
import type { Rooms } from "./types.ts";
export class Ro$0om extends WorkerEntrypoint { async join(): Promise<Rooms> { return []; } }
//- /host/types.ts
import type { Room } from "./room.ts";
export type Rooms = Room[];
export const none: Rooms = [];
//- /host/other.ts
import { type Room, helper } from "./room.ts";
export const first = (r: Room) => [r, helper];
"#,
    );
    let change = rename(&s.ix, &s.pos, "ChatRoom").unwrap();
    let types = s.f.path("host/types.ts");
    let text = std::fs::read_to_string(&types).unwrap();
    assert_eq!(
        apply_edits(&text, &change.edits[&types]),
        "import type { ChatRoom } from \"./room.ts\";\nexport type Rooms = ChatRoom[];\nexport const none: Rooms = [];\n"
    );
    let other = s.f.path("host/other.ts");
    let text = std::fs::read_to_string(&other).unwrap();
    assert_eq!(
        apply_edits(&text, &change.edits[&other]),
        "import { type ChatRoom, helper } from \"./room.ts\";\nexport const first = (r: ChatRoom) => [r, helper];\n"
    );
}

fn lenses_of(s: &Setup, file: &str) -> Vec<String> {
    let path = s.f.root().join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    code_lenses(&s.ix, &path)
        .iter()
        .map(|l| {
            format!(
                "{}: {} [{}]",
                &text[l.range.as_usize()],
                l.title,
                nav(s, &l.locations).join(", ")
            )
        })
        .collect()
}

#[test]
fn lenses_count_the_workers_that_bind_each_exported_class() {
    let s = setup(&format!(
        "{FAMILY}{}",
        r#"//- /api/wrangler.toml
name = "api"
main = "src/index.ts"
services = [{ binding = "AUTH", service = "auth", entrypoint = "TokenService" }]
durable_objects.bindings = [{ name = "SESSIONS", class_name = "Sessions", script_name = "auth" }]
[env.staging]
services = [{ binding = "AUTH", service = "auth", entrypoint = "TokenService" }]
//- /api/src/index.ts
import { WorkerEntrypoint } from "cloudflare:workers";
class NotExported extends WorkerEntrypoint {}
export default { fetch() { return new Response(); } };
//- /web/wrangler.toml
name = "web"
main = "src/index.ts"
services = [{ binding = "TOKENS", service = "auth", entrypoint = "TokenService" }]
//- /web/src/index.ts
export default { fetch$0() { return new Response(); } };
"#
    ));
    // Two workers bind TokenService (api twice: its top level and staging); one binds Sessions.
    assert_eq!(
        lenses_of(&s, "auth/src/tokens.ts"),
        ["TokenService: bound by 2 workers [api/wrangler.toml:TokenService, api/wrangler.toml:TokenService, web/wrangler.toml:TokenService]"]
    );
    assert_eq!(
        lenses_of(&s, "auth/src/sessions.ts"),
        ["Sessions: bound by 1 worker [api/wrangler.toml:Sessions]"]
    );
    // A class that no worker exports gets no lens; nor does a plain object default export.
    assert!(lenses_of(&s, "api/src/index.ts").is_empty());
    assert!(lenses_of(&s, "web/src/index.ts").is_empty());
}

#[test]
fn lenses_count_default_entrypoints_and_say_when_nothing_binds_a_class() {
    let s = setup(
        r#"
//- /billing/wrangler.toml
name = "billing"
main = "src/index.ts"
//- /billing/src/index.ts
import { WorkerEntrypoint, DurableObject } from "cloudflare:workers";
export class Ledger extends DurableObject {}
export default class extends WorkerEntrypoint { charge() {} }
//- /api/wrangler.toml
name = "api"
main = "src/index.ts"
services = [{ binding = "BILLING", service = "billing" }]
//- /api/src/index.ts
export default { fetch$0() { return new Response(); } };
"#,
    );
    assert_eq!(
        lenses_of(&s, "billing/src/index.ts"),
        [
            "Ledger: bound by no worker []",
            "class: bound by 1 worker [api/wrangler.toml:billing]"
        ]
    );
}

#[test]
fn inlay_hints_show_the_name_each_environment_deploys_as() {
    let s = setup(
        r#"
//- /api/wrangler.toml
name = "api"
main = "src/index.ts"
[env.staging]
[env.production]
name = "api-prod"
//- /api/src/index.ts
export default { fetch$0() { return new Response(); } };
"#,
    );
    let path = s.f.root().join("api/wrangler.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let whole = crate::base::TextRange::new(0, text.len() as u32);
    let hints: Vec<String> = inlay_hints(&s.ix, &path, whole)
        .iter()
        .map(|h| {
            format!(
                "{}|{}",
                &text[..h.offset as usize].lines().last().unwrap_or(""),
                h.label
            )
        })
        .collect();
    assert_eq!(
        hints,
        [
            "name = \"api\"|staging: api-staging",
            "name = \"api\"|production: api-prod",
            "[env.staging|→ api-staging",
        ]
    );
    // Only the hints inside the requested range.
    let first_line = crate::base::TextRange::new(0, 5);
    assert!(inlay_hints(&s.ix, &path, first_line).is_empty());
    // A source file has none.
    assert!(inlay_hints(&s.ix, &s.pos.file, whole).is_empty());
}

/// An Alchemy worker without `name` deploys as `${app}-${id}-${stage}`: the hint beside its id
/// shows it (the stage unknown); a spelt name gets none.
#[test]
fn inlay_hints_show_a_declared_workers_default_name() {
    let s = setup(
        r#"
//- /alchemy.run.ts
import alchemy from "alchemy";
import { Worker } from "alchemy/cloudflare";
const app = await alchemy("shop");
export const web = await Worker("web", { entrypoint: "./src/web.ts" });
export const api = await Worker("api", { name: "shop-api", entrypoint: "./src/web.ts" });
//- /src/web.ts
export default { fetch$0() { return new Response(); } };
"#,
    );
    let path = s.f.path("alchemy.run.ts");
    let text = std::fs::read_to_string(&path).unwrap();
    let whole = crate::base::TextRange::new(0, text.len() as u32);
    let hints: Vec<String> = inlay_hints(&s.ix, &path, whole)
        .iter()
        .map(|h| format!("{}|{}", &text[..h.offset as usize], h.label))
        .map(|h| h.rsplit('\n').next().unwrap().to_string())
        .collect();
    assert_eq!(
        hints,
        ["export const web = await Worker(\"web\"|→ shop-web-<stage>"]
    );
}

/// A Devflare family: `shop-carts` hosts `Cart` (bound locally, migrated), `shop-accounts`
/// exports `AccountsApi` from an `ep.*` file and RPC functions from its `worker.ts`; the
/// gateway binds both through `ref()`.
const DF_FAMILY: &str = r#"
//- /carts/devflare.config.ts
import { defineConfig } from 'devflare/config'
export default defineConfig({
	name: 'shop-carts',
	bindings: { durableObjects: { CARTS: 'Cart' } },
	migrations: [
		{ tag: 'v1', new_sqlite_classes: ['Cart'] }
	]
})
//- /carts/src/do.cart.ts
import { DurableObject } from 'cloudflare:workers'
export class Cart extends DurableObject { async total() { return 0 } }
export class CartLock extends DurableObject {}
//- /carts/src/fetch.ts
import { env } from 'devflare'
export default async function fetch() { env.CARTS; return new Response('') }
//- /accounts/devflare.config.ts
import { defineConfig } from 'devflare/config'
export default defineConfig({ name: 'shop-accounts', files: { fetch: 'src/worker.ts' } })
//- /accounts/src/worker.ts
export async function recordOrder(id: string): Promise<void> {}
//- /accounts/src/ep.accounts-api.ts
import { WorkerEntrypoint } from 'cloudflare:workers'
export class AccountsApi extends WorkerEntrypoint { async getAccount(id: string) { return id } }
"#;

fn df_gateway(bindings: &str) -> String {
    format!(
        "{DF_FAMILY}//- /gateway/devflare.config.ts\nimport {{ defineConfig, ref }} from 'devflare/config'\nconst accounts = ref(() => import('../accounts/devflare.config'))\nconst carts = ref(() => import('../carts/devflare.config'))\nexport default defineConfig({{\n\tname: 'shop-gateway',\n\tbindings: {{\n{bindings}\n\t}}\n}})\n//- /gateway/src/fetch.ts\nexport default async function fetch(request: Request, env: DevflareEnv) {{ await env.ACCOUNTS.getAccount('a'); await env.DEFAULT.recordOrder('o'); await env.CARTS.get(env.CARTS.idFromName('x')).total(); return new Response('') }}\n"
    )
}

const DF_BINDINGS: &str = "\t\tservices: { ACCOUNTS: accounts.worker('AccountsApi'), DEFAULT: accounts.worker },\n\t\tdurableObjects: { CARTS: { className: 'Cart', scriptName: 'shop-carts' } }";

#[test]
fn completes_classes_and_workers_in_devflare_strings() {
    // `className: '` offers the host's Durable Object classes.
    let s = setup(&df_gateway(
        "\t\tservices: { ACCOUNTS: accounts.worker('AccountsApi'), DEFAULT: accounts.worker },\n\t\tdurableObjects: { CARTS: { className: 'C$0art', scriptName: 'shop-carts' } }",
    ));
    assert_eq!(
        labels(&completions(&s.ix, &s.pos, &s.text)),
        vec!["Cart", "CartLock"]
    );
    // `scriptName: '` offers the family's workers.
    let s = setup(&df_gateway(
        "\t\tservices: { ACCOUNTS: accounts.worker('AccountsApi'), DEFAULT: accounts.worker },\n\t\tdurableObjects: { CARTS: { className: 'Cart', scriptName: 'shop-$0carts' } }",
    ));
    let items = completions(&s.ix, &s.pos, &s.text);
    let names = labels(&items);
    for w in ["shop-accounts", "shop-carts", "shop-gateway"] {
        assert!(names.contains(&w), "{names:?}");
    }
    // `.worker('` offers the target's entrypoints (`ep.*` classes), not its Durable Objects.
    let s = setup(&df_gateway(
        "\t\tservices: { ACCOUNTS: accounts.worker('A$0ccountsApi'), DEFAULT: accounts.worker },\n\t\tdurableObjects: { CARTS: { className: 'Cart', scriptName: 'shop-carts' } }",
    ));
    assert_eq!(
        labels(&completions(&s.ix, &s.pos, &s.text)),
        vec!["AccountsApi"]
    );
}

#[test]
fn definition_from_devflare_references() {
    // From the `import(...)` of a `ref()` to that config.
    let s = setup(&df_gateway(DF_BINDINGS).replace(
        "import('../accounts/devflare.config')",
        "import('../accounts/dev$0flare.config')",
    ));
    assert_eq!(
        nav(&s, &goto_definition(&s.ix, &s.pos))
            .iter()
            .map(|n| n.split(':').next().unwrap().to_string())
            .collect::<Vec<_>>(),
        vec!["accounts/devflare.config.ts"]
    );
    // From `.worker('AccountsApi')` to the class in the other worker's `ep.*` file.
    let s = setup(&df_gateway(
        &DF_BINDINGS.replace("'AccountsApi'", "'Accounts$0Api'"),
    ));
    assert_eq!(
        nav(&s, &goto_definition(&s.ix, &s.pos)),
        vec!["accounts/src/ep.accounts-api.ts:AccountsApi"]
    );
    // From the ref itself (`accounts` in `accounts.worker`) to the worker's name.
    let s = setup(&df_gateway(
        &DF_BINDINGS.replace("DEFAULT: accounts.worker", "DEFAULT: acc$0ounts.worker"),
    ));
    assert_eq!(
        nav(&s, &goto_definition(&s.ix, &s.pos)),
        vec!["accounts/devflare.config.ts:shop-accounts"]
    );
    // From a call of the default entrypoint to the function `worker.ts` exports.
    let text =
        df_gateway(DF_BINDINGS).replace("env.DEFAULT.recordOrder", "env.DEFAULT.record$0Order");
    let s = setup(&text);
    assert_eq!(
        nav(&s, &goto_definition(&s.ix, &s.pos)),
        vec!["accounts/src/worker.ts:recordOrder"]
    );
}

#[test]
fn rename_classes_through_devflare_strings() {
    // An entrypoint: its declaration and the `.worker('...')` string naming it.
    let s = setup(&df_gateway(
        &DF_BINDINGS.replace("'AccountsApi'", "'Accounts$0Api'"),
    ));
    let change = rename(&s.ix, &s.pos, "AccountsRpc").unwrap();
    let gateway = s.f.path("gateway/devflare.config.ts");
    let new_gateway = apply_edits(&s.text, &change.edits[&gateway]);
    assert!(
        new_gateway.contains("accounts.worker('AccountsRpc')"),
        "{new_gateway}"
    );
    let ep = s.f.path("accounts/src/ep.accounts-api.ts");
    let ep_text = std::fs::read_to_string(&ep).unwrap();
    assert!(apply_edits(&ep_text, &change.edits[&ep]).contains("class AccountsRpc extends"));
    // A live Durable Object: every `className` string, and a `renamed_classes` step appended
    // to the host's migrations (in the file's own indentation); history stays as it is.
    let s = setup(&df_gateway(
        &DF_BINDINGS.replace("className: 'Cart'", "className: 'Ca$0rt'"),
    ));
    let change = rename(&s.ix, &s.pos, "Basket").unwrap();
    let gateway = s.f.path("gateway/devflare.config.ts");
    let new_gateway = apply_edits(&s.text, &change.edits[&gateway]);
    assert!(new_gateway.contains("className: 'Basket'"), "{new_gateway}");
    let carts = s.f.path("carts/devflare.config.ts");
    let carts_text = std::fs::read_to_string(&carts).unwrap();
    let new_carts = apply_edits(&carts_text, &change.edits[&carts]);
    assert!(new_carts.contains("CARTS: 'Basket'"), "{new_carts}");
    assert!(
        new_carts.contains("new_sqlite_classes: ['Cart'] },\n\t\t{ \"tag\": \"v2\", \"renamed_classes\": [{ \"from\": \"Cart\", \"to\": \"Basket\" }] }\n\t]"),
        "{new_carts}"
    );
    let code = s.f.path("carts/src/do.cart.ts");
    let code_text = std::fs::read_to_string(&code).unwrap();
    assert!(apply_edits(&code_text, &change.edits[&code]).contains("class Basket extends"));
    // A reference by identity (`carts.CARTS`) is not rewritten, nor renamed in place.
    let s = setup(&df_gateway(
        "\t\tservices: { ACCOUNTS: accounts.worker('AccountsApi'), DEFAULT: accounts.worker },\n\t\tdurableObjects: { CARTS: carts.CA$0RTS }",
    ));
    assert!(prepare_rename(&s.ix, &s.pos).is_err());
}

#[test]
fn the_class_devflare_makes_of_a_worker_ts_has_nothing_to_rename() {
    let text = df_gateway(DF_BINDINGS).replace("name: 'shop-gateway'", "name: 'shop-$0gateway'");
    let s = setup(&text);
    let worker = s.f.path("accounts/src/worker.ts");
    // The class is there for the RPC checks (its methods are the exported functions) ...
    let ix = &s.ix;
    let summary = ix.summary(&worker).unwrap();
    let class = summary
        .classes
        .iter()
        .position(|c| c.name.value == "Worker")
        .unwrap();
    let class = crate::analysis::index::ClassRef {
        file: worker.clone(),
        index: class,
    };
    assert_eq!(
        ix.members(&class)
            .iter()
            .map(|(_, m)| m.name.value.as_str())
            .collect::<Vec<_>>(),
        vec!["recordOrder"]
    );
    // ... but nothing at the start of `worker.ts` is that class, and it cannot be renamed.
    let pos = FilePosition {
        file: worker,
        offset: 0,
    };
    assert!(prepare_rename(ix, &pos).is_err());
    assert!(goto_definition(ix, &pos).is_empty());
}
