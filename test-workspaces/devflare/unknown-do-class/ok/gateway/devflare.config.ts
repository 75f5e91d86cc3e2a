// binds counter-host's Durable Object through ref()
import { defineConfig, ref } from 'devflare/config'
const counter = ref(() => import('../counter/devflare.config'))

export default defineConfig({
	name: 'shop-gateway',
	bindings: {
		durableObjects: { COUNTER: counter.COUNTER }
	}
})
