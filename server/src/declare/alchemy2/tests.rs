//! The Alchemy v2 front-end on multi-file fixtures: the model it reads (names, mains,
//! bindings, hosted classes), and the findings the rules then give (or do not give).

use super::*;
use crate::analysis::{check, Workspace};
use crate::base::{LineIndex, PositionEncoding};
use crate::config::EnvSection;
use crate::declare::FrontEnd;
use crate::fixture::fixture;
use crate::project::{relative, DiskFs};
use std::sync::Arc;

fn read_all(text: &str) -> (crate::fixture::Fixture, Vec<Declared>) {
    let f = fixture(text);
    let fs = DiskFs::new(f.root());
    let mut candidates: Vec<PathBuf> = walk(f.root())
        .into_iter()
        .filter(|p| crate::declare::is_candidate_name(&relative(f.root(), p)))
        .collect();
    candidates.sort();
    let declared = crate::declare::load(&candidates, &fs).declared;
    (f, declared)
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

fn findings(text: &str) -> Vec<String> {
    let f = fixture(text);
    let fs = DiskFs::new(f.root());
    let ws = Arc::new(Workspace::load(f.root(), &fs));
    let (_, diags) = check(ws.clone());
    let mut v: Vec<String> = diags
        .iter()
        .map(|d| {
            let text = ws.text(&d.file).unwrap_or_default();
            let line = LineIndex::new(&text)
                .line_col(&text, d.range.start, PositionEncoding::Utf16)
                .line
                + 1;
            format!("{}:{} {}", relative(f.root(), &d.file), line, d.code)
        })
        .collect();
    v.sort();
    v
}

fn worker<'d>(declared: &'d [Declared], name: &str) -> &'d EnvSection {
    &declared
        .iter()
        .find(|d| d.file.top.name.as_ref().is_some_and(|n| n.value == name))
        .unwrap_or_else(|| {
            panic!(
                "no worker {name}: {:?}",
                declared
                    .iter()
                    .map(|d| d.file.top.name.clone())
                    .collect::<Vec<_>>()
            )
        })
        .file
        .top
}

fn spelt(d: &[Declared], name: &str, r: TextRange) -> String {
    let decl = d
        .iter()
        .find(|x| x.file.top.name.as_ref().is_some_and(|n| n.value == name))
        .unwrap();
    std::fs::read_to_string(&decl.path).unwrap()[r.as_usize()].to_string()
}

fn declared_of<'d>(d: &'d [Declared], name: &str) -> &'d Declared {
    d.iter()
        .find(|x| x.file.top.name.as_ref().is_some_and(|n| n.value == name))
        .unwrap()
}

#[test]
fn reads_tagged_inline_and_async_workers_with_stand_in_names() {
    let (f, declared) = read_all(FAMILY);
    let mut names: Vec<String> = declared
        .iter()
        .map(|d| d.file.top.name.clone().unwrap().value)
        .collect();
    names.sort();
    assert_eq!(
        names,
        vec![
            "Demo-Async-<stage>",
            "Demo-Radish-<stage>",
            "Demo-WorkerB-<stage>",
            "worker-a"
        ]
    );
    assert!(declared.iter().all(|d| d.frontend == FrontEnd::AlchemyV2));
    // A tag's stand-in name is spanned at its id, derived (never rewritten), never checked.
    let b = declared_of(&declared, "Demo-WorkerB-<stage>");
    let name = b.file.top.name.as_ref().unwrap();
    assert!(crate::analysis::index::is_placeholder(&name.value));
    assert_eq!(
        spelt(&declared, "Demo-WorkerB-<stage>", name.range),
        "WorkerB"
    );
    assert!(b.derived.contains(&name.range));
    // G1: props on the tag (`main: import.meta.filename`); the main is the declaring module.
    assert_eq!(b.file.top.main.as_ref().unwrap().value, "src/workerB.ts");
    assert!(b.file.top.bound_by_use);
    // A literal `name` is the deployed name, spelt where it is written (G3: props on make).
    let a = worker(&declared, "worker-a");
    assert!(!declared_of(&declared, "worker-a")
        .derived
        .contains(&a.name.as_ref().unwrap().range));
    assert_eq!(
        spelt(&declared, "worker-a", a.name.as_ref().unwrap().range),
        "worker-a"
    );
    assert_eq!(a.main.as_ref().unwrap().value, "src/workerA.ts");
    // The inline form `Cloudflare.Worker("Radish", props, Effect.gen(...))`.
    let r = worker(&declared, "Demo-Radish-<stage>");
    assert_eq!(r.main.as_ref().unwrap().value, "src/radish.ts");
    // The async form: `main` is a path from the stack's folder; `env` lists the bindings, a
    // spread leaves them open.
    let asy = worker(&declared, "Demo-Async-<stage>");
    assert_eq!(asy.main.as_ref().unwrap().value, "src/async.ts");
    assert!(asy.open_bindings && !asy.bound_by_use);
    assert_eq!(asy.other_bindings["r2_buckets"][0].binding.value, "BUCKET");
    assert_eq!(asy.vars.as_ref().unwrap()[0].value, "MODE");
    let _ = f;
}

#[test]
fn hosts_are_workers_that_provide_list_or_yield_a_namespace() {
    let (_f, declared) = read_all(FAMILY);
    // WorkerB provides CounterLive (and lists Counter in Deps): a local binding, and its main
    // module exports `Counter` (a fact the front-end gives the index).
    let b = declared_of(&declared, "Demo-WorkerB-<stage>");
    let dos = b.file.top.durable_objects.as_ref().unwrap();
    assert_eq!(dos.len(), 1);
    assert_eq!(dos[0].name.value, "Counter");
    assert_eq!(dos[0].class_name.as_ref().unwrap().value, "Counter");
    assert!(dos[0].script_name.is_none());
    let facts: Vec<&crate::declare::ModuleFacts> =
        declared.iter().flat_map(|d| &d.modules).collect();
    let exports_of = |file: &str| -> Vec<String> {
        facts
            .iter()
            .filter(|m| m.path.ends_with(file))
            .flat_map(|m| &m.summary.exports)
            .map(|e| match e {
                crate::source::Export::Local { exported, .. }
                | crate::source::Export::ReExport { exported, .. } => exported.value.clone(),
            })
            .collect()
    };
    assert_eq!(exports_of("src/workerB.ts"), vec!["Counter"]);
    // An inline-implemented DO (post-#690 `Cloudflare.DurableObject`) yielded by Radish: its
    // id `Rooms` is binding, class and export name at once.
    let r = worker(&declared, "Demo-Radish-<stage>");
    let dos = r.durable_objects.as_ref().unwrap();
    assert_eq!(dos[0].name.value, "Rooms");
    assert!(dos[0].script_name.is_none());
    assert_eq!(exports_of("src/radish.ts"), vec!["Rooms"]);
    // The tag's surface: the Shape and the keys the implementation returns.
    let counter = facts
        .iter()
        .filter(|m| m.path.ends_with("src/counter.ts"))
        .flat_map(|m| &m.summary.classes)
        .find(|c| c.name.value == "Counter")
        .unwrap();
    assert!(counter.described);
    let mut members: Vec<&str> = counter
        .members
        .iter()
        .map(|m| m.name.value.as_str())
        .collect();
    members.dedup();
    assert_eq!(members, vec!["increment", "extra"]);
    // WorkerA hosts nothing: no export facts for its module.
    assert!(exports_of("src/workerA.ts").is_empty());
}

#[test]
fn cross_script_links_name_the_host_by_identity() {
    let (_f, declared) = read_all(FAMILY);
    let a = worker(&declared, "worker-a");
    // `Counter.from(WorkerB)`: WorkerB's namespace, its script the host's stand-in name,
    // spanned at the `WorkerB` of the call.
    let dos = a.durable_objects.as_ref().unwrap();
    let from = dos.iter().find(|d| d.name.value == "Counter").unwrap();
    let script = from.script_name.as_ref().unwrap();
    assert_eq!(script.value, "Demo-WorkerB-<stage>");
    assert_eq!(spelt(&declared, "worker-a", script.range), "WorkerB");
    assert_eq!(
        spelt(&declared, "worker-a", from.range),
        "Counter.from(WorkerB)"
    );
    assert!(declared_of(&declared, "worker-a")
        .derived
        .contains(&script.range));
    // `Cloudflare.Workers.bindWorker(WorkerB)`: a service binding named after the target's id.
    let svc = &a.services.as_ref().unwrap()[0];
    assert_eq!(svc.binding.value, "WorkerB");
    assert_eq!(svc.service.as_ref().unwrap().value, "Demo-WorkerB-<stage>");
    // `scriptName: WorkerB.workerName` in an async worker's env, WorkerB imported as the
    // module's default export (its `make(...)` layer).
    let asy = worker(&declared, "Demo-Async-<stage>");
    let counter = &asy.durable_objects.as_ref().unwrap()[0];
    assert_eq!(counter.name.value, "COUNTER");
    assert_eq!(counter.class_name.as_ref().unwrap().value, "Counter");
    assert_eq!(
        counter.script_name.as_ref().unwrap().value,
        "Demo-WorkerB-<stage>"
    );
}

#[test]
fn from_a_script_name_literal_and_from_self() {
    // `.from("<script>")`: the worker of that literal name; a script the workspace does not
    // hold binds nothing the checker could verify (silent).
    let text = FAMILY
        .replace(
            "const counters = yield* Counter.from(WorkerB);",
            "const counters = yield* Counter.from(\"counter-host\");",
        )
        .replace(
            "{ main: import.meta.filename }",
            "{ name: \"counter-host\", main: import.meta.filename }",
        );
    let (_f, declared) = read_all(&text);
    let a = worker(&declared, "worker-a");
    let dos = a.durable_objects.as_ref().unwrap();
    assert_eq!(dos[0].script_name.as_ref().unwrap().value, "counter-host");
    let text = FAMILY.replace(
        "const counters = yield* Counter.from(WorkerB);",
        "const counters = yield* Counter.from(\"legacy-script\");",
    );
    let (_f, declared) = read_all(&text);
    assert!(worker(&declared, "worker-a")
        .durable_objects
        .as_ref()
        .unwrap()
        .is_empty());
    assert_eq!(findings(&text), Vec::<String>::new());
    // `.from(Self)` in the host is the local namespace.
    let text = FAMILY.replace(
        "const rooms = yield* Room;",
        "const rooms = yield* Room.from(Radish);",
    );
    let text = text.replace(
        "export default Cloudflare.Worker(\"Radish\"",
        "export class Radish extends Cloudflare.Worker<Radish, {}, Room>()(\"Radish\") {}\nexport default Radish.make(",
    );
    let (_f, declared) = read_all(&text);
    let r = worker(&declared, "Demo-Radish-<stage>");
    let dos = r.durable_objects.as_ref().unwrap();
    assert_eq!(dos.len(), 1, "{dos:?}");
    assert!(dos[0].script_name.is_none(), "{dos:?}");
}

#[test]
fn only_known_apis_are_read() {
    // Another package's `Worker`, an unknown Cloudflare API, a class a helper makes: nothing.
    let (_f, declared) = read_all(
        r#"
//- /alchemy.run.ts
import * as Alchemy from "alchemy";
import * as Cloudflare from "alchemy/Cloudflare";
import * as Effect from "effect/Effect";
import { Worker } from "other-lib";
import { makeWorker } from "./helpers.ts";
export const A = Worker("A", { main: "./a.ts" });
export const B = Cloudflare.Gadget("B", { main: "./b.ts" });
export class C extends makeWorker<C>()("C") {}
export default Alchemy.Stack("Demo", {}, Effect.gen(function* () { yield* A; }));
"#,
    );
    assert!(declared.is_empty(), "{:?}", declared.len());
}

#[test]
fn named_imports_and_the_older_package_are_read() {
    let (_f, declared) = read_all(
        r#"
//- /alchemy.run.ts
import { Stack } from "alchemy/Stack";
import * as Effect from "effect/Effect";
import { Worker } from "./src/worker.ts";
export default Stack("Uptime", {}, Effect.gen(function* () { yield* Worker; }));
//- /src/worker.ts
import { Worker as W, DurableObject } from "alchemy/Cloudflare/Workers";
import * as Effect from "effect/Effect";
export interface MonitorShape { readonly status: () => Effect.Effect<string> }
export class Monitor extends DurableObject<Monitor, MonitorShape>()("UptimeMonitor") {}
export const MonitorLive = Monitor.make(Effect.gen(function* () { return Effect.gen(function* () { return { status: () => Effect.succeed("ok") }; }); }));
export class Worker extends W<Worker, {}, Monitor>()("@Uptime/Worker") {}
export default Worker.make(Effect.gen(function* () { return { name: "uptime", main: import.meta.filename }; }), Effect.gen(function* () {
  const monitors = yield* Monitor;
  return { fetch: Effect.succeed(new Response("")) };
}).pipe(Effect.provide(MonitorLive)));
"#,
    );
    assert_eq!(declared.len(), 1);
    let w = &declared[0].file.top;
    // Props given as an Effect that returns them: the literal `name` is read.
    assert_eq!(w.name.as_ref().unwrap().value, "uptime");
    assert_eq!(
        w.durable_objects.as_ref().unwrap()[0].name.value,
        "UptimeMonitor"
    );
    // The Shape is an interface: its members are the surface.
    let monitor = declared[0]
        .modules
        .iter()
        .flat_map(|m| &m.summary.classes)
        .find(|c| c.name.value == "Monitor")
        .unwrap();
    assert!(monitor.members.iter().any(|m| m.name.value == "status"));
}

#[test]
fn dynamic_layers_and_unknown_hosts_stay_silent() {
    // A layer chosen at run time may host anything: `Counter.from(WorkerB)` is not reported,
    // nor a stub method the reader cannot see.
    let text = FAMILY
        .replace(
            ".pipe(Effect.provide(CounterLive))",
            ".pipe(Effect.provide(flag ? CounterLive : OtherLive))",
        )
        .replace(", Counter>()(\"WorkerB\"", ">()(\"WorkerB\"");
    let got = findings(&text);
    assert!(
        got.iter().all(|f| !f.contains("unknown-do-class")),
        "{got:?}"
    );
    // The same family, clean, gives nothing at all: no names checked, no migrations asked.
    assert_eq!(findings(FAMILY), Vec::<String>::new());
}

#[test]
fn wrong_host_and_missing_methods_are_reported_on_the_call() {
    let text = FAMILY
        .replace("Counter.from(WorkerB)", "Counter.from(Radish)")
        .replace(
            "import { WorkerB } from \"./workerB.ts\";",
            "import { WorkerB } from \"./workerB.ts\";\nimport Radish from \"./radish.ts\";",
        )
        .replace("yield* b.name()", "yield* b.nme()");
    assert_eq!(
        findings(&text),
        vec![
            "src/workerA.ts:13 unknown-rpc-method",
            "src/workerA.ts:8 unknown-do-class"
        ]
    );
    // A stub method the Shape lacks, through `ns.get(id)`.
    let text = FAMILY.replace(
        "counters.getByName(\"k\").increment()",
        "counters.get(counters.idFromName(\"k\")).decrement()",
    );
    assert_eq!(
        findings(&text),
        vec!["src/workerA.ts:11 unknown-rpc-method"]
    );
    // In an async worker's plain module, on `env.X`.
    let text = FAMILY.replace(
        "env.COUNTER.getByName(\"a\").increment()",
        "env.COUNTER.getByName(\"a\").incr()",
    );
    assert_eq!(findings(&text), vec!["src/async.ts:3 unknown-rpc-method"]);
}

#[test]
fn same_ids_in_two_stacks_are_not_duplicate_names() {
    let stack = |dir: &str| {
        format!(
            "//- /{dir}/alchemy.run.ts\nimport * as Alchemy from \"alchemy\";\nimport * as Cloudflare from \"alchemy/Cloudflare\";\nimport * as Effect from \"effect/Effect\";\nexport const Api = Cloudflare.Worker(\"Api\", {{ main: \"./src/index.ts\" }});\nexport default Alchemy.Stack(\"App\", {{}}, Effect.gen(function* () {{ yield* Api; }}));\n//- /{dir}/src/index.ts\nexport default {{ fetch() {{ return new Response(\"\"); }} }};\n"
        )
    };
    let text = format!("{}{}", stack("one"), stack("two"));
    assert_eq!(findings(&text), Vec::<String>::new());
    // With the same literal name, they are.
    let text = text.replace(
        "{ main: \"./src/index.ts\" }",
        "{ name: \"app-api\", main: \"./src/index.ts\" }",
    );
    let got = findings(&text);
    assert_eq!(
        got.iter()
            .filter(|f| f.ends_with("duplicate-worker-name"))
            .count(),
        2,
        "{got:?}"
    );
}

const FAMILY: &str = r#"
//- /alchemy.run.ts
import * as Alchemy from "alchemy";
import * as Cloudflare from "alchemy/Cloudflare";
import * as Effect from "effect/Effect";
import WorkerA from "./src/workerA.ts";
import WorkerB from "./src/workerB.ts";
import Radish from "./src/radish.ts";
export const Bucket = Cloudflare.R2.Bucket("Bucket");
export const Async = Cloudflare.Worker("Async", {
  main: "./src/async.ts",
  env: {
    COUNTER: Cloudflare.DurableObject("Counter", { scriptName: WorkerB.workerName }),
    BUCKET: Bucket,
    MODE: "prod",
    ...extra,
  },
});
export default Alchemy.Stack("Demo", { providers: Cloudflare.providers() }, Effect.gen(function* () {
  yield* WorkerA;
  yield* WorkerB;
  yield* Radish;
  yield* Async;
}));
//- /src/async.ts
export default {
  async fetch(r: Request, env: Env) {
    await env.COUNTER.getByName("a").increment();
    return new Response(String(await env.BUCKET.get("k")));
  },
};
//- /src/counter.ts
import * as Effect from "effect/Effect";
import * as Cloudflare from "alchemy/Cloudflare";
export class Counter extends Cloudflare.DurableObjectNamespace<Counter, { increment: () => Effect.Effect<number> }>()("Counter") {}
export const CounterLive = Counter.make(Effect.gen(function* () {
  return Effect.gen(function* () { return { increment: () => Effect.succeed(1), extra: () => Effect.succeed(2) }; });
}));
//- /src/workerB.ts
import * as Effect from "effect/Effect";
import * as Cloudflare from "alchemy/Cloudflare";
import { Counter, CounterLive } from "./counter.ts";
export class WorkerB extends Cloudflare.Worker<WorkerB, { name: () => Effect.Effect<string> }, Counter>()("WorkerB", { main: import.meta.filename }) {}
export default WorkerB.make(Effect.gen(function* () {
  const counters = yield* Counter;
  return { fetch: Effect.succeed(new Response("")), name: () => Effect.succeed("b") };
}).pipe(Effect.provide(CounterLive)));
//- /src/workerA.ts
import * as Effect from "effect/Effect";
import * as Cloudflare from "alchemy/Cloudflare";
import { Counter } from "./counter.ts";
import { WorkerB } from "./workerB.ts";
export class WorkerA extends Cloudflare.Workers.Worker<WorkerA, { name: () => Effect.Effect<string> }>()("WorkerA") {}
export default WorkerA.make({ name: "worker-a", main: import.meta.url }, Effect.gen(function* () {
  const counters = yield* Counter.from(WorkerB);
  const b = yield* Cloudflare.Workers.bindWorker(WorkerB);
  return {
    fetch: Effect.gen(function* () {
      yield* counters.getByName("k").increment();
      yield* b.name();
      return new Response("");
    }),
    name: () => Effect.succeed("a"),
  };
}));
//- /src/radish.ts
import * as Effect from "effect/Effect";
import * as Cloudflare from "alchemy/Cloudflare";
export class Room extends Cloudflare.DurableObject<Room>()("Rooms", Effect.gen(function* () {
  return Effect.gen(function* () { return { join: () => Effect.succeed(1) }; });
})) {}
export default Cloudflare.Worker("Radish", { main: import.meta.url }, Effect.gen(function* () {
  const rooms = yield* Room;
  return { fetch: Effect.succeed(new Response("")) };
}));
"#;

/// Every span of the model of `declared` lies in its declaring file, on character
/// boundaries, and every derived span is one of them or the anchor.
fn spans_are_in_bounds(declared: &[Declared]) {
    for d in declared {
        let text = std::fs::read_to_string(&d.path).unwrap();
        let ok = |r: TextRange| {
            r.start <= r.end
                && (r.end as usize) <= text.len()
                && text.is_char_boundary(r.start as usize)
                && text.is_char_boundary(r.end as usize)
        };
        let top = &d.file.top;
        let mut spans: Vec<TextRange> = vec![d.range, top.range];
        spans.extend(top.name.iter().map(|n| n.range));
        spans.extend(top.main.iter().map(|n| n.range));
        for b in top.durable_objects.iter().flatten() {
            spans.push(b.name.range);
            spans.push(b.range);
            spans.extend(b.class_name.iter().chain(&b.script_name).map(|s| s.range));
        }
        for b in top.services.iter().flatten() {
            spans.push(b.binding.range);
            spans.extend(b.service.iter().map(|s| s.range));
        }
        for b in top.workflows.iter().flatten() {
            spans.push(b.binding.range);
            spans.extend(b.name.iter().chain(&b.class_name).map(|s| s.range));
        }
        for q in top.queue_consumers.iter().flatten() {
            spans.push(q.queue.range);
        }
        for bs in top.other_bindings.values() {
            spans.extend(bs.iter().map(|b| b.binding.range));
        }
        spans.extend(d.derived.iter().copied());
        for r in spans {
            assert!(ok(r), "{}: {r:?} out of {}", d.path.display(), text.len());
        }
    }
}

#[test]
fn spans_stay_in_bounds_on_every_prefix_of_the_family() {
    let (_f, declared) = read_all(FAMILY);
    spans_are_in_bounds(&declared);
    // Half-typed modules (each file cut at many points, multi-byte text added) never panic
    // and never give a span outside their file.
    let files: Vec<&str> = FAMILY
        .split("//- ")
        .filter(|s| !s.trim().is_empty())
        .collect();
    for (i, file) in files.iter().enumerate() {
        let (header, body) = file.split_once('\n').unwrap();
        let body = format!("// é 😀\n{body}");
        let step = (body.len() / 23).max(1);
        for cut in (0..body.len()).step_by(step) {
            let mut at = cut;
            while !body.is_char_boundary(at) {
                at -= 1;
            }
            let mut text = String::new();
            for (j, other) in files.iter().enumerate() {
                if i == j {
                    text.push_str(&format!("//- {header}\n{}\n", &body[..at]));
                } else {
                    text.push_str("//- ");
                    text.push_str(other);
                }
            }
            let (_f, declared) = read_all(&text);
            spans_are_in_bounds(&declared);
        }
    }
}
