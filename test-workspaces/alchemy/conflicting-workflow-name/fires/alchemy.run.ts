// Two workers of one program host a workflow under the same literal workflowName;
// workflow names are account-wide.
import alchemy from "alchemy";
import { Worker, Workflow } from "alchemy/cloudflare";

const app = await alchemy("notify");

export const mailer = await Worker("mailer", {
  name: "notify-mailer",
  entrypoint: "./src/mailer.ts",
  bindings: {
    NOTIFY: Workflow("notify", { workflowName: "notify-send", className: "Notify" }),
  },
});

export const texter = await Worker("texter", {
  name: "notify-texter",
  entrypoint: "./src/texter.ts",
  bindings: {
    NOTIFY: Workflow("notify", { workflowName: "notify-send", className: "Notify" }),
  },
});

await app.finalize();
