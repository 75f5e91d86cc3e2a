export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    await env.COUNTER.getByName("x").fetch(request);
    return new Response("ok");
  },
};
