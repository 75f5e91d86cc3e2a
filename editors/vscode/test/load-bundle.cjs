// Smoke test of the production bundle: dist/extension.js loads in plain Node with `vscode`
// replaced by an inert stand-in, and exports activate/deactivate. Catches a bundle that
// lost a dependency or references something esbuild could not resolve.
const Module = require("node:module");
const path = require("node:path");

const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === "vscode" ? "vscode" : resolve.call(this, request, ...rest);
};
// Every property is again a class, so `class X extends vscode.Y` and calls both work.
const inert = () => new Proxy(class {}, { get: (t, k) => (k in t ? t[k] : typeof k === "symbol" ? undefined : inert()) });
require.cache.vscode = { id: "vscode", filename: "vscode", loaded: true, exports: inert() };

const ext = require(path.join(__dirname, "..", "dist", "extension.js"));
for (const name of ["activate", "deactivate"]) {
  if (typeof ext[name] !== "function") {
    console.error(`dist/extension.js does not export ${name}()`);
    process.exit(1);
  }
}
console.log("dist/extension.js loads and exports activate/deactivate");
