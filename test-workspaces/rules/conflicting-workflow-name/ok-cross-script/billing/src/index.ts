export { BillingFlow, InvoiceFlow } from "./workflows";

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    await env.BILLING.create({ params: { email: "a@example.com" } });
    await env.INVOICES.create({ params: { email: "a@example.com" } });
    return new Response("started");
  },
};
