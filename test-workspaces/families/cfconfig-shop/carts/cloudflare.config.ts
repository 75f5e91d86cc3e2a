import { bindings, defineConfig, defineWorker, exports } from "cf/config";
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
	},
});

export default defineConfig({ worker: cartsWorker });
