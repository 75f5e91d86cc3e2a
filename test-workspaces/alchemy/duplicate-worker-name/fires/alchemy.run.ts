// Two workers of one program spell the same name: one deploy overwrites the other.
import alchemy from "alchemy";
import { Worker } from "alchemy/cloudflare";

const app = await alchemy("site");

export const web = await Worker("web", {
  name: "site-web",
  entrypoint: "./src/web.ts",
});

export const admin = await Worker("admin", {
  name: "site-web",
  entrypoint: "./src/admin.ts",
});

await app.finalize();
