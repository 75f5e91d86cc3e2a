export async function read(env: { KV: KVNamespace }) { return env.KV.get("k"); }
