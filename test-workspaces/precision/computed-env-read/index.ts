export default {
  async fetch(request: Request, env: Record<string, any>): Promise<Response> {
    const name = JSON.parse(env.ROUTES)[0];
    return (env[name] as Fetcher).fetch(request);
  },
};
