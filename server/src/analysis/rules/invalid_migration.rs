//! `invalid-migration`: replaying the migrations fails, or both `migrations` and `exports`
//! declare Durable Objects.

use super::common::replay;
use super::Ctx;

pub fn check(cx: &mut Ctx<'_>) {
    let ix = cx.index;
    for config in &ix.ws.configs {
        for section in std::iter::once(&config.file.top).chain(&config.file.envs) {
            if let Some(migrations) = &section.migrations {
                for (range, message) in replay(migrations).errors {
                    cx.report("invalid-migration", &config.path, range, message);
                }
                let exports_dos = section
                    .exports
                    .as_ref()
                    .is_some_and(|e| e.iter().any(|e| e.is_durable_object()));
                if exports_dos && !migrations.is_empty() {
                    let range = section.migrations_range.unwrap_or_default();
                    cx.report(
                        "invalid-migration",
                        &config.path,
                        range,
                        "both `migrations` and `exports` declare Durable Objects; use one of them",
                    );
                }
            }
        }
    }
}
