import { DurableObject } from 'cloudflare:workers'
import type { CartItem } from '../../shared/types'

export class Cart extends DurableObject<DevflareEnv> {
	async getItems(): Promise<CartItem[]> {
		return (await this.ctx.storage.get<CartItem[]>('items')) ?? []
	}

	async addItem(item: CartItem): Promise<CartItem[]> {
		const items = await this.getItems()
		const existing = items.find((i) => i.sku === item.sku)
		if (existing) {
			existing.quantity += item.quantity
		} else {
			items.push(item)
		}
		await this.ctx.storage.put('items', items)
		return items
	}

	async total(): Promise<number> {
		const items = await this.getItems()
		return items.reduce((sum, i) => sum + i.price * i.quantity, 0)
	}

	async clear(): Promise<void> {
		await this.ctx.storage.delete('items')
	}
}
