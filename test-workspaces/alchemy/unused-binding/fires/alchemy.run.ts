// The KV namespace is bound as PAGES but no code of the worker reads env.PAGES.
import alchemy from "alchemy";
import { KVNamespace, Worker } from "alchemy/cloudflare";

const app = await alchemy("cache");

export const cache = await Worker("cache", {
  name: "cache",
  entrypoint: "./src/index.ts",
  bindings: {
    PAGES: await KVNamespace("pages", { title: "cache-pages" }),
  },
});

await app.finalize();
