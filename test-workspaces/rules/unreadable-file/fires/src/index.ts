import { greeting } from "./greeting";

export default {
  async fetch(): Promise<Response> {
    return new Response(greeting);
  },
};
