import { env } from 'devflare'

export default async function fetch(request: Request): Promise<Response> {
	const counter = env.COUNTER.get(env.COUNTER.idFromName('global'))
	return Response.json({ value: await counter.increment() })
}
