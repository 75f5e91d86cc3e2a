// Builds the extension bundle (dist/extension.js) or, with --tests, the unit tests
// (out-test/*.test.js). Tests get `vscode` and `vscode-languageclient/node` replaced by the
// small fakes in test/mocks, since no VS Code can run here.
import * as esbuild from "esbuild";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const tests = process.argv.includes("--tests");
const production = process.argv.includes("--production");

const common = {
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node18",
  logLevel: "warning",
  absWorkingDir: here,
};

if (!tests) {
  await esbuild.build({
    ...common,
    entryPoints: ["src/extension.ts"],
    outfile: "dist/extension.js",
    external: ["vscode"],
    sourcemap: production ? false : "linked",
    minify: production,
  });
} else {
  const mocks = {
    vscode: path.join(here, "test/mocks/vscode.ts"),
    "vscode-languageclient/node": path.join(here, "test/mocks/languageclient.ts"),
  };
  const mockPlugin = {
    name: "mocks",
    setup(build) {
      build.onResolve({ filter: /^vscode(-languageclient\/node)?$/ }, (args) => ({ path: mocks[args.path] }));
    },
  };
  const entryPoints = readdirSync(path.join(here, "test"))
    .filter((f) => f.endsWith(".test.ts"))
    .map((f) => `test/${f}`);
  await esbuild.build({
    ...common,
    entryPoints,
    outdir: "out-test",
    sourcemap: "inline",
    plugins: [mockPlugin],
  });
}
