import { WorkflowEntrypoint, type WorkflowEvent, type WorkflowStep } from "cloudflare:workers";

export class Notify extends WorkflowEntrypoint {
  async run(event: WorkflowEvent<{ to: string }>, step: WorkflowStep) {
    await step.do("notify", async () => console.log("notify", event.payload.to));
  }
}

export default {
  async fetch(request: Request, env: { NOTIFY: Workflow }): Promise<Response> {
    const instance = await env.NOTIFY.create({ params: { to: "a@example.com" } });
    return Response.json({ id: instance.id });
  },
};
