// binds counter-host's export `Counter` as an entrypoint
import { defineConfig, ref } from 'devflare/config'
const counter = ref(() => import('../counter/devflare.config'))

export default defineConfig({
	name: 'shop-gateway',
	bindings: {
		services: { ADMIN: counter.worker('Counter') }
	}
})
