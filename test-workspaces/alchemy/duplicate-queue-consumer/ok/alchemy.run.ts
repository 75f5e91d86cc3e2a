// One worker consumes the outbox queue.
import alchemy from "alchemy";
import { Queue, Worker } from "alchemy/cloudflare";

const app = await alchemy("mail");

export const outbox = await Queue("outbox", { name: "mail-outbox" });

export const api = await Worker("api", {
  name: "mail-api",
  entrypoint: "./src/api.ts",
  bindings: {
    OUTBOX: outbox,
  },
});

export const sender = await Worker("sender", {
  name: "mail-sender",
  entrypoint: "./src/sender.ts",
  eventSources: [outbox],
});

await app.finalize();
