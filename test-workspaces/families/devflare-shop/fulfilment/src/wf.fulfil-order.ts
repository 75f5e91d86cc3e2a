import { WorkflowEntrypoint, type WorkflowEvent, type WorkflowStep } from 'cloudflare:workers'
import type { FulfilOrderParams } from '../../shared/types'

export class FulfilOrder extends WorkflowEntrypoint<DevflareEnv, FulfilOrderParams> {
	async run(event: WorkflowEvent<FulfilOrderParams>, step: WorkflowStep) {
		const { orderId, accountId, cartId } = event.payload
		const cart = this.env.CARTS.get(this.env.CARTS.idFromName(cartId))

		const total = await step.do('price cart', async () => {
			return await cart.total()
		})

		await step.do('record order', async () => {
			await this.env.ACCOUNTS.recordOrder({ id: orderId, accountId, total })
		})

		await step.sleep('cool-off', '1 minute')

		await step.do('empty cart', async () => {
			await cart.clear()
		})

		return { orderId, total }
	}
}
