// The api produces to the outbox queue, which no worker consumes.
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

await app.finalize();
