import { WorkflowEntrypoint, WorkflowEvent, WorkflowStep } from "cloudflare:workers";

interface Params {
  orderId: string;
}

export class FulfilOrder extends WorkflowEntrypoint<Env, Params> {
  async run(event: WorkflowEvent<Params>, step: WorkflowStep): Promise<void> {
    await step.do("reserve stock", async () => ({ reserved: true }));
    await step.sleep("wait for the warehouse", "1 hour");
    await step.do("notify customer", async () => {
      await this.env.EMAILS.send({ to: event.payload.orderId, template: "order-shipped" });
    });
  }
}
