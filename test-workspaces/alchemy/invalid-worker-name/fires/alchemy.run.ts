// The worker's name has upper case and a dot, which Cloudflare refuses.
import alchemy from "alchemy";
import { Worker } from "alchemy/cloudflare";

const app = await alchemy("site");

export const web = await Worker("web", {
  name: "Site.Web",
  entrypoint: "./src/web.ts",
});

await app.finalize();
