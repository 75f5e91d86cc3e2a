export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const instance = await env.BILLING.create({ params: { email: "a@example.com" } });
    return Response.json(await instance.status());
  },
};
