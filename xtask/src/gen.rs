//! A deterministic generator of synthetic worker families for benchmarks.
//!
//! Each worker `w{i}` has a TOML or JSONC config, an RPC entrypoint `Svc{i}`, a Durable Object
//! `Room{i}` and a workflow `Flow{i}` it hosts, a service binding, a Durable Object binding and a
//! workflow binding into other workers, and `lib_files` library modules of ordinary TS. Every
//! tenth worker misspells an entrypoint and every seventh calls an RPC method that does not
//! exist, so the checker has real findings to report.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

pub struct FamilySpec {
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

pub fn generate(out: &Path, spec: &FamilySpec) -> io::Result<(usize, u64)> {
    if out.exists() {
        fs::remove_dir_all(out)?;
    }
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
"#
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
}}
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
    }
    Ok((files, bytes))
}
