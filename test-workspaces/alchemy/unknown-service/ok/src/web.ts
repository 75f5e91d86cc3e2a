export default {
  async fetch(request: Request, env: { AUTH: Fetcher }): Promise<Response> {
    return env.AUTH.fetch(request);
  },
};
