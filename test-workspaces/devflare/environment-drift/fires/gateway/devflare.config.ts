// binds counter-host's Durable Object; ref() names counter-host in every environment
import { defineConfig, ref } from 'devflare/config'
const counter = ref(() => import('../counter/devflare.config'))

export default defineConfig({
	name: 'shop-gateway',
	bindings: {
		durableObjects: { COUNTER: counter.COUNTER }
	},
	env: {
		staging: {
		}
	}
})
