import type { api } from "../alchemy.run.ts";

export default {
  async fetch(request: Request, env: typeof api.Env): Promise<Response> {
    await env.OUTBOX.send({ to: new URL(request.url).searchParams.get("to") });
    return new Response("queued", { status: 202 });
  },
};
