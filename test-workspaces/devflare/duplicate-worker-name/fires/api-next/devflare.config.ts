// a copy of the API worker, named `shop-api`
import { defineConfig } from 'devflare/config'

export default defineConfig({
	name: 'shop-api'
})
