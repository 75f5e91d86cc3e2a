export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const key = env.API_KEY;
    if (env.DEBUG) console.log("debug on");
    return new Response(key ? "configured" : "missing");
  },
};
