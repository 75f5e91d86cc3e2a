// the auth worker, bound by the gateway
import { defineConfig } from 'devflare/config'

export default defineConfig({
	name: 'shop-auth'
})
