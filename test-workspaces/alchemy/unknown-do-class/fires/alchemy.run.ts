// The Durable Object's className is misspelt: src/index.ts exports `Counter`.
import alchemy from "alchemy";
import { DurableObjectNamespace, Worker } from "alchemy/cloudflare";

const app = await alchemy("counter");

export const counter = await Worker("counter", {
  name: "counter",
  entrypoint: "./src/index.ts",
  bindings: {
    COUNTER: DurableObjectNamespace("counter", {
      className: "Countr",
      sqlite: true,
    }),
  },
});

await app.finalize();
