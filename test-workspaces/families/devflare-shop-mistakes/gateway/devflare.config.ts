import { defineConfig, ref } from 'devflare/config'

// Sibling workers are referenced through their own configs, so the service and
// Durable Object bindings below always follow the target's `name`.
const accounts = ref(() => import('../accounts/devflare.config'))
const carts = ref(() => import('../carts/devflare.config'))

export default defineConfig({
	name: 'shop-gateway',
	compatibilityDate: '2026-10-01',

	bindings: {
		services: {
			// Named entrypoint: class AccountsApi in accounts/src/ep.accounts-api.ts
			ACCOUNTS: accounts.worker('AccountsApi')
		},
		durableObjects: {
			// { className: 'Cart', scriptName: 'shop-carts' } via the carts config
			CARTS: carts.CARTS
		},
		queues: {
			producers: {
				ORDER_EVENTS: 'shop-order-events'
			}
		},
		workflows: {
			FULFIL_ORDER: {
				name: 'shop-fulfil-order',
				className: 'FulfilOrder',
				scriptName: 'shop-fulfilments'
			}
		}
	},

	vars: {
		API_VERSION: '2026-10'
	},

	env: {
		preview: {
			vars: {
				API_VERSION: '2026-10-preview'
			}
		}
	}
})
