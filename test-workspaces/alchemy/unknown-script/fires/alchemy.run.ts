// web binds the Cart Durable Object with a scriptName that names no worker (the host
// is shop-carts).
import alchemy from "alchemy";
import { DurableObjectNamespace, Worker } from "alchemy/cloudflare";

const app = await alchemy("shop");

export const carts = await Worker("carts", {
  name: "shop-carts",
  entrypoint: "./src/carts.ts",
  bindings: {
    CARTS: DurableObjectNamespace("carts", { className: "Cart" }),
  },
});

export const web = await Worker("web", {
  name: "shop-web",
  entrypoint: "./src/web.ts",
  bindings: {
    CARTS: DurableObjectNamespace("web-carts", { className: "Cart", scriptName: "shop-cart" }),
  },
});

await app.finalize();
