import type { MiddlewareHandler } from "hono";

export const rateLimit: MiddlewareHandler<{ Bindings: Env }> = async (c, next) => {
  const ip = c.req.header("cf-connecting-ip") ?? "unknown";
  const limiter = c.env.RATE_LIMITER.getByName(ip);
  if (!(await limiter.allow())) {
    return c.text("slow down", 429);
  }
  await next();
};
