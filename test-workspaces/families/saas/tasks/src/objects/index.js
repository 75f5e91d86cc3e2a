export * from "./task-board.js";
export * from "./reminder.js";
