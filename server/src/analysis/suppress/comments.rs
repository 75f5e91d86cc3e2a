//! Where the comments of a file are, by its syntax: a `//` inside a string is not a comment.
//!
//! TOML and JSONC get small lexers that know their strings (TOML's four kinds, JSONC's double-
//! and single-quoted ones with escapes); TS/JS is parsed by tree-sitter, which knows regular
//! expressions, template literals and JSX. Only files that hold the suppression marker are
//! scanned (see `super::apply`), so the parse costs nothing on ordinary files.

use crate::base::TextRange;
use crate::source::SourceLang;
use std::cell::RefCell;

/// The comment syntax of a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    /// `# ...` to the end of the line.
    Toml,
    /// `// ...` and `/* ... */` (JSON and JSONC configs).
    Jsonc,
    /// `// ...` and `/* ... */` in TS/JS, found by the parser.
    Script(SourceLang),
}

/// One comment: its whole range (delimiters included) and the range of its text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Comment {
    pub range: TextRange,
    /// Without `#`, `//`, `/*` and `*/`.
    pub body: TextRange,
}

pub fn comments(text: &str, syntax: Syntax) -> Vec<Comment> {
    match syntax {
        Syntax::Toml => toml_comments(text),
        Syntax::Jsonc => jsonc_comments(text),
        Syntax::Script(lang) => script_comments(text, lang),
    }
}

/// The end of a line comment starting at `from`: before `\n` (and a `\r` before it).
fn line_end(bytes: &[u8], from: usize) -> usize {
    let end = memchr::memchr(b'\n', &bytes[from..]).map_or(bytes.len(), |i| from + i);
    if end > from && bytes[end - 1] == b'\r' {
        end - 1
    } else {
        end
    }
}

fn toml_comments(text: &str) -> Vec<Comment> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'#' => {
                let end = line_end(b, i);
                out.push(Comment {
                    range: TextRange::from_usize(i, end),
                    body: TextRange::from_usize(i + 1, end),
                });
                i = end;
            }
            q @ (b'"' | b'\'') => {
                if b[i..].starts_with(&[q, q, q]) {
                    // Multi-line string: ends at the first run of three or more quotes (up to
                    // two of which may belong to the content); `\` escapes in basic strings.
                    i += 3;
                    while i < b.len() {
                        if q == b'"' && b[i] == b'\\' {
                            i += 2;
                            continue;
                        }
                        if b[i] == q {
                            let run = b[i..].iter().take_while(|&&c| c == q).count();
                            i += run;
                            if run >= 3 {
                                break;
                            }
                            continue;
                        }
                        i += 1;
                    }
                } else {
                    // One-line string: ends at its quote, or (unterminated) at the line end.
                    i += 1;
                    while i < b.len() && b[i] != q && b[i] != b'\n' {
                        if q == b'"' && b[i] == b'\\' {
                            i += 1;
                        }
                        i += 1;
                    }
                    i += 1;
                }
            }
            _ => i += 1,
        }
    }
    out
}

fn jsonc_comments(text: &str) -> Vec<Comment> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                let end = line_end(b, i);
                out.push(Comment {
                    range: TextRange::from_usize(i, end),
                    body: TextRange::from_usize(i + 2, end),
                });
                i = end;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let (end, body_end) = match memchr::memmem::find(&b[i + 2..], b"*/") {
                    Some(k) => (i + 2 + k + 2, i + 2 + k),
                    None => (b.len(), b.len()),
                };
                out.push(Comment {
                    range: TextRange::from_usize(i, end),
                    body: TextRange::from_usize(i + 2, body_end),
                });
                i = end;
            }
            q @ (b'"' | b'\'') => {
                i += 1;
                while i < b.len() && b[i] != q && b[i] != b'\n' {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    out
}

thread_local! {
    static PARSERS: RefCell<[Option<tree_sitter::Parser>; 2]> = const { RefCell::new([None, None]) };
}

fn script_comments(text: &str, lang: SourceLang) -> Vec<Comment> {
    let slot = match lang {
        SourceLang::TypeScript => 0,
        SourceLang::Tsx => 1,
    };
    let tree = PARSERS.with(|parsers| {
        let mut parsers = parsers.borrow_mut();
        let parser = parsers[slot].get_or_insert_with(|| {
            let language: tree_sitter::Language = match lang {
                SourceLang::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
                SourceLang::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
            };
            let mut p = tree_sitter::Parser::new();
            p.set_language(&language).expect("grammar loads");
            p
        });
        parser.parse(text, None)
    });
    let Some(tree) = tree else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut cursor = tree.walk();
    // Depth-first over every node: comments are "extras" and may sit anywhere.
    loop {
        let node = cursor.node();
        if node.kind() == "comment" {
            let (s, e) = (node.start_byte(), node.end_byte());
            let src = &text[s..e];
            let body = if src.starts_with("/*") {
                let inner_end = if src.len() >= 4 && src.ends_with("*/") {
                    e - 2
                } else {
                    e
                };
                TextRange::from_usize(s + 2, inner_end)
            } else if src.starts_with("//") {
                TextRange::from_usize(s + 2, e)
            } else {
                TextRange::from_usize(s, e)
            };
            out.push(Comment {
                range: TextRange::from_usize(s, e),
                body,
            });
        }
        if cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return out;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bodies(text: &str, syntax: Syntax) -> Vec<&str> {
        comments(text, syntax)
            .into_iter()
            .map(|c| &text[c.body.as_usize()])
            .collect()
    }

    #[test]
    fn toml_comments_skip_every_kind_of_string() {
        let text = concat!(
            "a = \"# not\" # one\n",
            "b = 'x # no' #two\r\n",
            "c = \"\"\"\n# inside\n\\\"\"\" # still in\n\"\"\" # three\n",
            "d = '''\n# in literal ''''' # four\n",
            "e = \"esc \\\" # no\" # five\n",
            "# six"
        );
        assert_eq!(
            bodies(text, Syntax::Toml),
            vec![" one", "two", " three", " four", " five", " six"]
        );
    }

    #[test]
    fn jsonc_comments_skip_strings_with_slashes_and_escapes() {
        let text = concat!(
            "{\"url\": \"https://x\", // one\n",
            " 'k': 'a // b', /* two */ \"q\\\"//\": 1\r\n",
            " /** three\n * more */ }\n",
            "/* unterminated"
        );
        assert_eq!(
            bodies(text, Syntax::Jsonc),
            vec![" one", " two ", "* three\n * more ", " unterminated"]
        );
    }

    #[test]
    fn script_comments_come_from_the_parser() {
        let text = concat!(
            "const a = \"// no\"; // one\n",
            "const r = /\\/\\/ no/; /* two */\n",
            "const t = `// no ${a /* three */}`;\n",
            "const j = <div>// no {/* four */}</div>;\n"
        );
        assert_eq!(
            bodies(text, Syntax::Script(SourceLang::Tsx)),
            vec![" one", " two ", " three ", " four "]
        );
        assert_eq!(
            bodies(
                "let x: string = '//'; // five\n",
                Syntax::Script(SourceLang::TypeScript)
            ),
            vec![" five"]
        );
    }
}
