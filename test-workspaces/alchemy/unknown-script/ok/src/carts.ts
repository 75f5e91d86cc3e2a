import { DurableObject } from "cloudflare:workers";

export class Cart extends DurableObject {
  async items(): Promise<string[]> {
    return (await this.ctx.storage.get<string[]>("items")) ?? [];
  }
}

export default {
  async fetch(request: Request, env: { CARTS: DurableObjectNamespace<Cart> }): Promise<Response> {
    return Response.json(await env.CARTS.getByName("c").items());
  },
};
