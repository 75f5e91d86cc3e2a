import { WorkerEntrypoint } from "cloudflare:workers";

export class SignupFlow extends WorkerEntrypoint {
  async run(): Promise<void> {}
}
