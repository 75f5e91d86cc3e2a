import { b } from "./b";
export * from "./b";
export const a = b;
export default { fetch(r: Request, env: Env) { return env.SELF.fetch(r); } };
