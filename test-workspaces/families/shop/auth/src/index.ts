export { AuthService } from "./rpc";

export default {
  async fetch(): Promise<Response> {
    return new Response("auth is reached through the AuthService entrypoint", { status: 404 });
  },
} satisfies ExportedHandler<Env>;
