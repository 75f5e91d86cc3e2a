import { DurableObject } from "cloudflare:workers";

export class Counter extends DurableObject {
  async fetch(): Promise<Response> {
    return new Response("Counter");
  }
}
