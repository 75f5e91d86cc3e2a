import { greet } from "@acme/shared";
import { read } from "@acme/shared/kv";
export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    return new Response((await greet(env)) + (await read(env)));
  },
};
