//! Reads the format-neutral value tree into the config model.
//!
//! Wrong-typed values (`services = "x"`, a number where a class name belongs, an entry without
//! its required name) are skipped silently: wrangler reports types itself, and the checker only
//! needs what is well-formed. Key presence is still recorded in `key_ranges`.

use super::model::*;
use super::value::{Entry, Layout, Value, ValueKind};
use crate::base::{Spanned, TextRange};

/// Binding kinds kept as [`SimpleBinding`]s: arrays of tables, each naming its binding with the
/// given field (wrangler's `environment.ts`: `send_email` and `ratelimits` use `name`).
const ARRAY_BINDINGS: &[(&str, &str)] = &[
    ("kv_namespaces", "binding"),
    ("d1_databases", "binding"),
    ("r2_buckets", "binding"),
    ("vectorize", "binding"),
    ("hyperdrive", "binding"),
    ("analytics_engine_datasets", "binding"),
    ("send_email", "name"),
    ("mtls_certificates", "binding"),
    ("dispatch_namespaces", "binding"),
    ("pipelines", "binding"),
    ("secrets_store_secrets", "binding"),
    ("ai_search_namespaces", "binding"),
    ("ai_search", "binding"),
    ("agent_memory", "binding"),
    ("artifacts", "binding"),
    ("unsafe_hello_world", "binding"),
    ("flagship", "binding"),
    ("ratelimits", "name"),
    ("worker_loaders", "binding"),
    ("vpc_services", "binding"),
    ("vpc_networks", "binding"),
];

/// Binding kinds that are one table with a `binding` field.
const SINGLE_BINDINGS: &[&str] = &[
    "ai",
    "browser",
    "images",
    "media",
    "stream",
    "version_metadata",
    "websearch",
];

pub fn extract(
    format: ConfigFormat,
    text: &str,
    tree: Option<Value>,
    errors: Vec<ConfigError>,
) -> ConfigFile {
    let whole = TextRange::from_usize(0, text.len());
    let mut file = ConfigFile {
        format,
        syntax_errors: errors,
        top: EnvSection {
            range: whole,
            ..EnvSection::default()
        },
        envs: Vec::new(),
        key_issues: Vec::new(),
    };
    let Some(tree) = tree else {
        return file;
    };
    if tree.as_table().is_none() {
        file.syntax_errors.push(ConfigError {
            message: "the top level of a wrangler config must be an object".to_string(),
            range: tree.full_range,
        });
        return file;
    }
    file.top = read_section(&tree, None, whole);
    if let Some(envs) = tree.get("env").and_then(Value::as_table) {
        for env in envs {
            if env.value.as_table().is_some() {
                file.envs
                    .push(read_section(&env.value, Some(env.key.clone()), env.range));
            }
        }
    }
    let checked = super::keys::check(text, &tree);
    file.key_issues = checked.issues;
    for (home, entry) in checked.misplaced {
        let section = match &home {
            KeyHome::TopLevel => Some(&mut file.top),
            KeyHome::Env(e) => file
                .envs
                .iter_mut()
                .find(|s| s.env_name.as_ref().is_some_and(|n| &n.value == e)),
        };
        if let Some(section) = section {
            section
                .misplaced_bindings
                .extend(declared_names(&entry, whole));
            section.misplaced_keys.push(entry.key.value.clone());
        }
    }
    file
}

/// The binding and var names an entry declares when read as a key of a section.
fn declared_names(entry: &Entry, whole: TextRange) -> Vec<Spanned<String>> {
    let table = Value::new(
        ValueKind::Table(vec![entry.clone()]),
        entry.range,
        entry.range,
    );
    let s = read_section(&table, None, whole);
    let mut names: Vec<Spanned<String>> = Vec::new();
    names.extend(s.services.iter().flatten().map(|b| b.binding.clone()));
    names.extend(s.durable_objects.iter().flatten().map(|b| b.name.clone()));
    names.extend(s.workflows.iter().flatten().map(|b| b.binding.clone()));
    names.extend(
        s.queue_producers
            .iter()
            .flatten()
            .map(|b| b.binding.clone()),
    );
    names.extend(
        s.other_bindings
            .values()
            .flatten()
            .map(|b| b.binding.clone()),
    );
    names.extend(s.vars.iter().flatten().cloned());
    names.extend(s.secrets_required.iter().flatten().cloned());
    names
}

fn read_section(table: &Value, env_name: Option<Spanned<String>>, range: TextRange) -> EnvSection {
    let mut section = EnvSection {
        env_name,
        range,
        layout: table.layout,
        name: string(table, "name"),
        main: string(table, "main"),
        keep_vars: is_true(table, "keep_vars"),
        build_command: table.get("build").and_then(|b| string(b, "command")),
        ..EnvSection::default()
    };

    if let Some(entry) = table.entry("migrations") {
        section.migrations_range = Some(entry.key.range);
        section.migrations_layout = Some(entry.value.layout);
        section.migrations = entry
            .value
            .as_array()
            .map(|items| items.iter().filter_map(migration).collect());
    }
    section.exports = table
        .get("exports")
        .and_then(Value::as_table)
        .map(|entries| entries.iter().filter_map(export_decl).collect());

    section.services = array_of(table.get("services"), service);
    section.durable_objects = table
        .get("durable_objects")
        .and_then(|d| d.as_table().map(|_| d))
        .map(|d| array_of(d.get("bindings"), durable_object).unwrap_or_default());
    section.workflows = array_of(table.get("workflows"), workflow);
    if let Some(queues) = table.get("queues").filter(|q| q.as_table().is_some()) {
        section.queue_producers = array_of(queues.get("producers"), queue_producer);
        section.queue_consumers = array_of(queues.get("consumers"), queue_consumer);
    }
    section.tail_consumers = array_of(table.get("tail_consumers"), tail_consumer);
    section.vars = table
        .get("vars")
        .and_then(Value::as_table)
        .map(|entries| entries.iter().map(|e| e.key.clone()).collect());
    section.secrets_required = table
        .get("secrets")
        .and_then(|s| s.get("required"))
        .and_then(Value::as_array)
        .map(strings);

    for &(key, field) in ARRAY_BINDINGS {
        let found = array_of(table.get(key), |v| simple_binding(v, field, v.full_range));
        if let Some(found) = found {
            section.other_bindings.insert(key.to_string(), found);
        }
    }
    for &key in SINGLE_BINDINGS {
        if let Some(entry) = table.entry(key).filter(|e| e.value.as_table().is_some()) {
            let found = simple_binding(&entry.value, "binding", entry.range);
            section
                .other_bindings
                .insert(key.to_string(), found.into_iter().collect());
        }
    }
    // Workers Sites bind their KV namespace implicitly.
    if table.get("site").is_some_and(|s| s.as_table().is_some()) {
        section
            .implicit_bindings
            .push("__STATIC_CONTENT".to_string());
    }
    // `assets` only declares a binding when `assets.binding` is set.
    if let Some(entry) = table.entry("assets") {
        match simple_binding(&entry.value, "binding", entry.range) {
            Some(found) => {
                section
                    .other_bindings
                    .insert("assets".to_string(), vec![found]);
            }
            None => section.assets_without_binding = entry.value.as_table().is_some(),
        }
    }
    // `unsafe.bindings[]` name their bindings with `name`.
    if let Some(unsafe_table) = table.get("unsafe").filter(|u| u.as_table().is_some()) {
        let found = array_of(unsafe_table.get("bindings"), |v| {
            simple_binding(v, "name", v.full_range)
        });
        section
            .other_bindings
            .insert("unsafe".to_string(), found.unwrap_or_default());
    }

    if let Some(entries) = table.as_table() {
        for entry in entries {
            if NON_INHERITABLE_KEYS.contains(&entry.key.value.as_str()) {
                section
                    .key_ranges
                    .entry(entry.key.value.clone())
                    .or_insert(entry.key.range);
                section
                    .entry_ranges
                    .entry(entry.key.value.clone())
                    .or_insert(entry.range);
                let mut headers = Vec::new();
                collect_headers(&entry.value, &mut headers);
                if !headers.is_empty() {
                    section
                        .entry_headers
                        .entry(entry.key.value.clone())
                        .or_insert(headers);
                }
            }
        }
    }
    section
}

/// The offset of every TOML `[header]` in a value, in source order.
fn collect_headers(v: &Value, out: &mut Vec<u32>) {
    if let Layout::Header { header, .. } = v.layout {
        out.push(header);
    }
    if let Some(items) = v.as_array() {
        items.iter().for_each(|i| collect_headers(i, out));
    }
    if let Some(entries) = v.as_table() {
        entries.iter().for_each(|e| collect_headers(&e.value, out));
    }
    out.sort_unstable();
}

/// The spans of `keys` in a table value.
fn entry_spans(v: &Value, keys: &[&str]) -> EntrySpans {
    EntrySpans(
        keys.iter()
            .filter_map(|k| {
                let e = v.entry(k)?;
                Some((
                    k.to_string(),
                    EntrySpan {
                        key: e.key_full,
                        value: e.value.full_range,
                        removal: e.removal,
                    },
                ))
            })
            .collect(),
    )
}

fn is_true(table: &Value, key: &str) -> bool {
    table
        .get(key)
        .is_some_and(|v| matches!(v.kind, super::value::ValueKind::Bool(true)))
}

fn string(table: &Value, key: &str) -> Option<Spanned<String>> {
    table.get(key).and_then(Value::as_spanned_str)
}

fn strings(items: &[Value]) -> Vec<Spanned<String>> {
    items.iter().filter_map(Value::as_spanned_str).collect()
}

fn string_list(table: &Value, key: &str) -> Vec<Spanned<String>> {
    table
        .get(key)
        .and_then(Value::as_array)
        .map(strings)
        .unwrap_or_default()
}

/// `Some` with the well-formed items when `value` is an array, `None` when absent or not an
/// array.
fn array_of<T>(value: Option<&Value>, read: impl Fn(&Value) -> Option<T>) -> Option<Vec<T>> {
    value
        .and_then(Value::as_array)
        .map(|items| items.iter().filter_map(read).collect())
}

fn simple_binding(value: &Value, field: &str, range: TextRange) -> Option<SimpleBinding> {
    Some(SimpleBinding {
        binding: string(value, field)?,
        range,
    })
}

fn service(v: &Value) -> Option<ServiceBinding> {
    Some(ServiceBinding {
        binding: string(v, "binding")?,
        service: string(v, "service"),
        entrypoint: string(v, "entrypoint"),
        environment: string(v, "environment"),
        remote: is_true(v, "remote"),
        range: v.full_range,
        entries: entry_spans(v, &["service", "entrypoint", "environment"]),
    })
}

fn durable_object(v: &Value) -> Option<DurableObjectBinding> {
    Some(DurableObjectBinding {
        name: string(v, "name")?,
        class_name: string(v, "class_name"),
        script_name: string(v, "script_name"),
        environment: string(v, "environment"),
        range: v.full_range,
    })
}

fn workflow(v: &Value) -> Option<WorkflowBinding> {
    Some(WorkflowBinding {
        binding: string(v, "binding")?,
        name: string(v, "name"),
        class_name: string(v, "class_name"),
        script_name: string(v, "script_name"),
        range: v.full_range,
    })
}

fn queue_producer(v: &Value) -> Option<QueueProducer> {
    Some(QueueProducer {
        binding: string(v, "binding")?,
        queue: string(v, "queue"),
        range: v.full_range,
    })
}

fn queue_consumer(v: &Value) -> Option<QueueConsumer> {
    Some(QueueConsumer {
        queue: string(v, "queue")?,
        dead_letter_queue: string(v, "dead_letter_queue"),
        range: v.full_range,
    })
}

fn tail_consumer(v: &Value) -> Option<TailConsumer> {
    Some(TailConsumer {
        service: string(v, "service")?,
        range: v.full_range,
    })
}

fn migration(v: &Value) -> Option<Migration> {
    v.as_table()?;
    let renamed_classes = array_of(v.get("renamed_classes"), |r| {
        Some(RenamedClass {
            from: string(r, "from")?,
            to: string(r, "to")?,
        })
    })
    .unwrap_or_default();
    let transferred_classes = array_of(v.get("transferred_classes"), |t| {
        Some(TransferredClass {
            from: string(t, "from")?,
            from_script: string(t, "from_script")?,
            to: string(t, "to")?,
        })
    })
    .unwrap_or_default();
    Some(Migration {
        tag: string(v, "tag"),
        new_classes: string_list(v, "new_classes"),
        new_sqlite_classes: string_list(v, "new_sqlite_classes"),
        renamed_classes,
        deleted_classes: string_list(v, "deleted_classes"),
        transferred_classes,
        range: v.full_range,
    })
}

fn export_decl(entry: &Entry) -> Option<ExportDecl> {
    let v = &entry.value;
    v.as_table()?;
    Some(ExportDecl {
        class: entry.key.clone(),
        kind: string(v, "type"),
        storage: string(v, "storage"),
        state: string(v, "state"),
        renamed_to: string(v, "renamed_to"),
        range: entry.range,
    })
}

#[cfg(test)]
#[path = "extract_tests.rs"]
mod tests;
