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
