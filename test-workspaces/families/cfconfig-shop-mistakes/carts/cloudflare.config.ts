import { bindings, defineConfig, defineWorker, exports, triggers } from "cf/config";
import * as entrypoint from "./src/index.ts" with { type: "cf-worker" };

export const cartsWorker = defineWorker({
	name: "shop-carts",
	compatibilityDate: "2026-10-01",
	entrypoint,
	exports: {
		Cart: exports.durableObject({ storage: "sqlite" }),
	},
	env: {
		CARTS: bindings.durableObject({ worker: "shop-carts", exportName: "Cart" }),
		CART_LOCKS: bindings.durableObject({ worker: "shop-carts", exportName: "CartLock" }),
	},
	// empty a cart as soon as its order is placed
	triggers: [triggers.queue({ name: "shop-order-events", maxBatchSize: 25 })],
});

export default defineConfig({ worker: cartsWorker });
