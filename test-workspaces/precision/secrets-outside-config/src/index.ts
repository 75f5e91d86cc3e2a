interface Env { FROM_INTERFACE: string; MODE: "a" | "b" }
export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    return new Response([env.FROM_INTERFACE, env.MODE, env.FROM_TYPES, env.FROM_EXAMPLE].join());
  },
};
