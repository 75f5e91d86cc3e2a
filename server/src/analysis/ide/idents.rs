//! Where a class name is used in the sources: every identifier spelling it in the modules that
//! declare, import or re-export the class. Summaries keep no use sites, so the few modules
//! concerned are parsed again here (only for references and rename, never per keystroke).

use crate::analysis::index::{ClassRef, ExportTarget, Index, Resolved};
use crate::base::TextRange;
use crate::config::ConfigFormat;
use crate::source::{Export, SourceLang};
use std::path::{Path, PathBuf};
use tree_sitter::{Language, Parser};

/// One identifier spelling a name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Use {
    pub range: TextRange,
    /// `{ Name }` in an object literal or pattern: the name is also a property key there, so a
    /// plain rename would change the object's shape.
    pub shorthand: bool,
}

fn language(lang: SourceLang) -> Language {
    match lang {
        SourceLang::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
        SourceLang::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
    }
}

/// Every identifier (value or type position) spelling `name` in a module. Property names
/// (`x.Name`, `{ Name: 1 }`), strings and comments are not uses.
pub fn identifier_uses(text: &str, lang: SourceLang, name: &str) -> Vec<Use> {
    if !text.contains(name) {
        return Vec::new();
    }
    let mut parser = Parser::new();
    if parser.set_language(&language(lang)).is_err() {
        return Vec::new();
    }
    let Some(tree) = parser.parse(text, None) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut cursor = tree.walk();
    'walk: loop {
        let node = cursor.node();
        let kind = node.kind();
        let is_ident = matches!(kind, "identifier" | "type_identifier");
        let is_shorthand = matches!(
            kind,
            "shorthand_property_identifier" | "shorthand_property_identifier_pattern"
        );
        if (is_ident || is_shorthand) && text.get(node.byte_range()) == Some(name) {
            out.push(Use {
                range: TextRange::from_usize(node.start_byte(), node.end_byte()),
                shorthand: is_shorthand,
            });
        }
        if cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                continue 'walk;
            }
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
    out
}

/// Whether `s` is an ECMAScript IdentifierName: an ID_Start character, `$` or `_`, then ID_Continue
/// characters, `$`, ZWNJ or ZWJ (the Unicode tables of the `unicode-ident` crate).
pub fn is_identifier_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c == '$' || c == '_' || unicode_ident::is_xid_start(c))
        && chars.all(|c| {
            c == '$' || c == '\u{200C}' || c == '\u{200D}' || unicode_ident::is_xid_continue(c)
        })
}

/// The reserved words of ECMAScript module code (strict mode, where `await` is reserved too),
/// and the literals that cannot be identifiers.
pub const RESERVED_WORDS: &[&str] = &[
    "await",
    "break",
    "case",
    "catch",
    "class",
    "const",
    "continue",
    "debugger",
    "default",
    "delete",
    "do",
    "else",
    "enum",
    "export",
    "extends",
    "false",
    "finally",
    "for",
    "function",
    "if",
    "implements",
    "import",
    "in",
    "instanceof",
    "interface",
    "let",
    "new",
    "null",
    "package",
    "private",
    "protected",
    "public",
    "return",
    "static",
    "super",
    "switch",
    "this",
    "throw",
    "true",
    "try",
    "typeof",
    "var",
    "void",
    "while",
    "with",
    "yield",
];

/// Names TypeScript refuses as a class name (`Class name cannot be 'string'`), and the two
/// names strict mode code cannot bind.
const NOT_CLASS_NAMES: &[&str] = &[
    "any",
    "bigint",
    "boolean",
    "never",
    "number",
    "object",
    "string",
    "symbol",
    "undefined",
    "unknown",
    "eval",
    "arguments",
];

/// Whether `s` can be a binding identifier in a module: an IdentifierName that is not a
/// reserved word. Binding names must be one so that `const { NAME } = env` can read them.
pub fn is_identifier(s: &str) -> bool {
    is_identifier_name(s) && !RESERVED_WORDS.contains(&s)
}

/// Whether `s` can name a class declared in a TypeScript module.
pub fn is_class_name(s: &str) -> bool {
    is_identifier(s) && !NOT_CLASS_NAMES.contains(&s)
}

/// The edits that rename the property key at each of `ranges` in a module to `new_name`
/// (an env binding read as `env.X`, `{ X } = env`, `{ X: y } = env`) without changing what
/// any local name means:
/// - a shorthand `{ X }` (or `{ X = d }`) also declares the local `X`: it becomes
///   `{ NEW: X }`, and every later use of `X` still finds it;
/// - a pair `{ X: NEW }` whose value is the local `NEW` becomes the shorthand `{ NEW }` (the
///   inverse, so renaming back restores the original text);
/// - any other key is replaced.
///
/// Sorted by position; the module is parsed once.
pub fn key_rename_edits(
    text: &str,
    lang: SourceLang,
    ranges: &[TextRange],
    new_name: &str,
) -> Vec<crate::analysis::ide::TextEdit> {
    use crate::analysis::ide::TextEdit;
    let plain = |range: TextRange| TextEdit {
        range,
        new_text: new_name.to_string(),
    };
    let mut parser = Parser::new();
    let tree = parser
        .set_language(&language(lang))
        .ok()
        .and_then(|_| parser.parse(text, None));
    let mut out: Vec<TextEdit> = ranges
        .iter()
        .map(|&range| {
            let Some(tree) = &tree else {
                return plain(range);
            };
            let (start, end) = (range.start as usize, range.end as usize);
            let Some(node) = tree
                .root_node()
                .descendant_for_byte_range(start, end)
                .filter(|n| n.start_byte() == start && n.end_byte() == end)
            else {
                return plain(range);
            };
            let old = &text[start..end];
            match node.kind() {
                "shorthand_property_identifier_pattern" | "shorthand_property_identifier" => {
                    TextEdit {
                        range,
                        new_text: format!("{new_name}: {old}"),
                    }
                }
                "property_identifier" => match collapsible_pair(text, node, new_name) {
                    Some(value_end) => TextEdit {
                        range: TextRange::from_usize(start, value_end),
                        new_text: new_name.to_string(),
                    },
                    None => plain(range),
                },
                _ => plain(range),
            }
        })
        .collect();
    out.sort_by_key(|e| e.range.start);
    out
}

/// For the key of `{ KEY: NEW }` or `{ KEY: NEW = d }` (pattern or object literal), written
/// with `: ` between key and value: where the local name `NEW` ends.
fn collapsible_pair(text: &str, key: tree_sitter::Node<'_>, new_name: &str) -> Option<usize> {
    let pair = key.parent()?;
    if !matches!(pair.kind(), "pair_pattern" | "pair")
        || pair.child_by_field_name("key")?.id() != key.id()
    {
        return None;
    }
    let value = pair.child_by_field_name("value")?;
    let local = match value.kind() {
        "identifier" => value,
        // `{ KEY: NEW = d }` in a pattern: the shorthand `{ NEW = d }` means the same.
        "assignment_pattern" if pair.kind() == "pair_pattern" => {
            let left = value.child_by_field_name("left")?;
            (left.kind() == "identifier").then_some(left)?
        }
        _ => return None,
    };
    // Exactly the `: ` the shorthand rule writes: another spelling would not come back.
    let between = text.get(key.end_byte()..local.start_byte())?;
    (text.get(local.byte_range()) == Some(new_name)
        && between == ": "
        && value.start_byte() == local.start_byte())
    .then_some(local.end_byte())
}

/// The modules in which the identifier `name` denotes `class`: its own module, and the
/// modules importing or re-exporting it under that name (aliases included: `import { Name as
/// N }` spells it once, in the specifier).
pub fn modules_naming(ix: &Index, class: &ClassRef, name: &str) -> Vec<PathBuf> {
    let is_class = |file: &Path| {
        ix.resolve_export(file, name) == Resolved::Found(ExportTarget::Class(class.clone()))
    };
    let mut out = vec![class.file.clone()];
    for (file, doc) in &ix.ws.sources {
        let Some(summary) = doc.summary() else {
            continue;
        };
        // Type-only imports name it too (`import type { Room }`): a rename that left them
        // would break the module's types.
        let imports = summary
            .imports
            .iter()
            .chain(&summary.type_imports)
            .filter(|i| i.imported == name)
            .map(|i| &i.from.value);
        let reexports = summary.exports.iter().filter_map(|e| match e {
            Export::ReExport { imported, from, .. } if imported == name => Some(&from.value),
            _ => None,
        });
        let names_it = imports
            .chain(reexports)
            .any(|from| doc.resolve(from).is_some_and(is_class));
        if names_it && !out.contains(file) {
            out.push(file.clone());
        }
    }
    // A module declaring workers in TypeScript (`alchemy.run.ts`) imports the class to type
    // its bindings (`import type { Cart } from "./src/carts.ts"`): it names the class too.
    let sources = KnownSources(ix);
    for config in &ix.ws.configs {
        if config.file.format != ConfigFormat::TypeScript || out.contains(&config.path) {
            continue;
        }
        let Some(lang) = SourceLang::from_path(&config.path) else {
            continue;
        };
        if !config.text.contains(name) {
            continue;
        }
        let summary = crate::source::summarize(&config.text, lang);
        let names_it = summary
            .imports
            .iter()
            .chain(&summary.type_imports)
            .filter(|i| i.imported == name)
            .any(|i| {
                crate::project::resolve_module(&sources, &config.path, &i.from.value)
                    .is_some_and(|t| is_class(&t))
            });
        if names_it {
            out.push(config.path.clone());
        }
    }
    out.sort();
    out
}

/// The workspace's source modules as a file system that only answers which files exist: to
/// resolve a declaring module's imports to the modules the index knows, without any I/O.
struct KnownSources<'a>(&'a Index);

impl crate::project::FileSystem for KnownSources<'_> {
    fn read_text(&self, _: &Path) -> Result<std::sync::Arc<str>, crate::project::SkipReason> {
        Err(crate::project::SkipReason::NotFound)
    }
    fn is_file(&self, path: &Path) -> bool {
        self.0.ws.sources.contains_key(path)
    }
    /// The workspace's sources only: no folders.
    fn is_dir(&self, _: &Path) -> bool {
        false
    }
    fn list_dir(
        &self,
        _: &Path,
    ) -> Result<Vec<crate::project::DirEntry>, crate::project::SkipReason> {
        Err(crate::project::SkipReason::NotFound)
    }
}

/// Every source use of a class's name: (module, use).
pub fn class_uses(ix: &Index, class: &ClassRef) -> Vec<(PathBuf, Use)> {
    let Some(decl) = ix.class(class) else {
        return Vec::new();
    };
    let name = &decl.name.value;
    let mut out = Vec::new();
    for file in modules_naming(ix, class, name) {
        let (Some(text), Some(lang)) = (ix.ws.text(&file), SourceLang::from_path(&file)) else {
            continue;
        };
        for u in identifier_uses(&text, lang, name) {
            out.push((file.clone(), u));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_value_type_import_and_export_uses_but_not_properties() {
        let text = "import { Room } from \"./r\";\n// Room\nconst a: Room = new Room();\nx.Room; ({ Room: 1 });\nexport { Room };\nconst s = \"Room\";\n";
        let uses = identifier_uses(text, SourceLang::TypeScript, "Room");
        let at: Vec<usize> = uses.iter().map(|u| u.range.start as usize).collect();
        assert_eq!(
            at,
            vec![
                9,
                text.find(": Room").unwrap() + 2,
                text.find("new Room").unwrap() + 4,
                text.rfind("{ Room }").unwrap() + 2
            ]
        );
        assert!(uses.iter().all(|u| !u.shorthand));
        let uses = identifier_uses("f({ Room });", SourceLang::Tsx, "Room");
        assert_eq!(uses.len(), 1);
        assert!(uses[0].shorthand);
    }
}
