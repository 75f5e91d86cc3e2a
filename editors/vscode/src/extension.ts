// VS Code entry point: starts workers-lsp over stdio and adds three commands.
// Everything with rules in it (server path, report parsing) lives in pure modules beside
// this one; this file only wires them to VS Code.

import * as childProcess from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as vscode from "vscode";
import {
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
} from "vscode-languageclient/node";
import { formatFindings, parseCheckOutput, summarize } from "./checkReport";
import { CLIENT_ID, CLIENT_NAME, COMMANDS, CONFIG_SECTION, type CommandKey, LANGUAGE_IDS, WATCH_GLOBS } from "./constants";
import { showReferencesArgs } from "./references";
import { resolveServerPath, type ResolveResult } from "./serverPath";

/** How long `Run Check on Workspace` may take per folder before it is stopped. */
const CHECK_TIMEOUT_MS = 5 * 60 * 1000;

export function isExecutableFile(p: string): boolean {
  try {
    if (!fs.statSync(p).isFile()) return false;
    if (process.platform === "win32") return true;
    fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** How long `workers-lsp --version` may take when a candidate binary is tried. */
const PROBE_TIMEOUT_MS = 10 * 1000;

/**
 * Runs `binary --version`: undefined if it answers like workers-lsp, else why not (a binary
 * for another platform, a missing shared library, a different program of the same name).
 */
export function probeBinary(binary: string): string | undefined {
  const r = childProcess.spawnSync(binary, ["--version"], {
    encoding: "utf8",
    timeout: PROBE_TIMEOUT_MS,
    windowsHide: true,
  });
  if (r.error) return r.error.message;
  if (r.status !== 0) {
    const why = r.signal ? `killed by ${r.signal}` : `exit code ${r.status}`;
    const stderr = (r.stderr ?? "").trim().split(/\r?\n/)[0];
    return `\`--version\` failed (${why})${stderr ? `: ${stderr}` : ""}`;
  }
  const stdout = (r.stdout ?? "").trim();
  if (!/^workers-lsp \S+/.test(stdout)) {
    return `\`--version\` printed "${stdout.slice(0, 80)}", not "workers-lsp <version>"`;
  }
  return undefined;
}

function firstWorkspaceFolder(): string | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

export function resolveFromSettings(extensionPath: string): ResolveResult {
  const config = vscode.workspace.getConfiguration(CONFIG_SECTION);
  return resolveServerPath({
    configured: config.get<string>("server.path"),
    workspaceFolder: firstWorkspaceFolder(),
    extensionPath,
    platform: process.platform,
    arch: process.arch,
    env: process.env,
    homeDir: os.homedir(),
    isExecutable: isExecutableFile,
    probe: probeBinary,
  });
}

function extraArgs(): string[] {
  const value = vscode.workspace.getConfiguration(CONFIG_SECTION).get<unknown>("server.extraArgs");
  return Array.isArray(value) ? value.filter((a): a is string => typeof a === "string") : [];
}

export class WorkersLspExtension implements vscode.Disposable {
  readonly output: vscode.OutputChannel;
  readonly traceOutput: vscode.OutputChannel;
  readonly checkOutput: vscode.OutputChannel;
  private client: LanguageClient | undefined;
  private watchers: vscode.FileSystemWatcher[] = [];
  private disposables: vscode.Disposable[] = [];

  constructor(private readonly extensionPath: string) {
    this.output = vscode.window.createOutputChannel(CLIENT_NAME);
    this.traceOutput = vscode.window.createOutputChannel(`${CLIENT_NAME} Trace`);
    this.checkOutput = vscode.window.createOutputChannel(`${CLIENT_NAME} Check`);
    this.disposables.push(this.output, this.traceOutput, this.checkOutput);
  }

  /** The handler of every contributed command; the type makes a missing one a compile error. */
  commandHandlers(): Record<CommandKey, (...args: unknown[]) => Promise<void> | void> {
    return {
      restartServer: () => this.restart(),
      showOutput: () => this.output.show(true),
      checkWorkspace: () => this.checkWorkspace(),
      showReferences: (...args) => this.showReferences(args),
    };
  }

  /** A code lens's "bound by N workers": the peek of the config entries that bind the class. */
  async showReferences(args: unknown[]): Promise<void> {
    const converted = showReferencesArgs(
      {
        parseUri: (u) => vscode.Uri.parse(u),
        position: (line, character) => new vscode.Position(line, character),
        range: (start, end) => new vscode.Range(start, end),
        location: (uri, range) => new vscode.Location(uri, range),
      },
      args,
    );
    if (!converted) {
      this.output.appendLine(`workers-lsp.showReferences: unexpected arguments ${JSON.stringify(args)}`);
      return;
    }
    await vscode.commands.executeCommand("editor.action.showReferences", ...converted);
  }

  registerCommands(): void {
    const handlers = this.commandHandlers();
    for (const key of Object.keys(COMMANDS) as CommandKey[]) {
      this.disposables.push(vscode.commands.registerCommand(COMMANDS[key], handlers[key]));
    }
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${CONFIG_SECTION}.server`)) {
          this.output.appendLine("Server settings changed; restarting.");
          void this.restart();
        }
      }),
    );
  }

  get languageClient(): LanguageClient | undefined {
    return this.client;
  }

  async start(): Promise<void> {
    if (this.client) return;
    const resolved = resolveFromSettings(this.extensionPath);
    if (!resolved.ok) {
      this.output.appendLine(resolved.message);
      const choice = await vscode.window.showErrorMessage(resolved.message, "Open Settings", "Show Output");
      if (choice === "Open Settings") {
        await vscode.commands.executeCommand("workbench.action.openSettings", `${CONFIG_SECTION}.server.path`);
      } else if (choice === "Show Output") {
        this.output.show(true);
      }
      return;
    }
    const args = ["serve", "--stdio", ...extraArgs()];
    this.output.appendLine(`Starting ${resolved.path} ${args.join(" ")} (from ${resolved.source})`);

    // No `transport` field: with TransportKind.stdio the client would append its own
    // `--stdio` argument, which `serve --stdio` already says.
    const serverOptions: ServerOptions = {
      command: resolved.path,
      args,
      options: { cwd: firstWorkspaceFolder(), env: { ...process.env } },
    };
    this.watchers = WATCH_GLOBS.map((glob) => vscode.workspace.createFileSystemWatcher(glob));
    const clientOptions: LanguageClientOptions = {
      documentSelector: LANGUAGE_IDS.map((language) => ({ scheme: "file", language })),
      synchronize: { fileEvents: this.watchers },
      outputChannel: this.output,
      traceOutputChannel: this.traceOutput,
    };
    const client = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
    this.client = client;
    try {
      await client.start();
    } catch (e) {
      this.output.appendLine(`workers-lsp failed to start: ${(e as Error).message ?? e}`);
      void vscode.window.showErrorMessage(`Workers LSP failed to start: ${(e as Error).message ?? e}`);
    }
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    for (const w of this.watchers) w.dispose();
    this.watchers = [];
    if (!client) return;
    try {
      await client.stop();
    } catch (e) {
      this.output.appendLine(`Stopping workers-lsp: ${(e as Error).message ?? e}`);
    }
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Runs `workers-lsp check <folder> --format json` on each workspace folder. */
  async checkWorkspace(): Promise<void> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (folders.length === 0) {
      void vscode.window.showWarningMessage("Workers LSP: open a folder to check it.");
      return;
    }
    const resolved = resolveFromSettings(this.extensionPath);
    if (!resolved.ok) {
      void vscode.window.showErrorMessage(resolved.message);
      return;
    }
    this.checkOutput.clear();
    const summaries: string[] = [];
    let failed = false;
    for (const folder of folders) {
      const dir = folder.uri.fsPath;
      this.checkOutput.appendLine(`$ ${resolved.path} check ${dir} --format json`);
      const run = await runCheck(resolved.path, dir);
      try {
        const report = parseCheckOutput(run.stdout);
        for (const line of formatFindings(report)) this.checkOutput.appendLine(line);
        const summary = summarize(report);
        this.checkOutput.appendLine(`${folder.name}: ${summary}`);
        summaries.push(folders.length > 1 ? `${folder.name}: ${summary}` : summary);
      } catch (e) {
        failed = true;
        this.checkOutput.appendLine(`error: ${(e as Error).message}`);
        if (run.error) this.checkOutput.appendLine(`error: ${run.error}`);
        if (run.stderr.trim()) this.checkOutput.appendLine(run.stderr.trimEnd());
        summaries.push(`${folder.name}: check failed`);
      }
      this.checkOutput.appendLine("");
    }
    const text = `workers-lsp check: ${summaries.join("; ")}`;
    const show = failed
      ? vscode.window.showErrorMessage(text, "Show Details")
      : vscode.window.showInformationMessage(text, "Show Details");
    if ((await show) === "Show Details") this.checkOutput.show(true);
  }

  dispose(): void {
    void this.stop();
    for (const d of this.disposables) d.dispose();
    this.disposables = [];
  }
}

interface CheckRun {
  stdout: string;
  stderr: string;
  /** Spawn failure or timeout; a non-zero exit alone is not an error (findings exit 1). */
  error?: string;
}

export function runCheck(binary: string, folder: string): Promise<CheckRun> {
  return new Promise((resolve) => {
    childProcess.execFile(
      binary,
      ["check", folder, "--format", "json"],
      { cwd: folder, timeout: CHECK_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024, windowsHide: true },
      (err, stdout, stderr) => {
        let error: string | undefined;
        if (err && (typeof err.code !== "number" || err.killed)) error = err.message;
        resolve({ stdout: String(stdout), stderr: String(stderr), error });
      },
    );
  });
}

let extension: WorkersLspExtension | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<WorkersLspExtension> {
  extension = new WorkersLspExtension(context.extensionPath);
  context.subscriptions.push(extension);
  extension.registerCommands();
  await extension.start();
  return extension;
}

export async function deactivate(): Promise<void> {
  const ext = extension;
  extension = undefined;
  await ext?.stop();
}
