import * as Effect from "effect/Effect";
import * as Cloudflare from "alchemy/Cloudflare";

// Implemented inline: the worker that yields `Room` hosts it. Deployed as "Rooms".
export default class Room extends Cloudflare.DurableObject<
  Room,
  { join: (who: string) => Effect.Effect<number> }
>()(
  "Rooms",
  Effect.gen(function* () {
    const state = yield* Cloudflare.DurableObjectState;
    return Effect.gen(function* () {
      return {
        join: (who: string) =>
          state.storage.get<number>(who).pipe(Effect.map((n) => (n ?? 0) + 1)),
      };
    });
  }),
) {}
