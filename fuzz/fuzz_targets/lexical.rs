//! The lexical scan never panics, and wherever it accepts a module that tree-sitter parses
//! without errors, it yields exactly the parser's summary.
#![no_main]

use libfuzzer_sys::fuzz_target;
use workers_lsp::source::SourceLang;
use workers_lsp_fuzz::checks;

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    if let Ok(text) = std::str::from_utf8(rest) {
        let lang = if first & 1 == 0 {
            SourceLang::TypeScript
        } else {
            SourceLang::Tsx
        };
        checks::check_lexical(text, lang);
    }
});
