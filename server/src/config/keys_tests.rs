use crate::config::{parse_config, ConfigFile, ConfigFormat, KeyHome, KeyIssueKind};

fn parse(format: ConfigFormat, text: &str) -> ConfigFile {
    let file = parse_config(format, text);
    assert!(file.syntax_errors.is_empty(), "{:?}", file.syntax_errors);
    file
}

/// Each issue as `table key kind`, e.g. `build r2_buckets misplaced(top)`.
fn issues(format: ConfigFormat, text: &str) -> Vec<String> {
    let file = parse(format, text);
    file.key_issues
        .iter()
        .map(|i| {
            // The span is the key's spelling.
            assert_eq!(&text[i.key.range.as_usize()], i.key.value, "{i:?}");
            let kind = match &i.kind {
                KeyIssueKind::Unknown { suggestions } if suggestions.is_empty() => {
                    "unknown".to_string()
                }
                KeyIssueKind::Unknown { suggestions } => {
                    format!("unknown(did you mean {})", suggestions.join(", "))
                }
                KeyIssueKind::Removed { .. } => "removed".to_string(),
                KeyIssueKind::Misplaced { home, header } => {
                    let home = match home {
                        KeyHome::TopLevel => "top".to_string(),
                        KeyHome::Env(e) => format!("env {e}"),
                    };
                    let header = header
                        .map(|h| format!(" under {}", &text[h.as_usize()]))
                        .unwrap_or_default();
                    format!("misplaced({home}){header}")
                }
            };
            let table = if i.table.is_empty() {
                "(top)"
            } else {
                &i.table
            };
            format!("{table} {} {kind}", i.key.value)
        })
        .collect()
}

fn toml(text: &str) -> Vec<String> {
    issues(ConfigFormat::Toml, text)
}

fn jsonc(text: &str) -> Vec<String> {
    issues(ConfigFormat::Jsonc, text)
}

#[test]
fn keys_written_after_a_table_header_land_in_that_table() {
    // The M2 reproduction: both keys belong at the top level.
    let text = r#"name = "tfstate"
main = "src/index.ts"
compatibility_date = "2025-01-01"

[build]
command = "true"

r2_buckets = [
  { binding = "BUCKET", bucket_name = "state" },
]

[[migrations]]
tag = "v1"
new_classes = ["Lock"]

routes = [ { pattern = "tfstate.example.com", custom_domain = true } ]
"#;
    assert_eq!(
        toml(text),
        vec![
            "build r2_buckets misplaced(top) under [build]",
            "migrations[0] routes misplaced(top) under [[migrations]]",
        ]
    );
    // The binding declared under the misplaced key is recorded, not declared.
    let file = parse(ConfigFormat::Toml, text);
    let names: Vec<&str> = file
        .top
        .misplaced_bindings
        .iter()
        .map(|b| b.value.as_str())
        .collect();
    assert_eq!(names, vec!["BUCKET"]);
    assert!(!file.top.other_bindings.contains_key("r2_buckets"));
}

#[test]
fn a_correct_config_has_no_issues() {
    assert_eq!(
        toml(
            r#"#:schema node_modules/wrangler/config-schema.json
name = "api"
main = "src/index.ts"
compatibility_date = "2025-01-01"
compatibility_flags = ["nodejs_compat"]
routes = [{ pattern = "api.example.com", custom_domain = true }, "example.com/*"]
r2_buckets = [{ binding = "BUCKET", bucket_name = "state" }]
services = [{ binding = "AUTH", service = "auth", entrypoint = "Tokens", environment = "staging" }]

[vars]
ANY_NAME = "x"
nested = { anything = { goes = 1 } }

[build]
command = "npm run build"
watch_dir = ["src"]

[[migrations]]
tag = "v1"
new_sqlite_classes = ["Room"]
renamed_classes = [{ from = "A", to = "B" }]

[durable_objects]
bindings = [{ name = "ROOM", class_name = "Room" }]

[observability]
enabled = true

[exports.Room]
type = "durable-object"
storage = "sqlite"

[env.staging]
name = "api-staging"
routes = ["staging.example.com/*"]
[env.staging.vars]
WHATEVER = "y"
[[env.staging.r2_buckets]]
binding = "BUCKET"
bucket_name = "state-staging"
"#
        ),
        Vec::<String>::new()
    );
}

#[test]
fn unknown_keys_with_and_without_a_near_miss() {
    assert_eq!(
        toml(
            "name = \"a\"\ncompatability_date = \"2025-01-01\"\nCompatibility-Flags = []\nmian = \"x\"\nmy_custom_thing = 1\n[build]\ncomand = \"x\"\n"
        ),
        vec![
            "(top) compatability_date unknown(did you mean compatibility_date)",
            "(top) Compatibility-Flags unknown(did you mean compatibility_flags)",
            // Two edits in a four-letter key are not a near miss.
            "(top) mian unknown",
            "(top) my_custom_thing unknown",
            "build comand unknown(did you mean command)",
        ]
    );
}

#[test]
fn free_form_maps_take_any_key() {
    assert_eq!(
        toml(
            "[vars]\nr2_buckets = 1\nroutes = [{ custom = true }]\n[define]\nwhatever = \"1\"\n[alias]\nfoo = \"./bar\"\n[[services]]\nbinding = \"A\"\nservice = \"a\"\nprops = { any = 1, key = 2 }\n"
        ),
        Vec::<String>::new()
    );
}

#[test]
fn export_entries_are_checked_inside_their_free_form_map() {
    assert_eq!(
        toml("[exports.Room]\ntype = \"durable-object\"\nstorge = \"sqlite\"\n"),
        vec!["exports.Room storge unknown(did you mean storage)"]
    );
}

#[test]
fn services_entries_report_near_misses_only() {
    // wrangler itself does not check the keys of service bindings.
    assert_eq!(
        toml(
            "services = [{ binding = \"A\", service = \"a\", entrypiont = \"X\", environment = \"s\", something_else = 1 }]\n"
        ),
        vec!["services[0] entrypiont unknown(did you mean entrypoint)"]
    );
}

#[test]
fn environments_take_environment_keys() {
    assert_eq!(
        toml(
            "name = \"a\"\nkeep_vars = true\n[env.staging]\nname = \"a-staging\"\nkeep_vars = true\nworkers_dev = false\nrouts = []\n[env.staging.build]\ncommand = \"x\"\nkv_namespaces = [{ binding = \"KV\", id = \"1\" }]\nsend_metrics = false\n"
        ),
        vec![
            // Only valid at the top level.
            "env.staging keep_vars misplaced(top) under [env.staging]",
            "env.staging routs unknown(did you mean route, routes)",
            "env.staging.build kv_namespaces misplaced(env staging) under [env.staging.build]",
            "env.staging.build send_metrics misplaced(top) under [env.staging.build]",
        ]
    );
    let file = parse(
        ConfigFormat::Toml,
        "[env.staging]\n[env.staging.build]\nkv_namespaces = [{ binding = \"KV\", id = \"1\" }]\n",
    );
    let staging = file.env("staging").unwrap();
    assert_eq!(staging.misplaced_bindings[0].value, "KV");
    assert_eq!(staging.misplaced_keys, vec!["kv_namespaces"]);
    assert!(file.top.misplaced_bindings.is_empty());
}

#[test]
fn removed_keys_say_what_to_do() {
    assert_eq!(
        toml("legacy_env = true\nnode_compat = true\n[env.x]\nnode_compat = true\n"),
        vec![
            "(top) legacy_env removed",
            "(top) node_compat removed",
            "env.x node_compat removed",
        ]
    );
}

#[test]
fn jsonc_configs_are_checked_too() {
    assert_eq!(
        jsonc(
            r#"{
  "$schema": "node_modules/wrangler/config-schema.json",
  "name": "a",
  // a comment
  "compatibility_date": "2025-01-01",
  "main_module": "x",
  "build": { "command": "x", "r2_buckets": [] },
  "vars": { "ANYTHING": 1 },
  "env": { "staging": { "vars": {}, "kv_namespace": [] } },
}"#
        ),
        vec![
            "(top) main_module unknown",
            "build r2_buckets misplaced(top)",
            "env.staging kv_namespace unknown(did you mean kv_namespaces)",
        ]
    );
}

#[test]
fn quoted_keys_keep_their_spans() {
    assert_eq!(
        toml("\"compatibility-date\" = \"2025-01-01\"\n[build]\n'watch-dir' = \"src\"\n"),
        vec![
            "(top) compatibility-date unknown(did you mean compatibility_date)",
            "build watch-dir unknown(did you mean watch_dir)",
        ]
    );
}

#[test]
fn values_of_another_type_are_left_to_wrangler() {
    // `build` is a table, not a string; `routes` elements may be strings or tables.
    assert_eq!(
        toml("build = \"x\"\nroutes = [\"a/*\", 1, { pattern = \"b\", zone_nme = \"c\" }]\n"),
        vec!["routes[2] zone_nme unknown(did you mean zone_name)"]
    );
}

#[test]
fn a_header_with_a_comment_or_a_quoted_bracket() {
    assert_eq!(
        toml("[build] # see [docs]\nname = \"x\"\n[env.\"a]b\"]\n[env.\"a]b\".build]\nmain = \"y\"\n"),
        vec![
            "build name misplaced(top) under [build]",
            "env.\"a]b\".build main misplaced(env a]b) under [env.\"a]b\".build]",
        ]
    );
}

#[test]
fn generated_configs_are_not_checked() {
    // The normalised config a build writes carries every resolved field.
    let text = r#"{ "name": "w", "topLevelName": "w", "configPath": "x", "legacy_env": true,
        "dev": { "ip": "localhost", "enable_containers": false, "whatever": 1 } }"#;
    assert_eq!(jsonc(text), Vec::<String>::new());
}
