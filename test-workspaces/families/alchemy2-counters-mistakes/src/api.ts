import * as Cloudflare from "alchemy/Cloudflare";
import { WorkerB } from "./workerB.ts";

export const Uploads = Cloudflare.R2.Bucket("Uploads");
export const Jobs = Cloudflare.Queue.Queue("Jobs");

export const Api = Cloudflare.Worker("Api", {
  main: "./src/api-main.ts",
  env: {
    COUNTER: Cloudflare.DurableObjectNamespace("Counter", { scriptName: WorkerB.workerName }),
    SESSIONS: Cloudflare.DurableObjectNamespace("Sessions", { className: "Session" }),
    UPLOADS: Uploads,
    JOBS: Jobs,
  },
});
