use super::*;
use crate::fixture::fixture;
use crate::project::DiskFs;

fn read_all(text: &str) -> (crate::fixture::Fixture, Vec<Declared>) {
    let f = fixture(text);
    let fs = DiskFs::new(f.root());
    let declared = crate::declare::load(&[f.path("alchemy.run.ts")], &fs).declared;
    (f, declared)
}

fn text_of(f: &crate::fixture::Fixture) -> String {
    std::fs::read_to_string(f.path("alchemy.run.ts")).unwrap()
}

fn by_name<'d>(declared: &'d [Declared], name: &str) -> &'d Declared {
    declared
        .iter()
        .find(|d| d.file.top.name.as_ref().is_some_and(|n| n.value == name))
        .unwrap_or_else(|| panic!("no worker {name}"))
}

fn values<T>(list: &Option<Vec<T>>, f: impl Fn(&T) -> String) -> Vec<String> {
    list.iter().flatten().map(f).collect()
}

fn opt(s: &Option<Spanned<String>>) -> String {
    s.as_ref().map_or("-".to_string(), |s| s.value.clone())
}

const SHOP: &str = r#"
//- /alchemy.run.ts
import alchemy from "alchemy";
import { D1Database, DurableObjectNamespace, KVNamespace, Queue, Self, Worker, WorkerRef, Workflow } from "alchemy/cloudflare";
import { SHARED } from "./names.ts";
const app = await alchemy("shop");
export const orders = await Queue<Order>("orders", { name: "shop-orders" });
const db = await D1Database("db", { name: "shop-db" });
const cartsDo = DurableObjectNamespace("carts", { className: "Cart", sqlite: true });
export const carts = await Worker("carts", {
  name: "shop-carts",
  entrypoint: "./src/carts.ts",
  bindings: { CARTS: cartsDo, DB: db, SELF: Self },
});
export const flows = await Worker("flows", {
  name: SHARED,
  cwd: "apps/flows",
  entrypoint: "src/index.ts",
  bindings: {
    FULFIL: Workflow("fulfil", { workflowName: "shop-fulfil", className: "Fulfil" }),
    CARTS: carts.bindings.CARTS,
    KV: await KVNamespace("kv", {}),
    TOKEN: alchemy.secret(process.env.TOKEN),
    MODE: "prod",
    ...extra,
  },
  eventSources: [{ queue: orders, settings: { batchSize: 10 } }],
});
export const gateway = await Worker("gateway", {
  name: "shop-gateway",
  entrypoint: "./src/gateway.ts",
  bindings: {
    CARTS: new DurableObjectNamespace<Cart>("gw-carts", { className: "Cart", scriptName: "shop-carts" }),
    FLOW: Workflow("gw-fulfil", { workflowName: "shop-fulfil", scriptName: flows.name }),
    ORDERS: orders,
    CARTS_API: carts,
    AUDIT: WorkerRef({ service: "shop-audit" }),
  },
  env: { LEGACY: "1" },
});
await app.finalize();
//- /names.ts
export const SHARED = "shop-flows";
"#;

#[test]
fn reads_every_worker_of_a_program_with_its_bindings() {
    let (f, declared) = read_all(SHOP);
    let text = text_of(&f);
    let at = |r: TextRange| text[r.as_usize()].to_string();
    assert_eq!(declared.len(), 3);
    assert!(declared.iter().all(|d| d.frontend == FrontEnd::AlchemyV1));

    let carts = by_name(&declared, "shop-carts");
    let top = &carts.file.top;
    // The declaration is the `Worker(...)` call; the literal name is spelt (renameable).
    assert!(
        at(carts.range).starts_with("Worker(\"carts\""),
        "{}",
        at(carts.range)
    );
    let name = top.name.as_ref().unwrap();
    assert_eq!(at(name.range), "shop-carts");
    assert!(!carts.derived.contains(&name.range));
    assert_eq!(top.main.as_ref().unwrap().value, "./src/carts.ts");
    assert_eq!(carts.dir, f.root());
    // A Durable Object declared in a const and bound without scriptName: hosted here, its
    // className spelt at the declaration.
    let dob = &top.durable_objects.as_ref().unwrap()[0];
    assert_eq!(dob.name.value, "CARTS");
    assert_eq!(at(dob.class_name.as_ref().unwrap().range), "Cart");
    assert!(!carts
        .derived
        .contains(&dob.class_name.as_ref().unwrap().range));
    assert!(dob.script_name.is_none());
    assert_eq!(top.other_bindings["d1_databases"][0].binding.value, "DB");
    // `Self`: a service binding to this worker's own name, derived at the reference.
    let own = top.services.as_ref().unwrap()[0].service.as_ref().unwrap();
    assert_eq!(
        (own.value.as_str(), at(own.range).as_str()),
        ("shop-carts", "Self")
    );
    assert!(carts.derived.contains(&own.range));
    assert!(!top.open_bindings);

    let flows = by_name(&declared, "shop-flows");
    let top = &flows.file.top;
    // A name from an imported const: known, spanned at the reference.
    let name = top.name.as_ref().unwrap();
    assert_eq!(at(name.range), "SHARED");
    assert!(flows.derived.contains(&name.range));
    // `entrypoint` is relative to `cwd`.
    assert_eq!(flows.dir, f.root().join("apps/flows"));
    assert_eq!(top.main.as_ref().unwrap().value, "src/index.ts");
    let wf = &top.workflows.as_ref().unwrap()[0];
    assert_eq!(
        (opt(&wf.name), opt(&wf.class_name), opt(&wf.script_name)),
        ("shop-fulfil".into(), "Fulfil".into(), "-".into())
    );
    // `carts.bindings.CARTS`: cross-script to the host, derived at the reference.
    let cross = &top.durable_objects.as_ref().unwrap()[0];
    assert_eq!(
        (opt(&cross.class_name), opt(&cross.script_name)),
        ("Cart".into(), "shop-carts".into())
    );
    let script = cross.script_name.as_ref().unwrap();
    assert_eq!(at(script.range), "carts.bindings.CARTS");
    assert!(flows.derived.contains(&script.range));
    assert_eq!(top.other_bindings["kv_namespaces"][0].binding.value, "KV");
    assert_eq!(
        values(&top.secrets_required, |s| s.value.clone()),
        ["TOKEN"]
    );
    assert_eq!(values(&top.vars, |s| s.value.clone()), ["MODE"]);
    // `...extra`: other bindings may exist.
    assert!(top.open_bindings);
    // The consumer names the queue at its reference.
    let consumer = &top.queue_consumers.as_ref().unwrap()[0];
    assert_eq!(consumer.queue.value, "shop-orders");
    assert_eq!(at(consumer.queue.range), "orders");
    assert!(flows.derived.contains(&consumer.queue.range));

    let gateway = by_name(&declared, "shop-gateway");
    let top = &gateway.file.top;
    let dob = &top.durable_objects.as_ref().unwrap()[0];
    assert_eq!(
        (opt(&dob.class_name), opt(&dob.script_name)),
        ("Cart".into(), "shop-carts".into())
    );
    // A literal scriptName is spelt (renames and completion reach it).
    assert!(!gateway
        .derived
        .contains(&dob.script_name.as_ref().unwrap().range));
    let wf = &top.workflows.as_ref().unwrap()[0];
    // className defaults to workflowName (derived: a class rename must not rewrite the
    // workflow's name); `flows.name` is the worker's name by identity.
    assert_eq!(
        (opt(&wf.name), opt(&wf.class_name), opt(&wf.script_name)),
        (
            "shop-fulfil".into(),
            "shop-fulfil".into(),
            "shop-flows".into()
        )
    );
    assert!(gateway
        .derived
        .contains(&wf.class_name.as_ref().unwrap().range));
    assert_eq!(at(wf.script_name.as_ref().unwrap().range), "flows.name");
    let producer = &top.queue_producers.as_ref().unwrap()[0];
    assert_eq!(
        (producer.binding.value.as_str(), opt(&producer.queue)),
        ("ORDERS", "shop-orders".into())
    );
    let services: Vec<(String, String)> = top
        .services
        .iter()
        .flatten()
        .map(|s| (s.binding.value.clone(), opt(&s.service)))
        .collect();
    assert_eq!(
        services,
        [
            ("CARTS_API".to_string(), "shop-carts".to_string()),
            ("AUDIT".into(), "shop-audit".into())
        ]
    );
    // The older `env: { K: "v" }` holds vars.
    assert_eq!(values(&top.vars, |s| s.value.clone()), ["LEGACY"]);
}

#[test]
fn default_names_show_the_unknown_stage() {
    let (f, declared) = read_all(
        r#"
//- /alchemy.run.ts
import alchemy from "alchemy";
import { DurableObjectNamespace, Worker } from "alchemy/cloudflare";
const app = await alchemy("shop");
export const api = await Worker("api", { entrypoint: "./src/api.ts" });
export const web = await Worker("web", {
  name: `${app.name}-web-${app.stage}`,
  entrypoint: "./src/web.ts",
  bindings: {
    API: api,
    DO: DurableObjectNamespace("d", { className: "D", scriptName: api.name }),
    OTHER: DurableObjectNamespace("o", { className: "O", scriptName: `${app.name}-o-${app.stage}` }),
  },
});
export const cron = await Worker("cron", { name: process.env.CI ? "a" : "b", script: "export default {}" });
export const tpl = await Worker("tpl", { name: `${process.env.PREFIX}-tpl` });
"#,
    );
    let text = text_of(&f);
    let at = |r: TextRange| text[r.as_usize()].to_string();
    let names: Vec<String> = declared
        .iter()
        .map(|d| d.file.top.name.as_ref().unwrap().value.clone())
        .collect();
    assert_eq!(
        names,
        [
            "shop-api-<stage>",
            "shop-web-<stage>",
            "<cron>",
            "<process.env.PREFIX>-tpl"
        ]
    );
    // A default name is spanned at the id, derived.
    let api = &declared[0];
    let name = api.file.top.name.as_ref().unwrap();
    assert_eq!(at(name.range), "api");
    assert!(api.derived.contains(&name.range));
    // References by identity carry the same synthetic name.
    let web = &declared[1].file.top;
    assert_eq!(
        opt(&web.services.as_ref().unwrap()[0].service),
        "shop-api-<stage>"
    );
    let dos = web.durable_objects.as_ref().unwrap();
    assert_eq!(opt(&dos[0].script_name), "shop-api-<stage>");
    // A computed scriptName is a host somewhere: never "hosted here".
    assert_eq!(opt(&dos[1].script_name), "shop-o-<stage>");
    // An inline script has no module.
    assert!(declared[2].file.top.main.is_none());

    // A stage spelt in `alchemy(...)` makes default names known.
    let (_, declared) = read_all(
        r#"
//- /alchemy.run.ts
import alchemy from "alchemy";
import { Worker } from "alchemy/cloudflare";
const app = await alchemy("My App", { stage: "prod" });
export const api = await Worker("api", {});
"#,
    );
    // Alchemy's physical names replace what is not `[A-Za-z0-9_-]` by `-`.
    assert_eq!(opt(&declared[0].file.top.name), "My-App-api-prod");
}

#[test]
fn workflows_queues_and_unknown_values() {
    let (_, declared) = read_all(
        r#"
//- /alchemy.run.ts
import alchemy from "alchemy";
import { Queue, Worker, Workflow } from "alchemy/cloudflare";
const app = await alchemy("shop");
const jobs = await Queue("jobs");
const named = await Queue("named", { name: `jobs-${app.stage}` });
export const host = await Worker("host", {
  name: "host",
  entrypoint: "./src/host.ts",
  bindings: {
    BY_ID: Workflow("Notify"),
    BY_CLASS: Workflow("c", { className: "Cleanup" }),
    JOBS: jobs,
    NAMED: named,
    HELPER: makeBinding(),
  },
  eventSources: [jobs, named],
});
export const helperWorker = await Worker("h", makeProps());
"#,
    );
    let host = &declared[0].file.top;
    let wf: Vec<(String, String)> = host
        .workflows
        .iter()
        .flatten()
        .map(|w| (opt(&w.name), opt(&w.class_name)))
        .collect();
    // An unset workflow name is stage-scoped by Alchemy: unknown. The class defaults to the
    // id.
    assert_eq!(
        wf,
        [
            ("-".to_string(), "Notify".to_string()),
            ("-".into(), "Cleanup".into())
        ]
    );
    // A queue without a known name: the producer's queue is unknown, and no consumer.
    let producers: Vec<String> = values(&host.queue_producers, |p| opt(&p.queue));
    assert_eq!(producers, ["-", "-"]);
    assert_eq!(host.queue_consumers.as_ref().unwrap().len(), 0);
    // A helper's result is a binding of an unknown kind (declared, never reported unused).
    assert_eq!(values(&host.vars, |v| v.value.clone()), ["HELPER"]);
    // Props from a helper: nothing known but the name, the binding set open.
    let helper = &declared[1].file.top;
    assert_eq!(opt(&helper.name), "shop-h-<stage>");
    assert!(helper.open_bindings);
    assert!(helper.main.is_none());
}

#[test]
fn callbacks_overloads_and_other_packages() {
    let (f, declared) = read_all(
        r#"
//- /alchemy.run.ts
import alchemy from "alchemy";
import * as cf from "alchemy/cloudflare";
import { Worker as W } from "not-alchemy";
const app = await alchemy("game");
const bucket = cf.R2Bucket("tiles", {});
export const tiles = await bucket.then(async (bucket) => await cf.Worker("tiles", {
  name: "game-tiles",
  entrypoint: "src/tiles.ts",
  bindings: { BUCKET: bucket, URL: "https://x" },
}));
export const api = await cf.Worker("api", {
  name: "game-api",
  entrypoint: "src/api.ts",
  bindings: { TILES: tiles },
});
export default cf.Worker("legacy", import.meta, { async fetch() { return new Response(""); } });
export const other = await W("other", { name: "not-ours" });
"#,
    );
    let names: Vec<String> = declared.iter().map(|d| opt(&d.file.top.name)).collect();
    assert_eq!(names, ["game-tiles", "game-api", "game-legacy-<stage>"]);
    // Inside a callback an identifier may be a parameter: unknown (a binding of unknown kind).
    let tiles = &declared[0].file.top;
    assert_eq!(values(&tiles.vars, |v| v.value.clone()), ["BUCKET", "URL"]);
    // A worker declared through `.then(...)` is still bound by identity.
    let api = &declared[1].file.top;
    assert_eq!(
        opt(&api.services.as_ref().unwrap()[0].service),
        "game-tiles"
    );
    // The old overload: the calling module is the worker, and it binds everything in scope.
    let legacy = &declared[2];
    assert_eq!(opt(&legacy.file.top.main), "alchemy.run.ts");
    assert_eq!(legacy.dir, f.root());
    assert!(legacy.file.top.open_bindings);
}

#[test]
fn a_module_importing_no_alchemy_declares_nothing() {
    let (_, declared) = read_all(
        r#"
//- /alchemy.run.ts
import { Worker } from "./my-worker.ts";
export const api = await Worker("api", { name: "api" });
//- /my-worker.ts
export function Worker(id: string, props: object) { return props; }
"#,
    );
    assert!(declared.is_empty());
}

#[test]
fn relative_cwd_stays_inside_its_base() {
    let base = Path::new("/r/app");
    assert_eq!(
        relative_dir(base, "./apps/x"),
        Some(PathBuf::from("/r/app/apps/x"))
    );
    assert_eq!(relative_dir(base, "../lib"), Some(PathBuf::from("/r/lib")));
    assert_eq!(relative_dir(base, "/abs"), None);
}

/// An Alchemy v2 (Effect) stack imports `alchemy` too, but its resources come from
/// `alchemy/Cloudflare` and its workers are tagged classes and Effect programs: the v1 reader
/// leaves it alone, and the module is recognised as v2 only.
#[test]
fn an_effect_stack_is_not_read_as_alchemy_v1() {
    let f = fixture(
        r#"
//- /alchemy.run.ts
import * as Alchemy from "alchemy";
import * as Cloudflare from "alchemy/Cloudflare";
import * as Effect from "effect/Effect";
export class Api extends Cloudflare.Worker<Api>()("Api", { main: import.meta.filename }) {}
export const Jobs = Cloudflare.Worker("Jobs", { main: "./src/jobs.ts" }, Effect.gen(function* () {
  return { fetch: Effect.succeed(new Response("")) };
}));
export default Alchemy.Stack("shop", { providers: Cloudflare.providers() }, Effect.gen(function* () {
  const api = yield* Api;
  return { url: api.url };
}));
//- /src/jobs.ts
export default {};
"#,
    );
    let path = f.path("alchemy.run.ts");
    let fs = DiskFs::new(f.root());
    let program = Program::load(std::slice::from_ref(&path), &fs);
    assert!(read(&program, &path).is_empty());
    let module = program.module(&path).unwrap();
    assert_eq!(
        crate::declare::front_ends_of(module),
        vec![FrontEnd::AlchemyV2]
    );
}
