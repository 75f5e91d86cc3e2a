import * as Effect from "effect/Effect";
import * as Cloudflare from "alchemy/Cloudflare";
import { Counter } from "./counter.ts";
import { Host } from "./host.ts";

export class Caller extends Cloudflare.Worker<Caller, {}>()("Caller") {}

export default Caller.make(
  { main: import.meta.url },
  Effect.gen(function* () {
    const counters = yield* Counter.from(Host);
    return {
      fetch: Effect.gen(function* () {
        const n = yield* counters.getByName("a").increment();
        return new Response(String(n));
      }),
    };
  }),
);
