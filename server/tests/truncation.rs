//! Half-typed files: every prefix of every config and source of the bundled families parses
//! and summarises without a panic, and every recorded span lies inside the text on character
//! boundaries.

use std::path::{Path, PathBuf};
use workers_lsp::config::{parse_config, ConfigFormat};
use workers_lsp::source::{summarize, SourceLang};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn in_bounds(text: &str, start: u32, end: u32) -> bool {
    let (s, e) = (start as usize, end as usize);
    s <= e && e <= text.len() && text.is_char_boundary(s) && text.is_char_boundary(e)
}

#[test]
fn every_prefix_of_every_family_file_is_handled() {
    let mut all = Vec::new();
    files(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../test-workspaces/families"),
        &mut all,
    );
    let mut checked = 0;
    for path in all {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let cuts: Vec<usize> = (0..=text.len())
            .filter(|&i| text.is_char_boundary(i))
            .collect();
        if let Some(format) = ConfigFormat::from_path(&path) {
            for &cut in &cuts {
                let t = &text[..cut];
                let c = parse_config(format, t);
                for e in &c.syntax_errors {
                    assert!(
                        e.range.end as usize <= t.len() + 1,
                        "{}: error span out of bounds at cut {cut}",
                        path.display()
                    );
                }
                for s in std::iter::once(&c.top).chain(&c.envs) {
                    for n in s.name.iter().chain(s.main.iter()) {
                        assert!(
                            in_bounds(t, n.range.start, n.range.end),
                            "{}: span out of bounds at cut {cut}",
                            path.display()
                        );
                    }
                }
                checked += 1;
            }
        } else if let Some(lang) = SourceLang::from_path(&path) {
            for &cut in cuts.iter().step_by(3) {
                let t = &text[..cut];
                let s = summarize(t, lang);
                for a in &s.env_accesses {
                    assert!(in_bounds(t, a.name.range.start, a.name.range.end));
                    assert_eq!(
                        &t[a.name.range.as_usize()],
                        a.name.value,
                        "{}",
                        path.display()
                    );
                }
                for c in &s.env_calls {
                    assert!(in_bounds(t, c.method.range.start, c.method.range.end));
                }
                for c in &s.classes {
                    assert!(in_bounds(t, c.name.range.start, c.name.range.end));
                    for m in &c.members {
                        assert!(in_bounds(t, m.name.range.start, m.name.range.end));
                    }
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 1000, "only {checked} prefixes checked");
}
