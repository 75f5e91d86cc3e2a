// binds the admin worker's entrypoint `AdminApi` through ref()
import { defineConfig, ref } from 'devflare/config'
const admin = ref(() => import('../admin/devflare.config'))

export default defineConfig({
	name: 'shop-gateway',
	bindings: {
		services: { ADMIN: admin.worker('AdminApi') }
	}
})
