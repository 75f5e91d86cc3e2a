import { bindings, defineConfig } from "cf/config";
import { accountsWorker } from "../accounts/cloudflare.config.ts";
import { cartsWorker } from "../carts/cloudflare.config.ts";
import { fulfilmentWorker } from "../fulfilment/cloudflare.config.ts";
import type { OrderEvent } from "../shared/types.ts";
import * as entrypoint from "./src/index.ts" with { type: "cf-worker" };

export default defineConfig(({ mode }) => ({
	worker: {
		name: "shop-gateway",
		compatibilityDate: "2026-10-01",
		entrypoint,
		env: {
			ACCOUNTS: bindings.worker({ worker: accountsWorker, exportName: "AccountsApi" }),
			CARTS: bindings.durableObject({ worker: cartsWorker, exportName: "Cart" }),
			ORDER_EVENTS: bindings.queue<OrderEvent>({ name: "shop-order-events" }),
			FULFIL_ORDER: bindings.workflow({
				name: "shop-fulfil-order",
				worker: fulfilmentWorker,
				exportName: "FulfilOrder",
			}),
			API_VERSION: bindings.text("2026-10"),
			MODE: bindings.text(mode ?? "production"),
		},
	},
}));
