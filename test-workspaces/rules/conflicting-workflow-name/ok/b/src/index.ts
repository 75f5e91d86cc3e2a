export { OnboardingFlow } from "./workflows";

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    await env.ONBOARDING.create({ params: { email: "a@example.com" } });
    return new Response("started");
  },
};
