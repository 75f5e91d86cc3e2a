//! A lexical fast path for [`summarize`](super::summarize): most modules of a real code base
//! are plain library code whose whole summary is their top-level `import` and `export`
//! statements. For those, a single pass over the bytes (the technique of es-module-lexer)
//! yields exactly the summary tree-sitter would, at a fraction of the cost of parsing.
//!
//! The scan is conservative: it returns `None`, and the caller parses, whenever the module
//! might hold anything else a summary records (a class, an env read, a default export, an
//! object literal bound at the top level, JSX) or anything the scanner does not model
//! exactly (unbalanced brackets, an unterminated string, unusual export forms). Differential
//! tests, a property test and a fuzz target compare it with the tree-sitter summary.

use super::model::{Export, FileSummary, Import};
use super::SourceLang;
use crate::base::{Spanned, TextRange};

/// The summary of `text` when it is fully described by top-level imports and exports, else
/// `None`. `has_syntax_errors` is left `false`: the scan only accepts balanced modules and
/// never reports syntax errors (edits are validated with a real parse).
pub fn scan(text: &str, lang: SourceLang) -> Option<FileSummary> {
    let b = text.as_bytes();
    // Anything a summary records besides imports and exports needs one of these words (or an
    // object literal, rejected below). JSX text can hold quotes the scanner would misread.
    let finder = needles();
    if finder.iter().any(|f| f.find(b).is_some()) {
        return None;
    }
    if lang == SourceLang::Tsx
        && (memchr::memmem::find(b, b"</").is_some() || memchr::memmem::find(b, b"/>").is_some())
    {
        return None;
    }
    // HTML-like comments (`<!--`, `-->`), which the grammar knows and the scanner does not.
    if memchr::memmem::find(b, b"<!--").is_some() || memchr::memmem::find(b, b"-->").is_some() {
        return None;
    }
    let tokens = tokenize(text)?;
    Statements::new(text, &tokens).run()
}

fn needles() -> &'static [memchr::memmem::Finder<'static>] {
    use std::sync::OnceLock;
    static NEEDLES: OnceLock<Vec<memchr::memmem::Finder<'static>>> = OnceLock::new();
    NEEDLES.get_or_init(|| {
        ["class", "env", "Env", "Bindings", "require", "default"]
            .iter()
            .map(|w| memchr::memmem::Finder::new(w.as_bytes()))
            .collect()
    })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Ident,
    /// A number, a regex literal or a template literal: a value the scanner does not look into.
    Value,
    /// A `'...'` or `"..."` string; the token spans the quotes.
    Str,
    /// One punctuation byte (`{`, `,`, `=`, ...). Multi-byte operators are several tokens.
    Punct(u8),
}

#[derive(Clone, Copy, Debug)]
struct Token {
    kind: Kind,
    start: u32,
    end: u32,
    /// Bracket depth (`{`, `(`, `[`, template `${`) before the token.
    depth: u32,
    /// Whether a line break separates the token from the previous one.
    newline_before: bool,
    /// For a `)`: whether it closes the head of `if`, `while`, `for` or `with` (a `/` after
    /// it starts a regular expression, not a division).
    closes_control_head: bool,
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

fn is_ident_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80
}

/// Splits `text` into tokens, skipping comments and whitespace. `None` on anything the
/// scanner does not model: an unterminated string, template, comment or regex, unbalanced
/// brackets, a backslash outside a literal (a Unicode escape in an identifier), or non-ASCII
/// white space (which would glue two words into one identifier).
fn tokenize(text: &str) -> Option<Vec<Token>> {
    let b = text.as_bytes();
    let mut tokens: Vec<Token> = Vec::with_capacity(b.len() / 4);
    // Open brackets; a backtick marks a template substitution `${`.
    let mut stack: Vec<u8> = Vec::with_capacity(16);
    let mut i = 0usize;
    let mut newline = false;
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
        let kind = match c {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                // A line comment ends at any line terminator; U+2028 and U+2029 are left to
                // the parser.
                let end = memchr::memchr2(b'\n', b'\r', &b[i..]).map_or(b.len(), |n| i + n);
                if memchr::memmem::find(&b[i..end], "\u{2028}".as_bytes()).is_some()
                    || memchr::memmem::find(&b[i..end], "\u{2029}".as_bytes()).is_some()
                {
                    return None;
                }
                i = end;
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let end = memchr::memmem::find(&b[i + 2..], b"*/")?;
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
                i += 1;
                Kind::Punct(c)
            }
            b'{' | b'(' | b'[' => {
                stack.push(c);
                i += 1;
                Kind::Punct(c)
            }
            b'}' | b')' | b']' => {
                let popped = stack.pop();
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
                let mut ascii = true;
                while i < b.len() && is_ident_byte(b[i]) {
                    ascii &= b[i] < 0x80;
                    i += 1;
                }
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
                Kind::Ident
            }
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
        });
        newline = false;
    }
    stack.is_empty().then_some(tokens)
}

/// The index after the bracket that closes the one at token `i`.
fn skip_group(t: &[Token], i: usize) -> Option<usize> {
    let depth = t[i].depth;
    let close = match t[i].kind {
        Kind::Punct(b'{') => b'}',
        Kind::Punct(b'(') => b')',
        Kind::Punct(b'[') => b']',
        _ => return None,
    };
    let mut j = i + 1;
    loop {
        let tok = t.get(j)?;
        if tok.depth == depth {
            return (tok.kind == Kind::Punct(close)).then_some(j + 1);
        }
        j += 1;
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
}

impl<'a> Statements<'a> {
    fn new(text: &'a str, tokens: &'a [Token]) -> Self {
        Statements {
            text,
            tokens,
            pos: 0,
            summary: FileSummary::default(),
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
            prev.kind == Kind::Punct(b')')
                || (prev.kind == Kind::Ident && matches!(self.slice(prev), "else" | "do"))
        });
        (self.starts_statement() && !nested).then_some(())
    }

    fn run(mut self) -> Option<FileSummary> {
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
                        self.import()?;
                        decl = Decl::Other;
                    }
                    "export" => {
                        self.module_statement_position()?;
                        decl = self.export()?;
                    }
                    "const" | "let" | "var" => {
                        decl = Decl::Vars;
                        self.pos += 1;
                    }
                    "type" if self.ident(1).is_some() && self.starts_statement() => {
                        decl = Decl::Other;
                        self.pos += 1;
                    }
                    "function" | "interface" | "enum" if self.starts_statement() => {
                        decl = Decl::Other;
                        self.pos += 1;
                    }
                    _ => self.pos += 1,
                },
                // Several declarators, or anything else the scanner does not follow.
                Kind::Punct(b',') if decl == Decl::Vars => return None,
                Kind::Punct(b'=') if decl == Decl::Vars && self.assigns_object() => return None,
                _ => self.pos += 1,
            }
        }
        Some(self.summary)
    }

    /// Whether the `=` at the cursor is an assignment whose value is an object literal
    /// (possibly parenthesised).
    fn assigns_object(&self) -> bool {
        let eq = &self.tokens[self.pos];
        let b = self.text.as_bytes();
        if matches!(b.get(eq.end as usize), Some(b'=' | b'>')) {
            return false;
        }
        // `==`, `!=`, `<=`, `>=` and `Foo<T>=` all count: an object after any of them at the
        // top level of a declaration is left to the parser.
        let mut n = 1;
        while self.is_punct(n, b'(') {
            n += 1;
        }
        self.is_punct(n, b'{')
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
        self.pos += 1; // export
        let t = self.peek(0)?;
        match t.kind {
            Kind::Punct(b'{') => self.export_clause(false).map(|_| Decl::Other),
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
                    self.pos += 2;
                    Some(Decl::Other)
                }
                "type" if self.is_punct(1, b'{') => {
                    self.pos += 1;
                    self.export_clause(true).map(|_| Decl::Other)
                }
                "type" => {
                    self.ident(1)?;
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
            let tok = t.get(i)?;
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
                    Kind::Punct(b'<') => i = self.skip_angles(i)?,
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

    /// Skips `<...>` type arguments or parameters starting at token `i` (a `<`).
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
            "export class A {}",
            "export default {}",
            "export default function () {}",
            "const x = 1; export { x as default };",
            "export function f(env: unknown) { return env.KV; }",
            "export const handlers = { fetch(req, e) { return e.KV; } };",
            "const handlers = ({ fetch(req, e) { return e.KV; } });",
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
        ] {
            same(text, SourceLang::TypeScript);
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
