import * as Cloudflare from "alchemy/Cloudflare";

export const Bucket = Cloudflare.R2.Bucket("Bucket");
export const Cache = Cloudflare.KV.Namespace("Cache");

export const Api = Cloudflare.Worker("Api", {
  main: "./src/api-main.ts",
  env: {
    BUCKET: Bucket,
  },
});
