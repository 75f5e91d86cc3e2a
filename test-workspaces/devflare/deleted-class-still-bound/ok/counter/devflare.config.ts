// hosts Counter; migration v2 deletes Legacy
import { defineConfig } from 'devflare/config'

export default defineConfig({
	name: 'counter-host',
	bindings: {
		durableObjects: { COUNTER: 'Counter' }
	},
	migrations: [
		{ tag: 'v1', new_sqlite_classes: ['Counter', 'Legacy'] },
		{ tag: 'v2', deleted_classes: ['Legacy'] }
	]
})
