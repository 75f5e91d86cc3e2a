export { RateLimiter } from "./rate-limiter";

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const key = new URL(request.url).searchParams.get("key") ?? "global";
    await env.RATE_LIMITER.getByName(key).reset();
    return new Response("reset");
  },
};
