export const greeting = "café";
