// Neither worker spells its name: site-web-<stage> and site-admin-<stage>, partly
// unknown, are not reported as names (nor as invalid ones).
import alchemy from "alchemy";
import { Worker } from "alchemy/cloudflare";

const app = await alchemy("site");

export const web = await Worker("web", {
  entrypoint: "./src/web.ts",
});

export const admin = await Worker("admin", {
  entrypoint: "./src/admin.ts",
});

await app.finalize();
