// binds the auth worker through ref(); the name given to ref() names no worker
import { defineConfig, ref } from 'devflare/config'
const auth = ref('shop-auths', () => import('../auth/devflare.config'))

export default defineConfig({
	name: 'shop-gateway',
	bindings: {
		services: { AUTH: auth.worker }
	}
})
