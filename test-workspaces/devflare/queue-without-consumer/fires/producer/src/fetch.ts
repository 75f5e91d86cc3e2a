import { env } from 'devflare'

export default async function fetch(request: Request): Promise<Response> {
	await env.JOBS.send({ at: Date.now() })
	return new Response('queued')
}
