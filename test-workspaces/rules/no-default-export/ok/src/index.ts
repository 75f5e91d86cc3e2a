export { default } from "./handler";

export const VERSION = "1";
