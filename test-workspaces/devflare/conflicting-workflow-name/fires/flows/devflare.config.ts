// hosts the workflow FulfilOrder (src/wf.fulfil-order.ts)
import { defineConfig } from 'devflare/config'

export default defineConfig({
	name: 'shop-flows',
	bindings: {
		workflows: { FULFIL: { name: 'shop-fulfil-order', className: 'FulfilOrder' } }
	}
})
