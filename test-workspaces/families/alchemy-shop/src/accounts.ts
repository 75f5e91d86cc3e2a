import { WorkerEntrypoint } from "cloudflare:workers";
import type { accounts } from "../alchemy.run.ts";
import type { Account, OrderSummary } from "./types.ts";

export default class AccountsApi extends WorkerEntrypoint<typeof accounts.Env> {
  async fetch(): Promise<Response> {
    return new Response("accounts is an RPC-only service", { status: 404 });
  }

  async getAccount(id: string): Promise<Account | null> {
    return await this.env.DB.prepare(
      "SELECT id, email, name FROM accounts WHERE id = ?",
    )
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

  async recordOrder(order: {
    id: string;
    accountId: string;
    total: number;
  }): Promise<void> {
    await this.env.DB.prepare(
      "INSERT INTO orders (id, account_id, total, placed_at) VALUES (?, ?, ?, ?)",
    )
      .bind(order.id, order.accountId, order.total, new Date().toISOString())
      .run();
  }
}
