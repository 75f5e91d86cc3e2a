import { WorkerEntrypoint } from "cloudflare:workers";
import type { Account, OrderSummary } from "../../shared/types.ts";

/** Named entrypoint: read-only account API for the gateway. */
export class AccountsApi extends WorkerEntrypoint<Env> {
	async getAccount(id: string): Promise<Account | null> {
		return await this.env.DB.prepare("SELECT id, email, name FROM accounts WHERE id = ?")
			.bind(id)
			.first<Account>();
	}

	async listOrders(accountId: string): Promise<OrderSummary[]> {
		const { results } = await this.env.DB.prepare(
			"SELECT id, total, placed_at AS placedAt FROM orders WHERE account_id = ? ORDER BY placed_at DESC",
		)
			.bind(accountId)
			.all<OrderSummary>();
		return results;
	}
}

/** Default entrypoint: used by fulfilment to record orders. */
export default class AccountsService extends WorkerEntrypoint<Env> {
	async fetch(): Promise<Response> {
		return new Response("shop-accounts is an RPC-only service", { status: 404 });
	}

	async recordOrder(order: { id: string; accountId: string; total: number }): Promise<void> {
		await this.env.DB.prepare("INSERT INTO orders (id, account_id, total, placed_at) VALUES (?, ?, ?, ?)")
			.bind(order.id, order.accountId, order.total, new Date().toISOString())
			.run();
	}
}
