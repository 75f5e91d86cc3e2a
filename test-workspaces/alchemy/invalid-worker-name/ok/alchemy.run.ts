// The worker's name is valid.
import alchemy from "alchemy";
import { Worker } from "alchemy/cloudflare";

const app = await alchemy("site");

export const web = await Worker("web", {
  name: "site-web",
  entrypoint: "./src/web.ts",
});

await app.finalize();
