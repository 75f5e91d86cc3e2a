export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const a = env.API_TOKN;
    const b = env.SENTRY_DSN;
    return new Response(String(env.API_TOKEN) + a + b);
  },
};
