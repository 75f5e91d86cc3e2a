//! `check`'s run records: replayed on an unchanged disk, never on a changed one.

use super::*;
use crate::fixture::fixture;
use std::time::{Duration, SystemTime};

const FAMILY: &str = r#"
//- /api/wrangler.toml
name = "api"
main = "src/index.ts"
//- /api/src/index.ts
import { WorkerEntrypoint } from "cloudflare:workers";
export class Api extends WorkerEntrypoint { ping() { return 1; } }
export default { fetch() { return new Response("ok"); } };
//- /web/wrangler.toml
name = "web"
main = "src/index.ts"
services = [{ binding = "API", service = "api", entrypoint = "Apii" }]
//- /web/src/index.ts
import { helper } from "./lib/helper";
export default { fetch(r: Request, env: Env) { helper(); return env.API.fetch(r); } };
//- /web/src/lib/helper.ts
export function helper() { return 1; }
"#;

/// A clock a minute ahead: every file of a fixture written just now has settled by it.
fn later() -> SystemTime {
    SystemTime::now() + Duration::from_secs(60)
}

struct Runner {
    root: PathBuf,
    cache: tempfile::TempDir,
}

impl Runner {
    fn new(root: &Path) -> Runner {
        Runner {
            root: root.to_path_buf(),
            cache: tempfile::tempdir().unwrap(),
        }
    }

    fn options(&self, format: Format) -> CheckOptions {
        CheckOptions {
            paths: vec![self.root.clone()],
            format,
            color: ColorChoice::Never,
            cache_dir: Some(self.cache.path().to_path_buf()),
            ..CheckOptions::default()
        }
    }

    /// A run with the clock `clock`: its exit code, report and whether it was replayed.
    fn run_at(&self, opts: &CheckOptions, clock: fn() -> SystemTime) -> (i32, String, Replay) {
        let mut out = Vec::new();
        let (code, replay) = run_command_seeing(opts, &mut out, Seen::with_clock(clock)).unwrap();
        (code, String::from_utf8(out).unwrap(), replay)
    }

    fn run(&self) -> (i32, String, Replay) {
        self.run_at(&self.options(Format::Json), later)
    }

    /// The same check without any cache: what the report must be.
    fn fresh(&self) -> (i32, String) {
        let opts = CheckOptions {
            no_cache: true,
            ..self.options(Format::Json)
        };
        let (code, report, replay) = self.run_at(&opts, later);
        assert_eq!(replay, Replay::Checked);
        (code, report)
    }

    fn records(&self) -> Vec<PathBuf> {
        match std::fs::read_dir(self.cache.path().join("runs-v1")) {
            Ok(list) => list
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|x| x == "run"))
                .collect(),
            Err(_) => Vec::new(),
        }
    }

    /// Checks, then checks again: the first run checks and gives the uncached report, the
    /// second replays it.
    fn checks_then_replays(&self, what: &str) {
        let (code, report, replay) = self.run();
        assert_eq!(replay, Replay::Checked, "{what}: the first run must check");
        assert_eq!((code, report.clone()), self.fresh(), "{what}");
        let (again_code, again, replay) = self.run();
        assert_eq!(
            replay,
            Replay::Replayed,
            "{what}: an unchanged disk replays"
        );
        assert_eq!((again_code, again), (code, report), "{what}");
    }
}

/// A change a file system stamps with the current time: after a pause longer than a coarse
/// timestamp tick, so that it cannot share its times with the write before it.
fn change(f: impl FnOnce()) {
    std::thread::sleep(Duration::from_millis(20));
    f();
}

#[test]
fn an_unchanged_disk_replays_the_last_report_and_exit_code() {
    let f = fixture(FAMILY);
    let r = Runner::new(f.root());
    let (code, report) = r.fresh();
    assert_eq!(code, EXIT_FINDINGS);
    assert!(report.contains("Apii"), "{report}");
    assert!(r.records().is_empty(), "--no-cache records nothing");
    r.checks_then_replays("unchanged");
    assert_eq!(r.records().len(), 1);
}

#[test]
fn every_change_the_run_could_see_checks_again() {
    let f = fixture(FAMILY);
    let r = Runner::new(f.root());
    r.checks_then_replays("first");
    // A module's content, same length: its times tell.
    change(|| {
        let p = f.path("web/src/lib/helper.ts");
        let text = std::fs::read_to_string(&p).unwrap();
        std::fs::write(&p, text.replace("return 1", "return 2")).unwrap();
    });
    r.checks_then_replays("an edited module");
    // A config's content: the finding goes away.
    change(|| {
        let p = f.path("web/wrangler.toml");
        let text = std::fs::read_to_string(&p).unwrap();
        std::fs::write(&p, text.replace("Apii", "Api")).unwrap();
    });
    assert!(!r.fresh().1.contains("Apii"));
    r.checks_then_replays("an edited config");
    // A new file in a folder the walk listed: a new worker with a finding.
    change(|| {
        std::fs::write(
            f.path("web/wrangler.staging.toml"),
            "name = \"web-staging\"\nmain = \"src/index.ts\"\nservices = [{ binding = \"API\", service = \"api\", entrypoint = \"Nope\" }]\n",
        )
        .unwrap();
    });
    assert!(r.fresh().1.contains("Nope"));
    r.checks_then_replays("a new config");
    // A new folder deep in a listed one, holding a worker.
    change(|| {
        std::fs::create_dir_all(f.path("web/src/lib/more")).unwrap();
    });
    r.checks_then_replays("a new folder");
    // A removed module: the import no longer resolves.
    change(|| std::fs::remove_file(f.path("web/src/lib/helper.ts")).unwrap());
    r.checks_then_replays("a removed module");
    // A file that an import looks for (`./lib/helper` as `.js`) but that the run did not
    // find: its folder's times tell.
    change(|| {
        std::fs::write(
            f.path("web/src/lib/helper.js"),
            "export const helper = 1;\n",
        )
        .unwrap()
    });
    r.checks_then_replays("a module where none was");
    // The settings file appears.
    change(|| {
        std::fs::write(
            f.path("workers-lsp.toml"),
            "[rules]\nunknown-entrypoint = \"off\"\n",
        )
        .unwrap()
    });
    assert!(!r.fresh().1.contains("Nope"), "{}", r.fresh().1);
    r.checks_then_replays("new settings");
}

#[cfg(unix)]
#[test]
fn a_symlink_that_leads_elsewhere_checks_again() {
    let f = fixture(
        r#"
//- /w/wrangler.toml
name = "w"
main = "src/index.ts"
services = [{ binding = "SELF", service = "w", entrypoint = "Ent" }]
//- /w/src/index.ts
export * from "./impl/ent";
export default { fetch(r: Request, env: Env) { return env.SELF.fetch(r); } };
//- /w/src/one/ent.ts
import { WorkerEntrypoint } from "cloudflare:workers";
export class Ent extends WorkerEntrypoint {}
//- /w/src/two/ent.ts
import { WorkerEntrypoint } from "cloudflare:workers";
export class Other extends WorkerEntrypoint {}
"#,
    );
    std::os::unix::fs::symlink("one", f.path("w/src/impl")).unwrap();
    let r = Runner::new(f.root());
    r.checks_then_replays("through `one`");
    let before = r.fresh().1;
    change(|| {
        std::fs::remove_file(f.path("w/src/impl")).unwrap();
        std::os::unix::fs::symlink("two", f.path("w/src/impl")).unwrap();
    });
    assert_ne!(r.fresh().1, before, "the target matters to the report");
    r.checks_then_replays("through `two`");
}

#[test]
fn a_run_whose_files_had_not_settled_is_not_recorded() {
    let f = fixture(FAMILY);
    let r = Runner::new(f.root());
    let opts = r.options(Format::Json);
    // The real clock: the fixture was written a moment ago.
    let (_, first, replay) = r.run_at(&opts, SystemTime::now);
    assert_eq!(replay, Replay::Checked);
    assert!(r.records().is_empty());
    let (_, second, replay) = r.run_at(&opts, SystemTime::now);
    assert_eq!(replay, Replay::Checked);
    assert_eq!(first, second);
}

#[test]
fn options_key_the_record() {
    let f = fixture(FAMILY);
    let r = Runner::new(f.root());
    r.checks_then_replays("json");
    let human = r.options(Format::Human);
    let (_, text, replay) = r.run_at(&human, later);
    assert_eq!(replay, Replay::Checked, "another format is another report");
    assert!(!text.starts_with('['), "{text}");
    let (_, again, replay) = r.run_at(&human, later);
    assert_eq!((again, replay), (text, Replay::Replayed));
    let ignoring = CheckOptions {
        ignore: vec!["unknown-entrypoint".into()],
        ..r.options(Format::Json)
    };
    let (code, report, replay) = r.run_at(&ignoring, later);
    assert_eq!(replay, Replay::Checked);
    assert!(!report.contains("Apii"), "{report}");
    assert_eq!(code, EXIT_OK);
    assert_eq!(r.records().len(), 3);
}

#[test]
fn a_damaged_or_foreign_record_is_ignored_and_replaced() {
    let f = fixture(FAMILY);
    let r = Runner::new(f.root());
    r.checks_then_replays("first");
    let record = r.records().pop().unwrap();
    let good = std::fs::read(&record).unwrap();
    let damaged: Vec<Vec<u8>> = vec![
        Vec::new(),
        b"WLSPRUN1".to_vec(),
        good[..good.len() - 1].to_vec(),
        {
            // One bit of the report flipped: the checksum no longer matches.
            let mut d = good.clone();
            d[good.len() / 2] ^= 1;
            d
        },
    ];
    for bytes in damaged {
        std::fs::write(&record, &bytes).unwrap();
        r.checks_then_replays("a damaged record");
        assert_eq!(std::fs::read(&record).unwrap(), good, "rewritten whole");
    }
}

#[test]
fn fixes_are_neither_replayed_nor_recorded() {
    let f = fixture(FAMILY);
    let r = Runner::new(f.root());
    let fixing = CheckOptions {
        fix: true,
        ..r.options(Format::Json)
    };
    let (_, _, replay) = r.run_at(&fixing, later);
    assert_eq!(replay, Replay::Checked);
    assert!(r.records().is_empty());
}
