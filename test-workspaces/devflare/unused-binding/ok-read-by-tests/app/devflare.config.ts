// binds the KV namespace CACHE, which only its tests read (env from devflare, the test
// context from devflare/test)
import { defineConfig } from 'devflare/config'

export default defineConfig({
	name: 'shop-app',
	bindings: { kv: { CACHE: 'cache' } }
})
