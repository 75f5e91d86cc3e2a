//! Extraction into the config model, through the public `parse_config`, in TOML, JSON and JSONC.

use crate::base::{Spanned, TextRange};
use crate::config::{parse_config, ConfigFile, ConfigFormat, EnvSection};

fn at(text: &str, r: TextRange) -> &str {
    &text[r.as_usize()]
}

fn parse_ok(format: ConfigFormat, text: &str) -> ConfigFile {
    let file = parse_config(format, text);
    assert!(
        file.syntax_errors.is_empty(),
        "unexpected errors: {:?}",
        file.syntax_errors
    );
    file
}

/// Asserts a spanned string's value and that its span spells exactly that value.
#[track_caller]
fn check(text: &str, s: &Spanned<String>, expected: &str) {
    assert_eq!(s.value, expected);
    assert_eq!(at(text, s.range), expected);
}

#[track_caller]
fn check_opt(text: &str, s: &Option<Spanned<String>>, expected: &str) {
    check(text, s.as_ref().expect(expected), expected);
}

fn names(list: &[Spanned<String>]) -> Vec<&str> {
    list.iter().map(|s| s.value.as_str()).collect()
}

const FULL_TOML: &str = r#"#:schema node_modules/wrangler/config-schema.json
name = "api"
main = "src/index.ts"
compatibility_date = "2025-01-01"

services = [
  { binding = "AUTH", service = "auth", entrypoint = "AuthService" },
  { binding = "OLD", service = "legacy", environment = "production" },
]

[[durable_objects.bindings]]
name = "COUNTER"
class_name = "Counter"

[[durable_objects.bindings]]
name = "REMOTE"
class_name = "Room"
script_name = "chat"
environment = "staging"

[[workflows]]
binding = "FLOW"
name = "my-flow"
class_name = "MyFlow"
script_name = "flows"

[[queues.producers]]
binding = "JOBS"
queue = "jobs"

[[queues.consumers]]
queue = "jobs"
dead_letter_queue = "jobs-dlq"
max_retries = 3

[[tail_consumers]]
service = "tail-worker"

[vars]
API_URL = "https://example.com"
DEBUG = true

[secrets]
required = ["API_KEY", "OTHER"]
"#;

#[test]
fn toml_full_worker() {
    let text = FULL_TOML;
    let file = parse_ok(ConfigFormat::Toml, text);
    let top = &file.top;
    assert_eq!(file.format, ConfigFormat::Toml);
    assert!(top.env_name.is_none());
    assert_eq!(top.range, TextRange::from_usize(0, text.len()));
    check_opt(text, &top.name, "api");
    check_opt(text, &top.main, "src/index.ts");

    let services = top.services.as_ref().unwrap();
    assert_eq!(services.len(), 2);
    check(text, &services[0].binding, "AUTH");
    check_opt(text, &services[0].service, "auth");
    check_opt(text, &services[0].entrypoint, "AuthService");
    assert!(services[0].environment.is_none());
    assert_eq!(
        at(text, services[0].range),
        r#"{ binding = "AUTH", service = "auth", entrypoint = "AuthService" }"#
    );
    check_opt(text, &services[1].environment, "production");

    let dos = top.durable_objects.as_ref().unwrap();
    assert_eq!(dos.len(), 2);
    check(text, &dos[0].name, "COUNTER");
    check_opt(text, &dos[0].class_name, "Counter");
    assert!(dos[0].script_name.is_none());
    assert_eq!(
        at(text, dos[0].range),
        "[[durable_objects.bindings]]\nname = \"COUNTER\"\nclass_name = \"Counter\""
    );
    check_opt(text, &dos[1].script_name, "chat");
    check_opt(text, &dos[1].environment, "staging");

    let flows = top.workflows.as_ref().unwrap();
    check(text, &flows[0].binding, "FLOW");
    check_opt(text, &flows[0].name, "my-flow");
    check_opt(text, &flows[0].class_name, "MyFlow");
    check_opt(text, &flows[0].script_name, "flows");

    let producers = top.queue_producers.as_ref().unwrap();
    check(text, &producers[0].binding, "JOBS");
    check_opt(text, &producers[0].queue, "jobs");
    let consumers = top.queue_consumers.as_ref().unwrap();
    check(text, &consumers[0].queue, "jobs");
    check_opt(text, &consumers[0].dead_letter_queue, "jobs-dlq");
    assert!(at(text, consumers[0].range).ends_with("max_retries = 3"));

    let tails = top.tail_consumers.as_ref().unwrap();
    check(text, &tails[0].service, "tail-worker");

    let vars = top.vars.as_ref().unwrap();
    assert_eq!(names(vars), ["API_URL", "DEBUG"]);
    check(text, &vars[1], "DEBUG");
    let secrets = top.secrets_required.as_ref().unwrap();
    assert_eq!(names(secrets), ["API_KEY", "OTHER"]);
    check(text, &secrets[0], "API_KEY");

    let keys: Vec<&str> = top.key_ranges.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "durable_objects",
            "queues",
            "secrets",
            "services",
            "tail_consumers",
            "vars",
            "workflows"
        ]
    );
    for (key, range) in &top.key_ranges {
        assert_eq!(at(text, *range), key);
    }
    // Inheritable keys are not in key_ranges, and nothing absent is Some.
    assert!(top.migrations.is_none() && top.migrations_range.is_none());
    assert!(top.exports.is_none());
    assert!(top.other_bindings.is_empty());
    assert!(file.envs.is_empty());
}

const FULL_JSONC: &str = r#"// A worker
{
  "$schema": "node_modules/wrangler/config-schema.json",
  "name": "api", // trailing comment
  "main": "src/index.ts",
  /* services */
  "services": [
    { "binding": "AUTH", "service": "auth", "entrypoint": "AuthService", },
  ],
  "durable_objects": { "bindings": [{ "name": "COUNTER", "class_name": "Counter" }] },
  "workflows": [{ "binding": "FLOW", "name": "my-flow", "class_name": "MyFlow" }],
  "queues": {
    "producers": [{ "binding": "JOBS", "queue": "jobs" }],
    "consumers": [{ "queue": "jobs", "dead_letter_queue": "jobs-dlq" }],
  },
  "tail_consumers": [{ "service": "tail-worker" }],
  "vars": { "API_URL": "https://example.com" },
  "secrets": { "required": ["API_KEY"] },
  "kv_namespaces": [{ "binding": "CACHE", "id": "abc" }],
  "migrations": [{ "tag": "v1", "new_sqlite_classes": ["Counter"] }],
  "env": {
    "staging": {
      "name": "api-staging",
      "services": [{ "binding": "AUTH", "service": "auth-staging" }],
      "vars": { "API_URL": "https://staging.example.com" },
    },
  },
}
"#;

#[test]
fn jsonc_full_worker_with_environment() {
    let text = FULL_JSONC;
    let file = parse_ok(ConfigFormat::Jsonc, text);
    let top = &file.top;
    check_opt(text, &top.name, "api");
    check_opt(text, &top.main, "src/index.ts");
    let services = top.services.as_ref().unwrap();
    check(text, &services[0].binding, "AUTH");
    check_opt(text, &services[0].entrypoint, "AuthService");
    assert_eq!(
        at(text, services[0].range),
        r#"{ "binding": "AUTH", "service": "auth", "entrypoint": "AuthService", }"#
    );
    let dos = top.durable_objects.as_ref().unwrap();
    check(text, &dos[0].name, "COUNTER");
    check_opt(text, &dos[0].class_name, "Counter");
    check_opt(text, &top.workflows.as_ref().unwrap()[0].name, "my-flow");
    check_opt(
        text,
        &top.queue_producers.as_ref().unwrap()[0].queue,
        "jobs",
    );
    check_opt(
        text,
        &top.queue_consumers.as_ref().unwrap()[0].dead_letter_queue,
        "jobs-dlq",
    );
    check(
        text,
        &top.tail_consumers.as_ref().unwrap()[0].service,
        "tail-worker",
    );
    check(text, &top.vars.as_ref().unwrap()[0], "API_URL");
    check(text, &top.secrets_required.as_ref().unwrap()[0], "API_KEY");
    check(
        text,
        &top.other_bindings["kv_namespaces"][0].binding,
        "CACHE",
    );
    let migrations = top.migrations.as_ref().unwrap();
    check_opt(text, &migrations[0].tag, "v1");
    check(text, &migrations[0].new_sqlite_classes[0], "Counter");
    assert_eq!(at(text, top.migrations_range.unwrap()), "migrations");
    // `$schema` and `env` are not modelled keys.
    assert!(!top.key_ranges.contains_key("$schema"));
    assert!(!top.key_ranges.contains_key("env"));
    assert_eq!(at(text, top.key_ranges["kv_namespaces"]), "kv_namespaces");

    assert_eq!(file.envs.len(), 1);
    let staging = file.env("staging").unwrap();
    check_opt(text, &staging.env_name, "staging");
    assert!(at(text, staging.range).starts_with("\"staging\": {"));
    assert!(at(text, staging.range).ends_with('}'));
    check_opt(text, &staging.name, "api-staging");
    check_opt(
        text,
        &staging.services.as_ref().unwrap()[0].service,
        "auth-staging",
    );
    let keys: Vec<&str> = staging.key_ranges.keys().map(String::as_str).collect();
    assert_eq!(keys, ["services", "vars"]);
    assert!(staging.durable_objects.is_none());
    assert!(staging.migrations.is_none());
}

#[test]
fn plain_json_config() {
    let text = r#"{
  "$schema": "./node_modules/wrangler/config-schema.json",
  "name": "web",
  "main": "index.js",
  "assets": { "directory": "./public", "binding": "ASSETS" },
  "ai": { "binding": "AI" }
}"#;
    let file = parse_ok(ConfigFormat::Json, text);
    assert_eq!(file.format, ConfigFormat::Json);
    check_opt(text, &file.top.name, "web");
    check(
        text,
        &file.top.other_bindings["assets"][0].binding,
        "ASSETS",
    );
    check(text, &file.top.other_bindings["ai"][0].binding, "AI");
    assert_eq!(
        at(text, file.top.other_bindings["ai"][0].range),
        r#""ai": { "binding": "AI" }"#
    );
}

#[test]
fn toml_environments_in_every_form() {
    let text = r#"name = "api"
services = [{ binding = "AUTH", service = "auth" }]

[env.staging]
name = "api-staging"

[[env.staging.services]]
binding = "AUTH"
service = "auth-staging"

[env.staging.vars]
MODE = "staging"

[env.production.durable_objects]
bindings = [{ name = "C", class_name = "Counter" }]

[env.dev]
vars.MODE = "dev"
queues.producers = [{ binding = "Q", queue = "q-dev" }]
"#;
    let file = parse_ok(ConfigFormat::Toml, text);
    let envs: Vec<&str> = file
        .envs
        .iter()
        .map(|e| e.env_name.as_ref().unwrap().value.as_str())
        .collect();
    assert_eq!(envs, ["staging", "production", "dev"]);

    let staging = file.env("staging").unwrap();
    check_opt(text, &staging.env_name, "staging");
    check_opt(text, &staging.name, "api-staging");
    let s = staging.services.as_ref().unwrap();
    check_opt(text, &s[0].service, "auth-staging");
    assert_eq!(
        at(text, s[0].range),
        "[[env.staging.services]]\nbinding = \"AUTH\"\nservice = \"auth-staging\""
    );
    check(text, &staging.vars.as_ref().unwrap()[0], "MODE");
    assert_eq!(
        at(text, staging.range),
        "[env.staging]\nname = \"api-staging\"\n\n[[env.staging.services]]\nbinding = \"AUTH\"\nservice = \"auth-staging\"\n\n[env.staging.vars]\nMODE = \"staging\""
    );
    assert_eq!(at(text, staging.key_ranges["services"]), "services");
    assert_eq!(at(text, staging.key_ranges["vars"]), "vars");

    let production = file.env("production").unwrap();
    assert!(production.name.is_none());
    check(
        text,
        &production.durable_objects.as_ref().unwrap()[0].name,
        "C",
    );
    assert_eq!(
        at(text, production.key_ranges["durable_objects"]),
        "durable_objects"
    );
    assert_eq!(production.key_ranges.len(), 1);

    let dev = file.env("dev").unwrap();
    check(text, &dev.vars.as_ref().unwrap()[0], "MODE");
    check_opt(
        text,
        &dev.queue_producers.as_ref().unwrap()[0].queue,
        "q-dev",
    );
    assert!(dev.queue_consumers.is_none());
    assert_eq!(at(text, dev.key_ranges["queues"]), "queues");

    // The top level does not see environment keys.
    assert_eq!(file.top.services.as_ref().unwrap().len(), 1);
    assert!(file.top.vars.is_none());
}

#[test]
fn toml_env_written_as_dotted_and_inline_tables() {
    let text =
        "name = \"w\"\nenv.a.name = \"w-a\"\nenv.b = { name = \"w-b\", vars = { X = \"1\" } }\n";
    let file = parse_ok(ConfigFormat::Toml, text);
    let a = file.env("a").unwrap();
    check_opt(text, &a.env_name, "a");
    check_opt(text, &a.name, "w-a");
    let b = file.env("b").unwrap();
    check_opt(text, &b.name, "w-b");
    check(text, &b.vars.as_ref().unwrap()[0], "X");
    assert_eq!(
        at(text, b.range),
        "b = { name = \"w-b\", vars = { X = \"1\" } }"
    );
}

const MIGRATIONS_TOML: &str = r#"name = "chat"

[[migrations]]
tag = "v1"
new_classes = ["Room", "Lobby"]

[[migrations]]
tag = "v2"
new_sqlite_classes = ["Counter"]
renamed_classes = [{ from = "Room", to = "ChatRoom" }]

[[migrations]]
tag = "v3"
deleted_classes = ["Lobby"]
transferred_classes = [{ from = "Old", from_script = "legacy", to = "Moved" }]
"#;

#[test]
fn toml_all_migration_kinds() {
    let text = MIGRATIONS_TOML;
    let file = parse_ok(ConfigFormat::Toml, text);
    let top = &file.top;
    assert_eq!(at(text, top.migrations_range.unwrap()), "migrations");
    assert_eq!(
        top.migrations_range.unwrap().start as usize,
        text.find("migrations").unwrap()
    );
    let m = top.migrations.as_ref().unwrap();
    assert_eq!(m.len(), 3);
    check_opt(text, &m[0].tag, "v1");
    assert_eq!(names(&m[0].new_classes), ["Room", "Lobby"]);
    check(text, &m[0].new_classes[1], "Lobby");
    assert_eq!(
        at(text, m[0].range),
        "[[migrations]]\ntag = \"v1\"\nnew_classes = [\"Room\", \"Lobby\"]"
    );
    check(text, &m[1].new_sqlite_classes[0], "Counter");
    check(text, &m[1].renamed_classes[0].from, "Room");
    check(text, &m[1].renamed_classes[0].to, "ChatRoom");
    check(text, &m[2].deleted_classes[0], "Lobby");
    let t = &m[2].transferred_classes[0];
    check(text, &t.from, "Old");
    check(text, &t.from_script, "legacy");
    check(text, &t.to, "Moved");
    assert!(m[0].renamed_classes.is_empty() && m[0].deleted_classes.is_empty());
    // `migrations` is inheritable.
    assert!(top.key_ranges.is_empty());
}

#[test]
fn jsonc_all_migration_kinds_in_an_environment() {
    let text = r#"{
  "name": "chat",
  "env": {
    "staging": {
      "migrations": [
        { "tag": "v1", "new_classes": ["Room"], "new_sqlite_classes": ["Counter"] },
        {
          "tag": "v2",
          "renamed_classes": [{ "from": "Room", "to": "ChatRoom" }],
          "deleted_classes": ["Counter"],
          "transferred_classes": [{ "from": "A", "from_script": "other", "to": "B" }],
        },
      ],
    },
  },
}"#;
    let file = parse_ok(ConfigFormat::Jsonc, text);
    assert!(file.top.migrations.is_none());
    let staging = file.env("staging").unwrap();
    let m = staging.migrations.as_ref().unwrap();
    assert_eq!(at(text, staging.migrations_range.unwrap()), "migrations");
    check(text, &m[0].new_classes[0], "Room");
    check(text, &m[0].new_sqlite_classes[0], "Counter");
    check(text, &m[1].renamed_classes[0].to, "ChatRoom");
    check(text, &m[1].deleted_classes[0], "Counter");
    check(text, &m[1].transferred_classes[0].from_script, "other");
    assert!(at(text, m[1].range).starts_with("{\n          \"tag\": \"v2\""));
}

#[test]
fn incomplete_migration_entries_are_skipped_not_fatal() {
    let text = r#"[[migrations]]
new_classes = ["A", 3, "B"]
renamed_classes = [{ from = "A" }, { from = "X", to = "Y" }, "junk"]
transferred_classes = [{ from = "A", to = "B" }]
deleted_classes = "A"
"#;
    let file = parse_ok(ConfigFormat::Toml, text);
    let m = &file.top.migrations.as_ref().unwrap()[0];
    assert!(m.tag.is_none());
    assert_eq!(names(&m.new_classes), ["A", "B"]);
    assert_eq!(m.renamed_classes.len(), 1);
    check(text, &m.renamed_classes[0].from, "X");
    assert!(m.transferred_classes.is_empty());
    assert!(m.deleted_classes.is_empty());
}

#[test]
fn toml_exports_table() {
    let text = r#"name = "w"

[exports.Counter]
type = "durable-object"
storage = "sqlite"

[exports]
OldRoom = { type = "durable-object", state = "renamed", renamed_to = "Room" }
Api = { type = "worker" }
"#;
    let file = parse_ok(ConfigFormat::Toml, text);
    let exports = file.top.exports.as_ref().unwrap();
    let classes: Vec<&str> = exports.iter().map(|e| e.class.value.as_str()).collect();
    assert_eq!(classes, ["Counter", "OldRoom", "Api"]);
    let counter = &exports[0];
    check(text, &counter.class, "Counter");
    check_opt(text, &counter.kind, "durable-object");
    check_opt(text, &counter.storage, "sqlite");
    assert!(counter.state.is_none());
    assert!(counter.is_durable_object());
    assert_eq!(
        at(text, counter.range),
        "[exports.Counter]\ntype = \"durable-object\"\nstorage = \"sqlite\""
    );
    let old = &exports[1];
    check_opt(text, &old.state, "renamed");
    check_opt(text, &old.renamed_to, "Room");
    assert!(at(text, old.range).starts_with("OldRoom = {"));
    assert!(!exports[2].is_durable_object());
}

#[test]
fn jsonc_exports_table() {
    let text = r#"{
  "exports": {
    "Counter": { "type": "durable-object", "storage": "legacy-kv", "state": "deleted" },
    "Broken": "not a table",
  },
}"#;
    let file = parse_ok(ConfigFormat::Jsonc, text);
    let exports = file.top.exports.as_ref().unwrap();
    assert_eq!(exports.len(), 1);
    check(text, &exports[0].class, "Counter");
    check_opt(text, &exports[0].storage, "legacy-kv");
    check_opt(text, &exports[0].state, "deleted");
    assert!(at(text, exports[0].range).starts_with("\"Counter\": {"));
}

#[test]
fn every_other_binding_kind() {
    let text = r#"
kv_namespaces = [{ binding = "KV", id = "1" }]
d1_databases = [{ binding = "DB", database_id = "x" }]
r2_buckets = [{ binding = "BUCKET", bucket_name = "b" }]
vectorize = [{ binding = "VEC", index_name = "i" }]
hyperdrive = [{ binding = "HD", id = "h" }]
analytics_engine_datasets = [{ binding = "AE" }]
send_email = [{ name = "MAIL" }]
mtls_certificates = [{ binding = "CERT", certificate_id = "c" }]
dispatch_namespaces = [{ binding = "DISPATCH", namespace = "n" }]
pipelines = [{ binding = "PIPE", pipeline = "p" }]
secrets_store_secrets = [{ binding = "SECRET", store_id = "s", secret_name = "n" }]
ratelimits = [{ name = "LIMITER", namespace_id = "1", simple = { limit = 1, period = 10 } }]
worker_loaders = [{ binding = "LOADER" }]
vpc_services = [{ binding = "VPC", service_id = "v" }]
ai = { binding = "AI" }
browser = { binding = "BROWSER" }
images = { binding = "IMAGES" }
version_metadata = { binding = "VERSION" }
assets = { directory = "public", binding = "ASSETS" }
unsafe = { bindings = [{ name = "UNSAFE", type = "x" }] }
"#;
    let file = parse_ok(ConfigFormat::Toml, text);
    let other = &file.top.other_bindings;
    let expected = [
        ("kv_namespaces", "KV"),
        ("d1_databases", "DB"),
        ("r2_buckets", "BUCKET"),
        ("vectorize", "VEC"),
        ("hyperdrive", "HD"),
        ("analytics_engine_datasets", "AE"),
        ("send_email", "MAIL"),
        ("mtls_certificates", "CERT"),
        ("dispatch_namespaces", "DISPATCH"),
        ("pipelines", "PIPE"),
        ("secrets_store_secrets", "SECRET"),
        ("ratelimits", "LIMITER"),
        ("worker_loaders", "LOADER"),
        ("vpc_services", "VPC"),
        ("ai", "AI"),
        ("browser", "BROWSER"),
        ("images", "IMAGES"),
        ("version_metadata", "VERSION"),
        ("assets", "ASSETS"),
        ("unsafe", "UNSAFE"),
    ];
    assert_eq!(other.len(), expected.len(), "{:?}", other.keys());
    for (key, binding) in expected {
        let list = other.get(key).unwrap_or_else(|| panic!("{key} missing"));
        assert_eq!(list.len(), 1, "{key}");
        check(text, &list[0].binding, binding);
    }
    assert_eq!(
        at(text, other["kv_namespaces"][0].range),
        "{ binding = \"KV\", id = \"1\" }"
    );
    assert_eq!(at(text, other["ai"][0].range), "ai = { binding = \"AI\" }");
    // Every binding kind except `assets` is non-inheritable and gets a key range.
    for (key, _) in expected.iter().filter(|(k, _)| *k != "assets") {
        assert_eq!(at(text, file.top.key_ranges[*key]), *key);
    }
    assert!(!file.top.key_ranges.contains_key("assets"));
}

#[test]
fn assets_without_binding_declares_nothing() {
    let text = "[assets]\ndirectory = \"public\"\n";
    let file = parse_ok(ConfigFormat::Toml, text);
    assert!(file.top.other_bindings.is_empty());
}

#[test]
fn present_but_empty_is_not_absent() {
    let text = "services = []\nkv_namespaces = []\n[vars]\n[durable_objects]\n";
    let file = parse_ok(ConfigFormat::Toml, text);
    let top = &file.top;
    assert_eq!(top.services.as_deref(), Some(&[][..]));
    assert_eq!(top.vars.as_deref(), Some(&[][..]));
    assert_eq!(top.durable_objects.as_deref(), Some(&[][..]));
    assert_eq!(top.other_bindings["kv_namespaces"].len(), 0);
    assert!(top.workflows.is_none());
    assert_eq!(top.key_ranges.len(), 4);
}

#[test]
fn wrong_types_are_skipped_without_crashing() {
    let text = r#"name = 42
main = ["x"]
services = "x"
workflows = [1, "two", { name = "no-binding" }, { binding = "W" }]
durable_objects = { bindings = "nope" }
queues = "q"
tail_consumers = [{ service = 1 }]
vars = ["A"]
secrets = { required = "API_KEY" }
kv_namespaces = { binding = "KV" }
ai = "AI"
migrations = "v1"
exports = ["Counter"]
env = "staging"
"#;
    let file = parse_ok(ConfigFormat::Toml, text);
    let top = &file.top;
    assert!(top.name.is_none() && top.main.is_none());
    assert!(top.services.is_none());
    assert_eq!(top.workflows.as_ref().unwrap().len(), 1);
    check(text, &top.workflows.as_ref().unwrap()[0].binding, "W");
    assert_eq!(top.durable_objects.as_deref(), Some(&[][..]));
    assert!(top.queue_producers.is_none() && top.queue_consumers.is_none());
    assert_eq!(top.tail_consumers.as_deref(), Some(&[][..]));
    assert!(top.vars.is_none());
    assert!(top.secrets_required.is_none());
    assert!(top.other_bindings.is_empty());
    assert!(top.migrations.is_none());
    assert_eq!(at(text, top.migrations_range.unwrap()), "migrations");
    assert!(top.exports.is_none());
    assert!(file.envs.is_empty());
    // Presence is still recorded for wrangler's inheritance warning.
    for key in [
        "services",
        "queues",
        "vars",
        "kv_namespaces",
        "ai",
        "secrets",
    ] {
        assert_eq!(at(text, top.key_ranges[key]), key);
    }
}

#[test]
fn environments_that_are_not_tables_are_skipped() {
    let text = r#"{"env": {"a": 1, "b": {"name": "w-b"}, "c": null}}"#;
    let file = parse_ok(ConfigFormat::Json, text);
    assert_eq!(file.envs.len(), 1);
    check_opt(text, &file.envs[0].name, "w-b");
}

#[test]
fn top_level_must_be_an_object() {
    for text in ["[1, 2]", "\"name\"", "3"] {
        let file = parse_config(ConfigFormat::Json, text);
        assert_eq!(file.syntax_errors.len(), 1, "{text}");
        assert_eq!(
            file.syntax_errors[0].range,
            TextRange::from_usize(0, text.len())
        );
        assert!(file.top.name.is_none());
    }
}

#[test]
fn empty_files_are_empty_configs() {
    for (format, text) in [
        (ConfigFormat::Toml, ""),
        (ConfigFormat::Toml, "# nothing\n"),
        (ConfigFormat::Jsonc, ""),
        (ConfigFormat::Jsonc, "{}"),
    ] {
        let file = parse_ok(format, text);
        assert!(file.top.name.is_none() && file.envs.is_empty());
        assert_eq!(file.top.range, TextRange::from_usize(0, text.len()));
    }
}

#[test]
fn broken_toml_reports_position_and_reads_nothing() {
    let text = "name = \"api\"\nmain = \"src/index.ts\n\n[[services]]\nbinding = \"A\"\n";
    let file = parse_config(ConfigFormat::Toml, text);
    assert_eq!(file.syntax_errors.len(), 1);
    let e = &file.syntax_errors[0];
    let line_2 = text.find("main").unwrap() as u32;
    assert!(
        e.range.start >= line_2 && e.range.start <= line_2 + 21,
        "{e:?}"
    );
    assert!(file.top.name.is_none() && file.top.services.is_none());
    assert_eq!(file.top.range, TextRange::from_usize(0, text.len()));
}

#[test]
fn broken_jsonc_reports_position() {
    let text = "{\n  // c\n  \"name\": \"api\",\n  \"main\": \"src/index.ts\n}\n";
    let file = parse_config(ConfigFormat::Jsonc, text);
    assert_eq!(file.syntax_errors.len(), 1);
    let e = &file.syntax_errors[0];
    assert!(
        e.range.start as usize >= text.find("\"src").unwrap(),
        "{e:?}"
    );
    assert!(e.message.contains("JSON syntax error"));
    assert!(file.top.name.is_none());
}

#[test]
fn deeply_nested_jsonc_is_an_error_not_a_crash() {
    let text = format!("{{\"a\": {}", "[".repeat(100_000));
    let file = parse_config(ConfigFormat::Jsonc, &text);
    assert_eq!(file.syntax_errors.len(), 1);
    assert!(file.syntax_errors[0].message.contains("nesting"));
}

#[test]
fn bom_in_both_formats() {
    let toml = "\u{FEFF}name = \"a\"\n[[services]]\nbinding = \"B\"\nservice = \"b\"\n";
    let file = parse_ok(ConfigFormat::Toml, toml);
    check_opt(toml, &file.top.name, "a");
    check(toml, &file.top.services.as_ref().unwrap()[0].binding, "B");
    let json = "\u{FEFF}{ \"name\": \"a\", \"services\": [{ \"binding\": \"B\" }] }";
    let file = parse_ok(ConfigFormat::Jsonc, json);
    check_opt(json, &file.top.name, "a");
    check(json, &file.top.services.as_ref().unwrap()[0].binding, "B");
}

#[test]
fn crlf_in_both_formats() {
    let toml = "name = \"a\"\r\n\r\n[env.staging]\r\nname = \"a-s\"\r\n\r\n[[env.staging.services]]\r\nbinding = \"B\"\r\n";
    let file = parse_ok(ConfigFormat::Toml, toml);
    let staging = file.env("staging").unwrap();
    check_opt(toml, &staging.name, "a-s");
    check(toml, &staging.services.as_ref().unwrap()[0].binding, "B");
    assert!(at(toml, staging.range).ends_with("binding = \"B\""));
    let json =
        "{\r\n  // c\r\n  \"name\": \"a\",\r\n  \"env\": { \"s\": { \"name\": \"a-s\" } }\r\n}\r\n";
    let file = parse_ok(ConfigFormat::Jsonc, json);
    check_opt(json, &file.env("s").unwrap().name, "a-s");
}

#[test]
fn ten_thousand_service_bindings() {
    let mut text = String::from("name = \"big\"\n");
    for i in 0..10_000 {
        text.push_str(&format!(
            "\n[[services]]\nbinding = \"S{i}\"\nservice = \"worker-{i}\"\n"
        ));
    }
    let start = std::time::Instant::now();
    let file = parse_ok(ConfigFormat::Toml, &text);
    let services = file.top.services.as_ref().unwrap();
    assert_eq!(services.len(), 10_000);
    check_opt(&text, &services[9_999].service, "worker-9999");
    assert!(start.elapsed().as_secs() < 10, "took {:?}", start.elapsed());
}

#[test]
fn first_env_section_wins_lookup() {
    let file = parse_ok(ConfigFormat::Toml, "[env.a]\nname = \"x\"\n");
    let env: &EnvSection = file.env("a").unwrap();
    assert!(file.env("b").is_none());
    assert_eq!(env.name.as_ref().unwrap().value, "x");
}

#[test]
fn every_prefix_of_a_config_parses_without_panicking() {
    for text in [FULL_TOML, MIGRATIONS_TOML, FULL_JSONC] {
        for (cut, _) in text.char_indices() {
            let prefix = &text[..cut];
            for format in [ConfigFormat::Toml, ConfigFormat::Jsonc] {
                let file = parse_config(format, prefix);
                for e in &file.syntax_errors {
                    assert!(e.range.start <= e.range.end && e.range.end as usize <= cut);
                }
            }
        }
    }
}
