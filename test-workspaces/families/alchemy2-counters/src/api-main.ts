import { DurableObject } from "cloudflare:workers";

export class Sessions extends DurableObject {
  async touch(): Promise<number> {
    return 1;
  }
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const n = await env.COUNTER.getByName("a").increment();
    const s = await env.SESSIONS.getByName("s").touch();
    await env.UPLOADS.put("k", "v");
    await env.JOBS.send({ n });
    return new Response(String(n + s));
  },
};
