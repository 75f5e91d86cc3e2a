import { WorkflowEntrypoint } from "cloudflare:workers";

export class DigestWorkflow extends WorkflowEntrypoint {
  async run(event, step) {
    const summary = await step.do("collect", async () => ({ cron: event.payload.cron ?? "manual" }));
    await step.do("announce", async () => {
      await this.env.TASK_EVENTS.send({ type: "digest", summary });
    });
  }
}
