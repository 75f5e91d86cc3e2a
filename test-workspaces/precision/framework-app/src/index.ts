import { Hono } from "hono";
const app = new Hono<{ Bindings: Env }>();
app.get("/", (c) => c.text(String(c.env.NOT_DECLARED)));
export default app;
