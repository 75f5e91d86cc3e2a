//! What a static reader knows of a TypeScript module that declares workers: its top-level
//! values as expression trees, read once with tree-sitter (the tree is dropped after), and
//! never executed.
//!
//! Only the forms a config is written in are kept: literals, template literals, object and
//! array literals, identifiers, member chains, calls and `new`, `await`, arrow functions with an
//! expression body (or a block that only returns one), dynamic `import("...")`,
//! `import.meta.filename`, `satisfies`/`as`. Anything else is [`Expr::Unknown`], and whatever
//! depends on it stays unknown.
//!
//! For front-ends whose declarations are code (Alchemy's Effect programs), function bodies are
//! kept as their statements ([`Expr::Function`], nested blocks flattened), `yield` is kept, the
//! sub-expressions of operators are kept ([`Expr::Compound`], its value unknown), and so are the
//! type arguments of calls and the module's interfaces and type aliases ([`TypeExpr`]): only
//! the names of object type members, references to named types and unions.

use crate::base::{Spanned, TextRange};
use crate::source::{Import, SourceLang};
use tree_sitter::{Node, Parser};

/// The deepest expression kept; deeper ones are unknown (configs are shallow, and the
/// conversion must not overflow the stack on hostile input).
const MAX_DEPTH: usize = 64;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expr {
    /// A string literal; `range` covers its contents without the quotes.
    Str {
        value: String,
        range: TextRange,
    },
    /// A template literal with substitutions (one without is a `Str`).
    Template {
        parts: Vec<TemplatePart>,
        range: TextRange,
    },
    Num {
        text: String,
        range: TextRange,
    },
    Bool {
        value: bool,
        range: TextRange,
    },
    Null {
        range: TextRange,
    },
    Object {
        props: Vec<Prop>,
        /// Whether a spread (`...x`) or a computed key makes the key set unknown.
        open: bool,
        range: TextRange,
    },
    Array {
        items: Vec<Expr>,
        open: bool,
        range: TextRange,
    },
    Ident {
        name: String,
        range: TextRange,
    },
    Member {
        object: Box<Expr>,
        property: Spanned<String>,
        range: TextRange,
    },
    Call {
        callee: Box<Expr>,
        args: Vec<Expr>,
        /// `f<A, B>(...)`: the type arguments as written.
        type_args: Vec<TypeExpr>,
        range: TextRange,
    },
    New {
        callee: Box<Expr>,
        args: Vec<Expr>,
        range: TextRange,
    },
    /// `import("./x")`.
    DynamicImport {
        specifier: Spanned<String>,
        range: TextRange,
    },
    /// `() => expr` (or `() => { return expr; }`): its result.
    Arrow {
        body: Box<Expr>,
        /// The names its parameters bind (destructured ones included).
        params: Vec<String>,
        range: TextRange,
    },
    Await {
        inner: Box<Expr>,
        range: TextRange,
    },
    /// `import.meta.<property>`.
    ImportMeta {
        property: String,
        range: TextRange,
    },
    /// A function whose body is a block that is more than one `return` (a generator's body
    /// always): its statements in order, those of nested blocks (`if`, loops, `try`, `switch`)
    /// flattened into the list. Its result is unknown.
    Function {
        statements: Vec<Stmt>,
        /// The names its parameters bind (destructured ones included).
        params: Vec<String>,
        generator: bool,
        range: TextRange,
    },
    /// `yield x`, `yield* x` (`delegate`).
    Yield {
        inner: Box<Expr>,
        delegate: bool,
        range: TextRange,
    },
    /// An expression the reader does not model (an operator, a conditional, an assignment, an
    /// index), with the sub-expressions it is made of so that calls inside can be found. Its
    /// value is unknown.
    Compound {
        parts: Vec<Expr>,
        range: TextRange,
    },
    Unknown {
        range: TextRange,
    },
}

/// One statement of a function body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stmt {
    /// `const x = e` (also `let`, `var`, a function declaration); `name` is `None` for a
    /// destructuring pattern.
    Const {
        name: Option<Spanned<String>>,
        value: Expr,
        range: TextRange,
    },
    /// An expression statement, or an expression a compound statement evaluates (an `if`
    /// condition, a loop's iterable, a `throw`).
    Expr(Expr),
    Return {
        value: Option<Expr>,
        range: TextRange,
    },
}

/// A type as written, as far as front-ends read types.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TypeExpr {
    /// `{ a: T; b(): U }`, an interface body: its members. `open` when some members are not
    /// known by name (an index or call signature, a computed key, an interface's `extends`).
    Object {
        members: Vec<TypeMember>,
        open: bool,
        range: TextRange,
    },
    /// `Foo`, `ns.Foo`, `Foo<A>`: the dotted name and the type arguments.
    Ref {
        path: Vec<String>,
        args: Vec<TypeExpr>,
        range: TextRange,
    },
    /// `A | B`.
    Union {
        items: Vec<TypeExpr>,
        range: TextRange,
    },
    Unknown {
        range: TextRange,
    },
}

impl TypeExpr {
    pub fn range(&self) -> TextRange {
        match self {
            TypeExpr::Object { range, .. }
            | TypeExpr::Ref { range, .. }
            | TypeExpr::Union { range, .. }
            | TypeExpr::Unknown { range } => *range,
        }
    }
}

/// A member of an object type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypeMember {
    pub name: Spanned<String>,
    /// For a method or a property of function type: the parameter list as written.
    pub params: Option<String>,
    /// The return type (of a method or function type) or the property's type, as written.
    pub return_type: Option<String>,
    pub optional: bool,
    /// The whole member.
    pub range: TextRange,
}

/// A top-level `interface X {}` or `type X = ...`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypeDecl {
    pub name: Spanned<String>,
    pub ty: TypeExpr,
    pub exported: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TemplatePart {
    Text(String),
    Expr(Expr),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prop {
    /// The key as read (unquoted), with its span.
    pub key: Spanned<String>,
    pub value: Expr,
    /// `{ key }` shorthand: the value is the identifier `key`.
    pub shorthand: bool,
    /// The whole property.
    pub range: TextRange,
}

impl Expr {
    pub fn range(&self) -> TextRange {
        match self {
            Expr::Str { range, .. }
            | Expr::Template { range, .. }
            | Expr::Num { range, .. }
            | Expr::Bool { range, .. }
            | Expr::Null { range }
            | Expr::Object { range, .. }
            | Expr::Array { range, .. }
            | Expr::Ident { range, .. }
            | Expr::Member { range, .. }
            | Expr::Call { range, .. }
            | Expr::New { range, .. }
            | Expr::DynamicImport { range, .. }
            | Expr::Arrow { range, .. }
            | Expr::Await { range, .. }
            | Expr::ImportMeta { range, .. }
            | Expr::Function { range, .. }
            | Expr::Yield { range, .. }
            | Expr::Compound { range, .. }
            | Expr::Unknown { range } => *range,
        }
    }

    /// The expression under any `await`.
    pub fn awaited(&self) -> &Expr {
        let mut e = self;
        while let Expr::Await { inner, .. } = e {
            e = inner;
        }
        e
    }

    /// A property of an object literal.
    pub fn prop(&self, key: &str) -> Option<&Prop> {
        match self.awaited() {
            Expr::Object { props, .. } => props.iter().find(|p| p.key.value == key),
            _ => None,
        }
    }

    pub fn get(&self, key: &str) -> Option<&Expr> {
        self.prop(key).map(|p| &p.value)
    }

    /// The dotted path of an identifier or member chain: `Cloudflare.Workers.Worker` ->
    /// `["Cloudflare", "Workers", "Worker"]`.
    pub fn path(&self) -> Option<Vec<&str>> {
        match self {
            Expr::Ident { name, .. } => Some(vec![name.as_str()]),
            Expr::Member {
                object, property, ..
            } => {
                let mut p = object.path()?;
                p.push(property.value.as_str());
                Some(p)
            }
            _ => None,
        }
    }
}

/// A top-level `class X extends <heritage> {}` (Alchemy's tagged classes are declared so).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClassValue {
    pub name: Spanned<String>,
    pub heritage: Option<Expr>,
    pub exported: bool,
    pub default: bool,
    pub range: TextRange,
}

/// A module's top-level values.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ModuleValues {
    pub imports: Vec<Import>,
    /// `import type { A }`, `import { type A }`: names of types only.
    pub type_imports: Vec<Import>,
    /// Top-level `const`/`let`/`var` bound to a plain name: (name, initializer).
    pub consts: Vec<(Spanned<String>, Expr)>,
    /// `export const x`, `export { a as b }`: (exported name, local name).
    pub exports: Vec<(String, String)>,
    /// `export { a as b } from "./x"`: (exported name, imported name, specifier).
    pub reexports: Vec<(String, String, String)>,
    pub default: Option<Expr>,
    /// Top-level expression statements (`await app.finalize()`, `Worker("x", {...})`).
    pub statements: Vec<Expr>,
    pub classes: Vec<ClassValue>,
    /// Top-level interfaces and type aliases.
    pub types: Vec<TypeDecl>,
    pub has_syntax_errors: bool,
}

impl ModuleValues {
    pub fn const_value(&self, name: &str) -> Option<&Expr> {
        self.consts
            .iter()
            .find(|(n, _)| n.value == name)
            .map(|(_, e)| e)
    }

    pub fn import(&self, local: &str) -> Option<&Import> {
        self.imports.iter().find(|i| i.local == local)
    }

    pub fn class(&self, name: &str) -> Option<&ClassValue> {
        self.classes.iter().find(|c| c.name.value == name)
    }

    pub fn type_decl(&self, name: &str) -> Option<&TypeDecl> {
        self.types.iter().find(|t| t.name.value == name)
    }

    /// Whether the module imports from a specifier (`alchemy/cloudflare`).
    pub fn imports_from(&self, specifiers: &[&str]) -> bool {
        self.imports
            .iter()
            .any(|i| specifiers.contains(&i.from.value.as_str()))
    }
}

fn range(node: Node<'_>) -> TextRange {
    TextRange::from_usize(node.start_byte(), node.end_byte())
}

struct Reader<'t> {
    text: &'t str,
    /// Expressions converted so far: a budget against pathological input.
    budget: usize,
}

/// Reads a module's top-level values.
pub fn read_module(text: &str, lang: SourceLang) -> ModuleValues {
    let mut parser = Parser::new();
    let language: tree_sitter::Language = match lang {
        SourceLang::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
        SourceLang::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
    };
    if parser.set_language(&language).is_err() {
        return ModuleValues::default();
    }
    let Some(tree) = parser.parse(text, None) else {
        return ModuleValues::default();
    };
    let root = tree.root_node();
    let mut r = Reader {
        text,
        budget: 200_000,
    };
    let summary = crate::source::summarize(text, lang);
    let mut m = ModuleValues {
        imports: summary.imports,
        type_imports: summary.type_imports,
        has_syntax_errors: root.has_error(),
        ..ModuleValues::default()
    };
    let mut cursor = root.walk();
    for stmt in root.named_children(&mut cursor) {
        r.statement(stmt, &mut m);
    }
    m
}

impl Reader<'_> {
    fn text_of(&self, node: Node<'_>) -> &str {
        self.text.get(node.byte_range()).unwrap_or("")
    }

    fn spanned(&self, node: Node<'_>) -> Spanned<String> {
        Spanned::new(self.text_of(node).to_string(), range(node))
    }

    fn string(&self, node: Node<'_>) -> Option<Spanned<String>> {
        if node.kind() != "string" {
            return None;
        }
        let inner = range(node).shrink(1);
        Some(Spanned::new(
            self.text.get(inner.as_usize())?.to_string(),
            inner,
        ))
    }

    fn statement(&mut self, stmt: Node<'_>, m: &mut ModuleValues) {
        match stmt.kind() {
            "lexical_declaration" | "variable_declaration" => self.declaration(stmt, m, false),
            "export_statement" => self.export(stmt, m),
            "class_declaration" | "abstract_class_declaration" => {
                if let Some(c) = self.class(stmt, false, false) {
                    m.classes.push(c);
                }
            }
            "interface_declaration" | "type_alias_declaration" => {
                if let Some(t) = self.type_decl(stmt, false) {
                    m.types.push(t);
                }
            }
            "expression_statement" => {
                if let Some(e) = stmt.named_child(0) {
                    let e = self.expr(e, 0);
                    m.statements.push(e);
                }
            }
            _ => {}
        }
    }

    fn declaration(&mut self, decl: Node<'_>, m: &mut ModuleValues, exported: bool) {
        let mut cursor = decl.walk();
        let declarators: Vec<Node<'_>> = decl
            .named_children(&mut cursor)
            .filter(|d| d.kind() == "variable_declarator")
            .collect();
        for d in declarators {
            let Some(name) = d.child_by_field_name("name") else {
                continue;
            };
            if name.kind() != "identifier" {
                continue;
            }
            let name = self.spanned(name);
            let value = d
                .child_by_field_name("value")
                .map(|v| self.expr(v, 0))
                .unwrap_or(Expr::Unknown { range: range(d) });
            if exported {
                m.exports.push((name.value.clone(), name.value.clone()));
            }
            m.consts.push((name, value));
        }
    }

    fn export(&mut self, stmt: Node<'_>, m: &mut ModuleValues) {
        let is_default =
            (0..stmt.child_count()).any(|i| stmt.child(i).is_some_and(|c| c.kind() == "default"));
        if let Some(decl) = stmt.child_by_field_name("declaration") {
            match decl.kind() {
                "lexical_declaration" | "variable_declaration" => self.declaration(decl, m, true),
                "class_declaration" | "abstract_class_declaration" => {
                    if let Some(c) = self.class(decl, true, is_default) {
                        if !is_default {
                            m.exports.push((c.name.value.clone(), c.name.value.clone()));
                        }
                        m.classes.push(c);
                    }
                }
                "function_declaration" => {
                    if let Some(n) = decl.child_by_field_name("name") {
                        let n = self.text_of(n).to_string();
                        m.exports.push((n.clone(), n));
                    }
                }
                "interface_declaration" | "type_alias_declaration" => {
                    if let Some(t) = self.type_decl(decl, true) {
                        m.types.push(t);
                    }
                }
                _ => {}
            }
            return;
        }
        if is_default {
            let value = stmt.child_by_field_name("value").or_else(|| {
                let mut c = stmt.walk();
                let found = stmt
                    .named_children(&mut c)
                    .find(|n| !matches!(n.kind(), "comment" | "decorator"));
                found
            });
            if let Some(v) = value {
                if matches!(v.kind(), "class" | "class_declaration") {
                    if let Some(c) = self.class(v, true, true) {
                        m.classes.push(c);
                    }
                } else {
                    m.default = Some(self.expr(v, 0));
                }
            }
            return;
        }
        let source = stmt
            .child_by_field_name("source")
            .and_then(|s| self.string(s));
        let mut cursor = stmt.walk();
        for clause in stmt.named_children(&mut cursor) {
            if clause.kind() != "export_clause" {
                continue;
            }
            let mut c2 = clause.walk();
            for spec in clause.named_children(&mut c2) {
                let Some(name) = spec.child_by_field_name("name") else {
                    continue;
                };
                let local = self.text_of(name).to_string();
                let exported = spec
                    .child_by_field_name("alias")
                    .map(|a| self.text_of(a).to_string())
                    .unwrap_or_else(|| local.clone());
                match &source {
                    Some(from) => m.reexports.push((exported, local, from.value.clone())),
                    None => m.exports.push((exported, local)),
                }
            }
        }
    }

    fn class(&mut self, node: Node<'_>, exported: bool, default: bool) -> Option<ClassValue> {
        let name = match node.child_by_field_name("name") {
            Some(n) => self.spanned(n),
            None if default => Spanned::new("default".into(), range(node)),
            None => return None,
        };
        let mut heritage = None;
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            if child.kind() != "class_heritage" {
                continue;
            }
            let mut c2 = child.walk();
            for clause in child.named_children(&mut c2) {
                if clause.kind() == "extends_clause" {
                    heritage = clause.child_by_field_name("value").map(|v| self.expr(v, 0));
                }
            }
        }
        Some(ClassValue {
            name,
            heritage,
            exported,
            default,
            range: range(node),
        })
    }

    fn expr(&mut self, node: Node<'_>, depth: usize) -> Expr {
        let r = range(node);
        if depth > MAX_DEPTH || self.budget == 0 {
            return Expr::Unknown { range: r };
        }
        self.budget -= 1;
        match node.kind() {
            "string" => match self.string(node) {
                Some(s) => Expr::Str {
                    value: s.value,
                    range: s.range,
                },
                None => Expr::Unknown { range: r },
            },
            "template_string" => self.template(node, depth),
            "number" => Expr::Num {
                text: self.text_of(node).to_string(),
                range: r,
            },
            "true" | "false" => Expr::Bool {
                value: node.kind() == "true",
                range: r,
            },
            "null" | "undefined" => Expr::Null { range: r },
            "identifier" => Expr::Ident {
                name: self.text_of(node).to_string(),
                range: r,
            },
            "parenthesized_expression"
            | "satisfies_expression"
            | "as_expression"
            | "non_null_expression" => match node.named_child(0) {
                Some(inner) => self.expr(inner, depth + 1),
                None => Expr::Unknown { range: r },
            },
            "await_expression" => match node.named_child(0) {
                Some(inner) => Expr::Await {
                    inner: Box::new(self.expr(inner, depth + 1)),
                    range: r,
                },
                None => Expr::Unknown { range: r },
            },
            "object" => self.object(node, depth),
            "array" => {
                let mut items = Vec::new();
                let mut open = false;
                let mut cursor = node.walk();
                for item in node.named_children(&mut cursor) {
                    match item.kind() {
                        "comment" => {}
                        "spread_element" => open = true,
                        _ => items.push(self.expr(item, depth + 1)),
                    }
                }
                Expr::Array {
                    items,
                    open,
                    range: r,
                }
            }
            "member_expression" => {
                let object = node.child_by_field_name("object");
                let property = node.child_by_field_name("property");
                match (object, property) {
                    (Some(o), Some(p)) if p.kind() == "property_identifier" => {
                        if o.kind() == "meta_property" || self.text_of(o) == "import.meta" {
                            return Expr::ImportMeta {
                                property: self.text_of(p).to_string(),
                                range: r,
                            };
                        }
                        Expr::Member {
                            object: Box::new(self.expr(o, depth + 1)),
                            property: self.spanned(p),
                            range: r,
                        }
                    }
                    _ => Expr::Unknown { range: r },
                }
            }
            "call_expression" => {
                let Some(function) = node.child_by_field_name("function") else {
                    return Expr::Unknown { range: r };
                };
                let args = node
                    .child_by_field_name("arguments")
                    .map(|a| self.args(a, depth))
                    .unwrap_or_default();
                if function.kind() == "import" {
                    return match args.first() {
                        Some(Expr::Str { value, range: sr }) => Expr::DynamicImport {
                            specifier: Spanned::new(value.clone(), *sr),
                            range: r,
                        },
                        _ => Expr::Unknown { range: r },
                    };
                }
                let type_args = node
                    .child_by_field_name("type_arguments")
                    .map(|t| self.type_list(t, depth))
                    .unwrap_or_default();
                // tree-sitter reads `await f<T>(x)` as `(await f)<T>(x)`; TypeScript awaits
                // the call.
                if function.kind() == "await_expression"
                    && node.child_by_field_name("type_arguments").is_some()
                {
                    if let Some(inner) = function.named_child(0) {
                        return Expr::Await {
                            inner: Box::new(Expr::Call {
                                callee: Box::new(self.expr(inner, depth + 1)),
                                args,
                                type_args,
                                range: TextRange::new(range(inner).start, r.end),
                            }),
                            range: r,
                        };
                    }
                }
                Expr::Call {
                    callee: Box::new(self.expr(function, depth + 1)),
                    args,
                    type_args,
                    range: r,
                }
            }
            "new_expression" => {
                let callee = node
                    .child_by_field_name("constructor")
                    .map(|c| self.expr(c, depth + 1))
                    .unwrap_or(Expr::Unknown { range: r });
                let args = node
                    .child_by_field_name("arguments")
                    .map(|a| self.args(a, depth))
                    .unwrap_or_default();
                Expr::New {
                    callee: Box::new(callee),
                    args,
                    range: r,
                }
            }
            "arrow_function" | "function_expression" | "function" => {
                let Some(body) = node.child_by_field_name("body") else {
                    return Expr::Unknown { range: r };
                };
                let params = self.params(node);
                let result = if body.kind() == "statement_block" {
                    // `{ return x; }` and nothing else.
                    let mut c = body.walk();
                    let stmts: Vec<Node<'_>> = body
                        .named_children(&mut c)
                        .filter(|s| s.kind() != "comment")
                        .collect();
                    match stmts.as_slice() {
                        [only] if only.kind() == "return_statement" => match only.named_child(0) {
                            Some(v) => self.expr(v, depth + 1),
                            None => Expr::Unknown { range: r },
                        },
                        _ => {
                            return Expr::Function {
                                statements: self.block(body, depth + 1),
                                params,
                                generator: false,
                                range: r,
                            }
                        }
                    }
                } else {
                    self.expr(body, depth + 1)
                };
                Expr::Arrow {
                    body: Box::new(result),
                    params,
                    range: r,
                }
            }
            "generator_function" => Expr::Function {
                params: self.params(node),
                statements: node
                    .child_by_field_name("body")
                    .map(|b| self.block(b, depth + 1))
                    .unwrap_or_default(),
                generator: true,
                range: r,
            },
            "yield_expression" => {
                let delegate =
                    (0..node.child_count()).any(|i| node.child(i).is_some_and(|c| c.kind() == "*"));
                let inner = match node.named_child(0) {
                    Some(inner) => self.expr(inner, depth + 1),
                    None => Expr::Null { range: r },
                };
                Expr::Yield {
                    inner: Box::new(inner),
                    delegate,
                    range: r,
                }
            }
            "binary_expression"
            | "unary_expression"
            | "ternary_expression"
            | "assignment_expression"
            | "augmented_assignment_expression"
            | "update_expression"
            | "subscript_expression"
            | "sequence_expression"
            | "spread_element" => {
                let mut cursor = node.walk();
                let children: Vec<Node<'_>> = node
                    .named_children(&mut cursor)
                    .filter(|c| c.kind() != "comment")
                    .collect();
                Expr::Compound {
                    parts: children
                        .into_iter()
                        .map(|c| self.expr(c, depth + 1))
                        .collect(),
                    range: r,
                }
            }
            _ => Expr::Unknown { range: r },
        }
    }

    /// The names a function's parameters bind: `(a, { b, c: d }, [e], ...f)` -> a, b, d, e, f.
    fn params(&self, func: Node<'_>) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(p) = func.child_by_field_name("parameter") {
            self.pattern_names(p, &mut out, 0);
        }
        if let Some(list) = func.child_by_field_name("parameters") {
            let mut cursor = list.walk();
            let items: Vec<Node<'_>> = list.named_children(&mut cursor).collect();
            for item in items {
                let pattern = item.child_by_field_name("pattern").unwrap_or(item);
                self.pattern_names(pattern, &mut out, 0);
            }
        }
        out
    }

    fn pattern_names(&self, node: Node<'_>, out: &mut Vec<String>, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        match node.kind() {
            "identifier" | "shorthand_property_identifier_pattern" => {
                out.push(self.text_of(node).to_string())
            }
            "object_pattern" | "array_pattern" | "rest_pattern" => {
                let mut cursor = node.walk();
                let items: Vec<Node<'_>> = node.named_children(&mut cursor).collect();
                for c in items {
                    self.pattern_names(c, out, depth + 1);
                }
            }
            "pair_pattern" => {
                if let Some(v) = node.child_by_field_name("value") {
                    self.pattern_names(v, out, depth + 1);
                }
            }
            "assignment_pattern" | "object_assignment_pattern" => {
                if let Some(l) = node.child_by_field_name("left") {
                    self.pattern_names(l, out, depth + 1);
                }
            }
            _ => {}
        }
    }

    /// The statements of a block, nested blocks flattened.
    fn block(&mut self, block: Node<'_>, depth: usize) -> Vec<Stmt> {
        let mut out = Vec::new();
        self.statements_into(block, depth, &mut out);
        out
    }

    fn statements_into(&mut self, node: Node<'_>, depth: usize, out: &mut Vec<Stmt>) {
        if depth > MAX_DEPTH || self.budget == 0 {
            return;
        }
        match node.kind() {
            "statement_block" | "switch_body" | "else_clause" | "finally_clause" => {
                let mut cursor = node.walk();
                let children: Vec<Node<'_>> = node.named_children(&mut cursor).collect();
                for c in children {
                    self.statements_into(c, depth + 1, out);
                }
            }
            "switch_case" | "switch_default" => {
                let value = node.child_by_field_name("value").map(|v| v.id());
                let mut cursor = node.walk();
                let children: Vec<Node<'_>> = node.named_children(&mut cursor).collect();
                for c in children {
                    if Some(c.id()) == value {
                        let e = self.expr(c, depth + 1);
                        out.push(Stmt::Expr(e));
                    } else {
                        self.statements_into(c, depth + 1, out);
                    }
                }
            }
            "lexical_declaration" | "variable_declaration" => {
                let mut cursor = node.walk();
                let declarators: Vec<Node<'_>> = node
                    .named_children(&mut cursor)
                    .filter(|d| d.kind() == "variable_declarator")
                    .collect();
                for d in declarators {
                    let name = d
                        .child_by_field_name("name")
                        .filter(|n| n.kind() == "identifier")
                        .map(|n| self.spanned(n));
                    let value = d
                        .child_by_field_name("value")
                        .map(|v| self.expr(v, depth + 1))
                        .unwrap_or(Expr::Unknown { range: range(d) });
                    out.push(Stmt::Const {
                        name,
                        value,
                        range: range(d),
                    });
                }
            }
            "function_declaration" | "generator_function_declaration" => {
                let name = node.child_by_field_name("name").map(|n| self.spanned(n));
                let generator = node.kind() == "generator_function_declaration";
                let statements = node
                    .child_by_field_name("body")
                    .map(|b| self.block(b, depth + 1))
                    .unwrap_or_default();
                out.push(Stmt::Const {
                    name,
                    value: Expr::Function {
                        statements,
                        params: self.params(node),
                        generator,
                        range: range(node),
                    },
                    range: range(node),
                });
            }
            "expression_statement" | "throw_statement" => {
                if let Some(e) = node.named_child(0) {
                    let e = self.expr(e, depth + 1);
                    out.push(Stmt::Expr(e));
                }
            }
            "return_statement" => {
                let value = node.named_child(0).map(|v| self.expr(v, depth + 1));
                out.push(Stmt::Return {
                    value,
                    range: range(node),
                });
            }
            "if_statement" | "while_statement" | "do_statement" => {
                for field in ["condition", "consequence", "body", "alternative"] {
                    if let Some(c) = node.child_by_field_name(field) {
                        if field == "condition" {
                            let e = self.expr(c, depth + 1);
                            out.push(Stmt::Expr(e));
                        } else {
                            self.statements_into(c, depth + 1, out);
                        }
                    }
                }
            }
            "for_statement" | "for_in_statement" => {
                for field in ["initializer", "condition", "increment", "right"] {
                    if let Some(c) = node.child_by_field_name(field) {
                        if matches!(c.kind(), "lexical_declaration" | "variable_declaration") {
                            self.statements_into(c, depth + 1, out);
                        } else if c.kind() != "empty_statement" {
                            let e = match c.kind() {
                                "expression_statement" => c.named_child(0),
                                _ => Some(c),
                            };
                            if let Some(e) = e {
                                let e = self.expr(e, depth + 1);
                                out.push(Stmt::Expr(e));
                            }
                        }
                    }
                }
                if let Some(b) = node.child_by_field_name("body") {
                    self.statements_into(b, depth + 1, out);
                }
            }
            "try_statement" => {
                for field in ["body", "handler", "finalizer"] {
                    if let Some(c) = node.child_by_field_name(field) {
                        let block = if c.kind() == "catch_clause" {
                            c.child_by_field_name("body")
                        } else {
                            Some(c)
                        };
                        if let Some(b) = block {
                            self.statements_into(b, depth + 1, out);
                        }
                    }
                }
            }
            "labeled_statement" => {
                if let Some(b) = node.child_by_field_name("body") {
                    self.statements_into(b, depth + 1, out);
                }
            }
            _ => {}
        }
    }

    /// `interface X { ... }` / `type X = ...`.
    fn type_decl(&mut self, node: Node<'_>, exported: bool) -> Option<TypeDecl> {
        let name = self.spanned(node.child_by_field_name("name")?);
        let ty = if node.kind() == "interface_declaration" {
            let body = node.child_by_field_name("body")?;
            let mut ty = self.object_type(body, 0);
            let mut cursor = node.walk();
            let extends = node
                .named_children(&mut cursor)
                .any(|c| c.kind() == "extends_type_clause");
            if let TypeExpr::Object { open, .. } = &mut ty {
                *open |= extends;
            }
            ty
        } else {
            let value = node.child_by_field_name("value")?;
            self.ty(value, 0)
        };
        Some(TypeDecl { name, ty, exported })
    }

    fn type_list(&mut self, node: Node<'_>, depth: usize) -> Vec<TypeExpr> {
        let mut cursor = node.walk();
        let items: Vec<Node<'_>> = node
            .named_children(&mut cursor)
            .filter(|c| c.kind() != "comment")
            .collect();
        items.into_iter().map(|t| self.ty(t, depth + 1)).collect()
    }

    fn ty(&mut self, node: Node<'_>, depth: usize) -> TypeExpr {
        let r = range(node);
        if depth > MAX_DEPTH || self.budget == 0 {
            return TypeExpr::Unknown { range: r };
        }
        self.budget -= 1;
        match node.kind() {
            "type_identifier" | "identifier" => TypeExpr::Ref {
                path: vec![self.text_of(node).to_string()],
                args: Vec::new(),
                range: r,
            },
            "predefined_type" => TypeExpr::Ref {
                path: vec![self.text_of(node).to_string()],
                args: Vec::new(),
                range: r,
            },
            "nested_type_identifier" => TypeExpr::Ref {
                path: self
                    .text_of(node)
                    .split('.')
                    .map(|p| p.trim().to_string())
                    .collect(),
                args: Vec::new(),
                range: r,
            },
            "generic_type" => {
                let path = node
                    .child_by_field_name("name")
                    .map(|n| {
                        self.text_of(n)
                            .split('.')
                            .map(|p| p.trim().to_string())
                            .collect()
                    })
                    .unwrap_or_default();
                let args = node
                    .child_by_field_name("type_arguments")
                    .map(|a| self.type_list(a, depth))
                    .unwrap_or_default();
                TypeExpr::Ref {
                    path,
                    args,
                    range: r,
                }
            }
            "union_type" => {
                let mut items = Vec::new();
                let mut cursor = node.walk();
                let children: Vec<Node<'_>> = node.named_children(&mut cursor).collect();
                for c in children {
                    match self.ty(c, depth + 1) {
                        TypeExpr::Union { items: inner, .. } => items.extend(inner),
                        other => items.push(other),
                    }
                }
                TypeExpr::Union { items, range: r }
            }
            "parenthesized_type" | "type_annotation" => match node.named_child(0) {
                Some(inner) => self.ty(inner, depth + 1),
                None => TypeExpr::Unknown { range: r },
            },
            "object_type" | "interface_body" => self.object_type(node, depth),
            _ => TypeExpr::Unknown { range: r },
        }
    }

    fn object_type(&mut self, node: Node<'_>, depth: usize) -> TypeExpr {
        let r = range(node);
        let mut members = Vec::new();
        let mut open = false;
        let mut cursor = node.walk();
        let children: Vec<Node<'_>> = node.named_children(&mut cursor).collect();
        for m in children {
            match m.kind() {
                "property_signature" | "method_signature" => {
                    let Some(name_node) = m.child_by_field_name("name") else {
                        continue;
                    };
                    let name = match name_node.kind() {
                        "property_identifier" | "number" => self.spanned(name_node),
                        "string" => match self.string(name_node) {
                            Some(s) => s,
                            None => {
                                open = true;
                                continue;
                            }
                        },
                        _ => {
                            open = true;
                            continue;
                        }
                    };
                    let optional =
                        (0..m.child_count()).any(|i| m.child(i).is_some_and(|c| c.kind() == "?"));
                    let strip = |t: &str| t.trim_start_matches(':').trim().to_string();
                    let (params, return_type) = if m.kind() == "method_signature" {
                        (
                            m.child_by_field_name("parameters")
                                .map(|p| self.text_of(p).to_string()),
                            m.child_by_field_name("return_type")
                                .map(|t| strip(self.text_of(t))),
                        )
                    } else {
                        let ty = m.child_by_field_name("type").and_then(|t| t.named_child(0));
                        match ty {
                            Some(f) if f.kind() == "function_type" => (
                                f.child_by_field_name("parameters")
                                    .map(|p| self.text_of(p).to_string()),
                                f.child_by_field_name("return_type")
                                    .map(|t| strip(self.text_of(t))),
                            ),
                            Some(t) => (None, Some(strip(self.text_of(t)))),
                            None => (None, None),
                        }
                    };
                    let _ = depth;
                    members.push(TypeMember {
                        name,
                        params,
                        return_type,
                        optional,
                        range: range(m),
                    });
                }
                "comment" => {}
                _ => open = true,
            }
        }
        TypeExpr::Object {
            members,
            open,
            range: r,
        }
    }

    fn args(&mut self, node: Node<'_>, depth: usize) -> Vec<Expr> {
        let mut cursor = node.walk();
        let items: Vec<Node<'_>> = node
            .named_children(&mut cursor)
            .filter(|a| a.kind() != "comment")
            .collect();
        items
            .into_iter()
            .map(|a| {
                if a.kind() == "spread_element" {
                    Expr::Unknown { range: range(a) }
                } else {
                    self.expr(a, depth + 1)
                }
            })
            .collect()
    }

    fn template(&mut self, node: Node<'_>, depth: usize) -> Expr {
        let r = range(node);
        let mut parts = Vec::new();
        let mut any_expr = false;
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            match child.kind() {
                "string_fragment" | "escape_sequence" => {
                    parts.push(TemplatePart::Text(self.text_of(child).to_string()))
                }
                "template_substitution" => {
                    any_expr = true;
                    let e = child
                        .named_child(0)
                        .map(|e| self.expr(e, depth + 1))
                        .unwrap_or(Expr::Unknown {
                            range: range(child),
                        });
                    parts.push(TemplatePart::Expr(e));
                }
                _ => {}
            }
        }
        if !any_expr {
            let text: String = parts
                .iter()
                .map(|p| match p {
                    TemplatePart::Text(t) => t.as_str(),
                    TemplatePart::Expr(_) => "",
                })
                .collect();
            // Only a template without escapes spells its value at its span.
            if text == self.text.get(r.shrink(1).as_usize()).unwrap_or("") {
                return Expr::Str {
                    value: text,
                    range: r.shrink(1),
                };
            }
        }
        Expr::Template { parts, range: r }
    }

    fn object(&mut self, node: Node<'_>, depth: usize) -> Expr {
        let r = range(node);
        let mut props = Vec::new();
        let mut open = false;
        let mut cursor = node.walk();
        let members: Vec<Node<'_>> = node.named_children(&mut cursor).collect();
        for member in members {
            match member.kind() {
                "pair" => {
                    let (Some(k), Some(v)) = (
                        member.child_by_field_name("key"),
                        member.child_by_field_name("value"),
                    ) else {
                        continue;
                    };
                    let key = match k.kind() {
                        "property_identifier" | "number" => self.spanned(k),
                        "string" => match self.string(k) {
                            Some(s) => s,
                            None => continue,
                        },
                        _ => {
                            open = true;
                            continue;
                        }
                    };
                    let value = self.expr(v, depth + 1);
                    props.push(Prop {
                        key,
                        value,
                        shorthand: false,
                        range: range(member),
                    });
                }
                "shorthand_property_identifier" => {
                    let key = self.spanned(member);
                    props.push(Prop {
                        value: Expr::Ident {
                            name: key.value.clone(),
                            range: key.range,
                        },
                        key,
                        shorthand: true,
                        range: range(member),
                    });
                }
                "method_definition" => {
                    if let Some(k) = member.child_by_field_name("name") {
                        let key = self.spanned(k);
                        props.push(Prop {
                            key,
                            value: Expr::Unknown {
                                range: range(member),
                            },
                            shorthand: false,
                            range: range(member),
                        });
                    }
                }
                "spread_element" => open = true,
                _ => {}
            }
        }
        Expr::Object {
            props,
            open,
            range: r,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_forms_configs_are_written_in() {
        let text = r#"
import { Worker } from "alchemy/cloudflare";
const NAME = "api";
export const api = await Worker("api", { name: `${NAME}-worker`, entrypoint: "./src/api.ts", bindings: { ...shared, KV: kv }, n: 1 });
const m = ref(() => import("./math/devflare.config"));
export default defineConfig({ name: 'cfg', main: import.meta.filename } satisfies X);
export class A extends Cloudflare.Worker<A>()("A", { main: import.meta.url }) {}
await app.finalize();
"#;
        let m = read_module(text, SourceLang::TypeScript);
        assert_eq!(m.imports.len(), 1);
        let names: Vec<&str> = m.consts.iter().map(|(n, _)| n.value.as_str()).collect();
        assert_eq!(names, vec!["NAME", "api", "m"]);
        assert_eq!(
            m.exports,
            vec![
                ("api".to_string(), "api".to_string()),
                ("A".into(), "A".into())
            ]
        );
        let api = m.const_value("api").unwrap().awaited();
        let Expr::Call { callee, args, .. } = api else {
            panic!("{api:?}")
        };
        assert_eq!(callee.path(), Some(vec!["Worker"]));
        let props = &args[1];
        assert!(matches!(props, Expr::Object { open: false, .. }));
        assert!(matches!(
            props.get("bindings"),
            Some(Expr::Object { open: true, .. })
        ));
        assert!(matches!(props.get("name"), Some(Expr::Template { .. })));
        assert!(
            matches!(props.get("entrypoint"), Some(Expr::Str { value, .. }) if value == "./src/api.ts")
        );
        let Some(Expr::Call { args, .. }) = m.const_value("m") else {
            panic!()
        };
        assert!(
            matches!(&args[0], Expr::Arrow { body, .. } if matches!(&**body, Expr::DynamicImport { specifier, .. } if specifier.value == "./math/devflare.config"))
        );
        let Some(Expr::Call { args, .. }) = &m.default else {
            panic!()
        };
        assert!(
            matches!(args[0].get("main"), Some(Expr::ImportMeta { property, .. }) if property == "filename")
        );
        assert_eq!(m.classes[0].name.value, "A");
        assert!(matches!(&m.classes[0].heritage, Some(Expr::Call { .. })));
        assert_eq!(m.statements.len(), 1);
        // Spans of strings are their contents.
        let Some(Expr::Str { range, .. }) = m.const_value("NAME") else {
            panic!()
        };
        assert_eq!(&text[range.as_usize()], "api");
    }

    #[test]
    fn an_awaited_generic_call_awaits_the_call() {
        // tree-sitter parses this as `(await Queue)<Order>(...)`.
        let text = r#"const q = await Queue<Order>("q", { name: "orders" });"#;
        let m = read_module(text, SourceLang::TypeScript);
        let Some(Expr::Await { inner, .. }) = m.const_value("q") else {
            panic!("{:?}", m.const_value("q"))
        };
        let Expr::Call {
            callee,
            args,
            range,
            type_args,
        } = &**inner
        else {
            panic!("{inner:?}")
        };
        assert_eq!(callee.path(), Some(vec!["Queue"]));
        assert_eq!(args.len(), 2);
        assert_eq!(type_args.len(), 1);
        assert_eq!(
            &text[range.as_usize()],
            r#"Queue<Order>("q", { name: "orders" })"#
        );
    }

    #[test]
    fn reads_effect_bodies_type_arguments_and_interfaces() {
        let text = r#"
import * as Cloudflare from "alchemy/Cloudflare";
import type { Shape } from "./shape";
export interface Api { readonly greet: (name: string) => Effect<string>; count(): number; 'odd-key'?: string }
type Alias = { a: number } | Other;
export class Counter extends Cloudflare.DurableObject<Counter, { get: () => Effect<number> }>()("Counter") {}
export class W extends Cloudflare.Worker<W, {}, Counter | ns.Room>()("W") {}
export default W.make(
  { main: import.meta.url },
  Effect.gen(function* () {
    const counters = yield* Counter.from(W);
    const { stage } = yield* Stack;
    if (!(yield* counters.getByName("a").get())) { yield* Effect.log("x"); } else { const y = 1; }
    for (const s of yield* list()) { s.go(); }
    try { yield* risky(); } catch (e) { yield* recover(); }
    return { fetch: Effect.gen(function* () { return yield* counters.getByName(k).get(); }) };
  }),
);
"#;
        let m = read_module(text, SourceLang::TypeScript);
        assert_eq!(m.type_imports.len(), 1);
        let api = m.type_decl("Api").unwrap();
        assert!(api.exported);
        let TypeExpr::Object { members, open, .. } = &api.ty else {
            panic!("{:?}", api.ty)
        };
        assert!(!open);
        let names: Vec<&str> = members.iter().map(|m| m.name.value.as_str()).collect();
        assert_eq!(names, vec!["greet", "count", "odd-key"]);
        assert_eq!(members[0].params.as_deref(), Some("(name: string)"));
        assert_eq!(members[0].return_type.as_deref(), Some("Effect<string>"));
        assert_eq!(members[1].return_type.as_deref(), Some("number"));
        assert!(members[2].optional);
        assert_eq!(&text[members[0].name.range.as_usize()], "greet");
        assert!(
            matches!(&m.type_decl("Alias").unwrap().ty, TypeExpr::Union { items, .. } if items.len() == 2)
        );
        // Type arguments of the tag factory call.
        let Some(Expr::Call { callee, .. }) = &m.class("Counter").unwrap().heritage else {
            panic!()
        };
        let Expr::Call { type_args, .. } = &**callee else {
            panic!("{callee:?}")
        };
        assert!(
            matches!(&type_args[1], TypeExpr::Object { members, .. } if members[0].name.value == "get")
        );
        let Some(Expr::Call { callee, .. }) = &m.class("W").unwrap().heritage else {
            panic!()
        };
        let Expr::Call { type_args, .. } = &**callee else {
            panic!()
        };
        assert!(
            matches!(&type_args[2], TypeExpr::Union { items, .. } if matches!(&items[1], TypeExpr::Ref { path, .. } if path == &["ns", "Room"]))
        );
        // The generator body: consts, flattened blocks, yields, the returned object.
        let Some(Expr::Call { args, .. }) = &m.default else {
            panic!()
        };
        let Expr::Call { args: gen_args, .. } = &args[1] else {
            panic!()
        };
        let Expr::Function {
            statements,
            generator: true,
            ..
        } = &gen_args[0]
        else {
            panic!("{:?}", gen_args[0])
        };
        let consts: Vec<Option<&str>> = statements
            .iter()
            .filter_map(|s| match s {
                Stmt::Const { name, .. } => Some(name.as_ref().map(|n| n.value.as_str())),
                _ => None,
            })
            .collect();
        assert_eq!(consts, vec![Some("counters"), None, Some("y")]);
        assert!(matches!(
            &statements[0],
            Stmt::Const {
                value: Expr::Yield { delegate: true, .. },
                ..
            }
        ));
        // `!(yield* ...)` keeps its parts.
        assert!(matches!(&statements[2], Stmt::Expr(Expr::Compound { .. })));
        assert!(statements
            .iter()
            .any(|s| matches!(s, Stmt::Expr(Expr::Yield { .. }))));
        assert!(matches!(
            statements.last(),
            Some(Stmt::Return {
                value: Some(Expr::Object { .. }),
                ..
            })
        ));
    }

    #[test]
    fn hostile_input_is_bounded() {
        let deep = format!("const x = {}1{};", "[".repeat(10_000), "]".repeat(10_000));
        let _ = read_module(&deep, SourceLang::TypeScript);
        let wide = format!("const y = {{ {} }};", "a: 1, ".repeat(100_000));
        let m = read_module(&wide, SourceLang::TypeScript);
        assert_eq!(m.consts.len(), 1);
        for text in [
            "const",
            "export default",
            "Worker(",
            "const a = `${",
            "import(",
        ] {
            let _ = read_module(text, SourceLang::TypeScript);
        }
    }
}
