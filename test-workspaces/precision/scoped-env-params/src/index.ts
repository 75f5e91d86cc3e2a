import { U } from "./u";
export default {
  async fetch(request: Request, bindings: Env): Promise<Response> {
    return new Response(String(U.n(["a"])) + bindings.MISSING_HERE);
  },
};
