// The code reads env.API_KEYS; the worker binds API_KEY (read through `env` from
// "cloudflare:workers").
import alchemy from "alchemy";
import { Worker } from "alchemy/cloudflare";

const app = await alchemy("notes");

export const notes = await Worker("notes", {
  name: "notes",
  entrypoint: "./src/index.ts",
  bindings: {
    API_KEY: alchemy.secret(process.env.API_KEY),
  },
});

await app.finalize();
