//! A format-neutral value tree with spans, produced by both the TOML and the JSONC front-end.

use crate::base::{Spanned, TextRange};

#[derive(Clone, Debug, PartialEq)]
pub enum ValueKind {
    /// A string; `Value::range` covers its contents without quotes.
    String(String),
    /// A number, as written.
    Number(String),
    Bool(bool),
    Null,
    Array(Vec<Value>),
    Table(Vec<Entry>),
    /// Anything else (TOML dates, ...).
    Other,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Value {
    pub kind: ValueKind,
    /// For strings: the contents without quotes. For other values: the whole value.
    pub range: TextRange,
    /// The whole value including quotes (equal to `range` for non-strings).
    pub full_range: TextRange,
}

/// One key of a table.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The key as read (unquoted), with the span of the key as written (without quotes).
    pub key: Spanned<String>,
    pub value: Value,
    /// The whole entry: from the key to the end of the value (for a TOML `[table]` or
    /// `[[array]]` entry, from its header to the end of its last key).
    pub range: TextRange,
}

impl Value {
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            ValueKind::String(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_spanned_str(&self) -> Option<Spanned<String>> {
        self.as_str()
            .map(|s| Spanned::new(s.to_string(), self.range))
    }
    pub fn as_array(&self) -> Option<&[Value]> {
        match &self.kind {
            ValueKind::Array(a) => Some(a),
            _ => None,
        }
    }
    pub fn as_table(&self) -> Option<&[Entry]> {
        match &self.kind {
            ValueKind::Table(t) => Some(t),
            _ => None,
        }
    }
    /// The entry for `key` in a table value.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.as_table()?.iter().find(|e| e.key.value == key)
    }
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.entry(key).map(|e| &e.value)
    }
}
