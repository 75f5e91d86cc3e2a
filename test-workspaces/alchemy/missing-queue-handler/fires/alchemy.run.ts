// The sender consumes the outbox queue but its default export has no queue handler.
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
  eventSources: [{ queue: outbox, settings: { batchSize: 10 } }],
});

await app.finalize();
