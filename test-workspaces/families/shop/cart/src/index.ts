export { Cart } from "./cart";

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const session = new URL(request.url).searchParams.get("session") ?? "anonymous";
    const stub = env.CART.get(env.CART.idFromName(session));
    return Response.json(await stub.getItems());
  },
};
