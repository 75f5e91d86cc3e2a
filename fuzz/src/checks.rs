//! The invariants every fuzz target and every property test asserts, in one place.
//!
//! Used by the cargo-fuzz targets (`fuzz/fuzz_targets/*.rs`, through the `workers_lsp_fuzz`
//! library) and by the stable-toolchain property tests (`server/tests/props.rs`, which includes
//! this file with `#[path]`). Each function panics with a message naming the broken invariant.

use std::path::Path;
use std::sync::Arc;
use workers_lsp::analysis::{Index, Workspace};
use workers_lsp::base::{LineCol, LineIndex, PositionEncoding, Spanned, TextRange};
use workers_lsp::config::{parse_config, ConfigFile, ConfigFormat, EnvSection, KeyIssueKind};
use workers_lsp::project::DiskFs;
use workers_lsp::source::{
    has_syntax_errors, lexical_scan, summarize, summarize_parsed, DefaultExport, Export,
    FileSummary, SourceLang,
};

/// Panics unless `r` lies inside `text` with both ends on character boundaries.
pub fn assert_in_bounds(text: &str, r: TextRange, what: &str) {
    let (s, e) = (r.start as usize, r.end as usize);
    assert!(
        s <= e && e <= text.len(),
        "{what}: range {r:?} outside a text of {} bytes",
        text.len()
    );
    assert!(
        text.is_char_boundary(s) && text.is_char_boundary(e),
        "{what}: range {r:?} splits a character"
    );
}

/// Every range a parsed config records, with the string value a range spells where it has one.
pub fn config_ranges(c: &ConfigFile) -> Vec<(TextRange, Option<&str>, &'static str)> {
    let mut out: Vec<(TextRange, Option<&str>, &'static str)> = Vec::new();
    for e in &c.syntax_errors {
        out.push((e.range, None, "syntax error"));
    }
    for s in std::iter::once(&c.top).chain(&c.envs) {
        section_ranges(s, &mut out);
        for b in &s.misplaced_bindings {
            out.push((b.range, Some(b.value.as_str()), "misplaced binding"));
        }
    }
    for i in &c.key_issues {
        out.push((i.key.range, Some(i.key.value.as_str()), "key issue"));
        if let KeyIssueKind::Misplaced {
            header: Some(h), ..
        } = &i.kind
        {
            out.push((*h, None, "misplaced key header"));
        }
    }
    out
}

fn section_ranges<'a>(
    s: &'a EnvSection,
    out: &mut Vec<(TextRange, Option<&'a str>, &'static str)>,
) {
    let mut sp = |x: &'a Spanned<String>, what: &'static str| {
        out.push((x.range, Some(x.value.as_str()), what));
    };
    if let Some(n) = &s.env_name {
        sp(n, "env name");
    }
    if let Some(n) = &s.name {
        sp(n, "name");
    }
    if let Some(m) = &s.main {
        sp(m, "main");
    }
    for m in s.migrations.iter().flatten() {
        if let Some(t) = &m.tag {
            sp(t, "migration tag");
        }
        for c in m
            .new_classes
            .iter()
            .chain(&m.new_sqlite_classes)
            .chain(&m.deleted_classes)
        {
            sp(c, "migration class");
        }
        for r in &m.renamed_classes {
            sp(&r.from, "renamed from");
            sp(&r.to, "renamed to");
        }
        for t in &m.transferred_classes {
            sp(&t.from, "transferred from");
            sp(&t.from_script, "transferred from_script");
            sp(&t.to, "transferred to");
        }
    }
    for e in s.exports.iter().flatten() {
        sp(&e.class, "export class");
        for x in [&e.kind, &e.storage, &e.state, &e.renamed_to]
            .into_iter()
            .flatten()
        {
            sp(x, "export field");
        }
    }
    for b in s.services.iter().flatten() {
        sp(&b.binding, "service binding");
        for x in [&b.service, &b.entrypoint, &b.environment]
            .into_iter()
            .flatten()
        {
            sp(x, "service field");
        }
    }
    for b in s.durable_objects.iter().flatten() {
        sp(&b.name, "durable object name");
        for x in [&b.class_name, &b.script_name, &b.environment]
            .into_iter()
            .flatten()
        {
            sp(x, "durable object field");
        }
    }
    for b in s.workflows.iter().flatten() {
        sp(&b.binding, "workflow binding");
        for x in [&b.name, &b.class_name, &b.script_name]
            .into_iter()
            .flatten()
        {
            sp(x, "workflow field");
        }
    }
    for b in s.queue_producers.iter().flatten() {
        sp(&b.binding, "queue producer");
        if let Some(q) = &b.queue {
            sp(q, "producer queue");
        }
    }
    for b in s.queue_consumers.iter().flatten() {
        sp(&b.queue, "consumer queue");
        if let Some(q) = &b.dead_letter_queue {
            sp(q, "dead letter queue");
        }
    }
    for b in s.tail_consumers.iter().flatten() {
        sp(&b.service, "tail consumer");
    }
    for v in s
        .vars
        .iter()
        .flatten()
        .chain(s.secrets_required.iter().flatten())
    {
        sp(v, "var or secret");
    }
    for bs in s.other_bindings.values() {
        for b in bs {
            sp(&b.binding, "other binding");
        }
    }
    // Whole-entry ranges, without a value to compare.
    let mut whole = vec![(s.range, "section")];
    whole.extend(s.migrations_range.map(|r| (r, "migrations key")));
    whole.extend(s.key_ranges.values().map(|r| (*r, "key range")));
    whole.extend(s.entry_ranges.values().map(|r| (*r, "entry range")));
    for m in s.migrations.iter().flatten() {
        whole.push((m.range, "migration"));
    }
    for e in s.exports.iter().flatten() {
        whole.push((e.range, "export entry"));
    }
    whole.extend(
        s.services
            .iter()
            .flatten()
            .map(|b| (b.range, "service entry")),
    );
    whole.extend(
        s.durable_objects
            .iter()
            .flatten()
            .map(|b| (b.range, "do entry")),
    );
    whole.extend(
        s.workflows
            .iter()
            .flatten()
            .map(|b| (b.range, "workflow entry")),
    );
    whole.extend(
        s.queue_producers
            .iter()
            .flatten()
            .map(|b| (b.range, "producer entry")),
    );
    whole.extend(
        s.queue_consumers
            .iter()
            .flatten()
            .map(|b| (b.range, "consumer entry")),
    );
    whole.extend(
        s.tail_consumers
            .iter()
            .flatten()
            .map(|b| (b.range, "tail entry")),
    );
    for bs in s.other_bindings.values() {
        whole.extend(bs.iter().map(|b| (b.range, "other binding entry")));
    }
    out.extend(whole.into_iter().map(|(r, w)| (r, None, w)));
}

/// Whether a config string's span may legitimately differ from its value: escapes, and TOML
/// multi-line strings, whose first line break is not part of the value and whose CRLF line
/// breaks read as LF.
fn config_spelling_may_differ(slice: &str) -> bool {
    slice.contains('\\') || slice.starts_with('\n') || slice.contains("\r\n")
}

/// Parses a config and checks every recorded span: inside the text, on character boundaries,
/// and (for plain strings) spelling exactly the recorded value.
pub fn check_config(format: ConfigFormat, text: &str) -> ConfigFile {
    let c = parse_config(format, text);
    for (r, value, what) in config_ranges(&c) {
        assert_in_bounds(text, r, what);
        if let Some(value) = value {
            let slice = &text[r.as_usize()];
            assert!(
                slice == value || config_spelling_may_differ(slice),
                "{what}: span {r:?} spells {slice:?}, the value is {value:?}"
            );
        }
    }
    c
}

/// Every name-carrying span of a summary, with the name it should spell.
pub fn summary_names(s: &FileSummary) -> Vec<(TextRange, &str, &'static str)> {
    let mut out: Vec<(TextRange, &str, &'static str)> = Vec::new();
    for i in &s.imports {
        out.push((i.from.range, &i.from.value, "import specifier"));
        let spelled = if i.imported == "default" || i.imported == "*" {
            &i.local
        } else {
            &i.imported
        };
        out.push((i.name_range, spelled, "imported name"));
    }
    for e in &s.exports {
        out.push((e.exported().range, &e.exported().value, "export name"));
        if let Export::ReExport { from, .. } = e {
            out.push((from.range, &from.value, "re-export specifier"));
        }
    }
    for f in &s.export_stars {
        out.push((f.range, &f.value, "export * specifier"));
    }
    for c in &s.classes {
        // An anonymous default class is named `default` at its `class` keyword (see
        // `check_summary` for a class spelled `class default {}`).
        let name = if c.name.value == "default" {
            "class"
        } else {
            &c.name.value
        };
        out.push((c.name.range, name, "class name"));
        if let Some(x) = &c.extends {
            out.push((x.range, &x.value, "extends"));
        }
        for m in &c.members {
            out.push((m.name.range, &m.name.value, "member name"));
        }
    }
    match &s.default_export {
        Some(DefaultExport::Object { handlers, .. }) => {
            for h in handlers {
                out.push((h.range, &h.value, "handler name"));
            }
        }
        Some(DefaultExport::ReExport { from, .. }) => {
            out.push((from.range, &from.value, "default re-export specifier"));
        }
        _ => {}
    }
    for a in &s.env_accesses {
        out.push((a.name.range, &a.name.value, "env access"));
    }
    for c in &s.env_calls {
        out.push((c.binding.range, &c.binding.value, "env call binding"));
        out.push((c.method.range, &c.method.value, "env call method"));
    }
    out
}

/// Summarises a module and checks every span: inside the text, on character boundaries, and
/// spelling the recorded name; whole-node ranges inside the text.
pub fn check_summary(text: &str, lang: SourceLang) -> FileSummary {
    let s = summarize(text, lang);
    for (r, name, what) in summary_names(&s) {
        assert_in_bounds(text, r, what);
        let slice = &text[r.as_usize()];
        // tree-sitter accepts `class default {}`: that class keeps its own name span.
        let named_default = what == "class name" && name == "class" && slice == "default";
        if !named_default {
            assert_eq!(slice, name, "{what}: span {r:?} does not spell its name");
        }
    }
    let mut whole: Vec<(TextRange, &str)> = Vec::new();
    for c in &s.classes {
        whole.push((c.range, "class"));
        whole.extend(c.members.iter().map(|m| (m.range, "member")));
    }
    if let Some(d) = &s.default_export {
        whole.push((d.range(), "default export"));
    }
    whole.extend(s.env_calls.iter().map(|c| (c.range, "env call")));
    for (r, what) in whole {
        assert_in_bounds(text, r, what);
    }
    s
}

/// Whether `offset` is a position an editor can name: a character boundary that is not
/// between the `\r` and the `\n` of a CRLF (that point belongs to the line terminator).
pub fn is_position(text: &str, offset: usize) -> bool {
    text.is_char_boundary(offset)
        && !(offset > 0
            && text.as_bytes().get(offset - 1) == Some(&b'\r')
            && text.as_bytes().get(offset) == Some(&b'\n'))
}

/// Checks the line index on one text: every position round-trips through `line_col` and
/// `offset` in both encodings, columns count the right units, `line_col` is monotonic, and
/// arbitrary (also out-of-range) offsets and line/column pairs never panic and land inside the
/// text on a character boundary.
pub fn check_line_index(text: &str, probes: &[(u32, u32)]) {
    let idx = LineIndex::new(text);
    for enc in [PositionEncoding::Utf8, PositionEncoding::Utf16] {
        let mut previous: Option<LineCol> = None;
        for offset in 0..=text.len() {
            if !text.is_char_boundary(offset) {
                continue;
            }
            let lc = idx.line_col(text, offset as u32, enc);
            if let Some(p) = previous {
                assert!(
                    p <= lc,
                    "line_col not monotonic at {offset}: {p:?} > {lc:?}"
                );
            }
            previous = Some(lc);
            if !is_position(text, offset) {
                continue;
            }
            let back = idx.offset(text, lc, enc);
            assert_eq!(
                back as usize, offset,
                "{enc:?}: offset {offset} -> {lc:?} -> {back}"
            );
            // The column counts the units of the line's text before the offset.
            let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
            assert_eq!(lc.line as usize, text[..offset].matches('\n').count());
            let before = &text[line_start..offset];
            let units = match enc {
                PositionEncoding::Utf8 => before.len(),
                PositionEncoding::Utf16 => before.encode_utf16().count(),
            };
            assert_eq!(lc.col as usize, units, "{enc:?}: column at {offset}");
        }
        for &(a, b) in probes {
            let o = idx.offset(text, LineCol { line: a, col: b }, enc) as usize;
            assert!(
                o <= text.len() && text.is_char_boundary(o),
                "offset({a}, {b}) = {o}"
            );
            let lc = idx.line_col(text, a, enc);
            assert!(lc.line < idx.line_count(), "line_col({a}) = {lc:?}");
        }
    }
}

/// Both config formats and both source grammars on one input, for the fuzz targets that take
/// raw bytes.
pub fn check_all(text: &str) {
    check_config(ConfigFormat::Toml, text);
    check_config(ConfigFormat::Jsonc, text);
    check_summary(text, SourceLang::TypeScript);
    check_summary(text, SourceLang::Tsx);
    check_lexical(text, SourceLang::TypeScript);
    check_lexical(text, SourceLang::Tsx);
}

/// Where the lexical scan accepts a module that tree-sitter parses without errors, its summary
/// is the parser's. Returns whether the scan accepted the module.
pub fn check_lexical(text: &str, lang: SourceLang) -> bool {
    let Some(fast) = lexical_scan(text, lang) else {
        return false;
    };
    let parsed = summarize_parsed(text, lang);
    if !parsed.has_syntax_errors {
        assert_eq!(
            fast, parsed,
            "lexical scan differs from the parser on {text:?}"
        );
    }
    true
}

// ---- rename: the edit builder ------------------------------------------------------------

/// Renames what sits at `offset` of `file` (whose text on disk is `text`; the caller writes
/// and restores it) in the workspace at `root` to `new_name`, and checks the edits:
/// in bounds, sorted, not overlapping, on character boundaries; every file that parsed before
/// still parses; everything outside the edited spans is byte-identical; and renaming back
/// restores every file's original bytes (except that a Durable Object class rename records a
/// `renamed_classes` migration both ways). Returns whether a rename happened.
pub fn check_rename(root: &Path, file: &Path, offset: u32, new_name: &str) -> bool {
    use workers_lsp::analysis::ide::{apply_edits, prepare_rename, rename, FilePosition};
    let load = || {
        let fs = DiskFs::new(root);
        Index::new(Arc::new(Workspace::load(root, &fs)))
    };
    let ix = load();
    let pos = FilePosition {
        file: file.to_path_buf(),
        offset,
    };
    let Ok((range, old_name)) = prepare_rename(&ix, &pos) else {
        return false;
    };
    let Ok(change) = rename(&ix, &pos, new_name) else {
        return false;
    };
    let mut originals = Vec::new();
    for (path, edits) in &change.edits {
        let before = ix.ws.text(path).expect("an edited file has a text");
        let what = format!("renaming `{old_name}` to `{new_name}`");
        let after = check_edits(path, &before, edits, &what);
        assert_still_parses(path, &before, &after, &what);
        originals.push((path.clone(), before.to_string(), after));
    }
    let migrates = change
        .edits
        .values()
        .flatten()
        .any(|e| e.new_text.contains("renamed_classes"));
    if migrates || old_name == new_name {
        return true;
    }
    // Back again: the renamed name now starts where the edit of the original range landed.
    let shift: i64 = change
        .edits
        .get(file)
        .map(|edits| {
            edits
                .iter()
                .filter(|e| e.range.end <= range.start)
                .map(|e| e.new_text.len() as i64 - e.range.len() as i64)
                .sum()
        })
        .unwrap_or(0);
    for (path, _, after) in &originals {
        std::fs::write(path, after).expect("write the renamed text");
    }
    let ix2 = load();
    let back_pos = FilePosition {
        file: file.to_path_buf(),
        offset: (range.start as i64 + shift) as u32,
    };
    let back = rename(&ix2, &back_pos, &old_name);
    for (path, before, _) in &originals {
        std::fs::write(path, before).expect("restore the original text");
    }
    let back = back.unwrap_or_else(|e| panic!("renaming `{new_name}` back to `{old_name}`: {e}"));
    for (path, before, after) in &originals {
        let edits = back.edits.get(path).map(Vec::as_slice).unwrap_or(&[]);
        assert_eq!(
            &apply_edits(after, edits),
            before,
            "{}: `{old_name}` -> `{new_name}` -> `{old_name}` does not restore the file",
            path.display()
        );
    }
    true
}

/// Every quick fix offered for every finding in the workspace at `root`: its edits are in
/// bounds, sorted and on character boundaries, change nothing outside their spans, and leave
/// every file that parsed still parsing; each edit lies on the spans the config model or the
/// source summary records for the keys and values it names (never on a comment or on a
/// neighbouring entry), or inserts at a place the model's layout gives; and, applied to an
/// in-memory copy of the workspace, the fix removes its finding and, if it is safe, brings no
/// finding that was not there before. Returns how many fixes were checked.
pub fn check_fixes(root: &Path) -> usize {
    use workers_lsp::analysis::diagnostics::only_fixed;
    use workers_lsp::analysis::ide::{fixes_for, Applicability};
    let disk = DiskFs::new(root);
    let (ix, diagnostics) = workers_lsp::analysis::check(Arc::new(Workspace::load(root, &disk)));
    let mut checked = 0;
    for d in &diagnostics {
        for assist in fixes_for(&ix, d) {
            let mut overlay = std::collections::HashMap::new();
            for (path, edits) in &assist.edit.edits {
                let before = ix.ws.text(path).expect("a fixed file has a text");
                let after = check_edits(path, &before, edits, &assist.title);
                assert_still_parses(path, &before, &after, &assist.title);
                assert_edits_on_spans(&ix, path, &before, edits, &assist.title);
                overlay.insert(path.clone(), Arc::<str>::from(after));
            }
            let fs = workers_lsp::project::OverlayFs {
                disk: &disk,
                overlay: &overlay,
            };
            let (_, after) = workers_lsp::analysis::check(Arc::new(Workspace::load(root, &fs)));
            let key =
                |x: &workers_lsp::analysis::Diagnostic| (x.code, x.file.clone(), x.message.clone());
            let left = after.iter().filter(|a| key(a) == key(d)).count();
            let had = diagnostics.iter().filter(|a| key(a) == key(d)).count();
            assert!(
                left < had,
                "{}: `{}` leaves its finding {d:?}",
                d.code,
                assist.title
            );
            // A safe fix brings nothing new. An unsafe one (a guessed name) may reveal what its
            // finding masked (calls checked against the entrypoint it now names): `--fix`
            // verifies those at run time and leaves them to a person.
            if assist.applicability == Applicability::Safe
                && !only_fixed(&diagnostics, &after, &[d], &assist.edit)
            {
                let old: Vec<_> = diagnostics.iter().map(key).collect();
                let new: Vec<_> = after.iter().map(key).filter(|k| !old.contains(k)).collect();
                if new.iter().all(|n| KNOWN_RULE_GAPS.contains(&(d.code, n.0))) {
                    checked += 1;
                    continue;
                }
                let edited: Vec<String> = overlay.values().map(|t| t.to_string()).collect();
                panic!(
                    "{}: safe fix `{}` (on {d:?}) brings a new finding: {new:#?}\nedited {edited:#?}",
                    d.code, assist.title
                );
            }
            checked += 1;
        }
    }
    checked
}

/// Findings a safe fix may reveal because a rule reads two equal configs differently (the fix
/// is right; the rule is to be fixed, then the entry removed): `no-fetch-handler` skips a
/// binding with `entrypoint = "default"`, which binds the same default export as no
/// `entrypoint`.
const KNOWN_RULE_GAPS: &[(&str, &str)] = &[("default-entrypoint-string", "no-fetch-handler")];

/// Panics unless every edit of `path` lies on a span the model records for a key or a value
/// (a name, a value's contents, an entry's key, value or removal span), or is an insertion at
/// a place the model's layout gives (inside brackets, after a TOML table's last key, at the
/// end of the file).
fn assert_edits_on_spans(
    ix: &Index,
    path: &Path,
    text: &str,
    edits: &[workers_lsp::analysis::ide::TextEdit],
    what: &str,
) {
    use workers_lsp::config::Layout;
    let mut spans: Vec<TextRange> = Vec::new();
    let mut anchors: Vec<u32> = vec![text.len() as u32];
    if let Some(config) = ix.ws.config(path) {
        let c = &config.file;
        spans.extend(
            config_ranges(c)
                .into_iter()
                .filter(|(_, value, _)| value.is_some())
                .map(|(r, _, _)| r),
        );
        for s in std::iter::once(&c.top).chain(&c.envs) {
            for b in s.services.iter().flatten() {
                for (_, e) in &b.entries.0 {
                    spans.extend([e.key, e.value]);
                    spans.extend(e.removal);
                }
            }
            for layout in std::iter::once(s.layout).chain(s.migrations_layout) {
                match layout {
                    Layout::Brackets {
                        open,
                        close,
                        last_end,
                        ..
                    } => anchors.extend([open + 1, close].into_iter().chain(last_end)),
                    Layout::Header { end, .. } => anchors.push(end),
                    _ => {}
                }
            }
        }
    } else if let Some(summary) = ix.ws.sources.get(path).and_then(|s| s.summary()) {
        spans.extend(summary_names(summary).into_iter().map(|(r, _, _)| r));
    }
    for e in edits {
        let on_span = spans
            .iter()
            .any(|s| s.start <= e.range.start && e.range.end <= s.end);
        let at_anchor = e.range.is_empty() && anchors.contains(&e.range.start);
        assert!(
            on_span || at_anchor,
            "{what}: {}: edit {:?} ({:?} -> {:?}) is on no span of a key or value",
            path.display(),
            e.range,
            text.get(e.range.as_usize()),
            e.new_text
        );
    }
}

/// A small family whose configs hold what text-searching edits got wrong (issue 13, items
/// 8-10): a binding named `service`, comments holding keys, braces and brackets, an escaped
/// key, a JSONC file starting with a block comment holding `{`; in TOML inline tables,
/// `[[services]]` blocks, a CRLF file and a BOM file. Every file has a finding with a fix.
pub const FIX_TRAPS: &[(&str, &str)] = &[
    (
        "auth/wrangler.toml",
        "name = \"auth\"\r\nmain = \"i.ts\"\r\n# service = \"old\" { [\r\n[[services]]\r\nservice = \"auth\"\r\nbinding = \"SELF\"\r\n# the service below\r\nenvironment = \"staging\"\r\n\r\n[env.staging]\r\nname = \"auth-staging\"\r\n",
    ),
    (
        "auth/i.ts",
        "export default { fetch(r: Request, env: Env) { return env.SELF.fetch(r); } };\n",
    ),
    (
        "api/wrangler.jsonc",
        "/* a { comment with \"entrypoint\": \"default\" [ */\n{\n  \"name\": \"api\",\n  \"main\": \"i.ts\",\n  \"services\": [\n    { \"binding\": \"A\", \"service\": \"auth\" },\n    { \"binding\": \"AUTH\", \"service\": \"auth\", \"entr\\u0079point\": \"default\" },\n    { \"service\": \"auth\", \"binding\": \"service\", // \"service\": \"x\"\n      \"environment\": \"staging\" }\n  ],\n  \"durable_objects\": { \"bindings\": [{ \"name\": \"R\", \"class_name\": \"Room\" }] }\n}\n",
    ),
    (
        "api/i.ts",
        "import { DurableObject } from \"cloudflare:workers\";\nexport class Room extends DurableObject {}\nexport default { fetch(r: Request, env: Env) { env.A; env.AUTH; env.R; return env.service.fetch(r); } };\n",
    ),
    (
        "cfg/wrangler.jsonc",
        "{\n  \"name\": \"cfg\",\n  \"main\": \"i.ts\",\n  \"vars\": { \"MODE\": \"prod\" }, // \"env\": {\n  \"env\": { \"staging\": /* { */ { \"name\": \"cfg-st\" } }\n}\n",
    ),
    (
        "cfg/i.ts",
        "export default { fetch(r: Request, env: Env) { return new Response(env.MODE); } };\n",
    ),
    (
        "jobs/wrangler.jsonc",
        "\u{FEFF}{\n  \"name\": \"jobs\",\n  \"main\": \"i.ts\",\n  \"durable_objects\": { \"bindings\": [{ \"name\": \"Q\", \"class_name\": \"Queue2\" }] },\n  \"migrations\": /* [v1] */ [\n    { \"tag\": \"v1\", \"new_sqlite_classes\": [\"Old\"] } // ]\n  ]\n}\n",
    ),
    (
        "jobs/i.ts",
        "import { DurableObject } from \"cloudflare:workers\";\nexport class Old extends DurableObject {}\nexport class Queue2 extends DurableObject {}\nexport default { fetch(r: Request, env: Env) { env.Q; return new Response(); } };\n",
    ),
    (
        "mail/wrangler.toml",
        "name = \"mail\"\nmain = \"i.ts\"\nservices = [{ entrypoint = \"default\", binding = \"AUTH\", service = \"auth\" }]\nkv_namespaces = [{ binding = \"KV\", id = \"1\" }] # [env.staging] {\n[env.staging] # {\nname = \"mail-st\" # }\n",
    ),
    (
        "mail/i.ts",
        "export default { fetch(r: Request, env: Env) { env.KV; return env.AUTH.fetch(r); } };\n",
    ),
];

/// Writes [`FIX_TRAPS`] under `root`.
pub fn write_fix_traps(root: &Path) {
    for (rel, text) in FIX_TRAPS {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("create a folder");
        std::fs::write(path, text).expect("write a trap file");
    }
}

/// Checks edits of one file (in bounds, sorted, on character boundaries) and that the result
/// keeps every byte outside them; returns the edited text.
fn check_edits(
    path: &Path,
    before: &str,
    edits: &[workers_lsp::analysis::ide::TextEdit],
    what: &str,
) -> String {
    let mut last = 0usize;
    for e in edits {
        let (s, t) = (e.range.start as usize, e.range.end as usize);
        assert!(
            last <= s && s <= t && t <= before.len(),
            "{what}: {}: edit {:?} out of order or bounds",
            path.display(),
            e.range
        );
        assert!(before.is_char_boundary(s) && before.is_char_boundary(t));
        last = t;
    }
    let after = workers_lsp::analysis::ide::apply_edits(before, edits);
    let (mut old, mut new) = (0usize, 0usize);
    for e in edits {
        let (s, t) = (e.range.start as usize, e.range.end as usize);
        let kept = &before[old..s];
        assert_eq!(
            &after[new..new + kept.len()],
            kept,
            "{what}: bytes outside the edits"
        );
        new += kept.len() + e.new_text.len();
        old = t;
    }
    assert_eq!(
        &after[new..],
        &before[old..],
        "{what}: bytes after the edits"
    );
    after
}

/// Panics if `path` parsed before an edit and does not after it.
fn assert_still_parses(path: &Path, before: &str, after: &str, what: &str) {
    if let Some(format) = ConfigFormat::from_path(path) {
        if parse_config(format, before).syntax_errors.is_empty() {
            assert!(
                parse_config(format, after).syntax_errors.is_empty(),
                "{what}: {} no longer parses:\n{after}",
                path.display()
            );
        }
    } else if let Some(lang) = SourceLang::from_path(path) {
        if !has_syntax_errors(before, lang) {
            assert!(
                !has_syntax_errors(after, lang),
                "{what}: {} no longer parses:\n{after}",
                path.display()
            );
        }
    }
}

// ---- shared by the fuzz targets and the property tests -----------------------------------

/// A fuzz input for the source targets: the first byte picks the grammar (even: TypeScript,
/// odd: TSX), the rest is the module's text if it is UTF-8.
pub fn source_input(data: &[u8]) -> Option<(SourceLang, &str)> {
    let (&first, rest) = data.split_first()?;
    let text = std::str::from_utf8(rest).ok()?;
    let lang = if first & 1 == 0 {
        SourceLang::TypeScript
    } else {
        SourceLang::Tsx
    };
    Some((lang, text))
}

/// New names for renames: valid identifiers and worker names, names that collide with
/// existing ones, astral and non-ASCII names, reserved words (valid worker names, never
/// identifiers), and names that are not valid anywhere.
pub const NEW_NAMES: &[&str] = &[
    "Renamed",
    "renamed-worker",
    "AUTH",
    "CartObject",
    "orders",
    "Ünïcode",
    "𝕏name",
    "with space",
    "",
    "1starts-with-digit",
    "x\"quote",
    "a.b",
    "UPPER_CASE_2",
    "class",
    "await",
    "x½",
];

/// Copies a folder tree (a bundled family) to `to`.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create the copy");
    for e in std::fs::read_dir(from).expect("read the family").flatten() {
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_tree(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).expect("copy a file");
        }
    }
}

/// The configs and TS/JS sources under `dir` with their texts, sorted by path.
pub fn family_sources(dir: &Path) -> Vec<(std::path::PathBuf, String)> {
    fn walk(dir: &Path, out: &mut Vec<(std::path::PathBuf, String)>) {
        for e in std::fs::read_dir(dir).expect("read the family").flatten() {
            let path = e.path();
            if path.is_dir() {
                walk(&path, out);
            } else if ConfigFormat::from_path(&path).is_some()
                || SourceLang::from_path(&path).is_some()
            {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                out.push((path, text));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, &mut out);
    out.sort();
    out
}
