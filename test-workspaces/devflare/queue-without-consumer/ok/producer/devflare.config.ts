// produces the jobs queue
import { defineConfig } from 'devflare/config'

export default defineConfig({
	name: 'shop-producer',
	bindings: { queues: { producers: { JOBS: 'jobs' } } }
})
