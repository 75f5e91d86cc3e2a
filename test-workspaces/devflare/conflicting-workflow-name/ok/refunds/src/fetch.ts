import { env } from 'devflare'

export default async function fetch(request: Request): Promise<Response> {
	const instance = await env.REFUND.create({ params: { id: 'o1' } })
	return Response.json({ id: instance.id })
}
