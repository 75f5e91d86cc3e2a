import { WorkflowEntrypoint, WorkflowEvent, WorkflowStep } from "cloudflare:workers";

export class OnboardingFlow extends WorkflowEntrypoint {
  async run(event: WorkflowEvent<{ email: string }>, step: WorkflowStep): Promise<void> {
    await step.do("send welcome mail", async () => event.payload.email);
  }
}
