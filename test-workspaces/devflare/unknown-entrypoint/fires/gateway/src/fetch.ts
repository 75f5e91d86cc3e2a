import { env } from 'devflare'

export default async function fetch(request: Request): Promise<Response> {
	return Response.json(await env.ADMIN.stats())
}
