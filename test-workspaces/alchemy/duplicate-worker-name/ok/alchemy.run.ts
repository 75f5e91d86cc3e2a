// Each worker has its own name.
import alchemy from "alchemy";
import { Worker } from "alchemy/cloudflare";

const app = await alchemy("site");

export const web = await Worker("web", {
  name: "site-web",
  entrypoint: "./src/web.ts",
});

export const admin = await Worker("admin", {
  name: "site-admin",
  entrypoint: "./src/admin.ts",
});

await app.finalize();
