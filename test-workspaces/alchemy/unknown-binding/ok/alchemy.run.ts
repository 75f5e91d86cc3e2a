// The code reads env.API_KEY, which the worker binds.
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
