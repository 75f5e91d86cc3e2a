// exports the named entrypoint AdminApi (src/ep.admin.ts)
import { defineConfig } from 'devflare/config'

export default defineConfig({
	name: 'shop-admin'
})
