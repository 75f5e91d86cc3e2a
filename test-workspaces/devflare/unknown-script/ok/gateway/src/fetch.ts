import { env } from 'devflare'

export default async function fetch(request: Request): Promise<Response> {
	const instance = await env.FULFIL.get('o1')
	return Response.json(await instance.status())
}
