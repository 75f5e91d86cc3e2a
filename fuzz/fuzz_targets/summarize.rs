//! `summarize` on TS and TSX: never panics; every span inside the text on char boundaries and
//! spelling its recorded name.
#![no_main]

use libfuzzer_sys::fuzz_target;
use workers_lsp_fuzz::checks;

fuzz_target!(|data: &[u8]| {
    if let Some((lang, text)) = checks::source_input(data) {
        checks::check_summary(text, lang);
    }
});
