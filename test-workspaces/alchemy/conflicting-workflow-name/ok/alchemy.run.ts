// Each worker hosts its own workflow name.
import alchemy from "alchemy";
import { Worker, Workflow } from "alchemy/cloudflare";

const app = await alchemy("notify");

export const mailer = await Worker("mailer", {
  name: "notify-mailer",
  entrypoint: "./src/mailer.ts",
  bindings: {
    NOTIFY: Workflow("notify", { workflowName: "notify-mail", className: "Notify" }),
  },
});

export const texter = await Worker("texter", {
  name: "notify-texter",
  entrypoint: "./src/texter.ts",
  bindings: {
    NOTIFY: Workflow("notify", { workflowName: "notify-text", className: "Notify" }),
  },
});

await app.finalize();
