import type { counter } from "../alchemy.run.ts";

type Env = typeof counter.Env;

export class Counter {
  increment(): number {
    return 1;
  }
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const stub = env.COUNTER.getByName("global");
    return new Response(String(stub));
  },
};
