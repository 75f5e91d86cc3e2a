import { formatMessage } from "./format.js";

export default {
  async queue(batch, env) {
    for (const message of batch.messages) {
      if (message.body.type === "task-added" && batch.queue.startsWith("task-events")) {
        await env.DIGEST.create({ params: { reason: "task-added" } });
      }
      await fetch(env.SLACK_WEBHOOK, {
        method: "POST",
        body: JSON.stringify({ channel: env.SLACK_CHANNEL, text: formatMessage(batch.queue, message.body) }),
      });
      message.ack();
    }
  },
};
