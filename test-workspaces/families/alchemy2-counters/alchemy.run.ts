// The counter family: two Effect workers and an async one, linked by identity.
import * as Alchemy from "alchemy";
import * as Cloudflare from "alchemy/Cloudflare";
import * as Effect from "effect/Effect";
import WorkerA from "./src/workerA.ts";
import WorkerB from "./src/workerB.ts";
import { Api } from "./src/api.ts";
import Chat from "./src/chat.ts";

export default Alchemy.Stack(
  "Counters",
  { providers: Cloudflare.providers(), state: Cloudflare.state() },
  Effect.gen(function* () {
    const a = yield* WorkerA;
    const b = yield* WorkerB;
    const api = yield* Api;
    const chat = yield* Chat;
    return { a: a.url, b: b.url, api: api.url, chat: chat.url };
  }),
);
