export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    await env.CACHE.put("last", request.url);
    return new Response(env.GREETING);
  },
};
