export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const o = await env.BUCKET.get("k");
    return new Response(o ? "hit" : "miss");
  },
};
