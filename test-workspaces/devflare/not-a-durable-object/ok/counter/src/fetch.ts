import { env } from 'devflare'

export default async function fetch(request: Request): Promise<Response> {
	return env.COUNTER.get(env.COUNTER.idFromName('x')).fetch(request)
}
