// The entrypoint exists (relative to the folder of alchemy.run.ts).
import alchemy from "alchemy";
import { Worker } from "alchemy/cloudflare";

const app = await alchemy("site");

export const web = await Worker("web", {
  name: "site-web",
  entrypoint: "./src/main.ts",
});

await app.finalize();
