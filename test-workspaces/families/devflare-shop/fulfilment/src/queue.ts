import { env } from 'devflare'
import type { QueueEvent } from 'devflare/runtime'
import type { OrderEvent } from '../../shared/types'

export default async function queue(event: QueueEvent<OrderEvent>): Promise<void> {
	for (const message of event.messages) {
		const { orderId, accountId, cartId } = message.body
		await env.FULFIL_ORDER.create({ id: orderId, params: { orderId, accountId, cartId } })
		message.ack()
	}
}
