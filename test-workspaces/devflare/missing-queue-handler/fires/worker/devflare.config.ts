// consumes the jobs queue; it has no src/queue.ts
import { defineConfig } from 'devflare/config'

export default defineConfig({
	name: 'shop-consumer',
	bindings: { queues: { consumers: [{ queue: 'jobs' }] } }
})
