import * as Effect from "effect/Effect";
import { HttpServerRequest } from "effect/http/HttpServerRequest";
import * as HttpServerResponse from "effect/http/HttpServerResponse";
import * as Cloudflare from "alchemy/Cloudflare";
import { Counter } from "./counter.ts";
import { WorkerB } from "./workerB.ts";
import Room from "./room.ts";
import { Chat } from "./chat.ts";

export class WorkerA extends Cloudflare.Worker<WorkerA, { name: () => Effect.Effect<string> }>()(
  "WorkerA",
) {}

export default WorkerA.make(
  { main: import.meta.url },
  Effect.gen(function* () {
    const counters = yield* Counter.from(WorkerB);
    const rooms = yield* Room.from(Chat);
    return {
      fetch: Effect.gen(function* () {
        const request = yield* HttpServerRequest;
        const key = new URL(request.url, "http://x").searchParams.get("key") ?? "default";
        const value = yield* counters.getByName(key).increment();
        yield* rooms.getByName(key).join("a");
        return yield* HttpServerResponse.json({ value });
      }),
      name: () => Effect.succeed("WorkerA"),
    };
  }),
);
