// The bindings spread a conditional object: env.REGION may be bound, so no unknown
// env.X is reported for this worker.
import alchemy from "alchemy";
import { Worker } from "alchemy/cloudflare";

const app = await alchemy("notes");

export const notes = await Worker("notes", {
  name: "notes",
  entrypoint: "./src/index.ts",
  bindings: {
    ...(process.env.REGION ? { REGION: process.env.REGION } : {}),
    API_KEY: alchemy.secret(process.env.API_KEY),
  },
});

await app.finalize();
