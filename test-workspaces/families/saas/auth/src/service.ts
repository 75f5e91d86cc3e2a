import { WorkerEntrypoint } from "cloudflare:workers";

export class AuthServiceImpl extends WorkerEntrypoint<Env> {
  async verifyToken(token: string): Promise<string | null> {
    if (!token.endsWith(this.env.JWT_SECRET.slice(0, 4))) {
      return null;
    }
    return this.env.SESSIONS.get(`token:${token}`);
  }

  async revokeToken(token: string): Promise<void> {
    await this.env.SESSIONS.delete(`token:${token}`);
  }
}
