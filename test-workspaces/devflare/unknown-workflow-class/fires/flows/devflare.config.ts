// hosts a workflow whose className no wf.* file exports
import { defineConfig } from 'devflare/config'

export default defineConfig({
	name: 'shop-flows',
	bindings: {
		workflows: { FULFIL: { name: 'shop-fulfil-order', className: 'FulfilOrders' } }
	}
})
