import { Hono } from "hono";
import { currentUser } from "../middleware/auth";

export const billing = new Hono<{ Bindings: Env }>();

billing.post("/upgrade", async (c) => {
  const userId = await currentUser(c);
  if (!userId) {
    return c.text("unauthorized", 401);
  }
  const receipt = await c.env.BILLING.charge(userId, 1900);
  return c.json(receipt);
});
