//! Alchemy v1 (`alchemy.run.ts`, the async generation): one program declares many workers with
//! `await Worker("id", {...})` (and the website resources that deploy one: `Vite`, `Nextjs`,
//! `BunSPA`, ...), all imported from `alchemy/cloudflare`, after `const app = await
//! alchemy("app")`.
//!
//! Read statically, as Alchemy itself resolves them (checked against
//! `alchemy-run/alchemy` `alchemy/src/cloudflare/worker.ts`, `workflow.ts`, `queue.ts`):
//! - The deployed name is `name`, else `${app}-${id}-${stage}`. The stage comes from the CLI or
//!   the environment unless `alchemy("app", { stage: "prod" })` spells it, so a default name is
//!   usually only partly known: it gets a synthetic name showing the unknown part
//!   (`shop-api-<stage>`), marked derived, which references by identity (a Worker object bound
//!   elsewhere, `scriptName: api.name`) resolve to exactly.
//! - `entrypoint` is relative to `cwd` (default: the folder of `alchemy.run.ts`); an inline
//!   `script` has no module; the old overload `Worker(id, import.meta, {...})` is the calling
//!   file itself (and binds every resource in scope: its binding set is open).
//! - The keys of `bindings` are the binding names (the older `env: { K: "v" }` are vars). A
//!   Worker object is a service binding to its name, `WorkerRef({ service })` one by literal
//!   name, `Self` one to the worker itself; `DurableObjectNamespace(id, { className,
//!   scriptName? })` (also `new`, also `Container`) is hosted by the worker it is bound to
//!   when `scriptName` is absent or names it, else cross-script; `host.bindings.KEY` is a
//!   cross-script binding to the host's binding `KEY`; `Workflow(id, { workflowName?,
//!   className?, scriptName? })` has `className = className ?? workflowName ?? id` and, since
//!   Alchemy scopes unset workflow names with the stage, a known name only when
//!   `workflowName` is spelt; `await Queue(id, { name })` is a producer of `name` (unknown
//!   when omitted); `eventSources: [queue]` / `[{ queue, settings }]` consume it.
//!   `alchemy.secret(...)` is a secret, a string a var, `KVNamespace`, `R2Bucket`, ... other
//!   bindings.
//! - Migrations are made by Alchemy at deploy ([`super::MigrationPolicy::Automatic`]).
//!
//! Anything computed (a spread, a helper call, a conditional, a value handed through a
//! `.then(...)` callback's parameters) is unknown: the binding set becomes open, or the value
//! is left out, and the rules that need it stay silent.

use super::build::Builder;
use super::expr::{Expr, Prop, TemplatePart};
use super::program::Program;
use super::{dir_of, Declared, FrontEnd};
use crate::base::{Spanned, TextRange};
use crate::config::{
    ConfigFile, ConfigFormat, DurableObjectBinding, EntrySpans, EnvSection, QueueConsumer,
    QueueProducer, ServiceBinding, SimpleBinding, WorkflowBinding,
};
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

/// The module the resources are imported from.
pub const MODULES: &[&str] = &["alchemy/cloudflare"];

/// The package whose default export is `alchemy` (`alchemy("app")`, `alchemy.secret(...)`).
const ALCHEMY: &str = "alchemy";

/// Resources that deploy a worker and take `name`, `entrypoint`, `bindings`, `eventSources`
/// like `Worker` does.
const WORKERS: &[&str] = &[
    "Worker",
    "Website",
    "Vite",
    "BunSPA",
    "StaticSite",
    "Nextjs",
    "Astro",
    "Nuxt",
    "ReactRouter",
    "Redwood",
    "SvelteKit",
    "TanStackStart",
];

/// Resources bound as a binding that only has a name across workers: the config key of the
/// equivalent wrangler binding.
const OTHER_BINDINGS: &[(&str, &str)] = &[
    ("KVNamespace", "kv_namespaces"),
    ("R2Bucket", "r2_buckets"),
    ("D1Database", "d1_databases"),
    ("Ai", "ai"),
    ("AiGateway", "ai"),
    ("Assets", "assets"),
    ("BrowserRendering", "browser"),
    ("VectorizeIndex", "vectorize"),
    ("Hyperdrive", "hyperdrive"),
    ("Pipeline", "pipelines"),
    ("RateLimit", "ratelimits"),
    ("DispatchNamespace", "dispatch_namespaces"),
    ("SecretKey", "secrets_store_secrets"),
    ("Secret", "secrets_store_secrets"),
    ("VersionMetadata", "version_metadata"),
    ("Images", "images"),
    ("AnalyticsEngineDataset", "analytics_engine_datasets"),
    ("Tunnel", "vpc_services"),
];

/// Raw binding objects (`{ type: "kv_namespace", id }`): their `type` and config key.
const RAW_TYPES: &[(&str, &str)] = &[
    ("kv_namespace", "kv_namespaces"),
    ("r2_bucket", "r2_buckets"),
    ("d1", "d1_databases"),
    ("ai", "ai"),
    ("assets", "assets"),
    ("browser", "browser"),
    ("hyperdrive", "hyperdrive"),
    ("vectorize", "vectorize"),
    ("version_metadata", "version_metadata"),
    ("analytics_engine", "analytics_engine_datasets"),
];

/// What `alchemy("app", { stage })` says.
#[derive(Clone, Debug, Default)]
struct App {
    name: Option<String>,
    stage: Option<String>,
}

/// The workers an `alchemy.run.ts` module declares, in source order.
pub fn read(program: &Program, path: &Path) -> Vec<Declared> {
    let Some(module) = program.module(path) else {
        return Vec::new();
    };
    let mut found: Vec<(&Expr, bool)> = Vec::new();
    let tops = module
        .consts
        .iter()
        .map(|(_, e)| e)
        .chain(&module.statements)
        .chain(module.default.iter());
    for e in tops {
        find_workers(program, path, e, false, &mut found);
    }
    found.sort_by_key(|(e, _)| e.range().start);
    found.dedup_by_key(|(e, _)| e.range());
    let mut out = Vec::new();
    for (call, callback) in found {
        let mut r = Reader {
            b: Builder::new(program, path),
            program,
            path,
            callback,
        };
        if let Some(d) = r.worker(call) {
            out.push(d);
        }
    }
    out
}

/// The `Worker(...)`-like calls an expression is: the call itself, or one returned by a
/// `.then(callback)` (whose parameters are unknown values).
fn find_workers<'p>(
    program: &'p Program,
    file: &Path,
    expr: &'p Expr,
    callback: bool,
    out: &mut Vec<(&'p Expr, bool)>,
) {
    let e = expr.awaited();
    if worker_call(program, file, e).is_some() {
        out.push((e, callback));
    } else if let Some(body) = then_body(e) {
        find_workers(program, file, body, true, out);
    }
}

/// `x.then(async (a) => body)` -> `body`.
fn then_body(e: &Expr) -> Option<&Expr> {
    let Expr::Call { callee, args, .. } = e.awaited() else {
        return None;
    };
    let Expr::Member { property, .. } = &**callee else {
        return None;
    };
    match (property.value.as_str(), args.first()) {
        ("then", Some(Expr::Arrow { body, .. })) => Some(body.awaited()),
        _ => None,
    }
}

/// A call of one of `alchemy/cloudflare`'s resources: its name and arguments.
fn resource<'p>(program: &'p Program, file: &Path, e: &'p Expr) -> Option<(&'p str, &'p [Expr])> {
    let (callee, args) = match e.awaited() {
        Expr::Call { callee, args, .. } | Expr::New { callee, args, .. } => (callee, args),
        _ => return None,
    };
    let (from, path) = program.imported_callee(file, callee)?;
    if !MODULES.contains(&from) {
        return None;
    }
    let [name] = path.as_slice() else {
        return None;
    };
    Some((name, args.as_slice()))
}

/// A `Worker(...)`-like call's arguments.
fn worker_call<'p>(program: &'p Program, file: &Path, e: &'p Expr) -> Option<&'p [Expr]> {
    match resource(program, file, e) {
        Some((name, args)) if WORKERS.contains(&name) => Some(args),
        _ => None,
    }
}

/// The `(id, props, import.meta overload)` of a worker call.
fn worker_parts(args: &[Expr]) -> (Option<&Expr>, Option<&Expr>, bool) {
    let id = args.first();
    // `Worker(id, import.meta, { fetch() {} })`: the old overload.
    if args.len() >= 3 {
        return (id, args.get(2), true);
    }
    (id, args.get(1), false)
}

/// The app a module's `alchemy("app", {...})` declares.
fn app_of(program: &Program, file: &Path) -> App {
    let Some(module) = program.module(file) else {
        return App::default();
    };
    let tops = module
        .consts
        .iter()
        .map(|(_, e)| e)
        .chain(&module.statements)
        .chain(module.default.iter());
    for e in tops {
        if let Some(app) = app_call(program, file, e) {
            return app;
        }
    }
    App::default()
}

/// `alchemy("app", { stage })`, if that is what `e` is.
fn app_call(program: &Program, file: &Path, e: &Expr) -> Option<App> {
    let Expr::Call { callee, args, .. } = e.awaited() else {
        return None;
    };
    let (from, path) = program.imported_callee(file, callee)?;
    if from != ALCHEMY || !path.is_empty() {
        return None;
    }
    let string = |e: Option<&Expr>| e.and_then(|e| program.string(file, e)).map(|s| s.value);
    Some(App {
        name: string(args.first()),
        stage: string(args.get(1).and_then(|o| o.get("stage"))),
    })
}

/// Alchemy's physical names keep `[A-Za-z0-9_-]` and turn anything else into `-`.
fn physical(part: &str) -> String {
    part.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// How a worker's deployed name is known.
struct Named {
    value: String,
    /// The literal spelling it in the declaring module (renames may edit it).
    literal: Option<TextRange>,
    /// Where a value that is not spelt there is spanned: the `name` value, else the id.
    at: TextRange,
}

struct Reader<'p> {
    b: Builder<'p>,
    program: &'p Program,
    /// The declaring module.
    path: &'p Path,
    /// Whether the worker is declared inside a callback: its identifiers may be parameters.
    callback: bool,
}

/// The bindings of one worker as they are read.
#[derive(Default)]
struct Bindings {
    services: Vec<ServiceBinding>,
    durable_objects: Vec<DurableObjectBinding>,
    workflows: Vec<WorkflowBinding>,
    producers: Vec<QueueProducer>,
    vars: Vec<Spanned<String>>,
    secrets: Vec<Spanned<String>>,
    others: BTreeMap<String, Vec<SimpleBinding>>,
    open: bool,
}

impl<'p> Reader<'p> {
    /// Follows an identifier of the declaring module to what it stands for, unless the
    /// worker is declared in a callback (the identifier may be a parameter).
    fn deref(&self, file: &'p Path, e: &'p Expr) -> Option<(&'p Path, &'p Expr)> {
        if self.callback && file == self.path && matches!(e.awaited(), Expr::Ident { .. }) {
            return None;
        }
        Some(self.program.deref(file, e))
    }

    /// A string value written in `file`, spanned in the declaring module: the literal itself
    /// when it is spelt there, else derived at `at`.
    fn string(&mut self, file: &Path, e: &Expr, at: TextRange) -> Option<Spanned<String>> {
        if self.callback && !matches!(e, Expr::Str { .. }) {
            return None;
        }
        let v = self.program.string(file, e)?;
        match v.literal {
            Some((f, range)) if f == self.path => Some(Spanned::new(v.value, range)),
            _ => Some(self.b.derive(v.value, at)),
        }
    }

    /// A template or expression rendered with its unknown parts as `<label>`: `None` when
    /// nothing of it is known.
    fn pattern(&self, file: &Path, e: &Expr) -> Option<String> {
        let Expr::Template { parts, .. } = e else {
            return None;
        };
        let mut out = String::new();
        let mut known = false;
        for p in parts {
            match p {
                TemplatePart::Text(t) => {
                    known |= !t.is_empty();
                    out.push_str(t);
                }
                TemplatePart::Expr(e) => match self.part(file, e) {
                    Ok(v) => {
                        known = true;
                        out.push_str(&v);
                    }
                    Err(label) => {
                        out.push('<');
                        out.push_str(&label);
                        out.push('>');
                    }
                },
            }
        }
        known.then_some(out)
    }

    /// One substitution of a template: its value, or the label of what is unknown.
    fn part(&self, file: &Path, e: &Expr) -> Result<String, String> {
        if !self.callback {
            if let Some(v) = self.program.string(file, e) {
                return Ok(v.value);
            }
        }
        if let Expr::Member {
            object, property, ..
        } = e
        {
            if let Some((f, o)) = self.deref(file, object) {
                if let Some(app) = app_call(self.program, f, o) {
                    return match property.value.as_str() {
                        "name" => app.name.ok_or_else(|| "app".to_string()),
                        "stage" => app.stage.ok_or_else(|| "stage".to_string()),
                        other => Err(format!("app.{other}")),
                    };
                }
            }
        }
        Err(e.path().map_or_else(|| "?".to_string(), |p| p.join(".")))
    }

    /// The deployed name of the worker a `Worker(...)` call in `file` declares.
    fn name_of(&self, file: &Path, args: &[Expr]) -> Named {
        let (id_expr, props, _) = worker_parts(args);
        let id = id_expr.and_then(|e| {
            if self.callback && !matches!(e, Expr::Str { .. }) {
                None
            } else {
                self.program.string(file, e)
            }
        });
        let id_range = id_expr.map_or(TextRange::default(), Expr::range);
        let name_expr = props.and_then(|p| {
            let (f, p) = self.deref(file, p)?;
            (f == file).then_some(p)?.get("name")
        });
        if let Some(n) = name_expr {
            if !self.callback || matches!(n, Expr::Str { .. }) {
                if let Some(v) = self.program.string(file, n) {
                    let literal = match v.literal {
                        Some((f, range)) if f == self.path && file == self.path => Some(range),
                        _ => None,
                    };
                    return Named {
                        value: v.value,
                        literal,
                        at: n.range(),
                    };
                }
            }
            let value = self
                .pattern(file, n)
                .unwrap_or_else(|| match self.part(file, n) {
                    Ok(v) => v,
                    // `name: app.name` with the app's name unknown, `name: NAME` from the
                    // environment.
                    Err(label) if label != "?" => format!("<{label}>"),
                    // A conditional, a helper call: nothing is known but the worker's id.
                    Err(_) => format!("<{}>", id.as_ref().map_or("?", |i| i.value.as_str())),
                });
            return Named {
                value,
                literal: None,
                at: n.range(),
            };
        }
        // `${app}-${id}-${stage}`.
        let app = app_of(self.program, file);
        let part = |v: Option<&str>, label: &str| match v {
            Some(v) => physical(v),
            None => format!("<{label}>"),
        };
        let value = format!(
            "{}-{}-{}",
            part(app.name.as_deref(), "app"),
            part(id.as_ref().map(|i| i.value.as_str()), "id"),
            part(app.stage.as_deref(), "stage")
        );
        Named {
            value,
            literal: None,
            at: id_range,
        }
    }

    /// The worker a value refers to (`api`, `await api`, `api` declared through `.then`):
    /// its module and arguments.
    fn worker_ref(&self, e: &'p Expr) -> Option<(&'p Path, &'p [Expr])> {
        let (f, v) = self.deref(self.path, e)?;
        let v = then_body(v).unwrap_or(v);
        worker_call(self.program, f, v).map(|args| (f, args))
    }

    fn worker(&mut self, call: &'p Expr) -> Option<Declared> {
        let args = worker_call(self.program, self.path, call)?;
        let (_, props_expr, overload) = worker_parts(args);
        let named = self.name_of(self.path, args);
        let name = match named.literal {
            Some(range) => Spanned::new(named.value.clone(), range),
            None => self.b.derive(named.value.clone(), named.at),
        };
        let mut top = EnvSection {
            range: call.range(),
            ..EnvSection::default()
        };
        let mut dir = dir_of(self.path);
        let props = props_expr
            .and_then(|p| self.deref(self.path, p))
            .filter(|(f, p)| *f == self.path && matches!(p, Expr::Object { .. }))
            .map(|(_, p)| p);
        let mut bindings = Bindings::default();
        match props {
            None => bindings.open = props_expr.is_some(),
            Some(props) => {
                let cwd = props.get("cwd");
                let cwd_known = match cwd {
                    None => true,
                    Some(c) => match self.program.string(self.path, c) {
                        Some(c) if !self.callback || c.literal.is_some() => {
                            match relative_dir(&dir, &c.value) {
                                Some(d) => {
                                    dir = d;
                                    true
                                }
                                None => false,
                            }
                        }
                        _ => false,
                    },
                };
                if overload {
                    // The calling module is the worker, and every resource in scope is bound.
                    top.main = self.path.file_name().map(|n| {
                        self.b
                            .derive(n.to_string_lossy().into_owned(), args[1].range())
                    });
                    dir = dir_of(self.path);
                    bindings.open = true;
                } else if cwd_known {
                    top.main = props
                        .get("entrypoint")
                        .and_then(|e| self.string(self.path, e, e.range()));
                }
                if let Some(env) = props.get("env") {
                    self.old_env(env, &mut bindings);
                }
                match props.get("bindings") {
                    None => {}
                    Some(value) => match self.deref(self.path, value) {
                        Some((
                            f,
                            Expr::Object {
                                props: list, open, ..
                            },
                        )) if f == self.path => {
                            bindings.open |= *open;
                            for p in list {
                                self.binding(p, &name, &mut bindings);
                            }
                        }
                        _ => bindings.open = true,
                    },
                }
                if let Some(sources) = props.get("eventSources") {
                    top.queue_consumers = Some(self.consumers(sources));
                }
            }
        }
        top.name = Some(name);
        top.open_bindings = bindings.open;
        top.services = Some(bindings.services);
        top.durable_objects = Some(bindings.durable_objects);
        top.workflows = Some(bindings.workflows);
        top.queue_producers = Some(bindings.producers);
        top.vars = Some(bindings.vars);
        top.secrets_required = Some(bindings.secrets);
        top.other_bindings = bindings.others;
        let b = std::mem::replace(&mut self.b, Builder::new(self.program, self.path));
        Some(Declared {
            frontend: FrontEnd::AlchemyV1,
            path: self.path.to_path_buf(),
            range: call.range(),
            dir,
            file: ConfigFile {
                format: ConfigFormat::TypeScript,
                syntax_errors: Vec::new(),
                key_issues: Vec::new(),
                top,
                envs: Vec::new(),
            },
            derived: b.derived,
            modules: Vec::new(),
        })
    }

    /// The deprecated `env: { K: "v" }`: plain-text vars.
    fn old_env(&mut self, env: &'p Expr, bindings: &mut Bindings) {
        match self.deref(self.path, env) {
            Some((f, Expr::Object { props, open, .. })) if f == self.path => {
                bindings.open |= *open;
                bindings.vars.extend(props.iter().map(|p| p.key.clone()));
            }
            _ => bindings.open = true,
        }
    }

    fn binding(&mut self, p: &'p Prop, own: &Spanned<String>, out: &mut Bindings) {
        let key = p.key.clone();
        let at = p.value.range();
        let Some((file, value)) = self.deref(self.path, &p.value) else {
            // A callback's parameter: a binding of an unknown kind.
            out.vars.push(key);
            return;
        };
        let value = value.awaited();
        if let Some(args) = {
            let v = then_body(value).unwrap_or(value);
            worker_call(self.program, file, v)
        } {
            let named = self.name_of(file, args);
            out.services
                .push(service(key, Some(self.b.derive(named.value, at)), p.range));
            return;
        }
        // `alchemy.secret(x)`, `alchemy.secret.env.X`.
        let callee = match value {
            Expr::Call { callee, .. } => &**callee,
            other => other,
        };
        if let Some((ALCHEMY, path)) = self.program.imported_callee(file, callee) {
            if path.first() == Some(&"secret") {
                out.secrets.push(key);
                return;
            }
        }
        if let Some((MODULES_CLOUDFLARE, path)) = self.program.imported_callee(file, value) {
            if path == ["Self"] {
                let own = self.b.derive(own.value.clone(), at);
                out.services.push(service(key, Some(own), p.range));
                return;
            }
        }
        if let Some(host) = self.host_binding(value) {
            self.hosted(key, host, at, p.range, out);
            return;
        }
        let Some((kind, args)) = resource(self.program, file, value) else {
            match value {
                Expr::Object { .. } => {
                    let raw = value
                        .get("type")
                        .and_then(|t| self.program.string(file, t))
                        .and_then(|t| RAW_TYPES.iter().find(|(r, _)| *r == t.value))
                        .map(|(_, k)| *k);
                    match raw {
                        Some(kind) => other(out, kind, key, p.range),
                        None => out.vars.push(key),
                    }
                }
                // A string, a number, `process.env.X ?? "d"`, a helper's result: a var (or a
                // binding of a kind nothing can tell).
                _ => out.vars.push(key),
            }
            return;
        };
        let opts = args.get(1);
        let field = |r: &mut Self, name: &str| -> Option<Spanned<String>> {
            let v = opts?.get(name)?;
            r.string(file, v, at)
        };
        match kind {
            "DurableObjectNamespace" | "Container" => {
                let class_name = field(self, "className");
                let script_name = self.script_name(file, opts, at);
                out.durable_objects.push(DurableObjectBinding {
                    name: key,
                    class_name,
                    script_name,
                    environment: None,
                    range: p.range,
                });
            }
            "Workflow" => {
                let name = field(self, "workflowName");
                let class_name = field(self, "className").or_else(|| {
                    name.clone().map(|n| {
                        // Spelt by `workflowName`: a class rename must not rewrite it.
                        self.b.derive(n.value, n.range)
                    })
                });
                let class_name = class_name.or_else(|| {
                    let id = args.first()?;
                    let v = self.program.string(file, id)?;
                    Some(
                        self.b
                            .derive(v.value, if file == self.path { id.range() } else { at }),
                    )
                });
                let script_name = self.script_name(file, opts, at);
                out.workflows.push(WorkflowBinding {
                    binding: key,
                    name,
                    class_name,
                    script_name,
                    range: p.range,
                });
            }
            "Queue" => {
                let queue = self.queue_name(file, value, at);
                out.producers.push(QueueProducer {
                    binding: key,
                    queue,
                    range: p.range,
                });
            }
            "WorkerRef" => {
                let target = args
                    .first()
                    .and_then(|o| o.get("service"))
                    .and_then(|s| self.string(file, s, at));
                out.services.push(service(key, target, p.range));
            }
            "Json" => out.vars.push(key),
            kind => match OTHER_BINDINGS.iter().find(|(k, _)| *k == kind) {
                Some((_, config_key)) => other(out, config_key, key, p.range),
                None => out.vars.push(key),
            },
        }
    }

    /// A `scriptName`: absent (hosted here), a string, or another worker's `.name`.
    fn script_name(
        &mut self,
        file: &'p Path,
        opts: Option<&'p Expr>,
        at: TextRange,
    ) -> Option<Spanned<String>> {
        let s = opts?.get("scriptName")?;
        if let Some(v) = self.string(file, s, at) {
            return Some(v);
        }
        // `scriptName: host.name`.
        if let Expr::Member {
            object, property, ..
        } = s
        {
            if property.value == "name" && file == self.path {
                if let Some((f, args)) = self.worker_ref(object) {
                    let named = self.name_of(f, args);
                    return Some(self.b.derive(named.value, s.range()));
                }
            }
        }
        // Computed: a host that is not this worker, whose name is not known.
        let value = self
            .pattern(file, s)
            .unwrap_or_else(|| "<scriptName>".to_string());
        Some(
            self.b
                .derive(value, if file == self.path { s.range() } else { at }),
        )
    }

    /// The name of the queue a `Queue(id, { name })` value makes, spanned at the reference.
    fn queue_name(&mut self, file: &Path, queue: &Expr, at: TextRange) -> Option<Spanned<String>> {
        let (_, args) = resource(self.program, file, queue).filter(|(k, _)| *k == "Queue")?;
        let name = args.get(1)?.get("name")?;
        if self.callback && !matches!(name, Expr::Str { .. }) {
            return None;
        }
        let v = self.program.string(file, name)?;
        Some(self.b.derive(v.value, at))
    }

    /// `host.bindings.KEY`: the host worker's module, arguments and the bound value.
    fn host_binding(&self, value: &'p Expr) -> Option<HostBinding<'p>> {
        let Expr::Member {
            object, property, ..
        } = value
        else {
            return None;
        };
        let Expr::Member {
            object: host,
            property: bindings,
            ..
        } = &**object
        else {
            return None;
        };
        if bindings.value != "bindings" {
            return None;
        }
        let (file, args) = self.worker_ref(host)?;
        let (_, props, _) = worker_parts(args);
        let (pf, props) = self.program.deref(file, props?);
        let (bf, list) = self.program.deref(pf, props.get("bindings")?);
        let bound = list.get(&property.value)?;
        let (vf, value) = self.program.deref(bf, bound);
        Some(HostBinding {
            file,
            args,
            value_file: vf,
            value: value.awaited(),
        })
    }

    /// A binding to a host's Durable Object or workflow (`carts.bindings.CARTS`): a
    /// cross-script binding to that host (or to the host's own `scriptName`).
    fn hosted(
        &mut self,
        key: Spanned<String>,
        host: HostBinding<'p>,
        at: TextRange,
        range: TextRange,
        out: &mut Bindings,
    ) {
        let program = self.program;
        let Some((kind, args)) = resource(program, host.value_file, host.value) else {
            out.vars.push(key);
            return;
        };
        let opts = args.get(1);
        let text = |name: &str| {
            opts.and_then(|o| o.get(name))
                .and_then(|v| program.string(host.value_file, v))
                .map(|v| v.value)
        };
        // The host re-exports its own bindings with `scriptName` = its name.
        let host_name = self.name_of(host.file, host.args).value;
        let script = match opts.and_then(|o| o.get("scriptName")) {
            None => Some(host_name),
            Some(_) => text("scriptName"),
        };
        let Some(script) = script else {
            // A computed `scriptName` on the host: somewhere unknown.
            out.vars.push(key);
            return;
        };
        let script_name = Some(self.b.derive(script, at));
        match kind {
            "DurableObjectNamespace" | "Container" => {
                let class_name = text("className").map(|c| self.b.derive(c, at));
                out.durable_objects.push(DurableObjectBinding {
                    name: key,
                    class_name,
                    script_name,
                    environment: None,
                    range,
                });
            }
            "Workflow" => {
                let name = text("workflowName");
                let class_name = text("className")
                    .or_else(|| name.clone())
                    .or_else(|| {
                        args.first()
                            .and_then(|i| program.string(host.value_file, i))
                            .map(|v| v.value)
                    })
                    .map(|c| self.b.derive(c, at));
                let name = name.map(|n| self.b.derive(n, at));
                out.workflows.push(WorkflowBinding {
                    binding: key,
                    name,
                    class_name,
                    script_name,
                    range,
                });
            }
            kind => match OTHER_BINDINGS.iter().find(|(k, _)| *k == kind) {
                Some((_, config_key)) => other(out, config_key, key, range),
                None => out.vars.push(key),
            },
        }
    }

    /// `eventSources: [queue, { queue, settings: { deadLetterQueue } }]`: the queues this
    /// worker consumes, spanned at each reference.
    fn consumers(&mut self, sources: &'p Expr) -> Vec<QueueConsumer> {
        let mut out = Vec::new();
        let Some((f, Expr::Array { items, .. })) = self.deref(self.path, sources) else {
            return out;
        };
        if f != self.path {
            return out;
        }
        for item in items {
            let (queue_ref, dlq_ref) = match item {
                Expr::Object { .. } => (
                    item.get("queue"),
                    item.get("settings").and_then(|s| s.get("deadLetterQueue")),
                ),
                other => (Some(other), None),
            };
            let Some(queue_ref) = queue_ref else { continue };
            let Some(queue) = self.queue_at(queue_ref) else {
                continue;
            };
            let dead_letter_queue = dlq_ref.and_then(|d| {
                self.queue_at(d)
                    .or_else(|| self.string(self.path, d, d.range()))
            });
            out.push(QueueConsumer {
                queue,
                dead_letter_queue,
                range: item.range(),
            });
        }
        out
    }

    /// The name of the queue a reference in the declaring module stands for.
    fn queue_at(&mut self, reference: &'p Expr) -> Option<Spanned<String>> {
        let (f, q) = self.deref(self.path, reference)?;
        self.queue_name(f, q, reference.range())
    }
}

/// The module specifier `Self` and the resources are imported from, as a pattern.
const MODULES_CLOUDFLARE: &str = "alchemy/cloudflare";

/// A binding of another worker reached through `host.bindings.KEY`.
struct HostBinding<'p> {
    file: &'p Path,
    args: &'p [Expr],
    value_file: &'p Path,
    value: &'p Expr,
}

fn service(
    binding: Spanned<String>,
    target: Option<Spanned<String>>,
    range: TextRange,
) -> ServiceBinding {
    ServiceBinding {
        binding,
        service: target,
        entrypoint: None,
        environment: None,
        remote: false,
        range,
        entries: EntrySpans(Vec::new()),
    }
}

fn other(out: &mut Bindings, config_key: &str, binding: Spanned<String>, range: TextRange) {
    out.others
        .entry(config_key.to_string())
        .or_default()
        .push(SimpleBinding { binding, range });
}

/// `cwd` joined to the program's folder, when it stays a plain relative path.
fn relative_dir(base: &Path, cwd: &str) -> Option<PathBuf> {
    let rel = Path::new(cwd);
    let mut out = base.to_path_buf();
    for c in rel.components() {
        match c {
            Component::CurDir => {}
            Component::Normal(p) => out.push(p),
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            _ => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests;
