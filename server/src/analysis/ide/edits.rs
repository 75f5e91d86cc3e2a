//! Text edits that add a migration step to a config, keeping everything else byte for byte.
//! Where to insert comes from the config model's layout spans (the brackets of the
//! `migrations` array, the top-level object's braces), never from searching the text.

use super::TextEdit;
use crate::base::TextRange;
use crate::config::{ConfigFormat, EnvSection, Layout};
use std::path::Path;

/// One migration step, in both syntaxes: TOML `key = value` lines (for a `[[migrations]]`
/// block), the same keys for a TOML inline table, and JSON members.
pub struct Step {
    pub tag: String,
    pub toml_lines: Vec<String>,
    pub toml_inline: String,
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

/// The file's line break: CRLF if it uses one anywhere, else LF.
pub fn newline_of(text: &str) -> &'static str {
    if text.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    }
}

/// The blanks that indent the line holding `at` (for the layout of inserted lines only).
pub fn indent_of_line(text: &str, at: usize) -> String {
    let at = at.min(text.len());
    let start = text.as_bytes()[..at]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    text[start..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect()
}

/// Where and what to insert to append `step` after the existing migrations of `section`
/// (the top level or one `[env.E]`); `None` where the model gives no place for it.
pub fn append_step(text: &str, path: &Path, section: &EnvSection, step: &Step) -> Option<TextEdit> {
    let newline = newline_of(text);
    // A TypeScript declaration (Devflare's `migrations: [...]`) takes the JSON spelling.
    let format = ConfigFormat::from_path(path)
        .or_else(|| crate::source::SourceLang::from_path(path).map(|_| ConfigFormat::TypeScript))?;
    let mut members = vec![format!("\"tag\": \"{}\"", step.tag)];
    members.extend(step.json_members.iter().cloned());
    let element = match format {
        ConfigFormat::Toml => format!("{{ tag = \"{}\", {} }}", step.tag, step.toml_inline),
        _ => format!("{{ {} }}", members.join(", ")),
    };
    match section.migrations_layout {
        Some(Layout::Brackets {
            open,
            close,
            last_end,
            trailing_comma,
        }) => {
            // A new last element, on its own line, indented one step past the closing
            // bracket's line.
            let at = last_end.unwrap_or(open + 1);
            let comma = if last_end.is_some() && !trailing_comma {
                ","
            } else {
                ""
            };
            let indent = indent_of_line(text, close as usize);
            let step = step_indent(text, &indent);
            Some(TextEdit {
                range: TextRange::empty(at),
                new_text: format!("{comma}{newline}{indent}{step}{element}"),
            })
        }
        Some(Layout::ArrayOfTables) | None if format == ConfigFormat::Toml => {
            // A new `[[migrations]]` block at the end: headers are absolute, so it extends
            // the section's array wherever it stands.
            let header = match &section.env_name {
                None => "migrations".to_string(),
                Some(e) if is_bare_key(&e.value) => format!("env.{}.migrations", e.value),
                Some(_) => return None,
            };
            let lead = if text.ends_with('\n') || text.is_empty() {
                ""
            } else {
                newline
            };
            let mut block = format!(
                "{lead}{newline}[[{header}]]{newline}tag = \"{}\"{newline}",
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
        None => {
            // JSON without migrations: a new first member of the section's object.
            let Layout::Brackets { open, last_end, .. } = section.layout else {
                return None;
            };
            let comma = if last_end.is_some() { "," } else { "" };
            let indent = indent_of_line(text, open as usize);
            let step = step_indent(text, &indent);
            Some(TextEdit {
                range: TextRange::empty(open + 1),
                new_text: format!("{newline}{indent}{step}\"migrations\": [{element}]{comma}"),
            })
        }
        // `migrations` is not an array: nothing to append to.
        Some(_) => None,
    }
}

/// One more level of indentation in the style of `indent` (of the file, at its top level): a
/// tab where it uses tabs.
fn step_indent(text: &str, indent: &str) -> &'static str {
    if indent.contains('\t') || (indent.is_empty() && text.contains("\n\t")) {
        "\t"
    } else {
        "  "
    }
}

/// Whether `name` can be written as a bare TOML key.
pub fn is_bare_key(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}
