import * as Effect from "effect/Effect";
import { HttpServerRequest } from "effect/http/HttpServerRequest";
import * as HttpServerResponse from "effect/http/HttpServerResponse";
import * as Cloudflare from "alchemy/Cloudflare";
import Room from "./room.ts";
import NotifyWorkflow from "./notify.ts";
import { Jobs } from "./api.ts";

export class Chat extends Cloudflare.Workers.Worker<Chat, {}, Room>()("Chat") {}

export default Chat.make(
  { main: import.meta.url },
  Effect.gen(function* () {
    // `.from(Self)`: the local namespace.
    const rooms = yield* Room.from(Chat);
    const notifier = yield* NotifyWorkflow;
    // The queue consumer: jobs the API sends.
    yield* Cloudflare.Queue.messages<{ n: number }>(Jobs).subscribe((stream) =>
      stream.pipe(Effect.forEach((job) => Effect.log(job.n))),
    );
    return {
      fetch: Effect.gen(function* () {
        const request = yield* HttpServerRequest;
        const room = new URL(request.url).pathname.slice(1) || "lobby";
        const n = yield* rooms.getByName(room).join("me");
        yield* notifier.create({ params: { room } });
        return yield* HttpServerResponse.json({ n });
      }),
    };
  }),
);
