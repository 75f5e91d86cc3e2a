import { defineConfig, ref } from 'devflare/config'

const accounts = ref(() => import('../accounts/devflare.config'))
const carts = ref(() => import('../carts/devflare.config'))

export default defineConfig({
	name: 'shop-fulfilment',
	compatibilityDate: '2026-10-01',

	bindings: {
		services: {
			// default entrypoint: the functions exported by accounts/src/worker.ts
			ACCOUNTS: accounts.worker
		},
		durableObjects: {
			CARTS: carts.CARTS
		},
		queues: {
			consumers: [
				{
					queue: 'shop-order-events',
					maxBatchSize: 10,
					maxRetries: 3,
					deadLetterQueue: 'shop-order-events-dlq'
				}
			]
		},
		workflows: {
			// hosted here: class FulfilOrder in src/wf.fulfil-order.ts
			FULFIL_ORDER: {
				name: 'shop-fulfil-order',
				className: 'FulfilOrder'
			}
		}
	}
})
