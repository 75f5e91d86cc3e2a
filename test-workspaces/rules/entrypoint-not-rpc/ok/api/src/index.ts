export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const token = request.headers.get("authorization") ?? "";
    const user = await env.AUTH.verifyToken(token);
    return new Response(user ? "hello" : "denied");
  },
};
