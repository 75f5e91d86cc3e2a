export { Counter } from "./counter";

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const token = request.headers.get("authorization") ?? "";
    const user = await env.AUTH.verifyTokn(token);
    const ok = await env.AUTH.health();
    const stub = env.COUNTER.getByName(user ?? "anonymous");
    const hits = await stub.incremnt();
    return new Response(`${ok} ${hits}`);
  },
};
