export default {
  async fetch(r: Request, env: any): Promise<Response> {
    return new Response(String([env.B, env.H, env.D].length));
  },
};
