//! What a static reader knows of a TypeScript module that declares workers: its top-level
//! values as expression trees, read once with tree-sitter (the tree is dropped after), and
//! never executed.
//!
//! Only the forms a config is written in are kept: literals, template literals, object and
//! array literals, identifiers, member chains, calls and `new`, `await`, arrow functions with an
//! expression body (or a block that only returns one), dynamic `import("...")`,
//! `import.meta.filename`, `satisfies`/`as`. Anything else is [`Expr::Unknown`], and whatever
//! depends on it stays unknown.

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
    Unknown {
        range: TextRange,
    },
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
    let mut m = ModuleValues {
        imports: crate::source::summarize(text, lang).imports,
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
                                range: TextRange::new(range(inner).start, r.end),
                            }),
                            range: r,
                        };
                    }
                }
                Expr::Call {
                    callee: Box::new(self.expr(function, depth + 1)),
                    args,
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
                        _ => Expr::Unknown { range: r },
                    }
                } else {
                    self.expr(body, depth + 1)
                };
                Expr::Arrow {
                    body: Box::new(result),
                    range: r,
                }
            }
            _ => Expr::Unknown { range: r },
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
        } = &**inner
        else {
            panic!("{inner:?}")
        };
        assert_eq!(callee.path(), Some(vec!["Queue"]));
        assert_eq!(args.len(), 2);
        assert_eq!(
            &text[range.as_usize()],
            r#"Queue<Order>("q", { name: "orders" })"#
        );
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
