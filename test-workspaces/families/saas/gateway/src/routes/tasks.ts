import { Hono } from "hono";
import { currentUser } from "../middleware/auth";

export const tasks = new Hono<{ Bindings: Env }>();

tasks.get("/", async (c) => {
  const userId = await currentUser(c);
  if (!userId) {
    return c.text("unauthorized", 401);
  }
  return c.json(await c.env.TASKS.listTasks(userId));
});
