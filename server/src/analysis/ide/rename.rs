use super::edits::{append_step, next_tag, Step};
use super::idents::{
    identifier_uses, is_class_name, is_identifier, key_rename_edits, modules_naming,
};
use super::navigation::references_of;
use super::resolve::{binding_group, declared_bindings, item_at, sections, Item};
use super::{FilePosition, SourceChange, TextEdit};
use crate::analysis::index::{BaseKind, ClassRef, ExportTarget, Index, Resolved};
use crate::analysis::rules::common::do_state;
use crate::analysis::rules::is_valid_worker_name;
use crate::base::TextRange;
use crate::project::relative;
use crate::source::SourceLang;

/// The renamable name at the cursor and its current text, or why nothing can be renamed there.
pub fn prepare_rename(ix: &Index, pos: &FilePosition) -> Result<(TextRange, String), String> {
    let at = item_at(ix, &pos.file, pos.offset);
    if let Some((_, range)) = &at {
        if ix.ws.is_derived(&pos.file, *range) {
            return Err(
                "this name is computed or imported here: rename it where it is written".into(),
            );
        }
    }
    match at {
        Some((Item::Worker(name), range)) => {
            not_derived(ix, &name)?;
            Ok((range, name))
        }
        Some((Item::Binding { worker, name }, range)) => {
            declared_in_config(ix, worker, &name)?;
            Ok((range, name))
        }
        Some((Item::Class(c), range)) => {
            let name = ix
                .class(&c)
                .map(|d| d.name.value.clone())
                .ok_or("unknown class")?;
            Ok((range, name))
        }
        Some((Item::Method { .. }, _)) => Err("renaming RPC methods is not supported yet".into()),
        Some((Item::Queue(_), _)) => Err("renaming queues is not supported".into()),
        None => Err("nothing to rename here".into()),
    }
}

pub fn rename(ix: &Index, pos: &FilePosition, new_name: &str) -> Result<SourceChange, String> {
    let change = rename_unchecked(ix, pos, new_name)?;
    if !super::actions::still_parses(ix, &change) {
        return Err(format!(
            "renaming to `{new_name}` would leave a file that no longer parses"
        ));
    }
    Ok(change)
}

/// Replaces the name at every reference of `item` by `new_name`; references that reach it by
/// identity (`worker: cartsWorker`) follow it without an edit.
fn replace_references(ix: &Index, item: &Item, new_name: &str, change: &mut SourceChange) {
    for r in references_of(ix, item) {
        if ix.ws.is_derived(&r.file, r.focus_range) {
            continue;
        }
        change.insert(
            r.file,
            TextEdit {
                range: r.focus_range,
                new_text: new_name.to_string(),
            },
        );
    }
}

fn rename_unchecked(
    ix: &Index,
    pos: &FilePosition,
    new_name: &str,
) -> Result<SourceChange, String> {
    let (item, _) = item_at(ix, &pos.file, pos.offset).ok_or("nothing to rename here")?;
    let mut change = SourceChange::default();
    match &item {
        Item::Worker(old) => {
            if !is_valid_worker_name(new_name) {
                return Err(format!("`{new_name}` is not a valid worker name"));
            }
            check_worker_rename(ix, old, new_name)?;
            replace_references(ix, &item, new_name, &mut change);
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
                        if ix.ws.is_derived(&r.file, r.focus_range) {
                            continue;
                        }
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
        Item::Binding { worker, name } => {
            if !is_identifier(new_name) {
                return Err(format!("`{new_name}` is not a valid binding name"));
            }
            declared_in_config(ix, *worker, name)?;
            // Modules shared between workers read the binding in each of them: rename it in
            // every worker that shares a module using it, so none is left behind.
            let group = binding_group(ix, *worker, name);
            for &w in &group {
                if new_name != name
                    && sections(ix, w)
                        .into_iter()
                        .any(|(id, _)| ix.declared_names(id).contains(&new_name))
                {
                    return Err(format!(
                        "`{new_name}` is already a binding of `{}`",
                        ix.worker(w).envs[0].name.clone().unwrap_or_default()
                    ));
                }
            }
            // The references cover the whole group. In modules, a binding is a property key
            // (`env.X`, `{ X } = env`): renamed so that no local name changes meaning.
            let mut in_modules: std::collections::BTreeMap<std::path::PathBuf, Vec<TextRange>> =
                Default::default();
            for r in references_of(ix, &item) {
                match (SourceLang::from_path(&r.file), ix.ws.text(&r.file)) {
                    (Some(_), Some(_)) => in_modules.entry(r.file).or_default().push(r.focus_range),
                    _ => change.insert(
                        r.file,
                        TextEdit {
                            range: r.focus_range,
                            new_text: new_name.to_string(),
                        },
                    ),
                }
            }
            for (file, ranges) in in_modules {
                let (Some(lang), Some(text)) = (SourceLang::from_path(&file), ix.ws.text(&file))
                else {
                    continue;
                };
                for edit in key_rename_edits(&text, lang, &ranges, new_name) {
                    change.insert(file.clone(), edit);
                }
            }
        }
        Item::Class(class) => {
            if !is_class_name(new_name) {
                return Err(format!("`{new_name}` is not a valid class name"));
            }
            return rename_class(ix, class, new_name);
        }
        _ => return Err("renaming RPC methods is not supported yet".into()),
    }
    Ok(change)
}

/// Only names the config declares are renamed: a secret lives in `.dev.vars`/`.env`, the
/// generated types and the account, out of this server's reach.
fn declared_in_config(ix: &Index, worker: usize, name: &str) -> Result<(), String> {
    let in_config = sections(ix, worker).into_iter().any(|(id, _)| {
        declared_bindings(ix, id)
            .iter()
            .any(|(n, _)| n.value == name)
    });
    if in_config {
        Ok(())
    } else if ix.worker(worker).config.secrets.iter().any(|s| s == name) {
        Err(format!(
            "`{name}` is a secret (from `.dev.vars`/`.env` or the generated types): rename it there and with `wrangler secret put`"
        ))
    } else {
        Err(format!("`{name}` is not declared in this worker's config"))
    }
}

/// A name wrangler derives (`<name>-<env>`) is renamed through the worker's own name.
fn not_derived(ix: &Index, name: &str) -> Result<(), String> {
    match ix.by_name.get(name).and_then(|v| v.first()) {
        Some(&(w, e)) if e > 0 && ix.section((w, e)).name.is_none() => {
            let top = ix.worker(w).envs[0].name.clone().unwrap_or_default();
            Err(format!(
                "`{name}` is derived from the worker name `{top}` and its environment; rename `{top}`"
            ))
        }
        _ => Ok(()),
    }
}

/// Refuses a worker rename that would merge two workers or rename a derived name alone.
fn check_worker_rename(ix: &Index, old: &str, new_name: &str) -> Result<(), String> {
    if old == new_name {
        return Ok(());
    }
    let Some(&(w, e)) = ix.by_name.get(old).and_then(|v| v.first()) else {
        return Ok(());
    };
    not_derived(ix, old)?;
    let mut taken = vec![new_name.to_string()];
    if e == 0 {
        for env in ix.worker(w).envs.iter().skip(1) {
            if let Some(env_name) = &env.env {
                taken.push(format!("{new_name}-{env_name}"));
            }
        }
    }
    // A name another worker resolves to; the worker's own environments may keep theirs.
    let other_worker = |n: &String| {
        ix.by_name
            .get(n.as_str())
            .is_some_and(|ids| ids.iter().any(|id| id.0 != w))
    };
    match taken.iter().find(|n| other_worker(n)) {
        Some(n) => Err(format!("a worker named `{n}` already exists")),
        None => Ok(()),
    }
}

/// Renames a class: its declaration, the export specifiers that name it, every config string
/// that names it (`entrypoint`, `class_name`), and, for a Durable Object, appends a
/// `renamed_classes` migration to each hosting worker so that stored objects are kept.
/// Existing migration steps are history and stay as they are.
fn rename_class(ix: &Index, class: &ClassRef, new_name: &str) -> Result<SourceChange, String> {
    let decl = ix.class(class).ok_or("unknown class")?;
    let old = decl.name.value.clone();
    let mut change = SourceChange::default();
    let edit = |range: TextRange| TextEdit {
        range,
        new_text: new_name.to_string(),
    };
    if old == new_name {
        return Ok(change);
    }
    // A class a tool makes of a module (Devflare's default entrypoint of a `worker.ts`) has no
    // declaration to rename.
    if ix
        .ws
        .text(&class.file)
        .as_deref()
        .and_then(|t| t.get(decl.name.range.as_usize()))
        != Some(old.as_str())
    {
        return Err(format!(
            "`{old}` is generated by the tool from {}: nothing declares it",
            relative(&ix.ws.root, &class.file)
        ));
    }
    let is_target = |file: &std::path::Path, name: &str| {
        ix.resolve_export(file, name) == Resolved::Found(ExportTarget::Class(class.clone()))
    };
    // Sources: every identifier naming the class where it is declared, imported or re-exported
    // (specifiers included; aliases keep their own name).
    for file in modules_naming(ix, class, &old) {
        let (Some(text), Some(lang)) = (ix.ws.text(&file), SourceLang::from_path(&file)) else {
            continue;
        };
        if !identifier_uses(&text, lang, new_name).is_empty() {
            return Err(format!(
                "`{new_name}` is already used in {}",
                relative(&ix.ws.root, &file)
            ));
        }
        for u in identifier_uses(&text, lang, &old) {
            if u.shorthand {
                return Err(format!(
                    "`{old}` is a shorthand property in {}; write it as `key: {old}` first",
                    relative(&ix.ws.root, &file)
                ));
            }
            change.insert(file.clone(), edit(u.range));
        }
    }
    change.insert(class.file.clone(), edit(decl.name.range));
    // Configs: every entrypoint / class_name naming it by its own name (a name given by an
    // `export { X as Y }` alias stays); not the migration history.
    let mut history = std::collections::HashSet::new();
    for config in &ix.ws.configs {
        for section in std::iter::once(&config.file.top).chain(&config.file.envs) {
            for m in section.migrations.iter().flatten() {
                for n in m
                    .new_classes
                    .iter()
                    .chain(&m.new_sqlite_classes)
                    .chain(&m.deleted_classes)
                    .chain(m.renamed_classes.iter().flat_map(|r| [&r.from, &r.to]))
                {
                    history.insert((config.path.clone(), n.range));
                }
            }
        }
    }
    // `exports` tables naming it in the workers whose main exports it. A live Durable Object
    // declared there keeps its objects only through a `renamed` state entry: a person writes
    // that, the rename does not guess it.
    let is_do = ix.class_info(class).base == BaseKind::DurableObject;
    let mut exports_keys = std::collections::BTreeSet::new();
    for id in ix.env_ids() {
        let Some(main) = ix.env(id).main.as_ref() else {
            continue;
        };
        if !is_target(main, &old) {
            continue;
        }
        let config = &ix.worker(id.0).config;
        for e in ix.exports_decl(id).into_iter().flatten() {
            if e.class.value != old {
                continue;
            }
            let live = e.state.as_ref().is_none_or(|s| s.value == "created");
            if is_do && e.is_durable_object() && live {
                return Err(format!(
                    "`{old}` is a Durable Object declared in the `exports` of `{}`: renaming it deletes its objects unless `exports` marks it renamed; declare the rename there first",
                    ix.env(id).name.clone().unwrap_or_default()
                ));
            }
            if config.is_literal(e.class.range)
                && config.text.get(e.class.range.as_usize()) == Some(old.as_str())
            {
                exports_keys.insert((config.path.clone(), e.class.range));
            }
        }
    }
    for (file, range) in exports_keys {
        change.insert(file, edit(range));
    }
    for r in references_of(ix, &Item::Class(class.clone())) {
        if ix.ws.is_derived(&r.file, r.focus_range) {
            continue;
        }
        let Some(config) = ix.ws.config(&r.file) else {
            continue;
        };
        if history.contains(&(r.file.clone(), r.focus_range))
            || config.text.get(r.focus_range.as_usize()) != Some(old.as_str())
        {
            continue;
        }
        change.insert(r.file, edit(r.focus_range));
    }
    // Durable Objects: a renamed_classes step in every worker whose migrations keep it live.
    if ix.class_info(class).base == BaseKind::DurableObject {
        let mut done = std::collections::HashSet::new();
        for id in ix.env_ids() {
            let Some(main) = ix.env(id).main.as_ref() else {
                continue;
            };
            if !is_target(main, &old) {
                continue;
            }
            let live = do_state(ix, id).is_some_and(|s| s.live.contains_key(&old));
            let config = &ix.worker(id.0).config;
            if !live || !done.insert(config.path.clone()) {
                continue;
            }
            let own = ix.section(id);
            // The section whose migrations apply: the env's own, else the inherited top level.
            let section = if own.migrations.is_some() {
                own
            } else {
                &config.file.top
            };
            let Some(migrations) = &section.migrations else {
                continue;
            };
            let step = Step {
                tag: next_tag(migrations),
                toml_lines: vec![format!(
                    "renamed_classes = [{{ from = \"{old}\", to = \"{new_name}\" }}]"
                )],
                toml_inline: format!(
                    "renamed_classes = [{{ from = \"{old}\", to = \"{new_name}\" }}]"
                ),
                json_members: vec![format!(
                    "\"renamed_classes\": [{{ \"from\": \"{old}\", \"to\": \"{new_name}\" }}]"
                )],
            };
            let insert =
                append_step(&config.text, &config.path, section, &step).ok_or_else(|| {
                    format!(
                        "cannot add the renamed_classes migration to {}",
                        relative(&ix.ws.root, &config.path)
                    )
                })?;
            change.insert(config.path.clone(), insert);
        }
    }
    Ok(change)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::ide::apply_edits;
    use crate::analysis::{check, Workspace};
    use crate::fixture::{fixture, Fixture};
    use crate::project::DiskFs;
    use std::sync::Arc;

    fn load(f: &Fixture) -> Index {
        Index::new(Arc::new(Workspace::load(f.root(), &DiskFs::new(f.root()))))
    }

    fn at(f: &Fixture) -> FilePosition {
        let (file, offset) = f.cursor.clone().expect("a $0 cursor");
        FilePosition { file, offset }
    }

    /// Applies a change on disk; returns the files' texts before.
    fn apply(change: &SourceChange) -> Vec<(std::path::PathBuf, String)> {
        let mut before = Vec::new();
        for (file, edits) in &change.edits {
            let text = std::fs::read_to_string(file).unwrap();
            std::fs::write(file, apply_edits(&text, edits)).unwrap();
            before.push((file.clone(), text));
        }
        before
    }

    const DESTRUCTURED: &str = r#"
//- /w/wrangler.toml
name = "w"
main = "index.ts"
kv_namespaces = [{ binding = "CA$0CHE", id = "0123" }]
//- /w/index.ts
export default {
  async fetch(r: Request, env: Env) {
    const { CACHE } = env;
    const { CACHE: renamed } = env;
    const { CACHE = null } = env;
    const { CACHE: dflt = null } = env;
    await renamed?.get("b"); await dflt?.get("c");
    return new Response(await CACHE.get("a") ?? String(env.CACHE));
  },
};
"#;

    /// Issue 13.12: a binding read through destructuring keeps its local name: the shorthand
    /// `{ CACHE }` becomes `{ KV: CACHE }`, and later uses of the local `CACHE` still find it.
    /// Renaming back restores every byte.
    #[test]
    fn binding_rename_through_destructuring_keeps_the_local_name() {
        let f = fixture(DESTRUCTURED);
        let ix = load(&f);
        let change = rename(&ix, &at(&f), "KV").unwrap();
        let before = apply(&change);
        let module = std::fs::read_to_string(f.path("w/index.ts")).unwrap();
        for expected in [
            "const { KV: CACHE } = env;",
            "const { KV: renamed } = env;",
            "const { KV: CACHE = null } = env;",
            "const { KV: dflt = null } = env;",
            "await CACHE.get(\"a\") ?? String(env.KV)",
        ] {
            assert!(module.contains(expected), "{expected} in\n{module}");
        }
        let (_, findings) = check(Arc::new(Workspace::load(f.root(), &DiskFs::new(f.root()))));
        assert_eq!(findings, Vec::new());
        // And back: `{ KV: CACHE }` collapses to the shorthand it was.
        let ix = load(&f);
        let config = std::fs::read_to_string(f.path("w/wrangler.toml")).unwrap();
        let pos = FilePosition {
            file: f.path("w/wrangler.toml"),
            offset: config.find("\"KV\"").unwrap() as u32 + 1,
        };
        apply(&rename(&ix, &pos, "CACHE").unwrap());
        for (file, text) in before {
            assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
        }
    }

    /// `{ X: Y }` collapses only when written as the shorthand rule writes it (so that renaming
    /// back restores the bytes).
    #[test]
    fn key_rename_keeps_comments_between_key_and_value() {
        let text = "const { A /* c */: B } = env; const { A: B } = env; const { A: C } = env; const { A:B } = env;";
        let ranges: Vec<TextRange> = text
            .match_indices("{ A")
            .map(|(i, _)| TextRange::from_usize(i + 2, i + 3))
            .collect();
        let edits = key_rename_edits(text, SourceLang::TypeScript, &ranges, "B");
        assert_eq!(
            apply_edits(text, &edits),
            "const { B /* c */: B } = env; const { B } = env; const { B: C } = env; const { B:B } = env;"
        );
    }

    const NAMES: &str = r#"
//- /w/wrangler.toml
name = "w$0orker"
main = "index.ts"
kv_namespaces = [{ binding = "CACHE", id = "0123" }]
durable_objects.bindings = [{ name = "ROOM", class_name = "Room" }]
[[migrations]]
tag = "v1"
new_sqlite_classes = ["Room"]
//- /w/index.ts
import { DurableObject } from "cloudflare:workers";
export class Room extends DurableObject {}
export default { fetch(r: Request, env: Env) { return new Response(String(env.CACHE)); } };
"#;

    /// Issue 13.13: a new name must be an identifier (Unicode ID_Start/ID_Continue) and not a
    /// reserved word of a module for bindings and classes; a worker name follows wrangler's
    /// pattern.
    #[test]
    fn rename_refuses_names_that_are_not_identifiers_or_are_reserved() {
        let f = fixture(NAMES);
        let ix = load(&f);
        let config = std::fs::read_to_string(f.path("w/wrangler.toml")).unwrap();
        let source = std::fs::read_to_string(f.path("w/index.ts")).unwrap();
        let worker = at(&f);
        let binding = FilePosition {
            file: f.path("w/wrangler.toml"),
            offset: config.find("CACHE").unwrap() as u32 + 1,
        };
        let class = FilePosition {
            file: f.path("w/index.ts"),
            offset: source.find("class Room").unwrap() as u32 + 7,
        };
        for bad in [
            "½",
            "x½",
            "a½b!",
            "class",
            "await",
            "yield",
            "let",
            "static",
            "enum",
            "implements",
            "interface",
            "package",
            "private",
            "protected",
            "public",
            "null",
            "a-b",
            "",
            "1a",
            "a b",
        ] {
            assert!(rename(&ix, &binding, bad).is_err(), "binding `{bad}`");
            assert!(rename(&ix, &class, bad).is_err(), "class `{bad}`");
        }
        for bad in ["string", "number", "eval", "arguments", "undefined"] {
            assert!(rename(&ix, &class, bad).is_err(), "class `{bad}`");
        }
        for good in ["KV", "$kv", "_kv", "Ünïcode", "𝕏name", "a\u{200C}b"] {
            assert!(rename(&ix, &binding, good).is_ok(), "binding `{good}`");
        }
        for good in ["Hall", "Ünïcode", "$Room", "Async", "of"] {
            assert!(rename(&ix, &class, good).is_ok(), "class `{good}`");
        }
        for bad in ["Worker", "½", "a b", "-w", "w.x", "class!"] {
            assert!(rename(&ix, &worker, bad).is_err(), "worker `{bad}`");
        }
        for good in ["worker-2", "_w", "class", "a_b-c"] {
            assert!(rename(&ix, &worker, good).is_ok(), "worker `{good}`");
        }
    }
}
