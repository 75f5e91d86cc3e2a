//! Rename and quick fixes on a mutated copy of the saas family (which has deliberate mistakes,
//! so fixes are offered), of the fix-trap family (`checks::FIX_TRAPS`) and of the
//! alchemy-shop-mistakes family (workers declared in an `alchemy.run.ts`): the edits stay in
//! bounds, every file that parsed still parses, nothing outside the edited spans changes,
//! renaming back restores the original bytes, and every fix edits only the spans of what it
//! names and removes its finding (see `checks::check_rename` and `checks::check_fixes`).
//!
//! Input: one byte choosing the file (of both families), two bytes of offset (little endian,
//! modulo the text's length), one byte choosing the new name (its top bit: also check the
//! fixes), then (optionally) the file's new text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use workers_lsp_fuzz::checks;

struct Family {
    root: PathBuf,
    files: Vec<(PathBuf, String)>,
    traps: PathBuf,
    alchemy: PathBuf,
}

fn family() -> &'static Family {
    static FAMILY: OnceLock<Family> = OnceLock::new();
    FAMILY.get_or_init(|| {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../test-workspaces/families/saas");
        let root = std::env::temp_dir()
            .join(format!("workers-lsp-fuzz-rename-{}", std::process::id()))
            .join("saas");
        let _ = std::fs::remove_dir_all(&root);
        checks::copy_tree(&src, &root);
        let root = root.canonicalize().unwrap();
        let traps = root.with_file_name("traps");
        checks::write_fix_traps(&traps);
        let alchemy = root.with_file_name("alchemy");
        checks::copy_tree(
            &src.with_file_name("alchemy-shop-mistakes"),
            &alchemy,
        );
        let mut files = checks::family_sources(&root);
        files.extend(checks::family_sources(&traps));
        files.extend(checks::family_sources(&alchemy));
        Family {
            root,
            files,
            traps,
            alchemy,
        }
    })
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 4 {
        return;
    }
    let f = family();
    let (file, original) = &f.files[data[0] as usize % f.files.len()];
    let text = match std::str::from_utf8(&data[4..]) {
        Ok(t) if !t.is_empty() => t,
        _ => original.as_str(),
    };
    let offset = u16::from_le_bytes([data[1], data[2]]) as u32 % (text.len() as u32 + 1);
    let name = checks::NEW_NAMES[data[3] as usize % checks::NEW_NAMES.len()];
    // The copy is this process's own; a failed check aborts the run with the file changed.
    std::fs::write(file, text).unwrap();
    let root = [&f.traps, &f.alchemy]
        .into_iter()
        .find(|r| file.starts_with(r))
        .unwrap_or(&f.root);
    checks::check_rename(root, file, offset, name);
    if data[3] & 0x80 != 0 {
        checks::check_fixes(root);
    }
    std::fs::write(file, original).unwrap();
});
