//! The item under the cursor, shared by hover, definition, references and rename.

use crate::analysis::index::{BaseKind, ClassRef, EnvId, ExportTarget, Index, Resolved};
use crate::analysis::rules::common::{host_target, service_target, Target};
use crate::base::{Spanned, TextRange};
use crate::config::EnvSection;
use crate::source::CallTarget;
use std::path::Path;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    /// A worker name (as resolved per environment).
    Worker(String),
    /// A class of some module.
    Class(ClassRef),
    /// An env binding, var or secret of a worker.
    Binding { worker: usize, name: String },
    /// A method of a class.
    Method { class: ClassRef, name: String },
    /// A queue name.
    Queue(String),
}

/// The worker whose config is `file`; in a TypeScript module declaring several, the one whose
/// declaration holds `offset` (else the first).
pub fn worker_of_config(ix: &Index, file: &Path, offset: u32) -> Option<usize> {
    let mut first = None;
    for (w, worker) in ix.workers.iter().enumerate() {
        if worker.config.path != file {
            continue;
        }
        if worker.config.range.touches(offset) {
            return Some(w);
        }
        first.get_or_insert(w);
    }
    first
}

/// Every worker whose config is `file` (a TypeScript module may declare several).
pub fn workers_of_config(ix: &Index, file: &Path) -> Vec<usize> {
    (0..ix.workers.len())
        .filter(|&w| ix.worker(w).config.path == file)
        .collect()
}

/// The workers whose module graph contains `file`; for a module no entry reaches yet (a file
/// just created, not imported anywhere), the workers whose config sits in its nearest folder.
pub fn workers_of_source(ix: &Index, file: &Path) -> Vec<usize> {
    let reached = ix.workers_of_file(file);
    if !reached.is_empty() {
        return reached.to_vec();
    }
    let mut best: Vec<usize> = Vec::new();
    let mut best_depth = 0;
    for (w, worker) in ix.workers.iter().enumerate() {
        let Some(dir) = worker.config.path.parent() else {
            continue;
        };
        if !file.starts_with(dir) {
            continue;
        }
        let depth = dir.components().count();
        if depth > best_depth {
            best = vec![w];
            best_depth = depth;
        } else if depth == best_depth {
            best.push(w);
        }
    }
    best
}

/// Every section of a worker with its environment id.
pub fn sections(ix: &Index, w: usize) -> Vec<(EnvId, &EnvSection)> {
    (0..ix.worker(w).envs.len())
        .map(|e| ((w, e), ix.section((w, e))))
        .collect()
}

fn class_in(ix: &Index, main: Option<&std::path::PathBuf>, name: &str) -> Option<ClassRef> {
    match ix.resolve_export(main?, name) {
        Resolved::Found(ExportTarget::Class(c)) => Some(c),
        _ => None,
    }
}

/// Every binding-like name declared in a section: (name span, kind).
pub fn declared_bindings(ix: &Index, id: EnvId) -> Vec<(&Spanned<String>, String)> {
    let s = ix.section(id);
    let mut out: Vec<(&Spanned<String>, String)> = Vec::new();
    out.extend(
        ix.services(id)
            .iter()
            .map(|b| (&b.binding, "service binding".to_string())),
    );
    out.extend(
        ix.durable_objects(id)
            .iter()
            .map(|b| (&b.name, "Durable Object binding".to_string())),
    );
    out.extend(
        ix.workflows(id)
            .iter()
            .map(|b| (&b.binding, "workflow binding".to_string())),
    );
    out.extend(
        ix.queue_producers(id)
            .iter()
            .map(|b| (&b.binding, "queue producer".to_string())),
    );
    for (kind, list) in &s.other_bindings {
        out.extend(list.iter().map(|b| (&b.binding, format!("{kind} binding"))));
    }
    out.extend(s.vars.iter().flatten().map(|v| (v, "var".to_string())));
    out.extend(
        s.secrets_required
            .iter()
            .flatten()
            .map(|v| (v, "secret".to_string())),
    );
    out
}

/// The item at a cursor in a config, from the parsed model. Where spans nest (a TypeScript
/// declaration's `X.from(W)` is a binding, its `W` the host), the innermost wins; of equal
/// spans, a class or worker before a binding.
fn config_item(ix: &Index, w: usize, offset: u32) -> Option<(Item, TextRange)> {
    let hit = |s: &Spanned<String>| s.range.touches(offset);
    // (span, rank among equal spans, item); `None` items hit but resolve to nothing.
    let mut found: Vec<(TextRange, u8, Option<Item>)> = Vec::new();
    for (id, section) in sections(ix, w) {
        if let Some(n) = section.name.as_ref().filter(|n| hit(n)) {
            found.push((n.range, 0, Some(Item::Worker(n.value.clone()))));
        }
        for (name, _) in declared_bindings(ix, id) {
            if hit(name) {
                let item = Item::Binding {
                    worker: w,
                    name: name.value.clone(),
                };
                found.push((name.range, 2, Some(item)));
            }
        }
        for b in ix.services(id) {
            if let Some(s) = b.service.as_ref().filter(|s| hit(s)) {
                found.push((s.range, 0, Some(Item::Worker(s.value.clone()))));
            }
            if let Some(ep) = b.entrypoint.as_ref().filter(|e| hit(e)) {
                let class = match service_target(ix, id, b) {
                    Target::Found(t) => class_in(ix, ix.env(t).main.as_ref(), &ep.value),
                    _ => None,
                };
                found.push((ep.range, 1, class.map(Item::Class)));
            }
        }
        // Durable Object and workflow bindings: (script_name, class_name) alike.
        let hosted = ix
            .durable_objects(id)
            .iter()
            .map(|b| (b.script_name.as_ref(), b.class_name.as_ref()))
            .chain(
                ix.workflows(id)
                    .iter()
                    .map(|b| (b.script_name.as_ref(), b.class_name.as_ref())),
            );
        for (script, class_name) in hosted {
            if let Some(s) = script.filter(|s| hit(s)) {
                found.push((s.range, 0, Some(Item::Worker(s.value.clone()))));
            }
            if let Some(c) = class_name.filter(|c| hit(c)) {
                let class = match host_target(ix, id, script) {
                    Target::Found(h) => class_in(ix, ix.env(h).main.as_ref(), &c.value),
                    _ => None,
                };
                found.push((c.range, 1, class.map(Item::Class)));
            }
        }
        for t in ix.tail_consumers(id) {
            if hit(&t.service) {
                found.push((
                    t.service.range,
                    0,
                    Some(Item::Worker(t.service.value.clone())),
                ));
            }
        }
        for q in ix
            .queue_producers(id)
            .iter()
            .filter_map(|p| p.queue.as_ref())
            .chain(ix.queue_consumers(id).iter().map(|c| &c.queue))
        {
            if hit(q) {
                found.push((q.range, 0, Some(Item::Queue(q.value.clone()))));
            }
        }
        if let Some(migrations) = &section.migrations {
            let main = ix.env(id).main.as_ref();
            for m in migrations {
                let names = m
                    .new_classes
                    .iter()
                    .chain(&m.new_sqlite_classes)
                    .chain(&m.deleted_classes)
                    .chain(m.renamed_classes.iter().flat_map(|r| [&r.from, &r.to]));
                for n in names {
                    if hit(n) {
                        found.push((n.range, 1, class_in(ix, main, &n.value).map(Item::Class)));
                    }
                }
            }
        }
    }
    let (range, _, item) = found
        .into_iter()
        .min_by_key(|(r, rank, _)| (r.len(), *rank))?;
    item.map(|i| (i, range))
}

/// The item at a cursor in a source module, from its summary.
fn source_item(ix: &Index, file: &Path, offset: u32) -> Option<(Item, TextRange)> {
    let summary = ix.summary(file)?;
    let workers = workers_of_source(ix, file);
    for call in &summary.env_calls {
        if call.method.range.touches(offset) {
            for &w in &workers {
                for e in 0..ix.worker(w).envs.len() {
                    let Some(class) = crate::analysis::rules::rpc_class(
                        ix,
                        (w, e),
                        &call.binding.value,
                        call.target,
                    ) else {
                        continue;
                    };
                    if let Resolved::Found((owner, _)) = ix.find_member(&class, &call.method.value)
                    {
                        return Some((
                            Item::Method {
                                class: owner,
                                name: call.method.value.clone(),
                            },
                            call.method.range,
                        ));
                    }
                }
            }
            if call.target == CallTarget::Direct {
                continue;
            }
        }
    }
    for access in &summary.env_accesses {
        if access.name.range.touches(offset) {
            let w = *workers.first()?;
            return Some((
                Item::Binding {
                    worker: w,
                    name: access.name.value.clone(),
                },
                access.name.range,
            ));
        }
    }
    for (i, class) in summary.classes.iter().enumerate() {
        // A class a tool makes of the module (Devflare's `worker.ts`) is written nowhere.
        if !class.name.range.is_empty() && class.name.range.touches(offset) {
            return Some((
                Item::Class(ClassRef {
                    file: file.to_path_buf(),
                    index: i,
                }),
                class.name.range,
            ));
        }
        for m in &class.members {
            if m.name.range.touches(offset) {
                let c = ClassRef {
                    file: file.to_path_buf(),
                    index: i,
                };
                return Some((
                    Item::Method {
                        class: c,
                        name: m.name.value.clone(),
                    },
                    m.name.range,
                ));
            }
        }
    }
    None
}

/// The identifier at `offset` of a text, and its span.
fn identifier_at(text: &str, offset: u32) -> Option<(&str, TextRange)> {
    let bytes = text.as_bytes();
    let at = (offset as usize).min(bytes.len());
    let is_ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$';
    let mut start = at;
    while start > 0 && is_ident(bytes[start - 1]) {
        start -= 1;
    }
    let mut end = at;
    while end < bytes.len() && is_ident(bytes[end]) {
        end += 1;
    }
    let word = text.get(start..end)?;
    (!word.is_empty() && !word.as_bytes()[0].is_ascii_digit())
        .then(|| (word, TextRange::from_usize(start, end)))
}

/// An identifier naming a class a front-end describes (an Alchemy tag: its uses are
/// `X.from(W)`, `yield* X`, `import { X }`), declared in the module or imported into it.
pub(crate) fn described_class_at(
    ix: &Index,
    file: &Path,
    offset: u32,
) -> Option<(Item, TextRange)> {
    let summary = ix.summary(file)?;
    let text = ix.ws.text(file)?;
    let (word, range) = identifier_at(&text, offset)?;
    let class = if let Some(i) = summary.classes.iter().position(|c| c.name.value == word) {
        ClassRef {
            file: file.to_path_buf(),
            index: i,
        }
    } else {
        let import = summary
            .imports
            .iter()
            .chain(&summary.type_imports)
            .find(|i| i.local == word)?;
        let target = ix.source(file)?.resolve(&import.from.value)?;
        match ix.resolve_export(target, &import.imported) {
            Resolved::Found(ExportTarget::Class(c)) => c,
            _ => return None,
        }
    };
    ix.class(&class)
        .is_some_and(|d| d.described)
        .then_some((Item::Class(class), range))
}

pub fn item_at(ix: &Index, file: &Path, offset: u32) -> Option<(Item, TextRange)> {
    let declaring = workers_of_config(ix, file);
    if declaring.is_empty() {
        return source_item(ix, file, offset).or_else(|| described_class_at(ix, file, offset));
    }
    // A TypeScript module may declare workers and be a worker's source as well.
    declaring
        .iter()
        .find_map(|&w| config_item(ix, w, offset))
        .or_else(|| {
            ix.source(file)
                .is_some()
                .then(|| source_item(ix, file, offset))
                .flatten()
        })
        .or_else(|| described_class_at(ix, file, offset))
}

/// Where a binding of an environment leads, in a few words: `auth (TokenService)` for a
/// service binding, `Sessions in auth` for a Durable Object, the queue's name for a producer.
pub fn binding_target(ix: &Index, id: EnvId, name: &str) -> Option<String> {
    let value = |s: Option<&Spanned<String>>| s.map(|s| s.value.clone());
    if let Some(b) = ix.services(id).iter().find(|b| b.binding.value == name) {
        let service = value(b.service.as_ref())?;
        let service = match &b.environment {
            Some(env) => format!("{service} ({} env)", env.value),
            None => service,
        };
        return Some(match &b.entrypoint {
            Some(ep) => format!("{service} ({})", ep.value),
            None => service,
        });
    }
    let hosted = |class: Option<&Spanned<String>>, script: Option<&Spanned<String>>| {
        let class = value(class)?;
        Some(match script {
            Some(s) => format!("{class} in {}", s.value),
            None => class,
        })
    };
    if let Some(b) = ix.durable_objects(id).iter().find(|b| b.name.value == name) {
        return hosted(b.class_name.as_ref(), b.script_name.as_ref());
    }
    if let Some(b) = ix.workflows(id).iter().find(|b| b.binding.value == name) {
        return hosted(b.class_name.as_ref(), b.script_name.as_ref());
    }
    if let Some(p) = ix
        .queue_producers(id)
        .iter()
        .find(|p| p.binding.value == name)
    {
        return value(p.queue.as_ref());
    }
    None
}

/// Exported classes of an environment's main module with the given base.
pub fn exported_classes(ix: &Index, id: EnvId, base: BaseKind) -> Vec<(String, ClassRef)> {
    let Some(main) = ix.env(id).main.as_ref() else {
        return Vec::new();
    };
    let (names, _) = ix.export_names(main);
    names
        .into_iter()
        .filter_map(|n| match ix.resolve_export(main, &n) {
            Resolved::Found(ExportTarget::Class(c)) if ix.class_info(&c).base == base => {
                Some((n, c))
            }
            _ => None,
        })
        .collect()
}

/// `worker` and every worker sharing with it a module that reads `env.<name>`, transitively.
pub fn binding_group(ix: &Index, worker: usize, name: &str) -> Vec<usize> {
    let reads = |file: &std::path::Path| {
        ix.summary(file)
            .is_some_and(|s| s.env_accesses.iter().any(|a| a.name.value == name))
    };
    let mut group = vec![worker];
    let mut i = 0;
    while i < group.len() {
        let w = group[i];
        for file in ix.worker_files(w).iter().filter(|f| reads(f)) {
            for &other in ix.workers_of_file(file) {
                if !group.contains(&other) {
                    group.push(other);
                }
            }
        }
        i += 1;
    }
    group.sort_unstable();
    group
}
