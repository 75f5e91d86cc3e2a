export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    await env.ORDERS.send({ at: Date.now() });
    await env.EMAILS.send({ at: Date.now() });
    return new Response("queued");
  },
};
