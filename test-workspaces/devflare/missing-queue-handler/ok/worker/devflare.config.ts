// consumes the jobs queue (src/queue.ts)
import { defineConfig } from 'devflare/config'

export default defineConfig({
	name: 'shop-consumer',
	bindings: { queues: { consumers: [{ queue: 'jobs' }] } }
})
