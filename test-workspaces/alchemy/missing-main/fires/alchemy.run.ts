// The entrypoint names a file that does not exist.
import alchemy from "alchemy";
import { Worker } from "alchemy/cloudflare";

const app = await alchemy("site");

export const web = await Worker("web", {
  name: "site-web",
  entrypoint: "./src/index.ts",
});

await app.finalize();
