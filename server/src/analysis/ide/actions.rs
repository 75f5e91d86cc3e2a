use super::edits::{append_step, next_tag, Step};
use super::{apply_edits, Assist, SourceChange, TextEdit};
use crate::analysis::diagnostics::Diagnostic;
use crate::analysis::index::Index;
use crate::base::TextRange;
use crate::config::{parse_config, ConfigFormat};
use crate::source::{has_syntax_errors, SourceLang};
use std::path::Path;

/// Quick fixes for the diagnostics that touch `range` of `file`.
pub fn code_actions(
    ix: &Index,
    file: &Path,
    range: TextRange,
    diagnostics: &[Diagnostic],
) -> Vec<Assist> {
    diagnostics
        .iter()
        .filter(|d| d.file == file && d.range.start <= range.end && range.start <= d.range.end)
        .flat_map(|d| fixes_for(ix, d))
        .collect()
}

/// Codes whose suggestions are drop-in replacements of the finding's range.
const REPLACEABLE: &[&str] = &[
    "unknown-service",
    "unknown-entrypoint",
    "unknown-script",
    "unknown-do-class",
    "unknown-workflow-class",
    "unknown-binding",
    "unknown-rpc-method",
    "environment-drift",
    "conflicting-workflow-name",
    "queue-without-consumer",
];

/// The fixes for one diagnostic. Every fix is checked: the edited files must still parse.
pub fn fixes_for(ix: &Index, d: &Diagnostic) -> Vec<Assist> {
    let mut out = Vec::new();
    if REPLACEABLE.contains(&d.code) {
        let single = d.suggestions.len() == 1;
        for s in &d.suggestions {
            let mut edit = SourceChange::default();
            edit.insert(
                d.file.clone(),
                TextEdit {
                    range: d.range,
                    new_text: s.clone(),
                },
            );
            out.push(Assist {
                title: format!("Replace with `{s}`"),
                edit,
                fixes: Some(d.clone()),
                is_safe: single,
            });
        }
    }
    if let Some(text) = ix.ws.text(&d.file) {
        match d.code {
            "default-entrypoint-string" => {
                if let Some(r) = entry_removal(&text, d.range, "entrypoint") {
                    let mut edit = SourceChange::default();
                    edit.insert(
                        d.file.clone(),
                        TextEdit {
                            range: r,
                            new_text: String::new(),
                        },
                    );
                    out.push(Assist {
                        title: "Remove `entrypoint = \"default\"`".into(),
                        edit,
                        fixes: Some(d.clone()),
                        is_safe: true,
                    });
                }
            }
            "deprecated-service-environment" => {
                if let (Some(name), Some(r)) = (
                    d.suggestions.first(),
                    entry_removal(&text, d.range, "environment"),
                ) {
                    if let Some(service) = service_value_before(&text, r.start) {
                        let mut edit = SourceChange::default();
                        edit.insert(
                            d.file.clone(),
                            TextEdit {
                                range: service,
                                new_text: name.clone(),
                            },
                        );
                        edit.insert(
                            d.file.clone(),
                            TextEdit {
                                range: r,
                                new_text: String::new(),
                            },
                        );
                        out.push(Assist {
                            title: format!("Use `service = \"{name}\"` instead of `environment`"),
                            edit,
                            fixes: Some(d.clone()),
                            is_safe: true,
                        });
                    }
                }
            }
            "binding-not-inherited" => {
                if let Some(a) = copy_into_env(ix, d, &text) {
                    out.push(a);
                }
            }
            "invalid-worker-name" => {
                if let Some(a) = rename_worker(ix, d) {
                    out.push(a);
                }
            }
            "migration-class-not-exported" => out.extend(settle_unexported_class(ix, d)),
            "missing-do-migration" => {
                if let Some(a) = add_migration(ix, d) {
                    out.push(a);
                }
            }
            _ => {}
        }
    }
    out.retain(|a| still_parses(ix, &a.edit));
    out
}

/// The range to delete to remove `key = "value"` whose value's contents are at `value`: with
/// its preceding comma in an inline table or object, or the whole line in a TOML block.
fn entry_removal(text: &str, value: TextRange, key: &str) -> Option<TextRange> {
    let before = text.get(..value.start as usize)?;
    let key_at = before.rfind(key)?;
    // Include a quote before a JSON key.
    let key_start = if key_at > 0 && matches!(before.as_bytes()[key_at - 1], b'"' | b'\'') {
        key_at - 1
    } else {
        key_at
    };
    let end = value.end as usize + 1; // the closing quote
    let line_start = before[..key_start].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let head = &before[line_start..key_start];
    if head.trim().is_empty() {
        // Alone on its line (TOML block or multi-line JSON): drop the line, and a trailing comma.
        let rest = text.get(end..)?;
        let mut line_end = end + rest.find('\n').map(|i| i + 1).unwrap_or(rest.len());
        let tail = text.get(end..line_end)?.trim();
        if !(tail.is_empty() || tail == ",") {
            line_end = end;
        }
        // In JSON, the previous line's comma may now dangle before a closing brace: leave it
        // (JSONC allows trailing commas).
        return Some(TextRange::from_usize(line_start, line_end));
    }
    // Inline: remove from the comma before the key.
    let comma = before[..key_start].rfind(',')?;
    if before[comma + 1..key_start].trim().is_empty() {
        return Some(TextRange::from_usize(comma, end));
    }
    None
}

/// The `service` value's contents range in the same entry, before `limit`.
fn service_value_before(text: &str, limit: u32) -> Option<TextRange> {
    let before = text.get(..limit as usize)?;
    let at = before.rfind("service")?;
    let key_end = at + "service".len();
    // Past the key's own closing quote (JSON) to the separator, then to the value's quote.
    let sep = key_end + text[key_end..].find(['=', ':'])?;
    let q = text[sep..].find(['"', '\''])?;
    let start = sep + q + 1;
    let quote = text.as_bytes()[start - 1] as char;
    let len = text[start..].find(quote)?;
    Some(TextRange::from_usize(start, start + len))
}

/// Appends a migration step creating the class to the host's config (TOML or JSON).
fn add_migration(ix: &Index, d: &Diagnostic) -> Option<Assist> {
    let class = d.message.split('`').nth(1)?.to_string();
    let host_name = d.message.split('`').nth(3)?.to_string();
    let host = ix.lookup_name(&host_name)?;
    let config = &ix.worker(host.0).config;
    let top = &config.file.top;
    let step = Step {
        tag: next_tag(top.migrations.as_deref().unwrap_or(&[])),
        toml_lines: vec![format!("new_sqlite_classes = [\"{class}\"]")],
        json_members: vec![format!("\"new_sqlite_classes\": [\"{class}\"]")],
    };
    let insert = append_step(&config.text, &config.path, top.migrations_range, &step)?;
    let mut edit = SourceChange::default();
    edit.insert(config.path.clone(), insert);
    Some(Assist {
        title: format!("Add a migration creating `{class}` in `{host_name}`"),
        edit,
        fixes: Some(d.clone()),
        is_safe: true,
    })
}

/// An invalid worker name renamed to its valid spelling, with every reference to it.
fn rename_worker(ix: &Index, d: &Diagnostic) -> Option<Assist> {
    let [fixed] = d.suggestions.as_slice() else {
        return None;
    };
    let pos = super::FilePosition {
        file: d.file.clone(),
        offset: d.range.start,
    };
    let edit = super::rename(ix, &pos, fixed).ok()?;
    Some(Assist {
        title: format!("Rename the worker to `{fixed}` (and every reference to it)"),
        edit,
        fixes: Some(d.clone()),
        is_safe: true,
    })
}

/// A live Durable Object class the code no longer exports: a `renamed_classes` step to each
/// likely new name, or, without one, a `deleted_classes` step. Both change stored data, so a
/// person applies them.
fn settle_unexported_class(ix: &Index, d: &Diagnostic) -> Vec<Assist> {
    let Some(class) = d.message.split('`').nth(1) else {
        return Vec::new();
    };
    let Some(config) = ix.ws.config(&d.file) else {
        return Vec::new();
    };
    let top = &config.file.top;
    let Some(migrations) = top.migrations.as_deref() else {
        return Vec::new();
    };
    // Only the top-level migrations are extended; environment copies are the user's to keep.
    if !migrations.iter().any(|m| m.range.contains_range(d.range)) {
        return Vec::new();
    }
    let tag = next_tag(migrations);
    // The rule's did-you-mean first, then every other exported class no migration creates.
    let mut targets: Vec<String> = d.suggestions.clone();
    if let Some(w) = super::resolve::worker_of_config(ix, &d.file) {
        let live = crate::analysis::rules::common::do_state(ix, (w, 0))
            .map(|s| s.live)
            .unwrap_or_default();
        for (name, _) in super::resolve::exported_classes(
            ix,
            (w, 0),
            crate::analysis::index::BaseKind::DurableObject,
        ) {
            if !live.contains_key(&name) && !targets.contains(&name) {
                targets.push(name);
            }
        }
    }
    let mut steps: Vec<(String, Step)> = targets
        .iter()
        .map(|to| {
            (
                format!("Add a migration renaming `{class}` to `{to}` (keeps its objects)"),
                Step {
                    tag: tag.clone(),
                    toml_lines: vec![format!(
                        "renamed_classes = [{{ from = \"{class}\", to = \"{to}\" }}]"
                    )],
                    json_members: vec![format!(
                        "\"renamed_classes\": [{{ \"from\": \"{class}\", \"to\": \"{to}\" }}]"
                    )],
                },
            )
        })
        .collect();
    {
        steps.push((
            format!("Add a migration deleting `{class}` (deletes its stored objects)"),
            Step {
                tag,
                toml_lines: vec![format!("deleted_classes = [\"{class}\"]")],
                json_members: vec![format!("\"deleted_classes\": [\"{class}\"]")],
            },
        ));
    }
    steps
        .into_iter()
        .filter_map(|(title, step)| {
            let insert = append_step(&config.text, &config.path, top.migrations_range, &step)?;
            let mut edit = SourceChange::default();
            edit.insert(config.path.clone(), insert);
            Some(Assist {
                title,
                edit,
                fixes: Some(d.clone()),
                is_safe: false,
            })
        })
        .collect()
}

/// Copies a top-level non-inheritable entry into `[env.E]`.
fn copy_into_env(ix: &Index, d: &Diagnostic, text: &str) -> Option<Assist> {
    let key = d.message.split('`').nth(1)?.to_string();
    let config = ix.ws.config(&d.file)?;
    let env = text.get(d.range.as_usize())?.to_string();
    let entry = *config.file.top.entry_ranges.get(&key)?;
    let entry_text = text.get(entry.as_usize())?;
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let (at, insert) = match ConfigFormat::from_path(&d.file)? {
        ConfigFormat::Toml => {
            if entry_text.starts_with('[') {
                // `[key]` / `[[key]]` blocks: re-home each header under the env, at the end.
                let headers_ok = entry_text
                    .lines()
                    .filter(|l| l.trim_start().starts_with('['))
                    .all(|l| l.trim() == format!("[{key}]") || l.trim() == format!("[[{key}]]"));
                if !headers_ok {
                    return None;
                }
                let moved: Vec<String> = entry_text
                    .lines()
                    .map(|l| match l.trim() {
                        h if h == format!("[[{key}]]") => format!("[[env.{env}.{key}]]"),
                        h if h == format!("[{key}]") => format!("[env.{env}.{key}]"),
                        _ => l.to_string(),
                    })
                    .collect();
                let lead = if text.ends_with('\n') { "" } else { newline };
                (
                    text.len(),
                    format!("{lead}{newline}{}{newline}", moved.join(newline)),
                )
            } else {
                // `key = [...]`: right under the `[env.E]` header.
                let line_start = text[..d.range.start as usize]
                    .rfind('\n')
                    .map(|i| i + 1)
                    .unwrap_or(0);
                let header_end =
                    d.range.start as usize + text[d.range.start as usize..].find('\n')?;
                let header = text[line_start..header_end].trim();
                if header != format!("[env.{env}]") {
                    return None;
                }
                (header_end, format!("{newline}{entry_text}"))
            }
        }
        _ => {
            // JSON: first member of the env's object.
            let after = d.range.end as usize;
            let open = after + text[after..].find('{')?;
            let line_start = text[..d.range.start as usize]
                .rfind('\n')
                .map(|i| i + 1)
                .unwrap_or(0);
            let indent: String = text[line_start..]
                .chars()
                .take_while(|c| *c == ' ' || *c == '\t')
                .collect();
            let quoted = if entry_text.starts_with('"') {
                entry_text.to_string()
            } else {
                format!("\"{entry_text}")
            };
            let body = text[open + 1..].trim_start();
            let comma = if body.starts_with('}') { "" } else { "," };
            (open + 1, format!("{newline}{indent}  {quoted}{comma}"))
        }
    };
    let mut edit = SourceChange::default();
    edit.insert(
        d.file.clone(),
        TextEdit {
            range: TextRange::empty(at as u32),
            new_text: insert,
        },
    );
    Some(Assist {
        title: format!("Copy the top-level `{key}` into `env.{env}` (review its resource ids)"),
        edit,
        fixes: Some(d.clone()),
        // Production's resource ids in another environment can touch production data: a
        // person decides.
        is_safe: false,
    })
}

/// Whether every file a change edits still parses afterwards (a source that had syntax errors
/// before may keep them).
pub(crate) fn still_parses(ix: &Index, change: &SourceChange) -> bool {
    change.edits.iter().all(|(file, edits)| {
        let Some(text) = ix.ws.text(file) else {
            return false;
        };
        let new = apply_edits(&text, edits);
        if let Some(format) = ConfigFormat::from_path(file) {
            parse_config(format, &new).syntax_errors.is_empty()
        } else if let Some(lang) = SourceLang::from_path(file) {
            has_syntax_errors(&text, lang) || !has_syntax_errors(&new, lang)
        } else {
            true
        }
    })
}
