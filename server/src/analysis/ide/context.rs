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
    let bytes = text.as_bytes();
    let end = (offset as usize).min(bytes.len());
    let mut header: Vec<String> = Vec::new();
    // Stack of (key that opened it, is_object, start offset).
    let mut stack: Vec<(String, bool, u32)> = Vec::new();
    let mut last_key = String::new();
    let mut pending_key: Option<String> = None;
    let mut i = 0usize;
    let mut line_start = true;
    while i < end {
        let c = bytes[i];
        match c {
            b'\n' => {
                line_start = true;
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
            b'[' if toml && line_start && stack.is_empty() => {
                // A table header: `[a.b]` or `[[a.b]]`.
                let close = text[i..].find('\n').map(|n| i + n).unwrap_or(bytes.len());
                let raw = text[i..close].trim().trim_start_matches('[');
                let raw = raw.split(']').next().unwrap_or("");
                header = raw
                    .split('.')
                    .map(|s| s.trim().trim_matches('"').trim_matches('\'').to_string())
                    .filter(|s| !s.is_empty())
                    .collect();
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
                    if start > end {
                        return None;
                    }
                    let key = match &pending_key {
                        Some(k) => k.clone(),
                        None => match stack.last() {
                            // An element of an array: the array's key.
                            Some((k, false, _)) => k.clone(),
                            // A key being typed, not a value.
                            _ => return None,
                        },
                    };
                    let mut path = header.clone();
                    path.extend(
                        stack
                            .iter()
                            .map(|(k, _, _)| k.clone())
                            .filter(|k| !k.is_empty()),
                    );
                    // The array's own key is the context key, not part of the path.
                    if pending_key.is_none() && path.last() == Some(&key) {
                        path.pop();
                    }
                    let object_start = stack
                        .iter()
                        .rev()
                        .find(|(_, obj, _)| *obj)
                        .map(|(_, _, s)| *s);
                    let content_end = if closed { j } else { j.max(end) };
                    return Some(ConfigContext {
                        path,
                        key,
                        prefix: text.get(start..end).unwrap_or("").to_string(),
                        range: TextRange::from_usize(start, content_end),
                        object_start,
                    });
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
                    && pending_key.is_none()
                {
                    last_key = s;
                } else {
                    pending_key = None;
                }
                line_start = false;
                continue;
            }
            b'=' | b':' => {
                pending_key = Some(last_key.clone());
            }
            b'{' | b'[' => {
                let key = pending_key.take().unwrap_or_default();
                stack.push((key, c == b'{', i as u32));
            }
            b'}' | b']' => {
                stack.pop();
                pending_key = None;
            }
            b',' => {
                pending_key = None;
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
                if pending_key.is_some() {
                    // A bare value (number, boolean).
                    pending_key = None;
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
    None
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
