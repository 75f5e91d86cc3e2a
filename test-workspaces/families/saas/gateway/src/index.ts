import { Hono } from "hono";
import { rateLimit } from "./middleware/rate-limit.js";
import { billing } from "./routes/billing";
import { tasks } from "./routes/tasks";

const app = new Hono<{ Bindings: Env }>();

app.use("*", rateLimit);
app.get("/", (c) => c.redirect(c.env.PUBLIC_ORIGIN));
app.route("/tasks", tasks);
app.route("/billing", billing);

export default app;
