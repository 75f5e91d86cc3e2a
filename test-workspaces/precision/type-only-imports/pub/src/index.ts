import type { Public } from "../../db/src/index";
export default {
  async fetch(request: Request, env: { STORE: Service<Public>; TYPES: Fetcher }): Promise<Response> {
    return new Response(String(await env.STORE.count()) + (await env.TYPES.fetch(request)).status);
  },
};
