import type { api } from "../alchemy.run.ts";

export default {
  async fetch(request: Request, env: typeof api.Env): Promise<Response> {
    const ok = await env.AUTH.verfy(request.headers.get("authorization") ?? "");
    return new Response(ok ? "welcome" : "denied", { status: ok ? 200 : 401 });
  },
};
