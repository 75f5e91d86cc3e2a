import { DurableObject } from "cloudflare:workers";
export class Harness extends DurableObject {}
export default { async fetch(): Promise<Response> { return new Response("t"); } };
