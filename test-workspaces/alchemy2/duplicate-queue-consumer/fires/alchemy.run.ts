// Two workers subscribe to queue Jobs; a queue has one consumer.
// Expected: duplicate-queue-consumer on each subscription.
import * as Alchemy from "alchemy";
import * as Cloudflare from "alchemy/Cloudflare";
import * as Effect from "effect/Effect";
import { Api } from "./src/api.ts";
import Drain from "./src/drain.ts";
import Audit from "./src/audit.ts";

export default Alchemy.Stack(
  "Demo",
  { providers: Cloudflare.providers(), state: Cloudflare.state() },
  Effect.gen(function* () {
    yield* { Api };
    yield* Drain;
    yield* Audit;
  }),
);
