// hosts a workflow with className `FulfilOrder`
import { defineConfig } from 'devflare/config'

export default defineConfig({
	name: 'shop-flows',
	bindings: {
		durableObjects: { COUNTER: 'Counter' },
		workflows: { FULFIL: { name: 'shop-fulfil-order', className: 'FulfilOrder' } }
	},
	migrations: [{ tag: 'v1', new_sqlite_classes: ['Counter'] }]
})
