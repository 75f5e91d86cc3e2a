//! The env types of a declaration file, read without parsing it.
//!
//! `wrangler types` writes a `.d.ts` of half a megabyte whose only part the checker needs is
//! `interface Env { ... }`: the names the worker expects, and which of them are bindings. A
//! single pass over the tokens finds every `interface X` and `type X = {` whose name marks an
//! env type (`Env`, `*Env`, `*Bindings`), at any depth (also inside `declare namespace
//! Cloudflare { ... }`), and reads its members. Comments, strings and template literals are
//! skipped; anything else is ignored.

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

fn is_ident_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80
}

fn tokenize(text: &str) -> Vec<Token> {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len() / 6);
    let mut i = 0;
    let mut newline = false;
    while i < b.len() {
        let c = b[i];
        match c {
            b'\n' => {
                newline = true;
                i += 1;
                continue;
            }
            c if c.is_ascii_whitespace() => {
                i += 1;
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                i = memchr::memchr(b'\n', &b[i..]).map_or(b.len(), |n| i + n);
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let end =
                    memchr::memmem::find(&b[i + 2..], b"*/").map_or(b.len(), |n| i + 2 + n + 2);
                if memchr::memchr(b'\n', &b[i..end.min(b.len())]).is_some() {
                    newline = true;
                }
                i = end;
                continue;
            }
            _ => {}
        }
        let start = i;
        let tok = match c {
            b'"' | b'\'' | b'`' => {
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
                i = (i + 1).min(b.len());
                Tok::Str
            }
            c if is_ident_byte(c) => {
                while i < b.len() && is_ident_byte(b[i]) {
                    i += 1;
                }
                Tok::Ident
            }
            _ => {
                i += 1;
                Tok::Punct(c)
            }
        };
        out.push(Token {
            tok,
            start,
            end: i,
            newline_before: newline,
        });
        newline = false;
    }
    out
}

struct Reader<'t> {
    text: &'t str,
    t: Vec<Token>,
}

impl Reader<'_> {
    fn word(&self, i: usize) -> Option<&str> {
        let t = self.t.get(i)?;
        (t.tok == Tok::Ident).then(|| &self.text[t.start..t.end])
    }

    fn is(&self, i: usize, c: u8) -> bool {
        self.t.get(i).is_some_and(|t| t.tok == Tok::Punct(c))
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
                while j < self.t.len() {
                    match self.t[j].tok {
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
                    while j < self.t.len() {
                        match self.t[j].tok {
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
        let Some(t) = self.t.get(i) else { return false };
        if !matches!(t.tok, Tok::Ident | Tok::Str) {
            return false;
        }
        let next = if self.word(i) == Some("readonly")
            && self
                .t
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
            let Some(t) = self.t.get(i) else { return i };
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
                    .t
                    .get(j + 1)
                    .is_some_and(|n| matches!(n.tok, Tok::Ident | Tok::Str))
            {
                j += 1;
            }
            let name_tok = self.t[j];
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
            while let Some(t) = self.t.get(j) {
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
                            && self.t[j - 1].tok == Tok::Punct(b'=')
                            && self.t[j - 1].end == t.start;
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
                    self.t.get(type_start),
                    j.checked_sub(1).and_then(|e| self.t.get(e)),
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
pub fn env_type_members(text: &str) -> Vec<EnvTypeMember> {
    let b = text.as_bytes();
    if memchr::memmem::find(b, b"Env").is_none() && memchr::memmem::find(b, b"Bindings").is_none() {
        return Vec::new();
    }
    let r = Reader {
        text,
        t: tokenize(text),
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < r.t.len() {
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
