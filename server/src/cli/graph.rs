//! `workers-lsp graph`: the worker family as a graph, in Mermaid or Graphviz dot.
//!
//! Nodes are workers (the names they resolve to in the chosen environment); edges are service
//! bindings, Durable Object and workflow bindings into another worker, queues from producer to
//! consumer, and tail consumers. An edge whose target does not exist, or whose entrypoint or
//! class the target does not export, is drawn broken (dashed, red).

use crate::analysis::index::{EnvId, Index, Resolved};
use crate::analysis::rules::common::{host_target, service_target, worker_target, Target};
use std::collections::BTreeSet;
use std::fmt::Write as _;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GraphFormat {
    Mermaid,
    Dot,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Edge {
    pub from: String,
    pub to: String,
    pub label: String,
    pub broken: bool,
}

/// The workers of one environment (`None`: production) and the edges between them.
pub fn build(ix: &Index, env: Option<&str>) -> (BTreeSet<String>, Vec<Edge>) {
    let mut nodes = BTreeSet::new();
    let mut edges = Vec::new();
    let ids: Vec<EnvId> = ix
        .env_ids()
        .filter(|&id| ix.env(id).env.as_deref() == env)
        .collect();
    let name_of = |id: EnvId| ix.env(id).name.clone().unwrap_or_else(|| "?".to_string());
    for &id in &ids {
        let from = name_of(id);
        nodes.insert(from.clone());
        for b in ix.services(id) {
            let Some(service) = &b.service else { continue };
            let (to, broken) = match service_target(ix, id, b) {
                Target::Found(t) => {
                    let missing_ep = match (&b.entrypoint, &ix.env(t).main) {
                        (Some(ep), Some(main)) if ep.value != "default" => {
                            ix.resolve_export(main, &ep.value) == Resolved::Missing
                        }
                        _ => false,
                    };
                    (name_of(t), missing_ep || drifts(ix, env, t))
                }
                Target::External => (service.value.clone(), false),
                Target::Missing => (service.value.clone(), true),
            };
            let label = match &b.entrypoint {
                Some(ep) => format!("{} ({})", b.binding.value, ep.value),
                None => b.binding.value.clone(),
            };
            nodes.insert(to.clone());
            edges.push(Edge {
                from: from.clone(),
                to,
                label,
                broken,
            });
        }
        for b in ix.durable_objects(id) {
            let Some(script) = &b.script_name else {
                continue;
            };
            let class = b
                .class_name
                .as_ref()
                .map(|c| c.value.clone())
                .unwrap_or_default();
            let (to, broken) = match host_target(ix, id, Some(script)) {
                Target::Found(h) => (
                    name_of(h),
                    class_missing(ix, h, &class) || drifts(ix, env, h),
                ),
                Target::External => (script.value.clone(), false),
                Target::Missing => (script.value.clone(), true),
            };
            nodes.insert(to.clone());
            edges.push(Edge {
                from: from.clone(),
                to,
                label: format!("{} (DO {class})", b.name.value),
                broken,
            });
        }
        for b in ix.workflows(id) {
            let Some(script) = &b.script_name else {
                continue;
            };
            let class = b
                .class_name
                .as_ref()
                .map(|c| c.value.clone())
                .unwrap_or_default();
            let (to, broken) = match host_target(ix, id, Some(script)) {
                Target::Found(h) => (name_of(h), class_missing(ix, h, &class)),
                Target::External => (script.value.clone(), false),
                Target::Missing => (script.value.clone(), true),
            };
            if to == from {
                continue;
            }
            nodes.insert(to.clone());
            edges.push(Edge {
                from: from.clone(),
                to,
                label: format!("{} (workflow {class})", b.binding.value),
                broken,
            });
        }
        for t in ix.tail_consumers(id) {
            let (to, broken) = match worker_target(ix, id.0, &t.service.value) {
                Target::Found(c) => (name_of(c), false),
                Target::External => (t.service.value.clone(), false),
                Target::Missing => (t.service.value.clone(), true),
            };
            nodes.insert(to.clone());
            edges.push(Edge {
                from: from.clone(),
                to,
                label: "tail".into(),
                broken,
            });
        }
        for p in ix.queue_producers(id) {
            let Some(queue) = &p.queue else { continue };
            let consumers: Vec<String> = ids
                .iter()
                .filter(|&&c| {
                    ix.queue_consumers(c)
                        .iter()
                        .any(|q| q.queue.value == queue.value)
                })
                .map(|&c| name_of(c))
                .collect();
            if consumers.is_empty() {
                let external = ix.ws.settings.is_external_queue(&queue.value);
                let to = format!("queue:{}", queue.value);
                nodes.insert(to.clone());
                edges.push(Edge {
                    from: from.clone(),
                    to,
                    label: format!("{} (queue {})", p.binding.value, queue.value),
                    broken: !external,
                });
            }
            for to in consumers {
                edges.push(Edge {
                    from: from.clone(),
                    to,
                    label: format!("{} (queue {})", p.binding.value, queue.value),
                    broken: false,
                });
            }
        }
    }
    edges.sort();
    edges.dedup();
    (nodes, edges)
}

/// Inside environment `env`, a reference to another worker's production name although that
/// worker defines `env` (see `environment-drift`).
fn drifts(ix: &Index, env: Option<&str>, target: EnvId) -> bool {
    env.is_some() && target.1 == 0 && ix.sibling_env(target, env).is_some()
}

fn class_missing(ix: &Index, host: EnvId, class: &str) -> bool {
    match &ix.env(host).main {
        Some(main) => ix.resolve_export(main, class) == Resolved::Missing,
        None => false,
    }
}

fn node_id(name: &str) -> String {
    let mut id = String::from("n_");
    for c in name.chars() {
        id.push(if c.is_ascii_alphanumeric() { c } else { '_' });
    }
    id
}

fn escape_label(s: &str, format: GraphFormat) -> String {
    match format {
        GraphFormat::Mermaid => s.replace('"', "#quot;"),
        GraphFormat::Dot => s.replace('\\', "\\\\").replace('"', "\\\""),
    }
}

pub fn render(ix: &Index, env: Option<&str>, format: GraphFormat) -> String {
    let (nodes, edges) = build(ix, env);
    let mut out = String::new();
    match format {
        GraphFormat::Mermaid => {
            let _ = writeln!(out, "flowchart LR");
            for n in &nodes {
                let _ = writeln!(out, "  {}[\"{}\"]", node_id(n), escape_label(n, format));
            }
            let mut broken_links = Vec::new();
            for (i, e) in edges.iter().enumerate() {
                let arrow = if e.broken { "-.->" } else { "-->" };
                let _ = writeln!(
                    out,
                    "  {} {arrow}|\"{}\"| {}",
                    node_id(&e.from),
                    escape_label(&e.label, format),
                    node_id(&e.to)
                );
                if e.broken {
                    broken_links.push(i.to_string());
                }
            }
            if !broken_links.is_empty() {
                let _ = writeln!(
                    out,
                    "  linkStyle {} stroke:#d33,color:#d33",
                    broken_links.join(",")
                );
            }
        }
        GraphFormat::Dot => {
            let _ = writeln!(out, "digraph workers {{");
            let _ = writeln!(out, "  rankdir=LR;");
            let _ = writeln!(out, "  node [shape=box, style=rounded];");
            for n in &nodes {
                let _ = writeln!(
                    out,
                    "  {} [label=\"{}\"];",
                    node_id(n),
                    escape_label(n, format)
                );
            }
            for e in &edges {
                let style = if e.broken {
                    ", style=dashed, color=red, fontcolor=red"
                } else {
                    ""
                };
                let _ = writeln!(
                    out,
                    "  {} -> {} [label=\"{}\"{style}];",
                    node_id(&e.from),
                    node_id(&e.to),
                    escape_label(&e.label, format)
                );
            }
            let _ = writeln!(out, "}}");
        }
    }
    out
}
