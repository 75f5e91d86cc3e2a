// The logical id `@Demo/Api_Worker` is not a deployed name (Alchemy derives one with a random
// suffix), so it is never checked as a worker name. Expected: no finding.
import * as Alchemy from "alchemy";
import * as Cloudflare from "alchemy/Cloudflare";
import * as Effect from "effect/Effect";

export const Api = Cloudflare.Worker("@Demo/Api_Worker", { main: "./src/api-main.ts" });

export default Alchemy.Stack(
  "Demo",
  { providers: Cloudflare.providers(), state: Cloudflare.state() },
  Effect.gen(function* () {
    yield* Api;
  }),
);
