import { DurableObject } from "cloudflare:workers";
import type { counter } from "../alchemy.run.ts";

type Env = typeof counter.Env;

export class Counter extends DurableObject<Env> {
  async increment(): Promise<number> {
    const n = ((await this.ctx.storage.get<number>("n")) ?? 0) + 1;
    await this.ctx.storage.put("n", n);
    return n;
  }
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const n = await env.COUNTER.getByName("global").increment();
    return new Response(String(n));
  },
};
