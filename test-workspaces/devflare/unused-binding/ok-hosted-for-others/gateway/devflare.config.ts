// binds the Counter Durable Object hosted by counter-host
import { defineConfig, ref } from 'devflare/config'

const counter = ref(() => import('../counter/devflare.config'))

export default defineConfig({
	name: 'gateway',
	bindings: {
		durableObjects: { COUNTER: counter.COUNTER }
	}
})
