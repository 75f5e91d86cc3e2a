// consumes the jobs queue
import { defineConfig } from 'devflare/config'

export default defineConfig({
	name: 'shop-jobs',
	bindings: { queues: { consumers: [{ queue: 'jobs' }] } }
})
