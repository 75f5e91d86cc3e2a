import { env } from 'devflare'

/**
 * RPC method of the default entrypoint: record a fulfilled order.
 */
export async function recordOrder(order: { id: string; accountId: string; total: number }): Promise<void> {
	await env.DB.prepare('INSERT INTO orders (id, account_id, total, placed_at) VALUES (?, ?, ?, ?)')
		.bind(order.id, order.accountId, order.total, new Date().toISOString())
		.run()
}
