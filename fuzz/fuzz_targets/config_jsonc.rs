//! `parse_config` on JSON/JSONC: never panics (nor overflows the stack); every span inside the
//! text on char boundaries.
#![no_main]

use libfuzzer_sys::fuzz_target;
use workers_lsp::config::ConfigFormat;
use workers_lsp_fuzz::checks;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        checks::check_config(ConfigFormat::Jsonc, text);
    }
});
