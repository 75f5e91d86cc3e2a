export default {
  fetch(r: Request, env: Env) {
    // 😀 😀 emoji before the finding
    return new Response("😀" + env.NOPE);
  },
};
