import { env } from 'devflare'

export default async function fetch(request: Request): Promise<Response> {
	const stub = env.COUNTER.get(env.COUNTER.idFromName('gateway'))
	return Response.json(await stub.increment())
}
