// A stub call the Shape of Counter has: `increment`.
// Expected: no finding.
import * as Alchemy from "alchemy";
import * as Cloudflare from "alchemy/Cloudflare";
import * as Effect from "effect/Effect";
import Host from "./src/host.ts";
import Caller from "./src/caller.ts";

export default Alchemy.Stack(
  "Demo",
  { providers: Cloudflare.providers(), state: Cloudflare.state() },
  Effect.gen(function* () {
    yield* Host;
    yield* Caller;
  }),
);
