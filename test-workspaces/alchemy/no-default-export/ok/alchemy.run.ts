// The entry module has a default export.
import alchemy from "alchemy";
import { Worker } from "alchemy/cloudflare";

const app = await alchemy("site");

export const web = await Worker("web", {
  name: "site-web",
  entrypoint: "./src/main.ts",
});

await app.finalize();
