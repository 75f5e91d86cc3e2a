//! Alchemy's Effect generation ("Alchemy v2": `alchemy/Cloudflare`, `Alchemy.Stack`): workers,
//! Durable Objects and workflows declared as Effect tag classes or calls, linked by object
//! identity (imports), never by name.
//!
//! Read statically from a stack module and the modules it imports:
//! - Workers: tag classes `class A extends Cloudflare.Worker<A, Shape, Deps>()("A", props?, impl?)`
//!   with `A.make(impl)` (props on the tag) or `A.make(props, impl)` (newest), the inline form
//!   `Cloudflare.Worker("A", props, Effect.gen(...))`, the async form
//!   `Cloudflare.Worker("A", { main, env })` (also `bindings:`, `Cloudflare.Website.*`), props
//!   given as an `Effect.gen` that returns them. `main: import.meta.url` (or `.filename`) is the
//!   declaring module; a path is relative to the stack's folder.
//! - Deployed names end in a random suffix: unless `name:` is a literal, a worker gets the
//!   stand-in name `<Stack>-<Id>-<stage>` (a placeholder, so never judged as a name), spanned at its id and
//!   derived, used only to link references by identity.
//! - Durable Objects: tags `Cloudflare.DurableObjectNamespace<Self, Shape>()("Name")` (newer
//!   `Cloudflare.DurableObject`, RPC variants): `Name` is the binding, class and export name.
//!   A worker hosts a tag when it lists it in `Deps`, provides its `make(...)` layer, or yields
//!   an inline-implemented one. `yield* X` and `yield* X.from(Self)` bind the local namespace,
//!   `X.from(W)` binds `W`'s (cross-script). Async workers bind
//!   `Cloudflare.DurableObject("X", { className?, scriptName?: host.workerName })` with a plain
//!   `extends DurableObject` class in the main module.
//! - Workflows: tags `Cloudflare.Workflow<Self>()("Name", impl)`, hosted by the worker that
//!   yields them; async `Cloudflare.Workflow("Name", { className?, scriptName? })`. Their
//!   account-wide name is derived from the host's script name and the class (the newest source:
//!   `Workflows/WorkflowName.ts`, `${scriptName}-${className}` + a hash), so two hosts never share
//!   one and no stage collides with another.
//! - Service bindings: `yield* Cloudflare.bindWorker(W)` (`Cloudflare.Workers.bindWorker`,
//!   `Cloudflare.RpcWorker.bind`), named after `W`'s id; async `env: { X: w }` and
//!   `Cloudflare.WorkerEntrypoint(w, "Name" | { entrypoint })`.
//! - Queues: `Cloudflare.Queue.Queue("Q")` (`Queues.Queue`, older `Cloudflare.Queue("Q")`), named
//!   like workers; consumers by `Queue.messages(q).subscribe(...)` in a worker's implementation or
//!   `Queue.Consumer("C", { queueId: q.queueId, scriptName: w.workerName })`; producers in `env`.
//! - Other resources (`D1`, `KV`, `R2`, ...) as bindings of async workers.
//!
//! RPC surfaces (the Shape type argument, inline or an interface, and the keys of the object the
//! implementation returns) are given to the index as classes of the declaring modules
//! ([`ModuleFacts`]), hosted classes as exports of the host's main module, and the calls on the
//! handles Effect code gets from `yield*` (`counters.getByName(k).m()`) as calls on the binding.
//! Migrations are automatic ([`FrontEnd::migrations`]). Anything computed (layers chosen at run
//! time, classes made by helpers, props from `Config`) is left out, and the rules stay silent.

use super::expr::{ClassValue, Expr, Stmt, TypeExpr};
use super::program::Program;
use super::Declared;
use crate::base::{Spanned, TextRange};
use crate::source::FileSummary;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Whether a module specifier is Alchemy v2's Cloudflare API (every generation and package
/// name: `alchemy/Cloudflare`, `alchemy/Cloudflare/Workers`, the fork, the old package).
pub fn is_cloudflare_module(spec: &str) -> bool {
    [
        "alchemy/Cloudflare",
        "alchemy-effect/Cloudflare",
        "@oddlynew/alchemy/Cloudflare",
    ]
    .iter()
    .any(|p| spec == *p || spec.strip_prefix(p).is_some_and(|r| r.starts_with('/')))
}

/// Whether a module specifier exports Alchemy v2's `Stack`.
fn is_stack_module(spec: &str) -> bool {
    matches!(
        spec,
        "alchemy" | "alchemy/Stack" | "alchemy-effect" | "@oddlynew/alchemy"
    )
}

/// How deep identifiers, layers and nested implementations are followed.
const MAX_DEPTH: usize = 16;

/// The workers a stack module (and what it imports) declares.
pub fn read(program: &Program, candidate: &Path) -> Vec<Declared> {
    let Some(module) = program.module(candidate) else {
        return Vec::new();
    };
    let mut r = Reader {
        program,
        stack: stack_name(program, candidate).unwrap_or_else(|| "<stack>".to_string()),
        stack_dir: super::dir_of(candidate),
        tags: Vec::new(),
        workers: Vec::new(),
        consumers: Vec::new(),
        catalog: HashMap::new(),
        makes: HashMap::new(),
        facts: BTreeMap::new(),
    };
    let _ = module;
    let modules = r.modules_of(candidate);
    for m in &modules {
        r.scan_tags(m);
    }
    for m in &modules {
        r.scan_makes(m);
    }
    for m in &modules {
        r.scan_declarations(m);
    }
    r.workers_from_tags();
    r.build()
}

/// `export default Alchemy.Stack("Name", ...)`: the stack's name.
fn stack_name(program: &Program, file: &Path) -> Option<String> {
    let (f, call) = stack_call(program, file)?;
    let Expr::Call { args, .. } = call else {
        return None;
    };
    program.string(f, args.first()?).map(|s| s.value)
}

fn stack_call<'p>(program: &'p Program, file: &'p Path) -> Option<(&'p Path, &'p Expr)> {
    let module = program.module(file)?;
    let (f, e) = program.deref(file, module.default.as_ref()?);
    let Expr::Call { callee, .. } = e else {
        return None;
    };
    let (spec, path) = program.imported_callee(f, callee)?;
    (is_stack_module(spec) && path.last() == Some(&"Stack")).then_some((f, e))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TagKind {
    Worker,
    DurableObject,
    Workflow,
}

/// A tag class: `class X extends Cloudflare.Worker<X, Shape, Deps>()("Id", ...) {}`.
struct Tag<'p> {
    kind: TagKind,
    /// An RPC worker or Durable Object: its surface is an Effect RPC group (not read).
    rpc: bool,
    file: &'p Path,
    class: &'p ClassValue,
    /// The logical id: for a Durable Object or workflow also its binding, class and export name.
    id: Option<String>,
    /// Where the id is spelt (in `file`), when it is a literal there.
    id_range: Option<TextRange>,
    type_args: &'p [TypeExpr],
    args: &'p [Expr],
    /// The `X.make(...)` call: (module, call, its arguments).
    make: Option<(&'p Path, &'p Expr, &'p [Expr])>,
}

impl<'p> Tag<'p> {
    /// The props and implementation: on the tag (`("Id", props, impl)`, `("Name", impl)`) or
    /// given to `make` (`make(impl)`, `make(props, impl)`).
    fn props(&self) -> Option<(&'p Path, &'p Expr)> {
        if let Some((f, _, args)) = self.make {
            if args.len() >= 2 {
                return Some((f, &args[0]));
            }
        }
        match self.kind {
            TagKind::Worker => self
                .args
                .get(1)
                .filter(|a| !is_effect_like(a))
                .map(|a| (self.file, a)),
            _ => self
                .args
                .get(1)
                .filter(|a| matches!(a, Expr::Object { .. }))
                .map(|a| (self.file, a)),
        }
    }

    fn implementation(&self) -> Option<(&'p Path, &'p Expr)> {
        let inline = match self.kind {
            TagKind::Worker => self.args.get(2),
            _ => self.args.get(1).filter(|a| is_effect_like(a)),
        };
        if let Some(i) = inline {
            return Some((self.file, i));
        }
        let (f, _, args) = self.make?;
        args.last().map(|a| (f, a))
    }

    /// Whether the implementation is written on the tag (yielding the tag runs it).
    fn inline_impl(&self) -> bool {
        match self.kind {
            TagKind::Worker => self.args.len() >= 3,
            _ => self.args.get(1).is_some_and(is_effect_like),
        }
    }

    /// The Shape type argument (`Worker<Self, Shape, Deps>`, `DurableObject<Self, Shape>`).
    fn shape(&self) -> Option<&'p TypeExpr> {
        if self.rpc {
            return None;
        }
        self.type_args.get(1)
    }

    /// The `Deps` type argument of a worker tag, as its members (`A | B`).
    fn deps(&self) -> Vec<&'p TypeExpr> {
        if self.kind != TagKind::Worker {
            return Vec::new();
        }
        // `RpcWorker<Self, Deps>` has no Shape argument.
        let at = if self.rpc { 1 } else { 2 };
        match self.type_args.get(at) {
            Some(TypeExpr::Union { items, .. }) => items.iter().collect(),
            Some(t) => vec![t],
            None => Vec::new(),
        }
    }
}

/// An `Effect.gen(...)` (or a `.pipe(...)` of one): an implementation, not props.
fn is_effect_like(e: &Expr) -> bool {
    match e {
        Expr::Call { callee, .. } => match &**callee {
            Expr::Member {
                object, property, ..
            } => {
                property.value == "pipe" && is_effect_like(object)
                    || matches!(property.value.as_str(), "gen" | "fn" | "fnUntraced")
                        && object.path().is_some_and(|p| p.last() == Some(&"Effect"))
            }
            _ => false,
        },
        _ => false,
    }
}

/// A worker of the stack.
struct WorkerDecl<'p> {
    id: Option<String>,
    /// The tag it is declared by, or the inline call.
    tag: Option<usize>,
    props: Option<(&'p Path, &'p Expr)>,
    /// Locals the props are written among (a worker declared inside the stack's body).
    props_locals: Locals<'p>,
    imp: Option<(&'p Path, &'p Expr)>,
    /// The module that declares it: every span of its model is in it.
    path: &'p Path,
    range: TextRange,
    /// Where model values that come from elsewhere are spanned (its id, or its declaration).
    anchor: TextRange,
}

/// Names bound in enclosing functions: to their value, or `None` for a parameter (unknown).
#[derive(Clone, Default)]
struct Locals<'p>(Vec<(&'p str, Option<&'p Expr>)>);

impl<'p> Locals<'p> {
    fn get(&self, name: &str) -> Option<Option<&'p Expr>> {
        self.0
            .iter()
            .rev()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| *v)
    }
    fn push(&mut self, name: &'p str, value: Option<&'p Expr>) {
        self.0.push((name, value));
    }
}

/// What an expression denotes among the stack's declarations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Entity {
    Worker(usize),
    /// A Durable Object or workflow tag.
    Tag(usize),
}

/// An explicit queue consumer: `Queue.Consumer("C", { queueId: q.queueId, scriptName })`.
struct ConsumerDecl<'p> {
    file: &'p Path,
    queue: Spanned<String>,
    worker: usize,
    range: TextRange,
}

/// A handle Effect code holds: what calls on it reach.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Handle {
    /// A service binding (`bindWorker`): `h.m()` calls the target.
    Service(String),
    /// A Durable Object namespace: `h.getByName(k)` is a stub.
    Namespace(String),
    /// A Durable Object stub: `h.m()` calls the class.
    Stub(String),
    /// `const f = () => h.getByName(k)`: `f().m()` calls the class.
    StubFactory(String),
}

/// A binding an Effect worker's implementation makes, before hosts are known.
enum Raw {
    DurableObject {
        tag: usize,
        /// The worker hosting the namespace: `None` for the local one.
        host: Option<usize>,
        name: TextRange,
        class: TextRange,
        script: Option<TextRange>,
    },
    Workflow {
        tag: usize,
        at: TextRange,
    },
    Service {
        target: usize,
        /// The `bindWorker(W)` call, and its `W`.
        name: TextRange,
        service: TextRange,
    },
    Consumer {
        queue: String,
        at: TextRange,
    },
}

/// What one worker's implementation binds and hosts.
#[derive(Default)]
struct Effects {
    raw: Vec<Raw>,
    /// Tags it hosts (provides their implementation, yields an inline one, lists in `Deps`),
    /// with the span of the evidence in the worker's module.
    hosts: Vec<(usize, TextRange)>,
    /// A provided layer could not be read: it may host anything.
    open: bool,
    /// The implementation could not be read at all.
    unknown: bool,
}

struct Reader<'p> {
    program: &'p Program,
    stack: String,
    stack_dir: PathBuf,
    tags: Vec<Tag<'p>>,
    workers: Vec<WorkerDecl<'p>>,
    consumers: Vec<ConsumerDecl<'p>>,
    /// (module, range of the class or call) -> what it declares.
    catalog: HashMap<(PathBuf, TextRange), Entity>,
    /// (module, range of a `X.make(...)` call) -> the tag.
    makes: HashMap<(PathBuf, TextRange), usize>,
    /// What the index should know of modules beyond their summaries.
    facts: BTreeMap<PathBuf, FileSummary>,
}

/// A Cloudflare API a call or value names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Api {
    Worker {
        website: bool,
        rpc: bool,
    },
    DurableObject {
        rpc: bool,
    },
    Workflow,
    BindWorker,
    WorkerEntrypoint,
    Queue,
    QueueConsumer,
    Messages,
    /// Another resource bound under a config key (`d1_databases`, ...).
    Resource(&'static str),
    /// Anything else of the Cloudflare API (a binding layer, a helper).
    Other,
}

fn classify(path: &[&str]) -> Api {
    let last = path.last().copied().unwrap_or("");
    let prev = if path.len() >= 2 {
        path[path.len() - 2]
    } else {
        ""
    };
    match (prev, last) {
        ("Website", _) => Api::Worker {
            website: true,
            rpc: false,
        },
        ("RpcWorker", "bind") => Api::BindWorker,
        (_, "Worker") => Api::Worker {
            website: false,
            rpc: false,
        },
        (_, "RpcWorker") => Api::Worker {
            website: false,
            rpc: true,
        },
        (_, "DurableObjectNamespace" | "DurableObject") => Api::DurableObject { rpc: false },
        (_, "RpcDurableObjectNamespace" | "RpcDurableObject") => Api::DurableObject { rpc: true },
        (_, "Workflow") => Api::Workflow,
        (_, "bindWorker") => Api::BindWorker,
        (_, "WorkerEntrypoint") => Api::WorkerEntrypoint,
        ("Queue" | "Queues", "Queue") | ("" | "Cloudflare", "Queue") => Api::Queue,
        ("Queue" | "Queues", "Consumer") | (_, "QueueConsumer") => Api::QueueConsumer,
        (_, "messages") => Api::Messages,
        ("D1", "Database") | (_, "D1Database") => Api::Resource("d1_databases"),
        ("KV", "Namespace") | (_, "KVNamespace") => Api::Resource("kv_namespaces"),
        ("R2", "Bucket") | (_, "R2Bucket") => Api::Resource("r2_buckets"),
        ("Hyperdrive", _) | (_, "Hyperdrive") => Api::Resource("hyperdrive"),
        (_, "AI") => Api::Resource("ai"),
        ("Email", "SendEmail") | (_, "SendEmail") => Api::Resource("send_email"),
        ("Vectorize", _) => Api::Resource("vectorize"),
        (_, "Container") => Api::Resource("containers"),
        _ => Api::Other,
    }
}

impl<'p> Reader<'p> {
    /// The Cloudflare API a callee of `file` names.
    fn api(&self, file: &Path, callee: &'p Expr) -> Option<Api> {
        let (spec, path) = self.program.imported_callee(file, callee)?;
        is_cloudflare_module(spec).then(|| classify(&path))
    }

    /// The stack module and every module it imports (relative imports), in a stable order.
    fn modules_of(&self, candidate: &'p Path) -> Vec<&'p Path> {
        let mut seen: HashSet<&Path> = HashSet::new();
        let mut out = Vec::new();
        let mut stack = vec![candidate];
        while let Some(f) = stack.pop() {
            let Some((path, module)) = self.program.modules.get_key_value(f) else {
                continue;
            };
            if !seen.insert(path.as_path()) {
                continue;
            }
            out.push(path.as_path());
            let specs = module
                .imports
                .iter()
                .map(|i| i.from.value.as_str())
                .chain(module.reexports.iter().map(|(_, _, s)| s.as_str()));
            for s in specs {
                if let Some(t) = self.program.resolve(path, s) {
                    stack.push(t);
                }
            }
        }
        out.sort();
        out
    }

    fn imports_cloudflare(&self, file: &Path) -> bool {
        self.program.module(file).is_some_and(|m| {
            m.imports
                .iter()
                .any(|i| is_cloudflare_module(&i.from.value))
        })
    }

    /// Tag classes of a module.
    fn scan_tags(&mut self, file: &'p Path) {
        if !self.imports_cloudflare(file) {
            return;
        }
        let program = self.program;
        let Some(module) = program.module(file) else {
            return;
        };
        for class in &module.classes {
            let Some(Expr::Call {
                callee: factory,
                args,
                ..
            }) = &class.heritage
            else {
                continue;
            };
            let Expr::Call {
                callee,
                args: none,
                type_args,
                ..
            } = &**factory
            else {
                continue;
            };
            if !none.is_empty() {
                continue;
            }
            let (kind, rpc) = match self.api(file, callee) {
                Some(Api::Worker {
                    rpc,
                    website: false,
                }) => (TagKind::Worker, rpc),
                Some(Api::DurableObject { rpc }) => (TagKind::DurableObject, rpc),
                Some(Api::Workflow) => (TagKind::Workflow, false),
                _ => continue,
            };
            let id = args.first().and_then(|a| program.string(file, a));
            let id_range = id.as_ref().and_then(|s| match &s.literal {
                Some((f, r)) if f == file => Some(*r),
                _ => None,
            });
            let index = self.tags.len();
            self.tags.push(Tag {
                kind,
                rpc,
                file,
                class,
                id: id.map(|s| s.value),
                id_range,
                type_args,
                args,
                make: None,
            });
            self.catalog
                .insert((file.to_path_buf(), class.range), Entity::Tag(index));
        }
    }

    /// The tag a `X` of `file` names.
    fn tag_named(&self, file: &'p Path, name: &str) -> Option<usize> {
        let (f, class) = self.program.class(file, name)?;
        match self.catalog.get(&(f.to_path_buf(), class.range)) {
            Some(Entity::Tag(t)) => Some(*t),
            _ => None,
        }
    }

    /// `X.make(...)` calls at the top level of a module.
    fn scan_makes(&mut self, file: &'p Path) {
        let program = self.program;
        let Some(module) = program.module(file) else {
            return;
        };
        let values = module
            .consts
            .iter()
            .map(|(_, e)| e)
            .chain(module.default.iter())
            .chain(module.statements.iter());
        for v in values {
            let v = v.awaited();
            let Expr::Call { callee, args, .. } = v else {
                continue;
            };
            let Expr::Member {
                object, property, ..
            } = &**callee
            else {
                continue;
            };
            let Expr::Ident { name, .. } = &**object else {
                continue;
            };
            if property.value != "make" {
                continue;
            }
            let Some(t) = self.tag_named(file, name) else {
                continue;
            };
            self.makes.insert((file.to_path_buf(), v.range()), t);
            if self.tags[t].make.is_none() {
                self.tags[t].make = Some((file, v, args));
            }
        }
    }

    /// Inline and async workers, explicit queue consumers: at the top level of each module
    /// and in the stack's body.
    fn scan_declarations(&mut self, file: &'p Path) {
        if !self.imports_cloudflare(file) {
            return;
        }
        let program = self.program;
        let Some(module) = program.module(file) else {
            return;
        };
        let top = Locals::default();
        let values: Vec<&'p Expr> = module
            .consts
            .iter()
            .map(|(_, e)| e)
            .chain(module.default.iter())
            .chain(module.statements.iter())
            .collect();
        for v in values {
            self.declaration(file, v, &top);
        }
        // The stack's body: `const w = yield* Cloudflare.Worker("W", {...})`.
        if let Some((f, Expr::Call { args, .. })) = stack_call(program, file) {
            if f == file {
                if let Some((_, Expr::Function { statements, .. })) =
                    args.get(2).and_then(|i| self.gen_function(file, i))
                {
                    {
                        let mut locals = Locals::default();
                        for s in statements {
                            match s {
                                Stmt::Const { name, value, .. } => {
                                    self.declaration(file, value, &locals);
                                    if let Some(n) = name {
                                        locals.push(&n.value, Some(value));
                                    }
                                }
                                Stmt::Expr(e) => self.declaration(file, e, &locals),
                                Stmt::Return { .. } => {}
                            }
                        }
                    }
                }
            }
        }
    }

    /// Records the worker or consumer a value declares, if any.
    fn declaration(&mut self, file: &'p Path, value: &'p Expr, locals: &Locals<'p>) {
        let call = strip(value);
        let Expr::Call { callee, args, .. } = call else {
            return;
        };
        match self.api(file, callee) {
            Some(Api::Worker { .. }) => {
                let Some(id) = args.first() else { return };
                // A tag factory call (`Worker<A>()`) is not a worker.
                if matches!(callee.as_ref(), Expr::Call { .. }) {
                    return;
                }
                let id_str = self.program.string(file, id);
                let anchor = match &id_str {
                    Some(s) if s.literal.as_ref().is_some_and(|(f, _)| f == file) => {
                        s.literal.as_ref().map(|(_, r)| *r).unwrap_or(id.range())
                    }
                    _ => id.range(),
                };
                let index = self.workers.len();
                self.workers.push(WorkerDecl {
                    id: id_str.map(|s| s.value),
                    tag: None,
                    props: args.get(1).map(|p| (file, p)),
                    props_locals: locals.clone(),
                    imp: args.get(2).map(|i| (file, i)),
                    path: file,
                    range: call.range(),
                    anchor,
                });
                self.catalog
                    .insert((file.to_path_buf(), call.range()), Entity::Worker(index));
            }
            Some(Api::QueueConsumer) => {
                let Some(opts) = args.get(1) else { return };
                let (Some(queue_id), Some(script)) = (opts.get("queueId"), opts.get("scriptName"))
                else {
                    return;
                };
                // `q.queueId`: the queue `q` names.
                let Expr::Member {
                    object, property, ..
                } = queue_id
                else {
                    return;
                };
                if property.value != "queueId" {
                    return;
                }
                let Some(queue) = self.queue_name(file, object, locals) else {
                    return;
                };
                let Some(worker) = self.worker_of_name_ref(file, script, locals) else {
                    return;
                };
                self.consumers.push(ConsumerDecl {
                    file,
                    queue: Spanned::new(queue, queue_id.range()),
                    worker,
                    range: call.range(),
                });
            }
            _ => {}
        }
    }

    /// Workers declared by tags (after their `make` calls are known).
    fn workers_from_tags(&mut self) {
        for (t, tag) in self.tags.iter().enumerate() {
            if tag.kind != TagKind::Worker {
                continue;
            }
            let (path, range) = match tag.make {
                Some((f, call, _)) if f == tag.file => (
                    f,
                    TextRange::new(
                        tag.class.range.start.min(call.range().start),
                        tag.class.range.end.max(call.range().end),
                    ),
                ),
                Some((f, call, _)) => (f, call.range()),
                None => (tag.file, tag.class.range),
            };
            let anchor = match (path == tag.file, tag.id_range, tag.make) {
                (true, Some(r), _) => r,
                (true, None, _) => tag.class.name.range,
                // `X.make` in another module: the `X` of the call.
                (false, _, Some((_, Expr::Call { callee, .. }, _))) => match &**callee {
                    Expr::Member { object, .. } => object.range(),
                    other => other.range(),
                },
                (false, _, _) => range,
            };
            let index = self.workers.len();
            self.workers.push(WorkerDecl {
                id: tag.id.clone(),
                tag: Some(t),
                props: tag.props(),
                props_locals: Locals::default(),
                imp: tag.implementation(),
                path,
                range,
                anchor,
            });
            self.catalog.insert(
                (tag.file.to_path_buf(), tag.class.range),
                Entity::Worker(index),
            );
        }
    }

    // ----- following values -----

    /// Follows identifiers (locals first, then the module's consts and imports), `await` and
    /// `yield*` to the expression they stand for. Returns its module and whether it is still
    /// among `locals`.
    fn follow(
        &self,
        file: &'p Path,
        expr: &'p Expr,
        locals: &Locals<'p>,
    ) -> (&'p Path, &'p Expr, bool) {
        let (mut file, mut expr, mut local) = (file, expr, true);
        for _ in 0..MAX_DEPTH * 2 {
            let e = strip(expr);
            let Expr::Ident { name, .. } = e else {
                return (file, e, local);
            };
            if local {
                match locals.get(name) {
                    Some(Some(v)) if !std::ptr::eq(v, expr) => {
                        expr = v;
                        continue;
                    }
                    Some(_) => return (file, e, local),
                    None => {}
                }
            }
            match self.program.binding(file, name) {
                Some((f, v)) => {
                    file = f;
                    expr = v;
                    local = false;
                }
                None => return (file, e, local),
            }
        }
        (file, strip(expr), local)
    }

    /// The worker or tag an expression denotes.
    fn entity(&self, file: &'p Path, expr: &'p Expr, locals: &Locals<'p>) -> Option<Entity> {
        let (f, e, local) = self.follow(file, expr, locals);
        match e {
            Expr::Ident { name, .. } => {
                if local && locals.get(name).is_some() {
                    return None;
                }
                let (cf, class) = self.program.class(f, name)?;
                self.catalog.get(&(cf.to_path_buf(), class.range)).copied()
            }
            Expr::Call { .. } => {
                let key = (f.to_path_buf(), e.range());
                if let Some(entity) = self.catalog.get(&key) {
                    return Some(*entity);
                }
                // `X.make(...)` (a module's default export, imported as the worker): the
                // worker its tag declares.
                let t = *self.makes.get(&key)?;
                match self.tags[t].kind {
                    TagKind::Worker => self
                        .workers
                        .iter()
                        .position(|w| w.tag == Some(t))
                        .map(Entity::Worker),
                    _ => Some(Entity::Tag(t)),
                }
            }
            _ => None,
        }
    }

    fn worker(&self, file: &'p Path, expr: &'p Expr, locals: &Locals<'p>) -> Option<usize> {
        match self.entity(file, expr, locals)? {
            Entity::Worker(w) => Some(w),
            Entity::Tag(_) => None,
        }
    }

    /// `w.workerName` (or a literal naming a worker): the worker.
    fn worker_of_name_ref(
        &self,
        file: &'p Path,
        expr: &'p Expr,
        locals: &Locals<'p>,
    ) -> Option<usize> {
        if let Expr::Member {
            object, property, ..
        } = expr
        {
            if property.value == "workerName" {
                return self.worker(file, object, locals);
            }
            return None;
        }
        let s = self.program.string(file, expr)?;
        (0..self.workers.len()).find(|&w| self.literal_name(w).as_deref() == Some(&s.value))
    }

    /// The deployed name of a worker when its props spell it.
    fn literal_name(&self, w: usize) -> Option<String> {
        let (f, props, locals) = self.props_object(w)?;
        let name = props.get("name")?;
        let (nf, ne, _) = self.follow(f, name, &locals);
        self.program.string(nf, ne).map(|s| s.value)
    }

    /// A worker's name: the literal `name`, or the stand-in `<Stack>-<Id>-<stage>`.
    fn worker_name(&self, w: usize) -> (String, bool) {
        match self.literal_name(w) {
            Some(n) => (n, false),
            None => (
                format!(
                    "{}-{}-<stage>",
                    self.stack,
                    self.workers[w].id.as_deref().unwrap_or("<id>")
                ),
                true,
            ),
        }
    }

    /// The props object of a worker and the locals it is written among (props given as an
    /// `Effect.gen` that returns them included).
    fn props_object(&self, w: usize) -> Option<(&'p Path, &'p Expr, Locals<'p>)> {
        let decl = &self.workers[w];
        let (file, props) = decl.props?;
        let (f, e, local) = self.follow(file, props, &decl.props_locals);
        let locals = if local {
            decl.props_locals.clone()
        } else {
            Locals::default()
        };
        if matches!(e, Expr::Object { .. }) {
            return Some((f, e, locals));
        }
        // `Effect.gen(function* () { const a = yield* A; return { main, env } })`.
        let (gf, func) = self.gen_function(f, e)?;
        let Expr::Function { statements, .. } = func else {
            if let Expr::Arrow { body, .. } = func {
                let (bf, b, _) = self.follow(gf, body, &locals);
                return matches!(b, Expr::Object { .. }).then_some((bf, b, locals));
            }
            return None;
        };
        let mut inner = locals;
        let mut found = None;
        for s in statements {
            match s {
                Stmt::Const {
                    name: Some(n),
                    value,
                    ..
                } => inner.push(&n.value, Some(value)),
                Stmt::Const { name: None, .. } => {}
                Stmt::Return { value: Some(v), .. } => {
                    let (rf, r, _) = self.follow(gf, v, &inner);
                    if matches!(r, Expr::Object { .. }) && found.is_none() {
                        found = Some((rf, r));
                    } else {
                        return None;
                    }
                }
                _ => {}
            }
        }
        let (rf, r) = found?;
        Some((rf, r, inner))
    }

    /// The generator function of an `Effect.gen(...)` implementation (under `.pipe(...)`).
    fn gen_function(&self, file: &'p Path, expr: &'p Expr) -> Option<(&'p Path, &'p Expr)> {
        let (f, e, _) = self.follow(file, expr, &Locals::default());
        let Expr::Call { callee, args, .. } = e else {
            return None;
        };
        let Expr::Member {
            object, property, ..
        } = &**callee
        else {
            return None;
        };
        match property.value.as_str() {
            "pipe" => self.gen_function(f, object),
            "gen" | "fn" | "fnUntraced" => args
                .iter()
                .rev()
                .find(|a| matches!(a, Expr::Function { .. } | Expr::Arrow { .. }))
                .map(|a| (f, a)),
            _ => None,
        }
    }

    /// The layers an implementation is given: the arguments of `Effect.provide(...)` in its
    /// `.pipe(...)` chain.
    fn provided(&self, file: &'p Path, expr: &'p Expr, out: &mut Vec<(&'p Path, &'p Expr)>) {
        let (f, e, _) = self.follow(file, expr, &Locals::default());
        let Expr::Call { callee, args, .. } = e else {
            return;
        };
        let Expr::Member {
            object, property, ..
        } = &**callee
        else {
            return;
        };
        if property.value != "pipe" {
            return;
        }
        self.provided(f, object, out);
        for a in args {
            if let Expr::Call {
                callee: pc,
                args: pa,
                ..
            } = a
            {
                if pc
                    .path()
                    .is_some_and(|p| p.len() >= 2 && p[p.len() - 1] == "provide")
                {
                    out.extend(pa.iter().map(|l| (f, l)));
                }
            }
        }
    }

    /// What a provided layer hosts: the tags whose `make(...)` it is made of. `Err` when it
    /// cannot be read (a helper's result, a layer chosen at run time).
    fn layer_hosts(
        &self,
        file: &'p Path,
        layer: &'p Expr,
        depth: usize,
        out: &mut Vec<usize>,
    ) -> Result<(), ()> {
        if depth > MAX_DEPTH {
            return Err(());
        }
        let (f, e, _) = self.follow(file, layer, &Locals::default());
        match e {
            Expr::Array { items, open, .. } => {
                if *open {
                    return Err(());
                }
                for i in items {
                    self.layer_hosts(f, i, depth + 1, out)?;
                }
                Ok(())
            }
            Expr::Call { callee, args, .. } => {
                if let Some(&t) = self.makes.get(&(f.to_path_buf(), e.range())) {
                    out.push(t);
                    return Ok(());
                }
                match &**callee {
                    // `Live.pipe(Layer.provide(Other))`: both are built in the worker.
                    Expr::Member {
                        object, property, ..
                    } if property.value == "pipe" => {
                        self.layer_hosts(f, object, depth + 1, out)?;
                        for a in args {
                            self.layer_hosts(f, a, depth + 1, out)?;
                        }
                        Ok(())
                    }
                    _ => {
                        if self.is_from_package(f, callee) {
                            // `Layer.mergeAll(A, B)`, `Layer.provide(A)`, a binding layer.
                            for a in args {
                                if matches!(
                                    a,
                                    Expr::Str { .. } | Expr::Num { .. } | Expr::Bool { .. }
                                ) {
                                    continue;
                                }
                                self.layer_hosts(f, a, depth + 1, out)?;
                            }
                            Ok(())
                        } else {
                            Err(())
                        }
                    }
                }
            }
            Expr::Member { .. } | Expr::Ident { .. } if self.is_from_package(f, e) => Ok(()),
            Expr::Arrow { .. } | Expr::Function { .. } => Ok(()),
            _ => Err(()),
        }
    }

    /// Whether a name or member chain comes from Alchemy or Effect (not from the workspace).
    fn is_from_package(&self, file: &Path, e: &Expr) -> bool {
        let Some(path) = e.path() else {
            return false;
        };
        let Some(module) = self.program.module(file) else {
            return false;
        };
        module.import(path[0]).is_some_and(|i| {
            let s = i.from.value.as_str();
            s == "effect"
                || s.starts_with("effect/")
                || s.starts_with("@effect/")
                || is_cloudflare_module(s)
                || is_stack_module(s)
                || s.starts_with("alchemy/")
        })
    }

    /// The queue a value denotes (a `Queue.Queue(...)` resource, directly or through a
    /// handle), by its name: the literal `name`, or `<Stack>-<Id>-<stage>`.
    fn queue_name(&self, file: &'p Path, expr: &'p Expr, locals: &Locals<'p>) -> Option<String> {
        let (f, e, _) = self.follow(file, expr, locals);
        let Expr::Call { callee, args, .. } = e else {
            return None;
        };
        if self.api(f, callee) != Some(Api::Queue) {
            return None;
        }
        if let Some(n) = args
            .get(1)
            .and_then(|o| o.get("name"))
            .and_then(|n| self.program.string(f, n))
        {
            return Some(n.value);
        }
        let id = self.program.string(f, args.first()?)?;
        Some(format!("{}-{}-<stage>", self.stack, id.value))
    }
}

/// `await x`, `yield* x`, `(x)`: `x`.
fn strip(e: &Expr) -> &Expr {
    let mut e = e;
    loop {
        match e {
            Expr::Await { inner, .. } => e = inner,
            Expr::Yield {
                inner,
                delegate: true,
                ..
            } => e = inner,
            _ => return e,
        }
    }
}

mod build;
mod walk;

#[cfg(test)]
mod ide_tests;
#[cfg(test)]
mod tests;
