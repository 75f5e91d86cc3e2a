import type { Cart } from "./carts.ts";

export default {
  async fetch(request: Request, env: { CARTS: DurableObjectNamespace<Cart> }): Promise<Response> {
    return Response.json(await env.CARTS.getByName("c").items());
  },
};
