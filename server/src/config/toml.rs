//! TOML front-end: `toml_edit::ImDocument` (which keeps byte spans) converted into the
//! format-neutral [`Value`] tree.
//!
//! Spans come straight from toml_edit and are byte offsets into the original text (a UTF-8 BOM
//! is skipped by toml_edit but still counted, so offsets stay true).
//!
//! Entry ranges, best effort:
//! - `key = value`: from this entry's key to the end of its value (for `a.b = 1`, the entry `a`
//!   runs from `a` and the entry `b` from `b`, both to the end of `1`).
//! - `[table]` / `[[array]]`: toml_edit records a header table's span from its header through
//!   its last key/value; we widen it to cover sub-tables declared under other headers
//!   (`[env.staging.vars]` counts towards `[env.staging]`).
//! - Tables with no header of their own (`env` when only `[env.staging]` exists, or `a` in
//!   `a.b = 1`): the union of the key and all children.

use super::model::ConfigError;
use super::value::{Entry, Value, ValueKind};
use crate::base::{Spanned, TextRange};
use toml_edit::{ImDocument, InlineTable, Item, Key, Table};

pub fn parse(text: &str) -> (Option<Value>, Vec<ConfigError>) {
    match ImDocument::parse(text) {
        Ok(doc) => {
            let conv = Converter { text };
            let mut root = conv.table(doc.as_table());
            // The top level is the whole file, whatever it holds.
            let whole = TextRange::from_usize(0, text.len());
            root.range = whole;
            root.full_range = whole;
            (Some(root), Vec::new())
        }
        Err(err) => {
            let range = err
                .span()
                .map(|s| clamp(text, s.start, s.end))
                .unwrap_or_else(|| TextRange::empty(0));
            let message = err
                .message()
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join("; ");
            let message = if message.is_empty() {
                "TOML syntax error".to_string()
            } else {
                format!("TOML syntax error: {message}")
            };
            (None, vec![ConfigError { message, range }])
        }
    }
}

fn clamp(text: &str, start: usize, end: usize) -> TextRange {
    let len = text.len();
    let start = start.min(len);
    let end = end.clamp(start, len);
    TextRange::from_usize(start, end)
}

/// The smallest range covering both (an empty range at 0 counts as "nothing yet").
fn union(a: Option<TextRange>, b: TextRange) -> TextRange {
    match a {
        None => b,
        Some(a) => TextRange::new(a.start.min(b.start), a.end.max(b.end)),
    }
}

struct Converter<'t> {
    text: &'t str,
}

impl Converter<'_> {
    /// The text of a range; empty rather than a panic should a span ever be off.
    fn slice(&self, r: TextRange) -> &str {
        self.text.get(r.as_usize()).unwrap_or("")
    }

    fn span(&self, span: Option<std::ops::Range<usize>>) -> Option<TextRange> {
        span.map(|s| clamp(self.text, s.start, s.end))
    }

    /// The key as read, with the span of its spelling minus any quotes.
    fn key(&self, name: &str, key: Option<&Key>) -> Spanned<String> {
        let range = key
            .and_then(|k| self.span(k.span()))
            .map(|r| {
                let raw = self.slice(r);
                if raw.starts_with('"') || raw.starts_with('\'') {
                    r.shrink(1)
                } else {
                    r
                }
            })
            .unwrap_or_default();
        Spanned::new(name.to_string(), range)
    }

    fn table(&self, table: &Table) -> Value {
        let entries: Vec<Entry> = table
            .iter()
            .filter_map(|(name, item)| self.entry(name, table.key(name), item))
            .collect();
        let own = self.span(table.span());
        table_value(entries, own)
    }

    fn inline_table(&self, table: &InlineTable) -> Value {
        let entries: Vec<Entry> = table
            .iter()
            .map(|(name, value)| {
                let key = self.key(name, table.key(name));
                let value = self.value(value);
                let range = union(Some(key.range), value.full_range);
                Entry { key, value, range }
            })
            .collect();
        let own = self.span(table.span());
        table_value(entries, own)
    }

    fn entry(&self, name: &str, key: Option<&Key>, item: &Item) -> Option<Entry> {
        let key = self.key(name, key);
        let value = match item {
            Item::None => return None,
            Item::Value(v) => self.value(v),
            Item::Table(t) => self.table(t),
            Item::ArrayOfTables(array) => {
                let elements: Vec<Value> = array.iter().map(|t| self.table(t)).collect();
                let mut range = self.span(array.span());
                for e in &elements {
                    range = Some(union(range, e.full_range));
                }
                let range = range.unwrap_or(key.range);
                Value {
                    kind: ValueKind::Array(elements),
                    range,
                    full_range: range,
                }
            }
        };
        // Keys in headers sit inside the table's own range already; a dotted or plain key
        // precedes its value.
        let range = union(Some(key.range), value.full_range);
        Some(Entry { key, value, range })
    }

    fn value(&self, value: &toml_edit::Value) -> Value {
        let full = self.span(value.span()).unwrap_or_default();
        let (kind, range) = match value {
            toml_edit::Value::String(s) => {
                let raw = self.slice(full);
                let quotes = if raw.starts_with("\"\"\"") || raw.starts_with("'''") {
                    3
                } else {
                    1
                };
                (ValueKind::String(s.value().clone()), full.shrink(quotes))
            }
            toml_edit::Value::Integer(_) | toml_edit::Value::Float(_) => {
                (ValueKind::Number(self.slice(full).to_string()), full)
            }
            toml_edit::Value::Boolean(b) => (ValueKind::Bool(*b.value()), full),
            toml_edit::Value::Datetime(_) => (ValueKind::Other, full),
            toml_edit::Value::Array(a) => (
                ValueKind::Array(a.iter().map(|v| self.value(v)).collect()),
                full,
            ),
            toml_edit::Value::InlineTable(t) => return self.inline_table(t),
        };
        Value {
            kind,
            range,
            full_range: full,
        }
    }
}

fn table_value(entries: Vec<Entry>, own: Option<TextRange>) -> Value {
    let mut range = own;
    for e in &entries {
        range = Some(union(range, e.range));
    }
    let range = range.unwrap_or_default();
    Value {
        kind: ValueKind::Table(entries),
        range,
        full_range: range,
    }
}

#[cfg(test)]
#[path = "toml_tests.rs"]
mod tests;
