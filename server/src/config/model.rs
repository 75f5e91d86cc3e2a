//! The wrangler config model: what one config file says, with the span of every name and
//! value, before any environment is resolved.
//!
//! `Option<Vec<_>>` fields distinguish "the key is absent" (`None`) from "the key is present and
//! empty" (`Some(vec![])`): wrangler's environment rules depend on presence.

use crate::base::{Spanned, TextRange};
use std::collections::BTreeMap;

pub use super::value::Layout;

/// Where one `key = value` / `"key": value` entry is written, for edits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EntrySpan {
    /// The key as written, quotes included.
    pub key: TextRange,
    /// The value as written, quotes or brackets included.
    pub value: TextRange,
    /// What to delete to remove the entry cleanly (see [`super::value::Entry::removal`]).
    pub removal: Option<TextRange>,
}

/// The entries of a table by key (the keys as read, escapes resolved), for edits.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EntrySpans(pub Vec<(String, EntrySpan)>);

impl EntrySpans {
    pub fn get(&self, key: &str) -> Option<&EntrySpan> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, s)| s)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConfigFormat {
    Toml,
    Json,
    Jsonc,
    /// A worker declared in a TypeScript module by a front-end of [`crate::declare`]; never
    /// parsed by [`crate::config::parse_config`].
    TypeScript,
}

impl ConfigFormat {
    /// The format a file name implies, or `None` if it is not a config extension.
    pub fn from_path(path: &std::path::Path) -> Option<ConfigFormat> {
        match path.extension()?.to_str()? {
            "toml" => Some(ConfigFormat::Toml),
            "json" => Some(ConfigFormat::Json),
            "jsonc" => Some(ConfigFormat::Jsonc),
            _ => None,
        }
    }
}

/// A syntax or shape error in a config, at its position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub message: String,
    pub range: TextRange,
}

/// One parsed config file.
#[derive(Clone, Debug)]
pub struct ConfigFile {
    pub format: ConfigFormat,
    /// Syntax errors. When non-empty, `top` and `envs` hold whatever could be read (usually
    /// nothing) and the config is reported as `config-syntax`.
    pub syntax_errors: Vec<ConfigError>,
    /// The top level (the production environment).
    pub top: EnvSection,
    /// `[env.<E>]` sections in source order.
    pub envs: Vec<EnvSection>,
    /// Keys wrangler's config schema does not accept where they are written, in source order.
    pub key_issues: Vec<KeyIssue>,
}

impl ConfigFile {
    pub fn env(&self, name: &str) -> Option<&EnvSection> {
        self.envs
            .iter()
            .find(|e| e.env_name.as_ref().is_some_and(|n| n.value == name))
    }
}

/// The keys of the top level or of one `[env.E]` table, as written.
#[derive(Clone, Debug, Default)]
pub struct EnvSection {
    /// `None` for the top level; for `[env.E]`, the name `E` and the span of that key.
    pub env_name: Option<Spanned<String>>,
    /// The whole section's range (for the top level: the whole file).
    pub range: TextRange,
    /// How the section's table is written (the top-level object's braces in JSON; an
    /// `[env.E]` header, or braces in JSON, for an environment), for edits that add keys.
    pub layout: Layout,

    // Inheritable keys.
    pub name: Option<Spanned<String>>,
    pub main: Option<Spanned<String>>,
    pub migrations: Option<Vec<Migration>>,
    /// Span of the `migrations` key, when present.
    pub migrations_range: Option<TextRange>,
    /// How the `migrations` value is written (brackets, or TOML `[[migrations]]` blocks), for
    /// edits that append a step.
    pub migrations_layout: Option<Layout>,
    pub exports: Option<Vec<ExportDecl>>,
    /// `keep_vars = true`: vars set in the dashboard are kept on deploy.
    pub keep_vars: bool,
    /// `[build].command`: `main` may be written by this build.
    pub build_command: Option<Spanned<String>>,
    /// An `assets` table without a `binding`: the assets are served, but `env.ASSETS` is not
    /// bound.
    pub assets_without_binding: bool,
    /// Whether the bindings listed are not all there is (a TypeScript declaration spreads or
    /// computes some): an `env.X` the model does not list may still be bound.
    pub open_bindings: bool,
    /// Whether every binding is made by the code that uses it (an Alchemy Effect worker binds
    /// what its implementation `yield*`s): none can be unused.
    pub bound_by_use: bool,

    // Non-inheritable keys.
    pub services: Option<Vec<ServiceBinding>>,
    pub durable_objects: Option<Vec<DurableObjectBinding>>,
    pub workflows: Option<Vec<WorkflowBinding>>,
    pub queue_producers: Option<Vec<QueueProducer>>,
    pub queue_consumers: Option<Vec<QueueConsumer>>,
    pub tail_consumers: Option<Vec<TailConsumer>>,
    pub vars: Option<Vec<Spanned<String>>>,
    /// Every other binding kind, keyed by its config key (`kv_namespaces`, `d1_databases`,
    /// `r2_buckets`, `ai`, `assets`, ...). Presence of a key in the map means the key is
    /// present in the section.
    pub other_bindings: BTreeMap<String, Vec<SimpleBinding>>,
    /// `secrets.required`.
    pub secrets_required: Option<Vec<Spanned<String>>>,
    /// Names wrangler binds without a `binding` key: `__STATIC_CONTENT` for Workers Sites
    /// (`[site]`).
    pub implicit_bindings: Vec<String>,
    /// Span of each non-inheritable key present in this section (the key itself), for
    /// `binding-not-inherited` findings. Keyed by config key (`services`,
    /// `durable_objects`, `queues`, ...).
    pub key_ranges: BTreeMap<String, TextRange>,
    /// The whole entry of each of those keys (key and value, or the TOML `[table]` /
    /// `[[array]]` blocks), for quick fixes that copy it.
    pub entry_ranges: BTreeMap<String, TextRange>,
    /// For those entries written as TOML blocks: the offset of every `[header]` inside the
    /// entry (its own tables' and their sub-tables').
    pub entry_headers: BTreeMap<String, Vec<u32>>,
    /// Binding names (and var names) declared under a key of this section that landed in the
    /// wrong table (`r2_buckets` written after `[build]`, see [`KeyIssueKind::Misplaced`]).
    /// wrangler ignores them, and `misplaced-key` says so; code that reads them is not
    /// reported again as reading an undeclared name.
    pub misplaced_bindings: Vec<Spanned<String>>,
    /// The keys of this section that landed in the wrong table (`r2_buckets`), for rules that
    /// would otherwise report them missing as well.
    pub misplaced_keys: Vec<String>,
}

/// A key that wrangler's config schema does not accept in the table it is written in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyIssue {
    /// The key, with the span of its spelling.
    pub key: Spanned<String>,
    /// The table it is in, as a path: `build`, `migrations[0]`, `env.staging.build`; empty
    /// for the top level.
    pub table: String,
    pub kind: KeyIssueKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyIssueKind {
    /// Valid nowhere near: a key the schema does not know.
    Unknown {
        /// Valid keys of the same table it is a near miss of, best first.
        suggestions: Vec<String>,
    },
    /// A key wrangler used to accept and now refuses.
    Removed { note: &'static str },
    /// A key of a section (the top level or `[env.E]`) that landed in one of its tables,
    /// typically because TOML puts every key after a `[table]` header into that table.
    Misplaced {
        /// The section it is a key of.
        home: KeyHome,
        /// The TOML `[table]` / `[[table]]` header that opened the table it landed in.
        header: Option<TextRange>,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyHome {
    TopLevel,
    Env(String),
}

/// `services[]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceBinding {
    pub binding: Spanned<String>,
    pub service: Option<Spanned<String>>,
    pub entrypoint: Option<Spanned<String>>,
    /// Deprecated `environment` field.
    pub environment: Option<Spanned<String>>,
    /// `remote = true`: the binding reaches a deployed worker even in local development, so
    /// its target lives outside the workspace.
    pub remote: bool,
    /// The whole entry.
    pub range: TextRange,
    /// Where its `service`, `entrypoint` and `environment` entries are written.
    pub entries: EntrySpans,
}

/// `durable_objects.bindings[]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DurableObjectBinding {
    pub name: Spanned<String>,
    pub class_name: Option<Spanned<String>>,
    pub script_name: Option<Spanned<String>>,
    pub environment: Option<Spanned<String>>,
    pub range: TextRange,
}

/// `workflows[]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkflowBinding {
    pub binding: Spanned<String>,
    pub name: Option<Spanned<String>>,
    pub class_name: Option<Spanned<String>>,
    pub script_name: Option<Spanned<String>>,
    pub range: TextRange,
}

/// `queues.producers[]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueueProducer {
    pub binding: Spanned<String>,
    pub queue: Option<Spanned<String>>,
    pub range: TextRange,
}

/// `queues.consumers[]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueueConsumer {
    pub queue: Spanned<String>,
    pub dead_letter_queue: Option<Spanned<String>>,
    pub range: TextRange,
}

/// `tail_consumers[]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TailConsumer {
    pub service: Spanned<String>,
    pub range: TextRange,
}

/// A binding of any other kind: only its name matters across workers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimpleBinding {
    pub binding: Spanned<String>,
    pub range: TextRange,
}

/// One `[[migrations]]` entry.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Migration {
    pub tag: Option<Spanned<String>>,
    pub new_classes: Vec<Spanned<String>>,
    pub new_sqlite_classes: Vec<Spanned<String>>,
    pub renamed_classes: Vec<RenamedClass>,
    pub deleted_classes: Vec<Spanned<String>>,
    pub transferred_classes: Vec<TransferredClass>,
    pub range: TextRange,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenamedClass {
    pub from: Spanned<String>,
    pub to: Spanned<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TransferredClass {
    pub from: Spanned<String>,
    pub from_script: Spanned<String>,
    pub to: Spanned<String>,
}

/// One entry of the declarative `exports` table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportDecl {
    /// The class name (the table key).
    pub class: Spanned<String>,
    /// `type`, e.g. `durable-object`.
    pub kind: Option<Spanned<String>>,
    pub storage: Option<Spanned<String>>,
    /// `state`: created (default), deleted, renamed, transferred, expecting-transfer.
    pub state: Option<Spanned<String>>,
    pub renamed_to: Option<Spanned<String>>,
    pub range: TextRange,
}

impl ExportDecl {
    pub fn is_durable_object(&self) -> bool {
        self.kind
            .as_ref()
            .is_none_or(|k| k.value == "durable-object")
    }
}

/// The non-inheritable keys that wrangler warns about when an environment leaves them out.
///
/// Every field that wrangler's `normalizeAndValidateEnvironment` reads with `notInheritable(...)`
/// (cloudflare/workers-sdk `packages/workers-utils/src/config/validation.ts`, checked August
/// 2026). Not all are bindings (`define`, `cloudchamber`, `containers`), but wrangler warns
/// about each of them alike.
pub const NON_INHERITABLE_KEYS: &[&str] = &[
    "vars",
    "secrets",
    "define",
    "services",
    "durable_objects",
    "workflows",
    "queues",
    "kv_namespaces",
    "d1_databases",
    "r2_buckets",
    "vectorize",
    "hyperdrive",
    "analytics_engine_datasets",
    "send_email",
    "ai",
    "browser",
    "images",
    "media",
    "stream",
    "version_metadata",
    "secrets_store_secrets",
    "mtls_certificates",
    "dispatch_namespaces",
    "pipelines",
    "unsafe",
    "tail_consumers",
    "streaming_tail_consumers",
    "cloudchamber",
    "containers",
    "connect",
    "ai_search_namespaces",
    "ai_search",
    "websearch",
    "agent_memory",
    "artifacts",
    "unsafe_hello_world",
    "flagship",
    "ratelimits",
    "worker_loaders",
    "vpc_services",
    "vpc_networks",
];
