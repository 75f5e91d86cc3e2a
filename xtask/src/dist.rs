//! `cargo xtask dist`: everything a release ships for one platform, built the way the release
//! workflow (`.github/workflows/release.yml`) builds it, so that the workflow is a thin shell
//! over this code and CI runs the same code for linux-x64.
//!
//! For the target platform, into the output folder (default `target/artifacts`; `target/dist`
//! is cargo's own folder for the `dist` profile):
//! - `workers-lsp-<version>-<triple>.tar.gz`: the stripped binary of the `dist` profile, the
//!   licences and the README (what the GitHub Action downloads);
//! - `workers-lsp-cli-<platform>-<version>.tgz`: the npm package `@workers-lsp/cli-<platform>`
//!   (`npm pack` of `npm/@workers-lsp/cli-<platform>` plus the binary);
//! - `workers-lsp-<version>.tgz`: the npm launcher package `workers-lsp` (the same on every
//!   platform);
//! - `workers-lsp-<platform>-<version>.vsix`: the VS Code extension for that platform, with the
//!   binary inside (`editors/vscode/ci.sh`, which also runs the extension's tests);
//! - `workers-lsp-<version>.crate`: `cargo package -p workers-lsp`, which verifies that the
//!   packaged crate builds;
//! - `SHA256SUMS` over every file above, in `sha256sum -c` format.
//!
//! Before building, every manifest that carries the version is checked against the crate's.

use sha2::{Digest, Sha256};
use std::fmt::Write as _;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A platform a release ships for: the npm / VS Code name and the Rust target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Platform {
    /// `<process.platform>-<process.arch>`, which is also the VS Code target name.
    pub key: &'static str,
    pub triple: &'static str,
}

pub const PLATFORMS: [Platform; 5] = [
    Platform {
        key: "linux-x64",
        triple: "x86_64-unknown-linux-gnu",
    },
    Platform {
        key: "linux-arm64",
        triple: "aarch64-unknown-linux-gnu",
    },
    Platform {
        key: "darwin-x64",
        triple: "x86_64-apple-darwin",
    },
    Platform {
        key: "darwin-arm64",
        triple: "aarch64-apple-darwin",
    },
    Platform {
        key: "win32-x64",
        triple: "x86_64-pc-windows-msvc",
    },
];

impl Platform {
    pub fn by_triple(triple: &str) -> Option<Platform> {
        PLATFORMS.iter().copied().find(|p| p.triple == triple)
    }

    pub fn is_windows(&self) -> bool {
        self.key.starts_with("win32-")
    }

    pub fn exe(&self) -> &'static str {
        if self.is_windows() {
            "workers-lsp.exe"
        } else {
            "workers-lsp"
        }
    }

    pub fn npm_package(&self) -> String {
        format!("@workers-lsp/cli-{}", self.key)
    }
}

pub struct DistOptions {
    /// Rust target triple; default: the host's.
    pub target: Option<String>,
    pub out: PathBuf,
    /// Use this binary instead of building one (it must be for `target`).
    pub binary: Option<PathBuf>,
    pub vsix: bool,
    pub krate: bool,
    /// The release tag (`v1.2.3`) this is for; it must name the crate's version.
    pub tag: Option<String>,
}

fn run(cmd: &mut Command) -> Result<(), String> {
    let shown = format!("{cmd:?}");
    eprintln!("dist: $ {shown}");
    let status = cmd
        .status()
        .map_err(|e| format!("cannot run {shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed: {status}"))
    }
}

fn output(cmd: &mut Command) -> Result<String, String> {
    let shown = format!("{cmd:?}");
    let out = cmd
        .output()
        .map_err(|e| format!("cannot run {shown}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{shown} failed: {}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// `npm` is `npm.cmd` on Windows, which `Command` does not find by itself.
fn npm() -> Command {
    Command::new(if cfg!(windows) { "npm.cmd" } else { "npm" })
}

fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

pub fn host_triple() -> Result<String, String> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let info = output(Command::new(rustc).arg("-vV"))?;
    info.lines()
        .find_map(|l| l.strip_prefix("host: "))
        .map(|s| s.trim().to_string())
        .ok_or_else(|| "rustc -vV printed no host line".to_string())
}

/// The repository root (xtask's manifest folder is `<root>/xtask`).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the repository")
        .to_path_buf()
}

fn read_json(path: &Path) -> Result<serde_json::Value, String> {
    let text =
        fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{} is not JSON: {e}", path.display()))
}

/// The `version` of `[package]` in a Cargo.toml (the first `version = "..."` line there).
pub fn cargo_toml_version(text: &str) -> Option<String> {
    let mut in_package = false;
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_package = line == "[package]";
            continue;
        }
        if !in_package {
            continue;
        }
        if let Some(rest) = line.strip_prefix("version") {
            let rest = rest.trim_start().strip_prefix('=')?.trim();
            return Some(rest.trim_matches('"').to_string());
        }
    }
    None
}

/// Every place that states the release's version, checked against the crate's. Returns the
/// version, or one line per disagreement.
pub fn check_versions(root: &Path) -> Result<String, String> {
    let cargo_toml = root.join("server/Cargo.toml");
    let text = fs::read_to_string(&cargo_toml)
        .map_err(|e| format!("cannot read {}: {e}", cargo_toml.display()))?;
    let version = cargo_toml_version(&text)
        .ok_or_else(|| format!("{} has no [package] version", cargo_toml.display()))?;
    let mut problems = Vec::new();
    let mut expect = |what: String, got: Option<&str>| {
        if got != Some(version.as_str()) {
            problems.push(format!(
                "{what} is {}, the crate is {version}",
                got.unwrap_or("missing")
            ));
        }
    };

    let launcher = read_json(&root.join("npm/workers-lsp/package.json"))?;
    expect(
        "npm/workers-lsp/package.json version".into(),
        launcher["version"].as_str(),
    );
    let optional = launcher["optionalDependencies"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    for p in PLATFORMS {
        let name = p.npm_package();
        expect(
            format!("npm/workers-lsp optionalDependencies[{name}]"),
            optional.get(&name).and_then(|v| v.as_str()),
        );
        let manifest = read_json(&root.join("npm").join(&name).join("package.json"))?;
        expect(
            format!("npm/{name}/package.json version"),
            manifest["version"].as_str(),
        );
    }
    let vscode = read_json(&root.join("editors/vscode/package.json"))?;
    expect(
        "editors/vscode/package.json version".into(),
        vscode["version"].as_str(),
    );
    let mason_path = root.join("editors/nvim/mason/package.yaml");
    let mason = fs::read_to_string(&mason_path)
        .map_err(|e| format!("cannot read {}: {e}", mason_path.display()))?;
    let mason_version = mason
        .lines()
        .find_map(|l| l.trim().strip_prefix("id: pkg:npm/workers-lsp@"))
        .map(str::trim);
    expect(
        "editors/nvim/mason/package.yaml source.id".into(),
        mason_version,
    );
    if optional.len() != PLATFORMS.len() {
        problems.push(format!(
            "npm/workers-lsp has {} optionalDependencies, there are {} platforms",
            optional.len(),
            PLATFORMS.len()
        ));
    }

    if problems.is_empty() {
        Ok(version)
    } else {
        Err(problems.join("\n"))
    }
}

pub fn sha256_file(path: &Path) -> Result<String, String> {
    let mut file = fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file
            .read(&mut buf)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex(&hasher.finalize()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// Writes `dir/SHA256SUMS` for every regular file directly in `dir` (sorted, `sha256sum -c`
/// format) and returns its text.
pub fn write_checksums(dir: &Path) -> Result<String, String> {
    let names: Vec<String> = fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    write_checksums_of(dir, names)
}

/// Writes `dir/SHA256SUMS` for the files `names` of `dir` (sorted; SHA256SUMS itself is left
/// out) and returns its text.
pub fn write_checksums_of(dir: &Path, mut names: Vec<String>) -> Result<String, String> {
    names.retain(|n| n != "SHA256SUMS");
    names.sort();
    names.dedup();
    let mut text = String::new();
    for name in names {
        let _ = writeln!(text, "{}  {name}", sha256_file(&dir.join(&name))?);
    }
    fs::write(dir.join("SHA256SUMS"), &text).map_err(|e| format!("{}: {e}", dir.display()))?;
    Ok(text)
}

fn copy(from: &Path, to: &Path) -> Result<(), String> {
    fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| format!("cannot copy {} to {}: {e}", from.display(), to.display()))
}

/// A fresh, empty folder.
fn fresh_dir(dir: &Path) -> Result<(), String> {
    if dir.exists() {
        fs::remove_dir_all(dir).map_err(|e| format!("cannot remove {}: {e}", dir.display()))?;
    }
    fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))
}

/// Whether a file name is one that `dist` writes (so an earlier run's are removed, and
/// nothing else in the folder is touched).
pub fn is_artifact_name(name: &str) -> bool {
    name == "SHA256SUMS"
        || (name.starts_with("workers-lsp-")
            && [".tar.gz", ".tgz", ".vsix", ".crate"]
                .iter()
                .any(|ext| name.ends_with(ext)))
}

fn remove_old_artifacts(out: &Path) -> Result<(), String> {
    for entry in fs::read_dir(out).map_err(|e| format!("{}: {e}", out.display()))? {
        let entry = entry.map_err(|e| format!("{}: {e}", out.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.file_type().is_ok_and(|t| t.is_file()) && is_artifact_name(&name) {
            fs::remove_file(entry.path()).map_err(|e| format!("cannot remove {name}: {e}"))?;
        }
    }
    Ok(())
}

#[cfg(unix)]
fn make_executable(path: &Path) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o755))
        .map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(not(unix))]
fn make_executable(_: &Path) -> Result<(), String> {
    Ok(())
}

/// `npm pack` of a staged package folder into `out`; returns the tarball's path.
fn npm_pack(staged: &Path, out: &Path) -> Result<PathBuf, String> {
    let name = output(
        npm()
            .arg("pack")
            .arg("--silent")
            .arg("--pack-destination")
            .arg(out)
            .current_dir(staged),
    )?;
    let name = name
        .lines()
        .last()
        .map(str::trim)
        .unwrap_or_default()
        .to_string();
    let path = out.join(&name);
    if name.is_empty() || !path.is_file() {
        return Err(format!(
            "npm pack in {} wrote no tarball (printed {name:?})",
            staged.display()
        ));
    }
    Ok(path)
}

/// Runs the binary's `--version` and the bundled families (only when it can run here).
fn smoke_test(root: &Path, binary: &Path, version: &str) -> Result<(), String> {
    let got = output(Command::new(binary).arg("--version"))?;
    if got.trim() != format!("workers-lsp {version}") {
        return Err(format!(
            "{} --version printed {:?}, expected \"workers-lsp {version}\"",
            binary.display(),
            got.trim()
        ));
    }
    for (family, want) in [("shop", 0), ("saas", 1)] {
        let status = Command::new(binary)
            .arg("check")
            .arg(root.join("test-workspaces/families").join(family))
            .stdout(std::process::Stdio::null())
            .status()
            .map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
        if status.code() != Some(want) {
            return Err(format!(
                "check families/{family} exited {status}, expected {want}"
            ));
        }
    }
    Ok(())
}

pub fn dist(opts: &DistOptions) -> Result<Vec<PathBuf>, String> {
    let root = repo_root();
    let version = check_versions(&root).map_err(|e| format!("versions disagree:\n{e}"))?;
    if let Some(tag) = &opts.tag {
        if tag.strip_prefix('v') != Some(version.as_str()) {
            return Err(format!(
                "the tag {tag} does not name the crate's version {version} (expected v{version})"
            ));
        }
    }
    let host = host_triple()?;
    let triple = opts.target.clone().unwrap_or_else(|| host.clone());
    let platform = Platform::by_triple(&triple).ok_or_else(|| {
        let known: Vec<_> = PLATFORMS.iter().map(|p| p.triple).collect();
        format!(
            "no release platform for target {triple}; known: {}",
            known.join(", ")
        )
    })?;
    let out = if opts.out.is_absolute() {
        opts.out.clone()
    } else {
        root.join(&opts.out)
    };
    fs::create_dir_all(&out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    remove_old_artifacts(&out)?;
    let stage = out.join("stage");
    fresh_dir(&stage)?;

    // 1. The binary.
    let binary = match &opts.binary {
        Some(b) => b.clone(),
        None => {
            run(cargo()
                .args([
                    "build",
                    "--locked",
                    "--profile",
                    "dist",
                    "-p",
                    "workers-lsp",
                ])
                .args(["--target", platform.triple])
                .current_dir(&root))?;
            root.join("target")
                .join(platform.triple)
                .join("dist")
                .join(platform.exe())
        }
    };
    if !binary.is_file() {
        return Err(format!("{} was not built", binary.display()));
    }
    if triple == host {
        smoke_test(&root, &binary, &version)?;
    } else {
        eprintln!("dist: {triple} binary not run here (host is {host})");
    }
    let mut written = Vec::new();

    // 2. The release archive.
    let archive_name = format!("workers-lsp-{version}-{}", platform.triple);
    let archive_dir = stage.join(&archive_name);
    fs::create_dir_all(&archive_dir).map_err(|e| format!("{e}"))?;
    copy(&binary, &archive_dir.join(platform.exe()))?;
    make_executable(&archive_dir.join(platform.exe()))?;
    for f in ["LICENSE-MIT", "LICENSE-APACHE", "README.md"] {
        copy(&root.join(f), &archive_dir.join(f))?;
    }
    let archive = out.join(format!("{archive_name}.tar.gz"));
    // Relative paths only: GNU tar (Git Bash on Windows) reads `C:` as a remote host.
    run(Command::new("tar")
        .arg("-czf")
        .arg(format!("../{archive_name}.tar.gz"))
        .arg(&archive_name)
        .current_dir(&stage))?;
    written.push(archive);

    // 3. The npm packages: this platform's, and the launcher.
    let npm_name = platform.npm_package();
    let staged = stage.join(format!("cli-{}", platform.key));
    fs::create_dir_all(&staged).map_err(|e| format!("{e}"))?;
    copy(
        &root.join("npm").join(&npm_name).join("package.json"),
        &staged.join("package.json"),
    )?;
    copy(&binary, &staged.join(platform.exe()))?;
    make_executable(&staged.join(platform.exe()))?;
    let launcher = stage.join("workers-lsp");
    fs::create_dir_all(launcher.join("bin")).map_err(|e| format!("{e}"))?;
    for f in ["package.json", "README.md", "bin/workers-lsp.js"] {
        copy(&root.join("npm/workers-lsp").join(f), &launcher.join(f))?;
    }
    for f in ["LICENSE-MIT", "LICENSE-APACHE"] {
        copy(&root.join(f), &staged.join(f))?;
        copy(&root.join(f), &launcher.join(f))?;
    }
    written.push(npm_pack(&staged, &out)?);
    written.push(npm_pack(&launcher, &out)?);

    // 4. The VS Code extension for this platform (ci.sh tests, builds and checks it).
    if opts.vsix {
        let vscode = root.join("editors/vscode");
        run(Command::new("bash")
            .arg(vscode.join("ci.sh"))
            .env("WORKERS_LSP_BIN", &binary)
            .env("VSCE_TARGET", platform.key))?;
        let vsix = format!("workers-lsp-{}-{version}.vsix", platform.key);
        let dest = out.join(&vsix);
        fs::rename(vscode.join(&vsix), &dest)
            .or_else(|_| copy(&vscode.join(&vsix), &dest))
            .map_err(|e| format!("{vsix}: {e}"))?;
        written.push(dest);
    }

    // 5. The crate (cargo package builds the packaged sources to verify them).
    if opts.krate {
        run(cargo()
            .args(["package", "--locked", "-p", "workers-lsp"])
            .current_dir(&root))?;
        let name = format!("workers-lsp-{version}.crate");
        let dest = out.join(&name);
        copy(&root.join("target/package").join(&name), &dest)?;
        written.push(dest);
    }

    fs::remove_dir_all(&stage).map_err(|e| format!("cannot remove {}: {e}", stage.display()))?;
    let names = written
        .iter()
        .filter_map(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .collect();
    let sums = write_checksums_of(&out, names)?;
    eprint!("dist: {}/SHA256SUMS\n{sums}", out.display());
    written.push(out.join("SHA256SUMS"));
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platform_table_is_what_npm_and_vscode_name() {
        let keys: Vec<_> = PLATFORMS.iter().map(|p| p.key).collect();
        assert_eq!(
            keys,
            [
                "linux-x64",
                "linux-arm64",
                "darwin-x64",
                "darwin-arm64",
                "win32-x64"
            ]
        );
        let win = Platform::by_triple("x86_64-pc-windows-msvc").unwrap();
        assert_eq!(win.exe(), "workers-lsp.exe");
        assert_eq!(win.npm_package(), "@workers-lsp/cli-win32-x64");
        assert_eq!(
            Platform::by_triple("aarch64-apple-darwin").unwrap().exe(),
            "workers-lsp"
        );
        assert_eq!(Platform::by_triple("i686-unknown-linux-gnu"), None);
        // Every npm platform package exists, with the os and cpu its key names.
        let root = repo_root();
        for p in PLATFORMS {
            let m =
                read_json(&root.join("npm").join(p.npm_package()).join("package.json")).unwrap();
            let (os, cpu) = p.key.split_once('-').unwrap();
            assert_eq!(m["os"][0], os, "{}", p.key);
            assert_eq!(m["cpu"][0], cpu, "{}", p.key);
            assert_eq!(m["files"][0], p.exe(), "{}", p.key);
        }
    }

    #[test]
    fn reads_the_package_version_of_a_cargo_toml() {
        let text = "[workspace]\nversion = \"9\"\n[package]\nname = \"x\"\nversion = \"1.2.3\"\n[dependencies]\nversion = \"0\"\n";
        assert_eq!(cargo_toml_version(text).as_deref(), Some("1.2.3"));
        assert_eq!(
            cargo_toml_version("[dependencies]\nversion = \"1\"\n"),
            None
        );
    }

    #[test]
    fn every_manifest_of_the_repository_states_the_crate_version() {
        let version = check_versions(&repo_root()).unwrap();
        assert!(!version.is_empty());
    }

    #[test]
    fn a_manifest_with_another_version_is_named() {
        let root = repo_root();
        let tmp = tempdir();
        for f in [
            "server/Cargo.toml",
            "editors/vscode/package.json",
            "editors/nvim/mason/package.yaml",
            "npm/workers-lsp/package.json",
        ] {
            fs::create_dir_all(tmp.join(f).parent().unwrap()).unwrap();
            fs::copy(root.join(f), tmp.join(f)).unwrap();
        }
        for p in PLATFORMS {
            let f = format!("npm/{}/package.json", p.npm_package());
            fs::create_dir_all(tmp.join(&f).parent().unwrap()).unwrap();
            fs::copy(root.join(&f), tmp.join(&f)).unwrap();
        }
        assert!(check_versions(&tmp).is_ok());
        let f = tmp.join("npm/@workers-lsp/cli-darwin-x64/package.json");
        let text = fs::read_to_string(&f).unwrap();
        let version = check_versions(&tmp).unwrap();
        fs::write(
            &f,
            text.replace(&format!("\"{version}\""), "\"0.0.0-other\""),
        )
        .unwrap();
        let err = check_versions(&tmp).unwrap_err();
        assert!(
            err.contains("npm/@workers-lsp/cli-darwin-x64/package.json version is 0.0.0-other"),
            "{err}"
        );
        assert_eq!(err.lines().count(), 1, "{err}");
        fs::remove_dir_all(&tmp).unwrap();
    }

    #[test]
    fn checksums_are_sha256_in_sha256sum_format() {
        let tmp = tempdir();
        fs::write(tmp.join("b.txt"), "abc").unwrap();
        fs::write(tmp.join("a.txt"), "").unwrap();
        fs::create_dir(tmp.join("sub")).unwrap();
        let text = write_checksums(&tmp).unwrap();
        // FIPS 180-2 test vectors.
        assert_eq!(
            text,
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  a.txt\n\
             ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  b.txt\n"
        );
        assert_eq!(fs::read_to_string(tmp.join("SHA256SUMS")).unwrap(), text);
        // Written again, the sums file does not list itself.
        assert_eq!(write_checksums(&tmp).unwrap(), text);
        fs::remove_dir_all(&tmp).unwrap();
    }

    #[test]
    fn only_artifact_names_are_removed_or_summed() {
        for name in [
            "SHA256SUMS",
            "workers-lsp-0.1.0-x86_64-unknown-linux-gnu.tar.gz",
            "workers-lsp-0.1.0.tgz",
            "workers-lsp-cli-linux-x64-0.1.0.tgz",
            "workers-lsp-linux-x64-0.1.0.vsix",
            "workers-lsp-0.1.0.crate",
        ] {
            assert!(is_artifact_name(name), "{name}");
        }
        for name in [
            "workers-lsp",
            "workers-lsp.d",
            "notes.txt",
            "other-1.0.tgz",
            "workers-lsp.exe",
        ] {
            assert!(!is_artifact_name(name), "{name}");
        }
        let tmp = tempdir();
        fs::write(tmp.join("workers-lsp-0.0.1.tgz"), "old").unwrap();
        fs::write(tmp.join("workers-lsp"), "a cargo output").unwrap();
        remove_old_artifacts(&tmp).unwrap();
        assert!(!tmp.join("workers-lsp-0.0.1.tgz").exists());
        assert!(tmp.join("workers-lsp").exists());
        fs::write(tmp.join("workers-lsp-0.1.0.tgz"), "abc").unwrap();
        let text = write_checksums_of(&tmp, vec!["workers-lsp-0.1.0.tgz".into()]).unwrap();
        assert_eq!(
            text,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  workers-lsp-0.1.0.tgz\n"
        );
        fs::remove_dir_all(&tmp).unwrap();
    }

    fn tempdir() -> PathBuf {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "xtask-dist-test-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }
}
