// An async worker reads every binding of its env.
// Expected: no finding.
import * as Alchemy from "alchemy";
import * as Cloudflare from "alchemy/Cloudflare";
import * as Effect from "effect/Effect";
import { Api } from "./src/api.ts";

export default Alchemy.Stack(
  "Demo",
  { providers: Cloudflare.providers(), state: Cloudflare.state() },
  Effect.gen(function* () {
    yield* { Api };
  }),
);
