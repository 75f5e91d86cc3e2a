// hosts Counter; its staging environment deploys as counter-host-staging
import { defineConfig } from 'devflare/config'

export default defineConfig({
	name: 'counter-host',
	bindings: {
		durableObjects: { COUNTER: 'Counter' }
	},
	migrations: [{ tag: 'v1', new_sqlite_classes: ['Counter'] }],
	env: {
		staging: { name: 'counter-host-staging' }
	}
})
