export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const row = await env.DB.prepare("select 1 as one").first();
    return Response.json(row);
  },
};
