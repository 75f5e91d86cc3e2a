// web binds shop-auth by name with WorkerRef.
import alchemy from "alchemy";
import { Worker, WorkerRef } from "alchemy/cloudflare";

const app = await alchemy("shop");

export const auth = await Worker("auth", {
  name: "shop-auth",
  entrypoint: "./src/auth.ts",
});

export const web = await Worker("web", {
  name: "shop-web",
  entrypoint: "./src/web.ts",
  bindings: {
    AUTH: WorkerRef({ service: "shop-auth" }),
  },
});

await app.finalize();
