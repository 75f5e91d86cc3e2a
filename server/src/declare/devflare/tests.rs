use super::*;
use crate::fixture::{fixture, Fixture};
use crate::project::DiskFs;

fn read_all(text: &str) -> (Fixture, Vec<Declared>) {
    let f = fixture(text);
    let fs = DiskFs::new(f.root());
    let mut candidates: Vec<PathBuf> = walk(f.root())
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with("devflare.config.ts"))
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

/// The text a span of a file covers.
fn at(f: &Fixture, file: &str, range: TextRange) -> String {
    let text = std::fs::read_to_string(f.path(file)).unwrap();
    text[range.as_usize()].to_string()
}

fn by_name<'d>(declared: &'d [Declared], name: &str) -> &'d Declared {
    declared
        .iter()
        .find(|d| d.file.top.name.as_ref().is_some_and(|n| n.value == name))
        .unwrap_or_else(|| panic!("no worker {name}"))
}

fn facts<'d>(d: &'d Declared, path: &Path) -> &'d ModuleFacts {
    d.modules
        .iter()
        .find(|m| m.path == path)
        .unwrap_or_else(|| panic!("no facts for {}: {:?}", path.display(), d.modules))
}

const FAMILY: &str = r#"
//- /accounts/devflare.config.ts
import { defineConfig } from 'devflare/config'
import type { Entrypoints } from './env'
export default defineConfig<Entrypoints>({
	name: 'shop-accounts',
	files: { fetch: 'src/worker.ts' },
	bindings: { d1: { DB: 'shop-accounts' } }
})
//- /accounts/src/worker.ts
import { env } from 'devflare'
export async function recordOrder(order: { id: string }): Promise<void> { await env.DB.prepare('x').run() }
export const total = async (id: string) => 1
const hidden = () => 0
//- /accounts/src/ep.accounts-api.ts
import { WorkerEntrypoint } from 'cloudflare:workers'
export class AccountsApi extends WorkerEntrypoint { async getAccount(id: string) { return id } }
//- /carts/devflare.config.ts
import { defineConfig } from 'devflare/config'
const CART = 'Cart'
export default defineConfig({
	name: 'shop-carts',
	bindings: {
		durableObjects: { CARTS: CART, LOCKS: { className: 'CartLock', scriptName: 'do.cart-lock.ts' } },
		queues: { consumers: [{ queue: 'orders', deadLetterQueue: 'orders-dlq' }] },
		kv: { CACHE: 'cache' },
		r2: { FILES: { bucketName: 'files' } },
		ai: { binding: 'AI' }
	},
	vars: { MODE: 'prod' },
	secrets: { TOKEN: { required: true } },
	migrations: [
		{ tag: 'v1', new_sqlite_classes: ['Cart'] },
		{ tag: 'v2', new_sqlite_classes: ['CartLock'], renamed_classes: [{ from: 'Old', to: 'New' }] },
	]
})
//- /carts/src/fetch.ts
export default async function fetch() { return new Response('') }
//- /carts/src/queue.ts
export default async function queue() {}
//- /carts/src/do.cart.ts
import { DurableObject } from 'cloudflare:workers'
export class Cart extends DurableObject { async total() { return 0 } }
//- /carts/src/nested/do.cart-lock.ts
import { DurableObject } from 'cloudflare:workers'
export class CartLock extends DurableObject {}
//- /gateway/devflare.config.ts
import { defineConfig, ref } from 'devflare/config'
const accounts = ref(() => import('../accounts/devflare.config'))
const carts = ref(() => import('../carts/devflare.config'))
export default defineConfig({
	name: 'shop-gateway',
	bindings: {
		services: {
			ACCOUNTS: accounts.worker('AccountsApi'),
			DEFAULT: accounts.worker,
			PLAIN: { service: 'shop-carts', entrypoint: 'Api' }
		},
		durableObjects: { CARTS: carts.CARTS, LOCKS: carts.LOCKS, NONE: carts.MISSING },
		queues: { producers: { ORDERS: 'orders', OTHER: { queue: 'other' } } },
		workflows: { FLOW: { name: 'flow', className: 'Flow', scriptName: 'shop-fulfilment' } }
	}
})
//- /gateway/src/fetch.ts
export default async function fetch() { return new Response('') }
"#;

#[test]
fn reads_names_bindings_and_references_between_configs() {
    let (f, declared) = read_all(FAMILY);
    assert_eq!(declared.len(), 3);
    assert!(declared.iter().all(|d| d.frontend == FrontEnd::Devflare));

    let carts = by_name(&declared, "shop-carts");
    let top = &carts.file.top;
    let cfg = "carts/devflare.config.ts";
    assert_eq!(at(&f, cfg, top.name.as_ref().unwrap().range), "shop-carts");
    let dos = top.durable_objects.as_ref().unwrap();
    // A `const` alias of a literal: the literal's span, editable.
    let cart = &dos[0];
    assert_eq!(cart.class_name.as_ref().unwrap().value, "Cart");
    assert_eq!(at(&f, cfg, cart.class_name.as_ref().unwrap().range), "Cart");
    assert!(cart.script_name.is_none());
    // `scriptName` naming a module file points at the local class.
    assert_eq!(dos[1].class_name.as_ref().unwrap().value, "CartLock");
    assert!(dos[1].script_name.is_none());
    let consumer = &top.queue_consumers.as_ref().unwrap()[0];
    assert_eq!(consumer.queue.value, "orders");
    assert_eq!(
        consumer.dead_letter_queue.as_ref().unwrap().value,
        "orders-dlq"
    );
    assert_eq!(top.other_bindings["kv"][0].binding.value, "CACHE");
    assert_eq!(top.other_bindings["r2"][0].binding.value, "FILES");
    // `ai: { binding: "AI" }`: the binding's name is a value.
    let ai = &top.other_bindings["ai"][0].binding;
    assert_eq!(
        (ai.value.as_str(), at(&f, cfg, ai.range).as_str()),
        ("AI", "AI")
    );
    assert_eq!(top.vars.as_ref().unwrap()[0].value, "MODE");
    assert_eq!(top.secrets_required.as_ref().unwrap()[0].value, "TOKEN");
    assert!(!top.open_bindings);
    let migrations = top.migrations.as_ref().unwrap();
    assert_eq!(migrations.len(), 2);
    assert_eq!(migrations[0].tag.as_ref().unwrap().value, "v1");
    assert_eq!(migrations[1].new_sqlite_classes[0].value, "CartLock");
    assert_eq!(migrations[1].renamed_classes[0].to.value, "New");
    assert_eq!(at(&f, cfg, top.migrations_range.unwrap()), "migrations");
    let Some(Layout::Brackets {
        trailing_comma,
        close,
        ..
    }) = top.migrations_layout
    else {
        panic!("{:?}", top.migrations_layout)
    };
    assert!(trailing_comma);
    assert_eq!(at(&f, cfg, TextRange::new(close, close + 1)), "]");
    assert!(matches!(top.layout, Layout::Brackets { .. }));

    // The generated entry: the handler modules, and every `do.*` file (nested ones too).
    assert_eq!(
        top.main.as_ref().unwrap().value,
        ".devflare/worker-entrypoints/main.ts"
    );
    assert!(top.main.as_ref().unwrap().range.is_empty());
    assert!(carts.derived.contains(&top.main.as_ref().unwrap().range));
    let entry = facts(carts, &f.path("carts/.devflare/worker-entrypoints/main.ts"));
    assert!(entry.generated);
    let stars: Vec<&str> = entry
        .summary
        .export_stars
        .iter()
        .map(|s| s.value.as_str())
        .collect();
    assert_eq!(
        stars,
        vec!["../../src/do.cart.ts", "../../src/nested/do.cart-lock.ts"]
    );
    let imports: Vec<&str> = entry
        .summary
        .imports
        .iter()
        .map(|i| i.from.value.as_str())
        .collect();
    assert_eq!(imports, vec!["../../src/fetch.ts", "../../src/queue.ts"]);
    let Some(DefaultExport::Object { handlers, .. }) = &entry.summary.default_export else {
        panic!("{:?}", entry.summary.default_export)
    };
    let handlers: Vec<&str> = handlers.iter().map(|h| h.value.as_str()).collect();
    assert_eq!(handlers, vec!["fetch", "queue"]);

    // `worker.ts`: its exported functions are the default entrypoint's methods, spanned where
    // they are written.
    let accounts = by_name(&declared, "shop-accounts");
    let entry = facts(
        accounts,
        &f.path("accounts/.devflare/worker-entrypoints/main.ts"),
    );
    assert!(matches!(
        &entry.summary.default_export,
        Some(DefaultExport::ReExport { imported, from, .. })
            if imported == "Worker" && from.value == "../../src/worker.ts"
    ));
    assert_eq!(
        entry.summary.export_stars[0].value,
        "../../src/ep.accounts-api.ts"
    );
    let worker = facts(accounts, &f.path("accounts/src/worker.ts"));
    assert!(!worker.generated);
    let class = &worker.summary.classes[0];
    assert_eq!(class.name.value, "Worker");
    assert_eq!(class.extends.as_ref().unwrap().value, "WorkerEntrypoint");
    let methods: Vec<(&str, String)> = class
        .members
        .iter()
        .map(|m| {
            (
                m.name.value.as_str(),
                at(&f, "accounts/src/worker.ts", m.name.range),
            )
        })
        .collect();
    assert_eq!(
        methods,
        vec![
            ("recordOrder", "recordOrder".to_string()),
            ("total", "total".to_string())
        ]
    );

    // References through `ref()`: the target's name, spanned at the reference, derived.
    let gateway = by_name(&declared, "shop-gateway");
    let top = &gateway.file.top;
    let cfg = "gateway/devflare.config.ts";
    let services = top.services.as_ref().unwrap();
    let api = &services[0];
    let service = api.service.as_ref().unwrap();
    assert_eq!(service.value, "shop-accounts");
    assert_eq!(at(&f, cfg, service.range), "accounts");
    assert!(gateway.derived.contains(&service.range));
    let entrypoint = api.entrypoint.as_ref().unwrap();
    assert_eq!(at(&f, cfg, entrypoint.range), "AccountsApi");
    assert!(!gateway.derived.contains(&entrypoint.range));
    assert_eq!(services[1].service.as_ref().unwrap().value, "shop-accounts");
    assert!(services[1].entrypoint.is_none());
    assert_eq!(services[2].service.as_ref().unwrap().value, "shop-carts");
    assert!(!gateway
        .derived
        .contains(&services[2].service.as_ref().unwrap().range));
    let dos = top.durable_objects.as_ref().unwrap();
    // `carts.CARTS`: the class carts binds under `CARTS` (through its `const`), hosted there.
    let class = dos[0].class_name.as_ref().unwrap();
    assert_eq!(
        (class.value.as_str(), at(&f, cfg, class.range).as_str()),
        ("Cart", "CARTS")
    );
    assert!(gateway.derived.contains(&class.range));
    let host = dos[0].script_name.as_ref().unwrap();
    assert_eq!(
        (host.value.as_str(), at(&f, cfg, host.range).as_str()),
        ("shop-carts", "carts")
    );
    assert_eq!(dos[1].class_name.as_ref().unwrap().value, "CartLock");
    // A binding the target does not declare: hosted there, class unknown.
    assert!(dos[2].class_name.is_none());
    assert_eq!(dos[2].script_name.as_ref().unwrap().value, "shop-carts");
    let producers = top.queue_producers.as_ref().unwrap();
    assert_eq!(producers[0].queue.as_ref().unwrap().value, "orders");
    assert_eq!(producers[1].queue.as_ref().unwrap().value, "other");
    let flow = &top.workflows.as_ref().unwrap()[0];
    assert_eq!(flow.name.as_ref().unwrap().value, "flow");
    assert_eq!(flow.class_name.as_ref().unwrap().value, "Flow");
    assert_eq!(flow.script_name.as_ref().unwrap().value, "shop-fulfilment");
}

#[test]
fn environment_overlays_deep_merge_with_the_spans_where_values_are_written() {
    let (f, declared) = read_all(
        r#"
//- /api/devflare.config.ts
import { defineConfig } from 'devflare/config'
export default defineConfig({
	name: 'api',
	bindings: {
		kv: { CACHE: 'cache' },
		services: { AUTH: { service: 'auth' } },
		queues: { consumers: [{ queue: 'jobs' }, { queue: 'mail' }] }
	},
	vars: { MODE: 'prod', LEVEL: 'info' },
	migrations: [{ tag: 'v1', new_sqlite_classes: ['Room'] }],
	env: {
		staging: {
			bindings: {
				services: { AUTH: { service: 'auth-staging' } },
				queues: { consumers: [{ queue: 'jobs-staging' }] }
			},
			vars: { MODE: 'staging' }
		},
		preview: {
			name: 'api-preview',
			files: { fetch: 'src/preview.ts' },
			migrations: [{ tag: 'v1', new_sqlite_classes: ['Room'] }, { tag: 'v2', new_classes: ['Extra'] }]
		}
	}
})
//- /api/src/fetch.ts
export default async function fetch() { return new Response('') }
//- /api/src/preview.ts
export default async function fetch() { return new Response('') }
"#,
    );
    let api = &declared[0];
    let cfg = "api/devflare.config.ts";
    let file = &api.file;
    assert_eq!(file.envs.len(), 2);
    let staging = file.env("staging").unwrap();
    assert_eq!(
        at(&f, cfg, staging.env_name.as_ref().unwrap().range),
        "staging"
    );
    // No derived `<name>-<env>`: the top-level name, spanned where it is written.
    let name = staging.name.as_ref().unwrap();
    assert_eq!(name.value, "api");
    assert_eq!(name.range, file.top.name.as_ref().unwrap().range);
    // Objects merge key by key: the overridden service is spanned in the overlay, the kept KV
    // binding at the top level.
    let auth = &staging.services.as_ref().unwrap()[0];
    let service = auth.service.as_ref().unwrap();
    assert_eq!(service.value, "auth-staging");
    assert!(service.range.start > staging.range.start);
    assert_eq!(staging.other_bindings["kv"][0].binding.value, "CACHE");
    assert_eq!(
        staging.other_bindings["kv"][0].binding.range,
        file.top.other_bindings["kv"][0].binding.range
    );
    let vars: Vec<&str> = staging
        .vars
        .as_ref()
        .unwrap()
        .iter()
        .map(|v| v.value.as_str())
        .collect();
    assert_eq!(vars, vec!["LEVEL", "MODE"]);
    // Arrays are replaced, not concatenated.
    let queues: Vec<&str> = staging
        .queue_consumers
        .as_ref()
        .unwrap()
        .iter()
        .map(|c| c.queue.value.as_str())
        .collect();
    assert_eq!(queues, vec!["jobs-staging"]);
    // Inherited as they are: the top-level main and migrations.
    assert!(staging.main.is_none() && staging.migrations.is_none());

    let preview = file.env("preview").unwrap();
    assert_eq!(
        at(&f, cfg, preview.name.as_ref().unwrap().range),
        "api-preview"
    );
    assert_eq!(preview.migrations.as_ref().unwrap().len(), 2);
    // Its own surfaces, its own generated entry.
    assert_eq!(
        preview.main.as_ref().unwrap().value,
        ".devflare/worker-entrypoints/preview/main.ts"
    );
    let entry = facts(
        api,
        &f.path("api/.devflare/worker-entrypoints/preview/main.ts"),
    );
    assert_eq!(
        entry.summary.imports[0].from.value,
        "../../../src/preview.ts"
    );
    // The queue consumers it inherits are the top level's.
    assert_eq!(preview.queue_consumers.as_ref().unwrap().len(), 2);
}

#[test]
fn computed_values_are_unknown_and_names_get_a_stand_in() {
    let (f, declared) = read_all(
        r#"
//- /a/devflare.config.ts
import { defineConfig, ref } from 'devflare/config'
import { names, shared } from '../names'
const b = ref(() => import('../b/devflare.config'))
const named = ref('b-custom', () => import('../b/devflare.config'))
const computed = ref(names.b, () => import('../b/devflare.config'))
export default defineConfig({
	name: names.a,
	bindings: {
		services: { B: b.worker, CUSTOM: named.worker('Api'), COMPUTED: computed.worker },
		kv: { ...shared, OWN: 'own' }
	}
})
//- /b/devflare.config.ts
import { defineConfig } from 'devflare/config'
import { names } from '../names'
export default defineConfig(() => ({ name: names.b }))
//- /names.ts
export const names = { a: process.env.A, b: process.env.B }
export const shared = {}
//- /c/devflare.config.ts
import { defineConfig } from 'not-devflare'
export default defineConfig({ name: 'not-devflare' })
"#,
    );
    assert_eq!(declared.len(), 2);
    let a = &declared[0];
    let name = a.file.top.name.as_ref().unwrap();
    assert_eq!(name.value, "<names.a>");
    assert!(a.derived.contains(&name.range));
    assert_eq!(at(&f, "a/devflare.config.ts", name.range), "names.a");
    let services = a.file.top.services.as_ref().unwrap();
    // The target's stand-in, the same its own declaration has.
    assert_eq!(services[0].service.as_ref().unwrap().value, "<names.b>");
    assert_eq!(
        declared[1].file.top.name.as_ref().unwrap().value,
        "<names.b>"
    );
    // A literal override names the worker, spelt here.
    let custom = services[1].service.as_ref().unwrap();
    assert_eq!(custom.value, "b-custom");
    assert!(!a.derived.contains(&custom.range));
    // A computed override: unknown.
    assert!(services[2].service.is_none());
    assert!(a.file.top.open_bindings);
}

#[test]
fn globs_follow_files_and_gitignore() {
    let (f, declared) = read_all(
        r#"
//- /w/devflare.config.ts
import { defineConfig } from 'devflare/config'
export default defineConfig({
	name: 'w',
	files: { fetch: 'fetch.ts', durableObjects: 'do.*.ts', workflows: false }
})
//- /w/fetch.ts
export default { fetch() { return new Response('') } }
//- /w/do.top.ts
export class Top {}
//- /w/src/do.nested.ts
export class Nested {}
//- /w/ep.api.ts
export class Api {}
//- /w/ep.ignored.ts
export class Ignored {}
//- /w/wf.flow.ts
export class Flow {}
//- /w/node_modules/x/ep.dep.ts
export class Dep {}
//- /w/.gitignore
ep.ignored.ts
"#,
    );
    let entry = facts(
        &declared[0],
        &f.path("w/.devflare/worker-entrypoints/main.ts"),
    );
    let stars: Vec<&str> = entry
        .summary
        .export_stars
        .iter()
        .map(|s| s.value.as_str())
        .collect();
    assert_eq!(stars, vec!["../../do.top.ts", "../../ep.api.ts"]);
    assert_eq!(entry.summary.imports[0].from.value, "../../fetch.ts");
}

#[test]
fn surface_names() {
    assert!(is_surface_name("w/src/do.cart.ts"));
    assert!(is_surface_name("w/ep.admin.js"));
    assert!(is_surface_name("w/src/fetch.ts"));
    assert!(is_surface_name("w/worker.ts"));
    assert!(!is_surface_name("w/src/cart.ts"));
    assert!(!is_surface_name("w/do.types.d.ts"));
    assert!(!is_surface_name("w/docs.md"));
}

#[test]
fn the_config_api_imported_from_devflares_source_is_devflare() {
    // Devflare's own apps import the config API from its source by a relative path.
    let (_, declared) = read_all(
        r#"
//- /apps/testing/devflare.config.ts
import { defineConfig, ref } from '../../packages/devflare/src/config-entry'
const auth = ref(() => import('./workers/auth/devflare.config'))
export default defineConfig({ name: 'main', bindings: { services: { AUTH: auth.worker } } })
//- /apps/testing/workers/auth/devflare.config.ts
import { defineConfig } from '../../../../packages/devflare/src/config-entry'
export default defineConfig({ name: 'auth' })
//- /apps/other/devflare.config.ts
import { defineConfig } from '../../packages/devflare/src/not-the-config-entry'
export default defineConfig({ name: 'other' })
//- /apps/absolute/devflare.config.ts
import { defineConfig } from 'some-package/devflare/src/config-entry'
export default defineConfig({ name: 'absolute' })
"#,
    );
    let names: Vec<&str> = declared
        .iter()
        .filter_map(|d| d.file.top.name.as_ref().map(|n| n.value.as_str()))
        .collect();
    assert_eq!(names, vec!["main", "auth"]);
    let main = by_name(&declared, "main");
    let services = main.file.top.services.as_ref().unwrap();
    assert_eq!(services[0].service.as_ref().unwrap().value, "auth");
    assert!(is_module("devflare/config"));
    assert!(is_module("../packages/devflare/src/config-entry"));
    assert!(!is_module("x/devflare/src/config-entry"));
}
