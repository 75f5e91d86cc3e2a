import { serve } from "@acme/legacy";
export default { async fetch(request: Request, env: Env): Promise<Response> { return serve(request, env); } };
