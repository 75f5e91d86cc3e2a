// hosts its own workflow, named `shop-refund-order`
import { defineConfig } from 'devflare/config'

export default defineConfig({
	name: 'shop-refunds',
	bindings: {
		workflows: { REFUND: { name: 'shop-refund-order', className: 'RefundOrder' } }
	}
})
