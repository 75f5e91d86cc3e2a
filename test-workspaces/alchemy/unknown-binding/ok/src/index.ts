import { env } from "cloudflare:workers";

export default {
  async fetch(request: Request): Promise<Response> {
    const key = env.API_KEY;
    return new Response(request.headers.get("x-key") === key ? "ok" : "denied");
  },
};
