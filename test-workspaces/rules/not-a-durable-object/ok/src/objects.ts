export class Counter {
  constructor(
    readonly state: DurableObjectState,
    readonly env: unknown,
  ) {}

  async fetch(): Promise<Response> {
    return new Response("1");
  }
}
