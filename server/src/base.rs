//! Text ranges and position conversion.
//!
//! Everything inside the analysis speaks byte offsets into a file's text. Converting to
//! line/column pairs (1-based for the CLI, 0-based UTF-16 or UTF-8 for LSP) happens here and
//! nowhere else.

use std::fmt;

/// A half-open byte range `[start, end)` into a file's text.
#[derive(
    Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, serde::Serialize, serde::Deserialize,
)]
pub struct TextRange {
    pub start: u32,
    pub end: u32,
}

impl TextRange {
    pub fn new(start: u32, end: u32) -> Self {
        debug_assert!(start <= end);
        TextRange { start, end }
    }
    pub fn empty(at: u32) -> Self {
        TextRange { start: at, end: at }
    }
    pub fn from_usize(start: usize, end: usize) -> Self {
        TextRange::new(start as u32, end as u32)
    }
    pub fn len(self) -> u32 {
        self.end - self.start
    }
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }
    /// Whether `offset` lies inside the range, counting its end (a cursor right after the
    /// last character still touches it).
    pub fn touches(self, offset: u32) -> bool {
        self.start <= offset && offset <= self.end
    }
    pub fn contains_range(self, other: TextRange) -> bool {
        self.start <= other.start && other.end <= self.end
    }
    /// The range shrunk by `n` bytes at both ends, e.g. to drop the quotes of a string.
    pub fn shrink(self, n: u32) -> Self {
        if self.len() >= 2 * n {
            TextRange::new(self.start + n, self.end - n)
        } else {
            self
        }
    }
    pub fn as_usize(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

impl fmt::Debug for TextRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// A value together with the range of the source text that spells it. For strings the range
/// covers the string's contents without its quotes.
#[derive(Clone, PartialEq, Eq, Hash, Debug, serde::Serialize, serde::Deserialize)]
pub struct Spanned<T> {
    pub value: T,
    pub range: TextRange,
}

impl<T> Spanned<T> {
    pub fn new(value: T, range: TextRange) -> Self {
        Spanned { value, range }
    }
}

impl Spanned<String> {
    pub fn as_str(&self) -> &str {
        &self.value
    }
}

/// How LSP columns are counted.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum PositionEncoding {
    Utf8,
    Utf16,
}

/// A 0-based line and column, the column counted in the chosen encoding's units.
#[derive(Clone, Copy, PartialEq, Eq, Debug, PartialOrd, Ord)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

/// Maps byte offsets to lines and back. Lines end at `\n`; a `\r` before it belongs to the
/// line terminator, so CRLF files get the same columns as LF files. A lone `\r` is an
/// ordinary character (editors normalise old-Mac line endings when they open a file, and
/// tree-sitter's rows count `\n` only), so every offset keeps a distinct position.
#[derive(Clone, Debug)]
pub struct LineIndex {
    /// Byte offset of the start of every line.
    line_starts: Vec<u32>,
    /// Every character that takes fewer UTF-16 units than bytes (all non-ASCII ones): its
    /// offset, and the bytes saved by all of them up to and including it. A UTF-16 column is
    /// then the byte column minus the savings between the line start and the offset, found
    /// by binary search, so converting costs O(log n) however long the line (a minified
    /// config holds thousands of findings on one line).
    wide: Vec<(u32, u32)>,
    len: u32,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut line_starts = Vec::with_capacity(1 + bytes.len() / 32);
        line_starts.push(0);
        line_starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| i as u32 + 1));
        let mut wide = Vec::new();
        if !text.is_ascii() {
            let mut saved = 0u32;
            for (i, &b) in bytes.iter().enumerate() {
                if b >= 0xC0 {
                    // A UTF-8 lead byte: 2-byte characters are one UTF-16 unit, 3-byte ones
                    // one, 4-byte ones two.
                    saved += if b < 0xE0 { 1 } else { 2 };
                    wide.push((i as u32, saved));
                }
            }
        }
        LineIndex {
            line_starts,
            wide,
            len: text.len() as u32,
        }
    }

    /// Bytes minus UTF-16 units of the text before `offset` (a char boundary).
    fn saved_before(&self, offset: u32) -> u32 {
        match self.wide.partition_point(|&(at, _)| at < offset) {
            0 => 0,
            k => self.wide[k - 1].1,
        }
    }

    pub fn line_count(&self) -> u32 {
        self.line_starts.len() as u32
    }

    /// The content range of a 0-based line, without its terminator.
    pub fn line_range(&self, text: &str, line: u32) -> (u32, u32) {
        let start = self.line_starts[line as usize];
        match self.line_starts.get(line as usize + 1) {
            // A `\r` right before the `\n` belongs to the terminator. A lone `\r` (at the
            // end of the text, or mid-line) is an ordinary character: lines end at `\n` only.
            Some(&next) => {
                let mut end = next - 1;
                if end > start && text.as_bytes().get(end as usize - 1) == Some(&b'\r') {
                    end -= 1;
                }
                (start, end)
            }
            None => (start, self.len),
        }
    }

    /// Converts a byte offset (clamped to the text and to a char boundary) to a 0-based line
    /// and a column in `enc` units.
    pub fn line_col(&self, text: &str, offset: u32, enc: PositionEncoding) -> LineCol {
        let offset = floor_char_boundary(text, offset.min(self.len) as usize) as u32;
        let line = match self.line_starts.binary_search(&offset) {
            Ok(l) => l,
            Err(l) => l - 1,
        } as u32;
        let (start, end) = self.line_range(text, line);
        let upto = offset.min(end);
        let bytes = upto - start;
        let col = match enc {
            PositionEncoding::Utf8 => bytes,
            PositionEncoding::Utf16 => bytes - (self.saved_before(upto) - self.saved_before(start)),
        };
        LineCol { line, col }
    }

    /// Converts a 0-based line and column to a byte offset. Out-of-range lines clamp to the end
    /// of the text, out-of-range columns to the end of the line, and a column inside a
    /// surrogate pair or multi-byte character to that character's start.
    pub fn offset(&self, text: &str, pos: LineCol, enc: PositionEncoding) -> u32 {
        if pos.line as usize >= self.line_starts.len() {
            return self.len;
        }
        let (start, end) = self.line_range(text, pos.line);
        let line = &text[start as usize..end as usize];
        let mut units = 0u32;
        for (i, c) in line.char_indices() {
            if units >= pos.col {
                return start + i as u32;
            }
            units += match enc {
                PositionEncoding::Utf8 => c.len_utf8() as u32,
                PositionEncoding::Utf16 => c.len_utf16() as u32,
            };
            if units > pos.col {
                return start + i as u32;
            }
        }
        end
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Levenshtein-based "did you mean" candidates, best first, at most three.
pub fn did_you_mean<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Vec<String> {
    let wanted_lower = wanted.to_lowercase();
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .filter(|c| *c != wanted && !c.is_empty())
        .filter_map(|c| {
            let d = strsim::levenshtein(&wanted_lower, &c.to_lowercase());
            let limit = (wanted.chars().count().max(c.chars().count()) / 3).max(2);
            (d <= limit).then_some((d, c))
        })
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored
        .into_iter()
        .take(3)
        .map(|(_, c)| c.to_string())
        .collect()
}

/// The one candidate that `wanted` is a near miss of, as evidence that `wanted` is a typo: a
/// difference of case or of `-`/`_` only, or an edit distance (a swap of two neighbours
/// counts as one edit) of at most 2 and at most a fifth of `wanted`'s length, or of one edit
/// in a name of four characters or more; and strictly closer than every other candidate.
/// `None` when nothing is that close, or when the closest candidates are tied (the intent is
/// ambiguous).
pub fn near_miss<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    fn folded(s: &str) -> impl Iterator<Item = char> + '_ {
        s.chars()
            .filter(|c| *c != '-' && *c != '_')
            .flat_map(char::to_lowercase)
    }
    fn lower_len(s: &str) -> usize {
        if s.is_ascii() {
            s.len()
        } else {
            s.chars().flat_map(char::to_lowercase).count()
        }
    }
    let wanted_folded: String = folded(wanted).collect();
    let wanted_lower = wanted.to_lowercase();
    let wanted_lower_len = wanted_lower.chars().count();
    let len = wanted.chars().count();
    let scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .filter(|c| *c != wanted && !c.is_empty())
        .filter_map(|c| {
            if folded(c).eq(wanted_folded.chars()) {
                return Some((0, c));
            }
            // Every edit changes the length by at most one: a name whose length differs by
            // more than two is more than two edits away, whatever its letters.
            if lower_len(c).abs_diff(wanted_lower_len) > 2 {
                return None;
            }
            let d = strsim::osa_distance(&wanted_lower, &c.to_lowercase());
            (d <= 2 && (d * 5 <= len || (d == 1 && len >= 4))).then_some((d, c))
        })
        .collect();
    strictly_closest(scored)
}

/// The candidate strictly closer than every other (by distance, then name), if one is.
fn strictly_closest(mut scored: Vec<(usize, &str)>) -> Option<String> {
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    match scored.as_slice() {
        [] => None,
        [(_, only)] => Some(only.to_string()),
        [(d0, best), (d1, _), ..] => (d0 < d1).then(|| best.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_columns_count_astral_characters_twice() {
        let text = "a😀b\r\nxyz";
        let idx = LineIndex::new(text);
        let b = text.find('b').unwrap() as u32;
        assert_eq!(
            idx.line_col(text, b, PositionEncoding::Utf16),
            LineCol { line: 0, col: 3 }
        );
        assert_eq!(
            idx.line_col(text, b, PositionEncoding::Utf8),
            LineCol { line: 0, col: 5 }
        );
        assert_eq!(
            idx.offset(text, LineCol { line: 0, col: 3 }, PositionEncoding::Utf16),
            b
        );
        // Inside the surrogate pair: snaps to the emoji's start.
        assert_eq!(
            idx.offset(text, LineCol { line: 0, col: 2 }, PositionEncoding::Utf16),
            1
        );
    }

    #[test]
    fn crlf_is_a_terminator_and_out_of_range_clamps() {
        let text = "ab\r\ncd";
        let idx = LineIndex::new(text);
        assert_eq!(
            idx.offset(text, LineCol { line: 0, col: 99 }, PositionEncoding::Utf16),
            2
        );
        assert_eq!(
            idx.line_col(text, 4, PositionEncoding::Utf16),
            LineCol { line: 1, col: 0 }
        );
        assert_eq!(
            idx.offset(text, LineCol { line: 7, col: 0 }, PositionEncoding::Utf16),
            6
        );
        // The `\r` offset itself maps to the end of line 0.
        assert_eq!(
            idx.line_col(text, 3, PositionEncoding::Utf16),
            LineCol { line: 0, col: 2 }
        );
    }

    /// The UTF-16 column comes from the saved-bytes table, not from scanning the line: it must
    /// equal the count of units from the line start, for 1- to 4-byte characters, CRLF and a
    /// lone `\r`, at every offset (those inside a character floor to its start).
    #[test]
    fn utf16_columns_equal_a_scan_of_the_line() {
        for text in [
            "",
            "abc",
            "aé😀b\r\nc中d\n\n😀😀\r\n",
            "é\r中\n𝄞x",
            "{\"a\":\"ü\",\"b\":\"😀\",\"c\":1}",
        ] {
            let idx = LineIndex::new(text);
            for off in 0..=text.len() {
                let lc = idx.line_col(text, off as u32, PositionEncoding::Utf16);
                let at = floor_char_boundary(text, off);
                let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
                let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
                let content_end = if text[..line_end].ends_with('\r') && line_end < text.len() {
                    line_end - 1
                } else {
                    line_end
                };
                let want = text[line_start..at.min(content_end)].encode_utf16().count() as u32;
                assert_eq!(lc.col, want, "{text:?} at {off}");
                assert_eq!(lc.line as usize, text[..at].matches('\n').count());
            }
        }
    }

    /// Found by the `line_index_round_trips` property: a `\r` ending the text was taken for
    /// half a CRLF, so the offsets before and after it had the same column.
    #[test]
    fn lone_carriage_return_is_a_character() {
        for text in ["\r", "a\r", "a\rb", "x\n\r"] {
            let idx = LineIndex::new(text);
            for enc in [PositionEncoding::Utf8, PositionEncoding::Utf16] {
                for off in 0..=text.len() as u32 {
                    let lc = idx.line_col(text, off, enc);
                    assert_eq!(idx.offset(text, lc, enc), off, "{text:?} at {off}");
                }
            }
        }
        let crlf = "ab\r\ncd";
        let idx = LineIndex::new(crlf);
        assert_eq!(
            idx.line_col(crlf, 4, PositionEncoding::Utf16),
            LineCol { line: 1, col: 0 }
        );
        assert_eq!(
            idx.offset(crlf, LineCol { line: 0, col: 9 }, PositionEncoding::Utf8),
            2
        );
    }

    #[test]
    fn near_misses_are_close_and_unambiguous() {
        assert_eq!(
            near_miss("TaskServce", ["TaskService", "Other"]),
            Some("TaskService".into())
        );
        assert_eq!(near_miss("api_key", ["API_KEY"]), Some("API_KEY".into()));
        assert_eq!(
            near_miss("auth-svc", ["auth_svc", "x"]),
            Some("auth_svc".into())
        );
        // A swap is one edit.
        assert_eq!(near_miss("auht", ["auth", "logs"]), Some("auth".into()));
        // Too far for its length: 2 edits in 7 characters, 1 in 3.
        assert_eq!(
            near_miss("API_KYY", ["API_KEY", "X"]).as_deref(),
            Some("API_KEY")
        );
        assert_eq!(near_miss("AP_KYE", ["API_KEY"]), None);
        assert_eq!(near_miss("app", ["api"]), None);
        assert_eq!(
            near_miss("RATE_LIMITR", ["RATE_LIMITER"]),
            Some("RATE_LIMITER".into())
        );
        // Far apart (X1): not evidence of a typo.
        assert_eq!(
            near_miss(
                "platform-email-preferences-rpc",
                ["platform-email-service-rpc"]
            ),
            None
        );
        // Tied: ambiguous.
        assert_eq!(near_miss("AUTHX", ["AUTH1", "AUTH2"]), None);
        assert_eq!(near_miss("same", ["same"]), None);
    }

    /// `near_miss` as its doc states it, without the length filter.
    fn near_miss_by_definition(wanted: &str, candidates: &[&str]) -> Option<String> {
        let fold = |s: &str| -> String {
            s.chars()
                .filter(|c| *c != '-' && *c != '_')
                .flat_map(char::to_lowercase)
                .collect()
        };
        let len = wanted.chars().count();
        let scored: Vec<(usize, &str)> = candidates
            .iter()
            .copied()
            .filter(|c| *c != wanted && !c.is_empty())
            .filter_map(|c| {
                if fold(c) == fold(wanted) {
                    return Some((0, c));
                }
                let d = strsim::osa_distance(&wanted.to_lowercase(), &c.to_lowercase());
                (d <= 2 && (d * 5 <= len || (d == 1 && len >= 4))).then_some((d, c))
            })
            .collect();
        strictly_closest(scored)
    }

    #[test]
    fn near_miss_filters_by_length_without_changing_an_answer() {
        // Names and their variants a character or more longer or shorter, of other case,
        // with `-`/`_`, and non-ASCII letters whose lower case is longer (`İ`).
        let names = [
            "auth",
            "auth-svc",
            "auth_svc",
            "AUTH",
            "authx",
            "auths-v",
            "api",
            "API_KEY",
            "api-key-1",
            "TaskService",
            "TaskServce",
            "TaskServices",
            "Task",
            "İstanbul",
            "istanbul",
            "i\u{307}stanbul",
            "straße",
            "STRASSE",
            "x",
            "xy",
            "xyz",
            "wxyz",
            "platform-email-service-rpc",
            "platform-email-preferences-rpc",
            "a-b-c-d",
            "abcd",
        ];
        for wanted in names {
            for n in 0..names.len() {
                let candidates: Vec<&str> = names.iter().copied().skip(n).collect();
                assert_eq!(
                    near_miss(wanted, candidates.iter().copied()),
                    near_miss_by_definition(wanted, &candidates),
                    "{wanted} among {candidates:?}"
                );
            }
        }
    }

    #[test]
    fn did_you_mean_ranks_by_distance() {
        let got = did_you_mean("TaskServce", ["TaskService", "Other", "TaskServices"]);
        assert_eq!(got, vec!["TaskService", "TaskServices"]);
        assert!(did_you_mean("zzz", ["TaskService"]).is_empty());
    }
}
