import { WorkerEntrypoint } from "cloudflare:workers";
import type { Types } from "./types";
export class Public extends WorkerEntrypoint { count() { return 1; } }
export class Admin extends WorkerEntrypoint { wipe() { return 0; } }
export type { Types };
export default class extends WorkerEntrypoint<{ STORE: Service<Admin> }> {
  async fetch(): Promise<Response> { await this.env.STORE.wipe(); return new Response("ok"); }
}
