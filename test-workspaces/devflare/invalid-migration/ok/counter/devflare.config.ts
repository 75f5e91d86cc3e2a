// hosts Counter and Tally; the second migration is tagged v2
import { defineConfig } from 'devflare/config'

export default defineConfig({
	name: 'counter-host',
	bindings: {
		durableObjects: { COUNTER: 'Counter', TALLY: 'Tally' }
	},
	migrations: [
		{ tag: 'v1', new_sqlite_classes: ['Counter'] },
		{ tag: 'v2', new_sqlite_classes: ['Tally'] }
	]
})
