import { env } from "cloudflare:test";
import { it } from "vitest";
const stubs = { STUBBED: { get: () => null } };
it("stores", async () => { await env.KV.put("a", "b"); void stubs; });
