export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const hit = await env.CACHE.get(request.url);
    return new Response(hit ?? "miss");
  },
};
