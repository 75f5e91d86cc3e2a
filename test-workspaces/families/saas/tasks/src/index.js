export { TaskService } from "./entrypoints/task-service.js";
export { TaskBoard, Reminder } from "./objects/index.js";
export { DigestWorkflow } from "./workflows/digest.js";

export default {
  async fetch(request, env) {
    const team = new URL(request.url).searchParams.get("team") ?? "default";
    return Response.json(await env.BOARDS.getByName(team).list());
  },

  async scheduled(controller, env) {
    await env.DIGEST.create({ params: { cron: controller.cron } });
  },
};
