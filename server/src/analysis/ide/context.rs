//! What the cursor is on, read from the raw text so that half-typed files work: a tolerant
//! scanner for TOML and JSON(C) configs, and a backwards scan over a source line.

use crate::base::TextRange;

/// The string value the cursor is in, inside a config.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigContext {
    /// Table path: TOML header segments plus enclosing inline keys, e.g.
    /// `["env", "staging", "services"]`.
    pub path: Vec<String>,
    /// The key whose value (or array element) the string is.
    pub key: String,
    /// The string's contents so far (without quotes), up to the cursor.
    pub prefix: String,
    /// The whole string's contents range (to the closing quote, or to the cursor when the
    /// string is unterminated).
    pub range: TextRange,
    /// The innermost enclosing `{ ... }` (an inline table or JSON object): start offset.
    pub object_start: Option<u32>,
}

impl ConfigContext {
    pub fn env(&self) -> Option<&str> {
        match self.path.as_slice() {
            [first, env, ..] if first == "env" => Some(env),
            _ => None,
        }
    }
}

/// Scans a config up to `offset` and returns the string context there, if the cursor is in a
/// string value.
pub fn config_context(text: &str, offset: u32, toml: bool) -> Option<ConfigContext> {
    match scan(text, offset as usize, toml) {
        Scan::InString {
            state,
            start,
            content_end,
        } => {
            let end = (offset as usize).min(text.len());
            let key = match &state.pending_key {
                Some(k) => k.clone(),
                None => match state.stack.last() {
                    // An element of an array: the array's key.
                    Some((k, false, _)) => k.clone(),
                    // A key being typed, not a value.
                    _ => return None,
                },
            };
            let mut path = state.path();
            // The array's own key is the context key, not part of the path.
            if state.pending_key.is_none() && path.last() == Some(&key) {
                path.pop();
            }
            let object_start = state
                .stack
                .iter()
                .rev()
                .find(|(_, obj, _)| *obj)
                .map(|(_, _, s)| *s);
            Some(ConfigContext {
                path,
                key,
                prefix: text.get(start..end).unwrap_or("").to_string(),
                range: TextRange::from_usize(start, content_end),
                object_start,
            })
        }
        _ => None,
    }
}

/// The key the cursor is on or is typing, inside a config.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyContext {
    /// The table the key is in: TOML header segments, enclosing keys (array nesting is implied:
    /// `["migrations"]` inside a `[[migrations]]` block) and the dotted prefix of the key.
    pub path: Vec<String>,
    /// The key's text before the cursor.
    pub prefix: String,
    /// The whole key under the cursor (without quotes).
    pub word: String,
    pub range: TextRange,
    /// Inside quotes (a JSON key, or a quoted TOML key).
    pub quoted: bool,
    /// In a TOML header: `Some(true)` for `[[array]]`, `Some(false)` for `[table]`.
    pub header: Option<bool>,
}

fn is_key_byte(b: u8, toml: bool) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || (!toml && b == b'$')
}

/// The key context at `offset`, if the cursor is where a key is written (also in a file that
/// does not parse: a bare word on its own line is a key being typed).
pub fn key_context(text: &str, offset: u32, toml: bool) -> Option<KeyContext> {
    let bytes = text.as_bytes();
    let offset = (offset as usize).min(bytes.len());
    if !text.is_char_boundary(offset) {
        return None;
    }
    // The bare word around the cursor, and the dotted segments before it.
    let mut start = offset;
    while start > 0 && is_key_byte(bytes[start - 1], toml) {
        start -= 1;
    }
    let mut end = offset;
    while end < bytes.len() && is_key_byte(bytes[end], toml) {
        end += 1;
    }
    let mut dotted: Vec<String> = Vec::new();
    let mut scan_from = start;
    if toml {
        while scan_from > 0 && bytes[scan_from - 1] == b'.' {
            let seg_end = scan_from - 1;
            let mut seg_start = seg_end;
            while seg_start > 0 && is_key_byte(bytes[seg_start - 1], toml) {
                seg_start -= 1;
            }
            if seg_start == seg_end {
                break;
            }
            dotted.insert(0, text[seg_start..seg_end].to_string());
            scan_from = seg_start;
        }
    }
    let ctx = |path: Vec<String>, start: usize, end: usize, quoted, header| KeyContext {
        path,
        prefix: text[start..offset.max(start).min(end.max(start))].to_string(),
        word: text[start..end].to_string(),
        range: TextRange::from_usize(start, end),
        quoted,
        header,
    };
    match scan(text, scan_from, toml) {
        Scan::InHeader {
            is_array,
            header_start,
        } => {
            // Read the header from its start to the cursor's segment.
            let inner = text
                .get(header_start..start)
                .unwrap_or("")
                .trim_start_matches('[')
                .trim();
            if inner.contains(['"', '\'', ']']) || !inner.is_empty() && !inner.ends_with('.') {
                return None;
            }
            let segments: Vec<String> = inner
                .split('.')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            Some(ctx(segments, start, end, false, Some(is_array)))
        }
        Scan::InString {
            state,
            start: s,
            content_end,
        } => {
            // A quoted key: not after `=`/`:`, and not an array element.
            if state.pending_key.is_some() || state.stack.last().is_some_and(|(_, obj, _)| !obj) {
                return None;
            }
            if !toml && state.stack.is_empty() {
                return None;
            }
            if s > offset || offset > content_end {
                return None;
            }
            Some(ctx(state.path(), s, content_end, true, None))
        }
        Scan::End(state) => {
            if state.pending_key.is_some() || state.in_value {
                return None;
            }
            match state.stack.last() {
                Some((_, false, _)) => return None,
                None if !toml => return None,
                _ => {}
            }
            // Only whitespace (or, in JSON, `{`/`,`) between the previous token and the word.
            let before = text[..scan_from].trim_end_matches([' ', '\t']);
            let fresh = before.is_empty()
                || before.ends_with('\n')
                || (!toml && (before.ends_with('{') || before.ends_with(',')))
                || (toml
                    && (before.ends_with('{') || before.ends_with(','))
                    && !state.stack.is_empty());
            if !fresh {
                return None;
            }
            // A word followed by `=`/`:` on a line is a complete key; either way it is a key.
            let mut path = state.path();
            path.extend(dotted);
            Some(ctx(path, start, end, false, None))
        }
    }
}

/// Where a scan up to the cursor stopped.
enum Scan {
    /// Inside a string literal: its contents start at `start` and run to `content_end` (the
    /// closing quote, or the end of the line when unterminated).
    InString {
        state: ScanState,
        start: usize,
        content_end: usize,
    },
    /// Inside a TOML table header that starts at `header_start`.
    InHeader { is_array: bool, header_start: usize },
    /// At the cursor, outside any string.
    End(ScanState),
}

#[derive(Default)]
struct ScanState {
    /// TOML header segments.
    header: Vec<String>,
    /// Stack of (key that opened it, is_object, start offset).
    stack: Vec<(String, bool, u32)>,
    /// The key whose value comes next (after `=` or `:`).
    pending_key: Option<String>,
    /// Just after a bare value (`true`, `12`) on the same statement.
    in_value: bool,
}

impl ScanState {
    fn path(&self) -> Vec<String> {
        let mut path = self.header.clone();
        path.extend(
            self.stack
                .iter()
                .map(|(k, _, _)| k.clone())
                .filter(|k| !k.is_empty()),
        );
        path
    }
}

/// A tolerant scan of a config from its start to `offset`.
fn scan(text: &str, offset: usize, toml: bool) -> Scan {
    let bytes = text.as_bytes();
    let end = offset.min(bytes.len());
    let mut st = ScanState::default();
    let mut last_key = String::new();
    let mut i = 0usize;
    let mut line_start = true;
    while i < end {
        let c = bytes[i];
        match c {
            b'\n' => {
                line_start = true;
                if st.stack.is_empty() {
                    st.in_value = false;
                }
                i += 1;
                continue;
            }
            b' ' | b'\t' | b'\r' => {
                i += 1;
                continue;
            }
            b'#' if toml => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if !toml && bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if !toml && bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < bytes.len() && !(bytes[i] == b'*' && bytes[i + 1] == b'/') {
                    i += 1;
                }
                i += 2;
                continue;
            }
            b'[' if toml && line_start && st.stack.is_empty() => {
                // A table header: `[a.b]` or `[[a.b]]`.
                let close = text[i..].find('\n').map(|n| i + n).unwrap_or(bytes.len());
                let is_array = bytes.get(i + 1) == Some(&b'[');
                let raw = text[i..close].trim().trim_start_matches('[');
                let raw = raw.split(']').next().unwrap_or("");
                st.header = raw
                    .split('.')
                    .map(|s| s.trim().trim_matches('"').trim_matches('\'').to_string())
                    .filter(|s| !s.is_empty())
                    .collect();
                st.pending_key = None;
                st.in_value = false;
                if end <= close {
                    // The cursor is in this header line; past its `]`, it is not a key.
                    let closing = text[i..close].find(']').map(|n| i + n);
                    if closing.is_none_or(|c| end <= c) {
                        return Scan::InHeader {
                            is_array,
                            header_start: i,
                        };
                    }
                }
                i = close;
                continue;
            }
            b'"' | b'\'' => {
                let quote = c;
                let start = i + 1;
                let mut j = start;
                while j < bytes.len() && bytes[j] != quote && bytes[j] != b'\n' {
                    if bytes[j] == b'\\' && quote == b'"' {
                        j += 1;
                    }
                    j += 1;
                }
                let closed = j < bytes.len() && bytes[j] == quote;
                if end <= j {
                    // The cursor is inside this string.
                    let content_end = if closed {
                        j
                    } else {
                        j.max(end).min(bytes.len())
                    };
                    return Scan::InString {
                        state: st,
                        start,
                        content_end,
                    };
                }
                let s = text.get(start..j).unwrap_or("").to_string();
                i = j + 1;
                // A quoted key (JSON, or TOML quoted key) or a string value.
                let mut k = i;
                while k < bytes.len() && (bytes[k] == b' ' || bytes[k] == b'\t') {
                    k += 1;
                }
                if k < bytes.len()
                    && (bytes[k] == b':' || (toml && bytes[k] == b'='))
                    && st.pending_key.is_none()
                {
                    last_key = s;
                } else {
                    st.pending_key = None;
                    st.in_value = true;
                }
                line_start = false;
                continue;
            }
            b'=' | b':' => {
                st.pending_key = Some(last_key.clone());
            }
            b'{' | b'[' => {
                let key = st.pending_key.take().unwrap_or_default();
                st.stack.push((key, c == b'{', i as u32));
                st.in_value = false;
            }
            b'}' | b']' => {
                st.stack.pop();
                st.pending_key = None;
                st.in_value = true;
            }
            b',' => {
                st.pending_key = None;
                st.in_value = false;
            }
            _ if toml && (c.is_ascii_alphanumeric() || c == b'_' || c == b'-') => {
                // A bare key, possibly dotted (`durable_objects.bindings = [...]`).
                let start = i;
                while i < end
                    && (bytes[i].is_ascii_alphanumeric() || matches!(bytes[i], b'_' | b'-' | b'.'))
                {
                    i += 1;
                }
                let word = &text[start..i];
                if st.pending_key.is_some() {
                    // A bare value (number, boolean).
                    st.pending_key = None;
                    st.in_value = true;
                } else {
                    last_key = word.rsplit('.').next().unwrap_or(word).to_string();
                    // Dotted prefixes become part of the path of what follows.
                    let parts: Vec<&str> = word.split('.').collect();
                    if parts.len() > 1 {
                        let mut k = i;
                        while k < bytes.len() && bytes[k] == b' ' {
                            k += 1;
                        }
                        if bytes.get(k) == Some(&b'=') {
                            last_key = parts.join(".");
                        }
                    }
                }
                line_start = false;
                continue;
            }
            _ => {}
        }
        line_start = false;
        i += 1;
    }
    Scan::End(st)
}

/// Expands a dotted key (`durable_objects.bindings`) into path segments.
pub fn split_path(path: &[String]) -> Vec<String> {
    path.iter()
        .flat_map(|p| p.split('.').map(str::to_string).collect::<Vec<_>>())
        .collect()
}

/// The value of `key` inside the object starting at `object_start` (the first `"key": "v"` or
/// `key = "v"` in it), read from the text.
pub fn sibling_value(text: &str, object_start: u32, key: &str) -> Option<String> {
    let rest = text.get(object_start as usize..)?;
    // The object's extent: up to its matching close, bounded.
    let mut depth = 0i32;
    let mut end = rest.len();
    for (i, c) in rest.char_indices() {
        match c {
            '{' | '[' => depth += 1,
            '}' | ']' => {
                depth -= 1;
                if depth == 0 {
                    end = i;
                    break;
                }
            }
            _ => {}
        }
    }
    let body = &rest[..end];
    for pattern in [format!("\"{key}\""), key.to_string()] {
        let mut from = 0;
        while let Some(at) = body[from..].find(&pattern) {
            let after = from + at + pattern.len();
            let before_ok = at + from == 0
                || !body.as_bytes()[from + at - 1].is_ascii_alphanumeric()
                    && body.as_bytes()[from + at - 1] != b'_';
            let tail = body[after..].trim_start();
            if before_ok && (tail.starts_with('=') || tail.starts_with(':')) {
                let v = tail[1..].trim_start();
                if let Some(q) = v.chars().next().filter(|c| *c == '"' || *c == '\'') {
                    let inner = &v[1..];
                    if let Some(close) = inner.find(q) {
                        return Some(inner[..close].to_string());
                    }
                }
            }
            from = after;
        }
    }
    None
}

/// For TOML `[[table]]` blocks: the value of `key` in the block holding `offset`.
pub fn block_value(text: &str, offset: u32, key: &str) -> Option<String> {
    let before = text.get(..offset as usize)?;
    let start = before.rfind("\n[").map(|i| i + 1).unwrap_or(0);
    let after = &text[offset as usize..];
    let end = offset as usize + after.find("\n[").unwrap_or(after.len());
    for line in text[start..end].lines() {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix(key) {
            let rest = rest.trim_start();
            if let Some(v) = rest.strip_prefix('=') {
                let v = v.trim().trim_matches(|c| c == '"' || c == '\'');
                return Some(v.to_string());
            }
        }
    }
    None
}

/// In a source: the receiver chain before a `.` at the cursor, and the partial member name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberContext {
    /// Segments of the receiver, e.g. `["this", "env", "AUTH"]`; a call segment keeps its name
    /// with `()`, e.g. `["env", "ROOMS", "get()"]`.
    pub receiver: Vec<String>,
    pub prefix: String,
    /// The partial name's range.
    pub range: TextRange,
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$'
}

/// Reads `receiver.partial|` backwards from the cursor.
pub fn member_context(text: &str, offset: u32) -> Option<MemberContext> {
    let bytes = text.as_bytes();
    let mut i = (offset as usize).min(bytes.len());
    let word_end = i;
    // Extend the partial word forward too, so it can be replaced whole.
    let mut fwd = word_end;
    while fwd < bytes.len() && is_ident(bytes[fwd]) {
        fwd += 1;
    }
    while i > 0 && is_ident(bytes[i - 1]) {
        i -= 1;
    }
    let word_start = i;
    if i == 0 || bytes[i - 1] != b'.' {
        return None;
    }
    i -= 1;
    if i > 0 && bytes[i - 1] == b'?' {
        i -= 1;
    }
    let mut receiver = Vec::new();
    for _ in 0..16 {
        // Skip a call's arguments: `name(...)`.
        let mut call = false;
        if i > 0 && bytes[i - 1] == b')' {
            let mut depth = 0i32;
            let mut j = i;
            while j > 0 {
                j -= 1;
                match bytes[j] {
                    b')' => depth += 1,
                    b'(' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
            }
            if depth != 0 {
                return None;
            }
            i = j;
            call = true;
        }
        let end = i;
        while i > 0 && is_ident(bytes[i - 1]) {
            i -= 1;
        }
        if i == end {
            return None;
        }
        let name = &text[i..end];
        receiver.push(if call {
            format!("{name}()")
        } else {
            name.to_string()
        });
        if i > 0 && bytes[i - 1] == b'.' {
            i -= 1;
            if i > 0 && bytes[i - 1] == b'?' {
                i -= 1;
            }
            continue;
        }
        break;
    }
    receiver.reverse();
    Some(MemberContext {
        receiver,
        prefix: text[word_start..word_end].to_string(),
        range: TextRange::from_usize(word_start, fwd),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(text: &str, toml: bool) -> Option<ConfigContext> {
        let at = text.find('|').unwrap();
        let text = text.replace('|', "");
        config_context(&text, at as u32, toml)
    }

    #[test]
    fn toml_contexts() {
        let c = ctx(
            "name = \"a\"\n[env.staging]\nservices = [{ binding = \"A\", service = \"mo|",
            true,
        )
        .unwrap();
        assert_eq!(c.key, "service");
        assert_eq!(c.prefix, "mo");
        assert_eq!(c.env(), Some("staging"));
        assert!(c.path.iter().any(|p| p == "services"));
        let c = ctx(
            "[[durable_objects.bindings]]\nname = \"X\"\nclass_name = \"Co|unter\"\n",
            true,
        )
        .unwrap();
        assert_eq!(c.key, "class_name");
        assert!(split_path(&c.path).contains(&"durable_objects".to_string()));
        let c = ctx(
            "[[migrations]]\ntag = \"v1\"\nnew_sqlite_classes = [\"A\", \"|\"]\n",
            true,
        )
        .unwrap();
        assert_eq!(c.key, "new_sqlite_classes");
        assert_eq!(c.path, vec!["migrations"]);
        assert!(ctx("na|me = \"x\"", true).is_none());
        let c = ctx(
            "durable_objects.bindings = [{ name = \"A\", class_name = \"|\" }]",
            true,
        )
        .unwrap();
        assert_eq!(c.key, "class_name");
    }

    #[test]
    fn jsonc_contexts() {
        let c = ctx(
            "{\n // c\n \"env\": { \"staging\": { \"services\": [ { \"binding\": \"A\", \"service\": \"au|",
            false,
        )
        .unwrap();
        assert_eq!(c.key, "service");
        assert_eq!(c.env(), Some("staging"));
        assert!(c.path.iter().any(|p| p == "services"));
        assert!(ctx("{ \"na|", false).is_none());
        let c = ctx(
            "{ \"services\": [{ \"service\": \"auth\", \"entrypoint\": \"|\" }] }",
            false,
        )
        .unwrap();
        assert_eq!(c.key, "entrypoint");
        let text = "{ \"services\": [{ \"service\": \"auth\", \"entrypoint\": \"\" }] }";
        assert_eq!(
            sibling_value(text, c.object_start.unwrap(), "service").as_deref(),
            Some("auth")
        );
    }

    fn key(text: &str, toml: bool) -> Option<KeyContext> {
        let at = text.find('|').unwrap();
        let text = text.replace('|', "");
        key_context(&text, at as u32, toml)
    }

    #[test]
    fn toml_key_contexts() {
        // A bare word on its own line, in a file that does not parse.
        let k = key("name = \"a\"\n[build]\ncomm|\n[env.staging]\n", true).unwrap();
        assert_eq!(k.path, vec!["build"]);
        assert_eq!((k.prefix.as_str(), k.word.as_str()), ("comm", "comm"));
        assert_eq!(k.header, None);
        // The whole word under the cursor, and the table of an array of tables.
        let k = key("[[migrations]]\nta|g = \"v1\"\n", true).unwrap();
        assert_eq!(k.path, vec!["migrations"]);
        assert_eq!((k.prefix.as_str(), k.word.as_str()), ("ta", "tag"));
        // An empty line is a key position too.
        let k = key("[env.staging]\nname = \"x\"\n|\n", true).unwrap();
        assert_eq!(k.path, vec!["env", "staging"]);
        assert_eq!(k.word, "");
        // Dotted keys and inline tables.
        let k = key("durable_objects.bin|dings = []\n", true).unwrap();
        assert_eq!(k.path, vec!["durable_objects"]);
        assert_eq!(k.word, "bindings");
        let k = key("build = { command = \"x\", wat| }\n", true).unwrap();
        assert_eq!(k.path, vec!["build"]);
        // Headers.
        let k = key("[env.staging.bu|]\n", true).unwrap();
        assert_eq!(k.path, vec!["env", "staging"]);
        assert_eq!((k.word.as_str(), k.header), ("bu", Some(false)));
        let k = key("[[r2_|", true).unwrap();
        assert_eq!((k.word.as_str(), k.header), ("r2_", Some(true)));
        // Values are not keys.
        assert!(key("name = tr|", true).is_none());
        assert!(key("name = \"a|\"", true).is_none());
        assert!(key("routes = [\n  |\n]", true).is_none());
        assert!(key("name = \"a\" x|", true).is_none());
        assert!(key("# a comm|ent", true).is_none());
        assert!(key("[build] # comm|ent", true).is_none());
    }

    #[test]
    fn jsonc_key_contexts() {
        let k = key("{\n  // c\n  \"build\": { \"comm|", false).unwrap();
        assert_eq!(k.path, vec!["build"]);
        assert!(k.quoted);
        assert_eq!(k.prefix, "comm");
        let k = key(
            "{ \"name\": \"a\",\n  \"compatibility_da|te\": \"x\" }",
            false,
        )
        .unwrap();
        assert_eq!(k.word, "compatibility_date");
        assert!(k.path.is_empty());
        // Typed without quotes yet.
        let k = key("{ \"name\": \"a\", ma|", false).unwrap();
        assert!(!k.quoted);
        assert_eq!(k.word, "ma");
        let k = key("{ \"services\": [ { \"|\" } ] }", false).unwrap();
        assert_eq!(k.path, vec!["services"]);
        assert!(key("{ \"name\": \"a|\" }", false).is_none());
        assert!(key("{ \"flags\": [\"a|\"] }", false).is_none());
        assert!(key("ma|", false).is_none());
    }

    #[test]
    fn every_offset_of_odd_configs_is_answered() {
        let texts = [
            "name = \"😀\"\r\n[build]\r\ncomm\r\n[[é\n",
            "[env.\"a]b\".x]\nk = 'unterminated\n\"\"\" = 1\n[",
            "{ \"a\": [ { \"😀\": /* c */ \"x\" , \"",
            "a.b.c = { d = [ { e",
            "]]]}}}[[[{{{\"\\",
            "",
        ];
        for text in texts {
            for toml in [true, false] {
                for offset in 0..=text.len() as u32 + 2 {
                    if let Some(k) = key_context(text, offset, toml) {
                        assert!(text.get(k.range.as_usize()).is_some(), "{text:?} {offset}");
                    }
                    if let Some(c) = config_context(text, offset, toml) {
                        assert!(text.get(c.range.as_usize()).is_some(), "{text:?} {offset}");
                    }
                }
            }
        }
    }

    #[test]
    fn member_contexts() {
        let m = member_context("await env.AUTH.ver", 18).unwrap();
        assert_eq!(m.receiver, vec!["env", "AUTH"]);
        assert_eq!(m.prefix, "ver");
        let text = "env.ROOMS.get(env.ROOMS.idFromName(\"a\")).";
        let m = member_context(text, text.len() as u32).unwrap();
        assert_eq!(m.receiver, vec!["env", "ROOMS", "get()"]);
        let m = member_context("this.env.", 9).unwrap();
        assert_eq!(m.receiver, vec!["this", "env"]);
        assert!(member_context("foo", 3).is_none());
        assert!(member_context("", 0).is_none());
    }
}
