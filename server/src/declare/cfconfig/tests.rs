use super::*;
use crate::fixture::fixture;
use crate::project::DiskFs;

fn read_all(text: &str) -> (crate::fixture::Fixture, Vec<Declared>) {
    let f = fixture(text);
    let fs = DiskFs::new(f.root());
    let mut candidates: Vec<std::path::PathBuf> = Vec::new();
    for entry in walk(f.root()) {
        if entry.to_string_lossy().ends_with("cloudflare.config.ts") {
            candidates.push(entry);
        }
    }
    candidates.sort();
    let declared = crate::declare::load(&candidates, &fs).declared;
    (f, declared)
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
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

const FAMILY: &str = r#"
//- /api/cloudflare.config.ts
import { bindings, defineConfig, defineWorker, exports, triggers } from "cf/config";
import * as entrypoint from "./src/index.ts" with { type: "cf-worker" };
export const apiWorker = defineWorker({
  name: "shop-api",
  compatibilityDate: "2026-10-01",
  entrypoint,
  env: {
    SELF_DO: bindings.durableObject({ worker: "shop-api", exportName: "Cart" }),
    KV: bindings.kv({ id: "x" }),
    TOKEN: bindings.secret(),
    MODE: bindings.text("prod"),
  },
  exports: { Cart: exports.durableObject({ storage: "sqlite" }), Admin: exports.worker(), Old: exports.durableObject({ state: "deleted" }) },
  triggers: [triggers.queue({ name: "orders", deadLetterQueue: "orders-dlq" })],
});
export default defineConfig({ worker: apiWorker });
//- /api/src/index.ts
export default { fetch() { return new Response(""); } };
//- /web/cloudflare.config.ts
import { bindings, defineConfig } from "cf/config";
import { apiWorker } from "../api/cloudflare.config.ts";
const WEB = "shop-web";
export default defineConfig(({ mode }) => ({
  worker: {
    name: WEB,
    entrypoint: "src/index.ts",
    env: {
      API: bindings.worker({ worker: apiWorker, exportName: "Admin" }),
      LITERAL: bindings.worker({ worker: "shop-api" }),
      CARTS: { type: "durable-object", worker: apiWorker, exportName: "Cart" },
      FLOW: bindings.workflow({ name: "fulfil", worker: "shop-api", exportName: "Fulfil" }),
      ORDERS: bindings.queue<Order>({ name: "orders" }),
      ...shared,
    },
  },
}));
"#;

#[test]
fn reads_workers_bindings_exports_and_triggers() {
    let (f, declared) = read_all(FAMILY);
    assert_eq!(declared.len(), 2);
    let api = &declared[0];
    let top = &api.file.top;
    assert_eq!(api.frontend, FrontEnd::CfConfig);
    assert_eq!(top.name.as_ref().unwrap().value, "shop-api");
    assert_eq!(top.main.as_ref().unwrap().value, "./src/index.ts");
    let text = std::fs::read_to_string(f.path("api/cloudflare.config.ts")).unwrap();
    let name = top.name.as_ref().unwrap();
    assert_eq!(&text[name.range.as_usize()], "shop-api");
    let dob = &top.durable_objects.as_ref().unwrap()[0];
    assert_eq!(dob.name.value, "SELF_DO");
    assert_eq!(dob.class_name.as_ref().unwrap().value, "Cart");
    assert_eq!(dob.script_name.as_ref().unwrap().value, "shop-api");
    assert_eq!(top.other_bindings["kv"][0].binding.value, "KV");
    assert_eq!(top.secrets_required.as_ref().unwrap()[0].value, "TOKEN");
    assert_eq!(top.vars.as_ref().unwrap()[0].value, "MODE");
    let exports = top.exports.as_ref().unwrap();
    let kinds: Vec<(&str, &str, Option<&str>)> = exports
        .iter()
        .map(|e| {
            (
                e.class.value.as_str(),
                e.kind.as_ref().unwrap().value.as_str(),
                e.state.as_ref().map(|s| s.value.as_str()),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("Cart", "durable-object", None),
            ("Admin", "worker", None),
            ("Old", "durable-object", Some("deleted"))
        ]
    );
    let consumer = &top.queue_consumers.as_ref().unwrap()[0];
    assert_eq!(consumer.queue.value, "orders");
    assert_eq!(
        consumer.dead_letter_queue.as_ref().unwrap().value,
        "orders-dlq"
    );
    assert!(!top.open_bindings);

    let web = &declared[1];
    let top = &web.file.top;
    let web_text = std::fs::read_to_string(f.path("web/cloudflare.config.ts")).unwrap();
    // A const alias of a literal: the literal's span, editable.
    let name = top.name.as_ref().unwrap();
    assert_eq!(name.value, "shop-web");
    assert_eq!(&web_text[name.range.as_usize()], "shop-web");
    assert!(!web.derived.contains(&name.range));
    let services = top.services.as_ref().unwrap();
    // A worker object: its name, spanned at the reference and marked derived.
    let api_ref = services[0].service.as_ref().unwrap();
    assert_eq!(api_ref.value, "shop-api");
    assert_eq!(&web_text[api_ref.range.as_usize()], "apiWorker");
    assert!(web.derived.contains(&api_ref.range));
    assert_eq!(services[0].entrypoint.as_ref().unwrap().value, "Admin");
    let literal = services[1].service.as_ref().unwrap();
    assert!(!web.derived.contains(&literal.range));
    assert!(services[1].entrypoint.is_none());
    let carts = &top.durable_objects.as_ref().unwrap()[0];
    assert_eq!(carts.script_name.as_ref().unwrap().value, "shop-api");
    let flow = &top.workflows.as_ref().unwrap()[0];
    assert_eq!(flow.name.as_ref().unwrap().value, "fulfil");
    assert_eq!(flow.class_name.as_ref().unwrap().value, "Fulfil");
    assert_eq!(
        top.queue_producers.as_ref().unwrap()[0]
            .queue
            .as_ref()
            .unwrap()
            .value,
        "orders"
    );
    // `...shared`: other bindings may exist.
    assert!(top.open_bindings);
}

#[test]
fn older_spellings_and_unknown_forms() {
    let (_, declared) = read_all(
        r#"
//- /a/cloudflare.config.ts
import { bindings, defineWorker } from "@cloudflare/config";
export default defineWorker({
  name: "aux",
  entrypoint: "src/index.ts",
  env: { DO: bindings.durableObject({ workerName: "main", exportName: "Room" }) },
});
//- /b/cloudflare.config.ts
import { defineConfig } from "cf/config";
export default defineConfig(({ mode }) => { switch (mode) { case "dev": return { worker: { name: "b-dev" } }; default: return { worker: { name: "b" } }; } });
//- /c/cloudflare.config.ts
import { defineConfig } from "cf/config";
import { configuration } from "./helper";
export default defineConfig(({ mode }) => configuration("api", mode));
//- /d/cloudflare.config.ts
import { defineConfig } from "not-cf";
export default defineConfig({ worker: { name: "not-a-cf-worker" } });
"#,
    );
    let names: Vec<Option<&str>> = declared
        .iter()
        .map(|d| d.file.top.name.as_ref().map(|n| n.value.as_str()))
        .collect();
    // Only the literal declaration is read; factories that branch, helpers and other
    // packages declare nothing this reader can see.
    assert_eq!(names, vec![Some("aux")]);
    let dob = &declared[0].file.top.durable_objects.as_ref().unwrap()[0];
    assert_eq!(dob.script_name.as_ref().unwrap().value, "main");
}
