// binds counter-host's Durable Object; staging binds counter-host-staging's
import { defineConfig, ref } from 'devflare/config'
const counter = ref(() => import('../counter/devflare.config'))

export default defineConfig({
	name: 'shop-gateway',
	bindings: {
		durableObjects: { COUNTER: counter.COUNTER }
	},
	env: {
		staging: {
			bindings: { durableObjects: { COUNTER: { className: 'Counter', scriptName: 'counter-host-staging' } } }
		}
	}
})
