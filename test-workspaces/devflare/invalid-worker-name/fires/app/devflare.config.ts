// its name is `Shop_App`
import { defineConfig } from 'devflare/config'

export default defineConfig({
	name: 'Shop_App'
})
