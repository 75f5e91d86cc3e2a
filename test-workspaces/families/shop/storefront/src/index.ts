import { Hono } from "hono";
import type { Env } from "./env";
import { cart } from "./routes/cart";
import { checkout } from "./routes/checkout.js";

const app = new Hono<{ Bindings: Env }>();

app.get("/", (c) => c.text(`Welcome to ${c.env.STORE_NAME}`));
app.get("/health", async (c) => c.text(await c.env.AUTH.health()));
app.get("/products", (c) => c.env.CATALOG.fetch(c.req.raw));
app.route("/cart", cart);
app.route("/checkout", checkout);

export default app;
