import { env } from "cloudflare:test";
import { it } from "vitest";
it("stores", async () => { await env.KV.put("a", "b"); });
