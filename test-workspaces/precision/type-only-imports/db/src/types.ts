import { WorkerEntrypoint } from "cloudflare:workers";
export class Types extends WorkerEntrypoint { list() { return []; } }
