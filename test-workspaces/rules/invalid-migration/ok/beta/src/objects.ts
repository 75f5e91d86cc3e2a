import { DurableObject } from "cloudflare:workers";

export class Counter extends DurableObject {
  async fetch(): Promise<Response> {
    return new Response("Counter");
  }
}

export class Tally extends DurableObject {
  async fetch(): Promise<Response> {
    return new Response("Tally");
  }
}

export class Draft extends DurableObject {
  async fetch(): Promise<Response> {
    return new Response("Draft");
  }
}
