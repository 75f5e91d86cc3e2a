// binds counter-host's Durable Object by hand; the class name is misspelt
import { defineConfig, ref } from 'devflare/config'
const counter = ref(() => import('../counter/devflare.config'))

export default defineConfig({
	name: 'shop-gateway',
	bindings: {
		durableObjects: { COUNTER: { className: 'Counters', scriptName: 'counter-host' } }
	}
})
