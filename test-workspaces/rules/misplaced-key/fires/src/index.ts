import { DurableObject } from "cloudflare:workers";

export class Lock extends DurableObject {}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const state = await env.BUCKET.get("state");
    return new Response(state ? state.body : null);
  },
};
