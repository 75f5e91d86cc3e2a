import { BaseService } from "./base";

export interface Session {
  userId: string;
}

export class AuthService extends BaseService {
  async verifyToken(token: string): Promise<Session | null> {
    if (!this.#signatureValid(token)) {
      return null;
    }
    const row = await this.env.USERS.prepare("SELECT user_id FROM sessions WHERE token = ?")
      .bind(token)
      .first<{ user_id: string }>();
    return row ? { userId: row.user_id } : null;
  }

  #signatureValid(token: string): boolean {
    const [payload, signature] = token.split(".");
    return Boolean(payload && signature && this.env.JWT_SECRET);
  }
}
