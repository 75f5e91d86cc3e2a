import * as Effect from "effect/Effect";
import * as Cloudflare from "alchemy/Cloudflare";
import { Jobs } from "./api.ts";

export class Drain extends Cloudflare.Worker<Drain, {}>()("Drain") {}

export default Drain.make(
  { main: import.meta.url },
  Effect.gen(function* () {
    yield* Cloudflare.Queue.messages<{ at: number }>(Jobs).subscribe((stream) =>
      stream.pipe(Effect.runDrain),
    );
    return { fetch: Effect.succeed(new Response("ok")) };
  }),
);
