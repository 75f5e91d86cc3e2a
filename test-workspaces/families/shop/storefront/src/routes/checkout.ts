import { Hono } from "hono";
import type { Env } from "../env";

export const checkout = new Hono<{ Bindings: Env }>();

checkout.post("/", async (c) => {
  const token = c.req.header("authorization") ?? "";
  const user = await c.env.AUTH.verifyToken(token);
  if (!user) {
    return c.text("unauthorized", 401);
  }
  const orderId = crypto.randomUUID();
  await c.env.ORDER_EVENTS.send({ type: "placed", orderId, userId: user.userId });
  const instance = await c.env.FULFIL.create({ id: orderId, params: { orderId } });
  return c.json({ orderId, workflow: instance.id });
});
