import { DurableObject } from "cloudflare:workers";

export class Reminder extends DurableObject {
  async schedule(at, title) {
    await this.ctx.storage.put("title", title);
    await this.ctx.storage.setAlarm(at);
  }

  async alarm() {
    console.log("reminder", await this.ctx.storage.get("title"));
  }
}
