import { bindings, defineConfig, defineWorker } from "cf/config";
import * as entrypoint from "./src/index.ts" with { type: "cf-worker" };

// Exported so other workers bind it by reference: a rename of `name` follows.
export const accountsWorker = defineWorker({
	name: "shop-accounts",
	compatibilityDate: "2026-10-01",
	entrypoint,
	env: {
		DB: bindings.d1({ name: "shop-accounts" }),
	},
});

export default defineConfig({ worker: accountsWorker });
