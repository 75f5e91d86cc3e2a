import host from "./host.js";
export default { fetch() { return new Response(String(host)); } };
