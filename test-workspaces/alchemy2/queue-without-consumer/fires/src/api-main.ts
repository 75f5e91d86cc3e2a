export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    await env.JOBS.send({ at: Date.now() });
    return new Response("queued");
  },
};
