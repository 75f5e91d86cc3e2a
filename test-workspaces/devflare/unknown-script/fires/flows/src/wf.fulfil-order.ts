import { WorkflowEntrypoint, type WorkflowEvent, type WorkflowStep } from 'cloudflare:workers'

export class FulfilOrder extends WorkflowEntrypoint {
	async run(event: WorkflowEvent<{ id: string }>, step: WorkflowStep) {
		await step.do('ship', async () => event.payload.id)
	}
}
