import { DurableObject } from 'cloudflare:workers'

export class Counter extends DurableObject {
	async increment(): Promise<number> {
		const n = ((await this.ctx.storage.get<number>('n')) ?? 0) + 1
		await this.ctx.storage.put('n', n)
		return n
	}
}
