export default {
  async fetch(request: Request, env: any): Promise<Response> {
    env.DB_AVAILABLE = false;
    return new Response(String(env.DB_AVAILABLE));
  },
};
