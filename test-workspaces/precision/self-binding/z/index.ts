import { WorkerEntrypoint } from "cloudflare:workers";
export class MyEntry extends WorkerEntrypoint {}
export default { async fetch(r: Request, env: any): Promise<Response> { return env.SELF.fetch(r); } };
