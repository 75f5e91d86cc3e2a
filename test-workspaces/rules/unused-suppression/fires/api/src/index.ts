export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    // workers-lsp: ignore[unknown-binding] the binding is declared now
    const self = env.SELF;
    await self.fetch(request);
    return env.BILLING.fetch(request);
  },
};
