// hosts the Counter Durable Object, but neither its own code nor any other worker
// uses the binding COUNTER
import { defineConfig } from 'devflare/config'

export default defineConfig({
	name: 'counter-host',
	bindings: {
		durableObjects: { COUNTER: 'Counter' }
	},
	migrations: [{ tag: 'v1', new_sqlite_classes: ['Counter'] }]
})
