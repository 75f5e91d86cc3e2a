// hosts Counter (src/do.counter.ts)
import { defineConfig } from 'devflare/config'

export default defineConfig({
	name: 'counter-host',
	bindings: {
		durableObjects: { COUNTER: 'Counter' }
	},
	migrations: [{ tag: 'v1', new_sqlite_classes: ['Counter'] }]
})
