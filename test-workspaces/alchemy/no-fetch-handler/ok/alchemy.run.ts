// The bound jobs worker has a fetch handler.
import alchemy from "alchemy";
import { Worker } from "alchemy/cloudflare";

const app = await alchemy("shop");

export const jobs = await Worker("jobs", {
  name: "shop-jobs",
  entrypoint: "./src/jobs.ts",
});

export const web = await Worker("web", {
  name: "shop-web",
  entrypoint: "./src/web.ts",
  bindings: {
    JOBS: jobs,
  },
});

await app.finalize();
