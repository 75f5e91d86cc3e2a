//! Env reads, writes and calls: one walk of the syntax tree that tracks which local names hold
//! the env object, scope by scope.
//!
//! What holds env:
//! - the second parameter of a handler (`fetch`, `scheduled`, `queue`, `email`, `tail`,
//!   `trace`, `test`) of any object literal, and of a Durable Object's (or agent's, or
//!   entrypoint's) constructor;
//! - any parameter named `env`, or typed with an env type (`Env`, `*Env`, `*Bindings`,
//!   `typeof worker.Env`), and `env` destructured from a parameter (`({ env }) => ...`);
//! - `<expr>.env` (`this.env`, `c.env`, `ctx.env`), but not `process.env` or `import.meta.env`;
//! - `env` imported from `cloudflare:workers`, `cloudflare:test` or Devflare's runtime;
//! - a `const` initialised with one of those;
//! - `env` itself where no declaration binds it.
//!
//! A name is env only in the function (or module) that binds it: another function's parameter
//! of the same name is not. The walk is iterative (deeply nested input cannot overflow the
//! stack) and never asks a node for its parent (tree-sitter walks down from the root for
//! that): the path from the root is kept on a stack.

use super::model::{CallTarget, EnvAccess, EnvAlias, EnvCall, Import};
use super::summarize::kind_names;
use super::SourceLang;
use crate::base::{Spanned, TextRange};
use std::collections::HashMap;
use tree_sitter::Node;

/// Handler methods whose second parameter is the env object.
pub(super) const HANDLERS: &[&str] = &[
    "fetch",
    "scheduled",
    "queue",
    "email",
    "tail",
    "trace",
    "tailStream",
    "test",
];

/// Whether a class heritage (`extends X<..>`, its text from `extends` on) names a runtime base
/// whose constructor receives env: Durable Objects, agents, entrypoints, containers, workflows.
pub(super) fn is_worker_heritage(text: &str) -> bool {
    let base = text
        .trim_start_matches("extends")
        .trim()
        .split(['<', '(', ' ', '{', '\n'])
        .next()
        .unwrap_or("");
    let base = base.rsplit('.').next().unwrap_or(base);
    [
        "DurableObject",
        "Agent",
        "Entrypoint",
        "Container",
        "Workflow",
    ]
    .iter()
    .any(|s| base.ends_with(s))
}

/// Methods of a Durable Object namespace that return a stub.
pub(super) const STUB_GETTERS: &[&str] = &["get", "getByName"];

/// Modules whose `env` export is the worker's env object.
pub(super) const ENV_MODULES: &[&str] = &[
    "cloudflare:workers",
    "cloudflare:test",
    "devflare",
    "devflare/runtime",
];

/// Callees that read every key of an object they are given.
pub(super) const REFLECTION: &[&str] = &["Object", "JSON", "Reflect", "structuredClone"];

/// What a local name holds.
#[derive(Clone, Debug)]
enum Holds {
    Env,
    /// A Durable Object stub from `env.X.get(..)` / `env.X.getByName(..)`.
    Stub(Spanned<String>),
    /// The binding itself: `const auth = env.AUTH`, `const { AUTH } = env`.
    Handle(Spanned<String>),
    /// Anything else (shadows an outer name).
    Other,
}

struct Scope {
    names: HashMap<String, Holds>,
    range: TextRange,
}

/// What the walk finds.
#[derive(Default)]
pub(super) struct EnvFacts {
    pub accesses: Vec<EnvAccess>,
    pub writes: Vec<Spanned<String>>,
    pub calls: Vec<EnvCall>,
    pub escapes: bool,
    pub dynamic: bool,
    pub aliases: Vec<EnvAlias>,
}

/// The grammar's ids of the fields the walk reads, looked up once per module:
/// `child_by_field_name` would look each name up (a string search) at every call.
struct Fields {
    arguments: u16,
    condition: u16,
    constructor: u16,
    declaration: u16,
    function: u16,
    index: u16,
    initializer: u16,
    key: u16,
    left: u16,
    name: u16,
    object: u16,
    operator: u16,
    parameter: u16,
    parameters: u16,
    pattern: u16,
    property: u16,
    right: u16,
    r#type: u16,
    value: u16,
}

impl Fields {
    fn of(language: &tree_sitter::LanguageRef<'_>) -> Fields {
        // 0 is no field: `child_by_field_id(0)` finds nothing, as the name would.
        let id = |name: &str| language.field_id_for_name(name).map_or(0, |id| id.get());
        Fields {
            arguments: id("arguments"),
            condition: id("condition"),
            constructor: id("constructor"),
            declaration: id("declaration"),
            function: id("function"),
            index: id("index"),
            initializer: id("initializer"),
            key: id("key"),
            left: id("left"),
            name: id("name"),
            object: id("object"),
            operator: id("operator"),
            parameter: id("parameter"),
            parameters: id("parameters"),
            pattern: id("pattern"),
            property: id("property"),
            right: id("right"),
            r#type: id("type"),
            value: id("value"),
        }
    }
}

pub(super) struct EnvWalk<'t, 'i> {
    text: &'t str,
    f: Fields,
    /// Node kind names by kind id ([`kind_names`]).
    kinds: &'static [&'static str],
    imports: &'i [Import],
    scopes: Vec<Scope>,
    facts: EnvFacts,
}

/// The node kinds whose subtrees hold no runtime expressions.
fn skipped(kind: &str) -> bool {
    matches!(
        kind,
        "comment"
            | "string"
            | "regex"
            | "number"
            | "import_statement"
            | "type_annotation"
            | "type_arguments"
            | "type_parameters"
            | "interface_declaration"
            | "type_alias_declaration"
            | "ambient_declaration"
            | "property_identifier"
            | "shorthand_property_identifier"
            | "statement_identifier"
            | "jsx_text"
    )
}

fn is_function(kind: &str) -> bool {
    matches!(
        kind,
        "function_declaration"
            | "function_expression"
            | "function"
            | "arrow_function"
            | "method_definition"
            | "generator_function_declaration"
            | "generator_function"
    )
}

fn range(node: Node<'_>) -> TextRange {
    TextRange::from_usize(node.start_byte(), node.end_byte())
}

/// Whether a type, as written, names the env object's type: `Env`, `*Env`, `*Bindings`,
/// `Cloudflare.Env`, `typeof worker.Env`.
fn is_env_type(text: &str) -> bool {
    let t = text.trim().trim_start_matches(':').trim();
    let t = t.strip_prefix("typeof ").unwrap_or(t).trim();
    let head = t.split('<').next().unwrap_or("").trim();
    let last = head.rsplit('.').next().unwrap_or(head);
    !last.is_empty()
        && last
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'$')
        && (last.ends_with("Env") || last.ends_with("Bindings"))
}

impl<'t, 'i> EnvWalk<'t, 'i> {
    pub(super) fn new(
        text: &'t str,
        imports: &'i [Import],
        root: Node<'_>,
        lang: SourceLang,
    ) -> Self {
        EnvWalk {
            text,
            f: Fields::of(&root.language()),
            kinds: kind_names(lang),
            imports,
            scopes: Vec::new(),
            facts: EnvFacts::default(),
        }
    }

    /// `node.kind()` from the grammar's table: `Node::kind` measures and checks the name's C
    /// string at every call, and the walk asks for every node, several times.
    fn kind(&self, node: Node<'_>) -> &'static str {
        self.kinds
            .get(usize::from(node.kind_id()))
            .copied()
            .unwrap_or_else(|| node.kind())
    }

    fn text_of(&self, node: Node<'_>) -> &'t str {
        self.text.get(node.byte_range()).unwrap_or("")
    }

    fn spanned(&self, node: Node<'_>) -> Spanned<String> {
        Spanned::new(self.text_of(node).to_string(), range(node))
    }

    /// The contents of a string literal (without quotes), or of a template literal without
    /// substitutions.
    fn literal(&self, node: Node<'_>) -> Option<Spanned<String>> {
        match self.kind(node) {
            "string" | "template_string" => {
                if self.kind(node) == "template_string"
                    && (0..node.named_child_count()).any(|i| {
                        node.named_child(i)
                            .is_some_and(|c| self.kind(c) != "string_fragment")
                    })
                {
                    return None;
                }
                let r = range(node).shrink(1);
                Some(Spanned::new(self.text.get(r.as_usize())?.to_string(), r))
            }
            _ => None,
        }
    }

    /// Runs the walk from the root of a module.
    pub(super) fn run(mut self, root: Node<'_>) -> EnvFacts {
        self.open_scope(root);
        self.declare_module(root);
        let mut cursor = root.walk();
        // The path from the root's children to the current node, and whether each opened a
        // scope.
        let mut path: Vec<(Node<'_>, bool)> = Vec::new();
        if !cursor.goto_first_child() {
            return self.finish();
        }
        'walk: loop {
            let node = cursor.node();
            let opened = self.enter(node, &path);
            path.push((node, opened));
            if !skipped(self.kind(node)) && cursor.goto_first_child() {
                continue;
            }
            loop {
                if let Some((_, opened)) = path.pop() {
                    if opened {
                        self.close_scope();
                    }
                }
                if cursor.goto_next_sibling() {
                    continue 'walk;
                }
                if !cursor.goto_parent() || path.is_empty() {
                    break 'walk;
                }
            }
        }
        self.finish()
    }

    fn finish(mut self) -> EnvFacts {
        let f = &mut self.facts;
        f.accesses
            .sort_by_key(|a| (a.name.range.start, a.name.range.end));
        f.accesses.dedup_by(|a, b| a.name == b.name);
        f.calls
            .sort_by_key(|c| (c.range.start, c.method.range.start));
        f.aliases
            .sort_by(|a, b| (&a.name, a.scope).cmp(&(&b.name, b.scope)));
        f.aliases.dedup();
        self.facts
    }

    // ----- scopes -----

    fn open_scope(&mut self, node: Node<'_>) {
        self.scopes.push(Scope {
            names: HashMap::new(),
            range: range(node),
        });
    }

    fn close_scope(&mut self) {
        self.scopes.pop();
    }

    fn bind(&mut self, name: &str, holds: Holds) {
        let Some(scope) = self.scopes.last_mut() else {
            return;
        };
        if matches!(holds, Holds::Env) && name != "env" {
            self.facts.aliases.push(EnvAlias {
                name: name.to_string(),
                scope: scope.range,
            });
        }
        scope.names.insert(name.to_string(), holds);
    }

    fn lookup(&self, name: &str) -> Option<&Holds> {
        self.scopes.iter().rev().find_map(|s| s.names.get(name))
    }

    /// Module-level names: imports (`env` from the runtime is env) and declarations.
    fn declare_module(&mut self, root: Node<'_>) {
        let imports = self.imports;
        for import in imports {
            let holds =
                if import.imported == "env" && ENV_MODULES.contains(&import.from.value.as_str()) {
                    Holds::Env
                } else {
                    Holds::Other
                };
            self.bind(&import.local, holds);
        }
        self.declare_block(root);
    }

    /// Registers the declarations made directly in a block (functions and classes are
    /// hoisted; `const`s are registered before the block is walked so that a use earlier in
    /// the text, inside a function, sees them).
    fn declare_block(&mut self, block: Node<'_>) {
        let mut cursor = block.walk();
        if !cursor.goto_first_child() {
            return;
        }
        loop {
            let stmt = cursor.node();
            let stmt = if self.kind(stmt) == "export_statement" {
                stmt.child_by_field_id(self.f.declaration).unwrap_or(stmt)
            } else {
                stmt
            };
            match self.kind(stmt) {
                "lexical_declaration" | "variable_declaration" => {
                    let mut c = stmt.walk();
                    if c.goto_first_child() {
                        loop {
                            let d = c.node();
                            if self.kind(d) == "variable_declarator" {
                                self.declare_declarator(d);
                            }
                            if !c.goto_next_sibling() {
                                break;
                            }
                        }
                    }
                }
                "function_declaration"
                | "generator_function_declaration"
                | "class_declaration"
                | "abstract_class_declaration"
                | "enum_declaration" => {
                    if let Some(name) = stmt.child_by_field_id(self.f.name) {
                        let name = self.text_of(name);
                        self.bind(name, Holds::Other);
                    }
                }
                _ => {}
            }
            if !cursor.goto_next_sibling() {
                break;
            }
        }
    }

    /// `const x = <init>`: what `x` holds. Destructuring from env binds handles.
    fn declare_declarator(&mut self, d: Node<'_>) {
        let Some(name) = d.child_by_field_id(self.f.name) else {
            return;
        };
        let value = d
            .child_by_field_id(self.f.value)
            .map(|v| self.unwrap_await(v));
        match self.kind(name) {
            "identifier" => {
                let holds = match value {
                    Some(v) if self.is_env(v) => Holds::Env,
                    Some(v) => {
                        if let Some(b) = self.binding_of(v) {
                            Holds::Handle(b)
                        } else if let Some(b) = self.stub_of(v) {
                            Holds::Stub(b)
                        } else {
                            Holds::Other
                        }
                    }
                    None => Holds::Other,
                };
                let n = self.text_of(name);
                self.bind(n, holds);
            }
            "object_pattern" => {
                let from_env = value.is_some_and(|v| self.is_env(v));
                let from_process = value.is_some_and(|v| self.text_of(v) == "process");
                self.declare_pattern(name, from_env, from_process);
            }
            _ => self.declare_other_names(name),
        }
    }

    /// Binds the names of an object pattern: handles when destructured from env, env for an
    /// `env` key of anything else (a context object), otherwise plain names.
    fn declare_pattern(&mut self, pattern: Node<'_>, from_env: bool, from_process: bool) {
        let mut cursor = pattern.walk();
        if !cursor.goto_first_child() {
            return;
        }
        loop {
            let p = cursor.node();
            match self.kind(p) {
                "shorthand_property_identifier_pattern" => {
                    let key = self.spanned(p);
                    let holds = if from_env {
                        Holds::Handle(key.clone())
                    } else if key.value == "env" && !from_process {
                        Holds::Env
                    } else {
                        Holds::Other
                    };
                    self.bind(&key.value, holds);
                }
                "pair_pattern" => {
                    let key = p.child_by_field_id(self.f.key);
                    let value = p.child_by_field_id(self.f.value);
                    if let (Some(key), Some(value)) = (key, value) {
                        let key_name = self.literal(key).unwrap_or_else(|| self.spanned(key));
                        let local = if self.kind(value) == "assignment_pattern" {
                            value.child_by_field_id(self.f.left)
                        } else {
                            Some(value)
                        };
                        match local {
                            Some(l) if self.kind(l) == "identifier" => {
                                let holds = if from_env {
                                    Holds::Handle(key_name)
                                } else if key_name.value == "env" && !from_process {
                                    Holds::Env
                                } else {
                                    Holds::Other
                                };
                                let n = self.text_of(l);
                                self.bind(n, holds);
                            }
                            Some(l) => self.declare_other_names(l),
                            None => {}
                        }
                    }
                }
                "object_assignment_pattern" => {
                    if let Some(left) = p.child_by_field_id(self.f.left) {
                        let key = self.spanned(left);
                        let holds = if from_env {
                            Holds::Handle(key.clone())
                        } else if key.value == "env" && !from_process {
                            Holds::Env
                        } else {
                            Holds::Other
                        };
                        self.bind(&key.value, holds);
                    }
                }
                "rest_pattern" => self.declare_other_names(p),
                _ => {}
            }
            if !cursor.goto_next_sibling() {
                break;
            }
        }
    }

    /// Binds every identifier of a pattern as a plain name (bounded walk).
    fn declare_other_names(&mut self, pattern: Node<'_>) {
        let mut stack = vec![pattern];
        let mut budget = 4096;
        while let Some(n) = stack.pop() {
            budget -= 1;
            if budget == 0 {
                return;
            }
            match self.kind(n) {
                "identifier" | "shorthand_property_identifier_pattern" => {
                    let name = self.text_of(n);
                    self.bind(name, Holds::Other);
                }
                // Default values are expressions, not names.
                "assignment_pattern" | "object_assignment_pattern" => {
                    if let Some(l) = n.child_by_field_id(self.f.left) {
                        stack.push(l);
                    }
                }
                "pair_pattern" => {
                    if let Some(v) = n.child_by_field_id(self.f.value) {
                        stack.push(v);
                    }
                }
                _ => {
                    let mut c = n.walk();
                    if c.goto_first_child() {
                        loop {
                            stack.push(c.node());
                            if !c.goto_next_sibling() {
                                break;
                            }
                        }
                    }
                }
            }
        }
    }

    /// A function's parameters, with the env parameter recognised by position, name or type.
    fn declare_params(&mut self, func: Node<'_>, path: &[(Node<'_>, bool)]) {
        let env_position = self.env_param_position(func, path);
        if let Some(p) = func.child_by_field_id(self.f.parameter) {
            // `e => ...`
            let name = self.text_of(p);
            let holds = if name == "env" || env_position == Some(0) {
                Holds::Env
            } else {
                Holds::Other
            };
            self.bind(name, holds);
            return;
        }
        let Some(params) = func.child_by_field_id(self.f.parameters) else {
            return;
        };
        let mut cursor = params.walk();
        if !cursor.goto_first_child() {
            return;
        }
        let mut i = 0usize;
        loop {
            let p = cursor.node();
            if matches!(
                self.kind(p),
                "required_parameter" | "optional_parameter" | "identifier"
            ) {
                let (pattern, ty) = if self.kind(p) == "identifier" {
                    (Some(p), None)
                } else {
                    (
                        p.child_by_field_id(self.f.pattern),
                        p.child_by_field_id(self.f.r#type),
                    )
                };
                let typed_env = ty.is_some_and(|t| is_env_type(self.text_of(t)));
                let is_env = typed_env || env_position == Some(i);
                if let Some(pattern) = pattern {
                    let pattern = if self.kind(pattern) == "assignment_pattern" {
                        pattern.child_by_field_id(self.f.left).unwrap_or(pattern)
                    } else {
                        pattern
                    };
                    match self.kind(pattern) {
                        "identifier" => {
                            let name = self.text_of(pattern);
                            let holds = if is_env || name == "env" {
                                Holds::Env
                            } else {
                                Holds::Other
                            };
                            self.bind(name, holds);
                        }
                        "object_pattern" => {
                            if is_env {
                                self.env_pattern_reads(pattern);
                            }
                            self.declare_pattern(pattern, is_env, false);
                        }
                        _ => self.declare_other_names(pattern),
                    }
                }
                i += 1;
            }
            if !cursor.goto_next_sibling() {
                break;
            }
        }
    }

    /// The parameter index that receives env by position: 1 for a handler of an object
    /// literal and for the constructor of a Durable Object, agent or entrypoint class.
    fn env_param_position(&self, func: Node<'_>, path: &[(Node<'_>, bool)]) -> Option<usize> {
        let parent = path.last().map(|(n, _)| *n)?;
        let name_of = |n: Node<'_>| -> Option<String> {
            let key = n
                .child_by_field_id(self.f.name)
                .or_else(|| n.child_by_field_id(self.f.key))?;
            Some(
                self.literal(key)
                    .map(|s| s.value)
                    .unwrap_or_else(|| self.text_of(key).to_string()),
            )
        };
        match self.kind(func) {
            "method_definition" => {
                let name = name_of(func)?;
                match self.kind(parent) {
                    "object" if HANDLERS.contains(&name.as_str()) => Some(1),
                    "class_body" if name == "constructor" => {
                        let class = path.iter().rev().nth(1).map(|(n, _)| *n)?;
                        self.is_worker_class(class).then_some(1)
                    }
                    _ => None,
                }
            }
            "arrow_function" | "function_expression" | "function" => {
                if self.kind(parent) != "pair" {
                    return None;
                }
                let grand = path.iter().rev().nth(1).map(|(n, _)| *n)?;
                let name = name_of(parent)?;
                (self.kind(grand) == "object" && HANDLERS.contains(&name.as_str())).then_some(1)
            }
            _ => None,
        }
    }

    /// Whether a class extends a runtime base whose constructor receives env: Durable
    /// Objects, agents, entrypoints, containers, workflows.
    fn is_worker_class(&self, class: Node<'_>) -> bool {
        let mut cursor = class.walk();
        let heritage = class
            .named_children(&mut cursor)
            .find(|c| self.kind(*c) == "class_heritage");
        let Some(heritage) = heritage else {
            return false;
        };
        is_worker_heritage(self.text_of(heritage))
    }

    // ----- expressions -----

    /// Strips `satisfies`, `as`, `!` and parentheses.
    fn unwrap<'a>(&self, mut node: Node<'a>) -> Node<'a> {
        for _ in 0..32 {
            match self.kind(node) {
                "satisfies_expression"
                | "as_expression"
                | "non_null_expression"
                | "parenthesized_expression" => match node.named_child(0) {
                    Some(inner) => node = inner,
                    None => break,
                },
                _ => break,
            }
        }
        node
    }

    fn unwrap_await<'a>(&self, node: Node<'a>) -> Node<'a> {
        let node = self.unwrap(node);
        if self.kind(node) == "await_expression" {
            node.named_child(0).map(|n| self.unwrap(n)).unwrap_or(node)
        } else {
            node
        }
    }

    /// Whether an expression denotes the env object.
    fn is_env(&self, node: Node<'_>) -> bool {
        let node = self.unwrap(node);
        match self.kind(node) {
            "identifier" => {
                let name = self.text_of(node);
                match self.lookup(name) {
                    Some(Holds::Env) => true,
                    Some(_) => false,
                    None => name == "env",
                }
            }
            "member_expression" => {
                let Some(property) = node.child_by_field_id(self.f.property) else {
                    return false;
                };
                if self.kind(property) != "property_identifier" || self.text_of(property) != "env" {
                    return false;
                }
                let Some(object) = node.child_by_field_id(self.f.object) else {
                    return false;
                };
                let o = self.text_of(object);
                !(o == "process"
                    || o == "globalThis.process"
                    || o.starts_with("import.meta")
                    || o == "Bun"
                    || o == "Deno")
            }
            _ => false,
        }
    }

    /// `env.X` -> `X` with its span.
    fn env_member(&self, node: Node<'_>) -> Option<Spanned<String>> {
        let node = self.unwrap(node);
        if self.kind(node) != "member_expression" {
            return None;
        }
        let property = node.child_by_field_id(self.f.property)?;
        if self.kind(property) != "property_identifier" {
            return None;
        }
        self.is_env(node.child_by_field_id(self.f.object)?)
            .then(|| self.spanned(property))
    }

    /// The binding an expression denotes: `env.X`, or a local holding it (`const x = env.X`).
    fn binding_of(&self, node: Node<'_>) -> Option<Spanned<String>> {
        let node = self.unwrap(node);
        if self.kind(node) == "identifier" {
            return match self.lookup(self.text_of(node)) {
                Some(Holds::Handle(b)) => Some(b.clone()),
                _ => None,
            };
        }
        self.env_member(node)
    }

    /// `env.X.get(..)` / `env.X.getByName(..)` -> `X`.
    fn stub_of(&self, node: Node<'_>) -> Option<Spanned<String>> {
        let node = self.unwrap_await(node);
        if self.kind(node) != "call_expression" {
            return None;
        }
        let f = node.child_by_field_id(self.f.function)?;
        if self.kind(f) != "member_expression" {
            return None;
        }
        let getter = f.child_by_field_id(self.f.property)?;
        if !STUB_GETTERS.contains(&self.text_of(getter)) {
            return None;
        }
        self.binding_of(f.child_by_field_id(self.f.object)?)
    }

    /// Whether passing env to this callee hides which bindings are read: calls into packages,
    /// or reflection. Calls into the workspace's own modules are followed by their summaries.
    fn callee_hides(&self, callee: Node<'_>) -> bool {
        let mut head = self.unwrap(callee);
        for _ in 0..64 {
            match self.kind(head) {
                "member_expression" => match head.child_by_field_id(self.f.object) {
                    Some(o) => head = self.unwrap(o),
                    None => return true,
                },
                "call_expression" => match head.child_by_field_id(self.f.function) {
                    Some(f) => head = self.unwrap(f),
                    None => return true,
                },
                _ => break,
            }
        }
        match self.kind(head) {
            "identifier" => {
                let name = self.text_of(head);
                if REFLECTION.contains(&name) {
                    return true;
                }
                match self.imports.iter().find(|i| i.local == name) {
                    Some(import) => !import.from.value.starts_with('.'),
                    // A local function or a method on a local value (e.g. a Hono app).
                    None => false,
                }
            }
            "this" | "super" => false,
            _ => true,
        }
    }

    /// Whether the read at the top of `path` (an `env.X` node) tests for presence or supplies
    /// a default.
    fn is_guarded(&self, access: Node<'_>, path: &[(Node<'_>, bool)]) -> bool {
        let mut child = access;
        for (node, _) in path.iter().rev().take(40) {
            let node = *node;
            match self.kind(node) {
                "parenthesized_expression"
                | "non_null_expression"
                | "as_expression"
                | "satisfies_expression" => {}
                "unary_expression" => {
                    let op = node
                        .child_by_field_id(self.f.operator)
                        .map(|o| self.text_of(o));
                    match op {
                        Some("typeof") => return true,
                        Some("!") => {}
                        _ => return false,
                    }
                }
                "if_statement" | "while_statement" | "do_statement" => {
                    return node
                        .child_by_field_id(self.f.condition)
                        .is_some_and(|c| c.id() == child.id());
                }
                "ternary_expression" => {
                    return node
                        .child_by_field_id(self.f.condition)
                        .is_some_and(|c| c.id() == child.id());
                }
                "binary_expression" => {
                    let op = node
                        .child_by_field_id(self.f.operator)
                        .map(|o| self.text_of(o))
                        .unwrap_or("");
                    let left = node.child_by_field_id(self.f.left);
                    let right = node.child_by_field_id(self.f.right);
                    let is_left = left.is_some_and(|l| l.id() == child.id());
                    return match op {
                        "&&" => true,
                        "||" | "??" => is_left,
                        "==" | "!=" | "===" | "!==" => {
                            let other = if is_left { right } else { left };
                            other.is_some_and(|o| matches!(self.text_of(o), "undefined" | "null"))
                        }
                        _ => false,
                    };
                }
                // `env.X?.y`, `env.X?.()`.
                "member_expression" | "call_expression" | "subscript_expression" => {
                    let object = node
                        .child_by_field_id(self.f.object)
                        .or_else(|| node.child_by_field_id(self.f.function));
                    if object.is_some_and(|o| o.id() == child.id()) {
                        let mut c = node.walk();
                        return node
                            .children(&mut c)
                            .any(|n| self.kind(n) == "optional_chain");
                    }
                    return false;
                }
                _ => return false,
            }
            child = node;
        }
        false
    }

    /// Whether `node` is the target of an assignment (`env.X = v`, `env.X ??= v`).
    fn is_assigned(&self, node: Node<'_>, path: &[(Node<'_>, bool)]) -> bool {
        let Some((parent, _)) = path.last() else {
            return false;
        };
        matches!(
            self.kind(*parent),
            "assignment_expression" | "augmented_assignment_expression"
        ) && parent
            .child_by_field_id(self.f.left)
            .is_some_and(|l| l.id() == node.id())
    }

    /// Reads of the names an object pattern destructures from env.
    fn env_pattern_reads(&mut self, pattern: Node<'_>) {
        let mut cursor = pattern.walk();
        if !cursor.goto_first_child() {
            return;
        }
        loop {
            let p = cursor.node();
            match self.kind(p) {
                "shorthand_property_identifier_pattern" => {
                    let name = self.spanned(p);
                    self.read(name, false);
                }
                "pair_pattern" => {
                    if let Some(key) = p.child_by_field_id(self.f.key) {
                        if matches!(self.kind(key), "property_identifier" | "string") {
                            let name = self.literal(key).unwrap_or_else(|| self.spanned(key));
                            let guarded = p
                                .child_by_field_id(self.f.value)
                                .is_some_and(|v| self.kind(v) == "assignment_pattern");
                            self.read(name, guarded);
                        }
                    }
                }
                "object_assignment_pattern" => {
                    if let Some(left) = p.child_by_field_id(self.f.left) {
                        if self.kind(left) == "shorthand_property_identifier_pattern" {
                            let name = self.spanned(left);
                            // `{ X = default }`: absence is handled.
                            self.read(name, true);
                        }
                    }
                }
                "rest_pattern" => self.facts.escapes = true,
                _ => {}
            }
            if !cursor.goto_next_sibling() {
                break;
            }
        }
    }

    fn read(&mut self, name: Spanned<String>, guarded: bool) {
        self.facts.accesses.push(EnvAccess { name, guarded });
    }

    /// Handles one node on entry; returns whether it opened a scope.
    fn enter(&mut self, node: Node<'_>, path: &[(Node<'_>, bool)]) -> bool {
        let kind = self.kind(node);
        if is_function(kind) {
            self.open_scope(node);
            self.declare_params(node, path);
            return true;
        }
        match kind {
            "statement_block" => {
                self.open_scope(node);
                self.declare_block(node);
                return true;
            }
            "for_in_statement" | "for_statement" | "catch_clause" => {
                self.open_scope(node);
                let left = node
                    .child_by_field_id(self.f.left)
                    .or_else(|| node.child_by_field_id(self.f.parameter))
                    .or_else(|| node.child_by_field_id(self.f.initializer));
                if let Some(left) = left {
                    if matches!(
                        self.kind(left),
                        "lexical_declaration" | "variable_declaration"
                    ) {
                        let mut c = left.walk();
                        let decls: Vec<Node<'_>> = left
                            .named_children(&mut c)
                            .filter(|d| self.kind(*d) == "variable_declarator")
                            .collect();
                        for d in decls {
                            if kind == "for_in_statement" {
                                if let Some(n) = d.child_by_field_id(self.f.name) {
                                    self.declare_other_names(n);
                                }
                            } else {
                                self.declare_declarator(d);
                            }
                        }
                    } else if kind != "for_statement" {
                        self.declare_other_names(left);
                    }
                }
                return true;
            }
            "member_expression" => {
                if let Some(name) = self.env_member(node) {
                    if self.is_assigned(node, path) {
                        self.facts.writes.push(name);
                    } else {
                        let guarded = self.is_guarded(node, path);
                        self.read(name, guarded);
                    }
                }
            }
            "subscript_expression" => {
                let object = node.child_by_field_id(self.f.object);
                if object.is_some_and(|o| self.is_env(o)) {
                    let index = node.child_by_field_id(self.f.index).map(|i| self.unwrap(i));
                    match index.and_then(|i| self.literal(i)) {
                        Some(name) => {
                            if self.is_assigned(node, path) {
                                self.facts.writes.push(name);
                            } else {
                                let guarded = self.is_guarded(node, path);
                                self.read(name, guarded);
                            }
                        }
                        None => self.facts.dynamic = true,
                    }
                }
            }
            "binary_expression" => {
                // `"X" in env`
                let op = node
                    .child_by_field_id(self.f.operator)
                    .map(|o| self.text_of(o));
                if op == Some("in") {
                    let left = node.child_by_field_id(self.f.left).map(|l| self.unwrap(l));
                    let right = node.child_by_field_id(self.f.right);
                    if right.is_some_and(|r| self.is_env(r)) {
                        match left.and_then(|l| self.literal(l)) {
                            Some(name) => self.read(name, true),
                            None => self.facts.dynamic = true,
                        }
                    }
                }
            }
            "variable_declarator" => {
                // `const { A, B: b } = env`: reads (the names were bound by declare_block).
                let name = node.child_by_field_id(self.f.name);
                let value = node
                    .child_by_field_id(self.f.value)
                    .map(|v| self.unwrap_await(v));
                if let (Some(name), Some(value)) = (name, value) {
                    if self.kind(name) == "object_pattern" && self.is_env(value) {
                        self.env_pattern_reads(name);
                    }
                }
            }
            "call_expression" => self.call(node),
            "new_expression" => {
                if let (Some(ctor), Some(args)) = (
                    node.child_by_field_id(self.f.constructor),
                    node.child_by_field_id(self.f.arguments),
                ) {
                    self.escaping_arguments(ctor, args);
                }
            }
            "spread_element" if node.named_child(0).is_some_and(|s| self.is_env(s)) => {
                self.facts.escapes = true;
            }
            _ => {}
        }
        false
    }

    fn escaping_arguments(&mut self, callee: Node<'_>, args: Node<'_>) {
        if self.facts.escapes {
            return;
        }
        let mut c = args.walk();
        let passes_env = args.named_children(&mut c).any(|a| self.is_env(a));
        if passes_env && self.callee_hides(callee) {
            self.facts.escapes = true;
        }
    }

    fn call(&mut self, node: Node<'_>) {
        let Some(function) = node.child_by_field_id(self.f.function) else {
            return;
        };
        if let Some(args) = node.child_by_field_id(self.f.arguments) {
            self.escaping_arguments(function, args);
        }
        let function = self.unwrap(function);
        if self.kind(function) != "member_expression" {
            return;
        }
        let (Some(receiver), Some(method)) = (
            function.child_by_field_id(self.f.object),
            function.child_by_field_id(self.f.property),
        ) else {
            return;
        };
        if self.kind(method) != "property_identifier" {
            return;
        }
        let receiver = self.unwrap_await(receiver);
        let target = if let Some(binding) = self.binding_of(receiver) {
            Some((binding, CallTarget::Direct))
        } else if let Some(binding) = self.stub_of(receiver) {
            Some((binding, CallTarget::Stub))
        } else if self.kind(receiver) == "identifier" {
            match self.lookup(self.text_of(receiver)) {
                Some(Holds::Stub(b)) => Some((b.clone(), CallTarget::Stub)),
                _ => None,
            }
        } else {
            None
        };
        if let Some((binding, target)) = target {
            self.facts.calls.push(EnvCall {
                binding,
                method: self.spanned(method),
                target,
                range: range(node),
            });
        }
    }
}
