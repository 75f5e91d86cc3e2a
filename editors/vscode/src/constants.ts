// Identifiers shared by the extension and its manifest test. The manifest (package.json)
// must agree with these; test/manifest.test.ts checks that it does.

/** Client id: vscode-languageclient reads `<id>.trace.server` for protocol tracing. */
export const CLIENT_ID = "workersLsp";
export const CLIENT_NAME = "Workers LSP";
export const CONFIG_SECTION = "workersLsp";

export const COMMANDS = {
  restartServer: "workersLsp.restartServer",
  showOutput: "workersLsp.showOutput",
  checkWorkspace: "workersLsp.checkWorkspace",
  /** Run by the server's code lenses (its name is the server's); hidden from the palette. */
  showReferences: "workers-lsp.showReferences",
} as const;

export type CommandKey = keyof typeof COMMANDS;

/** Language ids the server handles (always with the `file` scheme). */
export const LANGUAGE_IDS = [
  "typescript",
  "javascript",
  "typescriptreact",
  "javascriptreact",
  "toml",
  "json",
  "jsonc",
] as const;

/**
 * Files whose changes outside the editor the server must hear about: wrangler configs
 * (any `*.toml`/`*.json`/`*.jsonc` whose name contains `wrangler`), the project's own
 * settings file, and sources.
 */
export const WATCH_GLOBS = [
  "**/*wrangler*.{toml,json,jsonc}",
  "**/workers-lsp.toml",
  "**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}",
] as const;
