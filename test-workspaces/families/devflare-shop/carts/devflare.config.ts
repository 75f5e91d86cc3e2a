import { defineConfig } from 'devflare/config'

export default defineConfig({
	name: 'shop-carts',
	compatibilityDate: '2026-10-01',

	bindings: {
		durableObjects: {
			// class Cart in src/do.cart.ts (discovered by the default **/do.*.ts glob)
			CARTS: 'Cart'
		}
	},

	migrations: [
		{
			tag: 'v1',
			new_sqlite_classes: ['Cart']
		}
	]
})
