"""Checks of configuration files that no tool of this machine can load for real: the Helix
languages.toml snippet, the Mason package definition and the pre-commit hooks, each against
the keys and values its tool accepts (copied by hand from the tool's source, cited below).

Run: python3 .ci/test_manifests.py   (unittest; PyYAML is needed for the YAML files)
"""

import fnmatch
import json
import re
import tomllib
import unittest
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CRATE_VERSION = re.search(r'^version = "([^"]+)"', (ROOT / "server/Cargo.toml").read_text(), re.M).group(1)

# --- Helix --------------------------------------------------------------------------------
# From helix-editor/helix, helix-core/src/syntax/config.rs at commit
# 079a789e8cb08ead67f19e1971a1b7438b37354b (serde rename_all = "kebab-case"):
# `struct LanguageServerConfiguration` ...
HELIX_LANGUAGE_SERVER_KEYS = {"command", "args", "environment", "config", "timeout", "required-root-patterns"}
# ... `struct LanguageConfiguration` (deny_unknown_fields; `comment-token` is an alias) ...
HELIX_LANGUAGE_KEYS = {
    "name", "language-id", "scope", "file-types", "shebangs", "roots", "comment-tokens", "comment-token",
    "block-comment-tokens", "text-width", "soft-wrap", "auto-format", "code-actions-on-save", "formatter",
    "path-completion", "word-completion", "diagnostic-severity", "grammar", "injection-regex",
    "language-servers", "indent", "debugger", "auto-pairs", "rulers", "workspace-lsp-roots",
    "persistent-diagnostic-sources", "rainbow-brackets",
}
# ... `enum LanguageServerFeatureConfiguration` (a name, or a table of these keys) and
# `enum LanguageServerFeature`.
HELIX_SERVER_REF_KEYS = {"name", "only-features", "except-features"}
HELIX_FEATURES = {
    "format", "goto-declaration", "goto-definition", "goto-type-definition", "goto-reference",
    "goto-implementation", "signature-help", "hover", "document-highlight", "completion", "code-action",
    "document-links", "workspace-command", "document-symbols", "workspace-symbols", "diagnostics",
    "pull-diagnostics", "rename-symbol", "inlay-hints", "document-colors", "call-hierarchy",
}
# From helix-editor/helix, languages.toml at the same commit: the languages we serve and
# their default `language-servers`, which a user's [[language]] entry replaces.
HELIX_DEFAULT_SERVERS = {
    "typescript": ["typescript-language-server"],
    "javascript": ["typescript-language-server"],
    "tsx": ["typescript-language-server"],
    "jsx": ["typescript-language-server"],
    "toml": ["taplo", "tombi"],
    "json": ["vscode-json-language-server"],
    "jsonc": ["vscode-json-language-server"],
}

# --- Mason ---------------------------------------------------------------------------------
# From mason-org/registry-schema, schemas/ at commit a27bd8ccf6334e04f75992bb9eb507d166604b7a:
# package.schema.json (additionalProperties false, these required) ...
MASON_KEYS = {"name", "description", "homepage", "licenses", "languages", "categories", "deprecation", "source",
              "schemas", "bin", "share", "opt", "neovim", "ci_skip"}
MASON_REQUIRED = {"name", "description", "homepage", "licenses", "languages", "categories", "source"}
# ... enums/category.json, enums/platform.json (the part we use), components/sources/npm.json
# (id pattern), components/bin.json (key pattern), components/neovim.json.
MASON_CATEGORIES = {"Compiler", "DAP", "Formatter", "LSP", "Linter", "Runtime"}
MASON_PLATFORMS = {"unix", "darwin", "darwin_arm64", "darwin_x64", "linux", "linux_arm64", "linux_arm64_gnu",
                   "linux_arm64_musl", "linux_x64", "linux_x64_gnu", "linux_x64_musl", "win", "win_arm64", "win_x64"}
MASON_NPM_ID = re.compile(r"^pkg:npm/.+@.+")
MASON_BIN_KEY = re.compile(r"^[a-zA-Z0-9_\-\.]+$")


class Helix(unittest.TestCase):
    def setUp(self):
        self.path = ROOT / "editors/helix/languages.toml"
        self.config = tomllib.loads(self.path.read_text())

    def test_only_keys_helix_accepts(self):
        self.assertEqual(set(self.config), {"language-server", "language"})
        server = self.config["language-server"]["workers-lsp"]
        self.assertLessEqual(set(server), HELIX_LANGUAGE_SERVER_KEYS)
        for lang in self.config["language"]:
            self.assertLessEqual(set(lang), HELIX_LANGUAGE_KEYS, lang["name"])
            for ref in lang["language-servers"]:
                if isinstance(ref, dict):
                    self.assertLessEqual(set(ref), HELIX_SERVER_REF_KEYS)
                    for key in ("only-features", "except-features"):
                        self.assertLessEqual(set(ref.get(key, [])), HELIX_FEATURES)

    def test_starts_the_server_over_stdio(self):
        server = self.config["language-server"]["workers-lsp"]
        self.assertEqual(server["command"], "workers-lsp")
        self.assertEqual(server["args"], ["serve", "--stdio"])

    def test_every_served_language_keeps_helix_defaults_then_adds_workers_lsp(self):
        langs = {lang["name"]: lang["language-servers"] for lang in self.config["language"]}
        self.assertEqual(set(langs), set(HELIX_DEFAULT_SERVERS))
        for name, servers in langs.items():
            self.assertEqual(servers, HELIX_DEFAULT_SERVERS[name] + ["workers-lsp"], name)

    def test_required_root_patterns_match_only_worker_roots(self):
        # Helix matches each pattern against the names of the root folder's entries.
        patterns = self.config["language-server"]["workers-lsp"]["required-root-patterns"]
        def matches(name):
            return any(fnmatch.fnmatchcase(name, p) for p in patterns)
        for name in ["wrangler.toml", "wrangler.json", "wrangler.jsonc", "wrangler.staging.toml", "workers-lsp.toml"]:
            self.assertTrue(matches(name), name)
        for name in ["package.json", "tsconfig.json", "Cargo.toml", "wrangler.md", ".git"]:
            self.assertFalse(matches(name), name)

    def test_editors_readme_shows_this_file(self):
        readme = (ROOT / "editors/README.md").read_text()
        section = readme[readme.index("## Helix"):]
        block = re.search(r"```toml\n(.*?)```", section, re.S).group(1)
        self.assertEqual(tomllib.loads(block), self.config)


class Mason(unittest.TestCase):
    def setUp(self):
        self.spec = yaml.safe_load((ROOT / "editors/nvim/mason/package.yaml").read_text())

    def test_schema_keys_and_values(self):
        spec = self.spec
        self.assertLessEqual(set(spec), MASON_KEYS)
        self.assertLessEqual(MASON_REQUIRED, set(spec))
        self.assertRegex(spec["homepage"], r"^https?://")
        self.assertTrue(spec["licenses"])
        self.assertLessEqual(set(spec["categories"]), MASON_CATEGORIES)
        self.assertRegex(spec["source"]["id"], MASON_NPM_ID)
        self.assertLessEqual(set(spec["source"].get("supported_platforms", [])), MASON_PLATFORMS)
        for key, value in spec["bin"].items():
            self.assertRegex(key, MASON_BIN_KEY)
            self.assertIsInstance(value, str)
        self.assertEqual(set(spec["neovim"]), {"lspconfig"})
        for line in spec["description"].splitlines():
            self.assertLessEqual(len(line), 120, "Mason's line length")

    def test_points_at_the_npm_package_of_this_version(self):
        npm = json.loads((ROOT / "npm/workers-lsp/package.json").read_text())
        self.assertEqual(self.spec["source"]["id"], f"pkg:npm/{npm['name']}@{CRATE_VERSION}")
        self.assertEqual(self.spec["bin"], {"workers-lsp": "npm:workers-lsp"})
        self.assertIn("workers-lsp", npm["bin"])
        self.assertEqual(sorted(self.spec["licenses"]), ["Apache-2.0", "MIT"])
        self.assertEqual(npm["license"], "MIT OR Apache-2.0")
        # The platforms Mason may install on are those the npm package has binaries for.
        plats = {p.split("/cli-")[1] for p in npm["optionalDependencies"]}
        mason = {"linux-x64": "linux_x64_gnu", "linux-arm64": "linux_arm64_gnu", "darwin-x64": "darwin_x64",
                 "darwin-arm64": "darwin_arm64", "win32-x64": "win_x64"}
        self.assertEqual(set(self.spec["source"]["supported_platforms"]), {mason[p] for p in plats})

    def test_lspconfig_name_is_the_plugins_config(self):
        name = self.spec["neovim"]["lspconfig"]
        self.assertTrue((ROOT / f"editors/nvim/lsp/{name}.lua").is_file())
        self.assertIn(f'M.name = "{name}"', (ROOT / "editors/nvim/lua/workers_lsp/init.lua").read_text())


class PreCommit(unittest.TestCase):
    def setUp(self):
        self.hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())

    def test_hooks_run_check_on_the_files_given(self):
        ids = [h["id"] for h in self.hooks]
        self.assertEqual(ids, ["workers-lsp", "workers-lsp-npx"])
        main = self.hooks[0]
        self.assertEqual(main["entry"], "workers-lsp check")
        self.assertIs(main["pass_filenames"], True)
        self.assertEqual(self.hooks[1]["entry"], "npx --no-install workers-lsp check")
        for hook in self.hooks:
            self.assertEqual(hook["args"], ["--quiet"])

    def test_files_pattern_selects_configs_and_sources(self):
        for hook in self.hooks:
            files = re.compile(hook["files"])
            for name in ["wrangler.toml", "api/wrangler.jsonc", "api/wrangler.staging.toml", "workers-lsp.toml",
                         "src/index.ts", "a/b.tsx", "worker.mjs", "x.cjs", "y.mts", "z.js", "w.jsx"]:
                self.assertTrue(files.search(name), name)
            for name in ["README.md", "Cargo.toml", "package.json", "tsconfig.json", "src/index.ts.snap",
                         "notwrangler/config.yaml"]:
                self.assertFalse(files.search(name), name)


if __name__ == "__main__":
    unittest.main(verbosity=2)
