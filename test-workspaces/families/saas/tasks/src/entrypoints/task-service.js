import { WorkerEntrypoint } from "cloudflare:workers";

export class TaskService extends WorkerEntrypoint {
  async listTasks(userId) {
    return this.env.BOARDS.getByName(userId).list();
  }

  async addTask(userId, title, remindAt) {
    const task = await this.env.BOARDS.getByName(userId).add(title);
    await this.env.TASK_EVENTS.send({ type: "task-added", userId, taskId: task.id });
    if (remindAt) {
      const reminders = this.env.REMINDERS.getByName(userId);
      await reminders.schedule(remindAt, title);
    }
    return task;
  }
}
