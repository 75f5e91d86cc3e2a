// A literal `name` is the deployed name: `Api_Worker` has upper-case letters, which
// Cloudflare rejects. Expected: invalid-worker-name on the name.
import * as Alchemy from "alchemy";
import * as Cloudflare from "alchemy/Cloudflare";
import * as Effect from "effect/Effect";

export const Api = Cloudflare.Worker("@Demo/Api_Worker", { name: "Api_Worker", main: "./src/api-main.ts" });

export default Alchemy.Stack(
  "Demo",
  { providers: Cloudflare.providers(), state: Cloudflare.state() },
  Effect.gen(function* () {
    yield* Api;
  }),
);
