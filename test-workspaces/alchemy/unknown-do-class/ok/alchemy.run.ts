// The Durable Object's className names the class src/index.ts exports.
// No migration is written: Alchemy makes them at deploy, so none is asked for.
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
