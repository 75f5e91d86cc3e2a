use super::config_keys::key_hover;
use super::navigation::class_users;
use super::resolve::{declared_bindings, item_at, sections, Item};
use super::{FilePosition, HoverResult};
use crate::analysis::index::{BaseKind, EnvId, ExportTarget, Index, Resolved};
use crate::analysis::rules::common::{host_target, service_target, Target};
use crate::config::ConfigFormat;
use crate::project::relative;

fn env_label(env: &Option<String>) -> String {
    env.as_deref()
        .map(|e| format!("`{e}`"))
        .unwrap_or_else(|| "production".into())
}

/// The file declaring the class a worker environment exports as `name`.
fn class_file(ix: &Index, id: EnvId, name: &str) -> Option<std::path::PathBuf> {
    match ix.resolve_export(ix.env(id).main.as_ref()?, name) {
        Resolved::Found(ExportTarget::Class(c)) => Some(c.file),
        _ => None,
    }
}

fn hosted_file(ix: &Index, host: Target, class: &str) -> String {
    match host {
        Target::Found(h) => class_file(ix, h, class)
            .map(|f| format!(" — `{}`", relative(&ix.ws.root, &f)))
            .unwrap_or_else(|| " — **not exported by that worker**".into()),
        _ => String::new(),
    }
}

/// A one-paragraph description of what a binding of a worker is and where it leads.
pub(crate) fn describe_binding(ix: &Index, w: usize, name: &str) -> String {
    let mut lines = Vec::new();
    for (id, _) in sections(ix, w) {
        let env = env_label(&ix.env(id).env);
        if let Some(b) = ix.services(id).iter().find(|b| b.binding.value == name) {
            let target = b
                .service
                .as_ref()
                .map(|s| s.value.clone())
                .unwrap_or_default();
            let ep = b
                .entrypoint
                .as_ref()
                .map(|e| format!(", entrypoint `{}`", e.value))
                .unwrap_or_default();
            let file = match service_target(ix, id, b) {
                Target::Found(t) => {
                    let class = b
                        .entrypoint
                        .as_ref()
                        .and_then(|e| class_file(ix, t, &e.value));
                    class
                        .or_else(|| ix.env(t).main.clone())
                        .map(|m| format!(" — `{}`", relative(&ix.ws.root, &m)))
                        .unwrap_or_default()
                }
                Target::External => " — external worker".into(),
                Target::Missing => " — **no such worker in this workspace**".into(),
            };
            lines.push(format!(
                "{env}: service binding → worker `{target}`{ep}{file}"
            ));
            continue;
        }
        if let Some(b) = ix.durable_objects(id).iter().find(|b| b.name.value == name) {
            let class = b
                .class_name
                .as_ref()
                .map(|c| c.value.clone())
                .unwrap_or_default();
            let target = host_target(ix, id, b.script_name.as_ref());
            let host = match target {
                Target::Found(h) => ix.env(h).name.clone().unwrap_or_default(),
                _ => b
                    .script_name
                    .as_ref()
                    .map(|s| s.value.clone())
                    .unwrap_or_default(),
            };
            lines.push(format!(
                "{env}: Durable Object binding → class `{class}` hosted by `{host}`{}",
                hosted_file(ix, target, &class)
            ));
            if let Some(note) = ix.worker(w).config.frontend.namespace_note() {
                lines.push(note.to_string());
            }
            continue;
        }
        if let Some(b) = ix.workflows(id).iter().find(|b| b.binding.value == name) {
            let class = b
                .class_name
                .as_ref()
                .map(|c| c.value.clone())
                .unwrap_or_default();
            let wf = b.name.as_ref().map(|n| n.value.clone()).unwrap_or_default();
            let target = host_target(ix, id, b.script_name.as_ref());
            lines.push(format!(
                "{env}: workflow `{wf}` → class `{class}`{}",
                hosted_file(ix, target, &class)
            ));
            continue;
        }
        if let Some((_, kind)) = declared_bindings(ix, id)
            .into_iter()
            .find(|(n, _)| n.value == name)
        {
            lines.push(format!("{env}: {kind}"));
        }
    }
    if lines.is_empty() && ix.worker(w).config.secrets.iter().any(|s| s == name) {
        lines.push("secret (from `.dev.vars` / `.env` or the generated types)".into());
    }
    if lines.is_empty() {
        lines.push("not declared by this worker".into());
    }
    format!("**`env.{name}`**\n\n{}", lines.join("\n\n"))
}

pub fn hover(ix: &Index, pos: &FilePosition) -> Option<HoverResult> {
    let Some((item, range)) = item_at(ix, &pos.file, pos.offset) else {
        // A config key: its documentation in wrangler's schema.
        let config = ix.ws.config(&pos.file)?;
        let toml = config.file.format == ConfigFormat::Toml;
        return key_hover(&config.text, pos.offset, toml);
    };
    let markdown = match &item {
        Item::Binding { worker, name } => describe_binding(ix, *worker, name),
        Item::Worker(name) => {
            let mut text = format!("**worker `{name}`**");
            if let Some(&id) = ix.by_name.get(name).and_then(|v| v.first()) {
                text.push_str(&format!(
                    " — `{}` ({})",
                    relative(&ix.ws.root, &ix.worker(id.0).config.path),
                    env_label(&ix.env(id).env)
                ));
            }
            let mut users = Vec::new();
            for id in ix.env_ids() {
                let me = ix.env(id).name.clone().unwrap_or_default();
                let env = env_label(&ix.env(id).env);
                let services = ix
                    .services(id)
                    .iter()
                    .filter_map(|b| Some((b.service.as_ref()?, &b.binding, "service binding")));
                let dos = ix.durable_objects(id).iter().filter_map(|b| {
                    Some((b.script_name.as_ref()?, &b.name, "Durable Object binding"))
                });
                let workflows = ix.workflows(id).iter().filter_map(|b| {
                    Some((b.script_name.as_ref()?, &b.binding, "workflow binding"))
                });
                for (target, binding, kind) in services.chain(dos).chain(workflows) {
                    if &target.value == name {
                        users.push(format!("- `{me}` as `{}` ({kind}, {env})", binding.value));
                    }
                }
                if ix
                    .tail_consumers(id)
                    .iter()
                    .any(|t| &t.service.value == name)
                {
                    users.push(format!("- `{me}` as its tail consumer ({env})"));
                }
            }
            if !users.is_empty() {
                text.push_str(&format!("\n\nBound by:\n{}", users.join("\n")));
            }
            text
        }
        Item::Class(c) => {
            let decl = ix.class(c)?;
            let base = ix.class_info(c).base;
            let kind = match base {
                BaseKind::None => "class".to_string(),
                BaseKind::Unknown => "class (base outside the workspace)".to_string(),
                other => format!("class extends `{}`", other.describe()),
            };
            let methods: Vec<String> = ix
                .members(c)
                .iter()
                .map(|(_, m)| format!("- `{}{}`", m.name.value, m.params))
                .collect();
            let mut text = format!(
                "**`{}`** — {kind}\n\n`{}`",
                decl.name.value,
                relative(&ix.ws.root, &c.file)
            );
            if !methods.is_empty() {
                text.push_str(&format!("\n\n{}", methods.join("\n")));
            }
            let users: Vec<String> = class_users(ix, c)
                .into_iter()
                .map(|u| {
                    format!(
                        "- `{}` as `{}` ({}, {})",
                        ix.env(u.id).name.clone().unwrap_or_default(),
                        u.binding,
                        u.kind,
                        env_label(&ix.env(u.id).env)
                    )
                })
                .collect();
            if !users.is_empty() {
                text.push_str(&format!("\n\nBound by:\n{}", users.join("\n")));
            }
            if base == BaseKind::DurableObject {
                // The names the hosts export it under: the namespaces' logical ids.
                let mut names: Vec<String> = Vec::new();
                let mut note = None;
                for id in ix.env_ids() {
                    let Some(main) = ix.env(id).main.as_ref() else {
                        continue;
                    };
                    for n in ix.export_names(main).0 {
                        if ix.resolve_export(main, &n)
                            == Resolved::Found(ExportTarget::Class(c.clone()))
                        {
                            note = note.or(ix.worker(id.0).config.frontend.namespace_note());
                            if !names.contains(&n) {
                                names.push(n);
                            }
                        }
                    }
                }
                if let Some(note) = note {
                    let ids: Vec<String> = names.iter().map(|n| format!("`\"{n}\"`")).collect();
                    text.push_str(&format!("\n\nNamespace {}. {note}", ids.join(", ")));
                }
            }
            text
        }
        Item::Method { class, name } => {
            let Resolved::Found((owner, m)) = ix.find_member(class, name) else {
                return None;
            };
            let class_name = ix
                .class(&owner)
                .map(|d| d.name.value.clone())
                .unwrap_or_default();
            let ret = m
                .return_type
                .as_ref()
                .map(|r| format!(": {r}"))
                .unwrap_or_default();
            format!(
                "```ts\n{class_name}.{}{}{ret}\n```\n`{}`",
                m.name.value,
                m.params,
                relative(&ix.ws.root, &owner.file)
            )
        }
        Item::Queue(q) => {
            let consumers: Vec<String> = ix
                .env_ids()
                .filter(|&id| ix.queue_consumers(id).iter().any(|c| &c.queue.value == q))
                .filter_map(|id| ix.env(id).name.clone())
                .collect();
            format!(
                "**queue `{q}`** — consumed by {}",
                if consumers.is_empty() {
                    "no worker".into()
                } else {
                    consumers.join(", ")
                }
            )
        }
    };
    Some(HoverResult { markdown, range })
}
