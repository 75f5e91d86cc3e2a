// api calls a method of the auth worker's default WorkerEntrypoint.
import alchemy from "alchemy";
import { Worker } from "alchemy/cloudflare";

// Neither worker spells its name: both deploy as shop-<id>-<stage>, and the binding
// reaches auth by identity.
const app = await alchemy("shop");

export const auth = await Worker("auth", {
  entrypoint: "./src/auth.ts",
});

export const api = await Worker("api", {
  entrypoint: "./src/api.ts",
  bindings: {
    AUTH: auth,
  },
});

await app.finalize();
