// Neither workflow spells workflowName: Alchemy names each `${app}-${id}-${stage}`
// (unknown here), so no clash can be known.
import alchemy from "alchemy";
import { Worker, Workflow } from "alchemy/cloudflare";

const app = await alchemy("notify");

export const mailer = await Worker("mailer", {
  name: "notify-mailer",
  entrypoint: "./src/mailer.ts",
  bindings: {
    NOTIFY: Workflow("notify", { className: "Notify" }),
  },
});

export const texter = await Worker("texter", {
  name: "notify-texter",
  entrypoint: "./src/texter.ts",
  bindings: {
    NOTIFY: Workflow("notify", { className: "Notify" }),
  },
});

await app.finalize();
