import { DurableObject } from "cloudflare:workers";

export class TaskBoard extends DurableObject {
  async list() {
    return (await this.ctx.storage.get("tasks")) ?? [];
  }

  async add(title) {
    const tasks = await this.list();
    const task = { id: crypto.randomUUID(), title };
    tasks.push(task);
    await this.ctx.storage.put("tasks", tasks);
    return task;
  }
}
