//! `env-migrations-diverge`: `env.E.migrations` overrides the top level and does not start with
//! every top-level step, so later top-level tags never reach `E`.

use super::Ctx;
use crate::config::Migration;

/// A migration's content without spans.
fn key(m: &Migration) -> impl PartialEq + '_ {
    let names = |v: &'_ [crate::base::Spanned<String>]| {
        v.iter().map(|s| s.value.clone()).collect::<Vec<_>>()
    };
    (
        m.tag.as_ref().map(|t| t.value.clone()),
        names(&m.new_classes),
        names(&m.new_sqlite_classes),
        names(&m.deleted_classes),
        m.renamed_classes
            .iter()
            .map(|r| (r.from.value.clone(), r.to.value.clone()))
            .collect::<Vec<_>>(),
    )
}

pub fn check(cx: &mut Ctx<'_>) {
    let ix = cx.index;
    for config in &ix.ws.configs {
        let Some(top) = &config.file.top.migrations else {
            continue;
        };
        for section in &config.file.envs {
            let (Some(env_migrations), Some(env_name)) = (&section.migrations, &section.env_name)
            else {
                continue;
            };
            let prefix_ok = top.len() <= env_migrations.len()
                && top
                    .iter()
                    .zip(env_migrations)
                    .all(|(a, b)| key(a) == key(b));
            if prefix_ok {
                continue;
            }
            let missing: Vec<String> = top
                .iter()
                .filter(|m| !env_migrations.iter().any(|e| key(e) == key(m)))
                .filter_map(|m| m.tag.as_ref().map(|t| format!("`{}`", t.value)))
                .collect();
            let detail = if missing.is_empty() {
                "its steps differ from the top level's".to_string()
            } else {
                format!("it lacks top-level migration {}", missing.join(", "))
            };
            cx.report(
                "env-migrations-diverge",
                &config.path,
                section.migrations_range.unwrap_or(env_name.range),
                format!(
                    "`env.{}.migrations` replaces the top-level migrations and {detail}",
                    env_name.value
                ),
            );
        }
    }
}
