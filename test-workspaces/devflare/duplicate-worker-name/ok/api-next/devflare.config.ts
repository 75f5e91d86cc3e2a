// a copy of the API worker, named `shop-api-v2`
import { defineConfig } from 'devflare/config'

export default defineConfig({
	name: 'shop-api-v2'
})
