import type { OrderEvent } from "./types";

export * from "./workflows";

export default {
  async fetch(request, env): Promise<Response> {
    const id = new URL(request.url).searchParams.get("id");
    if (!id) {
      return new Response("missing id", { status: 400 });
    }
    const instance = await env.FULFIL.get(id);
    return Response.json(await instance.status());
  },

  async queue(batch, env): Promise<void> {
    for (const message of batch.messages) {
      if (message.body.type === "placed") {
        await env.EMAILS.send({ to: message.body.userId, template: "order-placed" });
      }
      message.ack();
    }
  },
} satisfies ExportedHandler<Env, OrderEvent>;
