// carts has no name: it deploys as shop-carts-<stage>, the stage unknown. A literal
// scriptName of that shape may name it, so it is not reported.
import alchemy from "alchemy";
import { DurableObjectNamespace, Worker } from "alchemy/cloudflare";

const app = await alchemy("shop");

export const carts = await Worker("carts", {
  entrypoint: "./src/carts.ts",
  bindings: {
    CARTS: DurableObjectNamespace("carts", { className: "Cart" }),
  },
});

export const web = await Worker("web", {
  name: "shop-web",
  entrypoint: "./src/web.ts",
  bindings: {
    CARTS: DurableObjectNamespace("web-carts", { className: "Cart", scriptName: "shop-carts-prod" }),
  },
});

await app.finalize();
