//! The env types of a declaration file, read without parsing it.
//!
//! `wrangler types` writes a `.d.ts` of half a megabyte whose only part the checker needs is
//! `interface Env { ... }`: the names the worker expects, and which of them are bindings. A
//! single pass over the tokens finds every `interface X` and `type X = {` whose name marks an
//! env type (`Env`, `*Env`, `*Bindings`), at any depth (also inside `declare namespace
//! Cloudflare { ... }`), and reads its members. Comments, strings and template literals are
//! skipped; anything else is ignored.

use super::lexical::{block_comment_end, is_ident_byte};
use super::model::{binding_type_of, EnvTypeMember};
use super::summarize::is_env_type_name;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tok {
    Ident,
    Str,
    Punct(u8),
}

#[derive(Clone, Copy, Debug)]
struct Token {
    tok: Tok,
    start: usize,
    end: usize,
    newline_before: bool,
}

/// The end of the comment starting at `i` (`//` or `/*`), if one starts there, and whether it
/// holds a line break.
fn comment_end(b: &[u8], i: usize) -> Option<(usize, bool)> {
    if b[i] != b'/' {
        return None;
    }
    match b.get(i + 1) {
        Some(b'/') => Some((
            memchr::memchr(b'\n', &b[i..]).map_or(b.len(), |n| i + n),
            false,
        )),
        Some(b'*') => {
            let end = block_comment_end(&b[i + 2..]).map_or(b.len(), |n| i + 2 + n + 2);
            let newline = memchr::memchr(b'\n', &b[i..end.min(b.len())]).is_some();
            Some((end, newline))
        }
        _ => None,
    }
}

/// The end of the string or template literal whose quote is at `i` (a template's `${ }`
/// included; an unclosed string ends after the line break).
fn string_end(b: &[u8], mut i: usize) -> usize {
    let c = b[i];
    i += 1;
    let mut depth = 0usize;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            b'$' if c == b'`' && b.get(i + 1) == Some(&b'{') => {
                depth += 1;
                i += 1;
            }
            b'}' if c == b'`' && depth > 0 => depth -= 1,
            q if q == c && depth == 0 => break,
            b'\n' if c != b'`' => break,
            _ => {}
        }
        i += 1;
    }
    (i + 1).min(b.len())
}

/// Reads tokens from a position where code starts (not inside a comment or a string): the
/// tokens from there are those a read from the start of the text finds from there.
struct Lexer<'t> {
    b: &'t [u8],
    i: usize,
}

impl Lexer<'_> {
    fn next_token(&mut self) -> Option<Token> {
        let b = self.b;
        let mut newline = false;
        while self.i < b.len() {
            let c = b[self.i];
            if c == b'\n' {
                newline = true;
                self.i += 1;
            } else if c.is_ascii_whitespace() {
                self.i += 1;
            } else if let Some((end, nl)) = comment_end(b, self.i) {
                newline |= nl;
                self.i = end;
            } else {
                break;
            }
        }
        if self.i >= b.len() {
            return None;
        }
        let (start, c) = (self.i, b[self.i]);
        let tok = match c {
            b'"' | b'\'' | b'`' => {
                self.i = string_end(b, self.i);
                Tok::Str
            }
            c if is_ident_byte(c) => {
                while self.i < b.len() && is_ident_byte(b[self.i]) {
                    self.i += 1;
                }
                Tok::Ident
            }
            _ => {
                self.i += 1;
                Tok::Punct(c)
            }
        };
        Some(Token {
            tok,
            start,
            end: self.i,
            newline_before: newline,
        })
    }
}

/// Every token of `text`, in order.
#[cfg(test)]
fn tokenize(text: &str) -> Vec<Token> {
    let mut lexer = Lexer {
        b: text.as_bytes(),
        i: 0,
    };
    std::iter::from_fn(|| lexer.next_token()).collect()
}

/// Finds where code is: moves forward over the comments and strings before a position, as a
/// read of the tokens from the start would.
struct Code<'t> {
    b: &'t [u8],
    /// A position in code, at or before every position asked about next.
    at: usize,
    /// The next quote and the next `/` at or after `at` (or the end): searched again only
    /// once `at` has passed them, so that the whole text is searched once for each.
    quote: usize,
    slash: usize,
}

impl<'t> Code<'t> {
    fn new(b: &'t [u8]) -> Self {
        Code {
            b,
            at: 0,
            quote: memchr::memchr3(b'"', b'\'', b'`', b).unwrap_or(b.len()),
            slash: memchr::memchr(b'/', b).unwrap_or(b.len()),
        }
    }

    /// Whether position `p` (not before the previous one asked about) is in code, not in a
    /// comment or a string.
    fn holds(&mut self, p: usize) -> bool {
        let b = self.b;
        while self.at < p {
            if self.quote < self.at {
                self.quote = memchr::memchr3(b'"', b'\'', b'`', &b[self.at..])
                    .map_or(b.len(), |k| self.at + k);
            }
            if self.slash < self.at {
                self.slash = memchr::memchr(b'/', &b[self.at..]).map_or(b.len(), |k| self.at + k);
            }
            let i = self.quote.min(self.slash);
            if i >= p {
                self.at = p;
                break;
            }
            self.at = if b[i] == b'/' {
                match comment_end(b, i) {
                    Some((end, _)) => end,
                    // A `/` that starts no comment is a token of its own.
                    None => i + 1,
                }
            } else {
                string_end(b, i)
            };
        }
        // Past `p`: it was inside the last comment or string skipped.
        self.at == p
    }
}

/// The tokens from one position on, read as far as they are asked for.
struct Reader<'t> {
    text: &'t str,
    lexer: std::cell::RefCell<(Lexer<'t>, Vec<Token>)>,
}

impl<'t> Reader<'t> {
    fn new(text: &'t str, from: usize) -> Self {
        Reader {
            text,
            lexer: std::cell::RefCell::new((
                Lexer {
                    b: text.as_bytes(),
                    i: from,
                },
                Vec::new(),
            )),
        }
    }

    /// Token `i`, reading up to it.
    fn get(&self, i: usize) -> Option<Token> {
        let mut guard = self.lexer.borrow_mut();
        let (lexer, tokens) = &mut *guard;
        while tokens.len() <= i {
            tokens.push(lexer.next_token()?);
        }
        Some(tokens[i])
    }

    /// Where the text after token `i` starts (the end of the text when there is none).
    fn end_of(&self, i: usize) -> usize {
        match i.checked_sub(1).and_then(|p| self.get(p)) {
            Some(t) => t.end,
            None => self.lexer.borrow().0.i,
        }
    }

    fn word(&self, i: usize) -> Option<&'t str> {
        let t = self.get(i)?;
        (t.tok == Tok::Ident).then(|| &self.text[t.start..t.end])
    }

    fn is(&self, i: usize, c: u8) -> bool {
        self.get(i).is_some_and(|t| t.tok == Tok::Punct(c))
    }

    /// The index of the `{` that opens the body of a declaration whose name is at `i`, when
    /// it is an env type's body.
    fn body_start(&self, i: usize) -> Option<usize> {
        match self.word(i)? {
            "interface" => {
                let name = self.word(i + 1)?;
                if !is_env_type_name(name) {
                    return None;
                }
                // Skip type parameters and `extends` clauses up to the body.
                let mut j = i + 2;
                let mut angle = 0i32;
                while let Some(t) = self.get(j) {
                    match t.tok {
                        Tok::Punct(b'<') => angle += 1,
                        Tok::Punct(b'>') => angle -= 1,
                        Tok::Punct(b'{') if angle <= 0 => return Some(j),
                        Tok::Punct(b';') | Tok::Punct(b'}') if angle <= 0 => return None,
                        _ => {}
                    }
                    j += 1;
                }
                None
            }
            "type" => {
                let name = self.word(i + 1)?;
                if !is_env_type_name(name) {
                    return None;
                }
                let mut j = i + 2;
                if self.is(j, b'<') {
                    let mut angle = 0i32;
                    while let Some(t) = self.get(j) {
                        match t.tok {
                            Tok::Punct(b'<') => angle += 1,
                            Tok::Punct(b'>') => {
                                angle -= 1;
                                if angle == 0 {
                                    j += 1;
                                    break;
                                }
                            }
                            _ => {}
                        }
                        j += 1;
                    }
                }
                (self.is(j, b'=') && self.is(j + 1, b'{')).then_some(j + 1)
            }
            _ => None,
        }
    }

    /// Whether token `i` starts a new member: a name (or `readonly name`) followed by `:`,
    /// `?` or `(`.
    fn starts_member(&self, i: usize) -> bool {
        let Some(t) = self.get(i) else { return false };
        if !matches!(t.tok, Tok::Ident | Tok::Str) {
            return false;
        }
        let next = if self.word(i) == Some("readonly")
            && self
                .get(i + 1)
                .is_some_and(|n| matches!(n.tok, Tok::Ident | Tok::Str))
        {
            i + 2
        } else {
            i + 1
        };
        self.is(next, b':') || self.is(next, b'?') || self.is(next, b'(')
    }

    /// Reads the members of the body opening at `open`; returns them and the index after the
    /// closing `}`.
    fn body(&self, open: usize, out: &mut Vec<EnvTypeMember>) -> usize {
        let mut i = open + 1;
        loop {
            let Some(t) = self.get(i) else { return i };
            if t.tok == Tok::Punct(b'}') {
                return i + 1;
            }
            if matches!(t.tok, Tok::Punct(b';') | Tok::Punct(b',')) {
                i += 1;
                continue;
            }
            // A member: `[readonly] NAME [?] : TYPE`.
            let mut j = i;
            if self.word(j) == Some("readonly")
                && self
                    .get(j + 1)
                    .is_some_and(|n| matches!(n.tok, Tok::Ident | Tok::Str))
            {
                j += 1;
            }
            let Some(name_tok) = self.get(j) else {
                return j;
            };
            let name = match name_tok.tok {
                Tok::Ident => Some(self.text[name_tok.start..name_tok.end].to_string()),
                Tok::Str => self
                    .text
                    .get(name_tok.start + 1..name_tok.end.saturating_sub(1))
                    .map(str::to_string),
                Tok::Punct(_) => None,
            };
            j += 1;
            let optional = self.is(j, b'?');
            if optional {
                j += 1;
            }
            let is_property = name.is_some() && self.is(j, b':');
            if is_property {
                j += 1;
            }
            // The type runs to the next `;` or `,` at this level, the body's `}`, or a line
            // break before the next member.
            let type_start = j;
            let mut depth = 0i32;
            while let Some(t) = self.get(j) {
                match t.tok {
                    Tok::Punct(b'(' | b'[' | b'{') => depth += 1,
                    Tok::Punct(b')' | b']') => depth -= 1,
                    Tok::Punct(b'}') => {
                        if depth == 0 {
                            break;
                        }
                        depth -= 1;
                    }
                    Tok::Punct(b'<') => depth += 1,
                    Tok::Punct(b'>') => {
                        // `=>` is no bracket.
                        let arrow = j > 0
                            && self
                                .get(j - 1)
                                .is_some_and(|p| p.tok == Tok::Punct(b'=') && p.end == t.start);
                        if !arrow {
                            depth -= 1;
                        }
                    }
                    Tok::Punct(b';' | b',') if depth <= 0 => break,
                    _ if depth <= 0
                        && j > type_start
                        && t.newline_before
                        && self.starts_member(j) =>
                    {
                        break
                    }
                    _ => {}
                }
                j += 1;
            }
            if let (true, Some(name)) = (is_property, name) {
                let ty = match (
                    self.get(type_start),
                    j.checked_sub(1).and_then(|e| self.get(e)),
                ) {
                    (Some(a), Some(z)) if j > type_start => &self.text[a.start..z.end],
                    _ => "",
                };
                out.push(EnvTypeMember {
                    name,
                    binding_type: binding_type_of(ty, optional),
                });
            }
            if j == i {
                j += 1;
            }
            i = j;
        }
    }
}

/// The members of every env type declared in `text`, in order.
///
/// Only the declarations are read: every `interface` or `type` word in code (not in a comment
/// or a string) is where one may start, and the tokens are read from there; the rest of the
/// text (half a megabyte of runtime types in a `wrangler types` file) is only searched.
pub fn env_type_members(text: &str) -> Vec<EnvTypeMember> {
    let b = text.as_bytes();
    if memchr::memmem::find(b, b"Env").is_none() && memchr::memmem::find(b, b"Bindings").is_none() {
        return Vec::new();
    }
    let word_at = |p: usize, len: usize| {
        (p == 0 || !is_ident_byte(b[p - 1])) && b.get(p + len).is_none_or(|&c| !is_ident_byte(c))
    };
    // Whether the word after the keyword at `p` is an env type's name, past the white space
    // and comments the lexer skips.
    let names_env_type = |p: usize, len: usize| {
        let mut i = p + len;
        loop {
            while b.get(i).is_some_and(|c| c.is_ascii_whitespace()) {
                i += 1;
            }
            match (i < b.len()).then(|| comment_end(b, i)).flatten() {
                Some((end, _)) => i = end,
                None => break,
            }
        }
        let end = b[i..]
            .iter()
            .position(|&c| !is_ident_byte(c))
            .map_or(b.len(), |n| i + n);
        text.get(i..end).is_some_and(is_env_type_name)
    };
    let keyword = |word: &'static str| {
        memchr::memmem::find_iter(b, word.as_bytes())
            .filter(move |&p| word_at(p, word.len()) && names_env_type(p, word.len()))
    };
    // `interface Env {}` declares nothing, wherever it stands: in code, a comment or a
    // string. Dropped before anything asks whether it is in code, so that the runtime types'
    // empty `Cloudflare.Env` (declared to be merged into) at the end of a `wrangler types`
    // file is not reached by a search through every comment and string before it.
    let empty_interface = |p: usize| {
        let skip_ws = |mut i: usize| {
            while b.get(i).is_some_and(|c| c.is_ascii_whitespace()) {
                i += 1;
            }
            i
        };
        let name = skip_ws(p + "interface".len());
        let mut i = name;
        while b.get(i).is_some_and(|&c| is_ident_byte(c)) {
            i += 1;
        }
        let open = skip_ws(i);
        i > name && b.get(open) == Some(&b'{') && b.get(skip_ws(open + 1)) == Some(&b'}')
    };
    let mut starts: Vec<usize> = match keywords_before_names(b) {
        Some(found) => found
            .into_iter()
            .filter(|&(p, interface)| !(interface && empty_interface(p)))
            .map(|(p, _)| p)
            .collect(),
        // A comment may stand between a keyword and a name: read forward from every keyword.
        None => keyword("interface")
            .filter(|&p| !empty_interface(p))
            .chain(keyword("type"))
            .collect(),
    };
    starts.sort_unstable();
    starts.dedup();
    let mut code = Code::new(b);
    let mut out = Vec::new();
    // Where the last env type's body ended: what lies before it was read.
    let mut read_to = 0;
    for p in starts {
        if p < read_to || !code.holds(p) {
            continue;
        }
        let r = Reader::new(text, p);
        if let Some(open) = r.body_start(0) {
            let after = r.body(open, &mut out);
            read_to = r.end_of(after);
        }
    }
    out
}

/// Where an `interface` or `type` keyword (and which) stands before an env type's name with
/// only white space between: found from the names (every `Env` and `Bindings` that ends a
/// word), which are far fewer than the keywords in a `wrangler types` file. `None` when a
/// comment may stand between a name and what precedes it (a `/` before the white space, or
/// on the line the white space leaves): only a forward read can tell then.
fn keywords_before_names(b: &[u8]) -> Option<Vec<(usize, bool)>> {
    let mut out = Vec::new();
    let ends = memchr::memmem::find_iter(b, b"Env")
        .map(|q| q + 3)
        .chain(memchr::memmem::find_iter(b, b"Bindings").map(|q| q + 8));
    for end in ends {
        if b.get(end).is_some_and(|&c| is_ident_byte(c)) {
            continue;
        }
        let mut start = end;
        while start > 0 && is_ident_byte(b[start - 1]) {
            start -= 1;
        }
        let mut k = start;
        while k > 0 && b[k - 1].is_ascii_whitespace() {
            k -= 1;
        }
        if k > 0 && b[k - 1] == b'/' {
            return None;
        }
        if memchr::memchr(b'\n', &b[k..start]).is_some() {
            let line = memchr::memrchr(b'\n', &b[..k]).map_or(0, |n| n + 1);
            if memchr::memchr(b'/', &b[line..k]).is_some() {
                return None;
            }
        }
        for (keyword, interface) in [(&b"interface"[..], true), (&b"type"[..], false)] {
            let Some(p) = k.checked_sub(keyword.len()) else {
                continue;
            };
            if &b[p..k] == keyword && k < start && (p == 0 || !is_ident_byte(b[p - 1])) {
                out.push((p, interface));
            }
        }
    }
    Some(out)
}

/// What [`env_type_members`] finds, from every token of the text read in turn: the
/// reference it is tested against.
#[cfg(test)]
fn env_type_members_of_every_token(text: &str) -> Vec<EnvTypeMember> {
    let tokens = tokenize(text);
    let r = Reader::new(text, 0);
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if let Some(open) = r.body_start(i) {
            i = r.body(open, &mut out);
        } else {
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{summarize, SourceLang};

    fn names(m: &[EnvTypeMember]) -> Vec<String> {
        m.iter()
            .map(|m| match &m.binding_type {
                Some(t) => format!("{}:{t}", m.name),
                None => m.name.clone(),
            })
            .collect()
    }

    const GENERATED: &str = r#"/* eslint-disable */
// Generated by Wrangler by running `wrangler types` (hash: 1234)
// Runtime types generated with workerd@1.2025 2025-01-01 nodejs_compat
declare namespace Cloudflare {
	interface GlobalProps {
		mainModule: typeof import("./src/index");
		durableNamespaces: "MyDO";
	}
	interface Env {
		MY_KV: KVNamespace;
		API_KEY: string;
		MODE: "dev" | "prod";
		MY_DO: DurableObjectNamespace<import("./src/index").MyDO>;
		AUTH: Service<typeof import("../auth/src/index").default>;
		"QUOTED-NAME": string;
		OPTIONAL?: R2Bucket;
		MAYBE: D1Database | undefined;
		FN: (a: string) => Promise<void>;
		NESTED: { a: string; b: number };
	}
}
interface Env extends Cloudflare.Env {}
type StringifyValues<EnvType extends Record<string, unknown>> = {
	[Binding in keyof EnvType]: EnvType[Binding] extends string ? EnvType[Binding] : string;
};
declare namespace NodeJS {
	interface ProcessEnv extends StringifyValues<Pick<Cloudflare.Env, "API_KEY">> {}
}
// Begin runtime types
interface Other { NOT_ME: string }
declare class KVNamespace { get(key: string): Promise<string | null>; }
"#;

    #[test]
    fn reads_wrangler_types_output() {
        assert_eq!(
            names(&env_type_members(GENERATED)),
            vec![
                "MY_KV:KVNamespace",
                "API_KEY",
                "MODE",
                "MY_DO:DurableObjectNamespace",
                "AUTH:Service",
                "QUOTED-NAME",
                "OPTIONAL",
                "MAYBE",
                "FN",
                "NESTED"
            ]
        );
    }

    #[test]
    fn members_separated_by_line_breaks_and_multiline_unions() {
        let text = "interface MyEnv {\n  A: string\n  readonly B: KVNamespace\n  C:\n    | \"x\"\n    | \"y\"\n  D(): void\n  E: Queue<{ id: string }>\n}\ntype Bindings = { F: string }\ntype Other = { G: string }";
        assert_eq!(
            names(&env_type_members(text)),
            vec!["A", "B:KVNamespace", "C", "E:Queue", "F"]
        );
    }

    #[test]
    fn comments_strings_and_templates_do_not_confuse_it() {
        let text = "// interface Env { X: string }\n/* interface Env { Y: string } */\nconst s = \"interface Env { Z: string }\";\ntype T = `a${string}b`;\ninterface Env { /* c */ REAL: string; // d\n }";
        assert_eq!(names(&env_type_members(text)), vec!["REAL"]);
    }

    /// The same members as the tree-sitter summary of a module declaring them.
    #[test]
    fn agrees_with_the_parsed_summary() {
        for text in [
            "interface Env { A: string; B: KVNamespace; C?: Fetcher; D: \"x\" | \"y\" }\nexport default { fetch() {} };",
            "export type Bindings = { TOKEN: string; DB: D1Database };\nexport default { fetch() {} };",
            "declare namespace Cloudflare { interface Env { GENERATED: string; Q: Queue<Msg> } }\nexport default { fetch() {} };",
        ] {
            let parsed = summarize(text, SourceLang::TypeScript).env_type_members;
            assert_eq!(env_type_members(text), parsed, "{text}");
        }
    }

    /// Reading only from each `interface` and `type` word finds what reading every token does:
    /// on every prefix of the texts below (a cut leaves comments, strings, templates and
    /// bodies open), and on the project's declaration files.
    #[test]
    fn reading_from_the_declarations_finds_what_every_token_finds() {
        let tricky = "/* interface Env { A: string } */ type Env = { B: string }\n\
            const s = 'interface Env { C: string }'; // type Bindings = { D: string }\n\
            type T = `${\"`\"} interface Env { E: string } ${1}`; interface\nEnv { F: string }\n\
            interface Env { G: { interface: string; type: Env }; H: string }\n\
            interface interface Env { I: string } typeof type MyEnv = { J: string }\n\
            namespace N { interface /* c */ WorkerEnv<T = { a: 1 }> extends X<Y> { K: KVNamespace } }\n\
            a / b / interface Env { L: string } \"unclosed\ninterface Env { M: string }\n\
            interface\n\tFooEnv { N: string } type/**/Env = { O: string } interface EnvX { P: 1 }\n\
            type   // c\n  AppBindings = { Q: string } interface Envy { R: string }\n\
            interface Env {} interface Env { S: string } interface Env {\n } /* interface Env {} */\n\
            interface Env {}{ T: string } interface Env{ } type Env = {} | { U: string }\n\
            interface Env { } interface Env { V: string }";
        // The same without comments: found from the names, not from every keyword.
        let uncommented =
            "const s = 'interface Env { C: string }'; type Bindings = { D: string }\n\
            type T = `${\"`\"} interface Env { E: string } ${1}`; interface\nEnv { F: string }\n\
            interface Env { G: { interface: string; type: Env }; H: string }\n\
            interface interface Env { I: string } typeof type MyEnv = { J: string }\n\
            namespace N { interface WorkerEnv<T = { a: 1 }> extends X<Y> { K: KVNamespace } }\n\
            \"unclosed\ninterface Env { M: string }\n\
            interface\n\tFooEnv { N: string } interface EnvX { P: 1 } type EnvEnv = { Q: 1 }\n\
            type   AppBindings = { Q: string } interface Envy { R: string }\n\
            interface Env {} interface Env { S: string } interface Env {\n }\n\
            interface Env {}{ T: string } interface Env{ } type Env = {} | { U: string }\n\
            interface Env { } interface Env { V: string } x.type Env2Env = 1; typeEnv = { W: 1 }";
        assert!(keywords_before_names(uncommented.as_bytes()).is_some());
        assert!(keywords_before_names(tricky.as_bytes()).is_none());
        let mut texts = vec![
            GENERATED.to_string(),
            tricky.to_string(),
            uncommented.to_string(),
        ];
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../test-workspaces");
        let mut stack = vec![root];
        while let Some(dir) = stack.pop() {
            for e in std::fs::read_dir(&dir).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.to_string_lossy().ends_with(".d.ts") {
                    texts.push(std::fs::read_to_string(&p).unwrap());
                }
            }
        }
        assert!(texts.len() >= 4);
        for text in &texts {
            assert!(!env_type_members(text).is_empty(), "{text}");
            for cut in 0..=text.len() {
                if text.is_char_boundary(cut) {
                    let t = &text[..cut];
                    assert_eq!(
                        env_type_members(t),
                        env_type_members_of_every_token(t),
                        "{t:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn never_panics_on_truncated_input() {
        for cut in 0..GENERATED.len() {
            if GENERATED.is_char_boundary(cut) {
                let _ = env_type_members(&GENERATED[..cut]);
            }
        }
        for text in [
            "interface Env {",
            "interface Env { A",
            "interface Env { A:",
            "type Env = {",
            "type Env<",
            "\"",
            "`${",
            "interface Env { A: string; B: {",
        ] {
            let _ = env_type_members(text);
        }
    }
}
