import { env } from 'devflare'

export default async function fetch(request: Request): Promise<Response> {
	const id = new URL(request.url).searchParams.get('cart')
	if (!id) {
		return new Response('missing ?cart=', { status: 400 })
	}
	const cart = env.CARTS.get(env.CARTS.idFromName(id))
	return Response.json(await cart.getItems())
}
