interface Env { CACHE: KVNamespace; OPTIONAL?: R2Bucket }
export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    return new Response(await env.CACHE.get("k") ?? String(env.OPTIONAL));
  },
};
