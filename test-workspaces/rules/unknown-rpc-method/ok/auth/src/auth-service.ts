import { BaseService } from "./base";

export class AuthService extends BaseService {
  async verifyToken(token: string): Promise<string | null> {
    return this.#check(token) ? "user-1" : null;
  }

  #check(token: string): boolean {
    return token.length > 0;
  }

  static create(): void {}
}
