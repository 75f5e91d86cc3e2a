// Runs activate() against fakes of `vscode` and `vscode-languageclient/node` (see
// test/mocks): every contributed command is registered and works, the client is built with
// the right server command, selector and watchers, and the check command reads the CLI.
import { strict as assert } from "node:assert";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, beforeEach, describe, it } from "node:test";
import { activate, deactivate, probeBinary } from "../src/extension";
import { clients } from "./mocks/languageclient";
import { fake } from "./mocks/vscode";

const manifest = JSON.parse(readFileSync(path.join(__dirname, "..", "package.json"), "utf8"));
const tmp = mkdtempSync(path.join(os.tmpdir(), "workers-lsp-ext-"));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Where the extension bundles the binary for the machine the tests run on. */
const platformDir = `${process.platform}-${process.arch}`;

/**
 * An extension folder whose bundled server/<platform>-<arch>/workers-lsp is a shell script
 * that answers `--version` and prints `json` for `check`.
 */
function extensionWithServer(name: string, json: string, exitCode = 1): string {
  const dir = path.join(tmp, name);
  mkdirSync(path.join(dir, "server", platformDir), { recursive: true });
  const bin = path.join(dir, "server", platformDir, "workers-lsp");
  writeFileSync(path.join(dir, "report.json"), json);
  writeFileSync(
    bin,
    `#!/bin/sh\n[ "$1" = --version ] && { echo "workers-lsp 0.0.0-test"; exit 0; }\n[ "$1" = check ] || exit 2\necho "$@" > "${dir}/args"\ncat "${dir}/report.json"\nexit ${exitCode}\n`,
  );
  chmodSync(bin, 0o755);
  return dir;
}

function context(extensionPath: string) {
  return { extensionPath, subscriptions: [] as { dispose(): void }[] } as never;
}

const isPosix = process.platform !== "win32";

describe("activate", { skip: !isPosix && "uses a shell-script server" }, () => {
  beforeEach(async () => {
    await deactivate();
    fake.reset();
    clients.length = 0;
  });

  it("registers every contributed command and starts the bundled server over stdio", async () => {
    const dir = extensionWithServer("bundled", "[]");
    fake.workspaceFolders = [{ uri: { fsPath: tmp }, name: "shop", index: 0 }];
    fake.settings["workersLsp.server.extraArgs"] = ["--log", "debug"];
    await activate(context(dir));

    const contributed = manifest.contributes.commands.map((c: { command: string }) => c.command).sort();
    assert.deepEqual([...fake.commands.keys()].sort(), contributed);

    assert.equal(clients.length, 1);
    const client = clients[0];
    assert.equal(client.id, "workersLsp");
    assert.equal(client.started, 1);
    assert.equal(client.serverOptions.command, path.join(dir, "server", platformDir, "workers-lsp"));
    assert.deepEqual(client.serverOptions.args, ["serve", "--stdio", "--log", "debug"]);
    assert.equal(client.serverOptions.transport, undefined, "TransportKind.stdio would append a second --stdio");
    assert.deepEqual(
      client.clientOptions.documentSelector.map((s) => `${s.scheme}:${s.language}`).sort(),
      ["javascript", "javascriptreact", "json", "jsonc", "toml", "typescript", "typescriptreact"].map((l) => `file:${l}`),
    );
    assert.deepEqual(
      client.clientOptions.synchronize.fileEvents.map((w) => w.glob),
      fake.watchers.map((w) => w.glob),
    );
    assert.ok(fake.watchers.some((w) => w.glob.includes("wrangler")));
  });

  it("restarts: stops the old client, disposes its watchers, starts a new one", async () => {
    const dir = extensionWithServer("restart", "[]");
    await activate(context(dir));
    await fake.commands.get("workersLsp.restartServer")!();
    assert.equal(clients.length, 2);
    assert.equal(clients[0].stopped, 1);
    assert.equal(clients[1].started, 1);
    assert.equal(fake.watchers.filter((w) => w.disposed).length, fake.watchers.length / 2);
  });

  it("restarts when a server setting changes", async () => {
    await activate(context(extensionWithServer("settings", "[]")));
    for (const l of fake.configListeners) l({ affectsConfiguration: (s: string) => s === "workersLsp.server" });
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(clients.length, 2);
  });

  it("opens the references peek for a code lens's workers-lsp.showReferences", async () => {
    await activate(context(extensionWithServer("lens", "[]")));
    const loc = { uri: "file:///w/api/wrangler.toml", range: { start: { line: 2, character: 5 }, end: { line: 2, character: 9 } } };
    await fake.commands.get("workers-lsp.showReferences")!("file:///w/auth/src/index.ts", { line: 1, character: 13 }, [loc]);
    const call = fake.executed.find((c) => c[0] === "editor.action.showReferences");
    assert.ok(call, "editor.action.showReferences was not run");
    const [, uri, position, locations] = call as [string, { toString(): string }, { line: number; character: number }, { uri: { toString(): string }; range: { start: { line: number } } }[]];
    assert.equal(uri.toString(), "file:///w/auth/src/index.ts");
    assert.deepEqual([position.line, position.character], [1, 13]);
    assert.equal(locations.length, 1);
    assert.equal(locations[0].uri.toString(), "file:///w/api/wrangler.toml");
    assert.equal(locations[0].range.start.line, 2);
    // Malformed arguments: logged, nothing run.
    fake.executed = [];
    await fake.commands.get("workers-lsp.showReferences")!("not", "valid");
    assert.equal(fake.executed.length, 0);
  });

  it("shows the output channel", async () => {
    await activate(context(extensionWithServer("output", "[]")));
    await fake.commands.get("workersLsp.showOutput")!();
    assert.equal(fake.channels.find((c) => c.name === "Workers LSP")!.shown, 1);
  });

  it("without a server, says so and starts no client; commands still exist", async () => {
    fake.settings["workersLsp.server.path"] = path.join(tmp, "missing", "workers-lsp");
    await activate(context(path.join(tmp, "no-server")));
    assert.equal(clients.length, 0);
    assert.equal(fake.messages.length, 1);
    assert.equal(fake.messages[0].kind, "error");
    assert.match(fake.messages[0].text, /not an executable file/);
    assert.equal(fake.commands.size, Object.keys(manifest.contributes.commands).length);
  });

  it("skips a bundled binary that does not run and names why when nothing else does", async () => {
    const dir = path.join(tmp, "broken-bundle");
    mkdirSync(path.join(dir, "server", platformDir), { recursive: true });
    const bin = path.join(dir, "server", platformDir, "workers-lsp");
    writeFileSync(bin, "#!/bin/sh\necho 'cannot execute binary file' >&2\nexit 126\n");
    chmodSync(bin, 0o755);
    const savedPath = process.env.PATH;
    process.env.PATH = path.join(tmp, "empty-path");
    try {
      await activate(context(dir));
    } finally {
      process.env.PATH = savedPath;
    }
    assert.equal(clients.length, 0);
    assert.equal(fake.messages.length, 1);
    assert.match(fake.messages[0].text, /does not run: `--version` failed \(exit code 126\): cannot execute binary file/);
    assert.match(fake.messages[0].text, /"workers-lsp" is not on PATH/);
  });

  it("runs `check <folder> --format json` and reports a summary", async () => {
    const report = {
      diagnostics: [
        { file: "web/wrangler.toml", line: 7, column: 12, severity: "error", code: "unknown-service", message: "no worker named carts" },
      ],
    };
    const dir = extensionWithServer("check", JSON.stringify(report));
    fake.workspaceFolders = [{ uri: { fsPath: dir }, name: "shop", index: 0 }];
    fake.answer = "Show Details";
    await activate(context(dir));
    fake.messages = [];
    await fake.commands.get("workersLsp.checkWorkspace")!();

    assert.equal(readFileSync(path.join(dir, "args"), "utf8").trim(), `check ${dir} --format json`);
    assert.deepEqual(fake.messages, [{ kind: "info", text: "workers-lsp check: 1 error in 1 file" }]);
    const out = fake.channels.find((c) => c.name === "Workers LSP Check")!;
    assert.ok(out.lines.includes("web/wrangler.toml:7:12: error[unknown-service]: no worker named carts"), out.lines.join("\n"));
    assert.equal(out.shown, 1);
  });

  it("reports a check whose output is not JSON as failed, with stderr", async () => {
    const dir = extensionWithServer("broken", "thread 'main' panicked");
    fake.workspaceFolders = [{ uri: { fsPath: dir }, name: "shop", index: 0 }];
    await activate(context(dir));
    fake.messages = [];
    await fake.commands.get("workersLsp.checkWorkspace")!();
    assert.equal(fake.messages[0].kind, "error");
    assert.match(fake.messages[0].text, /shop: check failed/);
  });
});

describe("probeBinary", { skip: !isPosix && "uses shell scripts" }, () => {
  function script(name: string, body: string): string {
    const p = path.join(tmp, name);
    writeFileSync(p, `#!/bin/sh\n${body}\n`);
    chmodSync(p, 0o755);
    return p;
  }

  it("accepts a binary that answers --version like workers-lsp", () => {
    assert.equal(probeBinary(script("probe-ok", 'echo "workers-lsp 0.1.0"')), undefined);
  });

  it("says why another binary is refused", () => {
    assert.match(probeBinary(script("probe-other", "echo hello"))!, /printed "hello", not "workers-lsp <version>"/);
    assert.match(probeBinary(script("probe-fail", "echo boom >&2; exit 3"))!, /`--version` failed \(exit code 3\): boom/);
    assert.match(probeBinary(path.join(tmp, "probe-missing"))!, /ENOENT/);
  });
});
