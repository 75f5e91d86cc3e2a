import type { Env } from "./env";

export async function sessionId(env: Env, request: Request): Promise<string> {
  const cookie = request.headers.get("cookie") ?? "";
  const known = await env.SESSIONS.get(cookie);
  return known ?? crypto.randomUUID();
}
