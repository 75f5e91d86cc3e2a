import { WorkerEntrypoint } from "cloudflare:workers";

export class BaseService extends WorkerEntrypoint<Env> {
  async health(): Promise<string> {
    return "ok";
  }
}
