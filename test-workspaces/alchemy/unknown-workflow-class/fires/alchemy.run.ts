// The workflow's className is misspelt: src/mailer.ts exports `Notify`.
import alchemy from "alchemy";
import { Worker, Workflow } from "alchemy/cloudflare";

const app = await alchemy("notify");

export const mailer = await Worker("mailer", {
  name: "notify-mailer",
  entrypoint: "./src/mailer.ts",
  bindings: {
    NOTIFY: Workflow("notify", { workflowName: "notify-mail", className: "Notfy" }),
  },
});

await app.finalize();
