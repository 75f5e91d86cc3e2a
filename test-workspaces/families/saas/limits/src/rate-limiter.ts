import { DurableObject } from "cloudflare:workers";

const WINDOW_MS = 60_000;
const LIMIT = 100;

export class RateLimiter extends DurableObject<Env> {
  async allow(): Promise<boolean> {
    const now = Date.now();
    const hits = ((await this.ctx.storage.get<number[]>("hits")) ?? []).filter((t) => now - t < WINDOW_MS);
    hits.push(now);
    await this.ctx.storage.put("hits", hits);
    return hits.length <= LIMIT;
  }

  async reset(): Promise<void> {
    await this.ctx.storage.deleteAll();
  }
}
