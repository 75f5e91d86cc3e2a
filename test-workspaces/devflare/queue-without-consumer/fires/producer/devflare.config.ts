// produces the jobs queue; nobody consumes it
import { defineConfig } from 'devflare/config'

export default defineConfig({
	name: 'shop-producer',
	bindings: { queues: { producers: { JOBS: 'jobs' } } }
})
