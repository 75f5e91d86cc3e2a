import type { Context } from "hono";

export async function currentUser(c: Context<{ Bindings: Env }>): Promise<string | null> {
  const token = c.req.header("authorization")?.replace("Bearer ", "") ?? "";
  const userId = await c.env.AUTH.verifyToken(token);
  if (!userId) {
    return null;
  }
  await c.env.AUTH.refreshSession(token);
  return userId;
}
