import { env } from 'devflare'

export default async function fetch(request: Request): Promise<Response> {
	await env.COUNTER.get(env.COUNTER.idFromName('x')).increment()
	const instance = await env.FULFIL.create({ params: { id: 'o1' } })
	return Response.json({ id: instance.id })
}
