export default {
  async fetch(r: Request, env: any): Promise<Response> {
    await env.REMOTE.fetch(r); await env.AUX.fetch(r); return env.PREFS.fetch(r);
  },
};
