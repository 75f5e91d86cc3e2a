import { OAuthProvider } from "@cloudflare/workers-oauth-provider";
const handler = {
  async fetch(request: Request, env: Env): Promise<Response> {
    const info = await env.OAUTH_PROVIDER.parseAuthRequest(request);
    return new Response(String(info));
  },
};
export default new OAuthProvider({ apiRoute: "/mcp", apiHandler: handler, defaultHandler: handler });
