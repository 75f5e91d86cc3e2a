// hosts the Counter Durable Object for the gateway; its own code never reads COUNTER,
// but Devflare exports the class only through this local binding
import { defineConfig } from 'devflare/config'

export default defineConfig({
	name: 'counter-host',
	bindings: {
		durableObjects: { COUNTER: 'Counter' }
	},
	migrations: [{ tag: 'v1', new_sqlite_classes: ['Counter'] }]
})
