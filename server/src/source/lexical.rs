//! A lexical fast path for [`summarize`](super::summarize): one pass over the bytes (the
//! technique of es-module-lexer) that yields exactly the summary tree-sitter would, at a
//! fraction of the cost of parsing. It reads top-level `import` and `export` statements,
//! top-level classes with their members, `export default` of a class, a function or a name,
//! and (in [`super::lexical_env`]) env reads, calls on bindings and escapes of env, where the
//! tokens tell them exactly.
//!
//! The scan is conservative: it returns `None`, and the caller parses, whenever the module
//! might hold anything it does not model exactly (an env alias, a handler method, a default
//! export object, JSX, `import x = require(..)`, a decorator, unbalanced brackets, an unterminated string,
//! unusual export forms). Differential tests, a property test and a fuzz target compare it
//! with the tree-sitter summary.

use super::env_walk::{is_worker_heritage, ENV_MODULES, HANDLERS};
use super::lexical_env::{EnvPass, Facts, Marks};
use super::model::{
    binding_type_of, ClassDecl, DefaultExport, EnvTypeMember, Export, FileSummary, Import, Member,
    MemberKind,
};
use super::summarize::{is_env_type_name, worth_parsing, wrapped_by_package};
use super::SourceLang;
use crate::base::{Spanned, TextRange};

/// Reserved words and the contextual keywords that start or join expressions: such a word
/// neither names a callee nor ends an operand.
pub(super) fn is_keyword(w: &str) -> bool {
    matches!(
        w,
        "break"
            | "case"
            | "catch"
            | "class"
            | "const"
            | "continue"
            | "debugger"
            | "default"
            | "delete"
            | "do"
            | "else"
            | "export"
            | "extends"
            | "finally"
            | "for"
            | "function"
            | "if"
            | "import"
            | "in"
            | "instanceof"
            | "new"
            | "return"
            | "super"
            | "switch"
            | "this"
            | "throw"
            | "try"
            | "typeof"
            | "var"
            | "void"
            | "while"
            | "with"
            | "yield"
            | "let"
            | "static"
            | "await"
            | "enum"
            | "implements"
            | "interface"
            | "package"
            | "private"
            | "protected"
            | "public"
            | "of"
            | "as"
            | "satisfies"
    )
}

/// The summary of `text` when it is fully described by top-level imports and exports, else
/// `None`. `has_syntax_errors` is left `false`: the scan only accepts balanced modules and
/// never reports syntax errors (edits are validated with a real parse).
pub fn scan(text: &str, lang: SourceLang) -> Option<FileSummary> {
    // What the parser would not summarise either (no import, export or env word).
    if !worth_parsing(text) {
        return Some(FileSummary::default());
    }
    let b = text.as_bytes();
    // Env, env types, classes and default exports are read below where their spelling
    // tells. JSX text can hold quotes the scanner would misread.
    if lang == SourceLang::Tsx
        && (memchr::memmem::find(b, b"</").is_some() || memchr::memmem::find(b, b"/>").is_some())
    {
        return None;
    }
    let (tokens, env_words) = tokenize(text)?;
    // Decorators wrap classes and members.
    if tokens.iter().any(|t| t.kind == Kind::Punct(b'@')) {
        return None;
    }
    // The env pass acts only on the identifiers `is_env_word` tells: a module that spells
    // none has no env facts, and the type and parameter marks the pass reads are not needed.
    let (mut summary, marks) = Statements::new(text, &tokens, env_words).run()?;
    // `env` imported from anywhere but the runtime is not env; renamed from it is an alias.
    for import in &summary.imports {
        let runtime = import.imported == "env" && ENV_MODULES.contains(&import.from.value.as_str());
        if (import.local == "env") != runtime {
            return None;
        }
    }
    let facts = if env_words {
        EnvPass::new(text, &tokens, &summary.imports, &marks).run()?
    } else {
        Facts::default()
    };
    let mut accesses = facts.accesses;
    accesses.sort_by_key(|a| (a.name.range.start, a.name.range.end));
    accesses.dedup_by(|a, b| a.name == b.name);
    let mut calls = facts.calls;
    calls.sort_by_key(|c| (c.range.start, c.method.range.start));
    summary.env_accesses = accesses;
    summary.env_calls = calls;
    summary.env_escapes = facts.escapes;
    Some(summary)
}

/// Whether identifier `w` is one the env pass acts on: `env`, an env type name (`*Env`),
/// `class` or a handler name.
fn is_env_word(w: &[u8]) -> bool {
    w == b"env"
        || w.ends_with(b"Env")
        || w.ends_with(b"Bindings")
        || w == b"class"
        || HANDLERS.iter().any(|h| h.as_bytes() == w)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Ident,
    /// A number, a regex literal or a template literal: a value the scanner does not look into.
    Value,
    /// A `'...'` or `"..."` string; the token spans the quotes.
    Str,
    /// One punctuation byte (`{`, `,`, `=`, ...). Multi-byte operators are several tokens.
    Punct(u8),
}

#[derive(Clone, Copy, Debug)]
pub(super) struct Token {
    pub kind: Kind,
    pub start: u32,
    pub end: u32,
    /// Bracket depth (`{`, `(`, `[`, template `${`) before the token.
    pub depth: u32,
    /// Whether a line break separates the token from the previous one.
    pub newline_before: bool,
    /// For a `)`: whether it closes the head of `if`, `while`, `for` or `with` (a `/` after
    /// it starts a regular expression, not a division).
    pub closes_control_head: bool,
    /// For `{`, `(` and `[`: the index of the token that closes it (tokens are balanced); for
    /// `}`, `)` and `]`, the index of the one it closes.
    pub partner: u32,
}

/// Reserved words after which a `/` starts a regular expression, not a division.
const REGEX_AFTER: &[&str] = &[
    "return",
    "typeof",
    "instanceof",
    "in",
    "new",
    "delete",
    "void",
    "throw",
    "case",
    "do",
    "else",
];

/// Words that may be keywords (a regular expression follows) or plain identifiers (a division
/// follows): `of`, `yield`, `await`.
const SLASH_AMBIGUOUS_AFTER: &[&str] = &["of", "yield", "await"];

/// What a `/` that does not start a comment is.
#[derive(PartialEq)]
enum Slash {
    Regex,
    Division,
    /// Could be either without parsing: the module is left to the parser.
    Unknown,
}

/// Bytes that may be part of an identifier: ASCII letters, digits, `_`, `$`, and every byte
/// of a non-ASCII character (checked as characters where it matters).
static IDENT_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        table[c] = b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80;
        c += 1;
    }
    table
};

#[inline]
pub(super) fn is_ident_byte(c: u8) -> bool {
    IDENT_BYTES[c as usize]
}

/// Splits `text` into tokens, skipping comments and whitespace. `None` on anything the
/// scanner does not model: an unterminated string, template, comment or regex, unbalanced
/// brackets, a backslash outside a literal (a Unicode escape in an identifier), or non-ASCII
/// white space (which would glue two words into one identifier). With the tokens, whether
/// any identifier is an env word ([`is_env_word`]).
fn tokenize(text: &str) -> Option<(Vec<Token>, bool)> {
    let b = text.as_bytes();
    let mut tokens: Vec<Token> = Vec::with_capacity(b.len() / 4);
    // Open brackets; a backtick marks a template substitution `${`.
    let mut stack: Vec<u8> = Vec::with_capacity(16);
    // The token indices of the open brackets on `stack` (a substitution has none).
    let mut open_tokens: Vec<usize> = Vec::with_capacity(16);
    let mut i = 0usize;
    let mut newline = false;
    let mut env_words = false;
    if b.starts_with("\u{feff}".as_bytes()) {
        i = 3;
    }
    // A `#!` line at the very start.
    if b[i..].starts_with(b"#!") {
        i = memchr::memchr(b'\n', b).unwrap_or(b.len());
    }
    while i < b.len() {
        let c = b[i];
        match c {
            b'\n' => {
                newline = true;
                i += 1;
                continue;
            }
            b' ' | b'\t' | b'\r' | 0x0b | 0x0c => {
                i += 1;
                continue;
            }
            _ => {}
        }
        let start = i;
        // The token's depth: that of its bracket pair for brackets, the enclosing one else.
        let mut depth = stack.len();
        let mut control_close = false;
        let mut partner = 0;
        let kind = match c {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                // A line comment ends at any line terminator; U+2028 and U+2029 are left to
                // the parser.
                let end = memchr::memchr2(b'\n', b'\r', &b[i..]).map_or(b.len(), |n| i + n);
                if has_line_separator(&b[i..end]) {
                    return None;
                }
                i = end;
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let end = block_comment_end(&b[i + 2..])?;
                if memchr::memchr(b'\n', &b[i + 2..i + 2 + end]).is_some() {
                    newline = true;
                }
                i += 2 + end + 2;
                continue;
            }
            b'/' => match slash(text, &tokens) {
                Slash::Regex => {
                    i = skip_regex(b, i)?;
                    Kind::Value
                }
                Slash::Division => {
                    i += 1;
                    Kind::Punct(b'/')
                }
                Slash::Unknown => return None,
            },
            b'\'' | b'"' => {
                i = skip_string(b, i)?;
                Kind::Str
            }
            b'`' => {
                i = skip_template(b, i + 1, &mut stack)?;
                Kind::Value
            }
            b'}' if stack.last() == Some(&b'`') => {
                // The end of a template substitution: the template goes on.
                stack.pop();
                depth = stack.len();
                i = skip_template(b, i + 1, &mut stack)?;
                Kind::Value
            }
            b'(' if is_control_keyword(text, &tokens) => {
                // `c` marks the head of `if`/`while`/`for`/`with`.
                stack.push(b'c');
                open_tokens.push(tokens.len());
                i += 1;
                Kind::Punct(c)
            }
            b'{' | b'(' | b'[' => {
                stack.push(c);
                open_tokens.push(tokens.len());
                i += 1;
                Kind::Punct(c)
            }
            b'}' | b')' | b']' => {
                let popped = stack.pop();
                // A substitution's `}` was handled above: the popped bracket has a token.
                let opener = open_tokens.pop()?;
                tokens[opener].partner = tokens.len() as u32;
                partner = opener as u32;
                let matches = match c {
                    b'}' => popped == Some(b'{'),
                    b')' => {
                        control_close = popped == Some(b'c');
                        popped == Some(b'(') || control_close
                    }
                    _ => popped == Some(b'['),
                };
                if !matches {
                    return None;
                }
                depth = stack.len();
                i += 1;
                Kind::Punct(c)
            }
            b'0'..=b'9' => {
                i += 1;
                while i < b.len() && (is_ident_byte(b[i]) || b[i] == b'.') {
                    // `1e-5`, `1E+5`
                    if (b[i] == b'e' || b[i] == b'E')
                        && matches!(b.get(i + 1), Some(b'+' | b'-'))
                        && !b[start..i].starts_with(b"0x")
                        && !b[start..i].starts_with(b"0X")
                    {
                        i += 1;
                    }
                    i += 1;
                }
                Kind::Value
            }
            b'.' if b.get(i + 1).is_some_and(u8::is_ascii_digit) => {
                i += 1;
                while i < b.len() && is_ident_byte(b[i]) {
                    i += 1;
                }
                Kind::Value
            }
            b'\\' => return None,
            c if is_ident_byte(c) => {
                while i < b.len() && is_ident_byte(b[i]) {
                    i += 1;
                }
                let ascii = b[start..i].is_ascii();
                // Non-ASCII white space or format characters (tree-sitter skips U+200B,
                // U+2060, U+FEFF, ...) would glue two words into one: only letters, digits
                // and ZWNJ/ZWJ are taken as identifier characters, anything else declines.
                if !ascii
                    && text[start..i].chars().any(|ch| {
                        !(ch.is_ascii()
                            || ch.is_alphanumeric()
                            || ch == '\u{200c}'
                            || ch == '\u{200d}')
                    })
                {
                    return None;
                }
                env_words = env_words || is_env_word(&b[start..i]);
                Kind::Ident
            }
            // HTML-like comments (`<!--`, `-->`), which the grammar knows and the scanner
            // does not. In a string, a template, a regex or a comment they are text.
            b'<' if b[i..].starts_with(b"<!--") => return None,
            b'-' if b[i..].starts_with(b"-->") => return None,
            _ => {
                i += 1;
                Kind::Punct(c)
            }
        };
        tokens.push(Token {
            kind,
            start: start as u32,
            end: i as u32,
            depth: depth as u32,
            newline_before: newline,
            closes_control_head: control_close,
            partner,
        });
        newline = false;
    }
    stack.is_empty().then_some((tokens, env_words))
}

/// The index after the bracket that closes the one at token `i`.
pub(super) fn skip_group(t: &[Token], i: usize) -> Option<usize> {
    match t[i].kind {
        Kind::Punct(b'{' | b'(' | b'[') => Some(t[i].partner as usize + 1),
        _ => None,
    }
}

/// Whether the `(` about to be read opens the head of `if`, `while`, `for` or `with`.
fn is_control_keyword(text: &str, tokens: &[Token]) -> bool {
    let Some(prev) = tokens.last().filter(|t| t.kind == Kind::Ident) else {
        return false;
    };
    let after_dot = tokens.len() >= 2 && tokens[tokens.len() - 2].kind == Kind::Punct(b'.');
    !after_dot
        && matches!(
            &text[prev.start as usize..prev.end as usize],
            "if" | "while" | "for" | "with"
        )
}

/// Whether a `/` after the tokens read so far starts a regular expression or is a division
/// (the rules of es-module-lexer, declining where only a parser can tell).
fn slash(text: &str, tokens: &[Token]) -> Slash {
    let Some(prev) = tokens.last() else {
        return Slash::Regex;
    };
    let b = text.as_bytes();
    let slice = &text[prev.start as usize..prev.end as usize];
    match prev.kind {
        Kind::Ident if REGEX_AFTER.contains(&slice) => Slash::Regex,
        Kind::Ident if SLASH_AMBIGUOUS_AFTER.contains(&slice) => Slash::Unknown,
        Kind::Ident => Slash::Division,
        // A template head or middle ending in `${`: an expression starts.
        Kind::Value if slice.ends_with("${") => Slash::Regex,
        Kind::Value | Kind::Str => Slash::Division,
        Kind::Punct(b')') if prev.closes_control_head => Slash::Regex,
        Kind::Punct(b')' | b']') => Slash::Division,
        // The end of a block (regex) or of an object or function expression (division).
        Kind::Punct(b'}') => Slash::Unknown,
        // `a++ / 2` (division) or `x + +/re/` (regex); `a! / 2` in TS (division) or
        // `!/re/.test(s)` (regex).
        Kind::Punct(c @ (b'+' | b'-')) => {
            let doubled = tokens.len() >= 2 && {
                let before = &tokens[tokens.len() - 2];
                before.kind == Kind::Punct(c) && before.end == prev.start
            };
            if doubled {
                Slash::Unknown
            } else {
                Slash::Regex
            }
        }
        Kind::Punct(b'!') => {
            let glued = prev.start > 0 && {
                let c = b[prev.start as usize - 1];
                is_ident_byte(c) || c == b')' || c == b']'
            };
            if glued {
                Slash::Unknown
            } else {
                Slash::Regex
            }
        }
        Kind::Punct(_) => Slash::Regex,
    }
}

/// Where the first `*/` of `b` starts, with one searcher built for the process (building one
/// per comment cost more than many a search).
pub(super) fn block_comment_end(b: &[u8]) -> Option<usize> {
    static END: std::sync::OnceLock<memchr::memmem::Finder<'static>> = std::sync::OnceLock::new();
    END.get_or_init(|| memchr::memmem::Finder::new(b"*/"))
        .find(b)
}

/// Whether `b` holds U+2028 or U+2029 (line terminators to JavaScript).
fn has_line_separator(b: &[u8]) -> bool {
    let mut from = 0;
    while let Some(n) = memchr::memchr(0xe2, &b[from..]) {
        let at = from + n;
        if b[at..].starts_with(&[0xe2, 0x80, 0xa8]) || b[at..].starts_with(&[0xe2, 0x80, 0xa9]) {
            return true;
        }
        from = at + 1;
    }
    false
}

/// The end of the regex literal starting at `i` (its flags included).
fn skip_regex(b: &[u8], mut i: usize) -> Option<usize> {
    i += 1;
    let mut in_class = false;
    loop {
        match *b.get(i)? {
            b'\\' => i += 1,
            b'\n' | b'\r' => return None,
            b'[' => in_class = true,
            b']' => in_class = false,
            b'/' if !in_class => break,
            _ => {}
        }
        i += 1;
    }
    i += 1;
    while i < b.len() && is_ident_byte(b[i]) {
        i += 1;
    }
    Some(i)
}

/// The end of the string starting with the quote at `i`.
fn skip_string(b: &[u8], mut i: usize) -> Option<usize> {
    let quote = b[i];
    i += 1;
    loop {
        match *b.get(i)? {
            b'\\' => i += 1,
            b'\n' | b'\r' => return None,
            c if c == quote => return Some(i + 1),
            _ => {}
        }
        i += 1;
    }
}

/// Scans template text from `i` up to its closing backtick (returns the index after it) or
/// to a `${` (pushes a template marker and returns the index after the `{`).
fn skip_template(b: &[u8], mut i: usize, stack: &mut Vec<u8>) -> Option<usize> {
    loop {
        match *b.get(i)? {
            b'\\' => i += 1,
            b'`' => return Some(i + 1),
            b'$' if b.get(i + 1) == Some(&b'{') => {
                stack.push(b'`');
                return Some(i + 2);
            }
            _ => {}
        }
        i += 1;
    }
}

/// What the last top-level declaration keyword declared: a top-level comma or object
/// literal matters only inside a `const`/`let`/`var` statement (several declarators, or an
/// object whose handler parameters may name the env object, which the summary records).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Decl {
    Vars,
    Other,
}

/// Reads the top-level statements from the token stream.
struct Statements<'a> {
    text: &'a str,
    tokens: &'a [Token],
    pos: usize,
    summary: FileSummary,
    marks: Marks,
    /// `export default x`: resolved once every class is known.
    default_local: Option<(String, TextRange)>,
    /// Whether the env pass will run, and so needs the type and parameter marks.
    env_words: bool,
    /// `export default f(..)`: the identifier its call chain starts from.
    default_call: Option<String>,
    /// Top-level `const x = f(..)`: the identifier each call chain starts from.
    call_consts: std::collections::HashMap<String, String>,
}

impl<'a> Statements<'a> {
    fn new(text: &'a str, tokens: &'a [Token], env_words: bool) -> Self {
        Statements {
            text,
            tokens,
            pos: 0,
            summary: FileSummary::default(),
            marks: Marks::new(tokens.len()),
            default_local: None,
            env_words,
            default_call: None,
            call_consts: Default::default(),
        }
    }

    fn exempt(&mut self, from: usize, to: usize) {
        for m in &mut self.marks.exempt[from..to.min(self.tokens.len())] {
            *m = true;
        }
    }

    fn peek(&self, n: usize) -> Option<&'a Token> {
        self.tokens.get(self.pos + n)
    }

    fn slice(&self, t: &Token) -> &'a str {
        &self.text[t.start as usize..t.end as usize]
    }

    fn is_word(&self, n: usize, word: &str) -> bool {
        self.peek(n)
            .is_some_and(|t| t.kind == Kind::Ident && self.slice(t) == word)
    }

    fn is_punct(&self, n: usize, c: u8) -> bool {
        self.peek(n).is_some_and(|t| t.kind == Kind::Punct(c))
    }

    fn ident(&self, n: usize) -> Option<Spanned<String>> {
        let t = self.peek(n).filter(|t| t.kind == Kind::Ident)?;
        Some(Spanned::new(
            self.slice(t).to_string(),
            TextRange::new(t.start, t.end),
        ))
    }

    /// A string literal's contents and their span (without quotes).
    fn string(&self, n: usize) -> Option<Spanned<String>> {
        let t = self.peek(n).filter(|t| t.kind == Kind::Str)?;
        let inner = TextRange::new(t.start + 1, t.end - 1);
        Some(Spanned::new(self.text[inner.as_usize()].to_string(), inner))
    }

    /// An identifier or a string used as a name (`export { "a b" as c }`), and whether it
    /// was a string.
    fn name(&self, n: usize) -> Option<(Spanned<String>, bool)> {
        self.ident(n)
            .map(|i| (i, false))
            .or_else(|| self.string(n).map(|s| (s, true)))
    }

    /// Whether the word at the cursor is a keyword starting a statement: not a property name
    /// after `.`, and after a `;`, a block or a line break that ends the previous statement.
    fn starts_statement(&self) -> bool {
        let Some(prev) = self.pos.checked_sub(1).map(|p| &self.tokens[p]) else {
            return true;
        };
        match prev.kind {
            Kind::Punct(b';' | b'}') => true,
            Kind::Punct(b')' | b']') | Kind::Ident | Kind::Value | Kind::Str => {
                self.tokens[self.pos].newline_before
            }
            Kind::Punct(_) => false,
        }
    }

    /// `Some` when the `import`/`export` at the cursor is a statement of its own at the top
    /// level: after a `;` or a block, or after a line break that ends the previous statement.
    /// After a label (`a:`), `else`, `do` or a `)` (as in `if (x)`) it would be nested in
    /// another statement, which tree-sitter accepts and does not count: left to the parser.
    fn module_statement_position(&self) -> Option<()> {
        let nested = self.pos.checked_sub(1).is_some_and(|p| {
            let prev = &self.tokens[p];
            // `if (..)`, `while (..)`, `for (..)`, `with (..)`, `for await (..)`; a call's
            // `)` ends an expression statement.
            let head = prev.kind == Kind::Punct(b')')
                && (prev.closes_control_head || {
                    let open = prev.partner as usize;
                    open > 0 && {
                        let before = &self.tokens[open - 1];
                        before.kind == Kind::Ident && self.slice(before) == "await"
                    }
                });
            head || (prev.kind == Kind::Ident && matches!(self.slice(prev), "else" | "do"))
        });
        (self.starts_statement() && !nested).then_some(())
    }

    /// Marks the tokens of interfaces, type aliases and `declare` statements, at any depth.
    fn mark_types(&mut self) {
        let t = self.tokens;
        let mut i = 0;
        while i < t.len() {
            let after_dot = i > 0 && t[i - 1].kind == Kind::Punct(b'.');
            let word = (t[i].kind == Kind::Ident && !after_dot).then(|| self.slice(&t[i]));
            let end = match word {
                Some("interface") if t.get(i + 1).is_some_and(|n| n.kind == Kind::Ident) => {
                    // Through the body: the first `{` at the keyword's depth.
                    (i + 1..t.len())
                        .find(|&k| t[k].depth == t[i].depth && t[k].kind == Kind::Punct(b'{'))
                        .and_then(|k| skip_group(t, k))
                        .unwrap_or(t.len())
                }
                Some("type")
                    if t.get(i + 1).is_some_and(|n| n.kind == Kind::Ident)
                        && t.get(i + 2)
                            .is_some_and(|n| matches!(n.kind, Kind::Punct(b'=' | b'<'))) =>
                {
                    let mut k = i + 2;
                    if t[k].kind == Kind::Punct(b'<') {
                        k = self.skip_angles(k).unwrap_or(t.len());
                    }
                    if t.get(k).is_some_and(|n| n.kind == Kind::Punct(b'=')) {
                        self.skip_type(k + 1).map_or(t.len(), |(end, _)| end)
                    } else {
                        t.len()
                    }
                }
                Some("declare") if t.get(i + 1).is_some_and(|n| n.kind == Kind::Ident) => {
                    // To the first `;` or through the first `{...}` at its depth.
                    let mut k = i + 1;
                    loop {
                        match t.get(k) {
                            None => break t.len(),
                            Some(n) if n.depth == t[i].depth => match n.kind {
                                Kind::Punct(b';') => break k + 1,
                                Kind::Punct(b'{') => break skip_group(t, k).unwrap_or(t.len()),
                                _ => k += 1,
                            },
                            Some(_) => k += 1,
                        }
                    }
                }
                _ => {
                    i += 1;
                    continue;
                }
            };
            self.mark(i, end);
            i = end.max(i + 1);
        }
        self.mark_annotations();
    }

    fn mark(&mut self, from: usize, to: usize) {
        for m in &mut self.marks.types[from..to.min(self.tokens.len())] {
            *m = true;
        }
    }

    /// Marks type annotations and type arguments outside type declarations: parameter types
    /// and return types of the parameter lists the tokens tell (functions, methods, arrows),
    /// `const x: T`, `as T`, `satisfies T`, and `f<T>(..)`. A region the tokens cannot bound
    /// is marked to the end of the module.
    fn mark_annotations(&mut self) {
        let t = self.tokens;
        for i in 0..t.len() {
            let after_dot = i > 0 && t[i - 1].kind == Kind::Punct(b'.');
            match t[i].kind {
                Kind::Punct(b'(') => self.mark_params(i),
                Kind::Ident if !after_dot => match self.slice(&t[i]) {
                    "const" | "let" | "var" => {
                        // `const x: T`, `const { a }: T`
                        let mut k = i + 1;
                        match t.get(k).map(|n| n.kind) {
                            Some(Kind::Ident) => k += 1,
                            Some(Kind::Punct(b'{' | b'[')) => {
                                let end = skip_group(t, k).unwrap_or(t.len());
                                // A destructuring pattern, like a parameter's: no member in
                                // it is a read (`const [a, b[env.x]] = ..`).
                                for m in &mut self.marks.patterns[k..end] {
                                    *m = true;
                                }
                                k = end;
                            }
                            _ => continue,
                        }
                        if t.get(k).is_some_and(|n| n.kind == Kind::Punct(b':')) {
                            let end = self.skip_type(k + 1).map_or(t.len(), |(e, _)| e);
                            self.mark(k, end);
                        }
                    }
                    "as" | "satisfies" if i > 0 && self.ends_operand_at(i - 1) => {
                        let end = self.skip_type(i + 1).map_or(t.len(), |(e, _)| e);
                        self.mark(i, end);
                    }
                    _ => {}
                },
                // `f<T>(..)`, `new C<T>(..)`
                Kind::Punct(b'<') if i > 0 && t[i - 1].kind == Kind::Ident => {
                    if let Some(end) = self.skip_angles(i) {
                        if t.get(end).is_some_and(|n| n.kind == Kind::Punct(b'(')) {
                            self.mark(i, end);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// Whether the token at `i` ends an operand (`x as T`, not `import { a as b }`).
    fn ends_operand_at(&self, i: usize) -> bool {
        let t = &self.tokens[i];
        match t.kind {
            Kind::Ident => !is_keyword(self.slice(t)) || matches!(self.slice(t), "this"),
            Kind::Str | Kind::Punct(b')' | b']') => true,
            Kind::Value => !self.slice(t).ends_with("${"),
            _ => false,
        }
    }

    /// For a `(` that opens parameters: marks each parameter's type and the return type.
    fn mark_params(&mut self, open: usize) {
        let t = self.tokens;
        let Some(after) = skip_group(t, open) else {
            return;
        };
        let before = open.checked_sub(1);
        let word = |k: usize, w: &str| t[k].kind == Kind::Ident && self.slice(&t[k]) == w;
        let after_function = before.is_some_and(|b| {
            word(b, "function")
                // `function* (..)`
                || (t[b].kind == Kind::Punct(b'*') && b >= 1 && word(b - 1, "function"))
                || (t[b].kind == Kind::Ident
                    && b >= 1
                    && (word(b - 1, "function")
                        || (t[b - 1].kind == Kind::Punct(b'*')
                            && b >= 2
                            && word(b - 2, "function"))))
        });
        let arrow_at = |k: usize| {
            t.get(k).is_some_and(|n| n.kind == Kind::Punct(b'='))
                && t.get(k + 1).is_some_and(|n| n.kind == Kind::Punct(b'>'))
                && t[k].end == t[k + 1].start
        };
        let named = before.is_some_and(|b| {
            t[b].kind == Kind::Ident
                && !is_keyword(self.slice(&t[b]))
                && !(b > 0 && t[b - 1].kind == Kind::Punct(b'.'))
        });
        let mut return_end = None;
        if t.get(after).is_some_and(|n| n.kind == Kind::Punct(b':')) {
            if let Some((end, _)) = self.skip_type(after + 1) {
                let body = t.get(end).is_some_and(|n| n.kind == Kind::Punct(b'{'));
                if arrow_at(end) || (body && (named || after_function)) {
                    return_end = Some(end);
                }
            }
        }
        let body_follows = t.get(after).is_some_and(|n| n.kind == Kind::Punct(b'{'));
        let params = after_function
            || arrow_at(after)
            || return_end.is_some()
            || (named && body_follows)
            || self.marks.params[open];
        if !params {
            return;
        }
        let depth = t[open].depth + 1;
        let mut k = open + 1;
        let mut in_default = false;
        while k + 1 < after {
            let tok = &t[k];
            if !in_default {
                self.marks.patterns[k] = true;
            }
            if tok.depth == depth {
                match tok.kind {
                    Kind::Punct(b',') => in_default = false,
                    Kind::Punct(b'=') => in_default = true,
                    Kind::Punct(b':') if !in_default => {
                        let end = (k + 1..after - 1)
                            .find(|&e| {
                                t[e].depth == depth && matches!(t[e].kind, Kind::Punct(b',' | b'='))
                            })
                            .unwrap_or(after - 1);
                        self.mark(k, end);
                        k = end;
                        continue;
                    }
                    _ => {}
                }
            }
            k += 1;
        }
        if let Some(end) = return_end {
            self.mark(after, end);
        }
    }

    fn run(mut self) -> Option<(FileSummary, Marks)> {
        if self.env_words {
            self.mark_types();
        }
        let mut decl = Decl::Other;
        while let Some(t) = self.peek(0) {
            if t.depth != 0 {
                self.pos += 1;
                continue;
            }
            let after_dot = self.pos > 0 && self.tokens[self.pos - 1].kind == Kind::Punct(b'.');
            match t.kind {
                Kind::Ident if !after_dot => match self.slice(t) {
                    "import" if self.is_punct(1, b'(') || self.is_punct(1, b'.') => {
                        self.pos += 1;
                    }
                    "import" => {
                        self.module_statement_position()?;
                        let start = self.pos;
                        self.import()?;
                        self.exempt(start, self.pos);
                        decl = Decl::Other;
                    }
                    "class" | "abstract" if self.starts_statement() => {
                        if self.is_word(0, "abstract") && !self.is_word(1, "class") {
                            self.pos += 1;
                            continue;
                        }
                        self.class_decl(None)?;
                        decl = Decl::Other;
                    }
                    "export" => {
                        self.module_statement_position()?;
                        decl = self.export()?;
                    }
                    "const" | "let" | "var" => {
                        decl = Decl::Vars;
                        self.call_const();
                        if self.is_word(0, "const")
                            || self.is_word(0, "let")
                            || self.is_word(0, "var")
                        {
                            self.pos += 1;
                        }
                    }
                    "type" if self.ident(1).is_some() && self.starts_statement() => {
                        decl = Decl::Other;
                        self.env_type_decl()?;
                        self.pos += 1;
                    }
                    "function" | "interface" | "enum" if self.starts_statement() => {
                        decl = Decl::Other;
                        if self.is_word(0, "interface") {
                            self.env_type_decl()?;
                        }
                        self.pos += 1;
                    }
                    _ => self.pos += 1,
                },
                // `const R = Request<unknown, Cf>;`: an instantiation expression, whose comma
                // separates type arguments, not declarators.
                Kind::Punct(b'<') if decl == Decl::Vars => {
                    self.pos = self.instantiation_end().unwrap_or(self.pos + 1);
                }
                // `const x: Record<K, V> = ..`: a type annotation, whose commas separate type
                // arguments, not declarators.
                Kind::Punct(b':') if decl == Decl::Vars && self.annotates_declarator() => {
                    self.pos = self.skip_type(self.pos + 1)?.0;
                }
                // Several declarators, or anything else the scanner does not follow.
                Kind::Punct(b',') if decl == Decl::Vars => return None,
                _ => self.pos += 1,
            }
        }
        if let Some((local, range)) = self.default_local.take() {
            // `export default x`: a class of the module, or an import; anything else (an
            // object or a call bound to `x`) is left to the parser.
            // `const app = new Hono(); export default app`: built as the chain is.
            let bound = self.call_consts.get(&local).cloned();
            let export = if self.summary.classes.iter().any(|c| c.name.value == local) {
                DefaultExport::Class { name: local, range }
            } else if self.summary.imports.iter().any(|i| i.local == local) {
                DefaultExport::Imported { local, range }
            } else if bound.is_some() {
                DefaultExport::Other { range }
            } else {
                return None;
            };
            if bound.is_some() {
                self.default_call = bound;
            }
            self.summary.default_export = Some(export);
        }
        if let Some(root) = self.default_call.take() {
            self.summary.default_wrapped = wrapped_by_package(&self.summary, &root);
        }
        Some((self.summary, self.marks))
    }

    /// `import ...` at the cursor: records its bindings, leaves the cursor after the module
    /// specifier.
    fn import(&mut self) -> Option<()> {
        self.pos += 1; // import
                       // `import "x"`: no bindings.
        if self.string(0).is_some() {
            self.pos += 1;
            return Some(());
        }
        // `import type X from`, `import type { .. } from`, `import type * as X from`; but
        // `import type from "x"` and `import type, { a } from "x"` bind a default import
        // named `type`.
        let mut type_only = false;
        if self.is_word(0, "type")
            && (self.is_punct(1, b'{')
                || self.is_punct(1, b'*')
                || (self.ident(1).is_some() && !self.is_word(1, "from")))
        {
            self.pos += 1;
            type_only = true;
        }
        let mut bindings: Vec<(String, String, TextRange, bool)> = Vec::new();
        if let Some(local) = self.ident(0) {
            // `import X = require(..)`, `import X = N.Y`, and `import defer`/`import source`
            // phases are left to the parser.
            if !(self.is_punct(1, b',') || self.is_word(1, "from")) {
                return None;
            }
            bindings.push((local.value, "default".into(), local.range, type_only));
            self.pos += 1;
            if self.is_punct(0, b',') {
                self.pos += 1;
                if !(self.is_punct(0, b'*') || self.is_punct(0, b'{')) {
                    return None;
                }
            }
        }
        if self.is_punct(0, b'*') {
            if !self.is_word(1, "as") {
                return None;
            }
            let local = self.ident(2)?;
            bindings.push((local.value, "*".into(), local.range, type_only));
            self.pos += 3;
        } else if self.is_punct(0, b'{') {
            self.pos += 1;
            while !self.is_punct(0, b'}') {
                // `type A` inside the braces; `type` alone and `type as x` name `type`.
                let mut spec_type_only = type_only;
                if self.is_word(0, "type") && self.name(1).is_some() && !self.is_word(1, "as") {
                    self.pos += 1;
                    spec_type_only = true;
                }
                let (imported, is_string) = self.name(0)?;
                self.pos += 1;
                let local = if self.is_word(0, "as") {
                    let alias = self.ident(1)?;
                    self.pos += 2;
                    alias.value
                } else if is_string {
                    return None;
                } else {
                    imported.value.clone()
                };
                bindings.push((local, imported.value, imported.range, spec_type_only));
                if self.is_punct(0, b',') {
                    self.pos += 1;
                } else if !self.is_punct(0, b'}') {
                    return None;
                }
            }
            self.pos += 1;
        }
        if !self.is_word(0, "from") {
            return None;
        }
        let from = self.string(1)?;
        self.pos += 2;
        for (local, imported, name_range, type_only) in bindings {
            let import = Import {
                local,
                imported,
                from: from.clone(),
                name_range,
            };
            if type_only {
                self.summary.type_imports.push(import);
            } else {
                self.summary.imports.push(import);
            }
        }
        Some(())
    }

    /// `export ...` at the cursor: records what it exports and says what it declares.
    fn export(&mut self) -> Option<Decl> {
        let export_start = self.pos;
        self.pos += 1; // export
        let t = self.peek(0)?;
        // tree-sitter reads no export when the declaration starts on the next line.
        if t.newline_before {
            return None;
        }
        match t.kind {
            Kind::Punct(b'{') => {
                let start = self.pos;
                self.export_clause(false)?;
                self.exempt(start, self.pos);
                Some(Decl::Other)
            }
            Kind::Punct(b'*') => {
                if self.is_word(1, "as") {
                    let (exported, _) = self.name(2)?;
                    if !self.is_word(3, "from") {
                        return None;
                    }
                    let from = self.string(4)?;
                    self.summary.exports.push(Export::ReExport {
                        exported,
                        imported: "*".into(),
                        from,
                    });
                    self.pos += 5;
                } else {
                    if !self.is_word(1, "from") {
                        return None;
                    }
                    let from = self.string(2)?;
                    self.summary.export_stars.push(from);
                    self.pos += 3;
                }
                Some(Decl::Other)
            }
            Kind::Ident => match self.slice(t) {
                "default" => {
                    self.pos += 1;
                    self.export_default(export_start).map(|_| Decl::Other)
                }
                "class" => {
                    let name = self.class_decl(None)?;
                    self.local_export(name);
                    Some(Decl::Other)
                }
                "abstract" if self.is_word(1, "class") => {
                    let name = self.class_decl(None)?;
                    self.local_export(name);
                    Some(Decl::Other)
                }
                "function" => {
                    self.pos += 1;
                    self.export_function().map(|_| Decl::Other)
                }
                "async" if self.is_word(1, "function") && !self.peek(1)?.newline_before => {
                    self.pos += 2;
                    self.export_function().map(|_| Decl::Other)
                }
                "const" | "let" | "var" => {
                    // Destructuring exports nothing the summary names: leave it to the parser,
                    // as `export const enum`.
                    let name = self.ident(1).filter(|n| n.value != "enum")?;
                    self.local_export(name);
                    self.pos += 2;
                    Some(Decl::Vars)
                }
                "enum" => {
                    let name = self.ident(1)?;
                    self.local_export(name);
                    self.pos += 2;
                    Some(Decl::Other)
                }
                // Types declare nothing the summary records, except that `export type { A }`
                // is recorded like a value export.
                "interface" => {
                    self.ident(1)?;
                    self.env_type_decl()?;
                    self.pos += 2;
                    Some(Decl::Other)
                }
                "type" if self.is_punct(1, b'{') => {
                    self.pos += 1;
                    let start = self.pos;
                    self.export_clause(true)?;
                    self.exempt(start, self.pos);
                    Some(Decl::Other)
                }
                "type" => {
                    self.ident(1)?;
                    self.env_type_decl()?;
                    self.pos += 2;
                    Some(Decl::Other)
                }
                // `declare`, `abstract`, `namespace`, `module`, `import`, `as namespace`, ...
                _ => None,
            },
            // `export =`
            _ => None,
        }
    }

    /// `export default ...` after `default`: a class, a function, or a name.
    fn export_default(&mut self, export_start: usize) -> Option<()> {
        let start = self.tokens[export_start].start;
        let t = self.peek(0)?;
        if t.kind == Kind::Punct(b'{') {
            return self.default_object(start);
        }
        if t.kind != Kind::Ident {
            return None;
        }
        match self.slice(t) {
            "class" => {
                let keyword = self.pos;
                let name = self.class_decl(Some("default"))?;
                self.ends_default_statement()?;
                let anonymous = name.range.start == self.tokens[keyword].start;
                let end = self.expression_end(anonymous);
                self.summary.default_export = Some(DefaultExport::Class {
                    name: name.value,
                    range: TextRange::new(start, end),
                });
            }
            "function" | "async" => {
                if self.is_word(0, "async") {
                    if !self.is_word(1, "function") || self.peek(1)?.newline_before {
                        return None;
                    }
                    self.pos += 1;
                }
                self.pos += 1; // function
                if self.is_punct(0, b'*') {
                    self.pos += 1;
                }
                let anonymous = self.ident(0).is_none();
                if !anonymous {
                    self.pos += 1;
                }
                if !self.is_punct(0, b'(') {
                    return None;
                }
                let mut i = skip_group(self.tokens, self.pos)?;
                if self.tokens.get(i)?.kind == Kind::Punct(b':') {
                    (i, _) = self.skip_type(i + 1)?;
                }
                if self.tokens.get(i)?.kind != Kind::Punct(b'{') {
                    return None;
                }
                let end = skip_group(self.tokens, i)?;
                self.comment_after(end - 1)?;
                self.pos = end;
                self.ends_default_statement()?;
                let end = self.expression_end(anonymous);
                self.summary.default_export = Some(DefaultExport::Other {
                    range: TextRange::new(start, end),
                });
            }
            w if w == "new" || !is_keyword(w) => {
                if let Some(root) = self.call_chain() {
                    // `export default f(..)`, `export default new F(..).m(..)`, `a.b`.
                    self.default_call = root;
                    let end = self.statement_end()?;
                    self.summary.default_export = Some(DefaultExport::Other {
                        range: TextRange::new(start, end),
                    });
                } else if is_keyword(w) {
                    return None;
                } else {
                    // `export default name;`
                    let local = w.to_string();
                    self.pos += 1;
                    let end = self.statement_end()?;
                    self.default_local = Some((local, TextRange::new(start, end)));
                }
            }
            _ => return None,
        }
        Some(())
    }

    /// `export default { .. }` with the cursor on the `{`: the names of its members (methods,
    /// keys, shorthands), then `satisfies T` or `as T`, to the end of the statement. A handler
    /// method's second parameter must be `env` or absent (any other name holds env under an
    /// alias, left to the parser); what a key's value holds is left to the env pass.
    fn default_object(&mut self, start: u32) -> Option<()> {
        let t = self.tokens;
        let open = self.pos;
        let close = skip_group(t, open)? - 1;
        let depth = t[open].depth + 1;
        let mut handlers = Vec::new();
        self.pos = open + 1;
        while self.pos < close {
            let member = self.pos;
            if self.is_punct(0, b'.') {
                // `...spread`: no name.
                if !(self.is_punct(1, b'.') && self.is_punct(2, b'.')) {
                    return None;
                }
            } else {
                // `async`, `get`, `set` and `*` before a method's name.
                while self
                    .ident(0)
                    .is_some_and(|w| matches!(w.value.as_str(), "async" | "get" | "set"))
                    && self.peek(1).is_some_and(|n| {
                        !n.newline_before && matches!(n.kind, Kind::Ident | Kind::Punct(b'*'))
                    })
                {
                    self.pos += 1;
                }
                if self.is_punct(0, b'*') {
                    self.pos += 1;
                }
                let name = self.ident(0)?;
                let name_at = self.pos;
                self.pos += 1;
                let modified = name_at != member;
                match self.peek(0)?.kind {
                    Kind::Punct(b'(') => {
                        let params = self.pos;
                        let after = skip_group(t, params)?;
                        if HANDLERS.contains(&name.value.as_str())
                            && !self.second_param_is_env(params, after - 1)
                        {
                            return None;
                        }
                        self.marks.member_names[name_at] = true;
                        self.marks.params[params] = true;
                        let mut i = after;
                        if t.get(i)?.kind == Kind::Punct(b':') {
                            (i, _) = self.skip_type(i + 1)?;
                        }
                        if t.get(i)?.kind != Kind::Punct(b'{') {
                            return None;
                        }
                        self.pos = skip_group(t, i)?;
                    }
                    // A key (its value is read by the env pass) or a shorthand.
                    Kind::Punct(b':') if !modified => {}
                    Kind::Punct(b',' | b'}') if !modified => {
                        self.marks.member_names[name_at] = true;
                    }
                    _ => return None,
                }
                handlers.push(name);
            }
            // On to the `,` after the member.
            while self.pos < close && !(t[self.pos].depth == depth && self.is_punct(0, b',')) {
                self.pos += 1;
            }
            self.pos += usize::from(self.pos < close);
        }
        self.pos = close + 1;
        if self.is_word(0, "satisfies") || self.is_word(0, "as") {
            let (after, _) = self.skip_type(self.pos + 1)?;
            // A type holds no reads: the env pass need not look at it (`ExportedHandler<Env>`).
            // The statement must end with a `;` or the module: the env pass would take a type's
            // `>` before an automatic semicolon for an operator.
            if !t.get(after).is_none_or(|n| n.kind == Kind::Punct(b';')) {
                return None;
            }
            self.exempt(self.pos, after);
            self.pos = after;
        }
        let end = self.statement_end()?;
        self.summary.default_export = Some(DefaultExport::Object {
            handlers,
            range: TextRange::new(start, end),
        });
        Some(())
    }

    /// A call or member chain at the cursor that is more than one name: `f(..)`, `a.b.c(..)`,
    /// `new F(..).m(..)`, `f<T>(..)`, `new F`. Leaves the cursor after it and returns, for a
    /// call or `new`, the identifier the chain starts from (whether a package builds it).
    /// `None`, the cursor unmoved, for anything else.
    fn call_chain(&mut self) -> Option<Option<String>> {
        let t = self.tokens;
        let is_new = self.is_word(0, "new");
        let root_at = self.pos + usize::from(is_new);
        let root = t.get(root_at).filter(|r| r.kind == Kind::Ident)?;
        if is_keyword(self.slice(root)) {
            return None;
        }
        let mut i = root_at + 1;
        let mut called = is_new;
        let mut types = Vec::new();
        loop {
            match t.get(i).map(|n| n.kind) {
                Some(Kind::Punct(b'.')) if t.get(i + 1).is_some_and(|n| n.kind == Kind::Ident) => {
                    i += 2;
                }
                Some(Kind::Punct(b'(')) => {
                    i = skip_group(t, i)?;
                    called = true;
                }
                Some(Kind::Punct(b'<')) => {
                    // Type arguments of a call, only names (`f<A, ns.B<C>>(x)`): with other
                    // tokens inside (`f<A=>B>(x)`, `f<A-B>(x)`) the grammar may read
                    // comparisons instead, and a line break inside may end the statement.
                    // `new F<{ A: B }>()` cannot be a comparison (`()` is no operand): object
                    // types are taken there.
                    let end = self.skip_angles(i)?;
                    let object_types = is_new
                        && i == root_at + 1
                        && t.get(end + 1).is_some_and(|n| n.kind == Kind::Punct(b')'));
                    let allowed = |n: &Token| match n.kind {
                        Kind::Ident | Kind::Punct(b'.' | b',' | b'<' | b'>') => true,
                        Kind::Punct(b'{' | b'}' | b':' | b';' | b'?') => object_types,
                        _ => false,
                    };
                    if !t.get(end).is_some_and(|n| n.kind == Kind::Punct(b'('))
                        || t[i + 1..=end].iter().any(|n| n.newline_before)
                        || !t[i + 1..end].iter().all(allowed)
                    {
                        return None;
                    }
                    types.push((i, end));
                    i = end;
                }
                _ => break,
            }
        }
        if i == root_at + 1 && !is_new {
            // One name: `export default x`.
            return None;
        }
        for (from, to) in types {
            self.mark(from, to);
        }
        self.pos = i;
        Some(called.then(|| self.slice(root).to_string()))
    }

    /// `const x = <call chain>` at the cursor (on `const`, `let` or `var`), the declarator
    /// ending the statement: records the chain's root for `export default x`. The cursor moves
    /// on only when it is one.
    fn call_const(&mut self) {
        let start = self.pos;
        let (Some(name), true) = (self.ident(1), self.is_punct(2, b'=')) else {
            return;
        };
        // `==`, `=>`
        if self
            .peek(3)
            .is_some_and(|n| n.start == self.tokens[start + 2].end && n.kind != Kind::Ident)
        {
            return;
        }
        self.pos = start + 3;
        let root = match self.call_chain() {
            Some(Some(root)) if self.ends_default_statement().is_some() => root,
            _ => {
                self.pos = start;
                return;
            }
        };
        self.call_consts.insert(name.value, root);
    }

    /// `interface X ..` or `type X = ..` with the cursor on the keyword, at the top level: when
    /// `X` names an env type (`Env`, `*Env`, `*Bindings`), records the members of its body as
    /// the summary does (property signatures `name: T` and `name?: T`) and exempts the name
    /// from the env pass. The cursor stays. `None` for a body it does not read exactly
    /// (methods, index signatures, quoted names, a type alias that is not an object type).
    fn env_type_decl(&mut self) -> Option<()> {
        let t = self.tokens;
        let keyword = self.pos;
        let name = keyword + 1;
        if !t.get(name).is_some_and(|n| n.kind == Kind::Ident)
            || !is_env_type_name(self.slice(&t[name]))
        {
            return Some(());
        }
        let interface = self.is_word(0, "interface");
        let mut i = name + 1;
        if t.get(i).is_some_and(|n| n.kind == Kind::Punct(b'<')) {
            i = self.skip_angles(i)?;
        }
        if interface {
            if t.get(i)
                .is_some_and(|n| n.kind == Kind::Ident && self.slice(n) == "extends")
            {
                i += 1;
                while !t.get(i).is_some_and(|n| n.kind == Kind::Punct(b'{')) {
                    match t.get(i)?.kind {
                        Kind::Ident | Kind::Punct(b'.' | b',') => i += 1,
                        Kind::Punct(b'<') => i = self.skip_angles(i)?,
                        _ => return None,
                    }
                }
            }
        } else {
            if !t.get(i).is_some_and(|n| n.kind == Kind::Punct(b'=')) {
                return None;
            }
            i += 1;
        }
        if !t.get(i).is_some_and(|n| n.kind == Kind::Punct(b'{')) {
            return None;
        }
        let open = i;
        let close = skip_group(t, open)? - 1;
        if !interface {
            // `type X = { .. }` alone: `{ .. } & Y` is no object type.
            let next = t.get(close + 1);
            if !next.is_none_or(|n| {
                n.kind == Kind::Punct(b';')
                    || (n.newline_before
                        && n.kind == Kind::Ident
                        && !matches!(self.slice(n), "extends" | "is" | "as" | "satisfies"))
            }) {
                return None;
            }
        }
        let mut members = Vec::new();
        let mut k = open + 1;
        while k < close {
            if t[k].kind == Kind::Punct(b';') || t[k].kind == Kind::Punct(b',') {
                k += 1;
                continue;
            }
            if t[k].kind == Kind::Ident
                && self.slice(&t[k]) == "readonly"
                && t.get(k + 1)
                    .is_some_and(|n| n.kind == Kind::Ident && !n.newline_before)
            {
                k += 1;
            }
            if t[k].kind != Kind::Ident {
                return None;
            }
            let member = k;
            k += 1;
            let optional = t[k].kind == Kind::Punct(b'?');
            if optional {
                k += 1;
            }
            if t[k].kind != Kind::Punct(b':') {
                return None;
            }
            let colon = k;
            let (end, _) = self.skip_type(colon + 1)?;
            if end > close || end == colon + 1 {
                return None;
            }
            let after = &t[end];
            if !(end == close
                || matches!(after.kind, Kind::Punct(b';' | b','))
                || after.newline_before)
            {
                return None;
            }
            let ty = &self.text[t[colon].start as usize..t[end - 1].end as usize];
            members.push(EnvTypeMember {
                name: self.slice(&t[member]).to_string(),
                binding_type: binding_type_of(ty, optional),
            });
            k = end;
        }
        self.summary.env_type_members.extend(members);
        self.exempt(name, name + 1);
        Some(())
    }

    /// The end of an `export default` statement whose expression ends before the cursor: a
    /// `;` (taken), or a line break before a word that cannot go on with the expression, or
    /// the module's end, with no comment after the expression that the statement may span.
    fn statement_end(&mut self) -> Option<u32> {
        self.ends_default_statement()?;
        if self.is_punct(0, b';') {
            self.pos += 1;
        } else {
            self.comment_after(self.pos - 1)?;
        }
        Some(self.tokens[self.pos - 1].end)
    }

    /// `None` when a comment follows the token at `i`: a declaration that may end with an
    /// automatic semicolon spans the comments after it in tree-sitter's tree.
    fn comment_after(&self, i: usize) -> Option<()> {
        (!self.gap_after(i).contains(&b'/')).then_some(())
    }

    /// `None` when a comment starts on the line of the `}` at `i`: tree-sitter's class
    /// declaration or method ends after such a comment (its optional `;` is looked for past
    /// it), but before a comment that a line break comes before (`\r` alone and the Unicode
    /// line separators are not counted: they decline).
    fn comment_on_its_line(&self, i: usize) -> Option<()> {
        let gap = self.gap_after(i);
        let line = memchr::memchr(b'\n', gap).map_or(gap, |n| &gap[..n]);
        (!line.contains(&b'/')).then_some(())
    }

    /// The bytes between the token at `i` and the next one (or the module's end): white
    /// space and comments.
    fn gap_after(&self, i: usize) -> &'a [u8] {
        let from = self.tokens[i].end as usize;
        let to = self
            .tokens
            .get(i + 1)
            .map_or(self.text.len(), |t| t.start as usize);
        &self.text.as_bytes()[from..to]
    }

    /// The end of an `export default` statement whose class or function ends before the
    /// cursor: an anonymous one is an expression, whose statement takes a following `;`.
    fn expression_end(&mut self, anonymous: bool) -> u32 {
        if anonymous && self.is_punct(0, b';') {
            self.pos += 1;
        }
        self.tokens[self.pos - 1].end
    }

    /// Whether the `export default` class or function that ends before the cursor ends the
    /// statement: what follows could otherwise continue it as an expression (a tagged
    /// template, a call, an operator), which the parser would read as another default.
    fn ends_default_statement(&self) -> Option<()> {
        let Some(next) = self.peek(0) else {
            return Some(());
        };
        let plain = match next.kind {
            Kind::Punct(b';') => true,
            Kind::Ident => {
                next.newline_before
                    && !matches!(self.slice(next), "in" | "instanceof" | "as" | "satisfies")
            }
            _ => false,
        };
        plain.then_some(())
    }

    /// A class declaration at the cursor (`class` or `abstract class`): records it with its
    /// members and leaves the cursor after its body. `name_override` names an anonymous
    /// class (`export default class {}`).
    fn class_decl(&mut self, name_override: Option<&str>) -> Option<Spanned<String>> {
        let first = self.pos;
        if self.is_word(0, "abstract") {
            if name_override.is_some() {
                return None;
            }
            self.pos += 1;
        }
        if !self.is_word(0, "class") {
            return None;
        }
        let keyword = self.pos;
        self.marks.classes[keyword] = true;
        self.pos += 1;
        let name = match self.ident(0) {
            Some(n) if !matches!(n.value.as_str(), "extends" | "implements") => {
                self.pos += 1;
                n
            }
            _ => {
                let kw = &self.tokens[keyword];
                Spanned::new(name_override?.to_string(), TextRange::new(kw.start, kw.end))
            }
        };
        if self.is_punct(0, b'<') {
            let from = self.pos;
            self.pos = self.skip_angles(self.pos)?;
            self.mark(from, self.pos);
        }
        let mut extends = None;
        let mut heritage_args = false;
        let heritage = self.pos;
        if self.is_word(0, "extends") {
            self.pos += 1;
            let mut last = self.ident(0)?;
            self.pos += 1;
            while self.is_punct(0, b'.') {
                last = self.ident(1)?;
                self.pos += 2;
            }
            if self.is_punct(0, b'<') {
                let from = self.pos;
                self.pos = self.skip_angles(self.pos)?;
                self.mark(from, self.pos);
                self.marks.heritage[from..self.pos].fill(true);
                heritage_args = true;
            }
            extends = Some(last);
        }
        if self.is_word(0, "implements") {
            self.pos += 1;
            while !self.is_punct(0, b'{') {
                let t = self.peek(0)?;
                if t.depth != self.tokens[keyword].depth || t.kind == Kind::Punct(b'<') {
                    return None;
                }
                if !(t.kind == Kind::Ident
                    || t.kind == Kind::Punct(b',')
                    || t.kind == Kind::Punct(b'.'))
                {
                    return None;
                }
                self.pos += 1;
            }
        }
        if !self.is_punct(0, b'{') {
            return None;
        }
        let worker = extends.is_some() && {
            let text = &self.text
                [self.tokens[heritage].start as usize..self.tokens[self.pos - 1].end as usize];
            is_worker_heritage(text)
        };
        let open = self.pos;
        let close = skip_group(self.tokens, open)?;
        self.comment_on_its_line(close - 1)?;
        self.pos = open + 1;
        let members = self.members(close - 1, worker)?;
        self.pos = close;
        if heritage_args && !self.ends_heritage_ambiguity() {
            return None;
        }
        let range = TextRange::new(self.tokens[first].start, self.tokens[close - 1].end);
        self.summary.classes.push(ClassDecl {
            name: name.clone(),
            extends,
            extends_unknown: false,
            members,
            range,
            described: false,
        });
        Some(name)
    }

    /// After the body of a class whose base has type arguments (`extends X<T> { .. }`):
    /// whether the next token rules out tree-sitter's other reading, which takes `X < T >
    /// { .. }` for comparisons with an object and what follows (`{ .. }`, an operator, a
    /// call) for the rest of the heritage or the body.
    fn ends_heritage_ambiguity(&self) -> bool {
        match self.peek(0) {
            None => true,
            Some(t) => match t.kind {
                Kind::Punct(b';') => true,
                Kind::Ident => !matches!(
                    self.slice(t),
                    "in" | "instanceof" | "as" | "satisfies" | "implements"
                ),
                _ => false,
            },
        }
    }

    /// The members of a class body from the cursor up to the `}` at `close`; `worker` for a
    /// class whose constructor takes env second.
    fn members(&mut self, close: usize, worker: bool) -> Option<Vec<Member>> {
        let t = self.tokens;
        let mut out = Vec::new();
        while self.pos < close {
            if self.is_punct(0, b';') {
                self.pos += 1;
                continue;
            }
            let start = self.pos;
            let (mut is_static, mut hidden, mut getter, mut setter) = (false, false, false, false);
            // Modifiers: a word followed on the same line by a name, `*`, `[` or `#`.
            while let Some(w) = self.ident(0) {
                let next = self.peek(1)?;
                let name_follows = matches!(
                    next.kind,
                    Kind::Ident | Kind::Str | Kind::Punct(b'*' | b'[' | b'#')
                );
                if !name_follows {
                    break;
                }
                match w.value.as_str() {
                    "public" | "readonly" | "override" | "async" => {}
                    "private" | "protected" => hidden = true,
                    "static" => is_static = true,
                    "get" => getter = true,
                    "set" => setter = true,
                    "declare" | "abstract" | "accessor" => return None,
                    _ => break,
                }
                if next.newline_before {
                    return None;
                }
                self.pos += 1;
            }
            if self.is_punct(0, b'*') {
                self.pos += 1;
            }
            let name_at = self.pos;
            let name = match self.peek(0)?.kind {
                Kind::Ident => {
                    self.pos += 1;
                    Some(Spanned::new(
                        self.slice(&t[name_at]).to_string(),
                        TextRange::new(t[name_at].start, t[name_at].end),
                    ))
                }
                Kind::Str => {
                    let s = self.string(0)?;
                    self.pos += 1;
                    Some(s)
                }
                Kind::Punct(b'#') => {
                    self.ident(1)?;
                    self.pos += 2;
                    None
                }
                Kind::Punct(b'[') => {
                    self.pos = skip_group(t, self.pos)?;
                    None
                }
                _ => return None,
            };
            self.marks.member_names[name_at] = true;
            if self.is_punct(0, b'?') || self.is_punct(0, b'!') || self.is_punct(0, b'<') {
                return None;
            }
            if self.is_punct(0, b'(') {
                let open = self.pos;
                self.marks.params[open] = true;
                let after = skip_group(t, open)?;
                let mut return_type = None;
                let mut i = after;
                if t.get(i)?.kind == Kind::Punct(b':') {
                    let (end, _) = self.skip_type(i + 1)?;
                    let text = &self.text[t[i].end as usize..t[end - 1].end as usize];
                    return_type = Some(text.trim().to_string());
                    i = end;
                }
                if t.get(i)?.kind != Kind::Punct(b'{') {
                    return None;
                }
                let body_end = skip_group(t, i)?;
                self.comment_on_its_line(body_end - 1)?;
                self.pos = body_end;
                let is_constructor = name.as_ref().is_some_and(|n| n.value == "constructor");
                if is_constructor && worker && !self.second_param_is_env(open, after - 1) {
                    return None;
                }
                let Some(name) = name else { continue };
                if is_static || hidden || setter || name.value == "constructor" {
                    continue;
                }
                out.push(Member {
                    name,
                    kind: if getter {
                        MemberKind::Getter
                    } else {
                        MemberKind::Method
                    },
                    params: self.text[t[open].start as usize..t[after - 1].end as usize]
                        .to_string(),
                    return_type,
                    range: TextRange::new(t[start].start, t[body_end - 1].end),
                });
                continue;
            }
            if getter || setter {
                return None;
            }
            // A field: `name [: type] [= value];`
            let mut return_type = None;
            if self.is_punct(0, b':') {
                let (end, _) = self.skip_type(self.pos + 1)?;
                let text = &self.text[t[self.pos].end as usize..t[end - 1].end as usize];
                return_type = Some(text.trim().to_string());
                self.mark(self.pos, end);
                self.pos = end;
            }
            if self.is_punct(0, b'=') {
                let depth = t[self.pos].depth;
                self.pos += 1;
                loop {
                    let tok = self.peek(0)?;
                    if self.pos >= close {
                        return None;
                    }
                    if tok.depth == depth {
                        if tok.kind == Kind::Punct(b';') {
                            break;
                        }
                        // A line break at the member's level could end the field (ASI).
                        if tok.newline_before {
                            return None;
                        }
                        // A bracketed value (`= { .. }`, `= f(..)`): its closing bracket, on a
                        // line of its own, ends nothing.
                        if let Some(after) = skip_group(t, self.pos) {
                            self.pos = after;
                            continue;
                        }
                    }
                    self.pos += 1;
                }
            }
            if !self.is_punct(0, b';') {
                return None;
            }
            let end = t[self.pos - 1].end;
            self.pos += 1;
            let Some(name) = name else { continue };
            if is_static || hidden {
                continue;
            }
            out.push(Member {
                name,
                kind: MemberKind::Field,
                params: String::new(),
                return_type,
                range: TextRange::new(t[start].start, end),
            });
        }
        Some(out)
    }

    /// Whether the parameters between the `(` at `open` and the `)` at `close` have at most
    /// one entry, or a second one named `env` (a worker class's constructor receives env
    /// there: any other name is an alias).
    fn second_param_is_env(&self, open: usize, close: usize) -> bool {
        let t = self.tokens;
        let depth = t[open].depth + 1;
        let commas: Vec<usize> = (open + 1..close)
            .filter(|&k| t[k].depth == depth && t[k].kind == Kind::Punct(b','))
            .collect();
        let Some(&first) = commas.first() else {
            return true;
        };
        let mut k = first + 1;
        while k < close
            && t[k].kind == Kind::Ident
            && matches!(
                self.slice(&t[k]),
                "public" | "private" | "protected" | "readonly" | "override"
            )
        {
            k += 1;
        }
        if k >= close {
            // A trailing comma after one parameter.
            return commas.len() == 1;
        }
        t[k].kind == Kind::Ident && self.slice(&t[k]) == "env"
    }

    fn local_export(&mut self, name: Spanned<String>) {
        self.summary.exports.push(Export::Local {
            local: name.value.clone(),
            exported: name,
        });
    }

    /// `function NAME` or `function* NAME` at the cursor (after `export`/`export async`). An
    /// overload signature without a body exports nothing the parser records.
    fn export_function(&mut self) -> Option<()> {
        if self.is_punct(0, b'*') {
            self.pos += 1;
        }
        let name = self.ident(0)?;
        if self.has_body(self.pos)? {
            self.local_export(name);
        }
        self.pos += 1;
        Some(())
    }

    /// Whether the function whose name is the token at `name` has a body (`Some(false)` for a
    /// signature such as `function f(a: string): string;`), `None` when the tokens do not tell.
    fn has_body(&self, name: usize) -> Option<bool> {
        let t = self.tokens;
        let depth = t[name].depth;
        let mut i = name + 1;
        if t.get(i)?.kind == Kind::Punct(b'<') {
            i = self.skip_angles(i)?;
        }
        if t.get(i)?.kind != Kind::Punct(b'(') {
            return None;
        }
        i = skip_group(t, i)?;
        // After a return type that ends in an object type (`): { a: number }`), a `;` or a
        // line break could as well follow a body read as a type: leave those to the parser.
        let mut ends_in_braces = false;
        if t.get(i).is_some_and(|t| t.kind == Kind::Punct(b':')) {
            (i, ends_in_braces) = self.skip_type(i + 1)?;
        }
        match t.get(i) {
            None if !ends_in_braces => Some(false),
            Some(next) if next.depth == depth => match next.kind {
                Kind::Punct(b'{') => Some(true),
                Kind::Punct(b';') if !ends_in_braces => Some(false),
                // A signature that ends at a line break (no `;`): rare, and a misread type
                // would hide a body.
                _ => None,
            },
            _ => None,
        }
    }

    /// Skips a type annotation starting at token `i`; returns the index of the first token
    /// after it (a body's `{`, a `;`, ...) and whether the type ended with a `{...}` group.
    fn skip_type(&self, mut i: usize) -> Option<(usize, bool)> {
        let t = self.tokens;
        let mut operand = true;
        let mut ends_in_braces = false;
        loop {
            let Some(tok) = t.get(i) else {
                // A type that ends the module.
                return (!operand).then_some((i, ends_in_braces));
            };
            if operand {
                match tok.kind {
                    Kind::Ident => {
                        operand = self.is_type_prefix(i);
                        i += 1;
                    }
                    Kind::Str | Kind::Value => {
                        i += 1;
                        operand = false;
                    }
                    Kind::Punct(b'{' | b'(' | b'[') => {
                        ends_in_braces = tok.kind == Kind::Punct(b'{');
                        i = skip_group(t, i)?;
                        operand = false;
                        continue;
                    }
                    Kind::Punct(b'|' | b'&' | b'-') => i += 1,
                    Kind::Punct(b'<') => i = self.skip_angles(i)?,
                    _ => return None,
                }
            } else {
                match tok.kind {
                    // Type arguments follow a type's name only (`Map<K, V>`, `ns.T<U>`): after
                    // an indexed access, a literal or a group, the parser reads an operator.
                    Kind::Punct(b'<') if t[i - 1].kind == Kind::Ident => {
                        i = self.skip_angles(i)?;
                    }
                    Kind::Punct(b'<') => return None,
                    Kind::Punct(b'[') => i = skip_group(t, i)?,
                    Kind::Punct(b'.' | b'|' | b'&' | b'?' | b':') => {
                        i += 1;
                        operand = true;
                    }
                    Kind::Punct(b'=')
                        if t.get(i + 1).map(|n| n.kind) == Some(Kind::Punct(b'>')) =>
                    {
                        i += 2;
                        operand = true;
                    }
                    Kind::Ident if matches!(self.slice(tok), "is" | "extends") => {
                        i += 1;
                        operand = true;
                    }
                    _ => return Some((i, ends_in_braces)),
                }
            }
            ends_in_braces = false;
        }
    }

    /// Whether the word at token `i` of a type is a prefix such as `keyof T` or `infer U`
    /// (and not a name that happens to be spelled so, as in `z.infer<T>`).
    fn is_type_prefix(&self, i: usize) -> bool {
        let t = self.tokens;
        let word = self.slice(&t[i]);
        let prefix = matches!(
            word,
            "typeof" | "keyof" | "readonly" | "unique" | "infer" | "asserts" | "new" | "abstract"
        );
        let after_dot = i > 0 && t[i - 1].kind == Kind::Punct(b'.');
        let next = t.get(i + 1).map(|n| n.kind);
        let operand_follows = matches!(
            next,
            Some(Kind::Ident | Kind::Str | Kind::Value | Kind::Punct(b'{' | b'(' | b'['))
        ) || (word == "new" && next == Some(Kind::Punct(b'<')));
        prefix && !after_dot && operand_follows
    }

    /// Whether the `:` at the cursor follows a declarator's name right after `const`, `let`
    /// or `var` (`const x: T`): a type annotation starts there.
    fn annotates_declarator(&self) -> bool {
        let t = self.tokens;
        let at = self.pos;
        at >= 2
            && t[at - 1].kind == Kind::Ident
            && !is_keyword(self.slice(&t[at - 1]))
            && t[at - 2].kind == Kind::Ident
            && matches!(self.slice(&t[at - 2]), "const" | "let" | "var")
            && (at < 3 || t[at - 3].kind != Kind::Punct(b'.'))
    }

    /// Skips `<...>` type arguments or parameters starting at token `i` (a `<`).
    /// At a `<` of `= Name<A, B.C<D>>;` (the initializer a name given type arguments, and
    /// the statement's end right after them): the position of that `;`. Only names, dots,
    /// commas and angles may stand between, none an env word: anything else (a comparison,
    /// `>=`, an env type) is not known to be type arguments.
    fn instantiation_end(&self) -> Option<usize> {
        let t = self.tokens;
        let at = self.pos;
        let name = at.checked_sub(1)?;
        if t[name].kind != Kind::Ident
            || is_keyword(self.slice(&t[name]))
            || t[name.checked_sub(1)?].kind != Kind::Punct(b'=')
        {
            return None;
        }
        let mut open = 0usize;
        let mut i = at;
        loop {
            let tok = t.get(i)?;
            match tok.kind {
                Kind::Punct(b'<') => open += 1,
                Kind::Punct(b'>') => {
                    open -= 1;
                    if open == 0 {
                        return (t.get(i + 1)?.kind == Kind::Punct(b';')).then_some(i + 1);
                    }
                }
                Kind::Punct(b'.' | b',') => {}
                Kind::Ident if !is_env_word(self.slice(tok).as_bytes()) => {}
                _ => return None,
            }
            i += 1;
        }
    }

    fn skip_angles(&self, mut i: usize) -> Option<usize> {
        let t = self.tokens;
        let depth = t[i].depth;
        let b = self.text.as_bytes();
        let mut open = 0usize;
        loop {
            let tok = t.get(i)?;
            if tok.depth == depth {
                match tok.kind {
                    Kind::Punct(b'<') => open += 1,
                    // The `>` of `=>` closes nothing.
                    Kind::Punct(b'>') if b[tok.start as usize - 1] != b'=' => {
                        open -= 1;
                        if open == 0 {
                            return Some(i + 1);
                        }
                    }
                    Kind::Punct(b';') => return None,
                    _ => {}
                }
            }
            i += 1;
        }
    }

    /// `{ a, b as c, "d e" as f } [from "x"]` at the cursor.
    /// `{ a, b as c } [from "x"]` at the cursor; `type_only` for `export type { .. }`.
    fn export_clause(&mut self, type_only: bool) -> Option<()> {
        self.pos += 1; // {
        let mut specs: Vec<(Spanned<String>, Spanned<String>, bool, bool)> = Vec::new();
        while !self.is_punct(0, b'}') {
            let mut spec_type_only = type_only;
            if self.is_word(0, "type") && self.name(1).is_some() && !self.is_word(1, "as") {
                self.pos += 1;
                spec_type_only = true;
            }
            let (local, is_string) = self.name(0)?;
            self.pos += 1;
            let exported = if self.is_word(0, "as") {
                let (alias, _) = self.name(1)?;
                self.pos += 2;
                alias
            } else {
                local.clone()
            };
            // A default export by name is left to the parser.
            if exported.value == "default" || local.value == "default" {
                return None;
            }
            specs.push((local, exported, is_string, spec_type_only));
            if self.is_punct(0, b',') {
                self.pos += 1;
            } else if !self.is_punct(0, b'}') {
                return None;
            }
        }
        self.pos += 1; // }
        let from = if self.is_word(0, "from") {
            let from = self.string(1)?;
            self.pos += 2;
            Some(from)
        } else {
            None
        };
        for (local, exported, is_string, spec_type_only) in specs {
            let export = match &from {
                Some(from) => Export::ReExport {
                    exported,
                    imported: local.value,
                    from: from.clone(),
                },
                // `export { "a" }` without `from` is not valid: leave it to the parser.
                None if is_string => return None,
                None => Export::Local {
                    exported,
                    local: local.value,
                },
            };
            if spec_type_only {
                self.summary.type_exports.push(export);
            } else {
                self.summary.exports.push(export);
            }
        }
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::summarize_parsed;

    /// The scan's summary, asserting that it equals the parser's.
    fn same(text: &str, lang: SourceLang) -> FileSummary {
        let fast = scan(text, lang).unwrap_or_else(|| panic!("not scanned: {text}"));
        let parsed = summarize_parsed(text, lang);
        assert!(!parsed.has_syntax_errors, "test input must parse: {text}");
        pretty_assertions::assert_eq!(fast, parsed, "{text}");
        fast
    }

    fn rejected(text: &str) {
        assert!(
            scan(text, SourceLang::TypeScript).is_none(),
            "scanned, should be parsed: {text}"
        );
    }

    /// A name holding a binding or a stub (`const s = env.ROOM.get(id)`): the walk follows
    /// it into calls on it, also through parentheses, `!` and `as`, and into another
    /// declarator's value. Read as a value or through a member that is not called, it is
    /// scanned (a plain call on a stub too, see the next test); anything else that may go
    /// through it is parsed.
    #[test]
    fn a_name_holding_a_binding_or_a_stub_is_scanned_unless_something_goes_through_it() {
        let module =
            |body: &str| format!("export async function f(env: Env, k: string) {{\n  {body}\n}}\n");
        for body in [
            "const raw = await env.KV.get(k);\n  if (raw && Array.isArray(raw) && raw.length) return raw;",
            "const s = env.ROOM.get(k);\n  return [s.id, s?.name, typeof s, f(s), s === k, !s];",
            "const sql = env.SQL;\n  return sql`SELECT 1`;",
            "const sql = env.SQL;\n  let q = sql`a`;\n  q = sql(k);\n  return q;",
            "const t = env.TOKEN;\n  if (!t || k !== t) return 1;\n  return (t) + 1;",
            "const w = env.W;\n  return { w, v: w.length > 1 ? w.length : 0 };",
            "const v = await env.CACHE.get(k);\n  if (v) return v as string[];\n  return v!;",
            // A call on the stub, recorded as the walk records it.
            "const s = env.ROOM.get(k);\n  await s.ping();",
        ] {
            same(&module(body), SourceLang::TypeScript);
        }
        for body in [
            "const s = env.ROOM.get(k);\n  await s?.ping();",
            "const s = env.ROOM.get(k);\n  await (s).ping();",
            "const s = env.ROOM.get(k);\n  await s!.ping();",
            "const s = env.ROOM.get(k);\n  await (s as Room).ping();",
            "const s = env.ROOM.get(k);\n  await s.ping<number>(1);",
            "const s = env.ROOM.get(k);\n  await s.ping!(1);",
            "const s = env.ROOM.get(k);\n  await (s.ping)(1);",
            "const s = env.ROOM.get(k);\n  await s.ping?.(1);",
            "const s = env.ROOM.get(k);\n  s.ping`x`;",
            "const s = env.ROOM.get(k);\n  s.a.b();",
            "const db = env.DB;\n  const d = db;\n  return d.prepare(k);",
            "const db = env.DB;\n  const d = await db;\n  return d.prepare(k);",
            "const db = env.DB;\n  const d = db!;\n  return d.prepare(k);",
            "const ns = env.NS;\n  const s = ns.get(k);\n  return s.ping();",
        ] {
            rejected(&module(body));
        }
    }

    /// Calls through a name holding a stub, declared as a statement of a block or the
    /// module, are recorded as the walk records them (anywhere in the block, before the
    /// declaration too); a block where the name may be bound again is parsed.
    #[test]
    fn calls_through_a_name_holding_a_stub_are_read_within_its_block() {
        let module = |body: &str| {
            format!(
                "export async function f(env: Env, k: string, items: string[]) {{\n  {body}\n}}\n"
            )
        };
        for text in [
            module("const stub = env.ROOM.getByName(k);\n  const greeting = await stub.sayHello(\"world\");\n  return new Response(greeting);"),
            module("const s = env.ROOM.get(k);\n  return items.map((i) => s.ping(i));"),
            module("function g() { return s.early(); }\n  const s = env.ROOM.get(k);\n  return g();"),
            module("const s = env.ROOM.get(k);\n  const r = await s.fetch(k);\n  if (!s) return;\n  return r.status + s.id;"),
            module("const s = env.ROOM.get(k);\n  const { a: s2 = s.x() } = items;\n  return s2;"),
            module("let s = await env.ROOM.get(k);\n  s = env.OTHER.get(k);\n  return s.go().then((r) => r.json());"),
            module("if (k) {\n    const s = env.ROOM.get(k);\n    await s.a();\n  } else {\n    const s = env.HALL.get(k);\n    await s.b();\n  }"),
            "import { env } from \"cloudflare:workers\";\nconst s = env.ROOM.getByName(\"x\");\nexport async function f() { return s.go(); }\n".to_string(),
            "export function a(env: Env) { const s = env.A.get(1); return s.x(); }\nexport function b(env: Env) { const s = env.B.get(2); return s.y(); }\n".to_string(),
            "export const h = async (env: Env) => {\n  const s = env.A.get(1)\n  const t = env.B.get(2)\n  return [await s.x(), await t.y()]\n};\n".to_string(),
        ] {
            let summary = same(&text, SourceLang::TypeScript);
            assert!(
                summary.env_calls.iter().any(|c| c.target == crate::source::model::CallTarget::Stub),
                "{text}"
            );
        }
        for body in [
            "const s = env.ROOM.get(k);\n  if (s) await s.ping();",
            "const s = env.ROOM.get(k);\n  return items.map((s) => s.ping());",
            "const s = env.ROOM.get(k);\n  {\n    const s = items;\n    s.ping();\n  }\n  return s.pong();",
            "switch (k) {\n    case \"a\":\n      const s = env.ROOM.get(k);\n      return s.ping();\n  }",
            "const s = env.ROOM.get(k);\n  return new s.Thing();",
            "const s = env.ROOM.get(k);\n  return s.ping<number>();",
            "const s = env.ROOM.get(k);\n  return f(s, s.ping());",
            "for (const i of items) {\n    const s = env.ROOM.get(i);\n    await s?.ping();\n  }",
            // The walk takes a comment after `await` for what is awaited (a counterexample of
            // a million-case property run).
            "const s = await /* c */ env.ROOM.get(k);\n  return s.ping();",
            // The walk sees through two `await`s, not more (another counterexample).
            "const s = await await env.ROOM.get(k);\n  return s.ping();",
        ] {
            rejected(&module(body));
        }
        // A chain that goes on at the next line holds what its last call gives, not the
        // stub: nothing is recorded through the name (a counterexample of a million-case
        // property run).
        // The methods of the calls the scan records, checked against the parser's.
        let methods = |text: &str| -> Vec<String> {
            same(text, SourceLang::TypeScript)
                .env_calls
                .iter()
                .map(|c| c.method.value.clone())
                .collect()
        };
        let text = module("const cart = env.CARTS.get(k)\n\n.do('price', async () => {\n    return await cart.total()\n  })\n  await cart.clear()");
        assert_eq!(methods(&text), ["get", "do"], "{text}");
        // A number on the next line starts a statement: the name holds the stub.
        let text = module("const cart = env.CARTS.get(k)\n1e400\n  await cart.clear()");
        assert_eq!(methods(&text), ["get", "clear"], "{text}");
    }

    /// `const R = Request<A, B>;` (every create-cloudflare test has one): type arguments,
    /// not two declarators; what could be a comparison or names env is still parsed.
    #[test]
    fn an_instantiation_expression_is_one_declarator() {
        let text = "import { env, SELF } from \"cloudflare:test\";\n\
            import worker from \"../src/index\";\n\
            const IncomingRequest = Request<unknown, IncomingRequestCfProperties>;\n\
            const Nested = Map<string, Array<ns.Item>>;\n\
            export const read = () => env.KV.get(\"k\");\n";
        for lang in [SourceLang::TypeScript, SourceLang::Tsx] {
            let s = same(text, lang);
            assert_eq!(s.env_accesses.len(), 1, "{lang:?}");
        }
        // The `;` may stand on the next line.
        same(
            "import { env } from \"cloudflare:test\";\nconst a = b<c, d>\n;\nenv.A;\n",
            SourceLang::TypeScript,
        );
        let with =
            |line: &str| format!("import {{ env }} from \"cloudflare:test\";\n{line}\nenv.A;\n");
        for line in [
            // Not followed by the end of the statement: a comparison, or more.
            "const a = b < c, d > e;",
            "const a = b<c, d> + 1;",
            // A value, an operator or an env type between the angles.
            "const a = b<c, 1>;",
            "const a = b<c = d, e>;",
            "const a = b<c, Env>;",
            "const a = b<c, env>;",
            // Not the initializer's name.
            "const a = (b)<c, d>;",
            "const a = new b<c, d>;",
        ] {
            rejected(&with(line));
        }
    }

    /// The word `require` (in `required`, in a comment, in a CommonJS call) is no reason to
    /// parse: the parser reads no import from a call, and `import x = require(..)` is declined
    /// by the import reader itself.
    #[test]
    fn require_is_read_like_any_call() {
        for text in [
            "// Every field is required.\nexport const required = true;",
            "const x = require(\"./x\");\nexport const a = x.a;",
            "import { env } from \"cloudflare:workers\";\nexport const v = env.A ?? require(\"./v\");",
            "export function f(env: Env) { return requireAuth(env.KEY); }",
            "module.exports = { required: require(\"./r\") };",
        ] {
            same(text, SourceLang::TypeScript);
            same(text, SourceLang::Tsx);
        }
        // A destructured env is an alias, whatever it is taken from.
        rejected("const { env } = require(\"cloudflare:workers\");\nexport const k = env.KV;");
        rejected("import x = require('./x');\nexport const a = x;");
    }

    #[test]
    fn import_forms_match_the_parser() {
        for text in [
            r#"import "./side-effect";"#,
            r#"import a from "./a";"#,
            r#"import * as ns from './ns';"#,
            r#"import { a, b as c, } from "./x";"#,
            r#"import d, { e } from "./x";"#,
            r#"import d, * as n from "./x";"#,
            r#"import type { T } from "./t";"#,
            r#"import type T from "./t";"#,
            r#"import { type T, u } from "./t";"#,
            r#"import { type, type as t2 } from "./t";"#,
            r#"import type from "./t";"#,
            r#"import { "a b" as ab } from "./s";"#,
            r#"import json from "./d.json" with { type: "json" };"#,
            "import {\n  a,\n  b,\n} from \"./multi\"\nimport c from \"./c\"",
            r#"const m = import("./dyn"); const u = import.meta.url;"#,
            "#!/usr/bin/node\nimport a from \"./a\";",
            // Found by the property test on a mutated source: the parser's summary took the
            // comment between `*` and `as` for the local name.
            "import * /* c */ as ns from './ns';\nexport * /* d */ as m from './m';",
        ] {
            same(text, SourceLang::TypeScript);
            same(text, SourceLang::Tsx);
        }
    }

    #[test]
    fn export_forms_match_the_parser() {
        for text in [
            "export function f(a: number): number { return a; }",
            "export async function g() {}",
            "export function* gen() { yield 1; }",
            "export async function* agen() {}",
            "export function id<T>(x: T): T { return x; }",
            "export const a = 1;\nexport let b: string;\nexport var c = [1, 2];",
            "export const f = async (x: number) => x * 2;",
            "export enum Color { Red, Green = 2 }",
            "export interface I<A, B> { a: A; b: B }",
            "export type T = { a: string };\nexport type U<A, B> = Map<A, B>;",
            "const a = 1; function b() {}\nexport { a, b as c, a as \"str name\" };",
            r#"export { x, y as z } from "./m";"#,
            r#"export * from "./star";"#,
            r#"export * as ns from "./ns";"#,
            r#"export type { T } from "./types";"#,
            r#"export { type T, v } from "./types";"#,
            r#"export {} from "./nothing";"#,
            "export function over(a: string): string;\nexport function over(a: number): Promise<{ n: number }>;\nexport function over(a: any): any { return a; }",
            "export function pred(x: unknown): x is string { return true; }",
            "export function obj(): { a: number } { return { a: 1 }; }\nexport function fnt(): (a: number) => void { return () => {}; }",
            "export function cond<T>(x: T): T extends string ? 'a' : 'b' { return x as any; }",
            // Found on cloudflare/workers-sdk (miniflare): `infer` as a property name in a
            // return type was taken for the `infer U` prefix, so the body read as a type.
            "let r: string;\nexport function parse<Z extends z.ZodType>(s: Z): z.infer<Z> {\n\treturn s;\n}\nexport const after = 1;",
            "export function k(o: object): keyof typeof o { return 'a' as any; }",
            "export function twice() {}\nexport function twice() {}",
        ] {
            same(text, SourceLang::TypeScript);
        }
    }

    #[test]
    fn literals_comments_and_nesting_hide_nothing_and_invent_nothing() {
        for text in [
            // Keywords inside strings, comments, templates and regexes are not statements.
            "const s = 'export function no() {}';\nexport function yes() {}",
            "// export function no() {}\n/* import x from \"./no\" */\nexport const yes = 1;",
            "const t = `export ${ `nested ${1 + 2}` } import x from \"./no\"`;\nexport const yes = t;",
            "const r = /export [a-z]+ \"/g; const q = 1 / 2 / 3;\nexport function yes() { return r.test('x') ? q : 0; }",
            "export function f(x: number) { if (x) { return /}/.test('}') ? x / 2 : x; } return 0; }\nexport const yes = 2;",
            "namespace N { export const inner = 1; }\nexport const outer = N.inner;",
            "function f() { return { export: 1, import: 2 }; }\nexport const v = f().export;",
            "export const weird = 1e-5 + 0x1E + .5 + 10n;",
            "const a = b\n/re/g.test(c);\nexport const d = 1",
            "\u{feff}import a from \"./bom\";\nexport const é = 'ü';",
            "export const x = y < z ? 1 : 2; // a < b > c",
        ] {
            same(text, SourceLang::TypeScript);
        }
    }

    #[test]
    fn anything_else_a_summary_records_is_left_to_the_parser() {
        for text in [
            "const x = 1; export { x as default };",
            "export const handlers = { fetch(req, e) { return e.KV; } };",
            "let a = 1, b = 2; export { a, b };",
            "export const { a, b } = obj;",
            "export const enum E { A }",
            "export declare const x: number;",
            "export namespace N { }",
            "export = foo;",
            "import x = require('./x');",
            "import fs = N.fs;",
            "export function f() {",
            "export const s = 'unterminated",
            "export const t = `unterminated ${",
            "export const u = 1; /* unterminated",
            "export\u{a0}const a = 1;",
            "export const \\u0061 = 1;",
            // A signature ended by a line break, and a return type ending in an object type
            // before a `;`: a misread type could hide a body.
            "export function sig(): void\nexport function sig(a?: string) {}",
            "export function obj(): { a: number };\nexport function obj() { return { a: 1 }; }",
            // Found by cargo-fuzz (a mutated workers-sdk module): tree-sitter parses an
            // `export` after a label as part of the labelled statement, not as an export.
            "es:\nexport const a = [1];\nexport const b = 2;",
            "if (x)\nexport const a = 1;",
            "if (x) {} else export const a = 1;",
        ] {
            rejected(text);
        }
        // JSX text can hold quotes: TSX (and JS) modules with tags are parsed.
        assert!(scan("export const A = () => <p>Don't</p>;", SourceLang::Tsx).is_none());
        assert!(scan("export const A = () => <br/>;", SourceLang::Tsx).is_none());
    }

    /// Counterexamples from an adversarial review: each either declines or matches the parser.
    #[test]
    fn adversarial_inputs_decline_or_match() {
        let cases: &[(&str, bool)] = &[
            // A division read as a regex.
            (
                "let of = 4; let x = of / 2; export const a = 1; let y = 1 / 2;",
                false,
            ),
            (
                "let a = 1; a++ / 2; export const x = 1; let b = 3 / 4;",
                false,
            ),
            (
                "let a = 1; a-- / 2; export const x = 1; let b = 3 / 4;",
                false,
            ),
            (
                "let a: any; a! / 2; export const x = 1; let b = 3 / 4;",
                true,
            ),
            (
                "let f = function () {} / 1; export const x = 1; let b = 2 / 3;",
                false,
            ),
            ("foo({} / 2, 0); export const a = 1; foo(3 / 4);", false),
            ("x = y ? {} / 2 : 3; export const k = 1; w = 4 / 5;", false),
            // A regex read as a division.
            ("let s = ''; if (s) /export * from \"x\"/.test(s);", false),
            ("let s = ''; while (s) /export { s } x/.exec(s);", false),
            ("for (;;) /export const z = 1; x/.test('');", false),
            ("with (o) /import a from 'b' /.test(s);", false),
            (
                "let x = 0; if (x) /'/.test(''); export const a = 1; // '",
                false,
            ),
            (
                "let x = 0; if (x) /\"/.test(''); export const a = 1; // \"",
                false,
            ),
            (
                "const q = `${/`/.source}`; export const a = 1; if (1) /}`/.test(q);",
                false,
            ),
            // Line terminators other than \n end a line comment.
            ("// c\rexport const a = 1;", false),
            ("// c\u{2028}export const a = 1;", false),
            ("// c\u{2029}export const a = 1;", false),
            // HTML-like comments.
            ("<!-- export const a = 1;\nexport const b = 2;", false),
            ("export const a = 1; <!-- export const b = 2;", false),
            (
                "let x = 1;\n--> export const a = 1;\nexport const b = 2;",
                false,
            ),
            // Characters tree-sitter skips as white space.
            ("export\u{200b}const a = 1;", false),
            ("export\u{2060}const a = 1;", false),
            ("import\u{200b}x from './x';", false),
            ("export const a = 1;\u{200b}export const b = 2;", false),
            ("export const a\u{200b}= 1;", false),
            // A word `type` inside a declaration, and `Foo<X>=` before an object.
            ("export let a = type in o, b = 2;", false),
            ("export var a = type instanceof X, b = 2;", false),
            ("export const a = type as any, b = 2;", true),
            (
                "export const z = 1;\nlet a = type in o, h = { fetch(r, e) { return r; } };",
                false,
            ),
            (
                "export const z = 1;\nconst h: Array<X>={ fetch(r, e) { return r; } };",
                true,
            ),
            (
                "export const z = 1;\nconst h: Y<Z>=\n{ fetch(r, e) { return r; } };",
                true,
            ),
        ];
        for &(text, ts_only) in cases {
            let langs: &[SourceLang] = if ts_only {
                &[SourceLang::TypeScript]
            } else {
                &[SourceLang::TypeScript, SourceLang::Tsx]
            };
            for &lang in langs {
                if let Some(fast) = scan(text, lang) {
                    let parsed = summarize_parsed(text, lang);
                    if !parsed.has_syntax_errors {
                        pretty_assertions::assert_eq!(fast, parsed, "{lang:?}: {text}");
                    }
                }
            }
        }
        // Still scanned: the unambiguous forms next to them.
        for text in [
            "export const r = x.length / 2;",
            "if (s) { /a/.test(s); }\nexport const a = 1;",
            "export const t = `${/a/.source}`;",
            "export const n = (a + b) / 2;",
            "export function f() { return /x/; }",
            // HTML comment markers as text: a page rendered by a worker.
            "export const page = `<!-- head -->\n<p>${title}</p>`;",
            "export const open = \"<!--\";\nexport const close = '-->';",
            "// <!-- not a comment opener here -->\nexport const a = /<!--|-->/g;",
            "/* -->\n<!-- */ export const b = 1;",
        ] {
            same(text, SourceLang::TypeScript);
        }
    }

    /// Env reads, classes and default exports, in the spellings the scan reads exactly.
    #[test]
    fn env_reads_classes_and_default_exports_match_the_parser() {
        let ts_and_tsx = [
            "export class A {}",
            "export default function () {}",
            "export function f(env: unknown) { return env.KV; }",
            "export async function load(env: Env, id: string): Promise<string[]> {\n  const v = await env.CACHE.get(id, \"json\");\n  if (v) return v as string[];\n  const { results } = await env.DB.prepare(\"SELECT 1\").bind(id).all<string>();\n  return results.filter((r) => r !== env.MODE);\n}",
            "export default function describe(env) {\n  return `in ${env.MODE} ${env.A.b}`;\n}\nexport function format(env, value) {\n  const unit = value > 3 ? \"k\" : \"\";\n  return `${env.MODE}:${unit}`;\n}\nexport const limits = { soft: 1, hard: 2 };",
            "export default class Store {\n  constructor(private readonly env: Env, private readonly options: Options) {}\n\n  async get(id: string): Promise<Row | null> {\n    const cached = await this.env.CACHE.get(id, \"json\");\n    if (cached) return cached as Row;\n    return await this.env.DB.prepare(\"x\").bind(id).first<Row>();\n  }\n}",
            "export class Repo {\n  private readonly table = \"rows\";\n  readonly size: number = 3;\n  name = 'r';\n  static make() { return 1; }\n  #hidden = 1;\n  get total(): number { return 1; }\n  set total(v) {}\n  protected p() {}\n  constructor(private readonly env: Env) {}\n  async *rows(limit = 2): AsyncGenerator<number> { yield limit; }\n  'quoted'(a, b) {}\n  [Symbol.iterator]() {}\n}",
            "abstract class Base { run() {} }\nexport class Sub extends Base {}\nexport class Far extends ns.Deep.Thing<T> implements I, J { x() {} }",
            "export default class {}",
            "export default class extends Base { m() {} }",
            "class Local { m() {} }\nexport default Local;",
            "import Imp from \"pkg\";\nexport default Imp;",
            "export default async function handler(a, b) { return a; }",
            "export class Room extends DurableObject {\n  constructor(ctx: DurableObjectState, env: Env) { super(ctx, env); }\n  async ping(): Promise<string> { return this.env.NAME; }\n}",
            // Guards.
            "export function g(env) {\n  if (env.A) {}\n  if (!env.B) {}\n  while (env.C) {}\n  const d = env.D ?? 1;\n  const e = env.E || 2;\n  const f = 3 || env.F;\n  const h = env.H && 4;\n  const i = 5 && env.I;\n  const j = env.J === undefined;\n  const k = null == env.K;\n  const l = env.L === 'x';\n  const m = typeof env.M === 'string';\n  const n = env.N ? 1 : 2;\n  const o = a ? env.O : env.P;\n  const q = env.Q?.x;\n  const r = env.R + 1 && 2;\n  const s = 1 + env.S;\n  const u = !env.U && 3;\n  const v = a || env.V && b;\n  const w = env.W < 3 || c;\n  return [env.X, env.Y.z, env.Z[0]];\n}",
            "export function calls(env) {\n  env.AUTH.verify(token);\n  env.ROOM.get(id).ping(1);\n  env.ROOM.getByName('a').pong();\n  const stub = env.ROOM.get(id);\n  env.Q?.send(1);\n  return env.API.fetch(req).then((r) => r.json());\n}",
            "import { helper } from './local';\nimport { lib } from 'pkg';\nexport function esc(env) { helper(env); console.log(env); }",
            "import { lib } from 'pkg';\nexport function esc(env) { lib.run(1, env); }",
            "export function esc2(env) { JSON.stringify(env); }",
            "export function esc3(env) { new Thing(env); }",
            "export const arrow = (env) => env.A;\nexport const arrow2 = env => env.B;\nexport const arrow3 = async (a, env: Env) => { return env.C; };",
            "export function types(props: { rows: number[]; env: Env }) { return props.env.MODE; }",
            "export function plain() { return process.env.NODE_ENV + Bun.env.X + Deno.env.Y; }",
            "import { env } from 'cloudflare:workers';\nexport const v = env.TOP;\nexport function r() { return env.IN; }",
            "export function nested(env) { return [1].map(function (x) { return env.A + x; }); }",
            "export function fetcher() { return fetch('https://x').then((r) => r.json()); }\nexport async function t() { await test('a', () => 1); }",
            "export function sw(x) { switch (x) { case 1: return 2; default: return 3; } }\nexport const d = mod.default;",
            "export function write(env) { return env.A.b.c(); }",
            // Default export objects.
            "export default {\n  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {\n    const v = await env.KV.get('k');\n    if (!env.FLAG) return new Response('no');\n    return env.API.fetch(request);\n  },\n  async scheduled(controller, env) { await env.Q.send(1); },\n  queue(batch) {},\n} satisfies ExportedHandler<Env>;",
            "import app from './app';\nexport default { fetch: app.fetch, port: 1, name: 'x', list: [1], nested: { a: 1 }, ...rest, email }\n",
            "export default {\n  fetch(req, env) { return env.A },\n  helper(a, b) { return a },\n  get value() { return 1 },\n  *gen() {},\n  async *agen() {},\n} as ExportedHandler",
            "export default {};",
            "export default { test: { pool: 1 } }",
            "import { cloudflare } from '@cloudflare/vite-plugin';\nexport default defineConfig({ plugins: [cloudflare({ remoteBindings: false })], mode: import.meta.env.MODE });",
            "import { D1DeleteEndpoint } from 'chanfana';\nexport class TaskDelete extends D1DeleteEndpoint<HandleArgs> {\n\t_meta = {\n\t\tmodel: TaskModel,\n\t};\n\tschema = make(\n\t\t1,\n\t);\n}",
            // Env types.
            "/** doc */\nexport interface Env {\n\t// A comment.\n\tKV: KVNamespace;\n\tDB?: D1Database,\n\treadonly Q: Queue<string>\n\tAPI: Fetcher; NAME: string | undefined\n\tDO: DurableObjectNamespace<import('./x').Room>;\n}\nexport default {\n\tasync fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {\n\t\treturn new Response(await env.KV.get('k'));\n\t},\n};",
            "interface Env extends Base, ns.Other<T> { A: R2Bucket }\ntype AppBindings = { B: KVNamespace; C: Ai };\nexport type WorkerEnv<T> = {\n  D: Service<T>\n}\nexport const x = 1;",
            "interface Env {}\ninterface Other { A: KVNamespace }",
            "interface AppEnv { Bindings: Env }\nexport const a = 1;",
            // Hono apps.
            "import { Hono } from 'hono';\nconst app = new Hono<{ Bindings: Env }>();\napp.get('/', async (c) => {\n  const row = await c.env.DB.prepare('x').first();\n  return c.json({ row, mode: c.env.MODE });\n});\nexport default app;",
            "import { Hono } from 'hono';\nimport type { Context } from 'hono';\nconst app = new Hono<{ Bindings: CloudflareBindings; Variables?: Vars }>()\nexport async function handle(c: Context<{ Bindings: Env }>) { return c.env.KV.get('k'); }\nexport default app",
            "import { withSentry } from '@sentry/cloudflare';\nconst handler = withSentry(opts, app);\nexport default handler;",
            "const router = AutoRouter();\nrouter.get('/', () => 1);\nexport default router;",
            // Default exports built by calls.
            "import { defineConfig } from 'vitest/config';\nexport default defineConfig({ test: { pool: 'x' } });",
            "import { Hono } from 'hono';\nexport default new Hono<App>().basePath('/api')\n",
            "import { Hono } from 'hono';\nconst x = 1;\nexport default new Hono()",
            "import * as Sentry from '@sentry/cloudflare';\nimport app from './app';\nexport default Sentry.withSentry((env: Env) => ({ dsn: env.SENTRY_DSN }), app);",
            "import { McpAgent } from 'agents/mcp';\nexport class MyMcp extends McpAgent {}\nexport default MyMcp.serve('/mcp');",
            "import OAuthProvider from '@cloudflare/workers-oauth-provider';\nexport default new OAuthProvider({ apiRoute: '/sse' });",
            "import { local } from './local';\nexport default local(1)\nexport const after = 2;",
            "export default ns.member.value;",
            "export default make<Opts>(opts)(more)\n  .then((x) => x);",
            // Env types as the base class's type arguments type no name.
            "export class Room extends DurableObject<Env> {\n  constructor(ctx: DurableObjectState, env: Env) { super(ctx, env); }\n  async ping(): Promise<string> { return this.env.NAME; }\n}\nexport class Chat extends Agent<Cloudflare.Env, { n: number }> {\n  onMessage() { return this.env.AI.run('m'); }\n}\nexport default class extends WorkerEntrypoint<AppBindings> { fetch() { return this.env.API.fetch('x'); } }",
            // `o.env` passed to a call: to a local function, a method, a package's function.
            "import { Hono } from 'hono';\nimport { getSites } from './sites';\nimport { track } from 'analytics';\nconst app = new Hono<{ Bindings: Env }>();\napp.get('/', async (c) => c.json(await getSites(c.env)));\napp.post('/t', (c) => { track(1, c.env); return c.text(siteConfig(c.env, c.req.url)); });\nexport class Room extends DurableObject { m() { return helper(this.env).a + new Store(this.env, 1).b; } }\nexport function f(env) { return g(env.env, process.env); }\nexport default app;",
            "import { getSites } from './sites';\nexport class Room extends DurableObject { m() { return helper(this.env).a + new Store(this.env, 1).b + getSites(c.env); } }",
            // A read inside parentheses, its parent an operator inside them too.
            "export function f(env) {\n  const seed = (env.SEED ?? \"true\").toLowerCase();\n  const domain = (env.SITE_DOMAIN || \"\").trim();\n  const ok = !!(env.ZONE && hasAuth);\n  const n = (!env.A || b) + (c.env.B ? 1 : 2) + (1 + env.C) * 2;\n  const same = (undefined === env.D) && (env.E == null);\n  const w = (await env.F || 1);\n  const nn = (env.G ?? y)!;\n  return [seed, domain, ok, n, same, w, nn];\n}",
            // A declarator's type annotation, whose commas are no declarators.
            "const NAMES: Record<string, string> = { a: 'b' };\nexport const PRICES: Map<string, [number, string]> = new Map();\nlet later: Array<{ a: 1, b: 2 }>\nvar f: (a: A, b: B) => C = (a, b) => c;\nexport function read(env: Env) { return env.KV; }",
            // A comment after a line break is not in the class or the method before it.
            "export class A extends WorkerEntrypoint {\n  async one() {\n    return 1;\n  }\n\n  // next\n  two() {}\n  /* block */\n  get g() { return 1 }\n  // last\n}\n// after A\nexport class B {}\r\n// crlf\nclass C {}\n/** doc */\n;\nexport default class extends WorkerEntrypoint {\n  m() {}\n  // c\n  ;\n}\n// eof",
            "export default class A extends WorkerEntrypoint {\n  m() {}\n}\n  /* a */ // b\nexport const x = 1;",
        ];
        for text in ts_and_tsx {
            same(text, SourceLang::TypeScript);
            same(text, SourceLang::Tsx);
        }
    }

    /// Env spellings the scan cannot read exactly are left to the parser.
    #[test]
    fn env_spellings_that_need_the_parser_are_left_to_it() {
        for text in [
            "export function f(e: Env) { return e.A; }",
            "export const h = { fetch(req, e) { return e.A; } };",
            "export default { async fetch(req, e) { return e.A; } };",
            "export function f(env) { const e = env; return e.A; }",
            "export function f(env) { const { A } = env; return A; }",
            "export function f(env) { const a = env.A; return a.m(); }",
            "export function f(env) { return (await env.R.get(id)).m(); }",
            "export function f(env) { return (env.A); }",
            "export function f(env) { env.A = 1; }",
            "export function f(env) { return env[k]; }",
            "export function f(env) { return 'A' in env; }",
            "export function f(env) { return { ...env }; }",
            "export function f(env) { return new env.NS.Thing(); }",
            "export function f({ env }) { return env.A; }",
            "export function f(env) { return env.A as string; }",
            "export function f(env) { return env.A!; }",
            "export function f() { const env = load(); return env.A; }",
            "import { env as e } from 'cloudflare:workers';\nexport const a = e.A;",
            "import env from './env';\nexport const a = env.A;",
            "export class Room extends DurableObject { constructor(ctx, e) { super(ctx, e); } }",
            "export function f() { class Inner { constructor(a, e) {} } }",
            "export const C = class {};",
            "export function f(x: typeof env.A) {}",
            "export class A { @dec m() {} }",
            "export default foo(bar) // a comment the statement may span",
            "export default foo(bar)\n// so may this one",
            "export default foo(bar)\n(baz) ? 1 : 2;",
            "export default foo(bar)`tagged`;",
            "export default foo?.(bar);",
            "export default foo(bar)!;",
            "export default (foo(bar));",
            "export default foo(bar) satisfies X;",
            "export default foo < bar;",
            "interface Env { m(): void }",
            "interface Env { [k: string]: unknown }",
            "interface Env { 'A-B': KVNamespace }",
            "type Env = { A: KVNamespace } & Other;",
            "declare interface Env { A: KVNamespace }",
            "declare global { interface Env { A: KVNamespace } }",
            "export function f() { interface Env { A: KVNamespace } }",
            "export function f(o) { return o.import.meta.env.A; }",
            "export default run(function* ([env.x]) { yield 1; });",
            // Found by the property test: a read in a declarator's pattern is none to the walk.
            "export function f(env, token) { const [payload, signature[env.x]] = token.split('.'); }",
            "export function f(x) { return x ? fooEnv : 1; }",
            "export function f({ fooEnv }) { return fooEnv; }",
            "export function f(e: Bindings) { return e.DB; }",
            "export function f(c: Env) { return c.DB; }",
            "const app = new Hono<{ Bindings: Env }>(x);\nexport default app;",
            "const app = new Hono<{ Bindings: Env }>() || other;\nexport default app;",
            "const app = make(), other = 1;\nexport default app;",
            "const cfg = { a: 1 };\nexport default cfg;",
            "export default { fetch(req, e) { return e.A } }",
            "export default { fetch(req, { DB }) { return DB } }",
            "export default { fetch: (req, env) => env.A }",
            "export default { fetch: async function (req, env) { return env.A } }",
            "export default { ['fetch'](req, env) {} }",
            "export default { 'fetch'(req, env) {} }",
            "export default { fetch<T>(req, env) {} }",
            "export default { a: 1 } // trailing",
            // Found on cloudflare/agents: the method's range spans the comment after its body.
            "export class A extends Agent {\n  onMessage() {} // blank\n  onClose() {}\n}",
            "export class A extends Agent {\n  m() {} /* a\n */\n}",
            "export class A extends Agent {\n  m() {}\r// lone CR\n}",
            "export class A extends Agent {\n  m() {}\u{2028}// line separator\n}",
            "export class A {}\t// the class spans it",
            "export class A {} /* and this\n */",
            // An env type elsewhere in a class's heritage, or in a nested class's.
            "export class A extends Base<Env> implements Holder<Env> {}",
            "export class A extends mixin<Env>(Base) {}",
            "export function f() { class B extends DurableObject<Env> { m(e: Env) {} } }",
            "export class A extends DurableObject<Env> { m(e: Env) { return e.KV; } }",
            // `o.env` anywhere but straight in a call's arguments.
            "export function f(c) { const e = c.env; return e.A; }",
            "export function f(c) { return c.env; }",
            "export function f(c) { g({ e: c.env }); }",
            "export function f(c) { g([c.env]); }",
            "export function f(c) { g(c.env || {}); }",
            "export function f(c) { if (c.env) {} }",
            "export function f(c) { g(...c.env); }",
            "export function f(c) { g(a?.env); }",
            "export function f(c) { g(a.b.env); }",
            "export function f(c) { return (c.env); }",
            // A read that is all its parentheses hold, or a chain the parentheses may
            // unwrap into a receiver, or a head.
            "export function f(env) { return !(env.X); }",
            "export function f(env) { return (env.X) ?? 1; }",
            "export function f(env) { const k = (env.KV); return k.get('a'); }",
            "export function f(env) { return (env.KV.get('a')).then(g); }",
            "export async function f(env) { return (await env.DO.get(id)).fetch(r); }",
            "export function f(env) { switch (env.MODE) { default: return 1; } }",
            "export function f(env) { for (env.I; ;) {} }",
            "export function f(env) { return (env.X as string) || 'a'; }",
            // Declarators after an annotation, or an annotation that is no type.
            "const a: Record<string, string> = {}, b = 1;\nexport { a, b };",
            "let x: A, y: B;\nexport { x, y };",
            "export const a: Record<string, number> = {}, b = 2;",
            "const { a, b }: Record<string, number> = o;\nexport { a };",
            "const a: = 1, b = 2;\nexport { a };",
            // Found by the property test: the env pass would read the type's `>` as an operator.
            "export default { a: 1 } satisfies H<E>\nnull != env.X;",
            "export default { a: 1 }.a;",
            // Found by the property test: after `extends X<T>`, tree-sitter may read the
            // body for an object in comparisons, and a group after it for the body.
            "export class A extends B<Env> {\n  async h(): Promise<string> { return 'ok'; }\n} {\n  async h(): Promise<string> { return 'ok'; }\n}\n",
            "export class A extends B<T> {\n  m() {}\n}\n{\n  n() {}\n}",
            "export class A extends B<T> { m() {} } (x)",
            "export class A extends B<T> { m() {} } instanceof C",
            // Found by the property test (a mutated workflow module): type arguments after an
            // indexed access type are an operator to tree-sitter.
            "export default { a: 1 } satisfies ExportedHandler[env.x]<Env, OrderEvent>;",
            "export default { a: 1 } satisfies H[K]<E>;",
            "export const x: A[K]<B> = 1;",
            "export const y: 'a'<B> = 1;",
            "export default { a: 1 } satisfies Env;\nexport const b = 1 as Env;",
            // Found by the property test: comparisons and an arrow to tree-sitter.
            "import { defineConfig } from 'devflare/config';\nexport default defineConfig<Entypo=>ints>({ name: 'a' })",
            "import { defineConfig } from 'devflare/config';\nexport default defineConfig<Ent\nrypoints>({ name: 'a' })",
            "import { defineConfig } from 'devflare/config';\nexport default defineConfig<En-trypoints>({ name: 'a' })",
            "export function f(env) { return this.env; }",
            "export function fetch(req, env) { return env.A; }",
            // Found by the property test on a mutated source: types and ambient declarations
            // hold no reads for the walk.
            "export interface P {[env.x]\n\tid: string;\n}",
            "export type T = { [env.x]: string };",
            "declare module 'm' { export const a = env.X; }",
            "export const o = { [env.X]: 1 };",
            "export function f(o: { total: number[env.x] }): void {}",
            "export function f(): number[env.x] { return 1; }",
            "export const x: Foo[env.X] = 1;",
            "export const y = a as Foo[env.X];",
            "export class K { f: T[env.X]; }",
            "export const z = f<T[env.X]>(1);",
            "export class S { m(token[env.x]: string) {} }",
            // A call and a block, not a method (which the scan would take for parameters).
            "import { lib } from 'pkg';\nexport function f(env) {\n  lib(env)\n  {}\n}",
            // Found by the property test: tree-sitter reads no export across a line break.
            "export\nfunction g() {}",
            "export// c\n async function h() {}",
        ] {
            assert!(
                scan(text, SourceLang::TypeScript).is_none(),
                "scanned, should be parsed: {text}"
            );
        }
    }

    #[test]
    fn plain_library_modules_are_scanned() {
        let text = r#"// Library module 3.
import { helper } from "./helper";
export * from "./more";

export function compute(items: Array<{ id: number; weight: number }>, factor = 12): number {
  let total = 0;
  for (const item of items) {
    if (item.weight > 5) {
      total += item.id * factor;
    } else {
      total -= Math.floor(item.weight / (factor + 1));
    }
  }
  return helper(total);
}
"#;
        let s = same(text, SourceLang::TypeScript);
        assert_eq!(s.imports.len(), 1);
        assert_eq!(s.export_stars.len(), 1);
        assert_eq!(s.exports.len(), 1);
    }

    /// Every module of the bundled workspaces that the scan accepts gets the parser's summary.
    #[test]
    fn bundled_sources_scan_to_the_parsed_summary() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../test-workspaces");
        let mut scanned = 0;
        let mut total = 0;
        for entry in ignore::WalkBuilder::new(&root)
            .hidden(false)
            .build()
            .flatten()
        {
            let path = entry.path();
            let Some(lang) = SourceLang::from_path(path) else {
                continue;
            };
            let Ok(text) = std::fs::read_to_string(path) else {
                continue;
            };
            total += 1;
            if let Some(fast) = scan(&text, lang) {
                let parsed = summarize_parsed(&text, lang);
                if !parsed.has_syntax_errors {
                    pretty_assertions::assert_eq!(fast, parsed, "{}", path.display());
                    scanned += 1;
                }
            }
        }
        assert!(total > 50, "{total} sources");
        assert!(scanned > 5, "only {scanned} of {total} sources scanned");
    }
}
