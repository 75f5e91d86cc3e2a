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
use super::value::{
    comma_in, line_end, removal_in_brackets, whole_line, Comments, Entry, Item as Sep, Layout,
    Value, ValueKind,
};
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

    /// The key as read, with the span of its spelling minus any quotes, and the span as
    /// written (quotes included).
    fn key(&self, name: &str, key: Option<&Key>) -> (Spanned<String>, TextRange) {
        let full = key.and_then(|k| self.span(k.span())).unwrap_or_default();
        let raw = self.slice(full);
        let range = if raw.starts_with('"') || raw.starts_with('\'') {
            full.shrink(1)
        } else {
            full
        };
        (Spanned::new(name.to_string(), range), full)
    }

    fn table(&self, table: &Table) -> Value {
        // Only a table's own key/values can be removed line by line: a dotted table's keys
        // share their line with the rest of the dotted key.
        let own_lines = !table.is_dotted();
        let entries: Vec<Entry> = table
            .iter()
            .filter_map(|(name, item)| self.entry(name, table.key(name), item, own_lines))
            .collect();
        let own = self.span(table.span());
        let mut value = table_value(entries, own);
        if let Some(own) = own.filter(|_| !table.is_implicit() && !table.is_dotted()) {
            value.layout = Layout::Header {
                header: own.start,
                end: line_end(self.text, own.end),
            };
        }
        value
    }

    fn inline_table(&self, table: &InlineTable) -> Value {
        let mut entries: Vec<Entry> = table
            .iter()
            .map(|(name, value)| {
                let (key, key_full) = self.key(name, table.key(name));
                let value = self.value(value);
                let range = union(Some(key.range), value.full_range);
                Entry {
                    key,
                    key_full,
                    value,
                    range,
                    removal: None,
                }
            })
            .collect();
        let own = self.span(table.span());
        let items: Vec<TextRange> = entries
            .iter()
            .map(|e| {
                TextRange::new(
                    e.key_full.start,
                    e.value.full_range.end.max(e.key_full.start),
                )
            })
            .collect();
        let layout = own.map(|full| self.brackets(full, &items));
        if let Some(Layout::Brackets { .. }) = layout {
            let commas = self.commas(own.unwrap_or_default(), &items);
            let spans: Vec<Sep> = items
                .iter()
                .zip(&commas)
                .map(|(r, c)| Sep {
                    range: *r,
                    comma: *c,
                })
                .collect();
            // Dotted keys (`{ a.b = 1 }`) have no span of their own to remove.
            let plain = entries
                .iter()
                .all(|e| e.value.full_range.end > e.key_full.end);
            for (i, e) in entries.iter_mut().enumerate() {
                e.value.comma = commas[i];
                if plain {
                    e.removal = Some(removal_in_brackets(self.text, &spans, i));
                }
            }
        }
        let mut value = table_value(entries, own);
        value.layout = layout.unwrap_or_default();
        value
    }

    /// The comma after each item of a bracketed container spanning `full`.
    fn commas(&self, full: TextRange, items: &[TextRange]) -> Vec<Option<TextRange>> {
        let close = full.end.saturating_sub(1).max(full.start);
        items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let next = items.get(i + 1).map_or(close, |n| n.start);
                comma_in(
                    self.text,
                    TextRange::new(item.end, next.max(item.end)),
                    Comments::Toml,
                )
            })
            .collect()
    }

    fn brackets(&self, full: TextRange, items: &[TextRange]) -> Layout {
        let commas = self.commas(full, items);
        let last_comma = commas.last().copied().flatten();
        Layout::Brackets {
            open: full.start,
            close: full.end.saturating_sub(1).max(full.start),
            last_end: items.last().map(|r| last_comma.map_or(r.end, |c| c.end)),
            trailing_comma: last_comma.is_some(),
        }
    }

    fn entry(&self, name: &str, key: Option<&Key>, item: &Item, own_lines: bool) -> Option<Entry> {
        let (key, key_full) = self.key(name, key);
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
                    layout: Layout::ArrayOfTables,
                    ..Value::new(ValueKind::Array(elements), range, range)
                }
            }
        };
        // Keys in headers sit inside the table's own range already; a dotted or plain key
        // precedes its value.
        let range = union(Some(key.range), value.full_range);
        // A `key = value` line of a table: removed with its line, or up to a comment after it.
        let removal =
            (own_lines && matches!(item, Item::Value(_)) && value.full_range.end > key_full.end)
                .then(|| {
                    let own = TextRange::new(key_full.start, value.full_range.end);
                    whole_line(self.text, own).unwrap_or(own)
                });
        Some(Entry {
            key,
            key_full,
            value,
            range,
            removal,
        })
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
            toml_edit::Value::Array(a) => {
                let mut items: Vec<Value> = a.iter().map(|v| self.value(v)).collect();
                let spans: Vec<TextRange> = items.iter().map(|v| v.full_range).collect();
                let commas = self.commas(full, &spans);
                for (item, comma) in items.iter_mut().zip(commas) {
                    item.comma = comma;
                }
                return Value {
                    layout: self.brackets(full, &spans),
                    ..Value::new(ValueKind::Array(items), full, full)
                };
            }
            toml_edit::Value::InlineTable(t) => return self.inline_table(t),
        };
        Value::new(kind, range, full)
    }
}

fn table_value(entries: Vec<Entry>, own: Option<TextRange>) -> Value {
    let mut range = own;
    for e in &entries {
        range = Some(union(range, e.range));
    }
    let range = range.unwrap_or_default();
    Value::new(ValueKind::Table(entries), range, range)
}

#[cfg(test)]
#[path = "toml_tests.rs"]
mod tests;
