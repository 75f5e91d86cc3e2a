export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    return env.AUTH.fetch(request);
  },
};
