import { a } from "./a";
export * from "./a";
export const b = 1;
export { a };
