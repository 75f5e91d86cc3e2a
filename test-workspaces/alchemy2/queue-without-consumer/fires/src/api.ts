import * as Cloudflare from "alchemy/Cloudflare";

export const Jobs = Cloudflare.Queue.Queue("Jobs");

export const Api = Cloudflare.Worker("Api", {
  main: "./src/api-main.ts",
  env: { JOBS: Jobs },
});
