//! JSON/JSONC front-end: values and exact spans.

use super::{parse, MAX_DEPTH};
use crate::base::TextRange;
use crate::config::value::{Value, ValueKind};

fn at(text: &str, r: TextRange) -> &str {
    &text[r.as_usize()]
}

fn tree(text: &str) -> Value {
    let (tree, errors) = parse(text);
    assert!(errors.is_empty(), "unexpected errors: {errors:?}");
    tree.expect("a tree")
}

#[test]
fn plain_json_spans() {
    let text = r#"{ "name": "api", "main": "src/index.ts" }"#;
    let root = tree(text);
    assert_eq!(at(text, root.range), text);
    let name = root.entry("name").unwrap();
    assert_eq!(at(text, name.key.range), "name");
    assert_eq!(at(text, name.value.range), "api");
    assert_eq!(at(text, name.value.full_range), "\"api\"");
    assert_eq!(at(text, name.range), "\"name\": \"api\"");
    assert_eq!(root.get("main").unwrap().as_str(), Some("src/index.ts"));
}

#[test]
fn comments_and_trailing_commas() {
    let text = "// a worker\n{\n  /* block */ \"name\": \"api\", // trailing\n  \"services\": [\n    { \"binding\": \"AUTH\", \"service\": \"auth\", },\n  ],\n}\n";
    let root = tree(text);
    assert_eq!(at(text, root.entry("name").unwrap().key.range), "name");
    let services = root.get("services").unwrap().as_array().unwrap();
    assert_eq!(services.len(), 1);
    assert_eq!(
        at(text, services[0].full_range),
        "{ \"binding\": \"AUTH\", \"service\": \"auth\", }"
    );
    assert_eq!(at(text, services[0].get("service").unwrap().range), "auth");
}

#[test]
fn scalars_keep_their_kind() {
    let text = r#"{"n": -1.5e3, "b": false, "z": null, "a": [1, "x"], "o": {}}"#;
    let root = tree(text);
    assert_eq!(
        root.get("n").unwrap().kind,
        ValueKind::Number("-1.5e3".into())
    );
    assert_eq!(at(text, root.get("n").unwrap().range), "-1.5e3");
    assert_eq!(root.get("b").unwrap().kind, ValueKind::Bool(false));
    assert_eq!(root.get("z").unwrap().kind, ValueKind::Null);
    let a = root.get("a").unwrap().as_array().unwrap();
    assert_eq!(at(text, a[1].range), "x");
    assert_eq!(root.get("o").unwrap().as_table().unwrap().len(), 0);
    assert_eq!(at(text, root.get("o").unwrap().range), "{}");
}

#[test]
fn escaped_strings_decode_value_but_span_the_spelling() {
    let text = r#"{"k\"ey": "a\nb\u0041"}"#;
    let root = tree(text);
    let e = &root.as_table().unwrap()[0];
    assert_eq!(e.key.value, "k\"ey");
    assert_eq!(at(text, e.key.range), "k\\\"ey");
    assert_eq!(e.value.as_str(), Some("a\nbA"));
    assert_eq!(at(text, e.value.range), "a\\nb\\u0041");
}

#[test]
fn non_ascii_offsets_are_bytes() {
    let text = "{\n  // é😀\n  \"name\": \"ünï😀\", \"main\": \"x\"\n}";
    let root = tree(text);
    assert_eq!(at(text, root.get("name").unwrap().range), "ünï😀");
    assert_eq!(at(text, root.entry("main").unwrap().key.range), "main");
}

#[test]
fn bom_is_tolerated_and_offsets_count_it() {
    let text = "\u{FEFF}{\"name\": \"x\"}";
    let root = tree(text);
    let name = root.entry("name").unwrap();
    assert_eq!(at(text, name.key.range), "name");
    assert_eq!(at(text, name.value.range), "x");
}

#[test]
fn crlf_line_endings() {
    let text = "{\r\n  \"name\": \"x\",\r\n  // c\r\n  \"main\": \"m.ts\"\r\n}\r\n";
    let root = tree(text);
    assert_eq!(at(text, root.get("main").unwrap().range), "m.ts");
}

#[test]
fn unterminated_string_is_an_error_at_the_string() {
    let text = "{\n  \"name\": \"api,\n  \"main\": \"x\"\n}\n";
    let (tree, errors) = parse(text);
    assert!(tree.is_none());
    assert_eq!(errors.len(), 1);
    let e = &errors[0];
    assert_eq!(e.message, "JSON syntax error: unterminated string");
    assert_eq!(at(text, e.range), "\"api,");
}

#[test]
fn unterminated_string_with_crlf_or_at_end_of_file() {
    let text = "{\r\n  \"name\": \"api\r\n}";
    let (_, errors) = parse(text);
    assert_eq!(at(text, errors[0].range), "\"api");
    let text = "{\"name\": \"api\\\"";
    let (_, errors) = parse(text);
    assert_eq!(at(text, errors[0].range), "\"api\\\"");
}

#[test]
fn escaped_quotes_and_backslashes_end_strings_correctly() {
    let text = r#"{"a": "x\\", "b": "y\"z"}"#;
    let root = tree(text);
    assert_eq!(root.get("a").unwrap().as_str(), Some("x\\"));
    assert_eq!(root.get("b").unwrap().as_str(), Some("y\"z"));
}

#[test]
fn duplicate_keys_keep_the_last_like_json_parse() {
    let text = r#"{"name": "first", "main": "m", "name": "second"}"#;
    let root = tree(text);
    let entries = root.as_table().unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0].key.value, "main");
    let name = root.entry("name").unwrap();
    assert_eq!(at(text, name.value.range), "second");
}

#[test]
fn syntax_errors_carry_positions() {
    for (text, start) in [
        ("{\"a\": }", 6),
        ("{\"a\": 1", 0),
        ("[1, 2", 0),
        ("{} {}", 3),
        ("{\"a\": tru}", 6),
    ] {
        let (tree, errors) = parse(text);
        assert!(tree.is_none(), "{text:?}");
        assert_eq!(errors.len(), 1, "{text:?}");
        assert!(errors[0].range.end as usize <= text.len(), "{text:?}");
        assert!(
            errors[0].range.start as usize >= start,
            "{text:?}: {:?}",
            errors[0]
        );
    }
}

#[test]
fn missing_commas_are_errors_even_though_the_parser_allows_them() {
    let text = "{\"a\": [1 2], /* , */ \"b\": 2 // ,\n \"c\": 3}";
    let (tree, errors) = parse(text);
    // What could be read is kept.
    assert_eq!(
        tree.unwrap().get("c").unwrap().kind,
        ValueKind::Number("3".into())
    );
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!(
        errors[0].range,
        TextRange::empty(text.find("1 ").unwrap() as u32 + 1)
    );
    assert_eq!(
        errors[1].range,
        TextRange::empty(text.find("2 //").unwrap() as u32 + 1)
    );
    assert!(errors[0].message.contains("comma"));
}

#[test]
fn empty_and_whitespace_only_files_have_no_tree() {
    for text in ["", "  \n", "// only a comment\n"] {
        let (tree, errors) = parse(text);
        assert!(tree.is_none());
        assert!(errors.is_empty());
    }
}

#[test]
fn deep_nesting_is_refused_not_overflowed() {
    let text = "[".repeat(100_000);
    let (tree, errors) = parse(&text);
    assert!(tree.is_none());
    assert_eq!(errors.len(), 1);
    assert_eq!(
        errors[0].range,
        TextRange::from_usize(MAX_DEPTH, MAX_DEPTH + 1)
    );
    assert!(errors[0].message.contains("nesting"));

    let objects = "{\"a\":".repeat(100_000);
    let (_, errors) = parse(&objects);
    assert_eq!(errors.len(), 1);
}

#[test]
fn nesting_at_the_limit_parses() {
    let text = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
    let root = tree(&text);
    assert!(root.as_array().is_some());
}

#[test]
fn brackets_in_strings_and_comments_do_not_count_as_nesting() {
    let deep = "[".repeat(1000);
    let text =
        format!("{{\n  // {deep}\n  /* {deep} */\n  \"a\": \"{deep}\",\n  \"b\": '{deep}'\n}}");
    let (tree, errors) = parse(&text);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        tree.unwrap().get("a").unwrap().as_str(),
        Some(deep.as_str())
    );
}

#[test]
fn schema_key_is_just_a_key() {
    let text = r#"{"$schema": "node_modules/wrangler/config-schema.json", "name": "x"}"#;
    let root = tree(text);
    assert_eq!(at(text, root.get("name").unwrap().range), "x");
}

#[test]
fn garbage_never_panics() {
    for text in [
        "\u{0}",
        "}",
        "]]]]",
        "{\"a\":",
        "/*",
        "{'a': 1}",
        "{a: 1}",
        "\"\\u12",
        "\u{FEFF}",
        "{\"a\": \"\u{FEFF}\"}",
        "-",
        "1e",
    ] {
        let _ = parse(text);
    }
}
