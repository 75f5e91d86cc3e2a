//! `cargo xtask refresh-schema [--version V]`: replaces the vendored wrangler config schema
//! (`server/schema/wrangler-config-schema.json`) with the one the npm package `wrangler`
//! ships, fetched with `npm pack` (the npm registry is the only network it touches). The
//! server never fetches anything at run time: it embeds the vendored file.
//!
//! The package declares its licence in `package.json` and ships no licence file; the texts
//! beside the schema (`LICENSE-MIT`, `LICENSE-APACHE`) are those of cloudflare/workers-sdk.
//! Should a release ship licence files, they replace ours; should its declared licence change,
//! the refresh stops so that a person reviews it.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The licence the vendored texts cover.
const EXPECTED_LICENSE: &str = "MIT OR Apache-2.0";

pub struct RefreshOptions {
    /// An npm version or tag (`latest`, `4.164.0`).
    pub version: String,
    /// `server/schema`.
    pub out_dir: PathBuf,
}

fn run(cmd: &mut Command) -> Result<String, String> {
    let shown = format!("{cmd:?}");
    let out = cmd
        .output()
        .map_err(|e| format!("cannot run {shown}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{shown} failed ({}):\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Fetches and unpacks `wrangler@version` into `tmp`; returns the unpacked `package/` folder
/// and the exact version.
fn fetch(version: &str, tmp: &Path) -> Result<(PathBuf, String), String> {
    let spec = format!("wrangler@{version}");
    let json = run(Command::new("npm")
        .args(["pack", &spec, "--json", "--pack-destination"])
        .arg(tmp))?;
    let packed: serde_json::Value = serde_json::from_str(&json)
        .map_err(|e| format!("unexpected `npm pack --json` output ({e}):\n{json}"))?;
    let first = &packed[0];
    let file = first["filename"]
        .as_str()
        .ok_or_else(|| format!("no filename in `npm pack --json` output:\n{json}"))?;
    let exact = first["version"].as_str().unwrap_or(version).to_string();
    if let Some(integrity) = first["integrity"].as_str() {
        println!("fetched {spec} = {exact} ({integrity})");
    }
    run(Command::new("tar")
        .arg("-xzf")
        .arg(tmp.join(file))
        .arg("-C")
        .arg(tmp))?;
    Ok((tmp.join("package"), exact))
}

/// Checks what is about to be vendored: the schema must be JSON with wrangler's root type,
/// and the declared licence must be the one our licence texts cover.
fn validate(package: &Path) -> Result<String, String> {
    let manifest = std::fs::read_to_string(package.join("package.json"))
        .map_err(|e| format!("package.json: {e}"))?;
    let manifest: serde_json::Value =
        serde_json::from_str(&manifest).map_err(|e| format!("package.json: {e}"))?;
    let license = manifest["license"].as_str().unwrap_or("(none)");
    let ships_license_files = std::fs::read_dir(package)
        .map_err(|e| format!("{}: {e}", package.display()))?
        .flatten()
        .any(|e| e.file_name().to_string_lossy().starts_with("LICENSE"));
    if license != EXPECTED_LICENSE && !ships_license_files {
        return Err(format!(
            "the package's licence is now `{license}`, not `{EXPECTED_LICENSE}`: review it and \
             update server/schema/LICENSE-* and server/schema/README.md by hand"
        ));
    }
    let schema = std::fs::read_to_string(package.join("config-schema.json"))
        .map_err(|e| format!("the package ships no config-schema.json: {e}"))?;
    let parsed: serde_json::Value =
        serde_json::from_str(&schema).map_err(|e| format!("config-schema.json: {e}"))?;
    if !parsed["definitions"]["RawConfig"]["properties"].is_object() {
        return Err(
            "config-schema.json has no definitions.RawConfig.properties: \
                    the schema's shape changed, check server/src/config/schema.rs"
                .into(),
        );
    }
    Ok(schema)
}

pub fn refresh(opts: &RefreshOptions) -> Result<(), String> {
    let tmp = std::env::temp_dir().join(format!("refresh-schema-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).map_err(|e| format!("{}: {e}", tmp.display()))?;
    let result = (|| {
        let (package, version) = fetch(&opts.version, &tmp)?;
        let schema = validate(&package)?;
        let write = |name: &str, text: &str| {
            let path = opts.out_dir.join(name);
            std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))
        };
        write("wrangler-config-schema.json", &schema)?;
        write("wrangler-version.txt", &format!("{version}\n"))?;
        for entry in std::fs::read_dir(&package).into_iter().flatten().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with("LICENSE") {
                let text =
                    std::fs::read_to_string(entry.path()).map_err(|e| format!("{name}: {e}"))?;
                write(&name, &text)?;
                println!("copied {name} from the package");
            }
        }
        // The encoded key tree the server embeds is rebuilt from the new schema by its test.
        let blessed = std::process::Command::new(env!("CARGO"))
            .args([
                "test",
                "-q",
                "-p",
                "workers-lsp",
                "--lib",
                "the_encoded_key_tree",
            ])
            .env("WORKERS_LSP_BLESS", "1")
            .status()
            .map_err(|e| format!("cargo test: {e}"))?;
        if !blessed.success() {
            return Err("rebuilding wrangler-config-schema.tree failed".into());
        }
        println!(
            "wrote {} and its key tree (wrangler {version}); run `cargo test` and review the diff",
            opts.out_dir.join("wrangler-config-schema.json").display()
        );
        Ok(())
    })();
    let _ = std::fs::remove_dir_all(&tmp);
    result
}
