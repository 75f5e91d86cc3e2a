// A Durable Object hosted with no migration anywhere: Alchemy creates the class at deploy,
// so missing-do-migration never applies to an Alchemy worker.
import alchemy from "alchemy";
import { DurableObjectNamespace, Worker } from "alchemy/cloudflare";

const app = await alchemy("counter");

export const counter = await Worker("counter", {
  name: "counter",
  entrypoint: "./src/index.ts",
  bindings: {
    COUNTER: DurableObjectNamespace("counter", {
      className: "Counter",
      sqlite: true,
    }),
  },
});

await app.finalize();
