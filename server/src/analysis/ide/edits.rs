//! Text edits that add a migration step to a config, keeping everything else byte for byte.

use super::TextEdit;
use crate::base::TextRange;
use crate::config::ConfigFormat;
use std::path::Path;

/// One migration step, in both syntaxes: TOML `key = value` lines and JSON members.
pub struct Step {
    pub tag: String,
    pub toml_lines: Vec<String>,
    pub json_members: Vec<String>,
}

/// The next free `vN` tag.
pub fn next_tag(migrations: &[crate::config::Migration]) -> String {
    let tags: Vec<&str> = migrations
        .iter()
        .filter_map(|m| m.tag.as_ref())
        .map(|t| t.value.as_str())
        .collect();
    let mut n = migrations.len() + 1;
    loop {
        let tag = format!("v{n}");
        if !tags.contains(&tag.as_str()) {
            return tag;
        }
        n += 1;
    }
}

/// Where and what to insert to append `step` after the existing top-level migrations
/// (`key_range` is the span of the `migrations` key, `None` when the config has none).
pub fn append_step(
    text: &str,
    path: &Path,
    key_range: Option<TextRange>,
    step: &Step,
) -> Option<TextEdit> {
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    match ConfigFormat::from_path(path)? {
        ConfigFormat::Toml => {
            if let Some(key_range) = key_range {
                let header = text
                    .get(..key_range.start as usize)?
                    .trim_end()
                    .ends_with("[[");
                if !header {
                    // `migrations = [...]` inline: a block cannot be appended to it.
                    return None;
                }
                let line_start = text[..key_range.start as usize]
                    .rfind('\n')
                    .map(|i| i + 1)
                    .unwrap_or(0);
                if text[line_start..]
                    .trim_start()
                    .trim_start_matches('[')
                    .starts_with("env.")
                {
                    return None;
                }
            }
            let lead = if text.ends_with('\n') || text.is_empty() {
                ""
            } else {
                newline
            };
            let mut block = format!(
                "{lead}{newline}[[migrations]]{newline}tag = \"{}\"{newline}",
                step.tag
            );
            for l in &step.toml_lines {
                block.push_str(l);
                block.push_str(newline);
            }
            Some(TextEdit {
                range: TextRange::empty(text.len() as u32),
                new_text: block,
            })
        }
        _ => {
            let mut members = vec![format!("\"tag\": \"{}\"", step.tag)];
            members.extend(step.json_members.iter().cloned());
            let entry = format!("{{ {} }}", members.join(", "));
            match key_range {
                Some(key_range) => {
                    let after_key = key_range.end as usize;
                    let open = after_key + text.get(after_key..)?.find('[')?;
                    let close = matching_close(text, open)?;
                    let before = text[open + 1..close].trim_end();
                    let needs_comma =
                        !before.is_empty() && !before.ends_with(',') && !before.ends_with('[');
                    let insert_at = open + 1 + before.len();
                    let line_start = text[..close].rfind('\n').map(|i| i + 1).unwrap_or(0);
                    let indent: String = text[line_start..close]
                        .chars()
                        .take_while(|c| c.is_whitespace())
                        .collect();
                    Some(TextEdit {
                        range: TextRange::empty(insert_at as u32),
                        new_text: format!(
                            "{}{newline}{indent}  {entry}",
                            if needs_comma { "," } else { "" }
                        ),
                    })
                }
                None => {
                    // A new first member of the top-level object.
                    let open = text.find('{')?;
                    Some(TextEdit {
                        range: TextRange::empty(open as u32 + 1),
                        new_text: format!("{newline}  \"migrations\": [{entry}],"),
                    })
                }
            }
        }
    }
}

/// The offset of the bracket closing the one at `open`, skipping strings and comments.
fn matching_close(text: &str, open: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0i32;
    let mut i = open;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < bytes.len() && !(bytes[i] == b'*' && bytes[i + 1] == b'/') {
                    i += 1;
                }
                i += 1;
            }
            b'[' | b'{' => depth += 1,
            b']' | b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}
