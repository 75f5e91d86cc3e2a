import { WorkerEntrypoint } from 'cloudflare:workers'
import type { Account, OrderSummary } from '../../shared/types'

/**
 * Read-only account API used by the gateway (named entrypoint).
 */
class AccountsApi extends WorkerEntrypoint<DevflareEnv> {
	async getAccount(id: string): Promise<Account | null> {
		return await this.env.DB.prepare('SELECT id, email, name FROM accounts WHERE id = ?')
			.bind(id)
			.first<Account>()
	}

	async listOrders(accountId: string): Promise<OrderSummary[]> {
		const { results } = await this.env.DB.prepare(
			'SELECT id, total, placed_at AS placedAt FROM orders WHERE account_id = ? ORDER BY placed_at DESC'
		)
			.bind(accountId)
			.all<OrderSummary>()
		return results
	}
}
