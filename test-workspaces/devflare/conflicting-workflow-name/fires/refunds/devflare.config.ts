// hosts its own workflow, named `shop-fulfil-order`
import { defineConfig } from 'devflare/config'

export default defineConfig({
	name: 'shop-refunds',
	bindings: {
		workflows: { REFUND: { name: 'shop-fulfil-order', className: 'RefundOrder' } }
	}
})
