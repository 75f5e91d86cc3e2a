import { Hono } from "hono";
import type { Env } from "../env";
import { sessionId } from "../session";

export const cart = new Hono<{ Bindings: Env }>();

cart.post("/items", async (c) => {
  const { sku, quantity } = await c.req.json<{ sku: string; quantity: number }>();
  const stub = c.env.CART.getByName(await sessionId(c.env, c.req.raw));
  await stub.addItem(sku, quantity);
  return c.json(await stub.getItems());
});
