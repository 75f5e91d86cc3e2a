import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { formatFindings, parseCheckOutput, summarize } from "../src/checkReport";

describe("parseCheckOutput", () => {
  it("reads an object with diagnostics and 1-based positions", () => {
    const r = parseCheckOutput(
      JSON.stringify({
        workers: 3,
        diagnostics: [
          { file: "cart/wrangler.toml", line: 4, column: 11, severity: "error", code: "unknown-entrypoint", message: "no such entrypoint" },
          { path: "web/src/index.ts", start: { line: 9, column: 5 }, severity: "warning", code: "unknown-binding", message: "env.CARTS" },
          { file: "web/src/index.ts", line: 20, severity: "warning", code: "unknown-binding", message: "env.X" },
        ],
      }),
    );
    assert.equal(r.workers, 3);
    assert.deepEqual(r.counts, { error: 1, warning: 2 });
    assert.equal(summarize(r), "1 error, 2 warnings in 2 files");
    assert.deepEqual(formatFindings(r), [
      "cart/wrangler.toml:4:11: error[unknown-entrypoint]: no such entrypoint",
      "web/src/index.ts:9:5: warning[unknown-binding]: env.CARTS",
      "web/src/index.ts:20: warning[unknown-binding]: env.X",
    ]);
  });

  it("reads a bare array with LSP-shaped ranges, numeric severities and code objects", () => {
    const r = parseCheckOutput(
      JSON.stringify([
        { uri: "file:///w/a.toml", range: { start: { line: 0, character: 2 } }, severity: 4, code: { value: "unused-binding" }, message: "unused" },
        { location: { file: "b.ts" }, level: "warn", rule: "x", message: { text: "sarif-like" } },
      ]),
    );
    assert.deepEqual(formatFindings(r), ["file:///w/a.toml:1:3: hint[unused-binding]: unused", "b.ts: warning[x]: sarif-like"]);
    assert.equal(summarize(r), "1 warning, 1 hint in 2 files");
  });

  it("says no findings", () => {
    assert.equal(summarize(parseCheckOutput('{"workers": 1, "findings": []}')), "no findings in 1 worker");
    assert.equal(summarize(parseCheckOutput("[]")), "no findings");
  });

  it("rejects output that is not a report, with a readable reason", () => {
    assert.throws(() => parseCheckOutput(""), /printed nothing/);
    assert.throws(() => parseCheckOutput("error: no such file"), /did not print JSON/);
    assert.throws(() => parseCheckOutput('{"ok": true}'), /without a list of findings/);
  });
});
