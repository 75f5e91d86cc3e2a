//! `LineIndex`: offset -> line/column -> offset round-trips in UTF-8 and UTF-16; arbitrary
//! offsets and line/column pairs never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use workers_lsp_fuzz::checks;

fuzz_target!(|data: &[u8]| {
    // The first 16 bytes are two (line, column) probes, the rest is the text.
    if data.len() < 16 {
        return;
    }
    let (head, rest) = data.split_at(16);
    let word = |i: usize| u32::from_le_bytes(head[i..i + 4].try_into().unwrap());
    let probes = [(word(0), word(4)), (word(8), word(12)), (word(0) % 8, word(4) % 64)];
    if let Ok(text) = std::str::from_utf8(rest) {
        checks::check_line_index(text, &probes);
    }
});
