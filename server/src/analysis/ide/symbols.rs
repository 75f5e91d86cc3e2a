use super::resolve::{declared_bindings, worker_of_config};
use super::{Symbol, SymbolKind};
use crate::analysis::index::{BaseKind, ExportTarget, Index, Resolved};
use std::path::Path;

pub fn document_symbols(ix: &Index, file: &Path) -> Vec<Symbol> {
    let Some(w) = worker_of_config(ix, file, 0) else {
        return Vec::new();
    };
    let worker = ix.worker(w);
    let mut envs = Vec::new();
    for (e, env) in worker.envs.iter().enumerate() {
        let id = (w, e);
        let section = ix.section(id);
        let mut children: Vec<Symbol> = declared_bindings(ix, id)
            .into_iter()
            .map(|(n, kind)| Symbol {
                name: n.value.clone(),
                kind: SymbolKind::Binding,
                detail: Some(kind),
                file: file.to_path_buf(),
                full_range: n.range,
                focus_range: n.range,
                children: Vec::new(),
            })
            .collect();
        for m in section.migrations.iter().flatten() {
            let tag = m
                .tag
                .as_ref()
                .map(|t| t.value.clone())
                .unwrap_or_else(|| "(no tag)".into());
            let range = m.tag.as_ref().map(|t| t.range).unwrap_or(m.range);
            children.push(Symbol {
                name: tag,
                kind: SymbolKind::Migration,
                detail: Some("migration".into()),
                file: file.to_path_buf(),
                full_range: m.range,
                focus_range: range,
                children: Vec::new(),
            });
        }
        let (name, kind, focus) = match (&env.env, &section.env_name) {
            (Some(e), Some(n)) => (e.clone(), SymbolKind::Environment, n.range),
            _ => (
                env.name
                    .clone()
                    .unwrap_or_else(|| "(unnamed worker)".into()),
                SymbolKind::Worker,
                section.name.as_ref().map(|n| n.range).unwrap_or_default(),
            ),
        };
        let full = section.range;
        envs.push(Symbol {
            name,
            kind,
            detail: env.name.clone(),
            file: file.to_path_buf(),
            full_range: if full.contains_range(focus) {
                full
            } else {
                focus
            },
            focus_range: focus,
            children,
        });
    }
    envs
}

/// How well a name matches a query: lower is better; `None` when it does not match.
fn rank(query: &str, name: &str) -> Option<u8> {
    let (q, n) = (query.to_lowercase(), name.to_lowercase());
    if n == q {
        Some(0)
    } else if n.starts_with(&q) {
        Some(1)
    } else if n.contains(&q) {
        Some(2)
    } else if matches(&q, &n) {
        Some(3)
    } else {
        None
    }
}

fn matches(query: &str, name: &str) -> bool {
    if query.is_empty() {
        return true;
    }
    // Subsequence match, case-insensitive, like most editors' symbol search.
    let mut chars = name.chars().map(|c| c.to_ascii_lowercase());
    query
        .chars()
        .map(|c| c.to_ascii_lowercase())
        .all(|q| chars.any(|c| c == q))
}

/// Workers, entrypoints, Durable Object and workflow classes whose name matches `query`: exact,
/// then prefix, then substring, then subsequence matches, each by name.
pub fn workspace_symbols(ix: &Index, query: &str) -> Vec<Symbol> {
    let mut out = unranked_symbols(ix, query);
    out.sort_by_cached_key(|s| (rank(query, &s.name).unwrap_or(u8::MAX), s.name.clone()));
    out
}

fn unranked_symbols(ix: &Index, query: &str) -> Vec<Symbol> {
    let mut out = Vec::new();
    for id in ix.env_ids() {
        let env = ix.env(id);
        if let (Some(name), Some(range)) = (&env.name, env.name_range) {
            if matches(query, name) {
                out.push(Symbol {
                    name: name.clone(),
                    kind: SymbolKind::Worker,
                    detail: env.env.clone(),
                    file: ix.worker(id.0).config.path.clone(),
                    full_range: range,
                    focus_range: range,
                    children: Vec::new(),
                });
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    for w in 0..ix.workers.len() {
        for main in ix.worker(w).envs.iter().filter_map(|e| e.main.as_ref()) {
            let (names, _) = ix.export_names(main);
            for name in names {
                let Resolved::Found(ExportTarget::Class(c)) = ix.resolve_export(main, &name) else {
                    continue;
                };
                let kind = match ix.class_info(&c).base {
                    BaseKind::WorkerEntrypoint => SymbolKind::Entrypoint,
                    BaseKind::DurableObject => SymbolKind::DurableObject,
                    BaseKind::WorkflowEntrypoint => SymbolKind::Workflow,
                    _ => continue,
                };
                if !matches(query, &name) || !seen.insert(c.clone()) {
                    continue;
                }
                let Some(decl) = ix.class(&c) else { continue };
                out.push(Symbol {
                    name,
                    kind,
                    detail: ix.worker(w).envs[0].name.clone(),
                    file: c.file.clone(),
                    full_range: decl.range,
                    focus_range: decl.name.range,
                    children: Vec::new(),
                });
            }
        }
    }
    out
}
