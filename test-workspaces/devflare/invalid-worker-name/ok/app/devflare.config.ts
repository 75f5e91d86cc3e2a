// its name is `shop-app`
import { defineConfig } from 'devflare/config'

export default defineConfig({
	name: 'shop-app'
})
