//! TS/JS module -> [`FileSummary`], with tree-sitter.
//!
//! Module structure (imports, exports, classes, the default export) is read by walking the
//! top-level statements; env reads and calls, which can sit anywhere, are found with the queries
//! in `queries/*.scm`. The tree is dropped when the summary is made.

use super::model::*;
use super::SourceLang;
use crate::base::{Spanned, TextRange};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;
use tree_sitter::{Language, Node, Parser, Query, QueryCursor, StreamingIterator, Tree};

pub const ENV_QUERY: &str = include_str!("../../queries/env.scm");
pub const ALIASES_QUERY: &str = include_str!("../../queries/aliases.scm");
pub const CALLS_QUERY: &str = include_str!("../../queries/calls.scm");

/// Every query file, by name, for the compile test.
pub const QUERIES: &[(&str, &str)] = &[
    ("env.scm", ENV_QUERY),
    ("aliases.scm", ALIASES_QUERY),
    ("calls.scm", CALLS_QUERY),
];

/// Methods of a Durable Object namespace that return a stub.
const STUB_GETTERS: &[&str] = &["get", "getByName"];

struct Queries {
    env: Query,
    aliases: Query,
    calls: Query,
}

fn language(lang: SourceLang) -> Language {
    match lang {
        SourceLang::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
        SourceLang::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
    }
}

fn queries(lang: SourceLang) -> &'static Queries {
    static TS: OnceLock<Queries> = OnceLock::new();
    static TSX: OnceLock<Queries> = OnceLock::new();
    let cell = match lang {
        SourceLang::TypeScript => &TS,
        SourceLang::Tsx => &TSX,
    };
    cell.get_or_init(|| {
        let l = language(lang);
        let q = |src: &str| Query::new(&l, src).expect("queries compile (tested)");
        Queries {
            env: q(ENV_QUERY),
            aliases: q(ALIASES_QUERY),
            calls: q(CALLS_QUERY),
        }
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
fn worth_parsing(text: &str) -> bool {
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
/// Modules whose summary is only their top-level imports and exports (most library code)
/// are read by the lexical scan instead of being parsed; it yields the same summary (tested
/// against [`summarize_parsed`]) except that `has_syntax_errors` stays `false`: use
/// [`has_syntax_errors`] to validate an edit.
pub fn summarize(text: &str, lang: SourceLang) -> FileSummary {
    if !worth_parsing(text) {
        return FileSummary::default();
    }
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
        aliases: HashSet::from(["env".to_string()]),
        default_local: None,
    };
    s.module(root);
    // The env queries are most of the cost: skip them where no env object can be named.
    // Handler parameters (`fetch(req, e)`) were collected by `module` as aliases.
    let b = text.as_bytes();
    if s.aliases.len() > 1 || memfind(b, b"env") || memfind(b, b"Env") || memfind(b, b"Bindings") {
        s.env_reads(root, lang);
    }
    s.finish_default();
    let mut aliases: Vec<String> = s.aliases.iter().filter(|a| *a != "env").cloned().collect();
    aliases.sort();
    s.summary.env_aliases = aliases;
    s.summary
}

struct Summarizer<'t> {
    text: &'t str,
    summary: FileSummary,
    /// Top-level `const x = { ... }` objects: their handler names (for `export default x`).
    object_consts: HashMap<String, (Vec<Spanned<String>>, TextRange)>,
    /// Identifiers that hold the env object.
    aliases: HashSet<String>,
    /// `export default x` where `x` is an identifier: resolved once the module is read.
    default_local: Option<(String, TextRange)>,
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
                if !(name == "Env" || name.ends_with("Env") || name == "Bindings") {
                    return;
                }
                let body = node
                    .child_by_field_name("body")
                    .or_else(|| node.child_by_field_name("value"))
                    .filter(|b| matches!(b.kind(), "interface_body" | "object_type"));
                let Some(body) = body else { return };
                let mut cursor = body.walk();
                // Only string-typed members: secrets and vars are strings, while a binding
                // (`KVNamespace`, `Fetcher`, ...) listed in a type but not in the config is
                // exactly the mistake `unknown-binding` reports.
                let props: Vec<Node<'_>> = body
                    .named_children(&mut cursor)
                    .filter(|p| p.kind() == "property_signature")
                    .filter(|p| {
                        p.child_by_field_name("type").is_some_and(|t| {
                            let t = self.text_of(t).trim_start_matches(':').trim();
                            t == "string" || t.starts_with('"') || t.starts_with('\'')
                        })
                    })
                    .filter_map(|p| p.child_by_field_name("name"))
                    .collect();
                for p in props {
                    let name = self.name(p).value;
                    self.summary.env_type_members.push(name);
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
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            if child.kind() != "import_clause" {
                continue;
            }
            let mut c2 = child.walk();
            for part in child.named_children(&mut c2) {
                match part.kind() {
                    "identifier" => self.summary.imports.push(Import {
                        local: self.text_of(part).to_string(),
                        imported: "default".into(),
                        from: from.clone(),
                        name_range: range(part),
                    }),
                    "namespace_import" => {
                        if let Some(id) = part.named_child(0) {
                            self.summary.imports.push(Import {
                                local: self.text_of(id).to_string(),
                                imported: "*".into(),
                                from: from.clone(),
                                name_range: range(id),
                            });
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
                            if from.value == "cloudflare:workers" && imported == "env" {
                                self.aliases.insert(local.clone());
                            }
                            self.summary.imports.push(Import {
                                local,
                                imported,
                                from: from.clone(),
                                name_range,
                            });
                        }
                    }
                    _ => {}
                }
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
                    if let (Some(from), Some(name)) = (&source, child.named_child(0)) {
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
            let is_type_only =
                (0..node.child_count()).any(|i| node.child(i).is_some_and(|c| c.kind() == "type"));
            if !has_clause && !is_type_only {
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
                self.summary.default_export = Some(DefaultExport::Other {
                    range: export_range,
                });
            }
        }
    }

    /// Resolves `export default x` once every top-level name is known.
    fn finish_default(&mut self) {
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
                    if let Some(params) = member.child_by_field_name("parameters") {
                        self.second_param_alias(params);
                    }
                }
                "pair" => {
                    if let Some(key) = member.child_by_field_name("key") {
                        handlers.push(self.name(key));
                    }
                    if let Some(value) = member.child_by_field_name("value") {
                        if let Some(params) = value.child_by_field_name("parameters") {
                            self.second_param_alias(params);
                        }
                    }
                }
                "shorthand_property_identifier" => handlers.push(self.spanned(member)),
                _ => {}
            }
        }
        handlers
    }

    fn second_param_alias(&mut self, params: Node<'_>) {
        let mut cursor = params.walk();
        let second = params
            .named_children(&mut cursor)
            .filter(|p| {
                matches!(
                    p.kind(),
                    "required_parameter" | "optional_parameter" | "identifier"
                )
            })
            .nth(1);
        if let Some(p) = second {
            let id = if p.kind() == "identifier" {
                Some(p)
            } else {
                p.child_by_field_name("pattern")
            };
            if let Some(id) = id.filter(|i| i.kind() == "identifier") {
                self.aliases.insert(self.text_of(id).to_string());
            }
        }
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

    // ----- env reads and calls -----

    /// Whether `receiver` (the captured identifier or `.env` property) denotes the env object.
    fn is_env_receiver(&self, receiver: Node<'_>) -> bool {
        let text = self.text_of(receiver);
        match receiver.parent() {
            // `<object>.env`: the property is `env`; not `process.env` or `import.meta.env`.
            Some(parent)
                if parent.kind() == "member_expression"
                    && receiver.kind() == "property_identifier" =>
            {
                if text != "env" {
                    return false;
                }
                match parent.child_by_field_name("object") {
                    Some(obj) => {
                        let o = self.text_of(obj);
                        o != "process" && !o.starts_with("import.meta") && o != "globalThis.process"
                    }
                    None => false,
                }
            }
            _ => receiver.kind() == "identifier" && self.aliases.contains(text),
        }
    }

    fn env_reads(&mut self, root: Node<'_>, lang: SourceLang) {
        let q = queries(lang);
        let bytes = self.text.as_bytes();

        // Aliases first: parameters typed Env, `const e = this.env`.
        {
            let mut cursor = QueryCursor::new();
            let alias_idx = q.aliases.capture_index_for_name("alias");
            let type_idx = q.aliases.capture_index_for_name("type");
            let mut matches = cursor.matches(&q.aliases, root, bytes);
            let mut found = Vec::new();
            while let Some(m) = matches.next() {
                let alias = m
                    .captures
                    .iter()
                    .find(|c| Some(c.index) == alias_idx)
                    .map(|c| c.node);
                let ty = m
                    .captures
                    .iter()
                    .find(|c| Some(c.index) == type_idx)
                    .map(|c| c.node);
                if let (Some(alias), Some(ty)) = (alias, ty) {
                    let t = self.text_of(ty);
                    let is_env = match ty.kind() {
                        "type_identifier" => t == "Env" || t.ends_with("Env") || t == "Bindings",
                        // `const e = this.env`: the property captured as @type.
                        _ => t == "env" && self.is_env_receiver(ty),
                    };
                    if is_env {
                        found.push(self.text_of(alias).to_string());
                    }
                }
            }
            self.aliases.extend(found);
        }

        // Reads.
        {
            let mut cursor = QueryCursor::new();
            let receiver_idx = q.env.capture_index_for_name("receiver");
            let name_idx = q.env.capture_index_for_name("name");
            let pattern_idx = q.env.capture_index_for_name("pattern");
            let mut matches = cursor.matches(&q.env, root, bytes);
            let mut reads = Vec::new();
            while let Some(m) = matches.next() {
                let get = |i: Option<u32>| {
                    m.captures
                        .iter()
                        .find(|c| Some(c.index) == i)
                        .map(|c| c.node)
                };
                let Some(receiver) = get(receiver_idx) else {
                    continue;
                };
                if !self.is_env_receiver(receiver) {
                    continue;
                }
                if let Some(name) = get(name_idx) {
                    reads.push(self.spanned(name));
                } else if let Some(pattern) = get(pattern_idx) {
                    self.pattern_names(pattern, &mut reads);
                }
            }
            reads.sort_by_key(|r| (r.range.start, r.range.end));
            reads.dedup();
            self.summary.env_accesses = reads.into_iter().map(|name| EnvAccess { name }).collect();
        }

        // Calls, stubs and escapes.
        let mut cursor = QueryCursor::new();
        let idx = |n: &str| q.calls.capture_index_for_name(n);
        let (call_i, recv_i, method_i) = (idx("call"), idx("receiver"), idx("method"));
        let (stub_i, ns_i, getter_i) = (idx("stub"), idx("namespace"), idx("getter"));
        let (arg_i, arg_env_i, spread_i) = (idx("argument"), idx("argument_env"), idx("spread"));
        let mut stubs: HashMap<String, Spanned<String>> = HashMap::new();
        let mut calls: Vec<(Node<'_>, Node<'_>, Node<'_>)> = Vec::new();
        let mut matches = cursor.matches(&q.calls, root, bytes);
        while let Some(m) = matches.next() {
            let get = |i: Option<u32>| {
                m.captures
                    .iter()
                    .find(|c| Some(c.index) == i)
                    .map(|c| c.node)
            };
            if let (Some(call), Some(recv), Some(method)) =
                (get(call_i), get(recv_i), get(method_i))
            {
                calls.push((call, recv, method));
            } else if let (Some(stub), Some(ns), Some(getter)) =
                (get(stub_i), get(ns_i), get(getter_i))
            {
                if STUB_GETTERS.contains(&self.text_of(getter)) {
                    if let Some(binding) = self.env_binding(ns) {
                        stubs.insert(self.text_of(stub).to_string(), binding);
                    }
                }
            } else if let Some(arg) = get(arg_i) {
                if self.aliases.contains(self.text_of(arg)) {
                    self.summary.env_escapes |= self.escapes_through_call(arg);
                }
            } else if let Some(arg) = get(arg_env_i) {
                if self.is_env_receiver(arg) {
                    self.summary.env_escapes |= self.escapes_through_call(arg);
                }
            } else if let Some(spread) = get(spread_i) {
                let s = self.unwrap_expr(spread);
                let is_env = match s.kind() {
                    "identifier" => self.aliases.contains(self.text_of(s)),
                    "member_expression" => s
                        .child_by_field_name("property")
                        .is_some_and(|p| self.is_env_receiver(p)),
                    _ => false,
                };
                self.summary.env_escapes |= is_env;
            }
        }
        for (call, recv, method) in calls {
            let recv = self.unwrap_await(recv);
            let target = if let Some(binding) = self.env_binding(recv) {
                Some((binding, CallTarget::Direct))
            } else if recv.kind() == "call_expression" {
                // env.X.get(id).m() / env.X.getByName(n).m()
                recv.child_by_field_name("function")
                    .filter(|f| f.kind() == "member_expression")
                    .and_then(|f| {
                        let getter = f.child_by_field_name("property")?;
                        if !STUB_GETTERS.contains(&self.text_of(getter)) {
                            return None;
                        }
                        self.env_binding(f.child_by_field_name("object")?)
                    })
                    .map(|b| (b, CallTarget::Stub))
            } else if recv.kind() == "identifier" {
                stubs
                    .get(self.text_of(recv))
                    .cloned()
                    .map(|b| (b, CallTarget::Stub))
            } else {
                None
            };
            if let Some((binding, target)) = target {
                self.summary.env_calls.push(EnvCall {
                    binding,
                    method: self.spanned(method),
                    target,
                    range: range(call),
                });
            }
        }
        self.summary
            .env_calls
            .sort_by_key(|c| (c.range.start, c.method.range.start));
    }

    fn unwrap_await<'a>(&self, node: Node<'a>) -> Node<'a> {
        let node = self.unwrap_expr(node);
        if node.kind() == "await_expression" {
            node.named_child(0)
                .map(|n| self.unwrap_expr(n))
                .unwrap_or(node)
        } else {
            node
        }
    }

    /// `env.X` (or `this.env.X`, `e.X` for an alias) -> `X` with its span.
    fn env_binding(&self, node: Node<'_>) -> Option<Spanned<String>> {
        let node = self.unwrap_expr(node);
        if node.kind() != "member_expression" {
            return None;
        }
        let object = node.child_by_field_name("object")?;
        let property = node.child_by_field_name("property")?;
        if property.kind() != "property_identifier" {
            return None;
        }
        let receiver = match object.kind() {
            "identifier" => object,
            "member_expression" => object.child_by_field_name("property")?,
            _ => return None,
        };
        self.is_env_receiver(receiver)
            .then(|| self.spanned(property))
    }

    /// Whether passing env to this call hides which bindings are read: calls into packages,
    /// or `Object.keys(env)`-style reflection. Calls into the workspace's own modules are
    /// followed by their own summaries.
    fn escapes_through_call(&self, arg: Node<'_>) -> bool {
        let Some(call) = arg.parent().and_then(|a| a.parent()) else {
            return true;
        };
        let Some(callee) = call.child_by_field_name("function") else {
            return true;
        };
        let head = match callee.kind() {
            "identifier" => callee,
            "member_expression" => {
                let mut o = callee;
                while o.kind() == "member_expression" {
                    match o.child_by_field_name("object") {
                        Some(inner) => o = inner,
                        None => break,
                    }
                }
                o
            }
            _ => return true,
        };
        let name = self.text_of(head);
        if name == "Object" || name == "JSON" || name == "Reflect" {
            return true;
        }
        match self.summary.imports.iter().find(|i| i.local == name) {
            Some(import) => !import.from.value.starts_with('.'),
            // A local function or a method on a local value (e.g. a Hono app): its reads are in
            // this workspace.
            None => false,
        }
    }

    /// Names bound by an object destructuring pattern (`{ A, B: b, C = 1, ...rest }`).
    fn pattern_names(&mut self, pattern: Node<'_>, out: &mut Vec<Spanned<String>>) {
        let mut cursor = pattern.walk();
        for p in pattern.named_children(&mut cursor) {
            match p.kind() {
                "shorthand_property_identifier_pattern" => out.push(self.spanned(p)),
                "pair_pattern" => {
                    if let Some(key) = p.child_by_field_name("key") {
                        if key.kind() == "property_identifier" || key.kind() == "string" {
                            out.push(self.name(key));
                        }
                    }
                }
                "object_assignment_pattern" => {
                    if let Some(left) = p.child_by_field_name("left") {
                        if left.kind() == "shorthand_property_identifier_pattern" {
                            out.push(self.spanned(left));
                        }
                    }
                }
                "rest_pattern" => self.summary.env_escapes = true,
                _ => {}
            }
        }
    }
}
