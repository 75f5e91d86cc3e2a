// binds the auth worker through ref()
import { defineConfig, ref } from 'devflare/config'
const auth = ref(() => import('../auth/devflare.config'))

export default defineConfig({
	name: 'shop-gateway',
	bindings: {
		services: { AUTH: auth.worker }
	}
})
