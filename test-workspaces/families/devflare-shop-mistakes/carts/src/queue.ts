import { env } from 'devflare'
import type { QueueEvent } from 'devflare/runtime'
import type { OrderEvent } from '../../shared/types'

export default async function queue(event: QueueEvent<OrderEvent>): Promise<void> {
	for (const message of event.messages) {
		const { cartId, orderId } = message.body
		const lock = env.CART_LOCKS.get(env.CART_LOCKS.idFromName(cartId))
		if (!(await lock.acquire(orderId))) {
			message.retry()
			continue
		}
		await env.CARTS.get(env.CARTS.idFromName(cartId)).clear()
		await lock.release(orderId)
		message.ack()
	}
}
