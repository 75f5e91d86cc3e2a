// The bound class neither extends DurableObject nor has a fetch method.
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
