import { DurableObject } from "cloudflare:workers";
import type { carts } from "../alchemy.run.ts";
import type { CartItem } from "./types.ts";

type Env = typeof carts.Env;

export class Cart extends DurableObject<Env> {
  async getItems(): Promise<CartItem[]> {
    return (await this.ctx.storage.get<CartItem[]>("items")) ?? [];
  }

  async addItem(item: CartItem): Promise<CartItem[]> {
    const items = await this.getItems();
    const existing = items.find((i) => i.sku === item.sku);
    if (existing) {
      existing.quantity += item.quantity;
    } else {
      items.push(item);
    }
    await this.ctx.storage.put("items", items);
    return items;
  }

  async total(): Promise<number> {
    const items = await this.getItems();
    return items.reduce((sum, i) => sum + i.price * i.quantity, 0);
  }

  async clear(): Promise<void> {
    await this.ctx.storage.delete("items");
  }
}

export default {
  async fetch(request, env) {
    const id = new URL(request.url).searchParams.get("cart");
    if (!id) {
      return new Response("missing ?cart=", { status: 400 });
    }
    return Response.json(await env.CARTS.getByName(id).getItems());
  },
} satisfies ExportedHandler<Env>;
