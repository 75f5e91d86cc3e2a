//! `config-syntax`: a config (or `workers-lsp.toml`) that does not parse.

use super::Ctx;

pub fn check(cx: &mut Ctx<'_>) {
    let ix = cx.index;
    for config in &ix.ws.configs {
        for e in &config.file.syntax_errors {
            cx.report("config-syntax", &config.path, e.range, e.message.clone());
        }
    }
    let settings = ix.ws.settings_path();
    for e in &ix.ws.settings_errors {
        cx.report("config-syntax", &settings, e.range, e.message.clone());
    }
}
