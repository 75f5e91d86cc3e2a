// forwards requests to shop-jobs and produces its queue
import { defineConfig, ref } from 'devflare/config'
const jobs = ref(() => import('../jobs/devflare.config'))

export default defineConfig({
	name: 'shop-gateway',
	bindings: {
		services: { JOBS_API: jobs.worker },
		queues: { producers: { JOBS: 'jobs' } }
	}
})
