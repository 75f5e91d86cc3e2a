import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { showReferencesArgs } from "../src/references";

const api = {
  parseUri: (u: string) => ({ uri: u }),
  position: (line: number, character: number) => [line, character] as const,
  range: (start: readonly [number, number], end: readonly [number, number]) => ({ start, end }),
  location: (uri: { uri: string }, range: unknown) => ({ at: uri, range }),
};

describe("showReferencesArgs", () => {
  it("converts a lens's protocol arguments to the references peek's", () => {
    const loc = { uri: "file:///w/api/wrangler.toml", range: { start: { line: 2, character: 5 }, end: { line: 2, character: 9 } } };
    assert.deepEqual(showReferencesArgs(api, ["file:///w/auth/src/index.ts", { line: 1, character: 13 }, [loc]]), [
      { uri: "file:///w/auth/src/index.ts" },
      [1, 13],
      [{ at: { uri: "file:///w/api/wrangler.toml" }, range: { start: [2, 5], end: [2, 9] } }],
    ]);
  });

  it("takes an empty list (a class no worker binds)", () => {
    assert.deepEqual(showReferencesArgs(api, ["file:///a.ts", { line: 0, character: 0 }, []]), [
      { uri: "file:///a.ts" },
      [0, 0],
      [],
    ]);
  });

  it("refuses malformed arguments instead of throwing", () => {
    for (const args of [[], ["file:///a.ts"], [1, { line: 0, character: 0 }, []], ["file:///a.ts", { line: "0" }, []],
      ["file:///a.ts", { line: 0, character: 0 }, [{ uri: "x" }]], ["file:///a.ts", null, null]]) {
      assert.equal(showReferencesArgs(api, args), undefined, JSON.stringify(args));
    }
  });
});
