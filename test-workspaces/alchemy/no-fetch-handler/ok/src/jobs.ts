export default {
  async fetch(): Promise<Response> {
    return new Response("jobs");
  },
  async scheduled(): Promise<void> {
    console.log("tick");
  },
};
