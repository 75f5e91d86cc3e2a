export default {
  async fetch(): Promise<Response> {
    return new Response("ok");
  },
  async queue(batch: MessageBatch): Promise<void> {
    for (const message of batch.messages) {
      message.ack();
    }
  },
};
