// The workflow's class extends WorkflowEntrypoint.
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

await app.finalize();
