// Checks package.json against the code: what VS Code reads from the manifest must match what
// the extension registers and expects.
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { CLIENT_ID, COMMANDS, CONFIG_SECTION, LANGUAGE_IDS, WATCH_GLOBS } from "../src/constants";

// Bundled tests live in out-test/, one level below the extension folder.
const root = path.join(__dirname, "..");
const manifest = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));

describe("package.json", () => {
  it("activates on every wrangler config name and workers-lsp.toml, and on nothing broader", () => {
    const events: string[] = manifest.activationEvents;
    for (const name of ["wrangler.toml", "wrangler.json", "wrangler.jsonc", "workers-lsp.toml"]) {
      assert.ok(events.includes(`workspaceContains:**/${name}`), `missing workspaceContains for ${name}`);
    }
    for (const e of events) {
      assert.match(e, /^workspaceContains:\*\*\/.*(wrangler|workers-lsp)/, `unexpected activation event ${e}`);
    }
    assert.ok(!events.includes("*"), "must not activate on startup");
  });

  it("points main at the esbuild bundle and targets the VS Code that languageclient 9 needs", () => {
    assert.equal(manifest.main, "./dist/extension.js");
    assert.match(manifest.engines.vscode, /^\^1\.(8[2-9]|9\d|\d{3})\./);
    assert.ok(manifest.publisher && manifest.name && manifest.version);
    assert.equal(manifest.dependencies["vscode-languageclient"].replace(/^[\^~]/, "").split(".")[0], "9");
    // @types/vscode must not be newer than the engine, or vsce refuses to package.
    const types = manifest.devDependencies["@types/vscode"].replace(/^[\^~]/, "");
    const engine = manifest.engines.vscode.replace(/^[\^~]/, "");
    assert.ok(types.localeCompare(engine, undefined, { numeric: true }) <= 0, `@types/vscode ${types} > engine ${engine}`);
  });

  it("contributes exactly the commands the extension registers, titled and categorised", () => {
    const contributed = manifest.contributes.commands.map((c: { command: string }) => c.command).sort();
    assert.deepEqual(contributed, Object.values(COMMANDS).sort());
    for (const c of manifest.contributes.commands) {
      assert.ok(c.title && c.category === "Workers LSP", `command ${c.command} needs a title and category`);
    }
  });

  it("declares the settings schema the extension reads", () => {
    const props = manifest.contributes.configuration.properties;
    assert.deepEqual(Object.keys(props).sort(), [
      `${CONFIG_SECTION}.server.extraArgs`,
      `${CONFIG_SECTION}.server.path`,
      `${CONFIG_SECTION}.trace.server`,
    ]);
    assert.equal(props["workersLsp.server.path"].type, "string");
    assert.equal(props["workersLsp.server.path"].default, "");
    assert.equal(props["workersLsp.server.extraArgs"].type, "array");
    assert.equal(props["workersLsp.server.extraArgs"].items.type, "string");
    assert.deepEqual(props["workersLsp.server.extraArgs"].default, []);
    // vscode-languageclient reads `<client id>.trace.server`.
    assert.equal(`${CLIENT_ID}.trace.server`, "workersLsp.trace.server");
    assert.deepEqual(props["workersLsp.trace.server"].enum, ["off", "messages", "verbose"]);
    assert.equal(props["workersLsp.trace.server"].default, "off");
    for (const [key, p] of Object.entries<Record<string, unknown>>(props)) {
      assert.ok(p.description || p.markdownDescription, `${key} needs a description`);
      assert.ok("default" in p, `${key} needs a default`);
    }
  });

  it("serves the languages of issue 4 and watches configs, settings and sources", () => {
    assert.deepEqual([...LANGUAGE_IDS].sort(), [
      "javascript",
      "javascriptreact",
      "json",
      "jsonc",
      "toml",
      "typescript",
      "typescriptreact",
    ]);
    assert.ok(WATCH_GLOBS.some((g) => g.includes("wrangler") && g.includes("toml") && g.includes("jsonc")));
    assert.ok(WATCH_GLOBS.includes("**/workers-lsp.toml"));
    assert.ok(WATCH_GLOBS.some((g) => g.includes("ts") && g.includes("jsx")));
  });

  it("has the fields the marketplace shows: publisher, licence, repository, icon, categories, keywords", () => {
    assert.match(manifest.publisher, /^[a-z0-9][a-z0-9-]*$/);
    assert.equal(manifest.license, "MIT OR Apache-2.0");
    // The same repository and licence as the npm package.
    const npm = JSON.parse(readFileSync(path.join(root, "..", "..", "npm", "workers-lsp", "package.json"), "utf8"));
    assert.equal(npm.license, manifest.license);
    assert.equal(manifest.repository.url, npm.repository.url.replace(/^git\+/, ""));
    assert.equal(manifest.repository.directory, "editors/vscode");
    assert.equal(manifest.version, npm.version);
    // The marketplace needs a PNG icon of at least 128x128 pixels.
    const icon = readFileSync(path.join(root, manifest.icon));
    assert.equal(icon.subarray(0, 8).toString("hex"), "89504e470d0a1a0a", "icon is not a PNG");
    assert.ok(icon.readUInt32BE(16) >= 128 && icon.readUInt32BE(20) >= 128, "icon is smaller than 128x128");
    // Categories the marketplace knows (vsce rejects others); at most 30 keywords.
    const known = ["Programming Languages", "Snippets", "Linters", "Themes", "Debuggers", "Formatters", "Keymaps",
      "SCM Providers", "Other", "Extension Packs", "Language Packs", "Data Science", "Machine Learning",
      "Visualization", "Notebooks", "Education", "Testing", "AI", "Chat"];
    assert.ok(manifest.categories.length > 0);
    for (const c of manifest.categories) assert.ok(known.includes(c), `unknown category ${c}`);
    assert.ok(manifest.keywords.length > 0 && manifest.keywords.length <= 30);
  });

  it("keeps node_modules, sources and tests out of the .vsix", () => {
    const ignore = readFileSync(path.join(root, ".vscodeignore"), "utf8").split(/\r?\n/).map((l) => l.trim());
    for (const entry of ["node_modules/**", "src/**", "test/**", "out-test/**"]) {
      assert.ok(ignore.includes(entry), `.vscodeignore lacks ${entry}`);
    }
    assert.ok(!ignore.some((l) => l === "dist/**" || l === "server/**"), "dist/ and server/ must ship");
  });
});
