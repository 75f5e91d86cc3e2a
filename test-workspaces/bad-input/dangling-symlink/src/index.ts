import gone from "./gone";
export default { fetch() { return new Response(String(gone)); } };
