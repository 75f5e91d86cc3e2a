// calls math-worker's default entrypoint
import { defineConfig, ref } from 'devflare/config'
const math = ref(() => import('../math/devflare.config'))

export default defineConfig({
	name: 'shop-gateway',
	bindings: {
		services: { MATH: math.worker }
	}
})
