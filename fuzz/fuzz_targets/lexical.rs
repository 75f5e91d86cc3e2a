//! The lexical scan never panics, and wherever it accepts a module that tree-sitter parses
//! without errors, it yields exactly the parser's summary.
#![no_main]

use libfuzzer_sys::fuzz_target;
use workers_lsp_fuzz::checks;

fuzz_target!(|data: &[u8]| {
    if let Some((lang, text)) = checks::source_input(data) {
        checks::check_lexical(text, lang);
    }
});
