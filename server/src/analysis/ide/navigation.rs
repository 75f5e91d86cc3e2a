use super::idents::class_uses;
use super::resolve::{
    binding_group, declared_bindings, item_at, sections, workers_of_source, Item,
};
use super::{FilePosition, NavTarget};
use crate::analysis::index::{ClassRef, EnvId, ExportTarget, Index, Resolved};
use crate::analysis::rules::common::{host_target, service_target, Target};
use crate::analysis::rules::rpc_class;
use crate::base::TextRange;
use std::path::{Path, PathBuf};

fn target(file: &Path, full: TextRange, focus: TextRange) -> NavTarget {
    NavTarget {
        file: file.to_path_buf(),
        full_range: full,
        focus_range: focus,
    }
}

/// Where an item is defined.
pub(crate) fn definition_of(ix: &Index, item: &Item) -> Vec<NavTarget> {
    match item {
        Item::Worker(name) => ix
            .by_name
            .get(name)
            .into_iter()
            .flatten()
            .filter_map(|&id| {
                let range = ix.env(id).name_range?;
                Some(target(&ix.worker(id.0).config.path, range, range))
            })
            .take(1)
            .collect(),
        Item::Class(c) => ix
            .class(c)
            .map(|d| vec![target(&c.file, d.range, d.name.range)])
            .unwrap_or_default(),
        Item::Binding { worker, name } => sections(ix, *worker)
            .into_iter()
            .flat_map(|(id, _)| declared_bindings(ix, id))
            .filter(|(n, _)| &n.value == name)
            .map(|(n, _)| target(&ix.worker(*worker).config.path, n.range, n.range))
            .take(1)
            .collect(),
        // A described class may list a member twice (its declared entry and its
        // implementation): each is a definition.
        Item::Method { class, name } => match ix.find_member(class, name) {
            Resolved::Found((owner, _)) => ix
                .class(&owner)
                .map(|d| {
                    d.members
                        .iter()
                        .filter(|m| &m.name.value == name)
                        .map(|m| target(&owner.file, m.range, m.name.range))
                        .collect()
                })
                .unwrap_or_default(),
            _ => Vec::new(),
        },
        Item::Queue(q) => ix
            .env_ids()
            .flat_map(|id| {
                ix.queue_consumers(id)
                    .iter()
                    .filter(|c| &c.queue.value == q)
                    .map(move |c| target(&ix.worker(id.0).config.path, c.range, c.queue.range))
            })
            .collect(),
    }
}

pub fn goto_definition(ix: &Index, pos: &FilePosition) -> Vec<NavTarget> {
    match item_at(ix, &pos.file, pos.offset) {
        Some((item, _)) => definition_of(ix, &item),
        None => imported_module_at(ix, pos).into_iter().collect(),
    }
}

/// In a module that declares workers, the module an `import("./x")` at the cursor names
/// (Devflare's `ref(() => import("../api/devflare.config"))`): the start of that file, when
/// the workspace holds it.
fn imported_module_at(ix: &Index, pos: &FilePosition) -> Option<NavTarget> {
    use crate::declare::expr::Expr;
    fn find(e: &Expr, offset: u32) -> Option<&str> {
        let inner: Vec<&Expr> = match e {
            Expr::DynamicImport { specifier, .. } => {
                return specifier
                    .range
                    .touches(offset)
                    .then_some(specifier.value.as_str())
            }
            Expr::Object { props, .. } => props.iter().map(|p| &p.value).collect(),
            Expr::Array { items, .. } => items.iter().collect(),
            Expr::Template { parts, .. } => parts
                .iter()
                .filter_map(|p| match p {
                    crate::declare::expr::TemplatePart::Expr(e) => Some(e),
                    crate::declare::expr::TemplatePart::Text(_) => None,
                })
                .collect(),
            Expr::Member { object, .. } => vec![&**object],
            Expr::Call { callee, args, .. } | Expr::New { callee, args, .. } => {
                std::iter::once(&**callee).chain(args).collect()
            }
            Expr::Arrow { body: inner, .. } | Expr::Await { inner, .. } => vec![&**inner],
            _ => Vec::new(),
        };
        inner
            .into_iter()
            .filter(|i| i.range().touches(offset))
            .find_map(|i| find(i, offset))
    }
    /// The files the workspace holds, as a file system that reads nothing.
    struct Known<'w>(&'w crate::analysis::Workspace);
    impl crate::project::FileSystem for Known<'_> {
        fn read_text(&self, _: &Path) -> Result<std::sync::Arc<str>, crate::project::SkipReason> {
            Err(crate::project::SkipReason::NotFound)
        }
        fn is_file(&self, path: &Path) -> bool {
            self.0.config(path).is_some()
                || self.0.sources.contains_key(path)
                || self.0.is_declaration_module(path)
        }
        /// The workspace's files only: no folders.
        fn is_dir(&self, _: &Path) -> bool {
            false
        }
        fn list_dir(
            &self,
            _: &Path,
        ) -> Result<Vec<crate::project::DirEntry>, crate::project::SkipReason> {
            Err(crate::project::SkipReason::NotFound)
        }
    }
    if !ix.ws.is_declaration_module(&pos.file) {
        return None;
    }
    let lang = crate::source::SourceLang::from_path(&pos.file)?;
    let text = ix.ws.text(&pos.file)?;
    let values = crate::declare::expr::read_module(&text, lang);
    let specifier = values
        .consts
        .iter()
        .map(|(_, e)| e)
        .chain(&values.default)
        .chain(&values.statements)
        .filter(|e| e.range().touches(pos.offset))
        .find_map(|e| find(e, pos.offset))?;
    let module = crate::project::resolve_module(&Known(&ix.ws), &pos.file, specifier)?;
    let start = TextRange::empty(0);
    Some(target(&module, start, start))
}

fn class_is(ix: &Index, main: Option<&std::path::PathBuf>, name: &str, class: &ClassRef) -> bool {
    match main {
        Some(m) => {
            ix.resolve_export(m, name) == Resolved::Found(ExportTarget::Class(class.clone()))
        }
        None => false,
    }
}

/// A config entry that binds a class: the environment, the binding's name, its kind, and the
/// span naming the class (`entrypoint` or `class_name`).
pub(crate) struct ClassUser {
    pub id: EnvId,
    pub binding: String,
    pub kind: &'static str,
    pub range: TextRange,
}

/// The entries of one environment that bind `class`.
pub(crate) fn class_users_in(ix: &Index, id: EnvId, class: &ClassRef) -> Vec<ClassUser> {
    let mut out = Vec::new();
    for b in ix.services(id) {
        if let (Some(ep), Target::Found(t)) = (&b.entrypoint, service_target(ix, id, b)) {
            if class_is(ix, ix.env(t).main.as_ref(), &ep.value, class) {
                out.push(ClassUser {
                    id,
                    binding: b.binding.value.clone(),
                    kind: "service binding",
                    range: ep.range,
                });
            }
        }
    }
    let hosted = ix
        .durable_objects(id)
        .iter()
        .map(|b| {
            (
                &b.name,
                b.class_name.as_ref(),
                b.script_name.as_ref(),
                "Durable Object binding",
            )
        })
        .chain(ix.workflows(id).iter().map(|b| {
            (
                &b.binding,
                b.class_name.as_ref(),
                b.script_name.as_ref(),
                "workflow binding",
            )
        }));
    for (binding, class_name, script, kind) in hosted {
        let Some(cn) = class_name else { continue };
        if let Target::Found(h) = host_target(ix, id, script) {
            if class_is(ix, ix.env(h).main.as_ref(), &cn.value, class) {
                out.push(ClassUser {
                    id,
                    binding: binding.value.clone(),
                    kind,
                    range: cn.range,
                });
            }
        }
    }
    out
}

/// Every entry of the workspace that binds `class`.
pub(crate) fn class_users(ix: &Index, class: &ClassRef) -> Vec<ClassUser> {
    ix.env_ids()
        .flat_map(|id| class_users_in(ix, id, class))
        .collect()
}

/// A worker's config entries declaring `name` and its modules' `env.<name>` reads.
fn binding_references(ix: &Index, worker: usize, name: &str) -> Vec<NavTarget> {
    let mut out = Vec::new();
    let path = &ix.worker(worker).config.path;
    for (id, _) in sections(ix, worker) {
        for (n, _) in declared_bindings(ix, id) {
            if n.value == name {
                out.push(target(path, n.range, n.range));
            }
        }
    }
    for file in ix.worker_files(worker) {
        if let Some(summary) = ix.summary(file) {
            for a in summary.env_accesses.iter().filter(|a| a.name.value == name) {
                out.push(target(file, a.name.range, a.name.range));
            }
        }
    }
    out
}

/// Every place an item is named, across configs and sources.
pub(crate) fn references_of(ix: &Index, item: &Item) -> Vec<NavTarget> {
    let mut out = Vec::new();
    match item {
        Item::Worker(name) => {
            for id in ix.env_ids() {
                let path = &ix.worker(id.0).config.path;
                let s = ix.section(id);
                let refs = ix
                    .services(id)
                    .iter()
                    .filter_map(|b| b.service.as_ref())
                    .chain(
                        ix.durable_objects(id)
                            .iter()
                            .filter_map(|b| b.script_name.as_ref()),
                    )
                    .chain(
                        ix.workflows(id)
                            .iter()
                            .filter_map(|b| b.script_name.as_ref()),
                    )
                    .chain(ix.tail_consumers(id).iter().map(|t| &t.service))
                    .chain(s.name.iter());
                for r in refs {
                    if &r.value == name {
                        out.push(target(path, r.range, r.range));
                    }
                }
            }
        }
        Item::Binding { worker, name } => {
            // Workers sharing a module that reads the binding read it through the same spans.
            for w in binding_group(ix, *worker, name) {
                out.extend(binding_references(ix, w, name));
            }
        }
        Item::Class(class) => {
            out.extend(definition_of(ix, item));
            let decl = ix.class(class).map(|d| d.name.range);
            for (file, u) in class_uses(ix, class) {
                if !(file == class.file && Some(u.range) == decl) {
                    out.push(target(&file, u.range, u.range));
                }
            }
            let name = ix
                .class(class)
                .map(|d| d.name.value.clone())
                .unwrap_or_default();
            for id in ix.env_ids() {
                let path = &ix.worker(id.0).config.path;
                for u in class_users_in(ix, id, class) {
                    out.push(target(path, u.range, u.range));
                }
                if ix.section(id).migrations.is_some()
                    && class_is(ix, ix.env(id).main.as_ref(), &name, class)
                {
                    for m in ix.section(id).migrations.iter().flatten() {
                        let names = m
                            .new_classes
                            .iter()
                            .chain(&m.new_sqlite_classes)
                            .chain(&m.deleted_classes)
                            .chain(m.renamed_classes.iter().flat_map(|r| [&r.from, &r.to]));
                        for n in names.filter(|n| n.value == name) {
                            out.push(target(path, n.range, n.range));
                        }
                    }
                }
            }
        }
        Item::Method { class, name } => {
            out.extend(definition_of(ix, item));
            let mut files: Vec<&Path> = (0..ix.workers.len())
                .flat_map(|w| ix.worker_files(w).iter().map(PathBuf::as_path))
                .collect();
            files.sort();
            files.dedup();
            for file in files {
                let Some(summary) = ix.summary(file) else {
                    continue;
                };
                for call in summary.env_calls.iter().filter(|c| &c.method.value == name) {
                    let lands_here = workers_of_source(ix, file).into_iter().any(|w| {
                        (0..ix.worker(w).envs.len()).any(|e| {
                            rpc_class(ix, (w, e), &call.binding.value, call.target)
                                .is_some_and(|c| matches!(ix.find_member(&c, name), Resolved::Found((owner, _)) if &owner == class))
                        })
                    });
                    if lands_here {
                        out.push(target(file, call.method.range, call.method.range));
                    }
                }
            }
        }
        Item::Queue(q) => {
            for id in ix.env_ids() {
                let path = &ix.worker(id.0).config.path;
                let names = ix
                    .queue_producers(id)
                    .iter()
                    .filter_map(|p| p.queue.as_ref())
                    .chain(ix.queue_consumers(id).iter().map(|c| &c.queue));
                for n in names.filter(|n| &n.value == q) {
                    out.push(target(path, n.range, n.range));
                }
            }
        }
    }
    out.sort_by(|a, b| (&a.file, a.focus_range).cmp(&(&b.file, b.focus_range)));
    out.dedup();
    out
}

pub fn references(ix: &Index, pos: &FilePosition, include_declaration: bool) -> Vec<NavTarget> {
    let Some((item, _)) = item_at(ix, &pos.file, pos.offset) else {
        return Vec::new();
    };
    let mut refs = references_of(ix, &item);
    if !include_declaration {
        let defs = definition_of(ix, &item);
        refs.retain(|r| {
            !defs
                .iter()
                .any(|d| d.file == r.file && d.focus_range == r.focus_range)
        });
    }
    refs
}
