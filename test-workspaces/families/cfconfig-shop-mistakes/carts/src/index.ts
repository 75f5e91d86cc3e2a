import { DurableObject } from "cloudflare:workers";
import type { CartItem, OrderEvent } from "../../shared/types.ts";

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

export class CartLock extends DurableObject<Env> {
	async acquire(owner: string): Promise<boolean> {
		const current = await this.ctx.storage.get<string>("owner");
		if (current && current !== owner) {
			return false;
		}
		await this.ctx.storage.put("owner", owner);
		return true;
	}

	async release(owner: string): Promise<void> {
		if ((await this.ctx.storage.get<string>("owner")) === owner) {
			await this.ctx.storage.delete("owner");
		}
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

	async queue(batch, env) {
		for (const message of batch.messages) {
			const { cartId, orderId } = message.body;
			const lock = env.CART_LOCKS.getByName(cartId);
			if (!(await lock.acquire(orderId))) {
				message.retry();
				continue;
			}
			await env.CARTS.getByName(cartId).clear();
			await lock.release(orderId);
			message.ack();
		}
	},
} satisfies ExportedHandler<Env, OrderEvent>;
