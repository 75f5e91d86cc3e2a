//! Every key of a config checked against wrangler's config schema ([`super::schema`]): keys
//! a table does not accept become [`KeyIssue`]s, and the bindings declared under misplaced
//! keys are collected so that nothing else reports them twice.
//!
//! What is reported, and what is not (wrangler's `validation.ts` warns "Unexpected fields
//! found in X field" for unknown keys of the top level, of environments and of most binding
//! entries, and otherwise ignores them):
//! - Free-form maps (`vars`, `define`, `exports`, `env`, `services[].props`, ...) take any key:
//!   none of their keys is reported (their values still are, where the schema types them).
//! - wrangler does not check the keys of `services` entries, and accepts some the schema
//!   leaves out (the deprecated `environment`): there only near misses of a valid key are
//!   reported.
//! - A key that is not valid in its table but is a key of its section (the top level, or the
//!   `[env.E]` it is inside) is [`KeyIssueKind::Misplaced`]: in TOML, every key written after
//!   a `[table]` header belongs to that table.
//! - A config that a build generated (it has keys only tools write, such as `topLevelName`)
//!   holds wrangler's resolved fields, not raw keys: it is not checked.

use super::model::{KeyHome, KeyIssue, KeyIssueKind};
use super::schema::{is_near_miss, schema, KeyStatus, Schema, Shape};
use super::value::{Entry, Layout, Value, ValueKind};
use crate::base::TextRange;

/// Tables (as key paths inside a section) whose unknown keys wrangler does not check, with the
/// keys it accepts there that the schema omits.
const LENIENT: &[(&[&str], &[&str])] = &[(&["services"], &["environment"])];

/// Keys wrangler once accepted and now refuses (`validation.ts`), with what to do instead.
const REMOVED: &[(&str, bool, &str)] = &[
    (
        "legacy_env",
        true,
        "wrangler no longer supports `legacy_env` and refuses the config: remove it (each \
         environment deploys as its own worker `<name>-<env>`, as `legacy_env = true` did)",
    ),
    (
        "node_compat",
        false,
        "wrangler v4 removed `node_compat` and refuses the config: use the `nodejs_compat` \
         compatibility flag instead",
    ),
];

/// What the check found.
#[derive(Default)]
pub(super) struct KeyCheck {
    pub issues: Vec<KeyIssue>,
    /// Each misplaced entry with the section it belongs to, for reading its bindings.
    pub misplaced: Vec<(KeyHome, Entry)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Seg {
    Key(String),
    Index(usize),
}

/// The path as people write it: `env.staging.build`, `migrations[0]`, `exports."My Class"`.
fn display(path: &[Seg]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                let bare = !k.is_empty()
                    && k.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
                if bare {
                    out.push_str(k);
                } else {
                    out.push_str(&format!("{k:?}"));
                }
            }
            Seg::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// Top-level keys only tools write: a config holding one is the normalised output of a build
/// (the Vite plugin's `dist/<worker>/wrangler.json`, wrangler's redirected deploy config),
/// which carries every field of wrangler's resolved `Config`, not the raw keys a person writes.
const GENERATED_MARKERS: &[&str] = &["topLevelName", "userConfigPath", "definedEnvironments"];

pub(super) fn check(text: &str, tree: &Value) -> KeyCheck {
    if GENERATED_MARKERS.iter().any(|k| tree.entry(k).is_some()) {
        return KeyCheck::default();
    }
    let mut w = Walker {
        text,
        schema: schema(),
        out: KeyCheck::default(),
    };
    let mut path = Vec::new();
    w.table(tree, w.schema.root(), &mut path);
    w.out
}

struct Walker<'t> {
    text: &'t str,
    schema: &'static Schema,
    out: KeyCheck,
}

impl Walker<'_> {
    /// The environment a path is inside, and the rest of the path below its section.
    fn section<'p>(&self, path: &'p [Seg]) -> (Option<&'p str>, &'p [Seg]) {
        match path {
            [Seg::Key(env), Seg::Key(name), rest @ ..] if env == "env" => (Some(name), rest),
            _ => (None, path),
        }
    }

    fn value(&mut self, value: &Value, shape: Shape<'static>, path: &mut Vec<Seg>) {
        if shape.is_any() {
            return;
        }
        match &value.kind {
            ValueKind::Table(_) if shape.allows_table() => self.table(value, shape, path),
            ValueKind::Array(items) if shape.allows_array() => {
                let element = shape.items();
                if element.is_any() {
                    return;
                }
                for (i, item) in items.iter().enumerate() {
                    path.push(Seg::Index(i));
                    self.value(item, element.clone(), path);
                    path.pop();
                }
            }
            // A value of another type: wrangler reports types itself.
            _ => {}
        }
    }

    fn table(&mut self, table: &Value, shape: Shape<'static>, path: &mut Vec<Seg>) {
        let Some(entries) = table.as_table() else {
            return;
        };
        for entry in entries {
            let key = entry.key.value.as_str();
            match shape.key_status(key) {
                KeyStatus::Known(_) | KeyStatus::Free => {
                    path.push(Seg::Key(key.to_string()));
                    self.value(&entry.value, shape.child(key), path);
                    path.pop();
                }
                KeyStatus::Unknown => self.unknown(entry, table, &shape, path),
            }
        }
    }

    fn unknown(&mut self, entry: &Entry, table: &Value, shape: &Shape<'static>, path: &[Seg]) {
        let key = entry.key.value.as_str();
        let (env, inner) = self.section(path);
        let at_section_root = inner.is_empty();
        let issue = |kind| KeyIssue {
            key: entry.key.clone(),
            table: display(path),
            kind,
        };
        if at_section_root {
            if let Some(&(_, _, note)) = REMOVED
                .iter()
                .find(|(k, top_only, _)| *k == key && (env.is_none() || !top_only))
            {
                self.out.issues.push(issue(KeyIssueKind::Removed { note }));
                return;
            }
        }
        // A key of the section it is in, or of the top level.
        let mut home = None;
        if let (Some(env), false) = (env, at_section_root) {
            if self.schema.section(Some(env)).prop(key).is_some() {
                home = Some(KeyHome::Env(env.to_string()));
            }
        }
        if home.is_none() && !path.is_empty() && self.schema.root().prop(key).is_some() {
            home = Some(KeyHome::TopLevel);
        }
        if let Some(home) = home {
            let header = self.header_of(table);
            self.out.issues.push(issue(KeyIssueKind::Misplaced {
                home: home.clone(),
                header,
            }));
            self.out.misplaced.push((home, entry.clone()));
            return;
        }
        let inner_keys: Vec<&str> = inner
            .iter()
            .filter_map(|s| match s {
                Seg::Key(k) => Some(k.as_str()),
                Seg::Index(_) => None,
            })
            .collect();
        let lenient = LENIENT.iter().find(|(p, _)| *p == inner_keys.as_slice());
        if lenient.is_some_and(|(_, hidden)| hidden.contains(&key)) {
            return;
        }
        let mut near: Vec<(usize, &str)> = shape
            .props()
            .into_iter()
            .map(|p| &*p.name)
            .filter(|valid| is_near_miss(key, valid))
            .map(|valid| (strsim::osa_distance(key, valid), valid))
            .collect();
        near.sort();
        if near.is_empty() && lenient.is_some() {
            return;
        }
        let suggestions = near
            .into_iter()
            .take(3)
            .map(|(_, v)| v.to_string())
            .collect();
        self.out
            .issues
            .push(issue(KeyIssueKind::Unknown { suggestions }));
    }

    /// The `[table]` / `[[table]]` header that opened a TOML table, if it has one.
    fn header_of(&self, table: &Value) -> Option<TextRange> {
        let Layout::Header { header, .. } = table.layout else {
            return None;
        };
        let start = header as usize;
        let rest = self.text.get(start..)?;
        let line = &rest[..rest.find('\n').unwrap_or(rest.len())];
        // The first `]` outside quotes closes the header (`]]` for an array of tables).
        let mut quote: Option<u8> = None;
        let bytes = line.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            match quote {
                Some(q) if b == q => quote = None,
                Some(b'"') if b == b'\\' => i += 1,
                Some(_) => {}
                None if b == b'"' || b == b'\'' => quote = Some(b),
                None if b == b']' => {
                    let end = if line.starts_with("[[") && bytes.get(i + 1) == Some(&b']') {
                        i + 2
                    } else {
                        i + 1
                    };
                    return Some(TextRange::from_usize(start, start + end));
                }
                None => {}
            }
            i += 1;
        }
        None
    }
}

#[cfg(test)]
#[path = "keys_tests.rs"]
mod tests;
