// Where the workers-lsp binary is. Pure: every outside fact (environment, file system,
// platform, whether a binary runs) comes in through `ResolveInput`, so the rules are
// unit-tested without VS Code.
//
// Order: the `workersLsp.server.path` setting > the binary bundled in the extension for this
// platform (`server/<platform>-<arch>/workers-lsp`, `.exe` on Windows) > `workers-lsp` on PATH
// > a clear error naming every place tried and why each failed. A candidate counts only if it
// runs (`probe`): a bundled binary for another platform, or one that cannot start here, falls
// through to PATH. A binary named by the setting is never replaced by another one.

import * as path from "node:path";

export interface ResolveInput {
  /** Value of `workersLsp.server.path` (may be empty/undefined). */
  configured?: string | null;
  /** File-system path of the first workspace folder, if any. */
  workspaceFolder?: string;
  /** Absolute path of the extension's install folder. */
  extensionPath: string;
  /** `process.platform`. */
  platform: NodeJS.Platform;
  /** `process.arch`. */
  arch: string;
  /** The environment (PATH, PATHEXT). */
  env: Record<string, string | undefined>;
  /** The user's home folder, for `~` expansion. */
  homeDir: string;
  /** True if `p` is an existing regular file that can be executed. */
  isExecutable: (p: string) => boolean;
  /** Runs `p --version`: undefined if it is a working workers-lsp, else why not. */
  probe: (p: string) => string | undefined;
}

export type ResolveResult =
  | { ok: true; path: string; source: "setting" | "bundled" | "path" }
  | { ok: false; message: string };

export const BINARY_NAME = "workers-lsp";

function pathApi(platform: NodeJS.Platform): path.PlatformPath {
  return platform === "win32" ? path.win32 : path.posix;
}

/** `~`, `~/x` and `${workspaceFolder}` expansion; other `${...}` variables are left alone. */
export function expandSetting(
  value: string,
  opts: { homeDir: string; workspaceFolder?: string; platform: NodeJS.Platform },
): { value: string } | { error: string } {
  let v = value.trim();
  if (v.includes("${workspaceFolder}")) {
    if (!opts.workspaceFolder) {
      return { error: `workersLsp.server.path uses \${workspaceFolder} but no folder is open` };
    }
    v = v.split("${workspaceFolder}").join(opts.workspaceFolder);
  }
  if (v === "~") {
    v = opts.homeDir;
  } else if (v.startsWith("~/") || (opts.platform === "win32" && v.startsWith("~\\"))) {
    v = pathApi(opts.platform).join(opts.homeDir, v.slice(2));
  }
  return { value: v };
}

/** Splits PATH the way the platform does; empty entries are skipped. */
export function pathEntries(env: Record<string, string | undefined>, platform: NodeJS.Platform): string[] {
  // Windows keeps PATH under any casing (`Path` is common).
  let raw = env.PATH;
  if (raw === undefined && platform === "win32") {
    const key = Object.keys(env).find((k) => k.toUpperCase() === "PATH");
    raw = key ? env[key] : undefined;
  }
  if (!raw) return [];
  const sep = platform === "win32" ? ";" : ":";
  return raw
    .split(sep)
    .map((e) => (platform === "win32" ? e.replace(/^"(.*)"$/, "$1") : e))
    .filter((e) => e.length > 0);
}

/** File names to try for `name` in one PATH folder (Windows adds PATHEXT extensions). */
export function candidateNames(name: string, env: Record<string, string | undefined>, platform: NodeJS.Platform): string[] {
  if (platform !== "win32") return [name];
  const exts = (env.PATHEXT || ".COM;.EXE;.BAT;.CMD")
    .split(";")
    .filter((e) => e.length > 0)
    .map((e) => e.toLowerCase());
  if (exts.some((e) => name.toLowerCase().endsWith(e))) return [name];
  return exts.map((e) => name + e);
}

/** First `name` found on PATH, or undefined. */
export function findOnPath(
  name: string,
  env: Record<string, string | undefined>,
  platform: NodeJS.Platform,
  isExecutable: (p: string) => boolean,
): string | undefined {
  const p = pathApi(platform);
  for (const dir of pathEntries(env, platform)) {
    // A relative PATH entry (".") would make the result depend on VS Code's cwd: skip it.
    if (!p.isAbsolute(dir)) continue;
    for (const file of candidateNames(name, env, platform)) {
      const full = p.join(dir, file);
      if (isExecutable(full)) return full;
    }
  }
  return undefined;
}

/** `<platform>-<arch>`: the VS Code target name, and the folder of the bundled binary. */
export function platformKey(platform: NodeJS.Platform, arch: string): string {
  return `${platform}-${arch}`;
}

export function bundledServerPath(extensionPath: string, platform: NodeJS.Platform, arch: string): string {
  const exe = platform === "win32" ? `${BINARY_NAME}.exe` : BINARY_NAME;
  return pathApi(platform).join(extensionPath, "server", platformKey(platform, arch), exe);
}

const INSTALL_HINT =
  `Install it (npm i -g workers-lsp, or cargo install workers-lsp) or set workersLsp.server.path ` +
  `to a workers-lsp binary.`;

function fromSetting(input: ResolveInput, configured: string): ResolveResult {
  const p = pathApi(input.platform);
  const expanded = expandSetting(configured, input);
  if ("error" in expanded) return { ok: false, message: expanded.error };
  let candidate = expanded.value;
  // A bare command name ("workers-lsp-nightly") is looked up on PATH, like a shell would.
  const hasSeparator = candidate.includes("/") || (input.platform === "win32" && candidate.includes("\\"));
  if (!hasSeparator) {
    const found = findOnPath(candidate, input.env, input.platform, input.isExecutable);
    if (!found) {
      return { ok: false, message: `workersLsp.server.path is "${configured}", which was not found on PATH.` };
    }
    candidate = found;
  } else if (!p.isAbsolute(candidate)) {
    if (!input.workspaceFolder) {
      return {
        ok: false,
        message: `workersLsp.server.path "${configured}" is relative and no workspace folder is open.`,
      };
    }
    candidate = p.resolve(input.workspaceFolder, candidate);
  }
  if (!input.isExecutable(candidate)) {
    return {
      ok: false,
      message: `workersLsp.server.path is "${configured}" (resolved to ${candidate}), which is not an executable file.`,
    };
  }
  const failure = input.probe(candidate);
  if (failure !== undefined) {
    return { ok: false, message: `workersLsp.server.path is "${configured}" (${candidate}), which does not run: ${failure}` };
  }
  return { ok: true, path: candidate, source: "setting" };
}

export function resolveServerPath(input: ResolveInput): ResolveResult {
  const configured = (input.configured ?? "").trim();
  if (configured.length > 0) return fromSetting(input, configured);

  const tried: string[] = [];
  const bundled = bundledServerPath(input.extensionPath, input.platform, input.arch);
  if (input.isExecutable(bundled)) {
    const failure = input.probe(bundled);
    if (failure === undefined) return { ok: true, path: bundled, source: "bundled" };
    tried.push(`the bundled ${bundled} does not run: ${failure}`);
  } else {
    tried.push(`this extension bundles no binary for ${platformKey(input.platform, input.arch)} (${bundled})`);
  }

  const onPath = findOnPath(BINARY_NAME, input.env, input.platform, input.isExecutable);
  if (onPath) {
    const failure = input.probe(onPath);
    if (failure === undefined) return { ok: true, path: onPath, source: "path" };
    tried.push(`${onPath} (from PATH) does not run: ${failure}`);
  } else {
    tried.push(`"${BINARY_NAME}" is not on PATH`);
  }

  return {
    ok: false,
    message: `No working ${BINARY_NAME} binary: workersLsp.server.path is not set; ${tried.join("; ")}. ${INSTALL_HINT}`,
  };
}
