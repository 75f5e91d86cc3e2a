import { env } from 'devflare'

export default async function fetch(request: Request): Promise<Response> {
	return env.ADMIN.fetch(request)
}
