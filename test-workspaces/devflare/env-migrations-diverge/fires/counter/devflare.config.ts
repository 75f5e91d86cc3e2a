// hosts Counter and Tally; staging overrides the migrations
import { defineConfig } from 'devflare/config'

export default defineConfig({
	name: 'counter-host',
	bindings: {
		durableObjects: { COUNTER: 'Counter', TALLY: 'Tally' }
	},
	migrations: [
		{ tag: 'v1', new_sqlite_classes: ['Counter'] },
		{ tag: 'v2', new_sqlite_classes: ['Tally'] }
	],
	env: {
		staging: {
			name: 'counter-host-staging',
			migrations: [{ tag: 'v1', new_sqlite_classes: ['Counter', 'Tally'] }]
		}
	}
})
