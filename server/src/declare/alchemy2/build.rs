//! The worker model of each declared worker, and what the index should know of the modules:
//! the surfaces of tags (classes), the classes a host's entry exports, calls on handles.

use super::{Api, Effects, Locals, Raw, Reader, TagKind};
use crate::base::{Spanned, TextRange};
use crate::config::{
    ConfigFile, ConfigFormat, DurableObjectBinding, EntrySpans, EnvSection, QueueConsumer,
    QueueProducer, ServiceBinding, SimpleBinding, WorkflowBinding,
};
use crate::declare::expr::{Expr, Stmt, TypeExpr, TypeMember};
use crate::declare::{Declared, FrontEnd, ModuleFacts};
use crate::source::{ClassDecl, DefaultExport, Export, Member, MemberKind};
use std::path::{Component, Path, PathBuf};

/// A specifier importing `to` from a module of folder `from_dir`: `./x.ts`, `../a/x.ts`.
fn relative_specifier(from_dir: &Path, to: &Path) -> Option<String> {
    let rel = relative_path(from_dir, to)?;
    Some(if rel.starts_with("../") {
        rel
    } else {
        format!("./{rel}")
    })
}

/// `to` relative to `from_dir`, with `/` separators.
fn relative_path(from_dir: &Path, to: &Path) -> Option<String> {
    let a: Vec<Component<'_>> = from_dir.components().collect();
    let b: Vec<Component<'_>> = to.components().collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    if common == 0 && !a.is_empty() {
        return None;
    }
    let mut parts: Vec<String> = Vec::new();
    for _ in common..a.len() {
        parts.push("..".into());
    }
    for c in &b[common..] {
        parts.push(c.as_os_str().to_string_lossy().into_owned());
    }
    Some(parts.join("/"))
}

/// Spans of one worker's model: in its module, else at its anchor; derived unless spelt.
struct Spans<'p> {
    path: &'p Path,
    anchor: TextRange,
    derived: Vec<TextRange>,
}

impl Spans<'_> {
    /// A value known by other means, spanned at `range` of `file` (or the anchor).
    fn derive(&mut self, value: String, file: &Path, range: TextRange) -> Spanned<String> {
        let range = if file == self.path {
            range
        } else {
            self.anchor
        };
        if !self.derived.contains(&range) {
            self.derived.push(range);
        }
        Spanned::new(value, range)
    }

    /// A span of the worker's own module (already placed): derived.
    fn at(&mut self, value: String, range: TextRange) -> Spanned<String> {
        if !self.derived.contains(&range) {
            self.derived.push(range);
        }
        Spanned::new(value, range)
    }

    /// A literal of `file`: its own span when it is in the worker's module.
    fn literal(&mut self, value: String, file: &Path, range: TextRange) -> Spanned<String> {
        if file == self.path {
            Spanned::new(value, range)
        } else {
            self.derive(value, file, range)
        }
    }
}

impl<'p> Reader<'p> {
    /// A string value of `file` (a literal, a const, a known template) spanned for `spans`.
    fn string_at(
        &self,
        spans: &mut Spans<'_>,
        file: &'p Path,
        expr: &'p Expr,
        locals: &Locals<'p>,
    ) -> Option<Spanned<String>> {
        let (f, e, _) = self.follow(file, expr, locals);
        let v = self.program.string(f, e)?;
        match v.literal {
            Some((lf, r)) if lf == spans.path && f == lf => Some(Spanned::new(v.value, r)),
            _ => Some(spans.derive(v.value, file, expr.range())),
        }
    }

    pub(super) fn build(mut self) -> Vec<Declared> {
        let n = self.workers.len();
        let effects: Vec<Effects> = (0..n).map(|w| self.effects(w)).collect();
        let names: Vec<(String, bool)> = (0..n).map(|w| self.worker_name(w)).collect();
        // Which workers host each tag.
        let hosts_of = |t: usize| -> Vec<usize> {
            (0..n)
                .filter(|&w| effects[w].hosts.iter().any(|(h, _)| *h == t))
                .collect()
        };
        let hosts: Vec<Vec<usize>> = (0..self.tags.len()).map(hosts_of).collect();
        let mut out = Vec::new();
        for w in 0..n {
            if let Some(d) = self.declare(w, &effects, &names, &hosts) {
                out.push(d);
            }
        }
        self.surfaces(&effects);
        self.exports(&effects);
        let facts: Vec<ModuleFacts> = std::mem::take(&mut self.facts)
            .into_iter()
            .map(|(path, summary)| ModuleFacts {
                path,
                summary,
                generated: false,
            })
            .collect();
        if let Some(first) = out.first_mut() {
            first.modules = facts;
        }
        out
    }

    /// The main module of worker `w` and its `main` value as written: `import.meta.url` is the
    /// module that writes it.
    fn main_of(&self, w: usize) -> Option<(PathBuf, &'p Path, &'p Expr)> {
        let (f, props, locals) = self.props_object(w)?;
        let main = props.get("main")?;
        let (mf, m, _) = self.follow(f, main, &locals);
        match m {
            Expr::ImportMeta { property, .. } if property == "url" || property == "filename" => {
                Some((mf.to_path_buf(), f, main))
            }
            _ => {
                let s = self.program.string(mf, m)?;
                Some((
                    crate::project::normalize(&self.stack_dir.join(&s.value)),
                    f,
                    main,
                ))
            }
        }
    }

    fn declare(
        &mut self,
        w: usize,
        effects: &[Effects],
        names: &[(String, bool)],
        hosts: &[Vec<usize>],
    ) -> Option<Declared> {
        let decl = &self.workers[w];
        let mut spans = Spans {
            path: decl.path,
            anchor: decl.anchor,
            derived: Vec::new(),
        };
        let mut top = EnvSection {
            range: decl.range,
            ..EnvSection::default()
        };
        let (name, synthetic) = names[w].clone();
        top.name = Some(
            match self.props_object(w).and_then(|(f, p, locals)| {
                let n = p.get("name")?;
                (!synthetic)
                    .then(|| self.string_at(&mut spans, f, n, &locals))
                    .flatten()
            }) {
                Some(literal) => literal,
                None => spans.at(name, decl.anchor),
            },
        );
        if let Some((path, file, main)) = self.main_of(w) {
            let value = relative_path(&self.stack_dir, &path).unwrap_or_default();
            top.main = Some(match main {
                Expr::Str { range, .. } => spans.literal(value, file, *range),
                _ => spans.derive(value, file, main.range()),
            });
        }
        let effect = decl.imp.is_some();
        let mut services = Vec::new();
        let mut durable_objects = Vec::new();
        let mut workflows = Vec::new();
        let mut producers = Vec::new();
        let mut consumers = Vec::new();
        let mut vars = Vec::new();
        let mut secrets = Vec::new();
        let mut has_env = false;
        match self.props_object(w) {
            Some((f, props, locals)) => {
                if let Some(env) = props.get("env").or_else(|| props.get("bindings")) {
                    has_env = true;
                    self.env(
                        w,
                        &mut spans,
                        f,
                        env,
                        &locals,
                        names,
                        &mut top,
                        &mut services,
                        &mut durable_objects,
                        &mut workflows,
                        &mut producers,
                        &mut vars,
                        &mut secrets,
                    );
                }
                if matches!(props, Expr::Object { open: true, .. }) && !has_env {
                    top.open_bindings = true;
                }
            }
            None => top.open_bindings |= decl.props.is_some() || !effect,
        }
        // What the implementation binds.
        let fx = &effects[w];
        let hosted = |t: usize, h: Option<usize>| hosts[t].contains(&h.unwrap_or(w));
        let mut dos: Vec<(bool, DurableObjectBinding)> = Vec::new();
        for raw in &fx.raw {
            match raw {
                Raw::DurableObject {
                    tag,
                    host,
                    name,
                    class,
                    script,
                } => {
                    let Some(id) = self.tags[*tag].id.clone() else {
                        continue;
                    };
                    if dos.iter().any(|(_, b)| {
                        b.name.value == id
                            && b.script_name.as_ref().map(|s| &s.value) == host.map(|h| &names[h].0)
                    }) {
                        continue;
                    }
                    let b = DurableObjectBinding {
                        name: spans.at(id.clone(), *name),
                        class_name: Some(spans.at(id, *class)),
                        script_name: host
                            .zip(*script)
                            .map(|(h, s)| spans.at(names[h].0.clone(), s)),
                        environment: None,
                        range: *name,
                    };
                    dos.push((hosted(*tag, *host), b));
                }
                Raw::Workflow { tag, at } => {
                    let Some(id) = self.tags[*tag].id.clone() else {
                        continue;
                    };
                    if workflows
                        .iter()
                        .any(|b: &WorkflowBinding| b.binding.value == id && b.script_name.is_none())
                    {
                        continue;
                    }
                    workflows.push(WorkflowBinding {
                        binding: spans.at(id.clone(), *at),
                        name: Some(spans.at(format!("{}-{id}", names[w].0), *at)),
                        class_name: Some(spans.at(id, *at)),
                        script_name: None,
                        range: *at,
                    });
                }
                Raw::Service {
                    target,
                    name,
                    service,
                } => {
                    let Some(id) = self.workers[*target].id.clone() else {
                        continue;
                    };
                    services.push(ServiceBinding {
                        binding: spans.at(id, *name),
                        service: Some(spans.at(names[*target].0.clone(), *service)),
                        entrypoint: None,
                        environment: None,
                        remote: false,
                        range: *name,
                        entries: EntrySpans(Vec::new()),
                    });
                }
                Raw::Consumer { queue, at } => consumers.push(QueueConsumer {
                    queue: spans.at(queue.clone(), *at),
                    dead_letter_queue: None,
                    range: *at,
                }),
            }
        }
        // A provided implementation binds its namespace locally too.
        for (t, at) in &fx.hosts {
            let tag = &self.tags[*t];
            let Some(id) = tag.id.clone() else { continue };
            if tag.kind != TagKind::DurableObject
                || dos
                    .iter()
                    .any(|(_, b)| b.name.value == id && b.script_name.is_none())
                || tag.deps_only(self, w)
            {
                continue;
            }
            dos.push((
                true,
                DurableObjectBinding {
                    name: spans.at(id.clone(), *at),
                    class_name: Some(spans.at(id, *at)),
                    script_name: None,
                    environment: None,
                    range: *at,
                },
            ));
        }
        // One namespace bound twice with different hosts: calls are checked against the
        // binding whose host hosts the class (the other is reported as it is).
        dos.sort_by_key(|(ok, _)| !ok);
        durable_objects.extend(dos.into_iter().map(|(_, b)| b));
        for c in self.consumers.iter().filter(|c| c.worker == w) {
            let queue = spans.derive(c.queue.value.clone(), c.file, c.queue.range);
            consumers.push(QueueConsumer {
                range: if c.file == decl.path {
                    c.range
                } else {
                    decl.anchor
                },
                queue,
                dead_letter_queue: None,
            });
        }
        if effect {
            top.bound_by_use = !has_env;
            top.open_bindings |= fx.unknown;
        }
        top.services = Some(services);
        top.durable_objects = Some(durable_objects);
        top.workflows = Some(workflows);
        top.queue_producers = Some(producers);
        top.queue_consumers = Some(consumers);
        top.vars = Some(vars);
        top.secrets_required = Some(secrets);
        Some(Declared {
            frontend: FrontEnd::AlchemyV2,
            path: decl.path.to_path_buf(),
            range: decl.range,
            dir: self.stack_dir.clone(),
            file: ConfigFile {
                format: ConfigFormat::TypeScript,
                syntax_errors: Vec::new(),
                key_issues: Vec::new(),
                top,
                envs: Vec::new(),
            },
            derived: spans.derived,
            modules: Vec::new(),
        })
    }

    /// The bindings of an `env` (or `bindings`) object.
    #[allow(clippy::too_many_arguments)]
    fn env(
        &self,
        w: usize,
        spans: &mut Spans<'_>,
        file: &'p Path,
        env: &'p Expr,
        locals: &Locals<'p>,
        names: &[(String, bool)],
        top: &mut EnvSection,
        services: &mut Vec<ServiceBinding>,
        durable_objects: &mut Vec<DurableObjectBinding>,
        workflows: &mut Vec<WorkflowBinding>,
        producers: &mut Vec<QueueProducer>,
        vars: &mut Vec<Spanned<String>>,
        secrets: &mut Vec<Spanned<String>>,
    ) {
        let (f, env, local) = self.follow(file, env, locals);
        let locals = if local {
            locals.clone()
        } else {
            Locals::default()
        };
        let Expr::Object { props, open, .. } = env else {
            top.open_bindings = true;
            return;
        };
        top.open_bindings |= *open;
        let own = &names[w].0;
        for p in props {
            let key = spans.literal(p.key.value.clone(), f, p.key.range);
            let range = if f == spans.path {
                p.range
            } else {
                spans.anchor
            };
            let other = |top: &mut EnvSection, kind: &str, key: Spanned<String>| {
                top.other_bindings
                    .entry(kind.to_string())
                    .or_default()
                    .push(SimpleBinding {
                        binding: key,
                        range,
                    });
            };
            if let Some(target) = self.worker(f, &p.value, &locals) {
                services.push(ServiceBinding {
                    binding: key,
                    service: Some(spans.derive(names[target].0.clone(), f, p.value.range())),
                    entrypoint: None,
                    environment: None,
                    remote: false,
                    range,
                    entries: EntrySpans(Vec::new()),
                });
                continue;
            }
            let (vf, v, vlocal) = self.follow(f, &p.value, &locals);
            let vlocals = if vlocal {
                locals.clone()
            } else {
                Locals::default()
            };
            match v {
                Expr::Str { .. }
                | Expr::Template { .. }
                | Expr::Num { .. }
                | Expr::Bool { .. }
                | Expr::Array { .. }
                | Expr::Object { .. }
                | Expr::Member { .. } => {
                    vars.push(key);
                    continue;
                }
                Expr::Call { .. } => {}
                _ => {
                    other(top, "unknown", key);
                    continue;
                }
            }
            let Expr::Call { callee, args, .. } = v else {
                continue;
            };
            // `Config.redacted("X")`: a secret; `Config.string(...)` and the like: a var.
            if let Some(path) = callee.path() {
                if path.len() >= 2
                    && path[path.len() - 2] == "Config"
                    && self.is_from_package(vf, callee)
                {
                    if path.last() == Some(&"redacted") {
                        secrets.push(key);
                    } else {
                        vars.push(key);
                    }
                    continue;
                }
                // `api.url.as<string>()`: a value.
                if matches!(path.last(), Some(&"as")) {
                    vars.push(key);
                    continue;
                }
            }
            let string =
                |spans: &mut Spans<'_>, e: &'p Expr| self.string_at(spans, vf, e, &vlocals);
            match self.api(vf, callee) {
                Some(Api::WorkerEntrypoint) => {
                    let Some(target) = args.first().and_then(|t| self.worker(vf, t, &vlocals))
                    else {
                        other(top, "unknown", key);
                        continue;
                    };
                    let entrypoint = match args.get(1) {
                        Some(o @ Expr::Object { .. }) => {
                            o.get("entrypoint").and_then(|e| string(spans, e))
                        }
                        Some(e) => string(spans, e),
                        None => None,
                    };
                    services.push(ServiceBinding {
                        binding: key,
                        service: Some(spans.derive(names[target].0.clone(), vf, args[0].range())),
                        entrypoint,
                        environment: None,
                        remote: false,
                        range,
                        entries: EntrySpans(Vec::new()),
                    });
                }
                Some(Api::DurableObject { .. }) | Some(Api::Workflow) => {
                    let Some(name_arg) = args.first() else {
                        other(top, "unknown", key);
                        continue;
                    };
                    let Some(name) = self.program.string(vf, name_arg) else {
                        other(top, "unknown", key);
                        continue;
                    };
                    let opts = args.get(1);
                    let class = match opts.and_then(|o| o.get("className")) {
                        Some(c) => string(spans, c),
                        // The namespace's name: its logical id, not a class to rename.
                        None => Some(spans.derive(name.value.clone(), vf, name_arg.range())),
                    };
                    let script = match opts.and_then(|o| o.get("scriptName")) {
                        None => None,
                        Some(s) => match self.worker_of_name_ref(vf, s, &vlocals) {
                            Some(h) => Some(spans.derive(names[h].0.clone(), vf, s.range())),
                            None => match string(spans, s) {
                                Some(literal) => Some(literal),
                                None => {
                                    // A host the reader cannot see: not this worker.
                                    other(top, "unknown", key);
                                    continue;
                                }
                            },
                        },
                    };
                    if matches!(self.api(vf, callee), Some(Api::Workflow)) {
                        let host = script.as_ref().map_or(own.clone(), |s| s.value.clone());
                        let class_value = class
                            .as_ref()
                            .map_or(name.value.clone(), |c| c.value.clone());
                        workflows.push(WorkflowBinding {
                            binding: key,
                            name: Some(spans.derive(
                                format!("{host}-{class_value}"),
                                vf,
                                name_arg.range(),
                            )),
                            class_name: class,
                            script_name: script,
                            range,
                        });
                    } else {
                        durable_objects.push(DurableObjectBinding {
                            name: key,
                            class_name: class,
                            script_name: script,
                            environment: None,
                            range,
                        });
                    }
                }
                Some(Api::Queue) => match self.queue_name(f, &p.value, &locals) {
                    Some(q) => producers.push(QueueProducer {
                        binding: key,
                        queue: Some(spans.derive(q, f, p.value.range())),
                        range,
                    }),
                    None => other(top, "unknown", key),
                },
                Some(Api::Resource(kind)) => other(top, kind, key),
                _ => other(top, "unknown", key),
            }
        }
    }

    /// The classes the tags describe: a worker's RPC surface, a Durable Object's, a workflow.
    fn surfaces(&mut self, effects: &[Effects]) {
        for t in 0..self.tags.len() {
            let tag = &self.tags[t];
            let mut members: Vec<Member> = Vec::new();
            let mut open = tag.rpc;
            if let Some(shape) = tag.shape() {
                match self.type_members(tag.file, shape) {
                    Some(ms) => members.extend(ms),
                    None => open = true,
                }
            }
            let levels = match tag.kind {
                TagKind::DurableObject => 2,
                _ => 1,
            };
            if tag.kind != TagKind::Workflow {
                match tag
                    .implementation()
                    .and_then(|(f, imp)| self.returned_keys(f, imp, levels))
                {
                    Some((f, keys)) if f == tag.file => members.extend(keys),
                    // The implementation is elsewhere: only the Shape can be spanned here.
                    Some(_) | None => open |= tag.shape().is_none(),
                }
            }
            if tag.kind == TagKind::Worker {
                // A worker consuming a queue gets its `queue` handler from Alchemy.
                let consumes = self.workers.iter().enumerate().any(|(w, d)| {
                    d.tag == Some(t)
                        && (effects[w]
                            .raw
                            .iter()
                            .any(|r| matches!(r, Raw::Consumer { .. }))
                            || self.consumers.iter().any(|c| c.worker == w))
                });
                if consumes && !members.iter().any(|m| m.name.value == "queue") {
                    members.push(Member {
                        name: Spanned::new("queue".into(), tag.class.name.range),
                        kind: MemberKind::Method,
                        params: "(batch)".into(),
                        return_type: None,
                        range: tag.class.name.range,
                    });
                }
            }
            let base = match tag.kind {
                TagKind::DurableObject => "DurableObject",
                TagKind::Workflow => "WorkflowEntrypoint",
                TagKind::Worker => "WorkerEntrypoint",
            };
            let heritage = tag
                .class
                .heritage
                .as_ref()
                .map_or(tag.class.range, Expr::range);
            let class = ClassDecl {
                name: tag.class.name.clone(),
                extends: Some(Spanned::new(base.to_string(), heritage)),
                extends_unknown: open,
                members,
                range: tag.class.range,
                described: true,
            };
            let summary = self.facts.entry(tag.file.to_path_buf()).or_default();
            if !summary
                .classes
                .iter()
                .any(|c| c.name.value == class.name.value)
            {
                summary.classes.push(class);
            }
        }
    }

    /// The members of a Shape type: an object type, or an interface or alias it names.
    fn type_members(&self, file: &'p Path, ty: &'p TypeExpr) -> Option<Vec<Member>> {
        let (f, ty, at) = match ty {
            TypeExpr::Object { .. } => (file, ty, None),
            TypeExpr::Ref { path, range, .. } if path.len() == 1 => {
                let (f, decl) = self.program.type_decl(file, &path[0])?;
                // Members of an interface of another module are spanned at the reference.
                (f, &decl.ty, (f != file).then_some(*range))
            }
            _ => return None,
        };
        let TypeExpr::Object { members, open, .. } = ty else {
            return None;
        };
        if *open {
            return None;
        }
        let _ = f;
        Some(members.iter().map(|m| member(m, at)).collect())
    }

    /// The keys of the object an implementation returns, `levels` Effects deep (a worker's
    /// init returns its handlers; a Durable Object's init returns the Effect that returns its
    /// methods), and the module they are written in.
    fn returned_keys(
        &self,
        file: &'p Path,
        imp: &'p Expr,
        levels: usize,
    ) -> Option<(&'p Path, Vec<Member>)> {
        let (f, func) = self.gen_function(file, imp)?;
        let results: Vec<&'p Expr> = match func {
            Expr::Arrow { body, .. } => vec![body],
            Expr::Function { statements, .. } => statements
                .iter()
                .filter_map(|s| match s {
                    Stmt::Return { value, .. } => Some(value.as_ref()),
                    _ => None,
                })
                .collect::<Option<Vec<_>>>()?,
            _ => return None,
        };
        if results.is_empty() {
            return None;
        }
        let mut keys = Vec::new();
        let mut at = None;
        for r in results {
            let (rf, e, _) = self.follow(f, r, &Locals::default());
            let (kf, ks) = if levels > 1 && !matches!(e, Expr::Object { .. }) {
                self.returned_keys(rf, e, levels - 1)?
            } else {
                let Expr::Object { props, open, .. } = e else {
                    return None;
                };
                if *open {
                    return None;
                }
                (
                    rf,
                    props
                        .iter()
                        .map(|p| Member {
                            name: p.key.clone(),
                            kind: MemberKind::Method,
                            params: String::new(),
                            return_type: None,
                            range: p.range,
                        })
                        .collect(),
                )
            };
            if at.is_some_and(|a| a != kf) {
                return None;
            }
            at = Some(kf);
            keys.extend(ks);
        }
        Some((at?, keys))
    }

    /// The classes each Effect worker's entry exports (the tags it hosts, its own surface as
    /// the default export), in its main module's facts.
    fn exports(&mut self, effects: &[Effects]) {
        for (w, effect) in effects.iter().enumerate().take(self.workers.len()) {
            if self.workers[w].imp.is_none() {
                continue;
            }
            let Some((main, _, _)) = self.main_of(w) else {
                continue;
            };
            if self.program.module(&main).is_none() {
                continue;
            }
            let Some(dir) = main.parent().map(Path::to_path_buf) else {
                continue;
            };
            let mut exports: Vec<Export> = Vec::new();
            let mut hosted: Vec<(usize, TextRange)> = effect.hosts.clone();
            hosted.sort_by_key(|(t, _)| *t);
            hosted.dedup_by_key(|(t, _)| *t);
            for (t, at) in hosted {
                let tag = &self.tags[t];
                let Some(id) = tag.id.clone() else { continue };
                let at = if self.workers[w].path == main.as_path() {
                    at
                } else {
                    TextRange::default()
                };
                if tag.file == main.as_path() {
                    exports.push(Export::Local {
                        exported: Spanned::new(id, at),
                        local: tag.class.name.value.clone(),
                    });
                    continue;
                }
                let imported = if tag.class.default {
                    "default".to_string()
                } else if tag.class.exported {
                    tag.class.name.value.clone()
                } else {
                    continue;
                };
                let Some(from) = relative_specifier(&dir, tag.file) else {
                    continue;
                };
                exports.push(Export::ReExport {
                    exported: Spanned::new(id, at),
                    imported,
                    from: Spanned::new(from, TextRange::default()),
                });
            }
            let summary = self.facts.entry(main.clone()).or_default();
            for e in exports {
                if !summary
                    .exports
                    .iter()
                    .any(|k| k.exported().value == e.exported().value)
                {
                    summary.exports.push(e);
                }
            }
            if effects[w].open || effects[w].unknown {
                // Layers the reader cannot see may host any class: what the entry exports is
                // not all known.
                let star = Spanned::new("alchemy:unread-layers".to_string(), TextRange::default());
                if !summary.export_stars.contains(&star) {
                    summary.export_stars.push(star);
                }
            }
            // The entry Alchemy's bundler generates: its default export is the worker's
            // surface (the tag), or a handler object.
            let default = match self.workers[w].tag {
                Some(t) => {
                    let tag = &self.tags[t];
                    if tag.file == main.as_path() {
                        DefaultExport::Class {
                            name: tag.class.name.value.clone(),
                            range: tag.class.range,
                        }
                    } else {
                        let imported = if tag.class.default {
                            "default".to_string()
                        } else if tag.class.exported {
                            tag.class.name.value.clone()
                        } else {
                            continue;
                        };
                        let Some(from) = relative_specifier(&dir, tag.file) else {
                            continue;
                        };
                        DefaultExport::ReExport {
                            imported,
                            from: Spanned::new(from, TextRange::default()),
                            range: TextRange::default(),
                        }
                    }
                }
                None => DefaultExport::Other {
                    range: self.workers[w].range,
                },
            };
            summary.default_export = Some(default);
        }
    }
}

/// A Shape member as a class member: spanned at its name, or at `at` (an interface of
/// another module).
fn member(m: &TypeMember, at: Option<TextRange>) -> Member {
    Member {
        name: Spanned::new(m.name.value.clone(), at.unwrap_or(m.name.range)),
        kind: if m.params.is_some() {
            MemberKind::Method
        } else {
            MemberKind::Field
        },
        params: m.params.clone().unwrap_or_default(),
        return_type: m.return_type.clone(),
        range: at.unwrap_or(m.range),
    }
}

impl super::Tag<'_> {
    /// Whether worker `w` hosts this tag only by listing it in `Deps` (a type: nothing is bound).
    fn deps_only(&self, r: &Reader<'_>, w: usize) -> bool {
        let Some(t) = r.workers[w].tag else {
            return false;
        };
        let wt = &r.tags[t];
        let listed = wt.deps().iter().any(|d| {
            matches!(d, TypeExpr::Ref { path, .. } if path.len() == 1 && r.tag_named(wt.file, &path[0]).is_some_and(|x| std::ptr::eq(&r.tags[x], self)))
        });
        listed && !r.provides(w, self)
    }
}

impl<'p> Reader<'p> {
    /// Whether worker `w`'s implementation provides this tag's layer.
    fn provides(&self, w: usize, tag: &super::Tag<'_>) -> bool {
        let Some((file, imp)) = self.workers[w].imp else {
            return false;
        };
        let mut layers = Vec::new();
        self.provided(file, imp, &mut layers);
        layers.into_iter().any(|(lf, l)| {
            let mut hosted = Vec::new();
            self.layer_hosts(lf, l, 0, &mut hosted).is_ok()
                && hosted.iter().any(|&t| std::ptr::eq(&self.tags[t], tag))
        })
    }
}
