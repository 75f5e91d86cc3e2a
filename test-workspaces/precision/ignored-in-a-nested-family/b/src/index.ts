export default {
  async fetch(_req: Request, env: { X: Fetcher }) {
    return env.X.fetch("https://x");
  },
};
