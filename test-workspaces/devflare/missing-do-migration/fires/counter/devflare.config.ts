// hosts the Counter Durable Object but no migration creates it
import { defineConfig } from 'devflare/config'

export default defineConfig({
	name: 'counter-host',
	bindings: {
		durableObjects: { COUNTER: 'Counter' }
	},
})
