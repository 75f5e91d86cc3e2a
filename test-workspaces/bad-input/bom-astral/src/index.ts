// 🚀 a BOM-prefixed CRLF module; the findings sit after astral characters
export default {
  async fetch(r: Request, env: Env) {
    const s = "😀𝕏é"; return (await env.PEER.fetch(r)) ?? env.GONE;
  },
};
