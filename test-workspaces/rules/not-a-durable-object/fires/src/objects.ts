export class Counter {
  constructor(
    readonly state: DurableObjectState,
    readonly env: unknown,
  ) {}

  async increment(): Promise<number> {
    return 1;
  }
}
