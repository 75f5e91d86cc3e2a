//! Project tasks: `cargo xtask gen-family`, `cargo xtask bench`, `cargo xtask perf-guard`,
//! `cargo xtask dist`, `cargo xtask checksums`, `cargo xtask refresh-schema`.

mod bench;
mod bench_repo;
mod dist;
mod gen;
mod lsp_client;
mod perf_guard;
mod refresh_schema;
mod scaling;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage:
  cargo xtask gen-family [--style synthetic|realistic] [--workers N] [--lib-files N]
                         [--lib-bytes N] [--out DIR]
      Writes a deterministic worker family (default: the synthetic reference family of
      200 workers x 31 TS files into target/bench/family). `realistic` library modules take
      `env: Env` and read bindings, hold classes and default exports, go through barrels and
      `import type`, and mix TS, TSX and JS.
  cargo xtask bench [--family DIR | --style synthetic|realistic] [--binary PATH]
                    [--requests N] [--out FILE]
      Measures the release binary on a family (default: generates the reference family of
      the style, synthetic by default), prints a table and writes it to BENCHMARKS.table.md.
  cargo xtask bench-repo [--binary PATH] DIR...
      A cold (--no-cache) and a warm check of each repository as one root, medians of 5,
      against a one-thread bare parse of the modules the check opens (needs strace).
  cargo xtask perf-guard [--binary PATH] [--budget FILE] [--update]
      Counts instructions (valgrind) of a cold check and of one language-server edit on a
      20-worker family of each style; fails when one exceeds xtask/perf-budget.txt by more than 30 %,
      or when doubling a scaling input (findings on one minified line) more than
      doubles the instructions (2.5x allowed).
  cargo xtask dist [--target TRIPLE] [--out DIR] [--binary PATH] [--no-vsix] [--no-crate]
                   [--tag vX.Y.Z]
      Builds what a release ships for one platform (default: this machine's) into DIR
      (default target/artifacts): the stripped `dist`-profile binary as a .tar.gz, its npm
      package, the npm launcher package, the .vsix, the crate, and SHA256SUMS. With --tag,
      fails unless the tag names the crate's version.
  cargo xtask checksums DIR
      Writes DIR/SHA256SUMS for the files in DIR (the release job, over every platform's).
  cargo xtask refresh-schema [--version V]
      Replaces server/schema/wrangler-config-schema.json with the config schema of the npm
      package wrangler@V (default: latest), fetched with `npm pack`.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("gen-family") => gen_family(&args[1..]),
        Some("bench") => bench(&args[1..]),
        Some("bench-repo") => bench_repo(&args[1..]),
        Some("perf-guard") => perf_guard(&args[1..]),
        Some("dist") => dist(&args[1..]),
        Some("checksums") => checksums(&args[1..]),
        Some("refresh-schema") => refresh_schema(&args[1..]),
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn bench_repo(args: &[String]) -> ExitCode {
    let binary = flag(args, "--binary")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target/release/workers-lsp"));
    let mut roots = Vec::new();
    let mut rest = args.iter();
    while let Some(a) = rest.next() {
        match a.as_str() {
            "--binary" => {
                rest.next();
            }
            dir => roots.push(PathBuf::from(dir)),
        }
    }
    if roots.is_empty() {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    }
    match bench_repo::run(&binary, &roots) {
        Ok(table) => {
            print!("{table}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

fn flag(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn num(args: &[String], name: &str, default: usize) -> Result<usize, String> {
    match flag(args, name) {
        None => Ok(default),
        Some(v) => v
            .parse()
            .map_err(|_| format!("{name} takes a number, not `{v}`")),
    }
}

fn style(args: &[String]) -> Result<gen::Style, String> {
    match flag(args, "--style") {
        None => Ok(gen::Style::Synthetic),
        Some(v) => gen::Style::parse(&v)
            .ok_or_else(|| format!("--style takes synthetic or realistic, not `{v}`")),
    }
}

fn gen_family(args: &[String]) -> ExitCode {
    let spec = match (|| {
        Ok::<_, String>(gen::FamilySpec {
            style: style(args)?,
            workers: num(args, "--workers", 200)?.max(1),
            lib_files: num(args, "--lib-files", 28)?,
            lib_bytes: num(args, "--lib-bytes", 3300)?,
        })
    })() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let out = flag(args, "--out")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target/bench/family"));
    match gen::generate(&out, &spec) {
        Ok((files, bytes)) => {
            println!(
                "wrote {} workers, {files} files, {:.1} MB to {}",
                spec.workers,
                bytes as f64 / 1e6,
                out.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("cannot write {}: {e}", out.display());
            ExitCode::FAILURE
        }
    }
}

fn bench(args: &[String]) -> ExitCode {
    let family = match flag(args, "--family") {
        Some(f) => PathBuf::from(f),
        None => {
            let style = match style(args) {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("{e}");
                    return ExitCode::from(2);
                }
            };
            let out = PathBuf::from(match style {
                gen::Style::Synthetic => "target/bench/family".to_string(),
                other => format!("target/bench/family-{}", other.name()),
            });
            let spec = gen::FamilySpec {
                style,
                workers: 200,
                lib_files: 28,
                lib_bytes: 3300,
            };
            if let Err(e) = gen::generate(&out, &spec) {
                eprintln!("cannot write {}: {e}", out.display());
                return ExitCode::FAILURE;
            }
            out
        }
    };
    let requests = match num(args, "--requests", 200) {
        Ok(n) => n,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let opts = bench::BenchOptions {
        family,
        binary: flag(args, "--binary")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("target/release/workers-lsp")),
        requests,
        out: flag(args, "--out")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("BENCHMARKS.table.md")),
    };
    match bench::run(&opts) {
        Ok(table) => {
            print!("{table}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("bench: {e}");
            ExitCode::FAILURE
        }
    }
}

fn perf_guard(args: &[String]) -> ExitCode {
    let opts = perf_guard::GuardOptions {
        binary: flag(args, "--binary")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("target/release/workers-lsp")),
        budget: flag(args, "--budget")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("xtask/perf-budget.txt")),
        update: args.iter().any(|a| a == "--update"),
    };
    match perf_guard::run(&opts) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => {
            eprintln!("perf-guard: over budget (see the table); if intended, rerun with --update");
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("perf-guard: {e}");
            ExitCode::from(2)
        }
    }
}

fn dist(args: &[String]) -> ExitCode {
    let known = [
        "--target",
        "--out",
        "--binary",
        "--no-vsix",
        "--no-crate",
        "--tag",
    ];
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        if !known.contains(&a) {
            eprintln!("dist: unknown argument `{a}`\n{USAGE}");
            return ExitCode::from(2);
        }
        i += if a.starts_with("--no-") { 1 } else { 2 };
    }
    let opts = dist::DistOptions {
        target: flag(args, "--target"),
        out: flag(args, "--out")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("target/artifacts")),
        binary: flag(args, "--binary").map(PathBuf::from),
        vsix: !args.iter().any(|a| a == "--no-vsix"),
        krate: !args.iter().any(|a| a == "--no-crate"),
        tag: flag(args, "--tag"),
    };
    match dist::dist(&opts) {
        Ok(files) => {
            for f in files {
                let size = std::fs::metadata(&f).map(|m| m.len()).unwrap_or(0);
                println!("{:>12}  {}", size, f.display());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("dist: {e}");
            ExitCode::FAILURE
        }
    }
}

fn checksums(args: &[String]) -> ExitCode {
    let [dir] = args else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    match dist::write_checksums(std::path::Path::new(dir)) {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("checksums: {e}");
            ExitCode::FAILURE
        }
    }
}

fn refresh_schema(args: &[String]) -> ExitCode {
    let opts = refresh_schema::RefreshOptions {
        version: flag(args, "--version").unwrap_or_else(|| "latest".into()),
        out_dir: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../server/schema"),
    };
    match refresh_schema::refresh(&opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("refresh-schema: {e}");
            ExitCode::FAILURE
        }
    }
}
