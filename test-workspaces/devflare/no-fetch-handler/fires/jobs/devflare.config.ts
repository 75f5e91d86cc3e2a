// consumes the jobs queue; it has no fetch handler (only src/queue.ts)
import { defineConfig } from 'devflare/config'

export default defineConfig({
	name: 'shop-jobs',
	bindings: { queues: { consumers: [{ queue: 'jobs' }] } }
})
