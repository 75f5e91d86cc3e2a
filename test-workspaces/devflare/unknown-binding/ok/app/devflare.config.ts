// its code reads env.SESSIONS
import { defineConfig } from 'devflare/config'

export default defineConfig({
	name: 'shop-app',
	bindings: { kv: { SESSIONS: 'sessions' } }
})
