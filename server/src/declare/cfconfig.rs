//! Cloudflare's `cloudflare.config.ts` (`cf/config`, `@cloudflare/config`): workers declared
//! with `defineWorker` / `defineConfig({ worker })`, bindings built by `bindings.*`, Durable
//! Object state declared by `exports` (no migrations).
//!
//! Read statically: the default export's `defineConfig({ worker })` (or `defineWorker(...)`),
//! a factory `(ctx) => ({...})` whose body is one object literal, the worker as an inline
//! object or a `defineWorker` value bound to a name (also imported). Cross-worker fields
//! (`worker`, older `workerName`) are a name string or another `defineWorker` value, resolved to
//! its `name`. A factory that branches on `ctx.mode`, and values from helper calls or spreads,
//! are unknown: the model leaves them out and the rules that need them stay silent.

use super::build::Builder;
use super::expr::Expr;
use super::program::Program;
use super::{dir_of, Declared, FrontEnd};
use crate::base::{Spanned, TextRange};
use crate::config::{
    ConfigFile, ConfigFormat, DurableObjectBinding, EntrySpans, EnvSection, ExportDecl,
    QueueConsumer, QueueProducer, ServiceBinding, SimpleBinding, WorkflowBinding,
};
use std::path::Path;

/// The module paths `cf/config` is imported from.
pub const MODULES: &[&str] = &[
    "cf/config",
    "@cloudflare/config",
    "@cloudflare/config/public",
    "wrangler/experimental-config",
];

/// The workers a `cloudflare.config.ts` module declares (its default export).
pub fn read(program: &Program, path: &Path) -> Vec<Declared> {
    let Some(module) = program.module(path) else {
        return Vec::new();
    };
    let Some(default) = &module.default else {
        return Vec::new();
    };
    let mut b = Builder::new(program, path);
    let Some((file, worker)) = default_worker(&b, default) else {
        return Vec::new();
    };
    // The worker object must be written in this module for its spans to be ours.
    if file != path {
        return Vec::new();
    }
    let Some(declared) = worker_model(&mut b, worker) else {
        return Vec::new();
    };
    vec![Declared {
        frontend: FrontEnd::CfConfig,
        path: path.to_path_buf(),
        range: worker.range(),
        dir: dir_of(path),
        file: declared,
        derived: b.derived,
        modules: Vec::new(),
    }]
}

/// `defineConfig(x)` / `defineWorker(x)` / `defineContainer(x)` -> `x`, also through a factory
/// `(ctx) => x`.
fn defined<'p>(b: &Builder<'p>, expr: &'p Expr, names: &[&str]) -> Option<(&'p Path, &'p Expr)> {
    let (file, e) = b.deref(expr);
    let Expr::Call { callee, args, .. } = e else {
        return None;
    };
    let (from, path) = b.program.imported_callee(file, callee)?;
    if !MODULES.contains(&from) || !path.last().is_some_and(|n| names.contains(n)) {
        return None;
    }
    let arg = args.first()?;
    let arg = match arg {
        Expr::Arrow { body, .. } => &**body,
        other => other,
    };
    let (f2, value) = b.program.deref(file, arg);
    matches!(value, Expr::Object { .. }).then_some((f2, value))
}

/// The worker object of a default export: `defineConfig({ worker })`, or `defineWorker({...})`.
fn default_worker<'p>(b: &Builder<'p>, default: &'p Expr) -> Option<(&'p Path, &'p Expr)> {
    if let Some((file, config)) = defined(b, default, &["defineConfig"]) {
        let w = config.get("worker")?;
        let sub = Builder::new(b.program, file);
        return match defined(&sub, w, &["defineWorker"]) {
            Some(found) => Some(found),
            None => {
                let (f, e) = b.program.deref(file, w);
                matches!(e, Expr::Object { .. }).then_some((f, e))
            }
        };
    }
    defined(b, default, &["defineWorker"])
}

/// The name of the worker a cross-worker field names: a string, or a `defineWorker` value.
fn worker_name(b: &mut Builder<'_>, expr: &Expr) -> Option<Spanned<String>> {
    if let Some(s) = b.string(expr) {
        return Some(s);
    }
    let sub = Builder::new(b.program, b.file);
    let program = b.program;
    let (file, obj) = defined(&sub, expr, &["defineWorker"])?;
    let name = program.string(file, obj.get("name")?)?;
    Some(b.derive(name.value, expr.range()))
}

/// The builder a binding value is made with: `bindings.durableObject({..})` ->
/// (`durableObject`, the options object).
fn builder_call<'p>(
    b: &Builder<'p>,
    expr: &'p Expr,
    namespace: &str,
) -> Option<(&'p str, Option<&'p Expr>, TextRange)> {
    let Expr::Call { callee, args, .. } = expr.awaited() else {
        return None;
    };
    let (from, path) = b.program.imported_callee(b.file, callee)?;
    if !MODULES.contains(&from) {
        return None;
    }
    let [ns, kind] = path.as_slice() else {
        return None;
    };
    if *ns != namespace {
        return None;
    }
    let name_range = match &**callee {
        Expr::Member { property, .. } => property.range,
        other => other.range(),
    };
    Some((kind, args.first(), name_range))
}

fn worker_model(b: &mut Builder<'_>, worker: &Expr) -> Option<ConfigFile> {
    let mut top = EnvSection {
        range: worker.range(),
        ..EnvSection::default()
    };
    top.name = worker.get("name").and_then(|n| b.string(n));
    top.main = match worker.get("entrypoint") {
        Some(Expr::Str { value, range }) => Some(Spanned::new(value.clone(), *range)),
        // `import * as entrypoint from "./src/index.ts" with { type: "cf-worker" }`.
        Some(Expr::Ident { name, range }) => {
            let module = b.program.module(b.file)?;
            module
                .import(name)
                .filter(|i| i.imported == "*" && i.from.value.starts_with('.'))
                .map(|i| Spanned::new(i.from.value.clone(), *range))
        }
        _ => None,
    };
    if let Some(env) = worker.get("env") {
        bindings(b, env, &mut top);
    }
    if let Some(exports) = worker.get("exports") {
        top.exports = Some(exports_model(b, exports));
    }
    if let Some(Expr::Array { items, .. }) = worker.get("triggers") {
        let mut consumers = Vec::new();
        for t in items {
            if let Some(("queue", Some(opts), _)) = builder_call(b, t, "triggers") {
                if let Some(queue) = opts.get("name").and_then(|n| b.string(n)) {
                    consumers.push(QueueConsumer {
                        queue,
                        dead_letter_queue: opts.get("deadLetterQueue").and_then(|d| b.string(d)),
                        range: t.range(),
                    });
                }
            }
        }
        top.queue_consumers = Some(consumers);
    }
    Some(ConfigFile {
        format: ConfigFormat::TypeScript,
        syntax_errors: Vec::new(),
        key_issues: Vec::new(),
        top,
        envs: Vec::new(),
    })
}

fn bindings(b: &mut Builder<'_>, env: &Expr, top: &mut EnvSection) {
    let program = b.program;
    let (file, env) = program.deref(b.file, env);
    if file != b.file {
        return;
    }
    let Expr::Object { props, open, .. } = env else {
        top.open_bindings = true;
        return;
    };
    top.open_bindings |= *open;
    let mut services = Vec::new();
    let mut durable_objects = Vec::new();
    let mut workflows = Vec::new();
    let mut producers = Vec::new();
    let mut vars = Vec::new();
    let mut secrets = Vec::new();
    for p in props {
        let key = p.key.clone();
        let (_, value) = program.deref(b.file, &p.value);
        // `bindings.kind(opts)`, or a raw `{ type: "durable-object", ... }` object.
        let (kind, opts) = match builder_call(b, value, "bindings") {
            Some((k, o, _)) => (k.to_string(), o),
            None => match value.get("type").and_then(|t| program.string(b.file, t)) {
                Some(t) => (camel(&t.value), Some(value)),
                None => ("unknown".to_string(), None),
            },
        };
        let field = |b: &mut Builder<'_>, name: &str| {
            opts.and_then(|o| o.get(name)).and_then(|v| b.string(v))
        };
        let target = |b: &mut Builder<'_>| {
            opts.and_then(|o| o.get("worker").or_else(|| o.get("workerName")))
                .and_then(|w| worker_name(b, w))
        };
        match kind.as_str() {
            "worker" => services.push(ServiceBinding {
                binding: key,
                service: target(b),
                entrypoint: field(b, "exportName"),
                environment: None,
                remote: opts
                    .and_then(|o| o.get("dev"))
                    .and_then(|d| d.get("remote"))
                    .is_some_and(|r| matches!(r, Expr::Bool { value: true, .. })),
                range: p.range,
                entries: EntrySpans(Vec::new()),
            }),
            "durableObject" => durable_objects.push(DurableObjectBinding {
                name: key,
                class_name: field(b, "exportName"),
                script_name: target(b),
                environment: None,
                range: p.range,
            }),
            "workflow" => workflows.push(WorkflowBinding {
                binding: key,
                name: field(b, "name"),
                class_name: field(b, "exportName"),
                script_name: target(b),
                range: p.range,
            }),
            "queue" => producers.push(QueueProducer {
                binding: key,
                queue: field(b, "name"),
                range: p.range,
            }),
            "text" | "json" => vars.push(key),
            "secret" | "secretsStoreSecret" => secrets.push(key),
            other => {
                top.other_bindings
                    .entry(other.to_string())
                    .or_default()
                    .push(SimpleBinding {
                        binding: key,
                        range: p.range,
                    });
            }
        }
    }
    top.services = Some(services);
    top.durable_objects = Some(durable_objects);
    top.workflows = Some(workflows);
    top.queue_producers = Some(producers);
    top.vars = Some(vars);
    top.secrets_required = Some(secrets);
}

/// `durable-object` -> `durableObject`.
fn camel(kebab: &str) -> String {
    let mut out = String::new();
    let mut up = false;
    for c in kebab.chars() {
        if c == '-' || c == '_' {
            up = true;
        } else if up {
            out.extend(c.to_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// `exports: { Counter: exports.durableObject({ storage: "sqlite" }), Admin: exports.worker() }`.
fn exports_model(b: &mut Builder<'_>, exports: &Expr) -> Vec<ExportDecl> {
    let program = b.program;
    let (file, exports) = program.deref(b.file, exports);
    let Expr::Object { props, .. } = exports else {
        return Vec::new();
    };
    if file != b.file {
        return Vec::new();
    }
    let mut out = Vec::new();
    for p in props {
        let (_, value) = program.deref(b.file, &p.value);
        let Some((kind, opts, kind_range)) = builder_call(b, value, "exports") else {
            continue;
        };
        let kind = match kind {
            "durableObject" => "durable-object",
            "workflow" => "workflow",
            "worker" => "worker",
            // `exports.deleted()`, `exports.renamed({ renamedTo })`: older helper spellings.
            "deleted" | "renamed" | "transferred" | "expectingTransfer" => "durable-object",
            _ => continue,
        };
        let helper_state = match builder_call(b, value, "exports").map(|(k, _, _)| k) {
            Some("deleted") => Some("deleted"),
            Some("renamed") => Some("renamed"),
            Some("transferred") => Some("transferred"),
            Some("expectingTransfer") => Some("expecting-transfer"),
            _ => None,
        };
        let field = |b: &mut Builder<'_>, name: &str| {
            opts.and_then(|o| o.get(name)).and_then(|v| b.string(v))
        };
        let state =
            field(b, "state").or_else(|| helper_state.map(|s| b.derive(s.to_string(), kind_range)));
        out.push(ExportDecl {
            class: p.key.clone(),
            kind: Some(b.derive(kind.to_string(), kind_range)),
            storage: field(b, "storage"),
            state,
            renamed_to: field(b, "renamedTo"),
            range: p.range,
        });
    }
    out
}

#[cfg(test)]
mod tests;
