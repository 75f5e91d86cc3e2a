//! TOML front-end: values and exact spans.

use super::parse;
use crate::base::TextRange;
use crate::config::value::{Entry, Value, ValueKind};

fn at(text: &str, r: TextRange) -> &str {
    &text[r.as_usize()]
}

fn tree(text: &str) -> Value {
    let (tree, errors) = parse(text);
    assert!(errors.is_empty(), "unexpected errors: {errors:?}");
    tree.expect("a tree")
}

/// The entry at a dotted path of table keys.
fn entry<'v>(root: &'v Value, path: &str) -> &'v Entry {
    let mut parts = path.split('.');
    let mut cur = root.entry(parts.next().unwrap()).expect(path);
    for p in parts {
        cur = cur
            .value
            .entry(p)
            .unwrap_or_else(|| panic!("no {p} in {path}"));
    }
    cur
}

#[test]
fn plain_key_value_spans() {
    let text = "name = \"api\"\nmain = 'src/index.ts'\n";
    let root = tree(text);
    let name = entry(&root, "name");
    assert_eq!(name.key.value, "name");
    assert_eq!(at(text, name.key.range), "name");
    assert_eq!(name.value.as_str(), Some("api"));
    assert_eq!(at(text, name.value.range), "api");
    assert_eq!(at(text, name.value.full_range), "\"api\"");
    assert_eq!(at(text, name.range), "name = \"api\"");
    let main = entry(&root, "main");
    assert_eq!(at(text, main.value.range), "src/index.ts");
    assert_eq!(root.range, TextRange::from_usize(0, text.len()));
}

#[test]
fn quoted_keys_drop_their_quotes() {
    let text = "\"name\" = \"a\"\n'main' = \"b\"\n";
    let root = tree(text);
    let name = entry(&root, "name");
    assert_eq!(at(text, name.key.range), "name");
    assert_eq!(name.key.range.start, 1);
    let main = entry(&root, "main");
    assert_eq!(at(text, main.key.range), "main");
}

#[test]
fn multiline_and_literal_strings() {
    let text = "a = \"\"\"abc\"\"\"\nb = '''xyz'''\nc = 'lit\\n'\nd = \"esc\\tx\"\n";
    let root = tree(text);
    assert_eq!(at(text, entry(&root, "a").value.range), "abc");
    assert_eq!(at(text, entry(&root, "b").value.range), "xyz");
    assert_eq!(entry(&root, "c").value.as_str(), Some("lit\\n"));
    assert_eq!(at(text, entry(&root, "c").value.range), "lit\\n");
    // Escapes: the value is decoded, the range covers the spelling.
    assert_eq!(entry(&root, "d").value.as_str(), Some("esc\tx"));
    assert_eq!(at(text, entry(&root, "d").value.range), "esc\\tx");
}

#[test]
fn scalars_keep_their_kind() {
    let text = "n = 42\nf = 1.5\nb = true\nd = 1979-05-27\narr = [1, \"x\"]\n";
    let root = tree(text);
    assert_eq!(entry(&root, "n").value.kind, ValueKind::Number("42".into()));
    assert_eq!(
        entry(&root, "f").value.kind,
        ValueKind::Number("1.5".into())
    );
    assert_eq!(entry(&root, "b").value.kind, ValueKind::Bool(true));
    assert_eq!(entry(&root, "d").value.kind, ValueKind::Other);
    assert_eq!(at(text, entry(&root, "d").value.range), "1979-05-27");
    let arr = &entry(&root, "arr").value;
    assert_eq!(at(text, arr.range), "[1, \"x\"]");
    let items = arr.as_array().unwrap();
    assert_eq!(at(text, items[1].range), "x");
    assert_eq!(at(text, items[1].full_range), "\"x\"");
}

#[test]
fn dotted_keys_nest_with_spans() {
    let text = "vars.API_URL = \"https://x\"\nvars.MODE = \"dev\"\n";
    let root = tree(text);
    let vars = entry(&root, "vars");
    assert_eq!(at(text, vars.key.range), "vars");
    assert_eq!(vars.range.start, 0);
    assert_eq!(vars.range.end as usize, text.trim_end().len());
    let api = entry(&root, "vars.API_URL");
    assert_eq!(at(text, api.key.range), "API_URL");
    assert_eq!(at(text, api.value.range), "https://x");
    assert_eq!(at(text, api.range), "API_URL = \"https://x\"");
    let mode = entry(&root, "vars.MODE");
    assert_eq!(at(text, mode.key.range), "MODE");
}

#[test]
fn inline_tables_and_arrays_of_inline_tables() {
    let text = "ai = { binding = \"AI\" }\nservices = [\n  { binding = \"AUTH\", service = \"auth\" },\n]\n";
    let root = tree(text);
    let ai = entry(&root, "ai");
    assert_eq!(at(text, ai.range), "ai = { binding = \"AI\" }");
    assert_eq!(at(text, ai.value.range), "{ binding = \"AI\" }");
    let binding = ai.value.entry("binding").unwrap();
    assert_eq!(at(text, binding.key.range), "binding");
    assert_eq!(at(text, binding.value.range), "AI");
    assert_eq!(at(text, binding.range), "binding = \"AI\"");
    let services = entry(&root, "services").value.as_array().unwrap();
    assert_eq!(services.len(), 1);
    assert_eq!(
        at(text, services[0].full_range),
        "{ binding = \"AUTH\", service = \"auth\" }"
    );
    assert_eq!(at(text, services[0].get("service").unwrap().range), "auth");
}

#[test]
fn header_table_range_runs_from_header_to_last_key() {
    let text = "name = \"a\"\n\n[env.staging]\nname = \"a-stg\"\nmain = \"m.ts\"\n\n# trailing comment\n[other]\nx = 1\n";
    let root = tree(text);
    let staging = entry(&root, "env.staging");
    assert_eq!(at(text, staging.key.range), "staging");
    assert_eq!(
        at(text, staging.range),
        "[env.staging]\nname = \"a-stg\"\nmain = \"m.ts\""
    );
    assert_eq!(staging.value.range, staging.range);
    let env = entry(&root, "env");
    assert_eq!(at(text, env.key.range), "env");
    assert_eq!(env.range, staging.range);
    assert_eq!(
        at(text, entry(&root, "env.staging.name").value.range),
        "a-stg"
    );
}

#[test]
fn sub_tables_under_other_headers_widen_the_parent_range() {
    let text = "[env.staging]\nname = \"s\"\n\n[env.staging.vars]\nA = \"1\"\n";
    let root = tree(text);
    let staging = entry(&root, "env.staging");
    assert_eq!(at(text, staging.range), text.trim_end());
    let vars = entry(&root, "env.staging.vars");
    assert_eq!(at(text, vars.key.range), "vars");
    assert_eq!(at(text, vars.range), "[env.staging.vars]\nA = \"1\"");
    assert_eq!(at(text, entry(&root, "env.staging.vars.A").key.range), "A");
}

#[test]
fn sub_table_before_its_parent_header() {
    let text = "[env.staging.vars]\nA = \"1\"\n\n[env.staging]\nname = \"s\"\n";
    let root = tree(text);
    assert_eq!(at(text, entry(&root, "env.staging.name").value.range), "s");
    assert_eq!(
        at(text, entry(&root, "env.staging.vars.A").value.range),
        "1"
    );
    let staging = entry(&root, "env.staging");
    assert_eq!(at(text, staging.range), text.trim_end());
}

#[test]
fn arrays_of_tables_with_header_spans() {
    let text = "[[durable_objects.bindings]]\nname = \"A\"\nclass_name = \"Alpha\"\n\n[[durable_objects.bindings]]\nname = \"B\"\nclass_name = \"Beta\"\n";
    let root = tree(text);
    let bindings = entry(&root, "durable_objects.bindings");
    assert_eq!(at(text, bindings.key.range), "bindings");
    let items = bindings.value.as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(
        at(text, items[0].full_range),
        "[[durable_objects.bindings]]\nname = \"A\"\nclass_name = \"Alpha\""
    );
    assert_eq!(
        at(text, items[1].full_range),
        "[[durable_objects.bindings]]\nname = \"B\"\nclass_name = \"Beta\""
    );
    assert_eq!(at(text, items[1].get("class_name").unwrap().range), "Beta");
    assert_eq!(at(text, bindings.range), text.trim_end());
}

#[test]
fn arrays_of_tables_inside_environments() {
    let text = "[env.staging]\nname = \"s\"\n\n[[env.staging.services]]\nbinding = \"AUTH\"\nservice = \"auth-staging\"\n";
    let root = tree(text);
    let services = entry(&root, "env.staging.services");
    let items = services.value.as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(
        at(text, items[0].get("service").unwrap().range),
        "auth-staging"
    );
    assert_eq!(at(text, entry(&root, "env.staging").range), text.trim_end());
}

#[test]
fn schema_comment_first_line() {
    let text = "#:schema node_modules/wrangler/config-schema.json\nname = \"x\"\n";
    let root = tree(text);
    assert_eq!(at(text, entry(&root, "name").value.range), "x");
}

#[test]
fn bom_is_tolerated_and_offsets_count_it() {
    let text = "\u{FEFF}name = \"x\"\n";
    let root = tree(text);
    let name = entry(&root, "name");
    assert_eq!(name.key.range.start, 3);
    assert_eq!(at(text, name.key.range), "name");
    assert_eq!(at(text, name.value.range), "x");
}

#[test]
fn crlf_line_endings() {
    let text = "name = \"x\"\r\n\r\n[env.prod]\r\nname = \"y\"\r\n";
    let root = tree(text);
    assert_eq!(at(text, entry(&root, "env.prod.name").value.range), "y");
    assert_eq!(
        at(text, entry(&root, "env.prod").range),
        "[env.prod]\r\nname = \"y\""
    );
}

#[test]
fn non_ascii_offsets_are_bytes() {
    let text = "# é😀\nname = \"ünï\"\n";
    let root = tree(text);
    assert_eq!(at(text, entry(&root, "name").value.range), "ünï");
}

#[test]
fn unterminated_string_is_an_error_with_position() {
    let text = "name = \"api\nmain = \"x\"\n";
    let (tree, errors) = parse(text);
    assert!(tree.is_none());
    assert_eq!(errors.len(), 1);
    let e = &errors[0];
    assert!(e.message.starts_with("TOML syntax error"), "{}", e.message);
    assert!(e.range.end as usize <= text.len());
    // The error points into the first line, at or after the opening quote.
    assert!((7..=12).contains(&e.range.start), "{:?}", e.range);
}

#[test]
fn duplicate_keys_and_garbage_are_errors() {
    for text in [
        "a = 1\na = 2\n",
        "[x]\n[x]\n",
        "= 1",
        "a = ",
        "[[a]]\n[a]\n",
        "a = [1,",
        "a = {",
        "\u{0}\u{1}",
    ] {
        let (tree, errors) = parse(text);
        assert!(tree.is_none(), "{text:?}");
        assert_eq!(errors.len(), 1, "{text:?}");
        assert!(errors[0].range.end as usize <= text.len());
    }
}

#[test]
fn deep_nesting_is_refused_not_overflowed() {
    let arrays = format!("a = {}{}", "[".repeat(100_000), "]".repeat(100_000));
    let (_, errors) = parse(&arrays);
    assert_eq!(errors.len(), 1);
    let tables = format!("a = {}{}", "{b = ".repeat(50_000), "}".repeat(50_000));
    let (_, errors) = parse(&tables);
    assert_eq!(errors.len(), 1);
    let dotted = format!("{} = 1", vec!["k"; 100_000].join("."));
    let (_, errors) = parse(&dotted);
    assert_eq!(errors.len(), 1);
    let header = format!("[{}]\nx = 1", vec!["k"; 100_000].join("."));
    let (_, errors) = parse(&header);
    assert_eq!(errors.len(), 1);
}

#[test]
fn ten_thousand_bindings() {
    let mut text = String::from("name = \"big\"\n");
    for i in 0..10_000 {
        text.push_str(&format!(
            "\n[[kv_namespaces]]\nbinding = \"KV_{i}\"\nid = \"{i:032x}\"\n"
        ));
    }
    let start = std::time::Instant::now();
    let root = tree(&text);
    let items = entry(&root, "kv_namespaces").value.as_array().unwrap();
    assert_eq!(items.len(), 10_000);
    assert_eq!(
        at(&text, items[9_999].get("binding").unwrap().range),
        "KV_9999"
    );
    assert!(start.elapsed().as_secs() < 10, "took {:?}", start.elapsed());
}
