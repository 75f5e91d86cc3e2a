//! Completion and hover of the keys of a wrangler config, from wrangler's own config schema
//! (what taplo does with SchemaStore, without a second tool). Both read the table at the
//! cursor from the text, so they work while the file does not parse.

use super::context::{key_context, KeyContext};
use super::{CompletionItem, CompletionKind, HoverResult};
use crate::config::schema::{schema, wrangler_version, Prop, Schema, Shape};

/// A key TOML can write without quotes.
fn is_bare(key: &str) -> bool {
    !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// The table the key at the cursor is (or would be) a key of.
fn table_of<'s>(s: &'s Schema, ctx: &KeyContext) -> Shape<'s> {
    s.table_at(&ctx.path)
}

/// The Markdown documentation of a key.
fn documentation(s: &Schema, prop: &Prop) -> String {
    let mut out = String::new();
    if let Some(note) = &prop.deprecated {
        if note.is_empty() {
            out.push_str("**Deprecated.**\n\n");
        } else {
            out.push_str(&format!("**Deprecated:** {note}\n\n"));
        }
    }
    if let Some(doc) = prop.documentation(s) {
        out.push_str(doc);
        out.push_str("\n\n");
    }
    out.push_str(&format!(
        "_From the config schema of wrangler {}._",
        wrangler_version()
    ));
    out
}

/// Keys valid at the cursor, or `None` when the cursor is not where a key is written.
pub(crate) fn key_completions(text: &str, offset: u32, toml: bool) -> Option<Vec<CompletionItem>> {
    let ctx = key_context(text, offset, toml)?;
    let s = schema();
    let table = table_of(s, &ctx);
    if table.is_any() {
        return Some(Vec::new());
    }
    let items = table
        .props()
        .into_iter()
        .filter(|p| {
            let shape = p.shape(s);
            match ctx.header {
                // `[x]` opens a table, `[[x]]` an element of an array of tables.
                Some(false) => shape.allows_table() && !shape.is_any(),
                Some(true) => {
                    shape.allows_array() && !shape.is_any() && {
                        let items = shape.items();
                        items.allows_table() && !items.is_any()
                    }
                }
                None => true,
            }
        })
        .map(|p| {
            let name = &*p.name;
            let insert_text = if ctx.quoted || (toml && is_bare(name)) {
                None
            } else {
                Some(format!("\"{name}\""))
            };
            CompletionItem {
                label: name.to_string(),
                kind: CompletionKind::Key,
                detail: Some(p.shape(s).describe()),
                documentation: Some(documentation(s, p)),
                replace: ctx.range,
                insert_text,
                sort_priority: if p.deprecated.is_some() {
                    2
                } else if p.required {
                    0
                } else {
                    1
                },
            }
        })
        .collect();
    Some(items)
}

/// The schema's documentation of the key under the cursor.
pub(crate) fn key_hover(text: &str, offset: u32, toml: bool) -> Option<HoverResult> {
    let ctx = key_context(text, offset, toml)?;
    if ctx.word.is_empty() {
        return None;
    }
    let s = schema();
    let prop = table_of(s, &ctx).prop(&ctx.word)?;
    let markdown = format!(
        "**`{}`** · {}\n\n{}",
        ctx.word,
        prop.shape(s).describe(),
        documentation(s, prop)
    );
    Some(HoverResult {
        markdown,
        range: ctx.range,
    })
}
