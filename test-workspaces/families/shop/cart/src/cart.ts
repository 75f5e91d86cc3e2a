import { DurableObject } from "cloudflare:workers";

export interface Item {
  sku: string;
  quantity: number;
}

export class Cart extends DurableObject<Env> {
  async addItem(sku: string, quantity: number): Promise<void> {
    const items = await this.getItems();
    const existing = items.find((item) => item.sku === sku);
    if (existing) {
      existing.quantity += quantity;
    } else {
      items.push({ sku, quantity });
    }
    await this.ctx.storage.put("items", items);
  }

  async getItems(): Promise<Item[]> {
    return (await this.ctx.storage.get<Item[]>("items")) ?? [];
  }
}
