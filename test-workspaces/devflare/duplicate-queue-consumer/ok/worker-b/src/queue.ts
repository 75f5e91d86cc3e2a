export default async function queue(batch: MessageBatch): Promise<void> {
	batch.ackAll()
}
