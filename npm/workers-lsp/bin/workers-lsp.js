#!/usr/bin/env node
// The `workers-lsp` command of the npm package: finds the native binary that npm installed
// for this machine (one of the optionalDependencies, each limited to its os/cpu/libc) and
// runs it with the same arguments, standard streams and exit code. Also used as a language
// server over stdio, so signals are passed on and the binary never outlives this process.
"use strict";

const childProcess = require("node:child_process");
const path = require("node:path");

/** `${process.platform}-${process.arch}` -> the npm package that holds its binary. */
const PLATFORM_PACKAGES = {
  "linux-x64": "@workers-lsp/cli-linux-x64",
  "linux-arm64": "@workers-lsp/cli-linux-arm64",
  "darwin-x64": "@workers-lsp/cli-darwin-x64",
  "darwin-arm64": "@workers-lsp/cli-darwin-arm64",
  "win32-x64": "@workers-lsp/cli-win32-x64",
};

/** Set to run another binary (a local build) through this launcher. */
const OVERRIDE_VAR = "WORKERS_LSP_BINARY";

function binaryName(platform) {
  return platform === "win32" ? "workers-lsp.exe" : "workers-lsp";
}

/** True on a Linux whose C library is not glibc (Alpine's musl): our Linux builds need glibc. */
function isNonGlibcLinux(platform, report) {
  if (platform !== "linux" || !report) return false;
  const header = report.header || {};
  return !header.glibcVersionRuntime;
}

/**
 * Where the binary is, from the facts given (pure, for the tests).
 * @param {{platform: string, arch: string, env: Record<string, string|undefined>,
 *          resolvePackage: (name: string) => string, report?: object}} input
 *   resolvePackage returns the path of `<name>/package.json` or throws if it is not installed.
 * @returns {{ok: true, path: string, source: "env"|"package"} | {ok: false, message: string}}
 */
function resolveBinary(input) {
  const override = input.env[OVERRIDE_VAR];
  if (override) return { ok: true, path: override, source: "env" };

  const key = `${input.platform}-${input.arch}`;
  const pkg = PLATFORM_PACKAGES[key];
  if (!pkg) {
    return {
      ok: false,
      message:
        `workers-lsp: no prebuilt binary for ${key}. Prebuilt: ${Object.keys(PLATFORM_PACKAGES).join(", ")}. ` +
        `Build it from source (cargo install workers-lsp) and set ${OVERRIDE_VAR} to its path, ` +
        `or run that binary directly.`,
    };
  }
  let manifest;
  try {
    manifest = input.resolvePackage(`${pkg}/package.json`);
  } catch {
    let why =
      `npm did not install the optional dependency ${pkg}, which holds the binary for ${key}. ` +
      `Reinstall without --omit=optional / --no-optional (npm i -D workers-lsp), ` +
      `and check that your lockfile was not made on another platform only.`;
    if (isNonGlibcLinux(input.platform, input.report)) {
      why =
        `this Linux does not use glibc (Alpine's musl?), and the prebuilt Linux binaries need it; ` +
        `npm therefore skipped ${pkg}. Build from source (cargo install workers-lsp) and set ${OVERRIDE_VAR}.`;
    }
    return { ok: false, message: `workers-lsp: ${why}` };
  }
  return { ok: true, path: path.join(path.dirname(manifest), binaryName(input.platform)), source: "package" };
}

/** Runs the binary; resolves with the exit code to use (a signal is re-raised by `main`). */
function run(binary, args, options = {}) {
  return new Promise((resolve) => {
    // The handlers go in before the binary starts: a signal sent as soon as the binary
    // shows it runs (its first output) must not find this process without them.
    let child = null;
    let pending = null;
    const forwarded = ["SIGINT", "SIGTERM", "SIGHUP"];
    const forward = (signal) => {
      if (child === null) {
        pending = pending ?? signal;
      } else if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
      }
    };
    const installed = [];
    for (const signal of forwarded) {
      if (options.forwardSignals === false) break;
      const handler = () => forward(signal);
      process.on(signal, handler);
      installed.push([signal, handler]);
    }
    const cleanup = () => {
      for (const [signal, handler] of installed) process.removeListener(signal, handler);
    };
    try {
      child = childProcess.spawn(binary, args, { stdio: "inherit", windowsHide: true });
    } catch (e) {
      cleanup();
      resolve({ code: 2, error: e });
      return;
    }
    if (pending !== null) forward(pending);
    child.on("error", (e) => {
      cleanup();
      resolve({ code: 2, error: e });
    });
    child.on("exit", (code, signal) => {
      cleanup();
      resolve(signal ? { code: 1, signal } : { code: code ?? 1 });
    });
  });
}

function describeSpawnError(binary, source, error) {
  const how = source === "env" ? ` (from ${OVERRIDE_VAR})` : "";
  if (error.code === "ENOENT") return `workers-lsp: ${binary}${how} does not exist.`;
  if (error.code === "EACCES") return `workers-lsp: ${binary}${how} is not executable (chmod +x it, or reinstall).`;
  return `workers-lsp: could not run ${binary}${how}: ${error.message}`;
}

async function main() {
  const resolved = resolveBinary({
    platform: process.platform,
    arch: process.arch,
    env: process.env,
    resolvePackage: (name) => require.resolve(name),
    report: process.platform === "linux" && process.report ? process.report.getReport() : undefined,
  });
  if (!resolved.ok) {
    process.stderr.write(`${resolved.message}\n`);
    process.exitCode = 2;
    return;
  }
  const result = await run(resolved.path, process.argv.slice(2));
  if (result.error) {
    process.stderr.write(`${describeSpawnError(resolved.path, resolved.source, result.error)}\n`);
    process.exitCode = 2;
    return;
  }
  if (result.signal) {
    // Die of the same signal, so that whoever started us sees what happened to the binary.
    process.kill(process.pid, result.signal);
    return;
  }
  process.exitCode = result.code;
}

if (require.main === module) {
  main();
}

module.exports = { PLATFORM_PACKAGES, OVERRIDE_VAR, binaryName, resolveBinary, run, describeSpawnError };
