// hosts Counter and Tally; the second migration reuses the tag v1
import { defineConfig } from 'devflare/config'

export default defineConfig({
	name: 'counter-host',
	bindings: {
		durableObjects: { COUNTER: 'Counter', TALLY: 'Tally' }
	},
	migrations: [
		{ tag: 'v1', new_sqlite_classes: ['Counter'] },
		{ tag: 'v1', new_sqlite_classes: ['Tally'] }
	]
})
