// starts shop-flows' workflow; scriptName `shop-flows`
import { defineConfig } from 'devflare/config'

export default defineConfig({
	name: 'shop-gateway',
	bindings: {
		workflows: { FULFIL: { name: 'shop-fulfil-order', className: 'FulfilOrder', scriptName: 'shop-flows' } }
	}
})
