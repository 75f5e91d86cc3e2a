import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import {
  bundledServerPath,
  candidateNames,
  expandSetting,
  findOnPath,
  pathEntries,
  resolveServerPath,
  type ResolveInput,
} from "../src/serverPath";

/**
 * An input on a fake Linux x64 machine where exactly `executables` exist; those in `broken`
 * exist but do not run (`probe` says why).
 */
function input(over: Partial<ResolveInput> & { executables?: string[]; broken?: Record<string, string> } = {}): ResolveInput {
  const executables = new Set(over.executables ?? []);
  const broken = over.broken ?? {};
  return {
    configured: "",
    workspaceFolder: "/home/ann/shop",
    extensionPath: "/home/ann/.vscode/extensions/workers-lsp-0.1.0",
    platform: "linux",
    arch: "x64",
    env: { PATH: "/usr/local/bin:/usr/bin" },
    homeDir: "/home/ann",
    isExecutable: (p) => executables.has(p) || p in broken,
    probe: (p) => broken[p],
    ...over,
  };
}

describe("resolveServerPath order", () => {
  it("prefers the setting over the bundled binary and PATH", () => {
    const r = resolveServerPath(
      input({
        configured: "/opt/wl/workers-lsp",
        executables: [
          "/opt/wl/workers-lsp",
          "/home/ann/.vscode/extensions/workers-lsp-0.1.0/server/linux-x64/workers-lsp",
          "/usr/bin/workers-lsp",
        ],
      }),
    );
    assert.deepEqual(r, { ok: true, path: "/opt/wl/workers-lsp", source: "setting" });
  });

  it("uses the bundled binary when the setting is empty", () => {
    const r = resolveServerPath(
      input({
        configured: "  ",
        executables: ["/home/ann/.vscode/extensions/workers-lsp-0.1.0/server/linux-x64/workers-lsp", "/usr/bin/workers-lsp"],
      }),
    );
    assert.deepEqual(r, {
      ok: true,
      path: "/home/ann/.vscode/extensions/workers-lsp-0.1.0/server/linux-x64/workers-lsp",
      source: "bundled",
    });
  });

  it("falls back to the first PATH entry holding workers-lsp", () => {
    const r = resolveServerPath(
      input({ configured: undefined, executables: ["/usr/bin/workers-lsp", "/usr/local/bin/other"] }),
    );
    assert.deepEqual(r, { ok: true, path: "/usr/bin/workers-lsp", source: "path" });
    const both = resolveServerPath(input({ executables: ["/usr/bin/workers-lsp", "/usr/local/bin/workers-lsp"] }));
    assert.equal(both.ok && both.path, "/usr/local/bin/workers-lsp");
  });

  it("gives a clear error naming every place it looked", () => {
    const r = resolveServerPath(input({ configured: null }));
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.match(r.message, /workersLsp\.server\.path is not set/);
      assert.match(r.message, /server\/linux-x64\/workers-lsp/);
      assert.match(r.message, /not on PATH/);
    }
  });

  it("does not fall back when the configured path is wrong", () => {
    const r = resolveServerPath(input({ configured: "/nope/workers-lsp", executables: ["/usr/bin/workers-lsp"] }));
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.message, /\/nope\/workers-lsp.*not an executable file/);
  });
});

const EXT = "/home/ann/.vscode/extensions/workers-lsp-0.1.0";

describe("resolveServerPath: the bundled binary is this platform's, and must run", () => {
  it("ignores a binary bundled for another platform and uses PATH (a Linux build on a Mac)", () => {
    const r = resolveServerPath(
      input({
        platform: "darwin",
        arch: "arm64",
        executables: [`${EXT}/server/linux-x64/workers-lsp`, "/usr/bin/workers-lsp"],
      }),
    );
    assert.deepEqual(r, { ok: true, path: "/usr/bin/workers-lsp", source: "path" });
    const mac = resolveServerPath(
      input({ platform: "darwin", arch: "arm64", executables: [`${EXT}/server/darwin-arm64/workers-lsp`] }),
    );
    assert.deepEqual(mac, { ok: true, path: `${EXT}/server/darwin-arm64/workers-lsp`, source: "bundled" });
  });

  it("ignores the old single-binary location server/workers-lsp", () => {
    const r = resolveServerPath(input({ executables: [`${EXT}/server/workers-lsp`] }));
    assert.equal(r.ok, false);
  });

  it("falls through to PATH when the bundled binary does not run", () => {
    const r = resolveServerPath(
      input({
        broken: { [`${EXT}/server/linux-x64/workers-lsp`]: "spawn Unknown system error -8" },
        executables: ["/usr/bin/workers-lsp"],
      }),
    );
    assert.deepEqual(r, { ok: true, path: "/usr/bin/workers-lsp", source: "path" });
  });

  it("says why each candidate failed when none runs", () => {
    const r = resolveServerPath(
      input({
        broken: {
          [`${EXT}/server/linux-x64/workers-lsp`]: "error while loading shared libraries: libc.so.6",
          "/usr/local/bin/workers-lsp": '`--version` printed "hello", not "workers-lsp <version>"',
        },
      }),
    );
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.match(r.message, /No working workers-lsp binary/);
      assert.match(r.message, /bundled .*server\/linux-x64\/workers-lsp does not run: error while loading shared libraries/);
      assert.match(r.message, /\/usr\/local\/bin\/workers-lsp \(from PATH\) does not run: `--version` printed "hello"/);
      assert.match(r.message, /npm i -g workers-lsp/);
    }
  });

  it("names the platform that has no bundled binary", () => {
    const r = resolveServerPath(input({ platform: "linux", arch: "riscv64" }));
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.match(r.message, /bundles no binary for linux-riscv64/);
      assert.match(r.message, /"workers-lsp" is not on PATH/);
    }
  });

  it("never replaces a configured binary that does not run", () => {
    const r = resolveServerPath(
      input({
        configured: "/opt/old/workers-lsp",
        broken: { "/opt/old/workers-lsp": "`--version` failed (exit code 127)" },
        executables: [`${EXT}/server/linux-x64/workers-lsp`, "/usr/bin/workers-lsp"],
      }),
    );
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.message, /"\/opt\/old\/workers-lsp" \(\/opt\/old\/workers-lsp\), which does not run: `--version` failed/);
  });

  it("does not run a candidate before the ones ahead of it have failed", () => {
    const probed: string[] = [];
    const base = input({ executables: [`${EXT}/server/linux-x64/workers-lsp`, "/usr/bin/workers-lsp"] });
    const r = resolveServerPath({ ...base, probe: (p) => (probed.push(p), undefined) });
    assert.equal(r.ok && r.source, "bundled");
    assert.deepEqual(probed, [`${EXT}/server/linux-x64/workers-lsp`]);
  });
});

describe("setting expansion", () => {
  it("expands ~ and ~/", () => {
    assert.deepEqual(expandSetting("~", { homeDir: "/home/ann", platform: "linux" }), { value: "/home/ann" });
    assert.deepEqual(expandSetting("~/bin/workers-lsp", { homeDir: "/home/ann", platform: "linux" }), {
      value: "/home/ann/bin/workers-lsp",
    });
    // Only a leading ~ is the home folder.
    assert.deepEqual(expandSetting("/srv/~x/workers-lsp", { homeDir: "/home/ann", platform: "linux" }), {
      value: "/srv/~x/workers-lsp",
    });
    const r = resolveServerPath(input({ configured: "~/bin/workers-lsp", executables: ["/home/ann/bin/workers-lsp"] }));
    assert.deepEqual(r, { ok: true, path: "/home/ann/bin/workers-lsp", source: "setting" });
  });

  it("expands ${workspaceFolder}, every occurrence", () => {
    const r = resolveServerPath(
      input({ configured: "${workspaceFolder}/target/release/workers-lsp", executables: ["/home/ann/shop/target/release/workers-lsp"] }),
    );
    assert.deepEqual(r, { ok: true, path: "/home/ann/shop/target/release/workers-lsp", source: "setting" });
    assert.deepEqual(
      expandSetting("${workspaceFolder}/a/${workspaceFolder}", { homeDir: "/h", workspaceFolder: "/w", platform: "linux" }),
      { value: "/w/a//w" },
    );
  });

  it("reports ${workspaceFolder} without an open folder", () => {
    const r = resolveServerPath(input({ configured: "${workspaceFolder}/workers-lsp", workspaceFolder: undefined }));
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.message, /no folder is open/);
  });

  it("resolves a relative path against the workspace folder", () => {
    const r = resolveServerPath(
      input({ configured: "./target/debug/workers-lsp", executables: ["/home/ann/shop/target/debug/workers-lsp"] }),
    );
    assert.deepEqual(r, { ok: true, path: "/home/ann/shop/target/debug/workers-lsp", source: "setting" });
  });

  it("looks a bare command name up on PATH", () => {
    const r = resolveServerPath(input({ configured: "workers-lsp-nightly", executables: ["/usr/bin/workers-lsp-nightly"] }));
    assert.deepEqual(r, { ok: true, path: "/usr/bin/workers-lsp-nightly", source: "setting" });
    const missing = resolveServerPath(input({ configured: "workers-lsp-nightly" }));
    assert.equal(missing.ok, false);
  });
});

describe("PATH search", () => {
  it("skips empty and relative entries", () => {
    assert.deepEqual(pathEntries({ PATH: ":/a::b:/c" }, "linux"), ["/a", "b", "/c"]);
    assert.equal(findOnPath("workers-lsp", { PATH: ".:b:/c" }, "linux", (p) => p !== "/c/x" && p.endsWith("workers-lsp")), "/c/workers-lsp");
    assert.equal(findOnPath("workers-lsp", {}, "linux", () => true), undefined);
  });

  it("on Windows reads Path in any casing, strips quotes and tries PATHEXT", () => {
    const env = { Path: 'C:\\Tools;"C:\\Program Files\\wl"', PATHEXT: ".COM;.EXE" };
    assert.deepEqual(pathEntries(env, "win32"), ["C:\\Tools", "C:\\Program Files\\wl"]);
    assert.deepEqual(candidateNames("workers-lsp", env, "win32"), ["workers-lsp.com", "workers-lsp.exe"]);
    assert.deepEqual(candidateNames("workers-lsp.exe", env, "win32"), ["workers-lsp.exe"]);
    const found = findOnPath("workers-lsp", env, "win32", (p) => p === "C:\\Program Files\\wl\\workers-lsp.exe");
    assert.equal(found, "C:\\Program Files\\wl\\workers-lsp.exe");
  });

  it("bundles workers-lsp.exe on Windows", () => {
    assert.equal(bundledServerPath("C:\\ext", "win32", "x64"), "C:\\ext\\server\\win32-x64\\workers-lsp.exe");
    assert.equal(bundledServerPath("/ext", "darwin", "arm64"), "/ext/server/darwin-arm64/workers-lsp");
    const r = resolveServerPath(
      input({ platform: "win32", extensionPath: "C:\\ext", env: {}, homeDir: "C:\\Users\\ann", executables: ["C:\\ext\\server\\win32-x64\\workers-lsp.exe"] }),
    );
    assert.deepEqual(r, { ok: true, path: "C:\\ext\\server\\win32-x64\\workers-lsp.exe", source: "bundled" });
  });

  it("expands ~\\ on Windows", () => {
    const r = resolveServerPath(
      input({ platform: "win32", configured: "~\\bin\\workers-lsp.exe", homeDir: "C:\\Users\\ann", env: {}, executables: ["C:\\Users\\ann\\bin\\workers-lsp.exe"] }),
    );
    assert.deepEqual(r, { ok: true, path: "C:\\Users\\ann\\bin\\workers-lsp.exe", source: "setting" });
  });
});
