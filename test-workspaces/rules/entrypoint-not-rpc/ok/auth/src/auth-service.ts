import { BaseService } from "./base";

export class AuthService extends BaseService {
  async verifyToken(token: string): Promise<string | null> {
    return token.length > 0 ? "user-1" : null;
  }
}
