import { bindings, defineConfig, defineWorker, exports, triggers } from "cf/config";
import { accountsWorker } from "../accounts/cloudflare.config.ts";
import { cartsWorker } from "../carts/cloudflare.config.ts";
import * as entrypoint from "./src/index.ts" with { type: "cf-worker" };

export const fulfilmentWorker = defineWorker({
	name: "shop-fulfilment",
	compatibilityDate: "2026-10-01",
	entrypoint,
	exports: {
		FulfilOrder: exports.workflow({ name: "shop-fulfil-order" }),
	},
	env: {
		// default entrypoint of shop-accounts
		ACCOUNTS: bindings.worker({ worker: accountsWorker }),
		CARTS: bindings.durableObject({ worker: cartsWorker, exportName: "Cart" }),
		FULFIL_ORDER: bindings.workflow({
			name: "shop-fulfil-order",
			worker: "shop-fulfilment",
			exportName: "FulfilOrder",
		}),
	},
	triggers: [
		triggers.queue({
			name: "shop-order-events",
			maxBatchSize: 10,
			maxRetries: 3,
			deadLetterQueue: "shop-order-events-dlq",
		}),
	],
});

export default defineConfig({ worker: fulfilmentWorker });
