use super::config_keys::key_completions;
use super::context::{
    block_value, config_context, member_context, sibling_value, split_path, ConfigContext,
};
use super::hover::describe_binding;
use super::resolve::Item;
use super::resolve::{
    binding_target, declared_bindings, described_class_at, exported_classes, sections,
    worker_of_config, workers_of_source,
};
use super::{CompletionItem, CompletionKind, FilePosition};
use crate::analysis::index::{BaseKind, EnvId, Index};
use crate::analysis::rules::common::{do_state, replay, worker_target, Target};
use crate::analysis::rules::{rpc_class, FETCHER_BUILTINS, STUB_BUILTINS};
use crate::base::TextRange;
use crate::config::ConfigFormat;
use crate::source::{CallTarget, HandleKind};
use std::collections::BTreeSet;

/// Completions at a cursor in a config or source; `text` is the file's current text.
pub fn completions(ix: &Index, pos: &FilePosition, text: &str) -> Vec<CompletionItem> {
    let offset = pos.offset.min(text.len() as u32);
    if let Some(format) = ConfigFormat::from_path(&pos.file).filter(|_| {
        worker_of_config(ix, &pos.file, pos.offset).is_some()
            || crate::project::is_config_name(
                &pos.file
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
            )
    }) {
        let toml = format == ConfigFormat::Toml;
        let Some(ctx) = config_context(text, offset, toml) else {
            return key_completions(text, offset, toml).unwrap_or_default();
        };
        return config_completions(ix, pos, text, &ctx);
    }
    // A string of a worker declared in TypeScript: what the model says the string is.
    if let Some(items) = declaration_completions(ix, pos) {
        return items;
    }
    source_completions(ix, pos, text, offset)
}

/// Every worker name, the current environment's first (priority 0), then external workers.
fn worker_name_items(ix: &Index, env: Option<&str>, range: TextRange) -> Vec<CompletionItem> {
    let mut out = Vec::new();
    let mut names: Vec<(&String, &Vec<EnvId>)> = ix.by_name.iter().collect();
    names.sort();
    for (name, ids) in names {
        // A synthetic name (`shop-api-<stage>`) is no name to write.
        if ix.is_pattern_name(name) {
            continue;
        }
        let same_env = ids.iter().any(|&id| ix.env(id).env.as_deref() == env);
        let detail = ids.first().map(|&id| {
            format!(
                "worker ({})",
                ix.env(id).env.as_deref().unwrap_or("production")
            )
        });
        out.push(item(
            name,
            CompletionKind::Worker,
            detail,
            range,
            if same_env { 0 } else { 1 },
        ));
    }
    for ext in &ix.ws.settings.external_workers {
        out.push(item(
            ext,
            CompletionKind::Worker,
            Some("external worker".into()),
            range,
            2,
        ));
    }
    out
}

/// The classes of a kind a host exports.
fn host_class_items(
    ix: &Index,
    host: Option<EnvId>,
    base: BaseKind,
    what: &str,
    range: TextRange,
) -> Vec<CompletionItem> {
    let Some(host) = host else { return Vec::new() };
    let host_name = ix.env(host).name.clone().unwrap_or_default();
    exported_classes(ix, host, base)
        .into_iter()
        .map(|(n, c)| {
            let file = crate::project::relative(&ix.ws.root, &c.file);
            item(
                &n,
                CompletionKind::Class,
                Some(format!("{what} in `{host_name}` ({file})")),
                range,
                0,
            )
        })
        .collect()
}

/// Completions inside a string of a worker declared in TypeScript (`className: "`,
/// `exportName: "`, `scriptName: "`, a worker name), from the model's spans: the target's
/// classes, or the family's worker names. `None` when the cursor is in no such string.
fn declaration_completions(ix: &Index, pos: &FilePosition) -> Option<Vec<CompletionItem>> {
    let at = |s: Option<&crate::base::Spanned<String>>| {
        s.filter(|s| s.range.touches(pos.offset) && !ix.ws.is_derived(&pos.file, s.range))
            .map(|s| s.range)
    };
    let host = |id: EnvId, script: Option<&crate::base::Spanned<String>>| match script {
        None => Some(id),
        Some(s) => match worker_target(ix, id.0, &s.value) {
            Target::Found(h) => Some(h),
            _ => None,
        },
    };
    for w in super::resolve::workers_of_config(ix, &pos.file) {
        if ix.worker(w).config.frontend == crate::declare::FrontEnd::Wrangler {
            return None;
        }
        for (id, _) in sections(ix, w) {
            let env = ix.env(id).env.clone();
            for b in ix.services(id) {
                if let Some(r) = at(b.service.as_ref()) {
                    return Some(worker_name_items(ix, env.as_deref(), r));
                }
                if let Some(r) = at(b.entrypoint.as_ref()) {
                    let target = match crate::analysis::rules::common::service_target(ix, id, b) {
                        Target::Found(t) => Some(t),
                        _ => None,
                    };
                    return Some(host_class_items(
                        ix,
                        target,
                        BaseKind::WorkerEntrypoint,
                        "WorkerEntrypoint",
                        r,
                    ));
                }
            }
            for b in ix.durable_objects(id) {
                if let Some(r) = at(b.script_name.as_ref()) {
                    return Some(worker_name_items(ix, env.as_deref(), r));
                }
                if let Some(r) = at(b.class_name.as_ref()) {
                    return Some(host_class_items(
                        ix,
                        host(id, b.script_name.as_ref()),
                        BaseKind::DurableObject,
                        "Durable Object",
                        r,
                    ));
                }
            }
            for b in ix.workflows(id) {
                if let Some(r) = at(b.script_name.as_ref()) {
                    return Some(worker_name_items(ix, env.as_deref(), r));
                }
                if let Some(r) = at(b.class_name.as_ref()) {
                    return Some(host_class_items(
                        ix,
                        host(id, b.script_name.as_ref()),
                        BaseKind::WorkflowEntrypoint,
                        "WorkflowEntrypoint",
                        r,
                    ));
                }
            }
            for t in ix.tail_consumers(id) {
                if let Some(r) = at(Some(&t.service)) {
                    return Some(worker_name_items(ix, env.as_deref(), r));
                }
            }
        }
    }
    None
}

fn item(
    label: &str,
    kind: CompletionKind,
    detail: Option<String>,
    replace: TextRange,
    priority: u8,
) -> CompletionItem {
    CompletionItem {
        label: label.to_string(),
        kind,
        detail,
        documentation: None,
        replace,
        insert_text: None,
        sort_priority: priority,
    }
}

fn config_completions(
    ix: &Index,
    pos: &FilePosition,
    text: &str,
    ctx: &ConfigContext,
) -> Vec<CompletionItem> {
    let path = split_path(&ctx.path);
    let in_table = |t: &str| path.iter().any(|p| p == t);
    let me = worker_of_config(ix, &pos.file, pos.offset);
    // The environment of the config the cursor is in.
    let env = ctx.env().map(str::to_string);
    let my_env: Option<EnvId> =
        me.and_then(|w| ix.sibling_env((w, 0), env.as_deref()).or(Some((w, 0))));
    // A sibling key of the same entry (inline table / JSON object, or TOML [[block]]).
    let sibling = |key: &str| -> Option<String> {
        match ctx.object_start {
            Some(start) => sibling_value(text, start, key),
            None => block_value(text, pos.offset, key),
        }
    };
    // A name as written in this config: its own name is itself.
    let target_from = |from: Option<EnvId>, name: &str| match from {
        Some(id) => worker_target(ix, id.0, name),
        None => ix.lookup_name(name).map_or(Target::Missing, Target::Found),
    };
    let host_of = |script: Option<String>| -> Option<EnvId> {
        match script {
            None => my_env,
            Some(s) => match target_from(my_env, &s) {
                Target::Found(id) => Some(id),
                _ => None,
            },
        }
    };
    let class_items = |host: Option<EnvId>, base: BaseKind, what: &str| -> Vec<CompletionItem> {
        host_class_items(ix, host, base, what, ctx.range)
    };
    match ctx.key.as_str() {
        "service" | "script_name" => worker_name_items(ix, env.as_deref(), ctx.range),
        "entrypoint" => {
            let Some(service) = sibling("service") else {
                return Vec::new();
            };
            let host = match target_from(my_env, &service) {
                Target::Found(id) => Some(id),
                _ => None,
            };
            class_items(host, BaseKind::WorkerEntrypoint, "WorkerEntrypoint")
        }
        "environment" if in_table("services") => {
            // The deprecated form: the target's environments.
            let Some(Target::Found(target)) = sibling("service").map(|s| target_from(my_env, &s))
            else {
                return Vec::new();
            };
            ix.worker(target.0)
                .envs
                .iter()
                .filter_map(|e| Some((e.env.as_ref()?, e.name.clone().unwrap_or_default())))
                .map(|(env, name)| {
                    let mut it = item(
                        env,
                        CompletionKind::Worker,
                        Some(format!("environment (worker `{name}`)")),
                        ctx.range,
                        0,
                    );
                    it.documentation = Some(format!("Deprecated: prefer `service = \"{name}\"`."));
                    it
                })
                .collect()
        }
        "class_name" if in_table("durable_objects") => class_items(
            host_of(sibling("script_name")),
            BaseKind::DurableObject,
            "Durable Object",
        ),
        "class_name" if in_table("workflows") => class_items(
            host_of(sibling("script_name")),
            BaseKind::WorkflowEntrypoint,
            "WorkflowEntrypoint",
        ),
        "new_classes" | "new_sqlite_classes" | "to" if in_table("migrations") => {
            // Exported Durable Object classes the migrations have not created yet.
            let Some(id) = my_env else { return Vec::new() };
            let live = do_state(ix, id).map(|s| s.live).unwrap_or_default();
            exported_classes(ix, id, BaseKind::DurableObject)
                .into_iter()
                .filter(|(n, _)| !live.contains_key(n))
                .map(|(n, _)| {
                    item(
                        &n,
                        CompletionKind::Class,
                        Some("Durable Object class, not migrated yet".into()),
                        ctx.range,
                        0,
                    )
                })
                .collect()
        }
        "deleted_classes" | "from" if in_table("migrations") => {
            // Live classes; those no longer exported (renamed or removed in code) first.
            let Some(id) = my_env else { return Vec::new() };
            // The classes live before the step being edited.
            let migrations = ix.migrations(id).unwrap_or_default();
            let earlier = migrations
                .iter()
                .take_while(|m| m.range.end < ctx.range.start)
                .count();
            let live = replay(&migrations[..earlier]).live;
            let exported: BTreeSet<String> = exported_classes(ix, id, BaseKind::DurableObject)
                .into_iter()
                .map(|(n, _)| n)
                .collect();
            let mut names: Vec<&String> = live.keys().collect();
            names.sort();
            names
                .into_iter()
                .map(|n| {
                    let gone = !exported.contains(n);
                    item(
                        n,
                        CompletionKind::Class,
                        Some(if gone {
                            "migrated Durable Object class, no longer exported".into()
                        } else {
                            "migrated Durable Object class".into()
                        }),
                        ctx.range,
                        u8::from(!gone),
                    )
                })
                .collect()
        }
        "queue" | "dead_letter_queue" => {
            let mut queues = BTreeSet::new();
            for id in ix.env_ids() {
                queues.extend(
                    ix.queue_producers(id)
                        .iter()
                        .filter_map(|p| p.queue.as_ref())
                        .map(|q| q.value.clone()),
                );
                queues.extend(ix.queue_consumers(id).iter().map(|c| c.queue.value.clone()));
            }
            queues.extend(ix.ws.settings.external_queues.iter().cloned());
            queues
                .iter()
                .map(|q| item(q, CompletionKind::Queue, Some("queue".into()), ctx.range, 0))
                .collect()
        }
        _ => Vec::new(),
    }
}

/// Whether a receiver chain denotes the env object.
fn is_env_chain(receiver: &[String], aliases: &[String]) -> bool {
    match receiver {
        [one] => one == "env" || aliases.contains(one),
        [.., parent, last] => last == "env" && parent != "process" && parent != "meta",
        [] => false,
    }
}

fn source_completions(
    ix: &Index,
    pos: &FilePosition,
    text: &str,
    offset: u32,
) -> Vec<CompletionItem> {
    if let Some(items) = host_completions(ix, pos, text, offset) {
        return items;
    }
    let Some(m) = member_context(text, offset) else {
        return Vec::new();
    };
    let workers = workers_of_source(ix, &pos.file);
    if workers.is_empty() {
        return Vec::new();
    }
    // The names that hold env where the cursor is.
    let aliases: Vec<String> = ix
        .summary(&pos.file)
        .map(|s| {
            s.env_aliases
                .iter()
                .filter(|a| a.scope.touches(offset))
                .map(|a| a.name.clone())
                .collect()
        })
        .unwrap_or_default();
    let r = &m.receiver;
    // `env.` -> bindings.
    if is_env_chain(r, &aliases) {
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for &w in &workers {
            for (id, _) in sections(ix, w) {
                for (name, kind) in declared_bindings(ix, id) {
                    if seen.insert(name.value.clone()) {
                        let detail = match binding_target(ix, id, &name.value) {
                            Some(target) => format!("{kind} → {target}"),
                            None => kind,
                        };
                        let mut it = item(
                            &name.value,
                            CompletionKind::Binding,
                            Some(detail),
                            m.range,
                            0,
                        );
                        it.documentation = Some(describe_binding(ix, w, &name.value));
                        out.push(it);
                    }
                }
            }
            for s in &ix.worker(w).config.secrets {
                if seen.insert(s.clone()) {
                    out.push(item(
                        s,
                        CompletionKind::Binding,
                        Some("secret".into()),
                        m.range,
                        1,
                    ));
                }
            }
        }
        return out;
    }
    // `env.X.` -> RPC methods (service) ; `env.X.get(..).` / a stub const -> DO methods.
    let (binding, call) = match r.as_slice() {
        [head @ .., b] if is_env_chain(head, &aliases) => (b.clone(), CallTarget::Direct),
        [head @ .., b, getter]
            if is_env_chain(head, &aliases) && (getter == "get()" || getter == "getByName()") =>
        {
            (b.clone(), CallTarget::Stub)
        }
        // A handle a front-end knows (`const counters = yield* Counter`): `h.` calls the
        // service or class, `h.getByName(..).` a Durable Object stub.
        [h] if handle(ix, pos, offset, h).is_some() => match handle(ix, pos, offset, h) {
            Some((b, HandleKind::Binding)) => (b, CallTarget::Direct),
            Some((b, HandleKind::Stub)) => (b, CallTarget::Stub),
            None => return Vec::new(),
        },
        [h, getter] if getter == "get()" || getter == "getByName()" => {
            match handle(ix, pos, offset, h) {
                Some((b, HandleKind::Binding)) => (b, CallTarget::Stub),
                _ => return Vec::new(),
            }
        }
        [stub] => match stub_binding(text, offset, stub, &aliases) {
            Some(b) => (b, CallTarget::Stub),
            None => return Vec::new(),
        },
        _ => return Vec::new(),
    };
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for &w in &workers {
        for e in 0..ix.worker(w).envs.len() {
            let Some(class) = rpc_class(ix, (w, e), &binding, call) else {
                continue;
            };
            let class_name = ix
                .class(&class)
                .map(|d| d.name.value.clone())
                .unwrap_or_default();
            for (_, member) in ix.members(&class) {
                if !seen.insert(member.name.value.clone()) {
                    continue;
                }
                let ret = member
                    .return_type
                    .as_ref()
                    .map(|r| format!(": {r}"))
                    .unwrap_or_default();
                let mut it = item(
                    &member.name.value,
                    CompletionKind::Method,
                    Some(format!("{}{ret}", member.params)),
                    m.range,
                    0,
                );
                it.documentation = Some(format!("`{class_name}.{}` (RPC)", member.name.value));
                out.push(it);
            }
        }
    }
    let builtins = match call {
        CallTarget::Direct => FETCHER_BUILTINS,
        CallTarget::Stub => STUB_BUILTINS,
    };
    if !out.is_empty() {
        for b in builtins {
            if seen.insert(b.to_string()) {
                out.push(item(
                    b,
                    CompletionKind::Method,
                    Some("built in".into()),
                    m.range,
                    1,
                ));
            }
        }
    }
    out
}

/// The binding a local name holds a handle of where the cursor is, and what kind of handle.
fn handle(ix: &Index, pos: &FilePosition, offset: u32, name: &str) -> Option<(String, HandleKind)> {
    ix.summary(&pos.file)?
        .binding_handles
        .iter()
        .filter(|h| h.name == name && h.scope.touches(offset))
        .min_by_key(|h| h.scope.len())
        .map(|h| (h.binding.clone(), h.kind))
}

/// Inside `X.from(` where `X` names a Durable Object a front-end describes (an Alchemy tag):
/// the workers that host it, by the identifiers their tags are declared with.
fn host_completions(
    ix: &Index,
    pos: &FilePosition,
    text: &str,
    offset: u32,
) -> Option<Vec<CompletionItem>> {
    let bytes = text.as_bytes();
    let at = (offset as usize).min(bytes.len());
    let is_ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$';
    let (mut start, mut end) = (at, at);
    while start > 0 && is_ident(bytes[start - 1]) {
        start -= 1;
    }
    while end < bytes.len() && is_ident(bytes[end]) {
        end += 1;
    }
    let before = text.get(..start)?.trim_end();
    let receiver = before.strip_suffix(".from(")?.trim_end();
    let class_at = receiver.len().checked_sub(1)? as u32;
    let (Item::Class(class), _) = described_class_at(ix, &pos.file, class_at)? else {
        return None;
    };
    let range = TextRange::from_usize(start, end);
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for id in ix.env_ids().filter(|id| id.1 == 0) {
        let w = id.0;
        if !exported_classes(ix, id, BaseKind::DurableObject)
            .iter()
            .any(|(_, c)| *c == class)
        {
            continue;
        }
        let config = &ix.worker(w).config;
        let Some(summary) = ix.summary(&config.path) else {
            continue;
        };
        let top = ix.section(id).range;
        let host_name = ix.env(id).name.clone().unwrap_or_default();
        for c in summary
            .classes
            .iter()
            .filter(|c| c.described && top.contains_range(c.range))
        {
            if seen.insert(c.name.value.clone()) {
                let file = crate::project::relative(&ix.ws.root, &config.path);
                out.push(item(
                    &c.name.value,
                    CompletionKind::Worker,
                    Some(format!("hosts it: `{host_name}` ({file})")),
                    range,
                    0,
                ));
            }
        }
    }
    Some(out)
}

/// `const stub = env.X.get(...)` / `getByName(...)` (also `let`, `var`, with a type
/// annotation, with `await`): the binding `X` of the nearest such declaration of `name` before
/// the cursor.
fn stub_binding(text: &str, offset: u32, name: &str, aliases: &[String]) -> Option<String> {
    let before = text.get(..offset as usize)?;
    let mut best: Option<(usize, String)> = None;
    for decl in ["const ", "let ", "var "] {
        let needle = format!("{decl}{name}");
        let mut from = 0;
        while let Some(at) = before[from..].find(&needle) {
            let at = from + at;
            from = at + needle.len();
            let rest = &text[from..];
            // The name must end here: `const stub =` or `const stub: T =`, not `const stubs`.
            if rest.starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == '$') {
                continue;
            }
            let Some(eq) = rest.find('=') else { continue };
            let between = rest[..eq].trim();
            if between.contains([';', '\n']) || !(between.is_empty() || between.starts_with(':')) {
                continue;
            }
            let value = rest[eq + 1..].trim_start();
            let value = value.strip_prefix("await ").unwrap_or(value).trim_start();
            let line = value.split([';', '\n']).next().unwrap_or("");
            for getter in [".get(", ".getByName("] {
                let Some(g) = line.find(getter) else { continue };
                let chain: Vec<String> =
                    line[..g].split('.').map(|s| s.trim().to_string()).collect();
                if let [head @ .., b] = chain.as_slice() {
                    if is_env_chain(head, aliases) && best.as_ref().is_none_or(|(p, _)| *p < at) {
                        best = Some((at, b.clone()));
                    }
                }
            }
        }
    }
    best.map(|(_, b)| b)
}
