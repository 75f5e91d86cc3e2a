import * as Effect from "effect/Effect";
import * as Cloudflare from "alchemy/Cloudflare";

export default class NotifyWorkflow extends Cloudflare.Workflow<NotifyWorkflow>()(
  "Notifier",
  Effect.gen(function* () {
    return Effect.fn(function* (input: { room: string }) {
      return input.room;
    });
  }),
) {}
