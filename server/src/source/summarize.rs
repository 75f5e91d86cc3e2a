//! TS/JS module -> [`FileSummary`], with tree-sitter.
//!
//! Module structure (imports, exports, classes, the default export) is read by walking the
//! top-level statements; env reads and calls, which can sit anywhere, are found by one
//! scope-aware walk of the whole tree ([`super::env_walk`]). The tree is dropped when the
//! summary is made.

use super::env_walk::{EnvWalk, HANDLERS};
use super::model::*;
use super::SourceLang;
use crate::base::{Spanned, TextRange};
use std::cell::RefCell;
use std::collections::HashMap;
use tree_sitter::{Language, Node, Parser, Tree};

/// Framework app builders whose apps the module fills with its own handlers: a default
/// export built from one injects no env names of its own.
const APP_BUILDERS: &[&str] = &[
    "Hono",
    "OpenAPIHono",
    "AutoRouter",
    "Router",
    "IttyRouter",
    "Elysia",
];

/// Whether a default export whose call chain starts from `root` is built by a package (or by
/// a local class extending a package's class) other than an app builder, given the module's
/// imports and classes.
pub(super) fn wrapped_by_package(summary: &FileSummary, root: &str) -> bool {
    let from_package = |name: &str| {
        summary
            .imports
            .iter()
            .find(|i| i.local == name)
            .is_some_and(|i| {
                !i.from.value.starts_with('.') && !APP_BUILDERS.contains(&i.imported.as_str())
            })
    };
    if APP_BUILDERS.contains(&root) {
        return false;
    }
    if from_package(root) {
        return true;
    }
    summary
        .classes
        .iter()
        .find(|c| c.name.value == root)
        .and_then(|c| c.extends.as_ref())
        .is_some_and(|base| from_package(&base.value))
}

fn language(lang: SourceLang) -> Language {
    match lang {
        SourceLang::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
        SourceLang::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
    }
}

/// The node kind names of `lang`'s grammar, indexed by kind id: what `Node::kind` answers,
/// without measuring and checking a C string at each call.
pub(super) fn kind_names(lang: SourceLang) -> &'static [&'static str] {
    use std::sync::OnceLock;
    static TABLES: [OnceLock<Vec<&'static str>>; 2] = [OnceLock::new(), OnceLock::new()];
    let slot = match lang {
        SourceLang::TypeScript => &TABLES[0],
        SourceLang::Tsx => &TABLES[1],
    };
    slot.get_or_init(|| {
        let language = language(lang);
        (0..language.node_kind_count())
            .map(|id| {
                u16::try_from(id)
                    .ok()
                    .and_then(|id| language.node_kind_for_id(id))
                    .unwrap_or("")
            })
            .collect()
    })
}

thread_local! {
    static PARSERS: RefCell<HashMap<u8, Parser>> = RefCell::new(HashMap::new());
}

fn parse(text: &str, lang: SourceLang) -> Option<Tree> {
    PARSERS.with(|parsers| {
        let mut parsers = parsers.borrow_mut();
        let parser = parsers.entry(lang as u8).or_insert_with(|| {
            let mut p = Parser::new();
            p.set_language(&language(lang)).expect("grammar loads");
            p
        });
        parser.parse(text, None)
    })
}

/// Whether a text can contain anything a summary records: a cheap byte scan that lets most
/// plain library files skip parsing.
pub(super) fn worth_parsing(text: &str) -> bool {
    let b = text.as_bytes();
    memfind(b, b"export")
        || memfind(b, b"import")
        || memfind(b, b"env")
        || memfind(b, b"Env")
        || memfind(b, b"require")
}

fn memfind(haystack: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(haystack, needle).is_some()
}

/// Summarises one module. Never panics; a broken file yields a best-effort summary.
///
/// Modules whose every summarised construct the lexical scan reads exactly (imports, exports,
/// classes, default exports, env reads in their plain spellings: most library code) are
/// scanned instead of being parsed; the scan yields the same summary (tested against
/// [`summarize_parsed`]) except that `has_syntax_errors` stays `false`: use
/// [`has_syntax_errors`] to validate an edit.
pub fn summarize(text: &str, lang: SourceLang) -> FileSummary {
    if let Some(summary) = super::lexical::scan(text, lang) {
        return summary;
    }
    summarize_parsed(text, lang)
}

/// Whether tree-sitter finds syntax errors in `text`.
pub fn has_syntax_errors(text: &str, lang: SourceLang) -> bool {
    parse(text, lang).is_none_or(|t| t.root_node().has_error())
}

/// Summarises one module with tree-sitter, whatever it holds.
pub fn summarize_parsed(text: &str, lang: SourceLang) -> FileSummary {
    if !worth_parsing(text) {
        return FileSummary::default();
    }
    let Some(tree) = parse(text, lang) else {
        return FileSummary::default();
    };
    let root = tree.root_node();
    let mut s = Summarizer {
        text,
        summary: FileSummary {
            has_syntax_errors: root.has_error(),
            ..FileSummary::default()
        },
        object_consts: HashMap::new(),
        call_consts: HashMap::new(),
        default_local: None,
        default_call: None,
    };
    s.module(root);
    s.finish_default();
    // The env walk visits every node: skip it where no env object can be named (a handler's
    // second parameter is the one spelling that needs no `env` in the text).
    let b = text.as_bytes();
    if memfind(b, b"env") || memfind(b, b"Env") || memfind(b, b"Bindings") || has_handler(b) {
        let facts = EnvWalk::new(text, &s.summary.imports, root, lang).run(root);
        s.summary.env_accesses = facts.accesses;
        s.summary.env_writes = facts.writes;
        s.summary.env_calls = facts.calls;
        s.summary.env_escapes = facts.escapes;
        s.summary.env_dynamic = facts.dynamic;
        s.summary.env_aliases = facts.aliases;
    }
    s.summary
}

/// Whether the text names a handler method (whose second parameter is env, whatever its name).
fn has_handler(b: &[u8]) -> bool {
    HANDLERS.iter().any(|h| memfind(b, h.as_bytes()))
}

struct Summarizer<'t> {
    text: &'t str,
    summary: FileSummary,
    /// Top-level `const x = { ... }` objects: their handler names (for `export default x`).
    object_consts: HashMap<String, (Vec<Spanned<String>>, TextRange)>,
    /// Top-level `const x = f(...)` / `new F(...)`: the identifier the call chain starts from
    /// (for `export default x` built by a package).
    call_consts: HashMap<String, String>,
    /// `export default x` where `x` is an identifier: resolved once the module is read.
    default_local: Option<(String, TextRange)>,
    /// `export default f(...)`: the identifier the call chain starts from.
    default_call: Option<String>,
}

fn range(node: Node<'_>) -> TextRange {
    TextRange::from_usize(node.start_byte(), node.end_byte())
}

impl<'t> Summarizer<'t> {
    fn text_of(&self, node: Node<'_>) -> &'t str {
        self.text.get(node.byte_range()).unwrap_or("")
    }

    fn spanned(&self, node: Node<'_>) -> Spanned<String> {
        Spanned::new(self.text_of(node).to_string(), range(node))
    }

    /// A string literal's contents and their span (without quotes).
    fn string(&self, node: Node<'_>) -> Option<Spanned<String>> {
        if node.kind() != "string" {
            return None;
        }
        let r = range(node);
        let inner = r.shrink(1);
        let value = self.text.get(inner.as_usize())?.to_string();
        Some(Spanned::new(value, inner))
    }

    /// A name that may be an identifier or a string (`export { "a b" as c }`).
    fn name(&self, node: Node<'_>) -> Spanned<String> {
        self.string(node).unwrap_or_else(|| self.spanned(node))
    }

    fn module(&mut self, root: Node<'_>) {
        let mut cursor = root.walk();
        let children: Vec<Node<'_>> = root.named_children(&mut cursor).collect();
        for node in children {
            match node.kind() {
                "import_statement" => self.import(node),
                "export_statement" => self.export(node),
                "class_declaration" | "abstract_class_declaration" => {
                    self.class(node, None);
                }
                "lexical_declaration" | "variable_declaration" => self.top_level_vars(node, false),
                _ => {}
            }
            self.env_types(node, 0);
        }
    }

    /// Collects the members of env types declared at or near the top level.
    fn env_types(&mut self, node: Node<'_>, depth: usize) {
        if depth > 4 {
            return;
        }
        match node.kind() {
            "interface_declaration" | "type_alias_declaration" => {
                let Some(name) = node.child_by_field_name("name") else {
                    return;
                };
                let name = self.text_of(name);
                if !is_env_type_name(name) {
                    return;
                }
                let body = node
                    .child_by_field_name("body")
                    .or_else(|| node.child_by_field_name("value"))
                    .filter(|b| matches!(b.kind(), "interface_body" | "object_type"));
                let Some(body) = body else { return };
                let mut cursor = body.walk();
                let props: Vec<Node<'_>> = body
                    .named_children(&mut cursor)
                    .filter(|p| p.kind() == "property_signature")
                    .collect();
                for p in props {
                    let Some(name) = p.child_by_field_name("name") else {
                        continue;
                    };
                    let optional =
                        (0..p.child_count()).any(|i| p.child(i).is_some_and(|c| c.kind() == "?"));
                    let ty = p
                        .child_by_field_name("type")
                        .map(|t| self.text_of(t))
                        .unwrap_or("");
                    self.summary.env_type_members.push(EnvTypeMember {
                        name: self.name(name).value,
                        binding_type: binding_type_of(ty, optional),
                    });
                }
            }
            "export_statement"
            | "ambient_declaration"
            | "internal_module"
            | "module"
            | "statement_block" => {
                let mut cursor = node.walk();
                let children: Vec<Node<'_>> = node.named_children(&mut cursor).collect();
                for c in children {
                    self.env_types(c, depth + 1);
                }
            }
            _ => {}
        }
    }

    fn import(&mut self, node: Node<'_>) {
        let Some(from) = node
            .child_by_field_name("source")
            .and_then(|s| self.string(s))
        else {
            return;
        };
        // `import type { A } from "x"`: nothing of it exists at run time.
        let type_only_statement =
            (0..node.child_count()).any(|i| node.child(i).is_some_and(|c| c.kind() == "type"));
        let mut found: Vec<(Import, bool)> = Vec::new();
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            if child.kind() != "import_clause" {
                continue;
            }
            let mut c2 = child.walk();
            for part in child.named_children(&mut c2) {
                match part.kind() {
                    "identifier" => found.push((
                        Import {
                            local: self.text_of(part).to_string(),
                            imported: "default".into(),
                            from: from.clone(),
                            name_range: range(part),
                        },
                        false,
                    )),
                    "namespace_import" => {
                        // The name, not a comment between `*` and `as`.
                        let id = part
                            .named_children(&mut part.walk())
                            .find(|c| c.kind() == "identifier");
                        if let Some(id) = id {
                            found.push((
                                Import {
                                    local: self.text_of(id).to_string(),
                                    imported: "*".into(),
                                    from: from.clone(),
                                    name_range: range(id),
                                },
                                false,
                            ));
                        }
                    }
                    "named_imports" => {
                        let mut c3 = part.walk();
                        for spec in part.named_children(&mut c3) {
                            if spec.kind() != "import_specifier" {
                                continue;
                            }
                            let Some(name) = spec.child_by_field_name("name") else {
                                continue;
                            };
                            let imported_name = self.name(name);
                            let name_range = imported_name.range;
                            let imported = imported_name.value;
                            let local = spec
                                .child_by_field_name("alias")
                                .map(|a| self.text_of(a).to_string())
                                .unwrap_or_else(|| imported.clone());
                            found.push((
                                Import {
                                    local,
                                    imported,
                                    from: from.clone(),
                                    name_range,
                                },
                                has_type_keyword(spec),
                            ));
                        }
                    }
                    _ => {}
                }
            }
        }
        for (import, type_only) in found {
            if type_only || type_only_statement {
                self.summary.type_imports.push(import);
            } else {
                self.summary.imports.push(import);
            }
        }
    }

    fn export(&mut self, node: Node<'_>) {
        let source = node
            .child_by_field_name("source")
            .and_then(|s| self.string(s));
        let is_default =
            (0..node.child_count()).any(|i| node.child(i).is_some_and(|c| c.kind() == "default"));
        let export_range = range(node);
        if let Some(decl) = node.child_by_field_name("declaration") {
            match decl.kind() {
                "class_declaration" | "abstract_class_declaration" => {
                    if let Some(name) = self.class(decl, None) {
                        if is_default {
                            self.summary.default_export = Some(DefaultExport::Class {
                                name: name.value,
                                range: export_range,
                            });
                        } else {
                            self.summary.exports.push(Export::Local {
                                local: name.value.clone(),
                                exported: name,
                            });
                        }
                    }
                }
                "lexical_declaration" | "variable_declaration" => self.top_level_vars(decl, true),
                "function_declaration" | "generator_function_declaration" => {
                    if let Some(name) = decl.child_by_field_name("name") {
                        let name = self.spanned(name);
                        if is_default {
                            self.summary.default_export = Some(DefaultExport::Other {
                                range: export_range,
                            });
                        } else {
                            self.summary.exports.push(Export::Local {
                                local: name.value.clone(),
                                exported: name,
                            });
                        }
                    }
                }
                // Types, interfaces, enums, namespaces: enums and namespaces are values.
                "enum_declaration" | "internal_module" | "module" => {
                    if let Some(name) = decl.child_by_field_name("name") {
                        let name = self.spanned(name);
                        self.summary.exports.push(Export::Local {
                            local: name.value.clone(),
                            exported: name,
                        });
                    }
                }
                _ => {}
            }
            return;
        }
        if is_default {
            if let Some(value) = node.child_by_field_name("value") {
                self.default_value(value, export_range);
            } else {
                // `export default class {}` / `export default function () {}` parse as values
                // in some grammar versions; handled by default_value as well.
                let mut cursor = node.walk();
                let value = node
                    .named_children(&mut cursor)
                    .find(|c| !matches!(c.kind(), "comment" | "decorator"));
                if let Some(value) = value {
                    self.default_value(value, export_range);
                }
            }
            return;
        }
        let type_only_statement =
            (0..node.child_count()).any(|i| node.child(i).is_some_and(|c| c.kind() == "type"));
        let mut cursor = node.walk();
        let children: Vec<Node<'_>> = node.named_children(&mut cursor).collect();
        for child in children {
            match child.kind() {
                "export_clause" => {
                    let mut c2 = child.walk();
                    for spec in child.named_children(&mut c2) {
                        if spec.kind() != "export_specifier" {
                            continue;
                        }
                        let Some(name) = spec.child_by_field_name("name") else {
                            continue;
                        };
                        let local = self.name(name);
                        let exported = spec
                            .child_by_field_name("alias")
                            .map(|a| self.name(a))
                            .unwrap_or_else(|| local.clone());
                        if type_only_statement || has_type_keyword(spec) {
                            // `export type { A }`, `export { type A }`: no run-time export.
                            self.summary.type_exports.push(match &source {
                                Some(from) => Export::ReExport {
                                    exported,
                                    imported: local.value,
                                    from: from.clone(),
                                },
                                None => Export::Local {
                                    exported,
                                    local: local.value,
                                },
                            });
                            continue;
                        }
                        match (&source, exported.value == "default") {
                            (Some(from), true) => {
                                self.summary.default_export = Some(DefaultExport::ReExport {
                                    imported: local.value,
                                    from: from.clone(),
                                    range: export_range,
                                })
                            }
                            (Some(from), false) => self.summary.exports.push(Export::ReExport {
                                exported,
                                imported: local.value,
                                from: from.clone(),
                            }),
                            (None, true) => self.default_local = Some((local.value, export_range)),
                            (None, false) => self.summary.exports.push(Export::Local {
                                exported,
                                local: local.value,
                            }),
                        }
                    }
                }
                "namespace_export" => {
                    let name = child
                        .named_children(&mut child.walk())
                        .find(|c| c.kind() != "comment");
                    if let (Some(from), Some(name)) = (&source, name) {
                        self.summary.exports.push(Export::ReExport {
                            exported: self.name(name),
                            imported: "*".into(),
                            from: from.clone(),
                        });
                    }
                }
                _ => {}
            }
        }
        if let Some(from) = source {
            let has_clause = node
                .named_children(&mut node.walk())
                .any(|c| matches!(c.kind(), "export_clause" | "namespace_export"));
            if !has_clause && !type_only_statement {
                self.summary.export_stars.push(from);
            }
        }
    }

    /// Strips `satisfies`, `as`, `!` and parentheses around an expression.
    fn unwrap_expr<'a>(&self, mut node: Node<'a>) -> Node<'a> {
        for _ in 0..32 {
            match node.kind() {
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

    fn default_value(&mut self, value: Node<'_>, export_range: TextRange) {
        let value = self.unwrap_expr(value);
        match value.kind() {
            "object" => {
                let handlers = self.object_handlers(value);
                self.summary.default_export = Some(DefaultExport::Object {
                    handlers,
                    range: export_range,
                });
            }
            "class" | "class_declaration" | "abstract_class_declaration" => {
                if let Some(name) = self.class(value, Some("default")) {
                    self.summary.default_export = Some(DefaultExport::Class {
                        name: name.value,
                        range: export_range,
                    });
                }
            }
            "identifier" => {
                self.default_local = Some((self.text_of(value).to_string(), export_range));
            }
            _ => {
                self.default_call = self.call_root(value);
                self.summary.default_export = Some(DefaultExport::Other {
                    range: export_range,
                });
            }
        }
    }

    /// For a call or `new` expression (`withSentry(h)`, `new OAuthProvider({..})`,
    /// `Mcp.serve("/")`, `new Hono().basePath("/")`), the identifier its callee chain starts
    /// from.
    fn call_root(&self, value: Node<'_>) -> Option<String> {
        let mut node = self.unwrap_expr(value);
        if !matches!(node.kind(), "call_expression" | "new_expression") {
            return None;
        }
        for _ in 0..64 {
            node = match node.kind() {
                "call_expression" => self.unwrap_expr(node.child_by_field_name("function")?),
                "new_expression" => self.unwrap_expr(node.child_by_field_name("constructor")?),
                "member_expression" => self.unwrap_expr(node.child_by_field_name("object")?),
                "identifier" => return Some(self.text_of(node).to_string()),
                _ => return None,
            };
        }
        None
    }

    /// Resolves `export default x` once every top-level name is known.
    fn finish_default(&mut self) {
        if let Some((local, _)) = &self.default_local {
            if let Some(root) = self.call_consts.get(local) {
                self.default_call = Some(root.clone());
            }
        }
        if let Some(root) = self.default_call.take() {
            self.summary.default_wrapped = wrapped_by_package(&self.summary, &root);
        }
        let Some((local, range)) = self.default_local.take() else {
            return;
        };
        self.summary.default_export = Some(
            if self.summary.classes.iter().any(|c| c.name.value == local) {
                DefaultExport::Class { name: local, range }
            } else if let Some((handlers, _)) = self.object_consts.get(&local) {
                DefaultExport::Object {
                    handlers: handlers.clone(),
                    range,
                }
            } else if self.summary.imports.iter().any(|i| i.local == local) {
                DefaultExport::Imported { local, range }
            } else {
                DefaultExport::Other { range }
            },
        );
    }

    /// Handler names of an object literal (`fetch() {}`, `fetch: ...`, `{ fetch }`), and the
    /// env parameter names of those handlers (their second parameter).
    fn object_handlers(&mut self, object: Node<'_>) -> Vec<Spanned<String>> {
        let mut handlers = Vec::new();
        let mut cursor = object.walk();
        let members: Vec<Node<'_>> = object.named_children(&mut cursor).collect();
        for member in members {
            match member.kind() {
                "method_definition" => {
                    if let Some(name) = member.child_by_field_name("name") {
                        handlers.push(self.name(name));
                    }
                }
                "pair" => {
                    if let Some(key) = member.child_by_field_name("key") {
                        handlers.push(self.name(key));
                    }
                }
                "shorthand_property_identifier" => handlers.push(self.spanned(member)),
                _ => {}
            }
        }
        handlers
    }

    /// `const a = ...` at the top level: classes, object literals, exports.
    fn top_level_vars(&mut self, decl: Node<'_>, exported: bool) {
        let mut cursor = decl.walk();
        let declarators: Vec<Node<'_>> = decl
            .named_children(&mut cursor)
            .filter(|c| c.kind() == "variable_declarator")
            .collect();
        for d in declarators {
            let Some(name) = d.child_by_field_name("name") else {
                continue;
            };
            if name.kind() != "identifier" {
                continue;
            }
            let name = self.spanned(name);
            if let Some(value) = d.child_by_field_name("value") {
                let value = self.unwrap_expr(value);
                match value.kind() {
                    "class" => {
                        self.class(value, Some(&name.value));
                    }
                    "object" => {
                        let handlers = self.object_handlers(value);
                        self.object_consts
                            .insert(name.value.clone(), (handlers, range(value)));
                    }
                    "call_expression" | "new_expression" => {
                        if let Some(root) = self.call_root(value) {
                            self.call_consts.insert(name.value.clone(), root);
                        }
                    }
                    _ => {}
                }
            }
            if exported {
                self.summary.exports.push(Export::Local {
                    local: name.value.clone(),
                    exported: name,
                });
            }
        }
    }

    /// Records a class. `name_override` names anonymous classes (`default`) and class
    /// expressions bound to a constant.
    fn class(&mut self, node: Node<'_>, name_override: Option<&str>) -> Option<Spanned<String>> {
        let name = match (node.child_by_field_name("name"), name_override) {
            (Some(n), _) => self.spanned(n),
            (None, Some(o)) => {
                let kw = node.child(0).map(range).unwrap_or_else(|| range(node));
                Spanned::new(o.to_string(), kw)
            }
            (None, None) => return None,
        };
        let mut extends = None;
        let mut extends_unknown = false;
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            if child.kind() != "class_heritage" {
                continue;
            }
            let mut c2 = child.walk();
            for clause in child.named_children(&mut c2) {
                if clause.kind() != "extends_clause" {
                    continue;
                }
                match clause
                    .child_by_field_name("value")
                    .map(|v| self.unwrap_expr(v))
                {
                    Some(v) if v.kind() == "identifier" => extends = Some(self.spanned(v)),
                    Some(v) if v.kind() == "member_expression" => {
                        extends = v.child_by_field_name("property").map(|p| self.spanned(p));
                        extends_unknown = extends.is_none();
                    }
                    Some(_) => extends_unknown = true,
                    None => {}
                }
            }
        }
        let members = node
            .child_by_field_name("body")
            .map(|b| self.members(b))
            .unwrap_or_default();
        self.summary.classes.push(ClassDecl {
            name: name.clone(),
            extends,
            extends_unknown,
            members,
            range: range(node),
            described: false,
        });
        Some(name)
    }

    fn members(&mut self, body: Node<'_>) -> Vec<Member> {
        let mut out = Vec::new();
        let mut cursor = body.walk();
        let items: Vec<Node<'_>> = body.named_children(&mut cursor).collect();
        for item in items {
            let kind = match item.kind() {
                "method_definition" | "method_signature" | "abstract_method_signature" => {
                    MemberKind::Method
                }
                "public_field_definition" => MemberKind::Field,
                _ => continue,
            };
            let Some(name_node) = item.child_by_field_name("name") else {
                continue;
            };
            if name_node.kind() == "private_property_identifier"
                || name_node.kind() == "computed_property_name"
            {
                continue;
            }
            let mut is_static = false;
            let mut is_getter = false;
            let mut hidden = false;
            for i in 0..item.child_count() {
                let Some(c) = item.child(i) else { continue };
                match c.kind() {
                    "static" => is_static = true,
                    "get" => is_getter = true,
                    "accessibility_modifier" => {
                        let t = self.text_of(c);
                        hidden |= t == "private" || t == "protected";
                    }
                    _ => {}
                }
                if c.id() == name_node.id() {
                    break;
                }
            }
            let name = self.name(name_node);
            if is_static || hidden || name.value == "constructor" {
                continue;
            }
            let kind = if is_getter { MemberKind::Getter } else { kind };
            if kind == MemberKind::Method
                && (0..item.child_count()).any(|i| item.child(i).is_some_and(|c| c.kind() == "set"))
            {
                continue;
            }
            let params = item
                .child_by_field_name("parameters")
                .map(|p| self.text_of(p).to_string())
                .unwrap_or_default();
            let return_type = item
                .child_by_field_name("return_type")
                .or_else(|| item.child_by_field_name("type"))
                .map(|t| self.text_of(t).trim_start_matches(':').trim().to_string());
            out.push(Member {
                name,
                kind,
                params,
                return_type,
                range: range(item),
            });
        }
        out
    }
}

/// Whether an import or export specifier is marked `type` (`import { type A }`).
fn has_type_keyword(spec: Node<'_>) -> bool {
    let name = spec.child_by_field_name("name").map(|n| n.id());
    (0..spec.child_count()).any(|i| {
        spec.child(i)
            .is_some_and(|c| c.kind() == "type" && Some(c.id()) != name)
    })
}

/// Whether a type's name marks it as the env object's type: `Env`, `*Env`, `*Bindings`.
pub(crate) fn is_env_type_name(name: &str) -> bool {
    name.ends_with("Env") || name.ends_with("Bindings")
}

/// The functions a module exports, as the methods of a class: `export function f(a)`,
/// `export const f = async (a) => ...` (or a function expression), and `export default
/// function` as `fetch`. Devflare makes these the RPC methods of a worker's default
/// entrypoint (its `worker.ts`). Spans are the module's own.
pub fn exported_functions(text: &str, lang: SourceLang) -> Vec<Member> {
    let Some(tree) = parse(text, lang) else {
        return Vec::new();
    };
    let text_of = |n: Node<'_>| text.get(n.byte_range()).unwrap_or("").to_string();
    let member = |name: Spanned<String>, f: Node<'_>, whole: Node<'_>| Member {
        name,
        kind: MemberKind::Method,
        params: f
            .child_by_field_name("parameters")
            .or_else(|| f.child_by_field_name("parameter"))
            .map(text_of)
            .unwrap_or_default(),
        return_type: f
            .child_by_field_name("return_type")
            .map(|t| text_of(t).trim_start_matches(':').trim().to_string()),
        range: range(whole),
    };
    let mut out = Vec::new();
    let root = tree.root_node();
    let mut cursor = root.walk();
    for stmt in root.named_children(&mut cursor) {
        if stmt.kind() != "export_statement" {
            continue;
        }
        let is_default =
            (0..stmt.child_count()).any(|i| stmt.child(i).is_some_and(|c| c.kind() == "default"));
        let decl = stmt
            .child_by_field_name("declaration")
            .or_else(|| stmt.child_by_field_name("value"));
        let Some(decl) = decl else { continue };
        match decl.kind() {
            "function_declaration" | "function_expression" | "function" if is_default => {
                let at = decl.child_by_field_name("name").or_else(|| {
                    (0..stmt.child_count())
                        .filter_map(|i| stmt.child(i))
                        .find(|c| c.kind() == "default")
                });
                if let Some(at) = at {
                    out.push(member(Spanned::new("fetch".into(), range(at)), decl, stmt));
                }
            }
            "function_declaration" | "generator_function_declaration" => {
                if let Some(n) = decl.child_by_field_name("name") {
                    out.push(member(Spanned::new(text_of(n), range(n)), decl, stmt));
                }
            }
            "lexical_declaration" | "variable_declaration" => {
                let mut c2 = decl.walk();
                for d in decl.named_children(&mut c2) {
                    let (Some(n), Some(v)) = (
                        d.child_by_field_name("name"),
                        d.child_by_field_name("value"),
                    ) else {
                        continue;
                    };
                    if n.kind() == "identifier"
                        && matches!(
                            v.kind(),
                            "arrow_function" | "function_expression" | "function"
                        )
                    {
                        out.push(member(Spanned::new(text_of(n), range(n)), v, stmt));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod kind_table_tests {
    use super::*;

    /// The table answers what `Node::kind` answers, for every node of both grammars' trees,
    /// error and missing nodes included.
    #[test]
    fn the_kind_table_names_every_node_as_the_grammar_does() {
        let text = "import { env } from \"cloudflare:workers\";\n\
            export default { async fetch(req: Request, e: Env) { const { A } = e; return <div a={env.B}>x</div>; } };\n\
            class D extends DurableObject<Env> { @dec m() { return this.env.C?.get(`k${1}`) } }\n\
            let broken = (;\n";
        for lang in [SourceLang::TypeScript, SourceLang::Tsx] {
            let tree = parse(text, lang).expect("parses");
            let names = kind_names(lang);
            let mut cursor = tree.walk();
            let mut seen = 0;
            'walk: loop {
                let node = cursor.node();
                let by_table = names
                    .get(usize::from(node.kind_id()))
                    .copied()
                    .unwrap_or_else(|| node.kind());
                assert_eq!(by_table, node.kind(), "{lang:?} at {:?}", node.byte_range());
                seen += 1;
                if cursor.goto_first_child() {
                    continue;
                }
                while !cursor.goto_next_sibling() {
                    if !cursor.goto_parent() {
                        break 'walk;
                    }
                }
            }
            assert!(seen > 50, "{seen}");
            assert!(
                tree.root_node().has_error(),
                "the sample holds an error node"
            );
        }
    }
}
