//! `binding-not-inherited`: a top-level non-inheritable key that `[env.E]` leaves out, so the
//! bindings are absent in `E`.

use super::Ctx;
use crate::config::NON_INHERITABLE_KEYS;

pub fn check(cx: &mut Ctx<'_>) {
    let ix = cx.index;
    for config in &ix.ws.configs {
        let top = &config.file.top;
        for section in &config.file.envs {
            let Some(env) = &section.env_name else {
                continue;
            };
            for key in NON_INHERITABLE_KEYS {
                // A key written into the wrong table of the environment is `misplaced-key`.
                let misplaced = section.misplaced_keys.iter().any(|k| k == key);
                if top.key_ranges.contains_key(*key)
                    && !section.key_ranges.contains_key(*key)
                    && !misplaced
                {
                    cx.report(
                        "binding-not-inherited",
                        &config.path,
                        env.range,
                        format!(
                            "`{key}` is set at the top level but not in `env.{}`; it is not inherited, so it is absent in `{}`",
                            env.value, env.value
                        ),
                    )
                    .related(&config.path, top.key_ranges[*key], format!("top-level `{key}`"));
                }
            }
        }
    }
}
