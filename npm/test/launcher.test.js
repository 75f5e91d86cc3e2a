// Unit tests of the npm launcher (npm/workers-lsp/bin/workers-lsp.js) and of the package
// manifests it relies on. Run: node --test npm/test/
"use strict";

const assert = require("node:assert/strict");
const childProcess = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { describe, it, before, after } = require("node:test");

const npmDir = path.join(__dirname, "..");
const launcherPath = path.join(npmDir, "workers-lsp", "bin", "workers-lsp.js");
const launcher = require(launcherPath);
const launcherManifest = JSON.parse(fs.readFileSync(path.join(npmDir, "workers-lsp", "package.json"), "utf8"));

function notInstalled() {
  const e = new Error("Cannot find module");
  e.code = "MODULE_NOT_FOUND";
  throw e;
}

describe("manifests", () => {
  it("list one optional dependency per platform of the launcher, at the launcher's version", () => {
    const expected = Object.fromEntries(
      Object.values(launcher.PLATFORM_PACKAGES).map((name) => [name, launcherManifest.version]),
    );
    assert.deepEqual(launcherManifest.optionalDependencies, expected);
    assert.deepEqual(launcherManifest.bin, { "workers-lsp": "bin/workers-lsp.js" });
    assert.ok(launcherManifest.files.includes("bin/workers-lsp.js"));
    assert.ok(fs.readFileSync(launcherPath, "utf8").startsWith("#!/usr/bin/env node\n"));
  });

  it("give each platform package the os, cpu and binary that the launcher expects", () => {
    for (const [key, name] of Object.entries(launcher.PLATFORM_PACKAGES)) {
      const dir = path.join(npmDir, ...name.split("/"));
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
      const [platform, arch] = key.split("-");
      assert.equal(pkg.name, name);
      assert.equal(pkg.version, launcherManifest.version, `${name} version`);
      assert.equal(pkg.license, launcherManifest.license);
      assert.deepEqual(pkg.os, [platform], `${name} os`);
      assert.deepEqual(pkg.cpu, [arch], `${name} cpu`);
      if (platform === "linux") assert.deepEqual(pkg.libc, ["glibc"], `${name} libc`);
      else assert.equal(pkg.libc, undefined);
      assert.ok(pkg.files.includes(launcher.binaryName(platform)), `${name} ships ${launcher.binaryName(platform)}`);
      assert.equal(pkg.bin, undefined, "platform packages must not put a second workers-lsp on PATH");
      assert.equal(pkg.publishConfig.access, "public", "scoped packages are private unless published public");
    }
    // No stray platform folders that the launcher would never pick.
    const dirs = fs.readdirSync(path.join(npmDir, "@workers-lsp")).map((d) => `@workers-lsp/${d}`).sort();
    assert.deepEqual(dirs, Object.values(launcher.PLATFORM_PACKAGES).sort());
  });
});

describe("resolveBinary", () => {
  const base = { platform: "linux", arch: "x64", env: {}, resolvePackage: notInstalled };

  it("finds the binary beside the platform package's package.json", () => {
    const seen = [];
    const r = launcher.resolveBinary({
      ...base,
      resolvePackage: (name) => {
        seen.push(name);
        return "/p/node_modules/@workers-lsp/cli-linux-x64/package.json";
      },
    });
    assert.deepEqual(seen, ["@workers-lsp/cli-linux-x64/package.json"]);
    assert.deepEqual(r, { ok: true, path: "/p/node_modules/@workers-lsp/cli-linux-x64/workers-lsp", source: "package" });
  });

  it("picks the package of each supported platform, with workers-lsp.exe on Windows", () => {
    for (const [key, name] of Object.entries(launcher.PLATFORM_PACKAGES)) {
      const [platform, arch] = key.split("-");
      const r = launcher.resolveBinary({ ...base, platform, arch, resolvePackage: (n) => `/m/${n}` });
      assert.equal(r.ok, true);
      assert.equal(r.path, path.join(`/m/${name}`, launcher.binaryName(platform)));
    }
    assert.equal(launcher.binaryName("win32"), "workers-lsp.exe");
    assert.equal(launcher.binaryName("darwin"), "workers-lsp");
  });

  it("prefers WORKERS_LSP_BINARY, even on a platform without a package", () => {
    const r = launcher.resolveBinary({ ...base, platform: "freebsd", env: { WORKERS_LSP_BINARY: "/opt/wl" } });
    assert.deepEqual(r, { ok: true, path: "/opt/wl", source: "env" });
  });

  it("names the supported platforms when there is no package for this one", () => {
    const r = launcher.resolveBinary({ ...base, platform: "linux", arch: "ia32" });
    assert.equal(r.ok, false);
    assert.match(r.message, /no prebuilt binary for linux-ia32/);
    assert.match(r.message, /linux-x64, linux-arm64, darwin-x64, darwin-arm64, win32-x64/);
    assert.match(r.message, /WORKERS_LSP_BINARY/);
  });

  it("explains a skipped optional dependency, and musl separately", () => {
    const glibc = launcher.resolveBinary({ ...base, report: { header: { glibcVersionRuntime: "2.36" } } });
    assert.equal(glibc.ok, false);
    assert.match(glibc.message, /did not install the optional dependency @workers-lsp\/cli-linux-x64/);
    assert.match(glibc.message, /--omit=optional/);
    const musl = launcher.resolveBinary({ ...base, report: { header: {} } });
    assert.equal(musl.ok, false);
    assert.match(musl.message, /does not use glibc/);
    const mac = launcher.resolveBinary({ ...base, platform: "darwin", arch: "arm64", report: { header: {} } });
    assert.match(mac.message, /cli-darwin-arm64/);
    assert.doesNotMatch(mac.message, /glibc/);
  });
});

// The launcher run as a process, against small stand-in binaries (shell scripts).
describe("the launcher as a command", { skip: process.platform === "win32" }, () => {
  let dir;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "workers-lsp-launcher-"));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  function script(name, body, mode = 0o755) {
    const p = path.join(dir, name);
    fs.writeFileSync(p, `#!/bin/sh\n${body}\n`, { mode });
    return p;
  }

  function launch(binary, args, opts = {}) {
    return childProcess.spawnSync(process.execPath, [launcherPath, ...args], {
      env: { ...process.env, WORKERS_LSP_BINARY: binary },
      encoding: "utf8",
      timeout: 20000,
      ...opts,
    });
  }

  it("passes arguments, stdin, stdout, stderr and the exit code through", () => {
    const fake = script("echo-args", 'printf "%s|" "$@"; cat; echo err >&2; exit 3');
    const r = launch(fake, ["check", "a b", "--format", "json"], { input: "from stdin" });
    assert.equal(r.status, 3);
    assert.equal(r.stdout, "check|a b|--format|json|from stdin");
    assert.equal(r.stderr, "err\n");
    const ok = launch(script("ok", "exit 0"), []);
    assert.equal(ok.status, 0);
  });

  it("exits 2 with a clear message when the binary is missing or not executable", () => {
    const missing = launch(path.join(dir, "nope"), ["check"]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /nope \(from WORKERS_LSP_BINARY\) does not exist/);
    const plain = script("not-exec", "exit 0", 0o644);
    const r = launch(plain, ["check"]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /is not executable/);
  });

  it("passes SIGTERM on to the binary and exits as the binary did", async () => {
    const marker = path.join(dir, "got-term");
    const fake = script("trap-term", `trap 'echo term > "${marker}"; exit 7' TERM\necho ready\nwhile :; do sleep 0.05; done`);
    const code = await new Promise((resolve, reject) => {
      const child = childProcess.spawn(process.execPath, [launcherPath], {
        env: { ...process.env, WORKERS_LSP_BINARY: fake },
        stdio: ["ignore", "pipe", "inherit"],
      });
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new Error("launcher did not exit after SIGTERM"));
      }, 15000);
      child.stdout.once("data", () => child.kill("SIGTERM"));
      child.on("exit", (c, s) => {
        clearTimeout(timer);
        resolve({ c, s });
      });
    });
    assert.deepEqual(code, { c: 7, s: null });
    assert.equal(fs.readFileSync(marker, "utf8"), "term\n");
  });

  it("dies of the signal that killed the binary", () => {
    const r = launch(script("self-kill", "kill -TERM $$"), []);
    assert.equal(r.signal, "SIGTERM");
    assert.equal(r.status, null);
  });
});
