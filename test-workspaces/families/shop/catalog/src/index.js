import { listProducts } from "./products.js";

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname.startsWith("/images/")) {
      const object = await env.IMAGES.get(url.pathname.slice("/images/".length));
      return object ? new Response(object.body) : new Response("not found", { status: 404 });
    }
    return Response.json(listProducts(env.CDN_HOST));
  },
};
