export default {
  async fetch(request: Request, env: { HYPERDRIVE?: Hyperdrive; [k: string]: unknown }): Promise<Response> {
    if (env.HYPERDRIVE) return new Response(env.HYPERDRIVE.connectionString);
    const mode = env.MODE ?? "dev";
    const debug = env.DEBUG || false;
    const kv = env.CACHE?.get("k");
    const hasAi = "AI" in env;
    if (typeof env.FLAG === "undefined") return new Response("no flag");
    return new Response(String(mode) + debug + kv + hasAi);
  },
};
