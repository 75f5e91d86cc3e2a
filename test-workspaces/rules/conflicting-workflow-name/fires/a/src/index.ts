export { SignupFlow } from "./workflows";

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    await env.SIGNUP.create({ params: { email: "a@example.com" } });
    return new Response("started");
  },
};
