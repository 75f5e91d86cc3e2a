import { WorkerEntrypoint } from "cloudflare:workers";

export class BaseService extends WorkerEntrypoint {
  async health(): Promise<string> {
    return "ok";
  }
}
