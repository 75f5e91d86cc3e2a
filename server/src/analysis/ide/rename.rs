use super::navigation::references_of;
use super::resolve::{item_at, Item};
use super::{FilePosition, SourceChange, TextEdit};
use crate::analysis::index::Index;
use crate::analysis::rules::is_valid_worker_name;
use crate::base::TextRange;

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '$')
}

/// The renamable name at the cursor and its current text, or why nothing can be renamed there.
pub fn prepare_rename(ix: &Index, pos: &FilePosition) -> Result<(TextRange, String), String> {
    match item_at(ix, &pos.file, pos.offset) {
        Some((Item::Worker(name), range)) => Ok((range, name)),
        Some((Item::Binding { name, .. }, range)) => Ok((range, name)),
        Some((Item::Class(_) | Item::Method { .. }, _)) => {
            Err("renaming classes and methods across workers is not supported yet".into())
        }
        Some((Item::Queue(_), _)) => Err("renaming queues is not supported".into()),
        None => Err("nothing to rename here".into()),
    }
}

pub fn rename(ix: &Index, pos: &FilePosition, new_name: &str) -> Result<SourceChange, String> {
    let (item, _) = item_at(ix, &pos.file, pos.offset).ok_or("nothing to rename here")?;
    let mut change = SourceChange::default();
    match &item {
        Item::Worker(old) => {
            if !is_valid_worker_name(new_name) {
                return Err(format!("`{new_name}` is not a valid worker name"));
            }
            for r in references_of(ix, &item) {
                change.insert(
                    r.file,
                    TextEdit {
                        range: r.focus_range,
                        new_text: new_name.to_string(),
                    },
                );
            }
            // Names derived per environment (`<name>-<env>`) follow the rename.
            if let Some(&(w, 0)) = ix.by_name.get(old).and_then(|v| v.first()) {
                for (e, env) in ix.worker(w).envs.iter().enumerate().skip(1) {
                    let derived = ix.section((w, e)).name.is_none();
                    let (Some(env_name), Some(resolved)) = (&env.env, &env.name) else {
                        continue;
                    };
                    if !derived {
                        continue;
                    }
                    for r in references_of(ix, &Item::Worker(resolved.clone())) {
                        if r.file == ix.worker(w).config.path
                            && ix
                                .section((w, 0))
                                .name
                                .as_ref()
                                .is_some_and(|n| n.range == r.focus_range)
                        {
                            continue;
                        }
                        change.insert(
                            r.file,
                            TextEdit {
                                range: r.focus_range,
                                new_text: format!("{new_name}-{env_name}"),
                            },
                        );
                    }
                }
            }
        }
        Item::Binding { .. } => {
            if !is_identifier(new_name) {
                return Err(format!("`{new_name}` is not a valid binding name"));
            }
            for r in references_of(ix, &item) {
                change.insert(
                    r.file,
                    TextEdit {
                        range: r.focus_range,
                        new_text: new_name.to_string(),
                    },
                );
            }
        }
        _ => return Err("renaming classes and methods across workers is not supported yet".into()),
    }
    Ok(change)
}
