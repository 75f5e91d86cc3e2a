export default {
  async fetch(): Promise<Response> {
    return new Response("mail sender");
  },
  async queue(batch: MessageBatch<{ to: string | null }>): Promise<void> {
    for (const message of batch.messages) {
      console.log("send to", message.body.to);
      message.ack();
    }
  },
};
