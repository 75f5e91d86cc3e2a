// Two workers consume the outbox queue (one bare, one with settings); a queue has one
// consumer worker.
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

export const archiver = await Worker("archiver", {
  name: "mail-archiver",
  entrypoint: "./src/archiver.ts",
  eventSources: [{ queue: outbox, settings: { batchSize: 10 } }],
});

await app.finalize();
