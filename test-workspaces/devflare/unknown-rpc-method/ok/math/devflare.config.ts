// its worker.ts's exported functions are the default entrypoint's RPC methods
import { defineConfig } from 'devflare/config'

export default defineConfig({
	name: 'math-worker',
	files: { fetch: 'worker.ts' }
})
