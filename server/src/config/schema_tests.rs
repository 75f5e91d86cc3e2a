use super::*;

fn keys(shape: &Shape<'_>) -> Vec<String> {
    shape.props().iter().map(|p| p.name.to_string()).collect()
}

#[test]
fn the_vendored_schema_parses_into_a_closed_top_level() {
    // `schema()` falls back to an open schema; the vendored one must not need it.
    let s = Schema::parse(SCHEMA_JSON).expect("the vendored schema parses");
    let root = s.root();
    assert!(!root.is_open());
    let top = keys(&root);
    assert!(top.len() > 60, "{top:?}");
    for key in [
        "name",
        "main",
        "compatibility_date",
        "compatibility_flags",
        "routes",
        "r2_buckets",
        "services",
        "migrations",
        "env",
        "keep_vars",
        "$schema",
    ] {
        assert!(top.iter().any(|k| k == key), "no top-level `{key}`");
    }
    assert!(!wrangler_version().is_empty());
    assert!(wrangler_version().starts_with(|c: char| c.is_ascii_digit()));
}

#[test]
fn environments_take_the_environment_keys() {
    let s = schema();
    let env = s.section(Some("staging"));
    assert!(!env.is_open());
    assert!(env.prop("r2_buckets").is_some());
    assert!(env.prop("routes").is_some());
    // Top-level only.
    assert!(env.prop("keep_vars").is_none());
    assert!(env.prop("env").is_none());
    assert!(s.root().child("env").is_open());
}

#[test]
fn free_form_maps_are_open_and_bindings_are_closed() {
    let s = schema();
    for path in [
        &["vars"][..],
        &["define"],
        &["exports"],
        &["alias"],
        &["env"],
    ] {
        assert!(s.table_at(path).is_open(), "{path:?} should be open");
    }
    for path in [
        &["build"][..],
        &["migrations"],
        &["r2_buckets"],
        &["durable_objects"],
        &["queues", "consumers"],
        &["env", "staging", "build"],
    ] {
        assert!(!s.table_at(path).is_open(), "{path:?} should be closed");
    }
    assert_eq!(
        keys(&s.table_at(&["build"])),
        vec!["command", "cwd", "watch_dir"]
    );
    let migration = s.table_at(&["migrations"]);
    assert!(migration.prop("tag").is_some_and(|p| p.required));
    assert!(migration.prop("new_sqlite_classes").is_some());
    // Each value of `exports` is one of several closed tables.
    let export = s.table_at(&["exports", "MyClass"]);
    assert!(!export.is_open());
    assert!(export.prop("type").is_some());
    assert!(export.prop("storage").is_some());
}

#[test]
fn unions_accept_the_keys_of_every_alternative() {
    // A route is a string or one of three tables.
    let route = schema().table_at(&["routes"]);
    for key in ["pattern", "zone_id", "zone_name", "custom_domain"] {
        assert!(route.prop(key).is_some(), "{key}");
    }
    assert!(route.prop("zone").is_none());
}

#[test]
fn keys_carry_docs_types_and_deprecation() {
    let s = schema();
    let root = s.root();
    let date = root.prop("compatibility_date").unwrap();
    assert!(date
        .documentation(s)
        .unwrap()
        .contains("version of the Workers runtime"));
    assert_eq!(date.shape(s).describe(), "string");
    assert_eq!(
        root.prop("compatibility_flags")
            .unwrap()
            .shape(s)
            .describe(),
        "array of strings"
    );
    assert_eq!(
        root.prop("workers_dev").unwrap().shape(s).describe(),
        "boolean"
    );
    let routes = root.prop("routes").unwrap().shape(s).describe();
    assert!(routes.starts_with("array of (string | table"), "{routes}");
    let entry_point = s.table_at(&["site"]).prop("entry-point").unwrap();
    assert!(entry_point.deprecated.is_some());
    assert!(root.prop("main").unwrap().deprecated.is_none());
    // An enumeration shows its values.
    let storage = s.table_at(&["exports", "X"]).prop("storage").unwrap();
    let storage = storage.shape(s).describe();
    assert!(storage.contains("\"sqlite\""), "{storage}");
}

#[test]
fn a_broken_or_empty_schema_accepts_everything() {
    assert!(Schema::parse("{").is_err());
    let open = Schema::open();
    assert!(open.root().is_open());
    assert!(open.root().props().is_empty());
    let empty = Schema::parse("{}").unwrap();
    assert!(empty.root().is_any());
    // References into nowhere and recursive definitions do not hang or panic.
    let odd = Schema::parse(
        r##"{"$ref": "#/definitions/A", "definitions": {
            "A": {"type": "object", "properties": {"a": {"$ref": "#/definitions/A"},
                  "b": {"$ref": "#/definitions/Missing"},
                  "c": {"type": "array", "items": {"$ref": "#/definitions/B"}}},
                  "additionalProperties": false},
            "B": {"anyOf": [{"$ref": "#/definitions/B"}, {"type": "array", "items": {"$ref": "#/definitions/B"}}]}
        }}"##,
    )
    .unwrap();
    let a = odd.table_at(&["a", "a", "a"]);
    assert_eq!(keys(&a), vec!["a", "b", "c"]);
    assert!(odd.table_at(&["b"]).is_any());
    let c = odd.table_at(&["c"]);
    assert!(!c.describe().is_empty());
}

#[test]
fn near_misses() {
    assert!(is_near_miss("compatability_date", "compatibility_date"));
    assert!(is_near_miss("Compatibility-Date", "compatibility_date"));
    assert!(is_near_miss("kv_namespace", "kv_namespaces"));
    assert!(is_near_miss("r2_bukcets", "r2_buckets"));
    // Two edits need at least ten characters.
    assert!(!is_near_miss("mian", "main"));
    assert!(!is_near_miss("nme", "name"));
    // One edit needs at least five characters.
    assert!(is_near_miss("routs", "routes"));
    assert!(!is_near_miss("rout", "route"));
    assert!(!is_near_miss("main", "main"));
    assert!(!is_near_miss("vars", "vectorize"));
}

/// The encoded key tree the server reads is the one the vendored JSON schema gives, and it
/// decodes to the same tree. After a schema refresh, `WORKERS_LSP_BLESS=1 cargo test -p
/// workers-lsp --lib the_encoded_key_tree` rewrites it.
#[test]
fn the_encoded_key_tree_is_the_vendored_schemas() {
    let fresh = Schema::parse(SCHEMA_JSON).unwrap().encode();
    if fresh != TREE {
        if std::env::var_os("WORKERS_LSP_BLESS").is_some() {
            let path = concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/schema/wrangler-config-schema.tree"
            );
            std::fs::write(path, &fresh).unwrap();
        } else {
            panic!(
                "server/schema/wrangler-config-schema.tree is not the tree of the vendored \
                 schema: run `WORKERS_LSP_BLESS=1 cargo test -p workers-lsp --lib \
                 the_encoded_key_tree`"
            );
        }
    }
    let decoded = Schema::decode(&fresh).expect("the tree decodes");
    assert_eq!(decoded.encode(), fresh);
    assert_eq!(
        format!("{decoded:?}"),
        format!("{:?}", Schema::parse(SCHEMA_JSON).unwrap())
    );
}

/// A damaged tree is not taken for one: a truncated one, or one whose ids name no node.
#[test]
fn a_damaged_encoded_tree_is_refused() {
    let fresh = Schema::parse(SCHEMA_JSON).unwrap().encode();
    assert!(Schema::decode(&fresh[..fresh.len() / 2]).is_none());
    assert!(Schema::decode(&[]).is_none());
    let mut small = Schema::open();
    small.root = NodeId(7);
    assert!(Schema::decode(&small.encode()).is_none());
}
