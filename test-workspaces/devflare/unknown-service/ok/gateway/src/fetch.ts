import { env } from 'devflare'

export default async function fetch(request: Request): Promise<Response> {
	return env.AUTH.fetch(request)
}
