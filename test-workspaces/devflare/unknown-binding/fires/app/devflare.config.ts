// its code reads env.SESSIONS, which the config never binds
import { defineConfig } from 'devflare/config'

export default defineConfig({
	name: 'shop-app',
})
