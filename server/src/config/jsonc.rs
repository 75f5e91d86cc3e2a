//! JSON/JSONC front-end: `jsonc_parser::parse_to_ast` (comments and trailing commas allowed)
//! converted into the format-neutral [`Value`] tree.
//!
//! jsonc-parser is a recursive-descent parser, so a file nested thousands of levels deep would
//! overflow the stack. Before parsing, a cheap scan measures the bracket depth (skipping strings
//! and comments) and refuses anything deeper than [`MAX_DEPTH`] with an error at the offending
//! bracket. No real wrangler config comes near that depth, and the conversion below, which is
//! recursive too, is bounded by the same limit.

use super::model::ConfigError;
use super::value::{
    comma_in, removal_in_brackets, Comments, Entry, Item, Layout, Value, ValueKind,
};
use crate::base::{Spanned, TextRange};
use jsonc_parser::ast;
use jsonc_parser::common::Ranged;
use jsonc_parser::{CollectOptions, CommentCollectionStrategy, ParseOptions};

/// The deepest nesting of arrays and objects we accept.
pub const MAX_DEPTH: usize = 128;

const BOM: char = '\u{FEFF}';

pub fn parse(text: &str) -> (Option<Value>, Vec<ConfigError>) {
    // Keep byte offsets true: a BOM becomes three spaces rather than being cut off.
    let replaced;
    let source = if text.starts_with(BOM) {
        replaced = format!("   {}", &text[BOM.len_utf8()..]);
        replaced.as_str()
    } else {
        text
    };

    if let Some(error) = prescan(source) {
        return (None, vec![error]);
    }

    let collect = CollectOptions {
        comments: CommentCollectionStrategy::Off,
        tokens: false,
    };
    let options = ParseOptions {
        allow_comments: true,
        allow_loose_object_property_names: false,
        allow_trailing_commas: true,
    };
    match jsonc_parser::parse_to_ast(source, &collect, &options) {
        Ok(result) => {
            let mut conv = Converter {
                text: source,
                errors: Vec::new(),
            };
            let tree = result.value.as_ref().map(|v| conv.value(v));
            conv.errors.sort_by_key(|e| e.range);
            (tree, conv.errors)
        }
        Err(err) => {
            let r = err.range();
            let start = r.start.min(text.len());
            let end = r.end.clamp(start, text.len());
            (
                None,
                vec![ConfigError {
                    message: format!("JSON syntax error: {}", err.kind()),
                    range: TextRange::from_usize(start, end),
                }],
            )
        }
    }
}

/// Finds, before the real parse, what jsonc-parser would choke on or report badly:
/// - a bracket opening a level deeper than [`MAX_DEPTH`] (its recursion would overflow);
/// - a string running into a line break or the end of the file: jsonc-parser accepts raw line
///   breaks inside strings and then fails somewhere on a later line, far from the cause.
///
/// Strings (double- or single-quoted) and comments are skipped; anything else malformed is left
/// for the parser to report.
fn prescan(text: &str) -> Option<ConfigError> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(ConfigError {
                        message: format!(
                            "JSON syntax error: nesting deeper than {MAX_DEPTH} levels"
                        ),
                        range: TextRange::from_usize(i, i + 1),
                    });
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            quote @ (b'"' | b'\'') => {
                let open = i;
                i += 1;
                while i < bytes.len() && bytes[i] != quote && bytes[i] != b'\n' {
                    if bytes[i] == b'\\' && bytes.get(i + 1).is_some_and(|&b| b != b'\n') {
                        i += 1;
                    }
                    i += 1;
                }
                if i >= bytes.len() || bytes[i] == b'\n' {
                    let mut end = i.min(bytes.len());
                    if end > open + 1 && bytes[end - 1] == b'\r' {
                        end -= 1;
                    }
                    return Some(ConfigError {
                        message: "JSON syntax error: unterminated string".to_string(),
                        range: TextRange::from_usize(open, end),
                    });
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i < bytes.len() && !(bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/')) {
                    i += 1;
                }
                i += 1;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

fn range(r: jsonc_parser::common::Range) -> TextRange {
    TextRange::from_usize(r.start, r.end.max(r.start))
}

/// Converts the AST, and reports what jsonc-parser lets through but JSONC forbids: it accepts
/// a missing comma between elements (`{"a": 1 "b": 2}`), which wrangler rejects.
struct Converter<'t> {
    text: &'t str,
    errors: Vec<ConfigError>,
}

impl Converter<'_> {
    fn value(&mut self, value: &ast::Value<'_>) -> Value {
        let full = range(value.range());
        let (kind, inner, layout) = match value {
            ast::Value::StringLit(s) => (
                ValueKind::String(s.value.to_string()),
                full.shrink(1),
                Layout::Implicit,
            ),
            ast::Value::NumberLit(n) => (
                ValueKind::Number(n.value.to_string()),
                full,
                Layout::Implicit,
            ),
            ast::Value::BooleanLit(b) => (ValueKind::Bool(b.value), full, Layout::Implicit),
            ast::Value::NullKeyword(_) => (ValueKind::Null, full, Layout::Implicit),
            ast::Value::Array(a) => {
                let mut items: Vec<Value> = a.elements.iter().map(|e| self.value(e)).collect();
                let spans: Vec<TextRange> = a.elements.iter().map(|e| range(e.range())).collect();
                let commas = self.commas(&spans, full);
                for (item, comma) in items.iter_mut().zip(&commas) {
                    item.comma = *comma;
                }
                let layout = brackets(full, &spans, &commas);
                (ValueKind::Array(items), full, layout)
            }
            ast::Value::Object(o) => {
                let spans: Vec<TextRange> = o.properties.iter().map(|p| range(p.range)).collect();
                let commas = self.commas(&spans, full);
                let items: Vec<Item> = spans
                    .iter()
                    .zip(&commas)
                    .map(|(r, c)| Item {
                        range: *r,
                        comma: *c,
                    })
                    .collect();
                let mut seen = std::collections::HashSet::new();
                let mut entries = Vec::with_capacity(items.len());
                for (i, p) in o.properties.iter().enumerate() {
                    let mut entry = self.prop(p);
                    entry.value.comma = commas[i];
                    // Removing a key that shadows an earlier duplicate would bring that one back.
                    if seen.insert(entry.key.value.clone()) {
                        entry.removal = Some(removal_in_brackets(self.text, &items, i));
                    }
                    entries.push(entry);
                }
                let layout = brackets(full, &spans, &commas);
                (ValueKind::Table(last_wins(entries)), full, layout)
            }
        };
        Value {
            layout,
            ..Value::new(kind, inner, full)
        }
    }

    fn prop(&mut self, prop: &ast::ObjectProp<'_>) -> Entry {
        let (key, key_full) = match &prop.name {
            ast::ObjectPropName::String(s) => (
                Spanned::new(s.value.to_string(), range(s.range).shrink(1)),
                range(s.range),
            ),
            ast::ObjectPropName::Word(w) => (
                Spanned::new(w.value.to_string(), range(w.range)),
                range(w.range),
            ),
        };
        Entry {
            key,
            key_full,
            value: self.value(&prop.value),
            range: range(prop.range),
            removal: None,
        }
    }

    /// The comma after each item of a container whose whole span is `full`: between
    /// consecutive items only whitespace, comments and exactly one comma may appear, and the
    /// last item may have a trailing one.
    fn commas(&mut self, items: &[TextRange], full: TextRange) -> Vec<Option<TextRange>> {
        let close = full.end.saturating_sub(1).max(full.start);
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let next = items.get(i + 1).map_or(close, |n| n.start);
            let gap = TextRange::new(item.end, next.max(item.end));
            let comma = comma_in(self.text, gap, Comments::Json);
            if comma.is_none() && i + 1 < items.len() {
                self.errors.push(ConfigError {
                    message: "JSON syntax error: expected a comma".to_string(),
                    range: TextRange::empty(item.end),
                });
            }
            out.push(comma);
        }
        out
    }
}

/// The layout of a bracketed container spanning `full`, given its items and their commas.
fn brackets(full: TextRange, items: &[TextRange], commas: &[Option<TextRange>]) -> Layout {
    let last_comma = commas.last().copied().flatten();
    Layout::Brackets {
        open: full.start,
        close: full.end.saturating_sub(1).max(full.start),
        last_end: items.last().map(|r| last_comma.map_or(r.end, |c| c.end)),
        trailing_comma: last_comma.is_some(),
    }
}

/// Keeps only the last of duplicate keys, as `JSON.parse` (and so wrangler) does.
fn last_wins(mut entries: Vec<Entry>) -> Vec<Entry> {
    if entries.len() < 2 {
        return entries;
    }
    let mut seen = std::collections::HashSet::new();
    let mut keep: Vec<bool> = entries
        .iter()
        .rev()
        .map(|e| seen.insert(e.key.value.clone()))
        .collect();
    keep.reverse();
    let mut flags = keep.into_iter();
    entries.retain(|_| flags.next().unwrap_or(true));
    entries
}

#[cfg(test)]
#[path = "jsonc_tests.rs"]
mod tests;
