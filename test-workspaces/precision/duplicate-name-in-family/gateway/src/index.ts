export default { async fetch(r: Request, env: any): Promise<Response> { return env.AUTH.fetch(r); } };
