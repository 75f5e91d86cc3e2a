import { defineConfig } from 'devflare/config'

export default defineConfig({
	name: 'shop-carts',
	compatibilityDate: '2026-10-01',

	bindings: {
		durableObjects: {
			// class Cart in src/do.cart.ts (discovered by the default **/do.*.ts glob)
			CARTS: 'Cart',
			// per-cart checkout lock (src/do.cart-lock.ts)
			CART_LOCKS: 'CartLock'
		},
		queues: {
			consumers: [
				{
					// empty a cart as soon as its order is placed
					queue: 'shop-order-events',
					maxBatchSize: 25
				}
			]
		}
	},

	migrations: [
		{
			tag: 'v1',
			new_sqlite_classes: ['Cart']
		}
	]
})
