import { WorkerEntrypoint } from "cloudflare:workers";

export default class Billing extends WorkerEntrypoint<Env> {
  async fetch(): Promise<Response> {
    return new Response("billing");
  }

  async charge(userId: string, cents: number): Promise<{ invoiceId: string }> {
    const invoiceId = crypto.randomUUID();
    await this.env.DB.prepare("INSERT INTO invoices (id, user_id, cents) VALUES (?, ?, ?)")
      .bind(invoiceId, userId, cents)
      .run();
    await this.env.INVOICES.send({ invoiceId, userId, cents });
    return { invoiceId };
  }
}
