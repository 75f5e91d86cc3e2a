use super::edits::{append_step, indent_of_line, is_bare_key, newline_of, next_tag, Step};
use super::{apply_edits, Applicability, Assist, SourceChange, TextEdit};
use crate::analysis::diagnostics::Diagnostic;
use crate::analysis::index::Index;
use crate::analysis::rules::common::{worker_target, Target};
use crate::base::TextRange;
use crate::config::{parse_config, ConfigFile, ConfigFormat, EnvSection, Layout, ServiceBinding};
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
    "unknown-key",
];

/// Codes whose replacements are worker names: a replacement is never the name of the worker
/// that holds the reference (that would make it call itself).
const WORKER_NAME_CODES: &[&str] = &["unknown-service", "unknown-script", "environment-drift"];

/// The fixes for one diagnostic. Every fix is checked: the edited files must still parse.
/// Every edit is located by the spans of the config model or of the source summary, never by
/// searching the text.
pub fn fixes_for(ix: &Index, d: &Diagnostic) -> Vec<Assist> {
    let mut out = Vec::new();
    if REPLACEABLE.contains(&d.code) {
        let candidates = replacements(ix, d);
        // A guessed name may be wrong: a person confirms it. With several guesses, none is
        // the one to apply unattended.
        let applicability = if candidates.len() == 1 {
            Applicability::Unsafe
        } else {
            Applicability::DisplayOnly
        };
        for s in candidates {
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
                applicability,
            });
        }
    }
    if let Some(config) = ix.ws.config(&d.file) {
        let file = &config.file;
        match d.code {
            "default-entrypoint-string" => {
                let removal = service_bindings(file)
                    .find(|b| b.entrypoint.as_ref().is_some_and(|e| e.range == d.range))
                    .and_then(|b| b.entries.get("entrypoint")?.removal);
                if let Some(r) = removal {
                    let mut edit = SourceChange::default();
                    edit.insert(d.file.clone(), delete(r));
                    out.push(Assist {
                        title: "Remove `entrypoint = \"default\"`".into(),
                        edit,
                        fixes: Some(d.clone()),
                        // Leaving `entrypoint` out binds the default export: the same worker.
                        applicability: Applicability::Safe,
                    });
                }
            }
            "deprecated-service-environment" => {
                if let Some(a) = rewrite_deprecated_environment(ix, d, file) {
                    out.push(a);
                }
            }
            "binding-not-inherited" => {
                if let Some(a) = copy_into_env(ix, d, config) {
                    out.push(a);
                }
            }
            "invalid-worker-name" => {
                if let Some(a) = rename_worker(ix, d) {
                    out.push(a);
                }
            }
            "migration-class-not-exported" => out.extend(settle_unexported_class(ix, d)),
            _ => {}
        }
    }
    if d.code == "missing-do-migration" {
        if let Some(a) = add_migration(ix, d) {
            out.push(a);
        }
    }
    out.retain(|a| edits_parsed_files(ix, &a.edit) && still_parses(ix, &a.edit));
    out
}

/// Whether every source a change edits parses now: in a module with syntax errors the
/// summary's spans come from error recovery and may not be where the names are (`env.\uAUTH`
/// reads as `UTH`), so no fix is located by them.
fn edits_parsed_files(ix: &Index, change: &SourceChange) -> bool {
    change
        .edits
        .keys()
        .all(|file| match SourceLang::from_path(file) {
            Some(lang) => ix
                .ws
                .text(file)
                .is_some_and(|text| !has_syntax_errors(&text, lang)),
            None => true,
        })
}

/// The finding's suggestions that may replace its range: for worker names, never a name of
/// the worker that holds the reference, unless the reference already names that worker (a
/// self-binding moved to its environment's own name keeps calling itself, as it did).
fn replacements(ix: &Index, d: &Diagnostic) -> Vec<String> {
    if !WORKER_NAME_CODES.contains(&d.code) {
        return d.suggestions.clone();
    }
    let Some(w) = super::resolve::worker_of_config(ix, &d.file) else {
        return d.suggestions.clone();
    };
    let own: Vec<&str> = ix
        .worker(w)
        .envs
        .iter()
        .filter_map(|e| e.name.as_deref())
        .collect();
    let current = ix
        .ws
        .text(&d.file)
        .and_then(|t| t.get(d.range.as_usize()).map(str::to_string));
    if current.as_deref().is_some_and(|c| own.contains(&c)) {
        return d.suggestions.clone();
    }
    d.suggestions
        .iter()
        .filter(|s| !own.contains(&s.as_str()))
        .cloned()
        .collect()
}

/// Every service binding of a config, at the top level and in each environment.
fn service_bindings(file: &ConfigFile) -> impl Iterator<Item = &ServiceBinding> {
    std::iter::once(&file.top)
        .chain(&file.envs)
        .flat_map(|s| s.services.iter().flatten())
}

fn delete(range: TextRange) -> TextEdit {
    TextEdit {
        range,
        new_text: String::new(),
    }
}

/// `service = "w", environment = "E"` becomes `service = "<w in E>"`: the same worker, named
/// as wrangler names it today. Only when the target worker has environment `E` and the
/// suggestion is exactly its resolved name.
fn rewrite_deprecated_environment(ix: &Index, d: &Diagnostic, file: &ConfigFile) -> Option<Assist> {
    let [name] = d.suggestions.as_slice() else {
        return None;
    };
    let b = service_bindings(file)
        .find(|b| b.environment.as_ref().is_some_and(|e| e.range == d.range))?;
    let (service, env) = (b.service.as_ref()?, b.environment.as_ref()?);
    let from = super::resolve::worker_of_config(ix, &d.file)?;
    let Target::Found(target) = worker_target(ix, from, &service.value) else {
        return None;
    };
    let resolved = ix.sibling_env(target, Some(&env.value))?;
    if ix.env(resolved).name.as_deref() != Some(name.as_str()) {
        return None;
    }
    let removal = b.entries.get("environment")?.removal?;
    let mut edit = SourceChange::default();
    edit.insert(
        d.file.clone(),
        TextEdit {
            range: service.range,
            new_text: name.clone(),
        },
    );
    edit.insert(d.file.clone(), delete(removal));
    Some(Assist {
        title: format!("Use `service = \"{name}\"` instead of `environment`"),
        edit,
        fixes: Some(d.clone()),
        applicability: Applicability::Safe,
    })
}

/// Appends a migration step creating the class to the host's config (TOML or JSON). A new
/// migration is irreversible once deployed: unsafe.
fn add_migration(ix: &Index, d: &Diagnostic) -> Option<Assist> {
    let class = d.message.split('`').nth(1)?.to_string();
    let host_name = d.message.split('`').nth(3)?.to_string();
    let host = ix.lookup_name(&host_name)?;
    let config = &ix.worker(host.0).config;
    let top = &config.file.top;
    let step = Step {
        tag: next_tag(top.migrations.as_deref().unwrap_or(&[])),
        toml_lines: vec![format!("new_sqlite_classes = [\"{class}\"]")],
        toml_inline: format!("new_sqlite_classes = [\"{class}\"]"),
        json_members: vec![format!("\"new_sqlite_classes\": [\"{class}\"]")],
    };
    let insert = append_step(&config.text, &config.path, top, &step)?;
    let mut edit = SourceChange::default();
    edit.insert(config.path.clone(), insert);
    Some(Assist {
        title: format!("Add a migration creating `{class}` in `{host_name}`"),
        edit,
        fixes: Some(d.clone()),
        applicability: Applicability::Unsafe,
    })
}

/// An invalid worker name renamed to its valid spelling, with every reference to it. Renaming
/// a worker deploys a new one: unsafe.
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
        applicability: Applicability::Unsafe,
    })
}

/// A live Durable Object class the code no longer exports: a `renamed_classes` step to each
/// likely new name, or, without one, a `deleted_classes` step. Both change stored data, so a
/// person applies them: a single rename is unsafe, a choice among several renames and the
/// deletion (which destroys the stored objects) are shown only.
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
    let rename = if targets.len() == 1 {
        Applicability::Unsafe
    } else {
        Applicability::DisplayOnly
    };
    let mut steps: Vec<(String, Step, Applicability)> = targets
        .iter()
        .map(|to| {
            (
                format!("Add a migration renaming `{class}` to `{to}` (keeps its objects)"),
                Step {
                    tag: tag.clone(),
                    toml_lines: vec![format!(
                        "renamed_classes = [{{ from = \"{class}\", to = \"{to}\" }}]"
                    )],
                    toml_inline: format!(
                        "renamed_classes = [{{ from = \"{class}\", to = \"{to}\" }}]"
                    ),
                    json_members: vec![format!(
                        "\"renamed_classes\": [{{ \"from\": \"{class}\", \"to\": \"{to}\" }}]"
                    )],
                },
                rename,
            )
        })
        .collect();
    steps.push((
        format!("Add a migration deleting `{class}` (deletes its stored objects)"),
        Step {
            tag,
            toml_lines: vec![format!("deleted_classes = [\"{class}\"]")],
            toml_inline: format!("deleted_classes = [\"{class}\"]"),
            json_members: vec![format!("\"deleted_classes\": [\"{class}\"]")],
        },
        Applicability::DisplayOnly,
    ));
    steps
        .into_iter()
        .filter_map(|(title, step, applicability)| {
            let insert = append_step(&config.text, &config.path, top, &step)?;
            let mut edit = SourceChange::default();
            edit.insert(config.path.clone(), insert);
            Some(Assist {
                title,
                edit,
                fixes: Some(d.clone()),
                applicability,
            })
        })
        .collect()
}

/// Copies a top-level non-inheritable entry into `[env.E]`, at the place the model's spans
/// give: after the environment's last own key (TOML), as its first member (JSON), or, for
/// TOML `[key]`/`[[key]]` blocks, as `[env.E.key]` blocks at the end of the file. A worker
/// named in the copy (`service`, `script_name`, a tail consumer) that defines `E` is renamed
/// to its `E` worker, as `environment-drift` would ask: the copy must not make `E` call
/// production.
fn copy_into_env(
    ix: &Index,
    d: &Diagnostic,
    config: &crate::analysis::workspace::ConfigDoc,
) -> Option<Assist> {
    let text: &str = &config.text;
    let top = &config.file.top;
    let section: &EnvSection = config
        .file
        .envs
        .iter()
        .find(|s| s.env_name.as_ref().is_some_and(|n| n.range == d.range))?;
    let env = &section.env_name.as_ref()?.value;
    // The key is the one whose top-level span the finding points at.
    let related = d.related.first()?.range;
    let key = top
        .key_ranges
        .iter()
        .find(|(_, r)| **r == related)
        .map(|(k, _)| k.clone())?;
    let entry = *top.entry_ranges.get(&key)?;
    // Edits of the copied text, by the spans the model holds inside the entry.
    let mut inside: Vec<TextEdit> = drift_renames(ix, config, env)
        .into_iter()
        .filter(|e| entry.contains_range(e.range))
        .collect();
    let newline = newline_of(text);
    let toml_blocks =
        config.file.format == ConfigFormat::Toml && top.entry_headers.contains_key(&key);
    if toml_blocks {
        // `[key]` / `[[key]]` blocks: re-home each header under the env.
        if !is_bare_key(env) {
            return None;
        }
        for &h in &top.entry_headers[&key] {
            let rest = text.get(h as usize..)?;
            let (old, new) = if rest.starts_with(&format!("[[{key}]]")) {
                (format!("[[{key}]]"), format!("[[env.{env}.{key}]]"))
            } else if rest.starts_with(&format!("[{key}]")) {
                (format!("[{key}]"), format!("[env.{env}.{key}]"))
            } else {
                // A sub-table or a spelling of the header we do not rewrite.
                return None;
            };
            inside.push(TextEdit {
                range: TextRange::new(h, h + old.len() as u32),
                new_text: new,
            });
        }
    }
    inside.sort();
    let relative: Vec<TextEdit> = inside
        .into_iter()
        .map(|e| TextEdit {
            range: TextRange::new(e.range.start - entry.start, e.range.end - entry.start),
            new_text: e.new_text,
        })
        .collect();
    let entry_text = apply_edits(text.get(entry.as_usize())?, &relative);
    let (at, insert) = match (config.file.format, section.layout) {
        (ConfigFormat::Toml, _) if toml_blocks => {
            // At the end: headers are absolute, so the blocks land in the env wherever.
            let lead = if text.ends_with('\n') || text.is_empty() {
                ""
            } else {
                newline
            };
            (text.len(), format!("{lead}{newline}{entry_text}{newline}"))
        }
        // `key = [...]`: after the env's last own key (or its header).
        (ConfigFormat::Toml, Layout::Header { end, .. }) => {
            (end as usize, format!("{newline}{entry_text}"))
        }
        (ConfigFormat::Toml, _) => return None,
        (_, Layout::Brackets { open, last_end, .. }) => {
            // JSON: the first member of the env's object.
            let indent = indent_of_line(text, d.range.start as usize);
            let comma = if last_end.is_some() { "," } else { "" };
            (
                open as usize + 1,
                format!("{newline}{indent}  {entry_text}{comma}"),
            )
        }
        _ => return None,
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
        applicability: Applicability::Unsafe,
    })
}

/// The renames that keep the top-level references of a config from drifting when copied into
/// environment `env`: each production name of another worker that defines `env`, to that
/// environment's worker name (the rule `environment-drift` asks for the same).
fn drift_renames(
    ix: &Index,
    config: &crate::analysis::workspace::ConfigDoc,
    env: &str,
) -> Vec<TextEdit> {
    let top = &config.file.top;
    let holder = super::resolve::worker_of_config(ix, &config.path);
    let mut names: Vec<&crate::base::Spanned<String>> = Vec::new();
    names.extend(
        top.services
            .iter()
            .flatten()
            .filter(|b| b.environment.is_none())
            .filter_map(|b| b.service.as_ref()),
    );
    names.extend(
        top.durable_objects
            .iter()
            .flatten()
            .filter_map(|b| b.script_name.as_ref()),
    );
    names.extend(
        top.workflows
            .iter()
            .flatten()
            .filter_map(|b| b.script_name.as_ref()),
    );
    names.extend(top.tail_consumers.iter().flatten().map(|t| &t.service));
    names
        .into_iter()
        .filter_map(|name| {
            let target = *ix.by_name.get(&name.value)?.iter().find(|t| t.1 == 0)?;
            if Some(target.0) == holder {
                return None;
            }
            let renamed = ix.env(ix.sibling_env(target, Some(env))?).name.clone()?;
            (renamed != name.value).then_some(TextEdit {
                range: name.range,
                new_text: renamed,
            })
        })
        .collect()
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
