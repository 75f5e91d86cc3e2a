// binds the KV namespace CACHE
import { defineConfig } from 'devflare/config'

export default defineConfig({
	name: 'shop-app',
	bindings: { kv: { CACHE: 'cache' } }
})
