//! Quick fixes located by the syntax tree's spans (issue 13, items 8-10), their
//! applicability (issue 17, item 15), and what they must never do: edit a comment, a
//! neighbouring binding, or the text inside a comment that looks like the syntax.

use super::*;
use crate::analysis::diagnostics::only_fixed;
use crate::analysis::{check, Diagnostic, Index, Workspace};
use crate::fixture::{fixture, Fixture};
use crate::project::DiskFs;
use std::sync::Arc;

const AUTH: &str = "//- /auth/wrangler.toml\nname = \"auth\"\nmain = \"i.ts\"\n[env.staging]\n//- /auth/i.ts\nexport default { fetch() { return new Response(); } };\n";
const API_TS: &str = "//- /api/i.ts\nexport default { fetch(r: Request, env: Env) { env.A; env.B; return env.AUTH.fetch(r); } };\n";

fn load(f: &Fixture) -> (Index, Vec<Diagnostic>) {
    let fs = DiskFs::new(f.root());
    check(Arc::new(Workspace::load(f.root(), &fs)))
}

/// Writes `config` (exact bytes) as `api/<name>`, applies the one fix offered for the one
/// finding `code`, checks that the finding is gone and nothing new appeared, and returns the
/// fixed text and the fix.
fn fix_one(name: &str, config: &str, code: &str) -> (String, Assist) {
    let f = fixture(&format!("{AUTH}{API_TS}//- /api/{name}\n\n"));
    let path = f.path(&format!("api/{name}"));
    std::fs::write(&path, config).unwrap();
    let (ix, before) = load(&f);
    let d = before
        .iter()
        .find(|d| d.code == code)
        .unwrap_or_else(|| panic!("no {code} in {before:?}"));
    let fixes = fixes_for(&ix, d);
    assert_eq!(fixes.len(), 1, "{fixes:?}");
    let fix = fixes.into_iter().next().unwrap();
    let text = ix.ws.text(&path).unwrap();
    let fixed = apply_edits(&text, &fix.edit.edits[&path]);
    std::fs::write(&path, &fixed).unwrap();
    let (_, after) = load(&f);
    assert!(
        only_fixed(&before, &after, &[d], &fix.edit),
        "{}: before {before:?}\nafter {after:?}\n{fixed}",
        fix.title
    );
    (fixed, fix)
}

#[test]
fn deprecated_environment_rewrites_the_real_service_key_not_a_binding_named_service() {
    // Item 8: `rfind("service")` found the binding's value `"service"`.
    let (fixed, fix) = fix_one(
        "wrangler.toml",
        "name = \"api\"\nmain = \"i.ts\"\nservices = [{ service = \"auth\", binding = \"service\", environment = \"staging\" }]\n",
        "deprecated-service-environment",
    );
    assert_eq!(fix.applicability, Applicability::Safe);
    assert_eq!(
        fixed,
        "name = \"api\"\nmain = \"i.ts\"\nservices = [{ service = \"auth-staging\", binding = \"service\" }]\n"
    );
}

#[test]
fn deprecated_environment_keeps_a_comment_that_mentions_service() {
    // Item 8: the comment's `service` sat between the real key and `environment`.
    let (fixed, _) = fix_one(
        "wrangler.toml",
        "name = \"api\"\nmain = \"i.ts\"\n\n[[services]]\nservice = \"auth\"\nbinding = \"AUTH\"\n# the service below is staging's\nenvironment = \"staging\"\n",
        "deprecated-service-environment",
    );
    assert_eq!(
        fixed,
        "name = \"api\"\nmain = \"i.ts\"\n\n[[services]]\nservice = \"auth-staging\"\nbinding = \"AUTH\"\n# the service below is staging's\n"
    );
}

#[test]
fn deprecated_environment_in_jsonc_with_a_comment_naming_service_first() {
    let (fixed, _) = fix_one(
        "wrangler.jsonc",
        "{\n  \"name\": \"api\",\n  \"main\": \"i.ts\",\n  \"services\": [\n    {\n      \"service\": \"auth\",\n      \"binding\": \"AUTH\", // \"service\": \"x\"\n      \"environment\": \"staging\"\n    }\n  ]\n}\n",
        "deprecated-service-environment",
    );
    assert_eq!(
        fixed,
        "{\n  \"name\": \"api\",\n  \"main\": \"i.ts\",\n  \"services\": [\n    {\n      \"service\": \"auth-staging\",\n      \"binding\": \"AUTH\", // \"service\": \"x\"\n    }\n  ]\n}\n"
    );
}

#[test]
fn deprecated_environment_is_not_rewritten_to_a_name_that_does_not_exist() {
    let f = fixture(&format!(
        "{AUTH}{API_TS}//- /api/wrangler.toml\nname = \"api\"\nmain = \"i.ts\"\nservices = [{{ binding = \"AUTH\", service = \"auth\", environment = \"prod\" }}]\n"
    ));
    let (ix, diags) = load(&f);
    let d = diags
        .iter()
        .find(|d| d.code == "deprecated-service-environment")
        .unwrap();
    assert!(fixes_for(&ix, d).is_empty());
}

#[test]
fn an_escaped_entrypoint_key_is_removed_exactly() {
    // Item 9: `rfind("entrypoint")` missed the escaped key and deleted from the previous
    // binding's key.
    let (fixed, fix) = fix_one(
        "wrangler.jsonc",
        "{\n  \"name\": \"api\",\n  \"main\": \"i.ts\",\n  \"services\": [\n    { \"binding\": \"A\", \"service\": \"auth\" },\n    { \"binding\": \"AUTH\", \"service\": \"auth\", \"entr\\u0079point\": \"default\" }\n  ]\n}\n",
        "default-entrypoint-string",
    );
    assert_eq!(fix.applicability, Applicability::Safe);
    assert_eq!(
        fixed,
        "{\n  \"name\": \"api\",\n  \"main\": \"i.ts\",\n  \"services\": [\n    { \"binding\": \"A\", \"service\": \"auth\" },\n    { \"binding\": \"AUTH\", \"service\": \"auth\" }\n  ]\n}\n"
    );
}

#[test]
fn removing_the_first_or_middle_entry_of_an_inline_table() {
    for (before, after) in [
        (
            "{ entrypoint = \"default\", binding = \"AUTH\", service = \"auth\" }",
            "{ binding = \"AUTH\", service = \"auth\" }",
        ),
        (
            "{ binding = \"AUTH\", entrypoint = \"default\", service = \"auth\" }",
            "{ binding = \"AUTH\", service = \"auth\" }",
        ),
        (
            "{ binding = \"AUTH\", service = \"auth\", entrypoint = \"default\" }",
            "{ binding = \"AUTH\", service = \"auth\" }",
        ),
    ] {
        let (fixed, _) = fix_one(
            "wrangler.toml",
            &format!("name = \"api\"\nmain = \"i.ts\"\nservices = [{before}]\n"),
            "default-entrypoint-string",
        );
        assert_eq!(
            fixed,
            format!("name = \"api\"\nmain = \"i.ts\"\nservices = [{after}]\n")
        );
    }
}

#[test]
fn removing_a_line_of_a_services_block_keeps_comments_and_crlf() {
    let (fixed, _) = fix_one(
        "wrangler.toml",
        "name = \"api\"\r\nmain = \"i.ts\"\r\n\r\n[[services]]\r\n# entrypoint = \"Other\"\r\nbinding = \"AUTH\"\r\nentrypoint = \"default\"\r\n# after\r\nservice = \"auth\"\r\n",
        "default-entrypoint-string",
    );
    assert_eq!(
        fixed,
        "name = \"api\"\r\nmain = \"i.ts\"\r\n\r\n[[services]]\r\n# entrypoint = \"Other\"\r\nbinding = \"AUTH\"\r\n# after\r\nservice = \"auth\"\r\n"
    );
}

#[test]
fn a_comment_between_entries_is_never_deleted() {
    let (fixed, _) = fix_one(
        "wrangler.jsonc",
        "{\n  \"name\": \"api\",\n  \"main\": \"i.ts\",\n  \"services\": [{ \"binding\": \"AUTH\", \"service\": \"auth\",\n    /* keep, \"entrypoint\" */ \"entrypoint\": \"default\" }]\n}\n",
        "default-entrypoint-string",
    );
    assert_eq!(
        fixed,
        "{\n  \"name\": \"api\",\n  \"main\": \"i.ts\",\n  \"services\": [{ \"binding\": \"AUTH\", \"service\": \"auth\",\n    /* keep, \"entrypoint\" */  }]\n}\n"
    );
    // A trailing comment on the entry's own line stays too.
    let (fixed, _) = fix_one(
        "wrangler.toml",
        "name = \"api\"\nmain = \"i.ts\"\n[[services]]\nbinding = \"AUTH\"\nservice = \"auth\"\nentrypoint = \"default\" # was TokenService\n",
        "default-entrypoint-string",
    );
    assert_eq!(
        fixed,
        "name = \"api\"\nmain = \"i.ts\"\n[[services]]\nbinding = \"AUTH\"\nservice = \"auth\"\n # was TokenService\n"
    );
}

#[test]
fn a_key_that_shadows_a_duplicate_is_not_removed() {
    // Removing the last of two `entrypoint` keys would bring the first one back.
    let f = fixture(&format!(
        "{AUTH}{API_TS}//- /api/wrangler.jsonc\n{{ \"name\": \"api\", \"main\": \"i.ts\", \"services\": [{{ \"binding\": \"AUTH\", \"service\": \"auth\", \"entrypoint\": \"Nope\", \"entrypoint\": \"default\" }}] }}\n"
    ));
    let (ix, diags) = load(&f);
    let d = diags
        .iter()
        .find(|d| d.code == "default-entrypoint-string")
        .unwrap();
    assert!(fixes_for(&ix, d).is_empty());
}

const ROOM_TS: &str = "//- /api/i.ts\nimport { DurableObject } from \"cloudflare:workers\";\nexport class Room extends DurableObject {}\nexport class Old extends DurableObject {}\nexport default { fetch(r: Request, env: Env) { return env.R; } };\n";

fn add_migration(name: &str, config: &str) -> String {
    let f = fixture(&format!("{ROOM_TS}//- /api/{name}\n\n"));
    let path = f.path(&format!("api/{name}"));
    std::fs::write(&path, config).unwrap();
    let (ix, before) = load(&f);
    let d = before
        .iter()
        .find(|d| d.code == "missing-do-migration")
        .unwrap_or_else(|| panic!("{before:?}"));
    let fixes = fixes_for(&ix, d);
    assert_eq!(fixes.len(), 1, "{fixes:?}");
    assert_eq!(fixes[0].applicability, Applicability::Unsafe);
    let fixed = apply_edits(&ix.ws.text(&path).unwrap(), &fixes[0].edit.edits[&path]);
    std::fs::write(&path, &fixed).unwrap();
    let (_, after) = load(&f);
    assert!(
        only_fixed(&before, &after, &[d], &fixes[0].edit),
        "{after:?}\n{fixed}"
    );
    fixed
}

#[test]
fn a_migration_is_added_to_the_object_not_to_a_leading_comment_holding_a_brace() {
    // Item 10: `text.find('{')` inserted inside the comment.
    let fixed = add_migration(
        "wrangler.jsonc",
        "/* a { comment */\n{\n  \"name\": \"api\",\n  \"main\": \"i.ts\",\n  \"durable_objects\": { \"bindings\": [{ \"name\": \"R\", \"class_name\": \"Room\" }] }\n}\n",
    );
    assert_eq!(
        fixed,
        "/* a { comment */\n{\n  \"migrations\": [{ \"tag\": \"v1\", \"new_sqlite_classes\": [\"Room\"] }],\n  \"name\": \"api\",\n  \"main\": \"i.ts\",\n  \"durable_objects\": { \"bindings\": [{ \"name\": \"R\", \"class_name\": \"Room\" }] }\n}\n"
    );
}

#[test]
fn a_migration_is_appended_to_the_array_not_to_a_comment_holding_a_bracket() {
    // Item 10: `find('[')` after the key found the comment's `[v1]`.
    let fixed = add_migration(
        "wrangler.jsonc",
        "{\n  \"name\": \"api\",\n  \"main\": \"i.ts\",\n  \"durable_objects\": { \"bindings\": [{ \"name\": \"R\", \"class_name\": \"Room\" }] },\n  \"migrations\": /* [v1] */ [\n    { \"tag\": \"v1\", \"new_sqlite_classes\": [\"Old\"] } // ]\n  ]\n}\n",
    );
    assert_eq!(
        fixed,
        "{\n  \"name\": \"api\",\n  \"main\": \"i.ts\",\n  \"durable_objects\": { \"bindings\": [{ \"name\": \"R\", \"class_name\": \"Room\" }] },\n  \"migrations\": /* [v1] */ [\n    { \"tag\": \"v1\", \"new_sqlite_classes\": [\"Old\"] },\n    { \"tag\": \"v2\", \"new_sqlite_classes\": [\"Room\"] } // ]\n  ]\n}\n"
    );
}

#[test]
fn a_migration_is_appended_to_a_toml_inline_array_and_after_toml_blocks() {
    let fixed = add_migration(
        "wrangler.toml",
        "name = \"api\"\nmain = \"i.ts\"\ndurable_objects.bindings = [{ name = \"R\", class_name = \"Room\" }]\nmigrations = [{ tag = \"v1\", new_sqlite_classes = [\"Old\"] }]\n",
    );
    assert_eq!(
        fixed,
        "name = \"api\"\nmain = \"i.ts\"\ndurable_objects.bindings = [{ name = \"R\", class_name = \"Room\" }]\nmigrations = [{ tag = \"v1\", new_sqlite_classes = [\"Old\"] },\n  { tag = \"v2\", new_sqlite_classes = [\"Room\"] }]\n"
    );
    let fixed = add_migration(
        "wrangler.toml",
        "name = \"api\"\r\nmain = \"i.ts\"\r\ndurable_objects.bindings = [{ name = \"R\", class_name = \"Room\" }]\r\n# [[migrations]] in a comment\r\n[[migrations]]\r\ntag = \"v1\"\r\nnew_sqlite_classes = [\"Old\"]",
    );
    assert!(
        fixed.ends_with("new_sqlite_classes = [\"Old\"]\r\n\r\n[[migrations]]\r\ntag = \"v2\"\r\nnew_sqlite_classes = [\"Room\"]\r\n"),
        "{fixed:?}"
    );
}

#[test]
fn a_copied_binding_goes_into_the_environments_object_past_comments_holding_braces() {
    let f = fixture("//- /w/i.ts\nexport default { fetch(r: Request, env: Env) { return env.MODE; } };\n//- /w/wrangler.jsonc\n\n");
    let path = f.path("w/wrangler.jsonc");
    std::fs::write(&path, "{\n  \"name\": \"w\",\n  \"main\": \"i.ts\",\n  \"vars\": { \"MODE\": \"prod\" },\n  \"env\": {\n    \"staging\": /* { */ {\n      \"name\": \"w-st\"\n    }\n  }\n}\n").unwrap();
    let (ix, before) = load(&f);
    let d = before
        .iter()
        .find(|d| d.code == "binding-not-inherited")
        .unwrap();
    let fixes = fixes_for(&ix, d);
    assert_eq!(fixes.len(), 1);
    assert_eq!(fixes[0].applicability, Applicability::Unsafe);
    let fixed = apply_edits(&ix.ws.text(&path).unwrap(), &fixes[0].edit.edits[&path]);
    assert_eq!(fixed, "{\n  \"name\": \"w\",\n  \"main\": \"i.ts\",\n  \"vars\": { \"MODE\": \"prod\" },\n  \"env\": {\n    \"staging\": /* { */ {\n      \"vars\": { \"MODE\": \"prod\" },\n      \"name\": \"w-st\"\n    }\n  }\n}\n");
}

#[test]
fn a_did_you_mean_never_names_the_worker_that_holds_the_binding() {
    // X1: `service` named a worker deployed elsewhere; the fix rewrote it to the worker's
    // own name, and the worker called itself. The rules no longer suggest it; the fix
    // builder refuses it whatever a rule suggests.
    let f = fixture(
        "//- /svc/wrangler.jsonc\n{ \"name\": \"platform-email-service-rpc\", \"main\": \"src/index.ts\", \"compatibility_date\": \"2025-01-01\",\n  // deployed from a generated (gitignored) config elsewhere in the monorepo\n  \"services\": [{ \"binding\": \"EMAIL_PREFERENCES\", \"service\": \"platform-email-preferences-rpc\" }] }\n//- /svc/src/index.ts\nexport default { fetch(r: Request, env: any) { return env.EMAIL_PREFERENCES.fetch(r); } };\n//- /other/wrangler.toml\nname = \"platform-email-preference-rpc\"\nmain = \"i.ts\"\n//- /other/i.ts\nexport default { fetch() { return new Response(); } };\n",
    );
    let (ix, diags) = load(&f);
    let own = "platform-email-service-rpc";
    for d in &diags {
        for a in fixes_for(&ix, d) {
            assert!(
                a.edit.edits.values().flatten().all(|e| e.new_text != own),
                "{a:?}"
            );
        }
    }
    let file = f.path("svc/wrangler.jsonc");
    let text = std::fs::read_to_string(&file).unwrap();
    let at = text.find("platform-email-preferences-rpc").unwrap();
    let finding = |suggestions: &[&str]| Diagnostic {
        code: "unknown-service",
        severity: crate::analysis::Severity::Warning,
        file: file.clone(),
        range: crate::base::TextRange::from_usize(at, at + "platform-email-preferences-rpc".len()),
        message: String::new(),
        related: Vec::new(),
        suggestions: suggestions.iter().map(|s| s.to_string()).collect(),
    };
    let offered = |d: &Diagnostic| -> Vec<(String, Applicability)> {
        fixes_for(&ix, d)
            .into_iter()
            .map(|a| (a.title, a.applicability))
            .collect()
    };
    assert!(offered(&finding(&[own])).is_empty());
    // The own name is dropped; the one candidate left is an unsafe guess.
    assert_eq!(
        offered(&finding(&[own, "platform-email-preference-rpc"])),
        vec![(
            "Replace with `platform-email-preference-rpc`".to_string(),
            Applicability::Unsafe
        )]
    );
    // Two candidates: shown, never applied headless.
    let two = offered(&finding(&["platform-email-preference-rpc", "other"]));
    assert!(
        two.iter().all(|(_, a)| *a == Applicability::DisplayOnly) && two.len() == 2,
        "{two:?}"
    );
}

#[test]
fn a_self_binding_moved_to_its_environment_keeps_calling_itself() {
    // A replacement by the holder's own (staging) name is kept where the reference already
    // names the holder: the binding called itself before and still does.
    let f = fixture("//- /w/wrangler.toml\nname = \"w\"\nmain = \"i.ts\"\n[env.staging]\nservices = [{ binding = \"SELF\", service = \"w\" }, { binding = \"PEER\", service = \"x\" }]\n//- /w/i.ts\nexport default { fetch(r: Request, env: Env) { return env.SELF.fetch(r); } };\n");
    let (ix, _) = load(&f);
    let file = f.path("w/wrangler.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    let finding = |at: usize| Diagnostic {
        code: "environment-drift",
        severity: crate::analysis::Severity::Warning,
        file: file.clone(),
        range: crate::base::TextRange::from_usize(at, at + 1),
        message: String::new(),
        related: Vec::new(),
        suggestions: vec!["w-staging".to_string()],
    };
    let self_at = text.find("service = \"w\"").unwrap() + 11;
    let peer_at = text.find("service = \"x\"").unwrap() + 11;
    let titles = |d: &Diagnostic| -> Vec<String> {
        fixes_for(&ix, d).into_iter().map(|a| a.title).collect()
    };
    assert_eq!(titles(&finding(self_at)), vec!["Replace with `w-staging`"]);
    assert!(titles(&finding(peer_at)).is_empty());
}
