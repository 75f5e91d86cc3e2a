addEventListener("fetch", (event: FetchEvent) => {
  event.respondWith(new Response("ok"));
});

export const VERSION = "1";
