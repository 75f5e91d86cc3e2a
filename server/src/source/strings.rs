//! String values written in nested object literals, with the keys that lead to them: what a
//! config written in TypeScript (`vitest.config.ts`) says, read without executing it.

use super::SourceLang;
use crate::base::{Spanned, TextRange};
use tree_sitter::{Node, Parser};

/// A string literal that is the value of a property (or an element of an array value), with
/// the keys of every enclosing property, outermost first; array elements add `[]`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StaticString {
    pub path: Vec<String>,
    pub value: Spanned<String>,
}

/// Every string literal reached from object literals through properties and arrays, anywhere
/// in the module (calls such as `defineConfig({...})` are looked through). Spreads,
/// computed keys and non-literal values are skipped.
pub fn static_strings(text: &str, lang: SourceLang) -> Vec<StaticString> {
    let mut parser = Parser::new();
    let language: tree_sitter::Language = match lang {
        SourceLang::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
        SourceLang::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
    };
    if parser.set_language(&language).is_err() {
        return Vec::new();
    }
    let Some(tree) = parser.parse(text, None) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    // (node, key path that leads to it).
    let mut stack: Vec<(Node<'_>, Vec<String>)> = vec![(tree.root_node(), Vec::new())];
    let mut budget = 200_000usize;
    while let Some((node, path)) = stack.pop() {
        budget = budget.saturating_sub(1);
        if budget == 0 || path.len() > 32 {
            continue;
        }
        match node.kind() {
            "pair" => {
                let (Some(key), Some(value)) = (
                    node.child_by_field_name("key"),
                    node.child_by_field_name("value"),
                ) else {
                    continue;
                };
                let key = match key.kind() {
                    "property_identifier" => text.get(key.byte_range()).map(str::to_string),
                    "string" => string_contents(text, key).map(|s| s.value),
                    _ => None,
                };
                let Some(key) = key else { continue };
                let mut p = path.clone();
                p.push(key);
                stack.push((value, p));
            }
            "string" => {
                if path.is_empty() {
                    continue;
                }
                if let Some(value) = string_contents(text, node) {
                    out.push(StaticString { path, value });
                }
            }
            "array" => {
                let mut p = path.clone();
                p.push("[]".into());
                let mut c = node.walk();
                for child in node.named_children(&mut c) {
                    stack.push((child, p.clone()));
                }
            }
            "comment" => {}
            _ => {
                let mut c = node.walk();
                for child in node.named_children(&mut c) {
                    stack.push((child, path.clone()));
                }
            }
        }
    }
    out.sort_by_key(|s| s.value.range.start);
    out
}

fn string_contents(text: &str, node: Node<'_>) -> Option<Spanned<String>> {
    if node.kind() != "string" {
        return None;
    }
    let r = TextRange::from_usize(node.start_byte(), node.end_byte()).shrink(1);
    Some(Spanned::new(text.get(r.as_usize())?.to_string(), r))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_nested_keys_through_calls_and_arrays() {
        let text = r#"
import { defineWorkersConfig } from "@cloudflare/vitest-pool-workers/config";
export default defineWorkersConfig({
  test: {
    poolOptions: {
      workers: {
        main: "./test/entry.ts",
        wrangler: { configPath: "./wrangler.test.jsonc" },
        miniflare: { workers: [{ name: "auth", modules: true, script: "x" }], "kv-ns": ["A"] },
      },
    },
  },
});
"#;
        let got: Vec<String> = static_strings(text, SourceLang::TypeScript)
            .iter()
            .map(|s| format!("{}={}", s.path.join("."), s.value.value))
            .collect();
        assert_eq!(
            got,
            vec![
                "test.poolOptions.workers.main=./test/entry.ts",
                "test.poolOptions.workers.wrangler.configPath=./wrangler.test.jsonc",
                "test.poolOptions.workers.miniflare.workers.[].name=auth",
                "test.poolOptions.workers.miniflare.workers.[].script=x",
                "test.poolOptions.workers.miniflare.kv-ns.[]=A",
            ]
        );
    }
}

/// Every word of a text that could name a binding (`[A-Za-z_$][A-Za-z0-9_$]*`), sorted, each
/// once. What a test module reads is only ever asked to keep a binding from being reported
/// unused, so every word it holds counts: a binding its tests name in any way is not
/// reported, and no test module is parsed (they were a quarter of a cold check of
/// workers-sdk, most of them declined by the lexical scan: stubs of bindings kept in
/// variables, `env` handed to helpers).
pub fn words(text: &str) -> Vec<String> {
    let b = text.as_bytes();
    let start = |c: u8| c.is_ascii_alphabetic() || c == b'_' || c == b'$';
    let mut seen: foldhash::HashSet<&str> = foldhash::HashSet::default();
    let mut i = 0;
    while i < b.len() {
        if start(b[i]) && (i == 0 || !(start(b[i - 1]) || b[i - 1].is_ascii_digit())) {
            let end = b[i..]
                .iter()
                .position(|&c| !(start(c) || c.is_ascii_digit()))
                .map_or(b.len(), |n| i + n);
            // ASCII bytes only: a word is whole characters.
            seen.insert(&text[i..end]);
            i = end;
        } else {
            i += 1;
        }
    }
    let mut out: Vec<String> = seen.into_iter().map(str::to_string).collect();
    out.sort_unstable();
    out
}

#[cfg(test)]
mod words_tests {
    use super::words;

    /// Whole identifier words only, each once, sorted: not the tail of a number, not a part
    /// of a longer word, `$` and `_` included, anything non-ASCII a separator.
    #[test]
    fn the_words_of_a_text_are_its_identifiers() {
        let text = "import { env } from \"cloudflare:test\";\n// KV in a comment\n\
                    const $s = { BUCKET_1: 0x1f, 2nd: env.KV };\nvalé _x env";
        assert_eq!(
            words(text),
            [
                "$s",
                "BUCKET_1",
                "KV",
                "_x",
                "a",
                "cloudflare",
                "comment",
                "const",
                "env",
                "from",
                "import",
                "in",
                "test",
                "val"
            ]
        );
        assert!(words("").is_empty());
    }
}
