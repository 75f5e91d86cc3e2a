// the API worker
import { defineConfig } from 'devflare/config'

export default defineConfig({
	name: 'shop-api'
})
