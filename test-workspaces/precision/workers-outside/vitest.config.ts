import { defineWorkersConfig } from "@cloudflare/vitest-pool-workers/config";
export default defineWorkersConfig({
  test: { poolOptions: { workers: { miniflare: { workers: [{ name: "aux-worker", modules: true, script: "" }] } } } },
});
