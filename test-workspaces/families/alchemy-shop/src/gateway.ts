import type { gateway } from "../alchemy.run.ts";
import type { CartItem, OrderEvent } from "./types.ts";

type Env = typeof gateway.Env;

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    const [, resource, id, action] = url.pathname.split("/");

    if (resource === "accounts" && id) {
      const account = await env.ACCOUNTS.getAccount(id);
      if (!account) {
        return new Response("account not found", { status: 404 });
      }
      const orders = await env.ACCOUNTS.listOrders(id);
      return Response.json({ account, orders });
    }

    if (resource === "carts" && id) {
      const cart = env.CARTS.getByName(id);
      if (request.method === "POST") {
        const item = (await request.json()) as CartItem;
        return Response.json(await cart.addItem(item));
      }
      return Response.json({ items: await cart.getItems(), total: await cart.total() });
    }

    if (resource === "checkout" && id && request.method === "POST") {
      const accountId = request.headers.get("x-account-id");
      if (!accountId) {
        return new Response("missing x-account-id", { status: 401 });
      }
      const orderId = crypto.randomUUID();
      const event: OrderEvent = { type: "order.placed", orderId, accountId, cartId: id };
      await env.ORDER_EVENTS.send(event);
      return Response.json({ orderId }, { status: 202 });
    }

    if (resource === "orders" && id && action === "status") {
      const instance = await env.FULFIL_ORDER.get(id);
      return Response.json(await instance.status());
    }

    return Response.json({ service: "shop-gateway", version: env.API_VERSION });
  },
};
