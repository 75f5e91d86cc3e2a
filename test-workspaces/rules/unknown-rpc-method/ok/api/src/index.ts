export { Counter } from "./counter";

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const token = request.headers.get("authorization") ?? "";
    const user = await env.AUTH.verifyToken(token);
    const ok = await env.AUTH.health();
    const stub = env.COUNTER.getByName(user ?? "anonymous");
    const hits = await stub.increment();
    return new Response(`${ok} ${hits}`);
  },
};
