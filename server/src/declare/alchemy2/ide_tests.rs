//! IDE features on an Alchemy v2 family: definition, references, completion, hover, rename
//! through `X.from(W)`, `yield* X`, stub calls and `bindWorker(W)`.

use crate::analysis::ide::{
    apply_edits, completions, goto_definition, hover, references, rename, FilePosition, NavTarget,
};
use crate::analysis::{Index, Workspace};
use crate::fixture::{fixture, Fixture};
use crate::project::{relative, DiskFs};
use std::sync::Arc;

struct Setup {
    f: Fixture,
    ix: Index,
    pos: FilePosition,
    text: String,
}

fn setup(text: &str) -> Setup {
    let f = fixture(text);
    let fs = DiskFs::new(f.root());
    let ws = Arc::new(Workspace::load(f.root(), &fs));
    let ix = Index::new(ws);
    let (file, offset) = f.cursor.clone().expect("fixture has a $0 cursor");
    let text = std::fs::read_to_string(&file).unwrap();
    Setup {
        f,
        ix,
        pos: FilePosition { file, offset },
        text,
    }
}

fn nav(s: &Setup, targets: &[NavTarget]) -> Vec<String> {
    let mut v: Vec<String> = targets
        .iter()
        .map(|t| {
            let text = std::fs::read_to_string(&t.file).unwrap();
            format!(
                "{}:{}",
                relative(s.f.root(), &t.file),
                &text[t.focus_range.as_usize()]
            )
        })
        .collect();
    v.sort();
    v
}

/// Two workers: `WorkerB` hosts `Counter` (Deps and the Live layer); `WorkerA` binds it with
/// `Counter.from(WorkerB)` and binds `WorkerB` as a service. `CURSOR_A` marks the caller's
/// body, where each test puts its `$0`.
const FAMILY: &str = r#"
//- /alchemy.run.ts
import * as Alchemy from "alchemy";
import * as Cloudflare from "alchemy/Cloudflare";
import * as Effect from "effect/Effect";
import WorkerA from "./src/workerA.ts";
import WorkerB from "./src/workerB.ts";
export default Alchemy.Stack("Demo", { providers: Cloudflare.providers() }, Effect.gen(function* () {
  yield* WorkerA;
  yield* WorkerB;
}));
//- /src/counter.ts
import * as Effect from "effect/Effect";
import * as Cloudflare from "alchemy/Cloudflare";
export class Counter extends Cloudflare.DurableObjectNamespace<Counter, {
  increment: () => Effect.Effect<number>;
  get: () => Effect.Effect<number>;
}>()("Counter") {}
export const CounterLive = Counter.make(Effect.gen(function* () {
  return Effect.gen(function* () {
    return { increment: () => Effect.succeed(1), get: () => Effect.succeed(0) };
  });
}));
//- /src/workerB.ts
import * as Effect from "effect/Effect";
import * as Cloudflare from "alchemy/Cloudflare";
import { Counter, CounterLive } from "./counter.ts";
export class WorkerB extends Cloudflare.Worker<WorkerB, { greet: (n: string) => Effect.Effect<string> }, Counter>()("WorkerB") {}
export default WorkerB.make({ main: import.meta.url }, Effect.gen(function* () {
  const counters = yield* Counter;
  return {
    fetch: Effect.gen(function* () { return new Response(String(yield* counters.getByName("k").get())); }),
    greet: (n: string) => Effect.succeed(n),
  };
}).pipe(Effect.provide(CounterLive)));
//- /src/workerA.ts
import * as Effect from "effect/Effect";
import * as Cloudflare from "alchemy/Cloudflare";
import { Counter } from "./counter.ts";
import { WorkerB } from "./workerB.ts";
export class WorkerA extends Cloudflare.Worker<WorkerA, {}>()("WorkerA") {}
export default WorkerA.make({ main: import.meta.url }, Effect.gen(function* () {
  CURSOR_A
  return { fetch: Effect.succeed(new Response("")) };
}));
"#;

fn family(body: &str) -> String {
    FAMILY.replace("  CURSOR_A\n", body)
}

fn labels(s: &Setup) -> Vec<String> {
    let mut v: Vec<String> = completions(&s.ix, &s.pos, &s.text)
        .into_iter()
        .map(|c| c.label)
        .collect();
    v.sort();
    v
}

const USES: &str = "  const counters = yield* Counter.from(WorkerB);\n  const b = yield* Cloudflare.bindWorker(WorkerB);\n  yield* counters.getByName(\"x\").increment();\n  yield* b.greet(\"x\");\n";

/// `USES` with the cursor put at the `n`th occurrence of `at` (after its first `skip` bytes).
fn uses_at(at: &str, skip: usize) -> String {
    let i = USES.find(at).unwrap() + skip;
    family(&format!("{}$0{}", &USES[..i], &USES[i..]))
}

#[test]
fn definition_from_a_cross_script_from_goes_to_the_host_and_the_namespace() {
    let s = setup(&uses_at("WorkerB);\n  const b", 3));
    assert_eq!(
        nav(&s, &goto_definition(&s.ix, &s.pos)),
        vec!["src/workerB.ts:WorkerB"]
    );
    let s = setup(&uses_at("Counter.from", 2));
    assert_eq!(
        nav(&s, &goto_definition(&s.ix, &s.pos)),
        vec!["src/counter.ts:Counter"]
    );
    // `yield* Counter` in the host: the tag class.
    let s = setup(&FAMILY.replace("yield* Counter;", "yield* Cou$0nter;"));
    assert_eq!(
        nav(&s, &goto_definition(&s.ix, &s.pos)),
        vec!["src/counter.ts:Counter"]
    );
}

#[test]
fn definition_of_stub_and_service_methods_reaches_the_shape_and_the_implementation() {
    let s = setup(&uses_at("increment()", 3));
    let targets = goto_definition(&s.ix, &s.pos);
    assert_eq!(nav(&s, &targets), vec!["src/counter.ts:increment"; 2]);
    // One is the Shape entry, the other the key of the returned object.
    let text = std::fs::read_to_string(s.f.path("src/counter.ts")).unwrap();
    let lines: Vec<&str> = targets
        .iter()
        .map(|t| {
            text[..t.focus_range.start as usize]
                .lines()
                .last()
                .unwrap_or("")
        })
        .collect();
    assert!(lines.iter().any(|l| l.trim().is_empty()), "{lines:?}");
    assert!(lines.iter().any(|l| l.contains("return {")), "{lines:?}");
    let s = setup(&uses_at("greet(", 2));
    assert_eq!(
        nav(&s, &goto_definition(&s.ix, &s.pos)),
        vec!["src/workerB.ts:greet"; 2]
    );
}

#[test]
fn references_of_a_namespace_span_every_worker() {
    let s = setup(&uses_at("Counter.from", 2));
    let refs = nav(&s, &references(&s.ix, &s.pos, true));
    for file in ["src/counter.ts", "src/workerA.ts", "src/workerB.ts"] {
        assert!(refs.iter().any(|r| r.starts_with(file)), "{file}: {refs:?}");
    }
    assert!(
        refs.contains(&"src/workerA.ts:Counter.from(WorkerB)".to_string()),
        "{refs:?}"
    );
}

#[test]
fn completes_stub_methods_service_methods_and_hosts() {
    let s = setup(&uses_at("increment()", 2));
    let l = labels(&s);
    assert!(
        l.contains(&"increment".into()) && l.contains(&"get".into()),
        "{l:?}"
    );
    assert!(!l.contains(&"greet".into()), "{l:?}");
    let s = setup(&uses_at("greet(", 1));
    let l = labels(&s);
    assert!(
        l.contains(&"greet".into()) && !l.contains(&"increment".into()),
        "{l:?}"
    );
    // Inside `.from(`: the workers hosting Counter (WorkerB), not WorkerA.
    let s = setup(&uses_at("WorkerB);\n  const b", 1));
    assert_eq!(labels(&s), vec!["WorkerB"]);
    // A `.from(` of anything else is not ours.
    let s = setup(&family("  const x = yield* Other.from(W$0);\n"));
    assert!(labels(&s).is_empty());
}

#[test]
fn hover_says_migrations_are_automatic_and_a_new_id_deletes_data() {
    let s = setup(&uses_at("Counter.from", 2));
    let h = hover(&s.ix, &s.pos).expect("hover").markdown;
    assert!(h.contains("Migrations are automatic"), "{h}");
    assert!(h.contains("deletes the namespace"), "{h}");
    assert!(h.contains("- `increment()`"), "{h}");
}

#[test]
fn renaming_a_namespace_class_edits_every_use_and_keeps_its_id() {
    let s = setup(&uses_at("Counter.from", 2));
    let change = rename(&s.ix, &s.pos, "Tally").unwrap();
    let edited = |rel: &str| {
        let p = s.f.path(rel);
        let t = std::fs::read_to_string(&p).unwrap();
        apply_edits(&t, &change.edits[&p])
    };
    let counter = edited("src/counter.ts");
    assert!(counter.contains("export class Tally extends"), "{counter}");
    assert!(counter.contains("<Tally, {"), "{counter}");
    assert!(
        counter.contains("()(\"Counter\")"),
        "the logical id stays: {counter}"
    );
    assert!(counter.contains("Tally.make("), "{counter}");
    let b = edited("src/workerB.ts");
    assert!(
        b.contains("import { Tally, CounterLive }") && b.contains(", Tally>()(\"WorkerB\")"),
        "{b}"
    );
    assert!(b.contains("yield* Tally;"), "{b}");
    let a = s.text.clone();
    let a = apply_edits(&a, &change.edits[&s.pos.file]);
    assert!(
        a.contains("yield* Tally.from(WorkerB)") && a.contains("import { Tally }"),
        "{a}"
    );
}
