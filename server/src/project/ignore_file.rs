//! The patterns of one ignore file (`.gitignore`, `.ignore`, `.git/info/exclude`), matched
//! as the `ignore` crate matches them.
//!
//! The `ignore` crate compiles every file's globs into regular expressions: on a repository of
//! templates (dozens of `.gitignore` files) that compile is a third of a warm `check`. Nearly
//! every line of a real ignore file is a name, a path or a simple wildcard (`node_modules/`,
//! `/dist`, `*.log`, `.env*`, `**/build`), so this matches those itself, component by
//! component, and leaves a file to the `ignore` crate as soon as one of its lines holds
//! anything else (a character class, braces, an escape, a non-ASCII character, a `**` that is
//! not a whole component). The two agree on every file this matches itself: the tests compare
//! them on hand-written and generated files.

use ignore::gitignore::{Gitignore, GitignoreBuilder};
#[cfg(not(unix))]
use std::path::Component;
use std::path::Path;

/// What an ignore file says of a path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Ignore,
    /// A `!` pattern re-includes it.
    Whitelist,
    None,
}

/// The compiled patterns of one ignore file.
#[derive(Debug)]
pub struct IgnoreFile(Kind);

#[derive(Debug)]
enum Kind {
    Simple(Simple),
    Full(Gitignore),
}

/// One pattern line of the simple kind.
#[derive(Debug)]
struct Glob {
    parts: Vec<Part>,
    whitelist: bool,
    only_dir: bool,
}

/// One component of a pattern.
#[derive(Debug, PartialEq, Eq)]
enum Part {
    /// `**`: any number of components, none included.
    AnyDirs,
    /// A component without wildcards.
    Literal(Box<[u8]>),
    /// A component with wildcards.
    Wild(Box<[Piece]>),
}

/// One element of a component pattern.
#[derive(Debug, PartialEq, Eq)]
enum Piece {
    Byte(u8),
    /// `?`: one byte (not `/`).
    One,
    /// `*`: any bytes (not `/`).
    Star,
    /// `[0-9a-f_]`: one byte in one of these inclusive ranges.
    Class(Box<[(u8, u8)]>),
}

/// The globs of a file of the simple kind, indexed so that a path is tested against a few of
/// them, not all: a real `.gitignore` is mostly names (`**/node_modules`) and anchored paths
/// (`/dist`), each found by one look-up.
#[derive(Debug, Default)]
struct Simple {
    globs: Vec<Glob>,
    /// The globs `**/NAME`, by name (ascending indices).
    by_name: foldhash::HashMap<Box<[u8]>, Vec<u32>>,
    /// The globs of literal components from the folder down (`dist`, `a/b`), by that path.
    by_path: foldhash::HashMap<Box<[u8]>, Vec<u32>>,
    /// Every other glob, ascending, with the literal bytes before its first wildcard and
    /// after its last when it is `**/PATTERN`: what a name must start and end with.
    others: Vec<(u32, Option<Affixes>)>,
}

/// The literal start and end of a component pattern.
type Affixes = (Box<[u8]>, Box<[u8]>);

impl Simple {
    fn new(globs: Vec<Glob>) -> Simple {
        let mut s = Simple::default();
        for (i, g) in globs.iter().enumerate() {
            let i = i as u32;
            fn literal(p: &Part) -> Option<&[u8]> {
                match p {
                    Part::Literal(l) => Some(l),
                    _ => None,
                }
            }
            match &g.parts[..] {
                [Part::AnyDirs, Part::Literal(name)] => {
                    s.by_name.entry(name.clone()).or_default().push(i);
                }
                parts => match parts.iter().map(literal).collect::<Option<Vec<_>>>() {
                    Some(comps) => s
                        .by_path
                        .entry(comps.join(&b'/').into())
                        .or_default()
                        .push(i),
                    None => s.others.push((
                        i,
                        match &g.parts[..] {
                            [Part::AnyDirs, Part::Wild(w)] => Some(affixes(w)),
                            _ => None,
                        },
                    )),
                },
            }
        }
        s.globs = globs;
        s
    }

    /// The verdict of the last glob that matches the path of text `text`.
    fn matched(&self, text: &[u8], is_dir: bool) -> Verdict {
        let applies = |i: u32| is_dir || !self.globs[i as usize].only_dir;
        let last_of = |list: Option<&Vec<u32>>| {
            list.and_then(|l| l.iter().rev().copied().find(|&i| applies(i)))
        };
        let name = text.rsplit(|&c| c == b'/').next().unwrap_or(text);
        let mut best = last_of(self.by_name.get(name)).max(last_of(self.by_path.get(text)));
        let mut comps: Option<Vec<&[u8]>> = None;
        for (i, fixed) in self.others.iter().rev() {
            let i = *i;
            if best.is_some_and(|b| b > i) {
                break;
            }
            if !applies(i) {
                continue;
            }
            let fits = match &self.globs[i as usize].parts[..] {
                [Part::AnyDirs, Part::Wild(w)] => {
                    fixed.as_ref().is_none_or(|(pre, post)| {
                        name.len() >= pre.len() + post.len()
                            && name.starts_with(pre)
                            && name.ends_with(post)
                    }) && wild_match(w, name)
                }
                parts => {
                    let comps = comps.get_or_insert_with(|| text.split(|&c| c == b'/').collect());
                    parts_match(parts, comps)
                }
            };
            if fits {
                best = Some(i);
                break;
            }
        }
        match best.map(|i| self.globs[i as usize].whitelist) {
            Some(true) => Verdict::Whitelist,
            Some(false) => Verdict::Ignore,
            None => Verdict::None,
        }
    }
}

/// The literal bytes a component pattern starts with and ends with (before its first
/// wildcard or class, after its last).
fn affixes(w: &[Piece]) -> Affixes {
    let byte = |p: &Piece| match p {
        Piece::Byte(b) => Some(*b),
        _ => None,
    };
    let pre: Vec<u8> = w.iter().map_while(byte).collect();
    if pre.len() == w.len() {
        // No wildcard at all: the whole pattern is both.
        return (pre.into(), Box::new([]));
    }
    let mut post: Vec<u8> = w.iter().rev().map_while(byte).collect();
    post.reverse();
    (pre.into(), post.into())
}

/// A path's text as the `ignore` crate matches it: a leading `./` dropped, `/` between
/// components, a root an empty first component.
fn path_text(rel: &Path) -> std::borrow::Cow<'_, [u8]> {
    #[cfg(unix)]
    {
        let b = rel.as_os_str().as_encoded_bytes();
        std::borrow::Cow::Borrowed(b.strip_prefix(b"./").unwrap_or(b))
    }
    #[cfg(not(unix))]
    {
        let comps: Vec<&[u8]> = rel
            .components()
            .filter(|c| *c != Component::CurDir)
            .map(|c| match c {
                Component::RootDir => &b""[..],
                c => c.as_os_str().as_encoded_bytes(),
            })
            .collect();
        std::borrow::Cow::Owned(comps.join(&b'/'))
    }
}

impl IgnoreFile {
    pub fn empty() -> IgnoreFile {
        IgnoreFile(Kind::Simple(Simple::default()))
    }

    /// The patterns of an ignore file's text. A line the `ignore` crate cannot read is
    /// dropped, as git drops it.
    pub fn parse(text: &str) -> IgnoreFile {
        match text.lines().map(simple_line).collect::<Option<Vec<_>>>() {
            Some(globs) => IgnoreFile(Kind::Simple(Simple::new(
                globs.into_iter().flatten().collect(),
            ))),
            None => IgnoreFile(Kind::Full(full(text))),
        }
    }

    pub fn is_empty(&self) -> bool {
        match &self.0 {
            Kind::Simple(s) => s.globs.is_empty(),
            Kind::Full(g) => g.is_empty(),
        }
    }

    /// What the file says of `rel`, a path relative to its folder: the last pattern that
    /// matches it decides (a folder-only pattern only matches when `is_dir`).
    pub fn matched(&self, rel: &Path, is_dir: bool) -> Verdict {
        match &self.0 {
            Kind::Full(g) => match g.matched(rel, is_dir) {
                ignore::Match::Ignore(_) => Verdict::Ignore,
                ignore::Match::Whitelist(_) => Verdict::Whitelist,
                ignore::Match::None => Verdict::None,
            },
            Kind::Simple(s) if s.globs.is_empty() => Verdict::None,
            Kind::Simple(s) => s.matched(&path_text(rel), is_dir),
        }
    }
}

/// The `ignore` crate's matcher of a file, rooted at no folder (given relative paths).
fn full(text: &str) -> Gitignore {
    let mut builder = GitignoreBuilder::new(".");
    for line in text.lines() {
        // A bad glob drops that line, as git does.
        let _ = builder.add_line(None, line);
    }
    builder.build().unwrap_or_else(|_| Gitignore::empty())
}

/// The glob of one line, read as the `ignore` crate reads it (`Some(None)` for a blank line
/// or a comment), or `None` when the line is not of the simple kind.
fn simple_line(line: &str) -> Option<Option<Glob>> {
    if line.starts_with('#') {
        return Some(None);
    }
    // Only printable ASCII, and escapes of a wildcard, a bracket or a brace (`\*.lcov` in
    // create-cloudflare's templates); every other escape (`\!`, `\#`, `\ `, an escaped `/`)
    // is the `ignore` crate's.
    let b = line.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        let escaped = i > 0 && b[i - 1] == b'\\' && !(i > 1 && b[i - 2] == b'\\');
        if !matches!(c, b' '..=b'~' | b'\t')
            || (c == b'\\'
                && !matches!(b.get(i + 1), Some(b'*' | b'?' | b'[' | b']' | b'{' | b'}')))
            || (c == b'\\' && escaped)
        {
            return None;
        }
    }
    let mut line = line.trim_end();
    if line.is_empty() {
        return Some(None);
    }
    let whitelist = line.starts_with('!');
    if whitelist {
        line = &line[1..];
    }
    let absolute = line.starts_with('/');
    if absolute {
        line = &line[1..];
    }
    let only_dir = line.ends_with('/');
    if only_dir {
        line = &line[..line.len() - 1];
    }
    let mut actual = line.to_string();
    // Without a `/`, a pattern matches at any depth (unless it is `**` already).
    let anywhere = !(absolute || line.contains('/') || actual == "**");
    if anywhere {
        actual.insert_str(0, "**/");
    }
    if actual.ends_with("/**") {
        actual.push_str("/*");
    }
    let mut parts = Vec::new();
    for comp in actual.split('/') {
        let b = comp.as_bytes();
        if b.is_empty() {
            return None;
        }
        if b == b"**" {
            // Consecutive `**` are one.
            if parts.last() != Some(&Part::AnyDirs) {
                parts.push(Part::AnyDirs);
            }
        } else if b.windows(2).any(|w| w == b"**") {
            return None;
        } else if b
            .iter()
            .any(|c| matches!(c, b'*' | b'?' | b'[' | b']' | b'{' | b'}' | b'\\'))
        {
            parts.push(Part::Wild(pieces(b)?.into()));
        } else {
            parts.push(Part::Literal(b.into()));
        }
    }
    Some(Some(Glob {
        parts,
        whitelist,
        only_dir,
    }))
}

/// The pieces of a component pattern, or `None` when it holds braces or a class other than
/// ranges and single bytes of letters, digits, `.` and `_` (a negated class, a `-` or `]` of
/// its own, an unclosed or reversed one: the `ignore` crate's reading of those is the
/// reference). An escaped byte is itself.
fn pieces(b: &[u8]) -> Option<Vec<Piece>> {
    let plain = |c: u8| c.is_ascii_alphanumeric() || c == b'.' || c == b'_';
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        out.push(match b[i] {
            b'*' => Piece::Star,
            b'?' => Piece::One,
            b']' | b'{' | b'}' => return None,
            b'\\' => {
                i += 1;
                Piece::Byte(*b.get(i)?)
            }
            b'[' => {
                let mut ranges = Vec::new();
                i += 1;
                loop {
                    match b.get(i..)? {
                        [b']', ..] if !ranges.is_empty() => break,
                        [lo, b'-', hi, ..] if plain(*lo) && plain(*hi) && lo <= hi => {
                            ranges.push((*lo, *hi));
                            i += 3;
                        }
                        [c, ..] if plain(*c) && b.get(i + 1) != Some(&b'-') => {
                            ranges.push((*c, *c));
                            i += 1;
                        }
                        _ => return None,
                    }
                }
                Piece::Class(ranges.into())
            }
            c => Piece::Byte(c),
        });
        i += 1;
    }
    Some(out)
}

/// Whether the pattern's components match the path's, `**` taking any number of them.
fn parts_match(parts: &[Part], comps: &[&[u8]]) -> bool {
    match parts.split_first() {
        None => comps.is_empty(),
        // The usual `**/name`: only the last components can match what follows.
        Some((Part::AnyDirs, rest)) if !rest.contains(&Part::AnyDirs) => comps
            .len()
            .checked_sub(rest.len())
            .is_some_and(|k| parts_match(rest, &comps[k..])),
        Some((Part::AnyDirs, rest)) => (0..=comps.len()).any(|k| parts_match(rest, &comps[k..])),
        Some((part, rest)) => {
            let Some((first, others)) = comps.split_first() else {
                return false;
            };
            let fits = match part {
                Part::Literal(l) => **l == **first,
                Part::Wild(w) => wild_match(w, first),
                Part::AnyDirs => unreachable!(),
            };
            fits && parts_match(rest, others)
        }
    }
}

/// Whether a component pattern matches a component (neither holds `/`): `*` backtracks to
/// the last one seen, which is enough for patterns without `**`.
fn wild_match(p: &[Piece], t: &[u8]) -> bool {
    let (mut pi, mut ti) = (0, 0);
    // The last `*` seen, and where in `t` it started matching.
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        let fits = match p.get(pi) {
            Some(Piece::Star) => {
                star = Some((pi, ti));
                pi += 1;
                continue;
            }
            Some(Piece::One) => true,
            Some(Piece::Byte(c)) => *c == t[ti],
            Some(Piece::Class(ranges)) => ranges.iter().any(|&(lo, hi)| (lo..=hi).contains(&t[ti])),
            None => false,
        };
        if fits {
            pi += 1;
            ti += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == Piece::Star)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What the `ignore` crate says, the reference.
    fn reference(text: &str, rel: &str, is_dir: bool) -> Verdict {
        IgnoreFile(Kind::Full(full(text))).matched(Path::new(rel), is_dir)
    }

    fn is_simple(text: &str) -> bool {
        matches!(IgnoreFile::parse(text).0, Kind::Simple(_))
    }

    /// Every path of `paths`, as a file and as a folder, gets the reference's verdict.
    fn agrees(text: &str, paths: &[&str]) {
        let file = IgnoreFile::parse(text);
        for rel in paths {
            for is_dir in [false, true] {
                assert_eq!(
                    file.matched(Path::new(rel), is_dir),
                    reference(text, rel, is_dir),
                    "{text:?} on {rel:?} (folder: {is_dir})"
                );
            }
        }
    }

    const PATHS: &[&str] = &[
        "a",
        "b",
        "ab",
        "a.log",
        "x/a.log",
        "a/b",
        "a/b/c",
        "x/a",
        "x/a/b",
        "x/y/a",
        "dist",
        "dist/x.js",
        "src/dist",
        "src/dist/x",
        "build",
        "app/build/out",
        ".env",
        ".env.local",
        "x/.env.prod",
        "node_modules",
        "pkg/node_modules/m/i.js",
        "report.1.2.3.4.json",
        "report.1.2.3.json",
        "Debug",
        "debug",
        "a/c/b",
        "a/x/y/b",
        "doc/a",
        "a/doc",
        "aa/b",
        "./a",
        "./x/a.log",
        "/a",
        "/x/a",
        "../a",
        "a/../b",
        "foo.txt",
        "x/foo.txt",
        "foo",
        "a b",
        "a\tb",
        "é",
        "x/é.log",
        ".vitepress/dist",
        "docs/.vitepress/cache/x",
    ];

    #[test]
    fn the_usual_lines_are_matched_as_the_ignore_crate_matches_them() {
        let lines = [
            "a",
            "/a",
            "a/",
            "/a/",
            "a/b",
            "/a/b",
            "a/b/",
            "*.log",
            "/*.log",
            "x/*.log",
            "*",
            "*/",
            "/*",
            "?",
            "a?",
            "?b",
            "a*b",
            "*a*",
            "**",
            "**/",
            "**/a",
            "**/a/b",
            "a/**",
            "a/**/b",
            "/a/**",
            "**/a/**",
            "a/**/**/b",
            "**/**/a",
            "a/*/b",
            "*/a",
            "dist",
            "/dist",
            "build/",
            "node_modules/",
            ".env",
            ".env*",
            ".env.*",
            "!.env",
            "!a",
            "!/a",
            "!a/",
            "!*.log",
            "report.[0-9]*.[0-9]*.[0-9]*.[0-9]*.json",
            "[Dd]ebug",
            "[Dd]ebug/",
            "[a-c]",
            "x/[ab]",
            "**/.vitepress/dist",
            "\\*.log",
            "\\*",
            "a\\*",
            "*\\?",
            "\\[a\\]",
            "\\{a\\}",
            "x/\\*.log",
            "**/.vitepress/cache",
            "a b",
            "a\tb",
            "a ",
            "a\t",
            "# a",
            "#a",
            "",
            "  ",
            " a",
            "a,b",
            "foo.txt",
            "*.txt",
            "f*o*o*",
            "*.[jt]s",
        ];
        for line in lines {
            agrees(line, PATHS);
        }
        // Whole files: the last pattern that matches decides.
        for text in [
            "*.log\n!a.log\n",
            "a\n!a\na\n",
            "dist/\n!dist/\n",
            "*\n!*/\n!*.log\n",
            "# comment\n\nnode_modules\n/dist\n.env*\n!.env.example\n",
            "a/\n!a/b\n",
            "**/a\n!x/**\n",
        ] {
            agrees(text, PATHS);
        }
    }

    /// What this reads itself and what it leaves to the `ignore` crate.
    #[test]
    fn only_lines_with_classes_braces_escapes_or_odd_stars_go_to_the_ignore_crate() {
        for simple in [
            "node_modules/\n/dist\n*.log\n.env*\n!.env.example\n**/build\n",
            "report.[0-9]*.[0-9]*.[0-9]*.[0-9]*.json\n[Dd]ebug/\n",
            "\\*.pid.lock\n\\*.tgz\na\\?\n\\[x\\]\n\\{a\\}\n",
            "# [{\\ a comment\n",
        ] {
            assert!(is_simple(simple), "{simple:?}");
        }
        for full in [
            "[!a]", "[^a]", "[a-]", "[]a]", "[a", "a]", "[z-a]", "{a,b}", "\\!a", "a\\ ", "\\#a",
            "\\a", "a\\", "\\\\*", "\\/", "a\\/", "a**", "**a", "a/**b", "***", "é", "/", "!",
            "a//b", "a/", "x/[a/b]",
        ] {
            // `a/` is simple alone; with the others beside it the file is not.
            let text = format!("{full}\n{}", if full == "a/" { "[!x]" } else { "" });
            assert!(!is_simple(&text), "{text:?}");
            agrees(&text, PATHS);
        }
    }

    /// Every `.gitignore` below `WORKERS_LSP_IGNORE_CORPUS` (a checkout of real repositories)
    /// against every path below its folder: `cargo test --release -p workers-lsp --lib --
    /// --ignored ignore_files_of_a_corpus`.
    #[test]
    #[ignore = "needs WORKERS_LSP_IGNORE_CORPUS"]
    fn ignore_files_of_a_corpus_are_matched_as_the_ignore_crate_matches_them() {
        let root = std::path::PathBuf::from(std::env::var_os("WORKERS_LSP_IGNORE_CORPUS").unwrap());
        let mut all = Vec::new();
        let mut stack = vec![root];
        while let Some(dir) = stack.pop() {
            for e in std::fs::read_dir(&dir).unwrap().flatten() {
                let t = e.file_type().unwrap();
                if t.is_dir() && e.file_name() != ".git" {
                    stack.push(e.path());
                }
                all.push((e.path(), t.is_dir()));
            }
        }
        let (mut files, mut simple, mut checked) = (0, 0, 0);
        for (p, _) in all.iter().filter(|(p, _)| p.ends_with(".gitignore")) {
            let Ok(text) = std::fs::read_to_string(p) else {
                continue;
            };
            let (dir, file) = (p.parent().unwrap(), IgnoreFile::parse(&text));
            files += 1;
            simple += usize::from(matches!(file.0, Kind::Simple(_)));
            for (q, is_dir) in all.iter().filter(|(q, _)| q.starts_with(dir) && q != dir) {
                let rel = q.strip_prefix(dir).unwrap();
                let want = IgnoreFile(Kind::Full(full(&text))).matched(rel, *is_dir);
                assert_eq!(file.matched(rel, *is_dir), want, "{p:?} on {rel:?}");
                checked += 1;
            }
        }
        eprintln!("{files} ignore files ({simple} simple), {checked} paths matched alike");
    }

    fn line() -> impl Strategy<Value = String> {
        let piece = prop::sample::select(vec![
            "a", "b", "x", ".", "*", "?", "/", "**", "[ab]", "[a-c]", "!", "[!a]", " ", "\\",
        ]);
        prop::collection::vec(piece, 1..6).prop_map(|p| p.concat())
    }

    fn rel() -> impl Strategy<Value = String> {
        let comp = prop::sample::select(vec!["a", "b", "x", "ab", "ba", ".a", "a.b", "axb"]);
        prop::collection::vec(comp, 1..5).prop_map(|c| c.join("/"))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// Any file of such lines gets the `ignore` crate's verdict on any path, simple or
        /// not.
        #[test]
        fn any_file_is_matched_as_the_ignore_crate_matches_it(
            lines in prop::collection::vec(line(), 1..4),
            paths in prop::collection::vec(rel(), 1..8),
        ) {
            let text = lines.join("\n");
            let file = IgnoreFile::parse(&text);
            for rel in &paths {
                for is_dir in [false, true] {
                    prop_assert_eq!(
                        file.matched(Path::new(rel), is_dir),
                        reference(&text, rel, is_dir),
                        "{:?} on {:?} (folder: {})", text, rel, is_dir
                    );
                }
            }
        }
    }
}
