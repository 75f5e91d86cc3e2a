// hosts Counter
import { defineConfig } from 'devflare/config'

export default defineConfig({
	name: 'counter-host',
	bindings: {
		durableObjects: { COUNTER: 'Counter' }
	},
	migrations: [{ tag: 'v1', new_sqlite_classes: ['Counter'] }]
})
