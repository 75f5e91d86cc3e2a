export { AuthServiceImpl as AuthService } from "./service";

export default {
  async fetch(): Promise<Response> {
    return new Response("auth", { status: 404 });
  },
};
