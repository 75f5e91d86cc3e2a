export default async function fetch(request: Request): Promise<Response> {
	return new Response('next')
}
