import type { cache } from "../alchemy.run.ts";

export default {
  async fetch(request: Request, env: typeof cache.Env): Promise<Response> {
    const page = null;
    return new Response(page ?? "not cached", { status: page ? 200 : 404 });
  },
};
