export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const counted = await env.COUNTER.getByName("hits").fetch(request);
    return counted.ok ? env.AUTH.fetch(request) : counted;
  },
};
