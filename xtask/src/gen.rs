//! A deterministic generator of synthetic worker families for benchmarks.
//!
//! Each worker `w{i}` has a TOML or JSONC config, an RPC entrypoint `Svc{i}`, a Durable Object
//! `Room{i}` and a workflow `Flow{i}` it hosts, a service binding, a Durable Object binding and a
//! workflow binding into other workers, and `lib_files` library modules of ordinary TS. Every
//! tenth worker misspells an entrypoint and every seventh calls an RPC method that does not
//! exist, so the checker has real findings to report.
//!
//! Two shapes of library code ([`Style`]): `synthetic` (arithmetic that never mentions `env`,
//! classes or default exports, so the lexical fast path takes nearly every module) and
//! `realistic` (what real Workers code looks like: helpers that take `env: Env` and read
//! bindings, classes, default exports, barrels with `export *` and `export type`, `import type`,
//! and a mix of TS, TSX and JS).

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Synthetic,
    Realistic,
}

impl Style {
    pub fn parse(s: &str) -> Option<Style> {
        match s {
            "synthetic" => Some(Style::Synthetic),
            "realistic" => Some(Style::Realistic),
            _ => None,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Style::Synthetic => "synthetic",
            Style::Realistic => "realistic",
        }
    }
}

pub struct FamilySpec {
    pub style: Style,
    pub workers: usize,
    pub lib_files: usize,
    /// Approximate size of each library file in bytes.
    pub lib_bytes: usize,
}

/// A tiny deterministic PRNG (xorshift64*), so families are identical on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// The settings file that makes a generated folder a project of its own. Without it the
/// project root would be the repository that holds the folder (`target/` inside this one),
/// whose ignore files leave the folder out.
pub const PROJECT_MARKER: &str = "workers-lsp.toml";

/// Creates `dir` as a project of its own (see [`PROJECT_MARKER`]).
pub fn make_project_dir(dir: &Path) -> io::Result<()> {
    fs::create_dir_all(dir)?;
    fs::write(
        dir.join(PROJECT_MARKER),
        "# A generated workspace: a project of its own wherever it is written.\n",
    )
}

pub fn generate(out: &Path, spec: &FamilySpec) -> io::Result<(usize, u64)> {
    if out.exists() {
        fs::remove_dir_all(out)?;
    }
    make_project_dir(out)?;
    let mut files = 0usize;
    let mut bytes = 0u64;
    let mut write = |path: &Path, text: &str| -> io::Result<()> {
        fs::create_dir_all(path.parent().unwrap())?;
        fs::write(path, text)?;
        files += 1;
        bytes += text.len() as u64;
        Ok(())
    };
    let n = spec.workers;
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let realistic = spec.style == Style::Realistic;
    // The realistic library reads a KV namespace and a D1 database.
    let (extra_toml, extra_json) = if realistic {
        (
            "\n[[kv_namespaces]]\nbinding = \"CACHE\"\nid = \"0123456789abcdef\"\n\n[[d1_databases]]\nbinding = \"DB\"\ndatabase_name = \"main\"\ndatabase_id = \"00000000-0000-0000-0000-000000000000\"\n",
            "  \"kv_namespaces\": [{ \"binding\": \"CACHE\", \"id\": \"0123456789abcdef\" }],\n  \"d1_databases\": [{ \"binding\": \"DB\", \"database_name\": \"main\", \"database_id\": \"00000000-0000-0000-0000-000000000000\" }],\n",
        )
    } else {
        ("", "")
    };
    for i in 0..n {
        let dir = out.join(format!("workers/w{i}"));
        let svc_target = (i + 1) % n;
        let do_target = (i + 2) % n;
        let flow_target = (i + 3) % n;
        let entrypoint = if i % 10 == 9 {
            format!("Svc{svc_target}x")
        } else {
            format!("Svc{svc_target}")
        };
        if i % 2 == 0 {
            let config = format!(
                r#"name = "w{i}"
main = "src/index.ts"
compatibility_date = "2025-01-01"

services = [{{ binding = "NEXT", service = "w{svc_target}", entrypoint = "{entrypoint}" }}]

[[durable_objects.bindings]]
name = "ROOM"
class_name = "Room{i}"

[[durable_objects.bindings]]
name = "PEER_ROOM"
class_name = "Room{do_target}"
script_name = "w{do_target}"

[[workflows]]
binding = "FLOW"
name = "flow-{i}"
class_name = "Flow{i}"

[[workflows]]
binding = "PEER_FLOW"
name = "flow-{flow_target}"
class_name = "Flow{flow_target}"
script_name = "w{flow_target}"

[[migrations]]
tag = "v1"
new_sqlite_classes = ["Room{i}"]

[vars]
MODE = "production"
{extra_toml}"#
            );
            write(&dir.join("wrangler.toml"), &config)?;
        } else {
            let config = format!(
                r#"// Worker w{i}
{{
  "name": "w{i}",
  "main": "src/index.ts",
  "compatibility_date": "2025-01-01",
  "services": [
    {{ "binding": "NEXT", "service": "w{svc_target}", "entrypoint": "{entrypoint}" }},
  ],
  "durable_objects": {{
    "bindings": [
      {{ "name": "ROOM", "class_name": "Room{i}" }},
      {{ "name": "PEER_ROOM", "class_name": "Room{do_target}", "script_name": "w{do_target}" }},
    ],
  }},
  "workflows": [
    {{ "binding": "FLOW", "name": "flow-{i}", "class_name": "Flow{i}" }},
    {{ "binding": "PEER_FLOW", "name": "flow-{flow_target}", "class_name": "Flow{flow_target}", "script_name": "w{flow_target}" }},
  ],
  "migrations": [{{ "tag": "v1", "new_sqlite_classes": ["Room{i}"] }}],
  "vars": {{ "MODE": "production" }},
{extra_json}}}
"#
            );
            write(&dir.join("wrangler.jsonc"), &config)?;
        }
        let method = if i % 7 == 6 {
            "lookupMissing"
        } else {
            "lookup"
        };
        let index = format!(
            r#"import {{ WorkerEntrypoint, DurableObject, WorkflowEntrypoint }} from "cloudflare:workers";
import {{ helper0 }} from "./lib/index";
export {{ Room{i} }} from "./room";

export class Svc{i} extends WorkerEntrypoint<Env> {{
  async lookup(key: string): Promise<string> {{
    return helper0(key);
  }}
  async count(): Promise<number> {{
    return 1;
  }}
}}

export class Flow{i} extends WorkflowEntrypoint<Env> {{
  async run(event: unknown, step: unknown) {{
    return event;
  }}
}}

export default {{
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {{
    const value = await env.NEXT.{method}("k");
    const room = env.ROOM.getByName("lobby");
    await room.join("me");
    const peer = env.PEER_ROOM.get(env.PEER_ROOM.idFromName("x"));
    await peer.join("you");
    await env.FLOW.create({{ params: {{}} }});
    await env.PEER_FLOW.create({{ params: {{}} }});
    return new Response(value + env.MODE);
  }},
}};
"#
        );
        write(&dir.join("src/index.ts"), &index)?;
        let room = format!(
            r#"import {{ DurableObject }} from "cloudflare:workers";

export class Room{i} extends DurableObject<Env> {{
  async join(who: string): Promise<number> {{
    return who.length;
  }}
  async fetch(request: Request): Promise<Response> {{
    return new Response("room");
  }}
}}
"#
        );
        write(&dir.join("src/room.ts"), &room)?;
        if realistic {
            realistic_library(&dir, i, spec, &mut rng, &mut write)?;
        } else {
            synthetic_library(&dir, i, spec, &mut rng, &mut write)?;
        }
    }
    Ok((files, bytes))
}

type Write<'a> = dyn FnMut(&Path, &str) -> io::Result<()> + 'a;

/// A chain of re-exports plus arithmetic that never mentions `env`.
fn synthetic_library(
    dir: &Path,
    i: usize,
    spec: &FamilySpec,
    rng: &mut Rng,
    write: &mut Write,
) -> io::Result<()> {
    // Library files: a chain of re-exports plus ordinary code.
    let mut lib_index = String::new();
    for f in 0..spec.lib_files {
        let _ = writeln!(lib_index, "export * from \"./mod{f}\";");
    }
    let _ = writeln!(
        lib_index,
        "export function helper0(k: string): string {{ return k; }}"
    );
    write(&dir.join("src/lib/index.ts"), &lib_index)?;
    for f in 0..spec.lib_files {
        let mut text = String::with_capacity(spec.lib_bytes + 256);
        let _ = writeln!(text, "// Library module {f} of worker w{i}.");
        let mut k = 0;
        while text.len() < spec.lib_bytes {
            let a = rng.below(1000);
            let b = rng.below(1000);
            let _ = writeln!(
                text,
                r#"export function compute{f}_{k}(items: Array<{{ id: number; weight: number }}>, factor = {a}): number {{
  let total = 0;
  for (const item of items) {{
    if (item.weight > {b}) {{
      total += item.id * factor;
    }} else {{
      total -= Math.floor(item.weight / (factor + 1));
    }}
  }}
  return total;
}}
"#
            );
            k += 1;
        }
        write(&dir.join(format!("src/lib/mod{f}.ts")), &text)?;
    }
    Ok(())
}

/// Library code as Workers code is written: a barrel (`export *`, `export { .. } from`,
/// `export type`), `import type`, helpers taking `env: Env` and reading its bindings, classes
/// holding `env`, default exports, and modules in TS, TSX and JS (one in four each of helpers,
/// classes, components and plain JS).
fn realistic_library(
    dir: &Path,
    i: usize,
    spec: &FamilySpec,
    rng: &mut Rng,
    write: &mut Write,
) -> io::Result<()> {
    let mut barrel = String::from(
        "export { helper0 } from \"./core\";\nexport type { Options, Row } from \"./types\";\n",
    );
    for f in 0..spec.lib_files {
        let _ = writeln!(barrel, "export * from \"./mod{f}\";");
    }
    write(&dir.join("src/lib/index.ts"), &barrel)?;
    write(
        &dir.join("src/lib/types.ts"),
        &format!(
            "// Shared types of worker w{i}.\nexport interface Options {{\n  ttl: number;\n  prefix?: string;\n}}\nexport type Row = {{ id: string; weight: number; owner: string }};\n"
        ),
    )?;
    write(
        &dir.join("src/lib/core.ts"),
        "import type { Options } from \"./types\";\n\nexport const defaults: Options = { ttl: 60 };\n\nexport function helper0(k: string, options: Options = defaults): string {\n  return (options.prefix ?? \"\") + k;\n}\n",
    )?;
    for f in 0..spec.lib_files {
        let (ext, header) = match f % 4 {
            0 | 1 => ("ts", "import type { Options, Row } from \"./types\";\nimport { helper0 } from \"./core\";\n\n"),
            2 => ("tsx", "import type { Row } from \"./types\";\n\n"),
            _ => ("js", "// Plain JavaScript, as older modules of a worker often are.\n\n"),
        };
        let mut text = format!("// Library module {f} of worker w{i}.\n{header}");
        match f % 4 {
            1 => {
                let _ = writeln!(
                    text,
                    r#"export default class Store{f} {{
  constructor(private readonly env: Env, private readonly options: Options) {{}}

  async get(id: string): Promise<Row | null> {{
    const cached = await this.env.CACHE.get(helper0(id, this.options), "json");
    if (cached) return cached as Row;
    const row = await this.env.DB.prepare("SELECT * FROM rows WHERE id = ?").bind(id).first<Row>();
    if (row) await this.env.CACHE.put(helper0(id, this.options), JSON.stringify(row), {{ expirationTtl: this.options.ttl }});
    return row;
  }}
}}
"#
                );
            }
            2 => {
                let _ = writeln!(
                    text,
                    r#"export default function Page{f}(props: {{ rows: Row[]; env: Env }}) {{
  return (
    <main class="page">
      <h1>{{props.env.MODE}}</h1>
      {{props.rows.map((row) => <Card{f}_0 row={{row}} />)}}
    </main>
  );
}}
"#
                );
            }
            3 => {
                let _ = writeln!(
                    text,
                    "export default function describe{f}(env) {{\n  return `w{i} in ${{env.MODE}}`;\n}}\n"
                );
            }
            _ => {}
        }
        let mut k = 0;
        while text.len() < spec.lib_bytes {
            let a = rng.below(1000);
            let b = rng.below(1000);
            let _ = match f % 4 {
                0 => writeln!(
                    text,
                    r#"export async function load{f}_{k}(env: Env, id: string, options: Options): Promise<Row[]> {{
  const key = helper0(`{f}:{k}:${{id}}`, options);
  const cached = await env.CACHE.get(key, "json");
  if (cached) {{
    return cached as Row[];
  }}
  const {{ results }} = await env.DB.prepare("SELECT id, weight, owner FROM rows WHERE weight > ?1 LIMIT {a}")
    .bind({b})
    .all<Row>();
  const rows = results.filter((row) => row.owner !== env.MODE);
  await env.CACHE.put(key, JSON.stringify(rows), {{ expirationTtl: options.ttl }});
  return rows;
}}
"#
                ),
                1 => writeln!(
                    text,
                    r#"export class Repo{f}_{k} {{
  private readonly table = "rows_{a}";
  constructor(private readonly env: Env) {{}}

  async count(owner: string): Promise<number> {{
    const row = await this.env.DB.prepare(`SELECT COUNT(*) AS n FROM ${{this.table}} WHERE owner = ?`)
      .bind(owner)
      .first<{{ n: number }}>();
    return (row?.n ?? 0) + {b};
  }}

  async heaviest(limit = {a}): Promise<Row[]> {{
    const {{ results }} = await this.env.DB.prepare(`SELECT * FROM ${{this.table}} ORDER BY weight DESC LIMIT ?`)
      .bind(limit)
      .all<Row>();
    return results;
  }}
}}
"#
                ),
                2 => writeln!(
                    text,
                    r#"export function Card{f}_{k}(props: {{ row: Row; highlight?: boolean }}) {{
  const weight = props.row.weight > {a} ? "heavy" : "light";
  return (
    <section class={{props.highlight ? "card highlight" : "card"}} data-weight={{weight}}>
      <h2>{{props.row.id}}</h2>
      <p>{{props.row.owner}} ({{props.row.weight + {b}}})</p>
    </section>
  );
}}
"#
                ),
                _ => writeln!(
                    text,
                    r#"export function format{f}_{k}(env, value) {{
  const unit = value > {a} ? "k" : "";
  const scaled = value > {a} ? Math.round(value / {b}) : value;
  return `${{env.MODE}}:${{scaled}}${{unit}}`;
}}

export const limits{f}_{k} = {{ soft: {a}, hard: {a} + {b} }};
"#
                ),
            };
            k += 1;
        }
        write(&dir.join(format!("src/lib/mod{f}.{ext}")), &text)?;
    }
    Ok(())
}
