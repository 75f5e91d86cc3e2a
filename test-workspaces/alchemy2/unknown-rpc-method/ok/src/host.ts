import * as Effect from "effect/Effect";
import * as Cloudflare from "alchemy/Cloudflare";
import { Counter, CounterLive } from "./counter.ts";

export class Host extends Cloudflare.Worker<Host, {}, Counter>()("Host") {}

export default Host.make(
  { main: import.meta.url },
  Effect.gen(function* () {
    const counters = yield* Counter;
    return {
      fetch: Effect.gen(function* () {
        const n = yield* counters.getByName("a").increment();
        return new Response(String(n));
      }),
    };
  }).pipe(Effect.provide(CounterLive)),
);
