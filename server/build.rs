//! Gives the persistent summary cache (`src/source/cache.rs`) a key that changes whenever
//! the code that makes a summary may have: the summariser's sources, the text-range types
//! summaries are made of, and the locked versions of the grammar and encoder crates. A cache
//! written by any other build is then ignored, even between two builds of one version.

use std::path::{Path, PathBuf};

fn main() {
    let mut inputs: Vec<PathBuf> = std::fs::read_dir("src/source")
        .expect("src/source is listable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .collect();
    inputs.sort();
    inputs.push(PathBuf::from("src/base.rs"));
    println!("cargo:rerun-if-changed=src/source");
    println!("cargo:rerun-if-changed=src/base.rs");
    // The workspace's lock file, when building inside the workspace.
    let lock = Path::new("../Cargo.lock");
    if lock.is_file() {
        println!("cargo:rerun-if-changed=../Cargo.lock");
        inputs.push(lock.to_path_buf());
    }
    // FNV-1a over each input's name and bytes (no dependency for the build script).
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for path in &inputs {
        let name = path.to_string_lossy().into_owned().into_bytes();
        let bytes = std::fs::read(path).expect("build input is readable");
        for b in name.iter().chain(&[0]).chain(&bytes) {
            hash ^= u64::from(*b);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    println!("cargo:rustc-env=WORKERS_LSP_SUMMARIZER_HASH={hash:016x}");
}
