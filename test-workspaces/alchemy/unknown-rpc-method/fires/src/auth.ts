import { WorkerEntrypoint } from "cloudflare:workers";

export default class AuthApi extends WorkerEntrypoint {
  async fetch(): Promise<Response> {
    return new Response("auth is an RPC service", { status: 404 });
  }

  async verify(token: string): Promise<boolean> {
    return token.length > 0;
  }
}
