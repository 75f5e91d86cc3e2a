export * from "./auth-service.js";
