import { env } from 'devflare'

export default async function fetch(request: Request): Promise<Response> {
	env.TALLY.idFromName('x')
	return Response.json(await env.COUNTER.get(env.COUNTER.idFromName('x')).increment())
}
