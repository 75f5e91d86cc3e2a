import { WorkflowEntrypoint, WorkflowEvent, WorkflowStep } from "cloudflare:workers";

export class BillingFlow extends WorkflowEntrypoint {
  async run(event: WorkflowEvent<{ email: string }>, step: WorkflowStep): Promise<void> {
    await step.do("send welcome mail", async () => event.payload.email);
  }
}

export class InvoiceFlow extends WorkflowEntrypoint {
  async run(event: WorkflowEvent<{ email: string }>, step: WorkflowStep): Promise<void> {
    await step.do("send welcome mail", async () => event.payload.email);
  }
}
