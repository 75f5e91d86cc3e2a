export async function greet(env: { GREETING: string }) { return env.GREETING; }
