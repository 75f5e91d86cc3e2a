import * as Effect from "effect/Effect";
import * as Cloudflare from "alchemy/Cloudflare";

export class Counter extends Cloudflare.DurableObjectNamespace<
  Counter,
  { increment: () => Effect.Effect<number> }
>()("Counter") {}

export const CounterLive = Counter.make(
  Effect.gen(function* () {
    const state = yield* Cloudflare.DurableObjectState;
    return Effect.gen(function* () {
      return {
        increment: () =>
          state.storage.get<number>("n").pipe(Effect.map((n) => (n ?? 0) + 1)),
      };
    });
  }),
);
