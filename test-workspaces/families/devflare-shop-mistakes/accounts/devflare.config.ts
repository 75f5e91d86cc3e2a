import { defineConfig } from 'devflare/config'
import type { Entrypoints } from './env'

// Entrypoints are discovered from **/ep.*.ts; `devflare types` writes the
// Entrypoints union into env.d.ts so `.worker('...')` is type-checked.
export default defineConfig<Entrypoints>({
	name: 'shop-accounts',
	compatibilityDate: '2026-10-01',

	files: {
		// exported functions become the default WorkerEntrypoint's RPC methods
		fetch: 'src/worker.ts'
	},

	bindings: {
		d1: {
			DB: 'shop-accounts'
		}
	}
})
