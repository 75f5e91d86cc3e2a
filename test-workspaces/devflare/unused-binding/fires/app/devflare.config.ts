// binds the KV namespace CACHE, which its code never reads
import { defineConfig } from 'devflare/config'

export default defineConfig({
	name: 'shop-app',
	bindings: { kv: { CACHE: 'cache' } }
})
