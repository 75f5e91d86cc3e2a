import { DurableObject } from 'cloudflare:workers'

export class CartLock extends DurableObject<DevflareEnv> {
	async acquire(owner: string): Promise<boolean> {
		const current = await this.ctx.storage.get<string>('owner')
		if (current && current !== owner) {
			return false
		}
		await this.ctx.storage.put('owner', owner)
		return true
	}

	async release(owner: string): Promise<void> {
		if ((await this.ctx.storage.get<string>('owner')) === owner) {
			await this.ctx.storage.delete('owner')
		}
	}
}
