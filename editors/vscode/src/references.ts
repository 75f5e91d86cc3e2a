// The server's code lenses ("bound by 2 workers") run the client command
// `workers-lsp.showReferences` with protocol values: a document URI, a position and a list of
// locations. VS Code's references peek (`editor.action.showReferences`) takes its own types;
// this converts one to the other. Kept free of `vscode` imports so it can be tested alone.

export interface ProtocolPosition {
  line: number;
  character: number;
}
export interface ProtocolLocation {
  uri: string;
  range: { start: ProtocolPosition; end: ProtocolPosition };
}

/** The constructors this module needs from the `vscode` API. */
export interface Api<U, P, R, L> {
  parseUri(uri: string): U;
  position(line: number, character: number): P;
  range(start: P, end: P): R;
  location(uri: U, range: R): L;
}

function isPosition(v: unknown): v is ProtocolPosition {
  const p = v as ProtocolPosition;
  return typeof p === "object" && p !== null && Number.isInteger(p.line) && Number.isInteger(p.character);
}

function isLocation(v: unknown): v is ProtocolLocation {
  const l = v as ProtocolLocation;
  return (
    typeof l === "object" && l !== null && typeof l.uri === "string" &&
    typeof l.range === "object" && l.range !== null && isPosition(l.range.start) && isPosition(l.range.end)
  );
}

/** The arguments of `editor.action.showReferences`, or undefined when the lens's are malformed. */
export function showReferencesArgs<U, P, R, L>(api: Api<U, P, R, L>, args: unknown[]): [U, P, L[]] | undefined {
  const [uri, position, locations] = args;
  if (typeof uri !== "string" || !isPosition(position) || !Array.isArray(locations) || !locations.every(isLocation)) {
    return undefined;
  }
  const pos = (p: ProtocolPosition) => api.position(p.line, p.character);
  return [
    api.parseUri(uri),
    pos(position),
    locations.map((l) => api.location(api.parseUri(l.uri), api.range(pos(l.range.start), pos(l.range.end)))),
  ];
}
