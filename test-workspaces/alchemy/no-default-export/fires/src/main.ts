export function handle(): Response {
  return new Response("hello");
}
