export default {
  async fetch(request: Request, env: { JOBS: Fetcher }): Promise<Response> {
    return env.JOBS.fetch(request);
  },
};
