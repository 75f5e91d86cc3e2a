//! A format-neutral value tree with spans, produced by both the TOML and the JSONC front-end.
//!
//! Besides the span of every key and value, the tree records what edits need to know about the
//! syntax around them, so that no edit ever has to search the text: where a container's
//! brackets are, which comma separates an item from the next, and what to delete to remove an
//! entry cleanly.

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

/// How an array or table is written, for edits that add to it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Layout {
    /// A scalar, or a table with no syntax of its own (a TOML table made implicitly by a
    /// dotted key or by a sub-table's header, such as `env` for `[env.staging]`).
    #[default]
    Implicit,
    /// In brackets (every JSON array and object, TOML inline arrays and tables).
    Brackets {
        /// The offset of `[` or `{`.
        open: u32,
        /// The offset of `]` or `}`.
        close: u32,
        /// The end of the last item (of its separator comma, when it has a trailing one).
        last_end: Option<u32>,
        /// Whether the last item is followed by a comma.
        trailing_comma: bool,
    },
    /// A TOML `[table]` or one `[[array]]` element.
    Header {
        /// The offset of the header's first `[`.
        header: u32,
        /// The end of the line of the table's last own key/value (of its header when it has
        /// none), before the line break: where a new key of this table can be added.
        end: u32,
    },
    /// A TOML array of tables (`[[key]]` blocks): new elements are new blocks.
    ArrayOfTables,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Value {
    pub kind: ValueKind,
    /// For strings: the contents without quotes. For other values: the whole value.
    pub range: TextRange,
    /// The whole value including quotes (equal to `range` for non-strings).
    pub full_range: TextRange,
    pub layout: Layout,
    /// The comma separating this value (an array element, or the value of an entry) from the
    /// next item of its container, or its trailing comma.
    pub comma: Option<TextRange>,
}

/// One key of a table.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The key as read (unquoted), with the span of the key as written (without quotes).
    pub key: Spanned<String>,
    /// The key as written, with its quotes.
    pub key_full: TextRange,
    pub value: Value,
    /// The whole entry: from the key to the end of the value (for a TOML `[table]` or
    /// `[[array]]` entry, from its header to the end of its last key).
    pub range: TextRange,
    /// What to delete to remove this entry and keep its container well-formed: the entry, its
    /// separator comma (or the previous item's, for a last entry), and its line when it stands
    /// alone on one. Never a comment. `None` where no such span exists (a TOML dotted or
    /// header entry, or a JSON key that shadows an earlier duplicate, which removing it would
    /// bring back).
    pub removal: Option<TextRange>,
}

impl Value {
    /// A value with no container layout and no comma (the front-ends fill those in).
    pub fn new(kind: ValueKind, range: TextRange, full_range: TextRange) -> Value {
        Value {
            kind,
            range,
            full_range,
            layout: Layout::Implicit,
            comma: None,
        }
    }
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

/// How comments are written in a gap between two items.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Comments {
    /// `// line` and `/* block */`.
    Json,
    /// `# line`.
    Toml,
}

/// The offset of the comma in a gap between two items (or between the last item and the
/// closing bracket), skipping comments. The gap holds only whitespace, comments and commas:
/// the spans around it come from the syntax tree.
pub(crate) fn comma_in(text: &str, gap: TextRange, comments: Comments) -> Option<TextRange> {
    let bytes = text.as_bytes();
    let (mut i, end) = (gap.start as usize, (gap.end as usize).min(bytes.len()));
    while i < end {
        match bytes[i] {
            b',' => return Some(TextRange::from_usize(i, i + 1)),
            b'#' if comments == Comments::Toml => {
                while i < end && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if comments == Comments::Json && bytes.get(i + 1) == Some(&b'/') => {
                while i < end && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if comments == Comments::Json && bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i < end && !(bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/')) {
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

fn is_blank(b: u8) -> bool {
    matches!(b, b' ' | b'\t')
}

/// Widens `r` to its whole line when only blanks stand before and after it on the line:
/// from the line's start to past its line break (or to the end of the text).
pub(crate) fn whole_line(text: &str, r: TextRange) -> Option<TextRange> {
    let bytes = text.as_bytes();
    let mut start = r.start as usize;
    while start > 0 && is_blank(bytes[start - 1]) {
        start -= 1;
    }
    if start > 0 && bytes[start - 1] != b'\n' {
        return None;
    }
    let mut end = r.end as usize;
    while end < bytes.len() && (is_blank(bytes[end]) || bytes[end] == b'\r') {
        end += 1;
    }
    match bytes.get(end) {
        None => Some(TextRange::from_usize(start, end)),
        Some(b'\n') => Some(TextRange::from_usize(start, end + 1)),
        Some(_) => None,
    }
}

/// The end of the line `at` is on, before its line break (`\r\n` or `\n`). Used after a TOML
/// key/value, where the rest of the line can only be blanks and a comment.
pub(crate) fn line_end(text: &str, at: u32) -> u32 {
    let bytes = text.as_bytes();
    let mut i = (at as usize).min(bytes.len());
    while i < bytes.len() && bytes[i] != b'\n' {
        i += 1;
    }
    if i > at as usize && bytes.get(i - 1) == Some(&b'\r') && bytes.get(i) == Some(&b'\n') {
        i -= 1;
    }
    i as u32
}

/// One item of a bracketed container, for [`removal_in_brackets`]: its whole span (key to
/// value) and its separator comma.
pub(crate) struct Item {
    pub range: TextRange,
    pub comma: Option<TextRange>,
}

/// What to delete to remove item `i` of a bracketed container (see [`Entry::removal`]).
pub(crate) fn removal_in_brackets(text: &str, items: &[Item], i: usize) -> TextRange {
    let item = &items[i];
    let bytes = text.as_bytes();
    match item.comma {
        Some(comma) => {
            let own = TextRange::new(item.range.start, comma.end);
            if let Some(line) = whole_line(text, own) {
                return line;
            }
            // Inline: take the blanks after the comma too (`a, b` -> `b`).
            let mut end = comma.end as usize;
            while end < bytes.len() && is_blank(bytes[end]) {
                end += 1;
            }
            TextRange::new(item.range.start, end as u32)
        }
        None => {
            // The last item: remove the previous item's comma with it, when only blanks lie
            // between (a comment there is kept, and the comma stays as a trailing comma).
            if let Some(prev) = i.checked_sub(1).and_then(|p| items[p].comma) {
                let between = text.get(prev.end as usize..item.range.start as usize);
                if between.is_some_and(|b| b.bytes().all(|c| c.is_ascii_whitespace())) {
                    return TextRange::new(prev.start, item.range.end);
                }
            }
            whole_line(text, item.range).unwrap_or(item.range)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commas_are_found_outside_comments_only() {
        let text = "1 /* , */ // ,\n , 2";
        let gap = TextRange::from_usize(1, text.len() - 1);
        assert_eq!(
            comma_in(text, gap, Comments::Json),
            Some(TextRange::from_usize(16, 17))
        );
        let text = "1 # ,\n , 2";
        let gap = TextRange::from_usize(1, text.len() - 1);
        assert_eq!(
            comma_in(text, gap, Comments::Toml),
            Some(TextRange::from_usize(7, 8))
        );
        assert_eq!(
            comma_in("1 /* , */ 2", TextRange::from_usize(1, 10), Comments::Json),
            None
        );
    }

    #[test]
    fn whole_lines_and_line_ends_keep_crlf() {
        let text = "a\r\n  b = 1 \r\nc";
        let b = TextRange::from_usize(5, 10);
        assert_eq!(whole_line(text, b), Some(TextRange::from_usize(3, 13)));
        assert_eq!(line_end(text, 10), 11);
        // Something else on the line: not a whole line.
        assert_eq!(whole_line("x b = 1\n", TextRange::from_usize(2, 7)), None);
        assert_eq!(whole_line("b = 1 # c\n", TextRange::from_usize(0, 5)), None);
    }
}
