//! What an Effect worker's implementation binds, hosts and calls: the `yield*`s of its init
//! phase (and of the implementations it pulls in: a provided Durable Object's init, a yielded
//! workflow's body), the layers it provides, and the calls on the handles those yields give.

use super::{Api, Effects, Entity, Handle, Locals, Raw, Reader, TagKind};
use crate::base::{Spanned, TextRange};
use crate::declare::expr::{Expr, Stmt, TemplatePart, TypeExpr};
use crate::source::{BindingHandle, CallTarget, EnvCall, HandleKind};
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// The handles of a scope, by local name.
type Handles = HashMap<String, Handle>;

/// One worker's walk.
pub(super) struct Walk<'p> {
    pub w: usize,
    /// The worker's module: spans of bindings found elsewhere go to `pull`.
    pub path: &'p Path,
    pub effects: Effects,
    visited: HashSet<(std::path::PathBuf, TextRange)>,
}

/// The `yield*` operands of an expression, not looking into nested functions.
fn yields<'e>(e: &'e Expr, out: &mut Vec<&'e Expr>) {
    match e {
        Expr::Yield {
            inner, delegate, ..
        } => {
            if *delegate {
                out.push(inner);
            }
            yields(inner, out);
        }
        Expr::Call { callee, args, .. } | Expr::New { callee, args, .. } => {
            yields(callee, out);
            for a in args {
                yields(a, out);
            }
        }
        Expr::Member { object, .. } => yields(object, out),
        Expr::Await { inner, .. } => yields(inner, out),
        Expr::Compound { parts, .. } => {
            for p in parts {
                yields(p, out);
            }
        }
        Expr::Object { props, .. } => {
            for p in props {
                yields(&p.value, out);
            }
        }
        Expr::Array { items, .. } => {
            for i in items {
                yields(i, out);
            }
        }
        Expr::Template { parts, .. } => {
            for p in parts {
                if let TemplatePart::Expr(e) = p {
                    yields(e, out);
                }
            }
        }
        _ => {}
    }
}

/// `(yield* x)`, `await x`: `x` (not following names).
fn bare(e: &Expr) -> &Expr {
    super::strip(e)
}

/// The statements of a function, and its range.
fn body(func: &Expr) -> Option<(Vec<&Stmt>, TextRange)> {
    match func {
        Expr::Function {
            statements, range, ..
        } => Some((statements.iter().collect(), *range)),
        _ => None,
    }
}

fn params(func: &Expr) -> &[String] {
    match func {
        Expr::Function { params, .. } | Expr::Arrow { params, .. } => params,
        _ => &[],
    }
}

impl<'p> Reader<'p> {
    /// What worker `w`'s implementation binds and hosts (and the calls on its handles, into
    /// the module facts).
    pub(super) fn effects(&mut self, w: usize) -> Effects {
        let decl = &self.workers[w];
        let mut walk = Walk {
            w,
            path: decl.path,
            effects: Effects::default(),
            visited: HashSet::new(),
        };
        let anchor = decl.anchor;
        // `Deps`: the tags the worker declares it hosts.
        if let Some(t) = decl.tag {
            let tag = &self.tags[t];
            for dep in tag.deps() {
                if let TypeExpr::Ref { path, range, .. } = dep {
                    if let [name] = path.as_slice() {
                        if let Some(d) = self.tag_named(tag.file, name) {
                            let at = if tag.file == decl.path {
                                *range
                            } else {
                                anchor
                            };
                            walk.effects.hosts.push((d, at));
                        }
                    }
                }
            }
        }
        let Some((file, imp)) = decl.imp else {
            return walk.effects;
        };
        let mut layers = Vec::new();
        self.provided(file, imp, &mut layers);
        for (lf, layer) in layers {
            let mut hosted = Vec::new();
            match self.layer_hosts(lf, layer, 0, &mut hosted) {
                Ok(()) => {
                    let at = if lf == walk.path {
                        layer.range()
                    } else {
                        anchor
                    };
                    for t in hosted {
                        walk.effects.hosts.push((t, at));
                        self.pull(&mut walk, t, at);
                    }
                }
                Err(()) => walk.effects.open = true,
            }
        }
        match self.gen_function(file, imp) {
            Some((f, func)) => self.init(&mut walk, f, func, None),
            None => walk.effects.unknown = true,
        }
        walk.effects
    }

    /// Walks the implementation of a tag the worker hosts or yields (its init phase binds into
    /// the worker), spanning what it binds at `at`.
    fn pull(&mut self, walk: &mut Walk<'p>, t: usize, at: TextRange) {
        let Some((f, imp)) = self.tags[t].implementation() else {
            return;
        };
        if let Some((gf, func)) = self.gen_function(f, imp) {
            self.init(walk, gf, func, Some(at));
        }
    }

    /// An init phase: its `yield*`s are bindings of the worker; then the calls on the handles
    /// they give, in the whole function.
    fn init(
        &mut self,
        walk: &mut Walk<'p>,
        file: &'p Path,
        func: &'p Expr,
        pull: Option<TextRange>,
    ) {
        if !walk.visited.insert((file.to_path_buf(), func.range())) || walk.visited.len() > 64 {
            return;
        }
        let pull = if file == walk.path {
            pull
        } else {
            pull.or(Some(self.workers[walk.w].anchor))
        };
        let Some((statements, scope)) = body(func) else {
            return;
        };
        let mut locals = Locals::default();
        for p in params(func) {
            locals.push(p, None);
        }
        let mut handles = Handles::new();
        for s in statements {
            let (name, value) = match s {
                Stmt::Const { name, value, .. } => (name.as_ref(), value),
                Stmt::Expr(e) => (None, e),
                Stmt::Return { .. } => continue,
            };
            let mut ys = Vec::new();
            yields(value, &mut ys);
            for y in ys {
                let handle = self.yielded(walk, file, y, &locals, pull);
                // `const h = yield* X`: a handle on what X binds.
                if let (Some(n), Some(h)) = (name, handle) {
                    if matches!(value, Expr::Yield { delegate: true, inner, .. } if std::ptr::eq(&**inner, y))
                    {
                        self.handle(file, &n.value, &h, scope);
                        handles.insert(n.value.clone(), h);
                    }
                }
            }
            if let Some(n) = name {
                locals.push(&n.value, Some(value));
            }
        }
        let declared: HashSet<String> = handles.keys().cloned().collect();
        self.calls(file, func, &handles, &declared);
    }

    /// Records a handle in the module's facts.
    fn handle(&mut self, file: &Path, name: &str, h: &Handle, scope: TextRange) {
        let (binding, kind) = match h {
            Handle::Service(b) | Handle::Namespace(b) => (b, HandleKind::Binding),
            Handle::Stub(b) => (b, HandleKind::Stub),
            Handle::StubFactory(_) => return,
        };
        let handles = &mut self
            .facts
            .entry(file.to_path_buf())
            .or_default()
            .binding_handles;
        let h = BindingHandle {
            name: name.to_string(),
            binding: binding.clone(),
            kind,
            scope,
        };
        if !handles.contains(&h) {
            handles.push(h);
        }
    }

    /// What one `yield* y` of an init phase binds or hosts; the handle it gives.
    fn yielded(
        &mut self,
        walk: &mut Walk<'p>,
        file: &'p Path,
        y: &'p Expr,
        locals: &Locals<'p>,
        pull: Option<TextRange>,
    ) -> Option<Handle> {
        let span = |r: TextRange| pull.unwrap_or(r);
        let y = bare(y);
        if let Expr::Call { callee, args, .. } = y {
            // `X.from(W)`.
            if let Expr::Member {
                object, property, ..
            } = &**callee
            {
                if property.value == "from" {
                    if let Some(Entity::Tag(t)) = self.entity(file, object, locals) {
                        if self.tags[t].kind != TagKind::DurableObject {
                            return None;
                        }
                        let name = self.tags[t].id.clone()?;
                        let arg = args.first()?;
                        let target = self.worker(file, arg, locals).or_else(|| {
                            let s = self.program.string(file, arg)?;
                            (0..self.workers.len())
                                .find(|&w| self.literal_name(w).as_deref() == Some(&s.value))
                        });
                        if let Some(target) = target {
                            walk.effects.raw.push(Raw::DurableObject {
                                tag: t,
                                host: (target != walk.w).then_some(target),
                                name: span(y.range()),
                                class: span(y.range()),
                                script: (target != walk.w).then(|| span(arg.range())),
                            });
                        }
                        return Some(Handle::Namespace(name));
                    }
                }
                // `Queue.messages(q).subscribe(...)`: the worker consumes `q`.
                if property.value == "subscribe" {
                    if let Expr::Call {
                        callee: mc,
                        args: margs,
                        ..
                    } = bare(object)
                    {
                        if self.api(file, mc) == Some(Api::Messages) {
                            let q = margs.first()?;
                            let queue = self.queue_name(file, q, locals)?;
                            walk.effects.raw.push(Raw::Consumer {
                                queue,
                                at: span(q.range()),
                            });
                            return None;
                        }
                    }
                }
            }
            // `Cloudflare.bindWorker(W)`: a service binding named after W's id.
            if self.api(file, callee) == Some(Api::BindWorker) {
                let arg = args.first()?;
                let target = self.worker(file, arg, locals)?;
                let id = self.workers[target].id.clone()?;
                walk.effects.raw.push(Raw::Service {
                    target,
                    name: span(y.range()),
                    service: span(arg.range()),
                });
                return Some(Handle::Service(id));
            }
        }
        // `yield* X`: a Durable Object namespace bound locally, or a workflow hosted here.
        match self.entity(file, y, locals)? {
            Entity::Tag(t) => {
                let tag = &self.tags[t];
                let name = tag.id.clone()?;
                match tag.kind {
                    TagKind::DurableObject => {
                        walk.effects.raw.push(Raw::DurableObject {
                            tag: t,
                            host: None,
                            name: span(y.range()),
                            class: span(y.range()),
                            script: None,
                        });
                        if tag.inline_impl() {
                            walk.effects.hosts.push((t, span(y.range())));
                            self.pull(walk, t, span(y.range()));
                        }
                        Some(Handle::Namespace(name))
                    }
                    TagKind::Workflow => {
                        walk.effects.raw.push(Raw::Workflow {
                            tag: t,
                            at: span(y.range()),
                        });
                        walk.effects.hosts.push((t, span(y.range())));
                        self.pull(walk, t, span(y.range()));
                        None
                    }
                    TagKind::Worker => None,
                }
            }
            Entity::Worker(_) => None,
        }
    }

    /// Calls on handles in a function (and the functions nested in it): `h.m()` on a service,
    /// `h.getByName(k).m()` on a namespace, `s.m()` on a stub.
    fn calls(&mut self, file: &Path, func: &Expr, outer: &Handles, declared: &HashSet<String>) {
        let Some((statements, scope)) = body(func).or_else(|| match func {
            Expr::Arrow { range, .. } => Some((Vec::new(), *range)),
            _ => None,
        }) else {
            return;
        };
        let mut hs = outer.clone();
        for p in params(func) {
            hs.remove(p);
        }
        if let Expr::Arrow { body, .. } = func {
            self.scan(file, body, &hs);
            return;
        }
        for s in statements {
            match s {
                Stmt::Const { name, value, .. } => {
                    self.scan(file, value, &hs);
                    let Some(n) = name else { continue };
                    if declared.contains(&n.value) {
                        continue;
                    }
                    if let Some(b) = stub_of(value, &hs) {
                        let h = Handle::Stub(b);
                        self.handle(file, &n.value, &h, scope);
                        hs.insert(n.value.clone(), h);
                    } else if let Some(b) = match value {
                        Expr::Arrow { body, params, .. } if params.is_empty() => stub_of(body, &hs),
                        _ => None,
                    } {
                        hs.insert(n.value.clone(), Handle::StubFactory(b));
                    } else {
                        hs.remove(&n.value);
                    }
                }
                Stmt::Expr(e) => self.scan(file, e, &hs),
                Stmt::Return { value: Some(v), .. } => self.scan(file, v, &hs),
                Stmt::Return { value: None, .. } => {}
            }
        }
    }

    /// Every call on a handle inside an expression.
    fn scan(&mut self, file: &Path, e: &Expr, hs: &Handles) {
        match e {
            Expr::Function { .. } | Expr::Arrow { .. } => {
                self.calls(file, e, hs, &HashSet::new());
            }
            Expr::Call {
                callee,
                args,
                range,
                ..
            } => {
                if let Expr::Member {
                    object, property, ..
                } = &**callee
                {
                    if let Some((binding, target, at)) = call_target(object, hs) {
                        let calls =
                            &mut self.facts.entry(file.to_path_buf()).or_default().env_calls;
                        let call = EnvCall {
                            binding: Spanned::new(binding, at),
                            method: property.clone(),
                            target,
                            range: *range,
                        };
                        if !calls.contains(&call) {
                            calls.push(call);
                        }
                    }
                }
                self.scan(file, callee, hs);
                for a in args {
                    self.scan(file, a, hs);
                }
            }
            Expr::New { callee, args, .. } => {
                self.scan(file, callee, hs);
                for a in args {
                    self.scan(file, a, hs);
                }
            }
            Expr::Member { object, .. } => self.scan(file, object, hs),
            Expr::Await { inner, .. } | Expr::Yield { inner, .. } => self.scan(file, inner, hs),
            Expr::Compound { parts, .. } => {
                for p in parts {
                    self.scan(file, p, hs);
                }
            }
            Expr::Object { props, .. } => {
                for p in props {
                    self.scan(file, &p.value, hs);
                }
            }
            Expr::Array { items, .. } => {
                for i in items {
                    self.scan(file, i, hs);
                }
            }
            Expr::Template { parts, .. } => {
                for p in parts {
                    if let TemplatePart::Expr(e) = p {
                        self.scan(file, e, hs);
                    }
                }
            }
            _ => {}
        }
    }
}

/// The binding a stub expression reaches: `h.getByName(k)`, `h.get(id)` (also yielded).
fn stub_of(value: &Expr, hs: &Handles) -> Option<String> {
    let Expr::Call { callee, .. } = bare(value) else {
        return None;
    };
    let Expr::Member {
        object, property, ..
    } = &**callee
    else {
        return None;
    };
    if !matches!(property.value.as_str(), "getByName" | "get") {
        return None;
    }
    match bare(object) {
        Expr::Ident { name, .. } => match hs.get(name) {
            Some(Handle::Namespace(b)) => Some(b.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// What a method call's receiver is: (binding, kind of call, span of the handle).
fn call_target(object: &Expr, hs: &Handles) -> Option<(String, CallTarget, TextRange)> {
    let object = bare(object);
    match object {
        Expr::Ident { name, range } => match hs.get(name)? {
            Handle::Service(b) => Some((b.clone(), CallTarget::Direct, *range)),
            Handle::Stub(b) => Some((b.clone(), CallTarget::Stub, *range)),
            Handle::Namespace(_) | Handle::StubFactory(_) => None,
        },
        Expr::Call { callee, args, .. } => {
            if let Some(b) = stub_of(object, hs) {
                return Some((b, CallTarget::Stub, callee.range()));
            }
            match &**callee {
                Expr::Ident { name, range } if args.is_empty() => match hs.get(name)? {
                    Handle::StubFactory(b) => Some((b.clone(), CallTarget::Stub, *range)),
                    _ => None,
                },
                _ => None,
            }
        }
        _ => None,
    }
}
