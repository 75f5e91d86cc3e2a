import { DurableObject } from "cloudflare:workers";
export class Parent extends DurableObject {}
export class Child extends DurableObject {}
export default { async fetch(): Promise<Response> { return new Response("t"); } };
