import {
  WorkflowEntrypoint,
  type WorkflowEvent,
  type WorkflowStep,
} from "cloudflare:workers";
import type { fulfilment } from "../alchemy.run.ts";
import type { FulfilOrderParams, OrderEvent } from "./types.ts";

type Env = typeof fulfilment.Env;

class FulfilOrder extends WorkflowEntrypoint<Env, FulfilOrderParams> {
  async run(event: WorkflowEvent<FulfilOrderParams>, step: WorkflowStep) {
    const { orderId, accountId, cartId } = event.payload;

    const total = await step.do("price cart", async () => {
      return await this.env.CARTS.getByName(cartId).total();
    });

    await step.do("record order", async () => {
      await this.env.ACCOUNTS.recordOrder({ id: orderId, accountId, total });
    });

    await step.sleep("cool-off", "1 minute");

    await step.do("empty cart", async () => {
      await this.env.CARTS.getByName(cartId).clear();
    });

    return { orderId, total };
  }
}

export default {
  async queue(batch: MessageBatch<OrderEvent>, env: Env): Promise<void> {
    for (const message of batch.messages) {
      const { orderId, accountId, cartId } = message.body;
      await env.FULFIL_ORDER.create({
        id: orderId,
        params: { orderId, accountId, cartId },
      });
      message.ack();
    }
  },
} satisfies ExportedHandler<Env, OrderEvent>;
