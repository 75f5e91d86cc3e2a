//! The env facts of a module from its tokens, for the lexical scan: what
//! [`EnvWalk`](super::env_walk) finds in the syntax tree (reads of `env.X`, whether each is
//! guarded, calls on bindings and stubs, and whether env escapes into a package), for the
//! spellings that tokens tell exactly.
//!
//! Every token that can name the env object or its type (`env`, `*Env`, a handler name) must
//! sit in one of these shapes, or the module is left to the parser (`None`):
//! - `env.X` and `o.env.X` (`o` one identifier or `this`, not `process`, `Bun` or `Deno`),
//!   followed by a member, a call, an operator or the end of an expression. The read's guard
//!   (`if (env.X)`, `env.X && ..`, `env.X ?? d`, `typeof env.X`, `env.X?.y`, a comparison with
//!   `undefined`) is decided by operator precedence, as the parser would nest it; parentheses,
//!   assignments and type assertions around a read are left to the parser. A call
//!   `env.X.m(..)` is recorded, and `env.X.get(..).m(..)` as a call on a stub. A `const` that
//!   would hold a binding or a stub is accepted only if nothing goes through its name: no
//!   call on it (`x.m()`, `(x).m()`, `x!.m()`) and no other declarator holding it
//!   (`const y = x`); `x.length`, `f(x)` and `x && ..` are fine.
//! - a parameter named `env` (of a function, method or arrow; typed or not): a name other than
//!   `env` that would hold env (a handler's second parameter, a parameter typed `Env`,
//!   `const e = env`, a destructured `env`) is an alias with a scope, left to the parser;
//! - `env` passed straight to a call (`f(a, env)`, `new F(env)`) whose callee is a dotted
//!   name: it escapes when the callee comes from a package or is `Object`/`JSON`/`Reflect`,
//!   as for the walk;
//! - `env: Env`, a parameter or a property of an object type;
//! - a handler name (`fetch`, `queue`, ...) used as a call or a property, never as a method or
//!   key of an object (whose second parameter would hold env);
//! - `process.env.X` and the like, which are not env.

use super::env_walk::{HANDLERS, REFLECTION, STUB_GETTERS};
use super::lexical::{is_keyword, Kind, Token};
use super::model::{CallTarget, EnvAccess, EnvCall, Import};
use crate::base::{Spanned, TextRange};

/// Objects whose `env` member is not the worker's env object.
const NOT_ENV_OWNERS: &[&str] = &["process", "Bun", "Deno"];

/// What the pass finds.
#[derive(Default)]
pub(super) struct Facts {
    pub accesses: Vec<EnvAccess>,
    pub calls: Vec<EnvCall>,
    pub escapes: bool,
}

/// Token marks set by the statement reader.
pub(super) struct Marks {
    /// Tokens of import statements and export clauses: names there bind or re-export, and
    /// the statement reader has checked them.
    pub exempt: Vec<bool>,
    /// `(` tokens that open the parameters of a top-level class member.
    pub params: Vec<bool>,
    /// Member names of top-level classes (a class method named `fetch` is no handler).
    pub member_names: Vec<bool>,
    /// `class` keywords of the top-level class declarations the statement reader read.
    pub classes: Vec<bool>,
    /// Tokens of interfaces, type aliases and `declare` statements, which the walk skips:
    /// an env token there is left to the parser.
    pub types: Vec<bool>,
    /// Parameter patterns (a parameter but its type and default value): no member there is
    /// a read.
    pub patterns: Vec<bool>,
    /// The type arguments of a top-level class's `extends` clause (`DurableObject<Env>`):
    /// the walk skips them, and an env type there types no name.
    pub heritage: Vec<bool>,
}

impl Marks {
    pub fn new(n: usize) -> Self {
        Marks {
            exempt: vec![false; n],
            params: vec![false; n],
            member_names: vec![false; n],
            classes: vec![false; n],
            types: vec![false; n],
            patterns: vec![false; n],
            heritage: vec![false; n],
        }
    }
}

/// Operator precedence, as tree-sitter-typescript nests binary expressions (higher binds
/// tighter). `??` sits with the conditional operator there.
fn precedence(op: &str) -> Option<u8> {
    Some(match op {
        "??" => 2,
        "||" => 3,
        "&&" => 4,
        "|" => 5,
        "^" => 6,
        "&" => 7,
        "==" | "!=" | "===" | "!==" => 8,
        "<" | ">" | "<=" | ">=" | "in" | "instanceof" => 9,
        "<<" | ">>" | ">>>" => 10,
        "+" | "-" => 11,
        "*" | "/" | "%" => 12,
        "**" => 13,
        _ => return None,
    })
}

const EQUALITY: u8 = 8;

fn is_op_byte(c: u8) -> bool {
    matches!(
        c,
        b'=' | b'!'
            | b'<'
            | b'>'
            | b'&'
            | b'|'
            | b'?'
            | b'+'
            | b'-'
            | b'*'
            | b'/'
            | b'%'
            | b'^'
            | b'~'
    )
}

/// What sits on one side of a read, for its guard.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Side {
    /// A statement, argument, element, initializer, branch: binds looser than any operator.
    Low,
    /// The `(` or `)` of an `if`/`while` head around the read alone.
    Condition(usize),
    /// `typeof` (guards).
    Typeof,
    /// Another prefix operator (`await`, `void`, `-`, ...): the read is its operand.
    Unary,
    /// A binary operator, with its precedence and the token range it spans.
    Binary(u8, usize, usize),
    /// The `?` of a conditional expression.
    Ternary,
    /// The `(` of a parenthesised expression. The walk sees through parentheses, so only a
    /// read whose parent stands inside them (an operator after it) is known: `(env.X ??
    /// "a").trim()`.
    Group,
}

pub(super) struct EnvPass<'a> {
    text: &'a str,
    t: &'a [Token],
    imports: &'a [Import],
    marks: &'a Marks,
    facts: Facts,
}

impl<'a> EnvPass<'a> {
    pub fn new(text: &'a str, t: &'a [Token], imports: &'a [Import], marks: &'a Marks) -> Self {
        EnvPass {
            text,
            t,
            imports,
            marks,
            facts: Facts::default(),
        }
    }

    fn s(&self, i: usize) -> &'a str {
        let t = &self.t[i];
        &self.text[t.start as usize..t.end as usize]
    }

    fn is_ident(&self, i: usize) -> bool {
        self.t.get(i).is_some_and(|t| t.kind == Kind::Ident)
    }

    fn is_word(&self, i: usize, w: &str) -> bool {
        self.is_ident(i) && self.s(i) == w
    }

    fn is_punct(&self, i: usize, c: u8) -> bool {
        self.t.get(i).is_some_and(|t| t.kind == Kind::Punct(c))
    }

    /// Whether tokens `i` and `i + 1` touch (`?.`, `=>`, `&&`).
    fn glued(&self, i: usize) -> bool {
        match (self.t.get(i), self.t.get(i + 1)) {
            (Some(a), Some(b)) => a.end == b.start,
            _ => false,
        }
    }

    fn spanned(&self, i: usize) -> Spanned<String> {
        let t = &self.t[i];
        Spanned::new(self.s(i).to_string(), TextRange::new(t.start, t.end))
    }

    /// The operator spelt by the run of touching operator bytes starting at token `i`, and
    /// the index after it.
    fn op_forward(&self, i: usize) -> (String, usize) {
        let mut j = i;
        let mut op = String::new();
        while let Some(t) = self.t.get(j) {
            let Kind::Punct(c) = t.kind else { break };
            if !is_op_byte(c) || (j > i && !self.glued(j - 1)) {
                break;
            }
            op.push(c as char);
            j += 1;
        }
        (op, j)
    }

    /// The operator spelt by the run of touching operator bytes ending at token `i`, and the
    /// index where it starts.
    fn op_backward(&self, i: usize) -> (String, usize) {
        let mut j = i + 1;
        while j > 0 {
            let t = &self.t[j - 1];
            let Kind::Punct(c) = t.kind else { break };
            if !is_op_byte(c) || (j <= i && !self.glued(j - 1)) {
                break;
            }
            j -= 1;
        }
        let op = (j..=i).map(|k| self.s(k)).collect();
        (op, j)
    }

    /// The index of the bracket that opens the group token `i` is directly in.
    fn opener(&self, i: usize) -> Option<usize> {
        let depth = self.t[i].depth.checked_sub(1)?;
        (0..i).rev().find(|&k| {
            self.t[k].depth == depth && matches!(self.t[k].kind, Kind::Punct(b'(' | b'{' | b'['))
        })
    }

    /// The index after the bracket that closes the one at `i`.
    fn after_group(&self, i: usize) -> Option<usize> {
        super::lexical::skip_group(self.t, i)
    }

    /// Whether a token ends an operand (so that a following `(` calls it, `!` is non-null).
    fn ends_operand(&self, i: usize) -> bool {
        let t = &self.t[i];
        match t.kind {
            Kind::Ident => !is_keyword(self.s(i)) || matches!(self.s(i), "this" | "super"),
            Kind::Str => true,
            Kind::Value => !self.s(i).ends_with("${"),
            Kind::Punct(b')' | b']') => true,
            _ => false,
        }
    }

    pub fn run(mut self) -> Option<Facts> {
        for i in 0..self.t.len() {
            if self.t[i].kind != Kind::Ident || self.marks.exempt[i] {
                continue;
            }
            let w = self.s(i);
            let after_dot = i > 0 && self.is_punct(i - 1, b'.');
            if self.marks.types[i] && w == "env" {
                // In a type the walk reads nothing: a property or parameter name (`env: T`,
                // `env?: T`) is no read here either; anything else is left to the parser.
                let named = self.is_punct(i + 1, b':')
                    || (self.is_punct(i + 1, b'?') && self.is_punct(i + 2, b':'));
                if !named {
                    return None;
                }
                continue;
            }
            if w == "env" {
                self.env(i)?;
            } else if self.marks.heritage[i] {
                // `class A extends DurableObject<Env>`: a type argument of the base class.
            } else if w.ends_with("Env") || w.ends_with("Bindings") {
                // Only `env: Env` (a parameter named env, env by its name, or a property of an
                // object type), an object's key, or the type of an object type's key. Any other
                // use may type an alias or declare env members.
                let env_typed = i >= 2 && self.is_punct(i - 1, b':') && self.is_word(i - 2, "env");
                if !(env_typed || self.object_member(i)) || after_dot {
                    return None;
                }
            } else if w == "class" && !after_dot && !self.marks.classes[i] {
                // A class expression, or a class inside a function (whose constructor may take
                // env by position).
                return None;
            } else if HANDLERS.contains(&w) && !after_dot && !self.marks.member_names[i] {
                self.handler_word(i)?;
            }
        }
        Some(self.facts)
    }

    /// Whether the env word at `i` is a key of an object type, an object or a pattern, or the
    /// type of an object type's key (`Hono<{ Bindings: Env }>`, `(c: Context<{ Bindings: Env
    /// }>) =>`): the walk takes env types only from a parameter's own type and from
    /// declarations, neither of which this is.
    fn object_member(&self, i: usize) -> bool {
        let Some(open) = self.opener(i) else {
            return false;
        };
        if !self.is_punct(open, b'{') {
            return false;
        }
        // A plain name starting a member: after the `{`, a `;` or a `,` of this object type.
        let key = |k: usize| {
            self.is_ident(k)
                && k > open
                && (k - 1 == open || self.is_punct(k - 1, b';') || self.is_punct(k - 1, b','))
        };
        let colon_after = |k: usize| {
            self.is_punct(k + 1, b':') || (self.is_punct(k + 1, b'?') && self.is_punct(k + 2, b':'))
        };
        // A key of an object type, an object or a pattern (`{ remoteBindings: false }`): no
        // parameter's type and no declaration's name.
        if key(i) && colon_after(i) {
            return true;
        }
        if !(self.marks.types[i] && self.marks.types[open]) {
            return false;
        }
        let typed = i >= 2
            && self.is_punct(i - 1, b':')
            && (key(i - 2) || (i >= 3 && self.is_punct(i - 2, b'?') && key(i - 3)));
        typed
            && (self.is_punct(i + 1, b';')
                || self.is_punct(i + 1, b',')
                || self.is_punct(i + 1, b'}'))
    }

    /// A handler name that is not a member access: fine as a call or a plain name, not as
    /// a method, a key or a function declaration.
    fn handler_word(&self, i: usize) -> Option<()> {
        if i > 0 && self.is_word(i - 1, "function") {
            return None;
        }
        if self.is_punct(i + 1, b':') {
            // A key: the walk takes env from a function or arrow that is the key's value
            // (`fetch: async (req, env) => ..`); an object, array, literal or name is none.
            return self.plain_value(i + 2);
        }
        if self.is_punct(i + 1, b'(') {
            let after = self.after_group(i + 1)?;
            if self.is_punct(after, b'{')
                || self.is_punct(after, b':')
                || (self.is_punct(after, b'=') && self.is_punct(after + 1, b'>'))
            {
                return None;
            }
        }
        // `{ fetch }`, `{ fetch, queue }`: an object's handlers or a pattern.
        if i > 0
            && (self.is_punct(i - 1, b'{') || self.is_punct(i - 1, b','))
            && (self.is_punct(i + 1, b'}') || self.is_punct(i + 1, b','))
        {
            return None;
        }
        Some(())
    }

    /// `Some` when the value starting at `k` is certainly not a function or an arrow.
    fn plain_value(&self, k: usize) -> Option<()> {
        let t = self.t.get(k)?;
        let plain = match t.kind {
            Kind::Punct(b'{' | b'[') | Kind::Str | Kind::Value => true,
            Kind::Ident => {
                let function = matches!(self.s(k), "function" | "async" | "class");
                let arrow =
                    self.is_punct(k + 1, b'=') && self.glued(k + 1) && self.is_punct(k + 2, b'>');
                !(function || arrow)
            }
            Kind::Punct(_) => false,
        };
        plain.then_some(())
    }

    fn env(&mut self, i: usize) -> Option<()> {
        if i > 0 && self.is_punct(i - 1, b'.') {
            // `import.meta.env` is the bundler's, not the worker's.
            if i >= 4
                && self.is_word(i - 2, "meta")
                && self.is_punct(i - 3, b'.')
                && self.is_word(i - 4, "import")
                && !(i >= 5 && self.is_punct(i - 5, b'.'))
            {
                return Some(());
            }
            // `o.env`: one identifier (or `this`) before the dot, nothing before it.
            if i < 2 || !self.is_ident(i - 2) || (i >= 3 && self.is_punct(i - 3, b'.')) {
                return None;
            }
            if i >= 3 && self.is_punct(i - 3, b'?') {
                return None;
            }
            if NOT_ENV_OWNERS.contains(&self.s(i - 2)) {
                return Some(());
            }
            if !self.is_punct(i + 1, b'.') {
                return self.env_argument(i - 2, i);
            }
            return self.chain(i - 2, i);
        }
        if self.is_punct(i + 1, b'.') {
            return self.chain(i, i);
        }
        // `env => ...`
        if self.is_punct(i + 1, b'=') && self.glued(i + 1) && self.is_punct(i + 2, b'>') {
            return Some(());
        }
        let prev = i.checked_sub(1)?;
        let open = self.opener(i)?;
        if !self.is_punct(open, b'(') {
            // `{ ..; env: Env }` in an object type (after a `:`): nothing of it is a value.
            let env_typed = self.is_punct(i + 1, b':')
                && self.t.get(i + 2).is_some_and(|t| {
                    t.kind == Kind::Ident && {
                        let w = self.s(i + 2);
                        w.ends_with("Env") || w.ends_with("Bindings")
                    }
                });
            let member_start =
                self.is_punct(prev, b'{') || self.is_punct(prev, b';') || self.is_punct(prev, b',');
            return (self.is_punct(open, b'{')
                && open > 0
                && self.is_punct(open - 1, b':')
                && member_start
                && env_typed)
                .then_some(());
        }
        let modifier = self.is_ident(prev)
            && matches!(
                self.s(prev),
                "private" | "public" | "protected" | "readonly"
            );
        if !(self.is_punct(prev, b'(') || self.is_punct(prev, b',') || modifier) {
            return None;
        }
        // What follows the name: the end of the parameter or argument, or a type.
        let next_ok =
            self.is_punct(i + 1, b',') || self.is_punct(i + 1, b')') || self.is_punct(i + 1, b':');
        if !next_ok {
            return None;
        }
        if self.is_params(open)? {
            return Some(());
        }
        if modifier || self.is_punct(i + 1, b':') {
            return None;
        }
        self.argument(open)
    }

    /// `o.env` (tokens `s` to `e`) passed straight to a call, `f(c.env)`: the walk takes it
    /// for env, as a bare `env` argument. Anywhere else it is left to the parser.
    fn env_argument(&mut self, s: usize, e: usize) -> Option<()> {
        let prev = s.checked_sub(1)?;
        if !(self.is_punct(prev, b'(') || self.is_punct(prev, b',')) {
            return None;
        }
        if !(self.is_punct(e + 1, b',') || self.is_punct(e + 1, b')')) {
            return None;
        }
        let open = self.opener(s)?;
        if !self.is_punct(open, b'(') || self.is_params(open)? {
            return None;
        }
        self.argument(open)
    }

    /// Whether the `(` at `open` opens parameters (`Some(true)`) or call arguments
    /// (`Some(false)`); `None` when the tokens do not tell.
    fn is_params(&self, open: usize) -> Option<bool> {
        if self.marks.params[open] {
            return Some(true);
        }
        let after = self.after_group(open)?;
        if self.is_punct(after, b'=') && self.glued(after) && self.is_punct(after + 1, b'>') {
            return Some(true);
        }
        let before = open.checked_sub(1)?;
        // `function (..)`, `function* (..)`, `function name(..)`, `function* name(..)`
        if self.is_word(before, "function")
            || (self.is_punct(before, b'*') && before >= 1 && self.is_word(before - 1, "function"))
            || (self.is_ident(before)
                && before >= 1
                && (self.is_word(before - 1, "function")
                    || (self.is_punct(before - 1, b'*')
                        && before >= 2
                        && self.is_word(before - 2, "function"))))
        {
            return Some(true);
        }
        // `name(..) {`: a method of an object literal. With the `{` on the next line it may
        // as well be a call and a block.
        if self.is_punct(after, b'{')
            && !self.t[after].newline_before
            && self.is_ident(before)
            && !is_keyword(self.s(before))
            && !(before > 0 && self.is_punct(before - 1, b'.'))
        {
            return Some(true);
        }
        if self.is_punct(after, b'{') || self.is_punct(after, b':') {
            return None;
        }
        Some(false)
    }

    /// `env` passed straight to the call whose arguments open at `open`: whether it escapes.
    fn argument(&mut self, open: usize) -> Option<()> {
        let mut k = open.checked_sub(1)?;
        // The callee: a dotted name, `this.x` or `super.x`, maybe after `new`.
        loop {
            if !self.is_ident(k) {
                return None;
            }
            let w = self.s(k);
            if is_keyword(w) && !matches!(w, "this" | "super") {
                return None;
            }
            if k >= 2 && self.is_punct(k - 1, b'.') {
                if self.is_punct(k - 2, b'?') || (k >= 3 && self.is_punct(k - 2, b'.')) {
                    return None;
                }
                k -= 2;
                continue;
            }
            break;
        }
        let head = self.s(k);
        let hides = match head {
            "this" | "super" => false,
            _ if REFLECTION.contains(&head) => true,
            _ => match self.imports.iter().find(|i| i.local == head) {
                Some(import) => !import.from.value.starts_with('.'),
                None => false,
            },
        };
        if hides {
            self.facts.escapes = true;
        }
        Some(())
    }

    /// A read `env.X` or `o.env.X`: `s` is the first token of the chain, `e` the `env` token.
    fn chain(&mut self, s: usize, e: usize) -> Option<()> {
        if !self.is_punct(e + 1, b'.') || !self.is_ident(e + 2) || self.marks.patterns[e] {
            return None;
        }
        let name = self.spanned(e + 2);
        let n = e + 3;
        // What the chain sits in must be plain: not `new`, not parentheses (which may unwrap
        // it into a receiver, as in `(await env.X.get(id)).m()`).
        let mut l = s;
        if l > 0 && self.is_word(l - 1, "await") {
            l -= 1;
        }
        let l = self.climb_bangs(l)?;
        let left = self.left_side(l)?;
        // Postfix: a member, a call, an index.
        let optional = self.is_punct(n, b'?') && self.glued(n) && self.is_punct(n + 1, b'.');
        let postfix =
            self.is_punct(n, b'.') || optional || self.is_punct(n, b'(') || self.is_punct(n, b'[');
        if matches!(left, Side::Group) && postfix {
            // `(env.X.get(id)).m()`: the parentheses may unwrap it into a receiver.
            return None;
        }
        if self.is_punct(n, b'.') || optional {
            let m = if optional { n + 2 } else { n + 1 };
            if !self.is_ident(m) {
                return None;
            }
            self.read(name.clone(), optional);
            if self.is_punct(m + 1, b'(') {
                let close = self.after_group(m + 1)?;
                self.call(&name, m, s, close, CallTarget::Direct);
                if STUB_GETTERS.contains(&self.s(m)) {
                    let stub = self.is_punct(close, b'.')
                        || (self.is_punct(close, b'?') && self.is_punct(close + 1, b'.'));
                    if stub {
                        let m2 = if self.is_punct(close, b'.') {
                            close + 1
                        } else {
                            close + 2
                        };
                        if !self.is_ident(m2) {
                            return None;
                        }
                        if self.is_punct(m2 + 1, b'(') {
                            let close2 = self.after_group(m2 + 1)?;
                            self.call(&name, m2, s, close2, CallTarget::Stub);
                        } else if self.is_punct(m2 + 1, b'<') || self.is_punct(m2 + 1, b'?') {
                            return None;
                        }
                    }
                    self.whole_value(s, close, Some(&name))?;
                }
                self.unwrapped_after(close)?;
            } else if self.is_punct(m + 1, b'<')
                || self.is_punct(m + 1, b'?')
                || self.is_punct(m + 1, b'!')
                || self
                    .t
                    .get(m + 1)
                    .is_some_and(|t| t.kind == Kind::Value && self.s(m + 1).starts_with('`'))
            {
                return None;
            }
            return Some(());
        }
        if self.is_punct(n, b'(') || self.is_punct(n, b'[') {
            self.read(name, false);
            return Some(());
        }
        self.whole_value(s, n, None)?;
        let guarded = self.guard(s, n)?;
        self.read(name, guarded);
        Some(())
    }

    /// After a call on a binding: anything that would unwrap it into another receiver
    /// (`as`, `!`) is left to the parser.
    fn unwrapped_after(&self, close: usize) -> Option<()> {
        if self.is_punct(close, b'!')
            || self.is_word(close, "as") && !self.t[close].newline_before
            || self.is_word(close, "satisfies") && !self.t[close].newline_before
        {
            return None;
        }
        Some(())
    }

    /// A chain from `s` to just before `end` that may be a declarator's whole value (the
    /// binding `env.X`, or a stub `env.X.get(..)` of binding `stub`): accepted when it is
    /// not, or when nothing goes through the declared name, or (a stub) when every call
    /// through it is one the scan can record as the walk does ([`EnvPass::stub_calls`]).
    fn whole_value(&mut self, s: usize, end: usize, stub: Option<&Spanned<String>>) -> Option<()> {
        let mut p = s.checked_sub(1);
        if let Some(k) = p.filter(|&k| self.is_word(k, "await")) {
            p = k.checked_sub(1);
            // `await await ..`: the walk sees through one more, not any number.
            if p.is_some_and(|k| self.is_word(k, "await")) {
                return None;
            }
        }
        let Some(p) = p else { return Some(()) };
        if !self.plain_eq(p) {
            return Some(());
        }
        let ends = self.value_ends(end)?;
        if self.is_punct(end, b'!')
            || (self.is_ident(end) && matches!(self.s(end), "as" | "satisfies"))
        {
            return None;
        }
        if !ends {
            return Some(());
        }
        // `const x = env.X`: x holds the binding (or stub), fine if nothing goes through it.
        if p >= 2 && self.is_ident(p - 1) && matches!(self.s(p - 2), "const" | "let" | "var") {
            let x = self.s(p - 1);
            let through = (0..self.t.len()).any(|k| {
                k != p - 1
                    && self.t[k].kind == Kind::Ident
                    && self.s(k) == x
                    && self.may_go_through(k)
            });
            if !through {
                return Some(());
            }
            return self.stub_calls(p - 2, stub?);
        }
        // An assignment to a name or a member holds nothing the walk tracks; a typed
        // declarator or a pattern would.
        if p >= 1 && self.is_ident(p - 1) && !is_keyword(self.s(p - 1)) {
            let before = p.checked_sub(2);
            let declared = before.is_some_and(|b| {
                self.is_punct(b, b',') || self.is_punct(b, b':') || self.is_ident(b)
            });
            return (!declared).then_some(());
        }
        None
    }

    /// Whether an expression ends before token `end` (`Some(false)`: it goes on; `None`:
    /// the tokens cannot tell). After a line break, a word, a string, a number or `{` starts
    /// a new statement (a line break ends a statement where the next token cannot go on
    /// with it); a member, call, index, template or binary operator goes on with it.
    fn value_ends(&self, end: usize) -> Option<bool> {
        let Some(t) = self.t.get(end) else {
            return Some(true);
        };
        let s = self.s(end);
        Some(match t.kind {
            Kind::Punct(b';' | b',' | b')' | b'}' | b']') => true,
            Kind::Ident if matches!(s, "as" | "satisfies" | "in" | "instanceof") => false,
            Kind::Ident | Kind::Str if t.newline_before => true,
            Kind::Value if s.starts_with('`') => false,
            Kind::Value if t.newline_before && s.as_bytes()[0].is_ascii_digit() => true,
            Kind::Punct(b'{') if t.newline_before => true,
            // `++` and `--` after a line break belong to the next statement.
            Kind::Punct(c @ (b'+' | b'-')) if self.glued(end) && self.is_punct(end + 1, c) => {
                return None
            }
            Kind::Punct(
                b'.' | b'(' | b'[' | b'?' | b'=' | b'*' | b'/' | b'%' | b'&' | b'|' | b'^' | b'<'
                | b'>' | b':' | b'+' | b'-',
            ) => false,
            _ => return None,
        })
    }

    /// The calls through a name holding a stub, declared by the `const` (`let`, `var`) at
    /// `c` as a statement of its own in a block or the module: the walk binds it for the
    /// whole block (`declare_block`), and records `x.m(..)` anywhere in the block as a call
    /// on the stub. Recorded the same when every use of the name in the block is such a call
    /// or holds nothing (`x.id`, `x && ..`), and nothing there could bind the name again (a
    /// parameter, a declaration, a pattern, `(x)` or `f(x)`, which are left to the parser).
    fn stub_calls(&mut self, c: usize, stub: &Spanned<String>) -> Option<()> {
        let x = c + 1;
        let depth = self.t[c].depth;
        // `await /* c */ env.X.get(..)`: the walk takes the comment for what is awaited.
        if self.is_word(x + 2, "await") {
            let (a, b) = (
                self.t[x + 2].end as usize,
                self.t.get(x + 3)?.start as usize,
            );
            if memchr::memchr(b'/', &self.text.as_bytes()[a..b]).is_some() {
                return None;
            }
        }
        // A statement of its own: at the start of the block, after another statement, or on
        // a line of its own (not after a label or a `case`).
        match c.checked_sub(1) {
            None => {}
            Some(b) => {
                let after_statement = matches!(self.t[b].kind, Kind::Punct(b';' | b'{' | b'}'))
                    || depth == 0 && self.is_word(b, "export")
                    || self.t[c].newline_before && !self.is_punct(b, b':');
                if !after_statement {
                    return None;
                }
            }
        }
        // The block: the module, or a statement block (a body after `)`, `=>`, `else`,
        // `try`, `finally` or `do`; not a `switch`, `static` or namespace body).
        let (from, to) = if depth == 0 {
            (0, self.t.len())
        } else {
            // The nearest token before it one level out: the bracket it stands in.
            let open = (0..c).rev().find(|&i| self.t[i].depth + 1 == depth)?;
            if !self.is_punct(open, b'{') || self.t[open].partner as usize <= c {
                return None;
            }
            let before = open.checked_sub(1)?;
            let body = match self.t[before].kind {
                Kind::Punct(b')') => {
                    let head = self.t[before].partner as usize;
                    !head
                        .checked_sub(1)
                        .is_some_and(|h| self.is_word(h, "switch"))
                }
                Kind::Punct(b'>') => {
                    before > 0 && self.glued(before - 1) && self.is_punct(before - 1, b'=')
                }
                Kind::Ident => matches!(self.s(before), "else" | "try" | "finally" | "do"),
                _ => false,
            };
            if !body {
                return None;
            }
            (open + 1, self.t[open].partner as usize)
        };
        let name = self.s(x);
        let mut calls = Vec::new();
        for k in from..to {
            if k == x || self.t[k].kind != Kind::Ident || self.s(k) != name {
                continue;
            }
            let prev = k.checked_sub(1);
            if prev.is_some_and(|b| self.is_punct(b, b'.')) {
                // A property of something else, unless spread (`...x`, maybe a rest
                // parameter).
                if prev.is_some_and(|b| b > 0 && self.is_punct(b - 1, b'.')) {
                    return None;
                }
                continue;
            }
            let may_bind =
                prev.is_some_and(|b| match self.t[b].kind {
                    Kind::Punct(b'(' | b',' | b'{' | b'[' | b':') => true,
                    Kind::Ident => matches!(
                        self.s(b),
                        "const"
                            | "let"
                            | "var"
                            | "function"
                            | "class"
                            | "import"
                            | "as"
                            | "enum"
                            | "interface"
                            | "type"
                            | "new"
                    ),
                    _ => false,
                }) || self.is_punct(k + 1, b'=') && self.glued(k + 1) && self.is_punct(k + 2, b'>');
            if may_bind {
                return None;
            }
            // `x.m(..)`: a call on the stub.
            if self.is_punct(k + 1, b'.') && self.is_ident(k + 2) && self.is_punct(k + 3, b'(') {
                let close = self.after_group(k + 3)?;
                calls.push((k + 2, k, close));
                continue;
            }
            if self.may_go_through(k) {
                return None;
            }
        }
        for (m, s, close) in calls {
            self.call(stub, m, s, close, CallTarget::Stub);
        }
        Some(())
    }

    /// Whether the token at `p` is a plain `=` (not `==`, `<=`, `=>`, `+=`, ...).
    fn plain_eq(&self, p: usize) -> bool {
        self.is_punct(p, b'=')
            && !(p > 0
                && self.glued(p - 1)
                && matches!(self.t[p - 1].kind, Kind::Punct(c) if is_op_byte(c)))
            && !(self.glued(p)
                && self
                    .t
                    .get(p + 1)
                    .is_some_and(|t| matches!(t.kind, Kind::Punct(b'=' | b'>'))))
    }

    /// Whether the name at `k` (one that may hold a binding or a stub) may be where the walk
    /// follows what it holds: a call's receiver (`x.m()`, also through parentheses, `!`,
    /// `as` or `await`: `(x).m()`, `x!.m()`) or another declarator's value (`const y = x`,
    /// an alias). A property name (`o.x`), a member read that is not called (`x.length`)
    /// and a plain use (`f(x)`, `x && ..`) hold nothing the walk tracks. Anything this does
    /// not know is taken to go through.
    fn may_go_through(&self, k: usize) -> bool {
        if k > 0 && self.is_punct(k - 1, b'.') {
            return false;
        }
        let n = k + 1;
        if self.is_punct(n, b'.') {
            return self.called_member(n + 1);
        }
        if self.is_punct(n, b'?') && self.glued(n) && self.is_punct(n + 1, b'.') {
            return self.called_member(n + 2);
        }
        // A call of the name itself (`x(..)`, a tagged template `` x`..` ``) has no receiver.
        if self.is_punct(n, b'(') || self.t.get(n).is_some_and(|t| t.kind == Kind::Value) {
            return false;
        }
        // The whole value of a declarator (`= x`, `= await x`, `= x!`): an alias.
        let mut before = k.checked_sub(1);
        if let Some(b) = before.filter(|&b| self.is_word(b, "await")) {
            before = b.checked_sub(1);
        }
        if before.is_some_and(|b| self.plain_eq(b)) {
            return true;
        }
        // `x!`: what follows decides, as after `x`.
        let mut n = n;
        while self.is_punct(n, b'!') && !(self.glued(n) && self.is_punct(n + 1, b'=')) {
            n += 1;
        }
        if n > k + 1 && !self.ends_a_use(n) {
            return true;
        }
        // `x as T`: a receiver or a value only in parentheses or as a declarator's value
        // (`(x as T).m()`, `const y = x as T`; the latter is caught above).
        if self.is_ident(n) && matches!(self.s(n), "as" | "satisfies") {
            return before.is_none_or(|b| self.is_punct(b, b'('));
        }
        !self.ends_a_use(n)
    }

    /// Whether the member named at `m` (after `x.`) may be called or go on (`<` may open
    /// type arguments: `x.m<T>()`).
    fn called_member(&self, m: usize) -> bool {
        !self.is_ident(m) || self.is_punct(m + 1, b'<') || !self.ends_a_use(m + 1)
    }

    /// Whether the token at `n` ends what comes before it as a value nothing calls: the end,
    /// a separator, a closing bracket, a binary or ternary operator, or a closing parenthesis
    /// after which nothing goes on (no member, call, template or assertion).
    fn ends_a_use(&self, n: usize) -> bool {
        let Some(t) = self.t.get(n) else {
            return true;
        };
        match t.kind {
            Kind::Punct(b';' | b',' | b'}' | b']' | b':' | b'=' | b'+' | b'-' | b'*' | b'/') => {
                true
            }
            Kind::Punct(b'%' | b'&' | b'|' | b'^' | b'>' | b'<') => true,
            Kind::Punct(b'?') => !(self.glued(n) && self.is_punct(n + 1, b'.')),
            Kind::Punct(b'!') => self.glued(n) && self.is_punct(n + 1, b'='),
            Kind::Punct(b')') => {
                let after = n + 1;
                match self.t.get(after) {
                    None => true,
                    Some(a) => match a.kind {
                        Kind::Punct(b'.' | b'(' | b'!' | b'[' | b'<' | b')') => false,
                        Kind::Punct(b'?') => !(self.glued(after) && self.is_punct(after + 1, b'.')),
                        Kind::Ident => !matches!(self.s(after), "as" | "satisfies"),
                        Kind::Value => false,
                        _ => true,
                    },
                }
            }
            Kind::Ident => {
                t.newline_before && !matches!(self.s(n), "as" | "satisfies")
                    || matches!(self.s(n), "in" | "instanceof")
            }
            _ => false,
        }
    }

    fn read(&mut self, name: Spanned<String>, guarded: bool) {
        self.facts.accesses.push(EnvAccess { name, guarded });
    }

    fn call(
        &mut self,
        binding: &Spanned<String>,
        m: usize,
        s: usize,
        close: usize,
        target: CallTarget,
    ) {
        self.facts.calls.push(EnvCall {
            binding: binding.clone(),
            method: self.spanned(m),
            target,
            range: TextRange::new(self.t[s].start, self.t[close - 1].end),
        });
    }

    /// Whether the read spanning tokens `s..n` (`n` the token after it) is guarded.
    fn guard(&self, s: usize, n: usize) -> Option<bool> {
        let l = self.climb_bangs(s)?;
        let left = self.left_side(l)?;
        let right = self.right_side(n)?;
        Some(match (left, right) {
            (Side::Condition(a), Side::Condition(b)) => {
                if !self.matches(a, b) {
                    return None;
                }
                true
            }
            (Side::Condition(_), Side::Low) => false,
            (Side::Group, Side::Ternary) => true,
            (Side::Group, Side::Binary(p, a, b)) => self.parent_guards(p, a, b, true)?,
            (Side::Group, _) => return None,
            (Side::Typeof, _) => true,
            (Side::Unary, _) => false,
            (Side::Ternary | Side::Low | Side::Condition(_), Side::Ternary) => true,
            (Side::Ternary | Side::Low, Side::Low | Side::Condition(_)) => false,
            (Side::Ternary | Side::Low | Side::Condition(_), Side::Binary(p, a, b)) => {
                self.parent_guards(p, a, b, true)?
            }
            (Side::Binary(p, a, b), Side::Low | Side::Ternary | Side::Condition(_)) => {
                self.parent_guards(p, a, b, false)?
            }
            (Side::Binary(pl, la, lb), Side::Binary(pr, ra, rb)) => {
                let lop = self.op_text(la, lb);
                let rop = self.op_text(ra, rb);
                if (lop == "??") != (rop == "??") && (pl <= 4 || pr <= 4) {
                    // `??` next to `||`/`&&` is a syntax error the parser recovers from.
                    return None;
                }
                if pl > pr || (pl == pr && lop != "**") {
                    self.parent_guards(pl, la, lb, false)?
                } else {
                    self.parent_guards(pr, ra, rb, true)?
                }
            }
            (_, Side::Typeof | Side::Unary | Side::Group) => return None,
        })
    }

    /// The first token of the operand that `!`s before token `s` make (`!` is transparent to
    /// a guard).
    fn climb_bangs(&self, s: usize) -> Option<usize> {
        let mut l = s;
        while l > 0 && self.is_punct(l - 1, b'!') && !self.glued_eq(l - 1) {
            if l >= 2 && self.ends_operand(l - 2) {
                return None;
            }
            l -= 1;
        }
        Some(l)
    }

    /// Whether the `(` at `a` and the `)` at `b` pair up.
    fn matches(&self, a: usize, b: usize) -> bool {
        self.after_group(a) == Some(b + 1)
    }

    fn glued_eq(&self, i: usize) -> bool {
        self.glued(i) && self.is_punct(i + 1, b'=')
    }

    fn op_text(&self, a: usize, b: usize) -> String {
        (a..b).map(|k| self.s(k)).collect()
    }

    /// The guard given by the binary operator spanning tokens `a..b`, the read being its left
    /// operand when `read_is_left`.
    fn parent_guards(&self, _p: u8, a: usize, b: usize, read_is_left: bool) -> Option<bool> {
        let op = self.op_text(a, b);
        Some(match op.as_str() {
            "&&" => true,
            "||" | "??" => read_is_left,
            "==" | "!=" | "===" | "!==" => {
                if read_is_left {
                    self.nullish_right(b)?
                } else {
                    self.nullish_left(a)?
                }
            }
            _ => false,
        })
    }

    /// Whether the operand starting at token `i` (right of an equality) is exactly
    /// `undefined` or `null`.
    fn nullish_right(&self, i: usize) -> Option<bool> {
        if !(self.is_word(i, "undefined") || self.is_word(i, "null")) {
            return Some(false);
        }
        match self.right_side(i + 1) {
            Some(Side::Low | Side::Ternary | Side::Condition(_)) => Some(true),
            Some(Side::Binary(p, ..)) => Some(p <= EQUALITY),
            _ => {
                if self.is_punct(i + 1, b'.')
                    || self.is_punct(i + 1, b'(')
                    || self.is_punct(i + 1, b'[')
                {
                    Some(false)
                } else {
                    None
                }
            }
        }
    }

    /// Whether the operand ending just before the operator at token `a` (left of an
    /// equality) is exactly `undefined` or `null`.
    fn nullish_left(&self, a: usize) -> Option<bool> {
        let u = a.checked_sub(1)?;
        if !(self.is_word(u, "undefined") || self.is_word(u, "null")) {
            return Some(false);
        }
        if u > 0 && self.is_punct(u - 1, b'.') {
            return Some(false);
        }
        match self.left_side(u)? {
            Side::Low | Side::Ternary | Side::Condition(_) | Side::Group => Some(true),
            Side::Binary(p, ..) => Some(p < EQUALITY),
            Side::Typeof | Side::Unary => Some(false),
        }
    }

    /// What sits before the token at `l` (the first token of an operand).
    fn left_side(&self, l: usize) -> Option<Side> {
        let Some(p) = l.checked_sub(1) else {
            return Some(Side::Low);
        };
        let t = &self.t[p];
        Some(match t.kind {
            Kind::Punct(b'(') => {
                let before = p.checked_sub(1);
                let control = before.is_some_and(|b| {
                    (self.is_word(b, "if") || self.is_word(b, "while"))
                        && !(b > 0 && self.is_punct(b - 1, b'.'))
                });
                if control {
                    Side::Condition(p)
                } else if before.is_some_and(|b| self.ends_operand(b)) {
                    // Call arguments.
                    Side::Low
                } else if before.is_some_and(|b| {
                    self.is_ident(b)
                        && matches!(self.s(b), "for" | "switch" | "catch" | "function" | "with")
                }) {
                    // A `for` or `switch` head, parameters: left to the parser.
                    return None;
                } else {
                    Side::Group
                }
            }
            Kind::Punct(b'[') => {
                // `{ [env.X]: .. }`: a computed key, of an object or of an object type.
                if p > 0 && matches!(self.t[p - 1].kind, Kind::Punct(b'{' | b',' | b';')) {
                    return None;
                }
                Side::Low
            }
            Kind::Punct(b'{' | b'}' | b';' | b',' | b':') => Side::Low,
            Kind::Punct(b')') if t.closes_control_head => Side::Low,
            Kind::Punct(b')' | b']') => return None,
            Kind::Punct(b'?') => {
                // `a ? env.X`, not `a ?? env.X` (an operator) nor `a?.env`.
                if p > 0 && self.glued(p - 1) && self.is_punct(p - 1, b'?') {
                    self.binary_before(p)?
                } else {
                    Side::Low
                }
            }
            Kind::Punct(_) => self.binary_before(p)?,
            Kind::Value if self.s(p).ends_with("${") => Side::Low,
            Kind::Value | Kind::Str => return None,
            Kind::Ident => match self.s(p) {
                "typeof" => {
                    // `typeof env.X` in a type annotation is no read: only where an
                    // expression must stand.
                    let q = p.checked_sub(1)?;
                    let expression = self.is_punct(q, b'!')
                        || self.is_punct(q, b'{')
                        || self.is_punct(q, b';')
                        || self.is_word(q, "return")
                        || (self.is_punct(q, b'(') && q > 0 && self.ends_operand(q - 1))
                        || (self.is_punct(q, b'(')
                            && q > 0
                            && (self.is_word(q - 1, "if") || self.is_word(q - 1, "while")))
                        || matches!(self.op_backward(q).0.as_str(), "&&" | "||" | "??")
                        || (self.op_backward(q).0 == "="
                            && q >= 2
                            && self.is_ident(q - 1)
                            && matches!(self.s(q - 2), "const" | "let" | "var"));
                    if !expression {
                        return None;
                    }
                    Side::Typeof
                }
                "await" | "void" | "delete" => Side::Unary,
                "in" | "instanceof" => Side::Binary(9, p, p + 1),
                "return" | "throw" | "case" | "else" | "do" | "yield" => Side::Low,
                _ => return None,
            },
        })
    }

    /// The operator ending at token `p`, as the left side of an operand.
    fn binary_before(&self, p: usize) -> Option<Side> {
        let (op, start) = self.op_backward(p);
        if op == "=>" {
            return Some(Side::Low);
        }
        if op.ends_with('=') && !matches!(op.as_str(), "==" | "===" | "!=" | "!==" | "<=" | ">=") {
            // `=`, `+=`, `??=`, ...: an initializer or assigned value.
            return Some(Side::Low);
        }
        let unary_position = start == 0 || !self.ends_operand(start - 1);
        if unary_position {
            return match op.as_str() {
                "-" | "+" | "~" => Some(Side::Unary),
                _ => None,
            };
        }
        let prec = precedence(&op)?;
        Some(Side::Binary(prec, start, p + 1))
    }

    /// What follows an operand ending just before token `n`.
    fn right_side(&self, n: usize) -> Option<Side> {
        let Some(t) = self.t.get(n) else {
            return Some(Side::Low);
        };
        Some(match t.kind {
            Kind::Punct(b')') => {
                if t.closes_control_head {
                    Side::Condition(n)
                } else {
                    Side::Low
                }
            }
            Kind::Punct(b']' | b'}' | b';' | b',' | b':') => Side::Low,
            Kind::Value if self.s(n).starts_with('}') => Side::Low,
            Kind::Punct(b'?') => {
                if self.glued(n) && self.is_punct(n + 1, b'.') {
                    return None;
                }
                if self.glued(n) && self.is_punct(n + 1, b'?') {
                    let (op, end) = self.op_forward(n);
                    if op != "??" {
                        return None;
                    }
                    Side::Binary(2, n, end)
                } else {
                    Side::Ternary
                }
            }
            Kind::Punct(_) => {
                let (op, end) = self.op_forward(n);
                let p = precedence(&op)?;
                Side::Binary(p, n, end)
            }
            Kind::Ident => match self.s(n) {
                "in" | "instanceof" => Side::Binary(9, n, n + 1),
                "as" | "satisfies" => return None,
                _ if t.newline_before => Side::Low,
                _ => return None,
            },
            Kind::Value | Kind::Str => {
                if t.newline_before && !self.s(n).starts_with('`') {
                    Side::Low
                } else {
                    return None;
                }
            }
        })
    }
}
