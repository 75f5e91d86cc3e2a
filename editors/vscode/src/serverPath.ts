// Where the workers-lsp binary is. Pure: every outside fact (environment, file system,
// platform) comes in through `ResolveInput`, so the rules are unit-tested without VS Code.
//
// Order: the `workersLsp.server.path` setting > the binary bundled in the extension
// (`server/workers-lsp`, `.exe` on Windows) > `workers-lsp` on PATH > a clear error.

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
  /** The environment (PATH, PATHEXT). */
  env: Record<string, string | undefined>;
  /** The user's home folder, for `~` expansion. */
  homeDir: string;
  /** True if `p` is an existing regular file that can be executed. */
  isExecutable: (p: string) => boolean;
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

export function bundledServerPath(extensionPath: string, platform: NodeJS.Platform): string {
  const exe = platform === "win32" ? `${BINARY_NAME}.exe` : BINARY_NAME;
  return pathApi(platform).join(extensionPath, "server", exe);
}

export function resolveServerPath(input: ResolveInput): ResolveResult {
  const p = pathApi(input.platform);
  const configured = (input.configured ?? "").trim();

  if (configured.length > 0) {
    const expanded = expandSetting(configured, input);
    if ("error" in expanded) return { ok: false, message: expanded.error };
    let candidate = expanded.value;
    // A bare command name ("workers-lsp-nightly") is looked up on PATH, like a shell would.
    const hasSeparator = candidate.includes("/") || (input.platform === "win32" && candidate.includes("\\"));
    if (!hasSeparator) {
      const found = findOnPath(candidate, input.env, input.platform, input.isExecutable);
      if (found) return { ok: true, path: found, source: "setting" };
      return {
        ok: false,
        message: `workersLsp.server.path is "${configured}", which was not found on PATH.`,
      };
    }
    if (!p.isAbsolute(candidate)) {
      if (!input.workspaceFolder) {
        return {
          ok: false,
          message: `workersLsp.server.path "${configured}" is relative and no workspace folder is open.`,
        };
      }
      candidate = p.resolve(input.workspaceFolder, candidate);
    }
    if (input.isExecutable(candidate)) return { ok: true, path: candidate, source: "setting" };
    return {
      ok: false,
      message: `workersLsp.server.path is "${configured}" (resolved to ${candidate}), which is not an executable file.`,
    };
  }

  const bundled = bundledServerPath(input.extensionPath, input.platform);
  if (input.isExecutable(bundled)) return { ok: true, path: bundled, source: "bundled" };

  const onPath = findOnPath(BINARY_NAME, input.env, input.platform, input.isExecutable);
  if (onPath) return { ok: true, path: onPath, source: "path" };

  return {
    ok: false,
    message:
      `Could not find the ${BINARY_NAME} binary: workersLsp.server.path is not set, ` +
      `no binary is bundled at ${bundled}, and "${BINARY_NAME}" is not on PATH. ` +
      `Install it (cargo install --path server) or set workersLsp.server.path.`,
  };
}
