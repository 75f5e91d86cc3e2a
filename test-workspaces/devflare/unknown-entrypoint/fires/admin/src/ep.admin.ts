import { WorkerEntrypoint } from 'cloudflare:workers'

export class AdminApi extends WorkerEntrypoint {
	async stats(): Promise<{ requests: number }> {
		return { requests: 0 }
	}
}
